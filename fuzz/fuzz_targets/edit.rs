//! `rename` and `merge` planned on an arbitrary work file and claim file (split at the
//! first NUL byte): never a panic, and every file a plan changes is still TOML.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parallax::edit::fuzzing::edit_bytes(data);
});

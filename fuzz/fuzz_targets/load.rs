//! Arbitrary bytes as a claim file and as a `work.toml`: loading, validating and rendering
//! every diagnostic must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parallax::corpus::fuzzing::load_bytes(data);
});

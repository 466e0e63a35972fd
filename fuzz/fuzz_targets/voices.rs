//! The remark matcher of `voices` on arbitrary quotes (NUL-separated, each led by a byte
//! naming its source and outlet): never a panic, pairs in order, of different sources, a
//! similarity between 0 and 1, and a bounded number of words shown of either quote.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parallax::quotes::remark::fuzzing::remarks_bytes(data);
});

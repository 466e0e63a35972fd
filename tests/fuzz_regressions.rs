//! Inputs that once troubled the loader (found by `cargo fuzz run --sanitizer none load`)
//! or that sit on its edges: each is loaded as a claim file and as a work file, and every
//! diagnostic rendered, without a panic.

use std::fs;
use std::path::Path;

#[test]
fn regression_inputs_load_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let found = parallax::corpus::fuzzing::load_bytes(&bytes);
        assert!(
            found > 0,
            "{} should be reported as a problem",
            path.display()
        );
        inputs += 1;
    }
    assert!(inputs >= 4);
}

#[test]
fn every_prefix_of_a_claim_file_loads_without_panic() {
    let file = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("interpretations/anora/sources/car-scene-tears.toml"),
    )
    .unwrap();
    for end in (0..file.len()).step_by(3) {
        parallax::corpus::fuzzing::load_bytes(&file[..end]);
    }
}

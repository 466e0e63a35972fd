//! Inputs that once troubled the loader (found by `cargo fuzz run --sanitizer none load`)
//! or that sit on its edges: each is loaded as a claim file and as a work file, and every
//! diagnostic rendered, without a panic. The inputs of the other fuzz targets lie in a folder
//! named after the target (`edit/`, `hypothesis/`, `voices/`) and are run as the target runs
//! them.

use std::fs;
use std::path::Path;

#[test]
fn regression_inputs_load_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // another target's inputs
            continue;
        }
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

/// The inputs kept for the fuzz target `target`.
fn inputs(target: &str) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let mut out: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

#[test]
fn edit_regression_inputs_plan_without_panic() {
    for (_, bytes) in inputs("edit") {
        parallax::edit::fuzzing::edit_bytes(&bytes);
    }
}

#[test]
fn voices_regression_inputs_match_without_panic() {
    for (_, bytes) in inputs("voices") {
        parallax::quotes::remark::fuzzing::remarks_bytes(&bytes);
    }
}

#[test]
fn hypothesis_regression_inputs_import_without_panic() {
    use parallax::corpus::{LoadOptions, load};
    use parallax::interchange::hypothesis::{Coders, IdFrom, Options, import};
    let mut loaded = load(&LoadOptions {
        root: Path::new(env!("CARGO_MANIFEST_DIR")).join("interpretations"),
        ..LoadOptions::default()
    });
    let work = loaded.corpus.works.remove(0);
    for (path, bytes) in inputs("hypothesis") {
        let Ok(json) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for from in [IdFrom::Title, IdFrom::Url] {
            if let Err(errors) = import(
                &work,
                json,
                &Options {
                    id_from: from,
                    include_hidden: true,
                    coders: Coders::PerUser,
                },
            ) {
                assert!(
                    errors
                        .iter()
                        .all(|d| d.message.starts_with("not a Hypothesis export")),
                    "{}: {:?}",
                    path.display(),
                    errors.iter().map(|d| &d.message).collect::<Vec<_>>()
                );
            }
        }
    }
}

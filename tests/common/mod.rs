//! Helpers shared by the CLI tests: a `parallax` command with a clean environment, run from
//! the crate root so that fixture paths (and so the paths in messages) are relative and stable.

#![allow(dead_code)] // each test file uses a different part of this module

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;

/// The crate root: every fixture path in these tests is relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `parallax` with no backtrace, no corpus from the environment, no colour and a fixed
/// width, run in `dir`.
pub fn parallax_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("parallax").expect("the parallax binary is built");
    cmd.current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env_remove("PARALLAX_CORPUS")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// `parallax --corpus <corpus> <args…>`, run from the crate root.
pub fn run(corpus: &str, args: &[&str]) -> Output {
    run_in(root(), corpus, args)
}

/// `parallax --corpus <corpus> <args…>`, run from `dir`.
pub fn run_in(dir: &Path, corpus: &str, args: &[&str]) -> Output {
    parallax_in(dir)
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .output()
        .expect("parallax runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The exit code, with the output in the panic message when it is not the one expected.
#[track_caller]
pub fn assert_code(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "exit code\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_panic(out);
}

#[track_caller]
pub fn assert_no_panic(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(
        out.status.code(),
        Some(101),
        "exit code 101 (a panic)\n{err}"
    );
    assert!(!err.contains("panicked"), "a panic:\n{err}");
}

/// Standard output parsed as JSON.
#[track_caller]
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Copies a folder tree (fixtures into a temporary folder that a test then changes).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A corpus written from `(path, text)` pairs into a fresh temporary folder, which is the
/// corpus root; the folder goes away with the returned guard.
pub fn write_corpus(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

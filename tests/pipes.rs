//! Pipes and full disks: `parallax … | head -1` ends quietly; a write that fails is a clean
//! error, not a panic.

mod common;

use std::fs;
use std::io::Read;
use std::process::{Command, Stdio};

/// A corpus whose `list sources` output is far larger than a pipe's buffer.
fn big_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("w");
    fs::create_dir_all(work.join("sources")).unwrap();
    fs::write(
        work.join("work.toml"),
        "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n",
    )
    .unwrap();
    for i in 0..3000 {
        fs::write(
            work.join(format!("sources/source-{i:05}.toml")),
            format!("[source]\ntitle = \"A source with a long enough title, number {i}\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"x\"\n"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let corpus = big_corpus();
    for format in ["table", "csv", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("--corpus")
            .arg(corpus.path())
            .args(["list", "sources", "--format", format])
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut first)
            .unwrap();
        drop(child.stdout.take()); // the reader goes away, like `head -1`
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{format}: {err}");
        assert!(
            err.is_empty(),
            "{format}: stderr should be empty, got {err}"
        );
    }
}

#[test]
fn a_full_disk_is_a_clean_error() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here: skipped");
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_parallax"))
        .current_dir(common::root())
        .args(["--corpus", "interpretations", "matrix", "--format", "json"])
        .env_remove("RUST_BACKTRACE")
        .stdout(
            fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = common::stderr(&out);
    assert!(err.contains("cannot write to standard output"), "{err}");
    assert!(!err.contains("panicked"));
}

//! Hostile corpora against what reads outside the loader's usual path: shell completion,
//! the QDPX export's archived texts, and JSON on a terminal (SECURITY.md).

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{assert_code, parallax_in, stderr};

const WORK: &str = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S \u{9b}31m \u{202e}evil\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n";

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `cmd`, killing it after `limit`: a hang is a failure, not a stuck test.
fn run_bounded(cmd: &mut Command, limit: Duration) -> std::process::Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn completion_reads_only_what_the_loader_would_and_prints_nothing_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    fs::write(w.join("work.toml"), WORK).unwrap();
    fs::write(
        w.join("sources/a.toml"),
        "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"x\"\nattributed_to = \"Mal\u{9b}ory\"\n",
    )
    .unwrap();
    if !mkfifo(&w.join("sources/fifo.toml")) {
        eprintln!("skipped: mkfifo is missing");
        return;
    }
    std::os::unix::fs::symlink("/dev/zero", w.join("sources/zero.toml")).unwrap();
    fs::create_dir_all(tmp.path().join("c/bad\u{1b}]0;title\u{7}")).unwrap();
    for (words, shown) in [
        (
            &[
                "parallax", "--corpus", "c", "--work", "w", "check", "--voice", "",
            ][..],
            "own",
        ),
        (&["parallax", "--corpus", "c", "compare", ""], "a"),
        (
            &["parallax", "--corpus", "c", "--work", "w", "scene", ""],
            "s",
        ),
        (&["parallax", "--corpus", "c", "--work", ""], "w"),
    ] {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("parallax"));
        cmd.current_dir(tmp.path())
            .env("COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .env("_CLAP_IFS", "\n")
            .arg("--")
            .args(words);
        let out = run_bounded(&mut cmd, Duration::from_secs(20));
        assert_code(&out, 0);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().any(|l| l == shown), "{words:?}: {text}");
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(raw), "{words:?}: {raw:?} in {text:?}");
        }
    }
}

#[test]
fn a_fifo_as_an_archived_text_is_an_error_at_the_claim_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    fs::create_dir_all(w.join("texts")).unwrap();
    fs::write(w.join("work.toml"), WORK.replace("\u{9b}31m \u{202e}", "")).unwrap();
    fs::write(
        w.join("sources/a.toml"),
        "[source]\ntitle = \"A\"\ntext = \"t.txt\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"words\"\n",
    )
    .unwrap();
    if !mkfifo(&w.join("texts/t.txt")) {
        eprintln!("skipped: mkfifo is missing");
        return;
    }
    for args in [
        &["--corpus", "c", "export", "-o", "out.qdpx"][..],
        &["--corpus", "c", "check"],
    ] {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("parallax"));
        cmd.current_dir(tmp.path()).env("NO_COLOR", "1").args(args);
        let out = run_bounded(&mut cmd, Duration::from_secs(20));
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(err.contains("is not a regular file"), "{args:?}: {err}");
        assert!(err.contains("sources/a.toml:3"), "{args:?}: {err}");
        assert!(!err.contains("resolves outside"), "{args:?}: {err}");
    }
    assert!(!tmp.path().join("out.qdpx").exists());
}

#[test]
fn json_on_a_terminal_escapes_c1_controls_and_bidi_characters() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: script (util-linux) is missing");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    fs::write(w.join("work.toml"), WORK).unwrap();
    fs::write(
        w.join("sources/a.toml"),
        "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"x\u{85}y \u{202e}z\"\n",
    )
    .unwrap();
    let bin = assert_cmd::cargo::cargo_bin("parallax");
    for view in ["scene s", "list scenes", "agreement"] {
        // `script` gives the command a terminal and copies what it shows
        let out = Command::new("script")
            .current_dir(tmp.path())
            .env("NO_COLOR", "1")
            .args([
                "-qec",
                &format!("{} --corpus c {view} -f json", bin.display()),
                "/dev/null",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{view}: {text}");
        for raw in ['\u{85}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(raw), "{view}: {raw:?} raw in {text}");
        }
        if view != "agreement" {
            assert!(text.contains("\\u202e"), "{view}: {text}");
        }
    }
    // into a pipe the JSON keeps the characters themselves
    let out = parallax_in(tmp.path())
        .args(["--corpus", "c", "scene", "s", "-f", "json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{202e}'));
}

#[test]
fn a_fifo_as_work_toml_or_a_claim_file_never_blocks_check() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    if !mkfifo(&w.join("work.toml")) || !mkfifo(&w.join("sources/a.toml")) {
        eprintln!("skipped: mkfifo is missing");
        return;
    }
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("parallax"));
    cmd.current_dir(tmp.path()).args(["--corpus", "c", "check"]);
    let out = run_bounded(&mut cmd, Duration::from_secs(20));
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("work.toml is not a regular file"), "{err}");
}

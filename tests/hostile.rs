//! Hostile corpora (SECURITY.md): links that lead out of the corpus, names and texts full of
//! control sequences, and a closed pipe after a failed check. Each corpus is built in a
//! temporary folder. `-o` targets and interruptions are in `tests/hostile_output.rs`.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{assert_code, assert_no_panic, parallax_in, stderr, stdout};

const WORK: &str = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n";

/// A file's content that must never appear in any output.
const SECRET: &str = "SECRET-4f1d9c: root:x:0:0";

/// A valid one-work corpus at `dir/c` (work `w`, source `a` that names the text `t.txt`),
/// and a file outside it at `dir/outside.txt` holding [`SECRET`].
fn corpus(dir: &Path) -> std::path::PathBuf {
    let work = dir.join("c/w");
    fs::create_dir_all(work.join("sources")).unwrap();
    fs::write(work.join("work.toml"), WORK).unwrap();
    fs::write(
        work.join("sources/a.toml"),
        "[source]\ntitle = \"A\"\ntext = \"t.txt\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"words that are nowhere\"\n",
    )
    .unwrap();
    fs::write(dir.join("outside.txt"), format!("{SECRET}\n[[[\n")).unwrap();
    dir.join("c")
}

fn check(dir: &Path, args: &[&str]) -> std::process::Output {
    parallax_in(dir)
        .args(["--corpus", "c", "check"])
        .args(args)
        .output()
        .unwrap()
}

/// Fails the run, names `file` as leading outside the corpus, and shows nothing of the secret,
/// neither on the terminal nor in JSON.
#[track_caller]
fn assert_refused(dir: &Path, file: &str) {
    let out = check(dir, &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{file} leads outside the corpus")),
        "{err}"
    );
    assert!(
        !err.contains("SECRET") && !stdout(&out).contains("SECRET"),
        "{err}"
    );
    let out = check(dir, &["-f", "json"]);
    assert_code(&out, 1);
    let json = stdout(&out);
    assert!(json.contains("leads outside the corpus"), "{json}");
    assert!(
        !json.contains("SECRET") && !stderr(&out).contains("SECRET"),
        "{json}"
    );
}

#[test]
fn a_claim_file_linking_out_of_the_corpus_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    symlink(dir.path().join("outside.txt"), c.join("w/sources/b.toml")).unwrap();
    assert_refused(dir.path(), "c/w/sources/b.toml");
}

#[test]
fn work_toml_linking_out_of_the_corpus_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::remove_file(c.join("w/work.toml")).unwrap();
    symlink(dir.path().join("outside.txt"), c.join("w/work.toml")).unwrap();
    assert_refused(dir.path(), "c/w/work.toml");
}

#[test]
fn a_sources_folder_linking_out_of_the_corpus_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::copy(dir.path().join("outside.txt"), elsewhere.join("x.toml")).unwrap();
    fs::remove_dir_all(c.join("w/sources")).unwrap();
    symlink(&elsewhere, c.join("w/sources")).unwrap();
    assert_refused(dir.path(), "c/w/sources");
}

#[test]
fn a_work_folder_linking_out_of_the_corpus_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(elsewhere.join("sources")).unwrap();
    fs::copy(dir.path().join("outside.txt"), elsewhere.join("work.toml")).unwrap();
    symlink(&elsewhere, c.join("v")).unwrap();
    assert_refused(dir.path(), "c/v");
}

#[test]
fn links_that_stay_inside_the_corpus_are_followed() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::create_dir(c.join("common")).unwrap();
    fs::rename(c.join("w/sources/a.toml"), c.join("common/a.toml")).unwrap();
    symlink("../../common/a.toml", c.join("w/sources/a.toml")).unwrap();
    let out = parallax_in(dir.path())
        .args(["--corpus", "c", "--work", "w", "list", "sources"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains('a'));
}

/// The attack that was found: `texts/` linked to `/proc/self` and `text = "environ"` printed
/// the environment as the closest passage.
#[test]
fn a_texts_folder_linking_to_proc_self_is_refused() {
    if !Path::new("/proc/self/environ").exists() {
        eprintln!("no /proc/self/environ here: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::write(
        c.join("w/sources/a.toml"),
        "[source]\ntitle = \"A\"\ntext = \"environ\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"HOSTILE_MARKER=x\"\n",
    )
    .unwrap();
    symlink("/proc/self", c.join("w/texts")).unwrap();
    let out = parallax_in(dir.path())
        .env("HOSTILE_MARKER", "SECRET-environment-value")
        .args(["--corpus", "c", "check"])
        .output()
        .unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("c/w/texts leads outside the corpus"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
}

#[test]
fn a_text_linking_out_of_the_texts_dir_given_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let texts = dir.path().join("texts");
    fs::create_dir(&texts).unwrap();
    // inside the corpus, but outside the folder the user named
    fs::write(dir.path().join("c/t-elsewhere.txt"), SECRET).unwrap();
    symlink("../c/t-elsewhere.txt", texts.join("t.txt")).unwrap();
    let out = check(dir.path(), &["--texts", "texts"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("resolves outside texts"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
}

/// Everything a terminal could act on: C0 and C1 controls, OSC 52 (clipboard), bidi
/// overrides.
#[track_caller]
fn assert_inert(text: &str) {
    for c in text.chars() {
        assert!(
            c == '\n' || !(c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "raw {c:?} in:\n{text}"
        );
    }
}

/// Every line a diagnostic may start with, so a forged one can be told from a real one.
#[track_caller]
fn assert_no_forged_line(text: &str) {
    for line in text.lines() {
        assert!(
            !line.starts_with("error: forged"),
            "forged line in:\n{text}"
        );
    }
}

#[test]
fn control_sequences_in_file_names_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let name = "x\x1b]52;c;aGVsbG8=\x07\u{9b}2J\u{202e}\nerror: forged.toml";
    fs::write(
        c.join("w/sources").join(name),
        "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"nope\"\nreading = \"r\"\nsummary = \"s\"\n",
    )
    .unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_inert(&err);
    assert_no_forged_line(&err);
    assert!(err.contains("x␛]52;c;aGVsbG8=␇"), "{err}");
    assert!(err.contains("␊error: forged.toml"), "{err}");
    // JSON keeps the real name: it escapes it itself
    let out = check(dir.path(), &["-f", "json"]);
    let json = common::json(&out);
    let files: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["file"].as_str())
        .collect();
    assert!(files.iter().any(|f| f.ends_with(name)), "{files:?}");
}

#[test]
fn control_sequences_in_a_work_folder_name_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::rename(c.join("w"), c.join("w\x1b[2J\nerror: forged")).unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_inert(&err);
    assert_no_forged_line(&err);
}

#[test]
fn control_sequences_in_values_aliases_and_labels_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    // TOML escapes put the raw characters in the values
    fs::write(
        c.join("w/work.toml"),
        "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\naliases = [\"the \\u202Eevil\", \"osc \\u001B]52;c;aGk=\\u0007\"]\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n",
    )
    .unwrap();
    fs::write(
        c.join("w/sources/a.toml"),
        "[source]\ntitle = \"A\"\nkind = \"essay\\u001B[31m\\nerror: forged\"\n\n[[claim]]\nscene = \"the evil\\u0085\\n  = help: forged\"\nreading = \"r\"\nsummary = \"s\"\n\n[[claim]]\nscene = \"osc ]52;c;aGk=\"\nreading = \"r\"\nsummary = \"t\"\n",
    )
    .unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert_inert(&err);
    assert_no_forged_line(&err);
    assert!(
        !err.lines().any(|l| l.starts_with("  = help: forged")),
        "{err}"
    );
    assert!(err.contains("<U+202E>evil"), "{err}");
}

#[test]
fn control_sequences_in_an_archived_text_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::create_dir(c.join("w/texts")).unwrap();
    fs::write(
        c.join("w/texts/t.txt"),
        "Intro.\nThe ending \x1b]52;c;aGk=\x07 shows her \u{202e}reclaiming\x1b[2J power at last.\n",
    )
    .unwrap();
    fs::write(
        c.join("w/sources/a.toml"),
        "[source]\ntitle = \"A\"\ntext = \"t.txt\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"The ending shows her reclaiming power at the last\"\n",
    )
    .unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("closest passage"), "{err}");
    assert_inert(&err);
}

#[test]
fn control_characters_in_a_broken_claim_file_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    fs::write(
        c.join("w/sources/a.toml"),
        "[source]\ntitle = \"A\"\r\n\x1b]0;owned\x07 = \"\u{202e}\x1b[2J\"\n",
    )
    .unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("TOML syntax error"), "{err}");
    assert_inert(&err);
}

/// `parallax check -f json | head -c10` with `set -o pipefail` must fail on an invalid corpus.
#[test]
fn a_closed_pipe_keeps_a_failed_checks_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    // far more JSON than a pipe holds, so the writer meets the closed pipe
    let claims: String = (0..3000)
        .map(|i| {
            format!("[[claim]]\nscene = \"unknown-{i}\"\nreading = \"r\"\nsummary = \"s\"\n\n")
        })
        .collect();
    fs::write(
        c.join("w/sources/a.toml"),
        format!("[source]\ntitle = \"A\"\n\n{claims}"),
    )
    .unwrap();
    for format in ["json", "csv", "table"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .current_dir(dir.path())
            .args(["--corpus", "c", "check", "-f", format])
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        let _ = std::io::Read::read(child.stdout.as_mut().unwrap(), &mut first);
        drop(child.stdout.take()); // the reader goes away, like `head -c10`
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "{format}");
    }
}

/// A claim file of 200 claims on one line, each with an error: every diagnostic shows a piece
/// of the line around its problem, not the whole line, with the file's own column.
#[test]
fn errors_on_a_very_long_line_show_only_their_neighbourhood() {
    let dir = tempfile::tempdir().unwrap();
    let c = corpus(dir.path());
    let claims: Vec<String> = (0..200)
        .map(|i| {
            format!(
                "{{scene = \"bad-{i:03}\", reading = \"r\", summary = \"{}\"}}",
                "x".repeat(200)
            )
        })
        .collect();
    let text = format!("claim = [{}]\n[source]\ntitle = \"A\"\n", claims.join(", "));
    fs::write(c.join("w/sources/a.toml"), &text).unwrap();
    let out = check(dir.path(), &[]);
    assert_no_panic(&out);
    let err = stderr(&out);
    assert_eq!(err.matches("error: unknown scene").count(), 200, "{err}");
    assert!(
        err.lines().all(|l| l.len() < 1200),
        "a long line was shown whole"
    );
    // the last claim's column is the column in the file
    let at = text.find("\"bad-199\"").unwrap();
    let column = text[..at].chars().count() + 1;
    assert!(err.contains(&format!("a.toml:1:{column}")), "{err}");
}

#[test]
fn a_claim_file_over_4_gib_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    // sparse: it takes no disk space, and it is refused before a byte of it is read
    let big = fs::File::create(dir.path().join("c/w/sources/big.toml")).unwrap();
    big.set_len(u64::from(u32::MAX) + 1).unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    assert_no_panic(&out);
    let err = stderr(&out);
    assert!(
        err.contains("big.toml is too large: 4294967296 bytes"),
        "{err}"
    );
}

//! Hostile corpora against the commands that write (SECURITY.md): `rename`, `merge`, `new`,
//! `import hypothesis`. Nothing is read or written outside the corpus, nothing is written
//! through a link, an edit is all or nothing (also when interrupted or when a file changes
//! meanwhile), files keep their modes, and what is listed is sanitised.

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_code, assert_no_panic, parallax_in, root, stderr, stdout};

const WORK: &str = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n\n[[reading]]\nid = \"q\"\nlabel = \"Q\"\n";

const SECRET: &str = "SECRET-4f1d9c";

fn claim_file(title: &str) -> String {
    format!(
        "# {SECRET}\n[source]\ntitle = \"{title}\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"x\"\n"
    )
}

/// A work `w` at `dir`: work.toml and `n` claim files.
fn work_at(dir: &Path, n: usize) {
    fs::create_dir_all(dir.join("sources")).unwrap();
    fs::write(dir.join("work.toml"), WORK).unwrap();
    for i in 0..n {
        fs::write(
            dir.join(format!("sources/s{i}.toml")),
            claim_file(&format!("S{i}")),
        )
        .unwrap();
    }
}

fn parallax(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = parallax_in(dir)
        .args(["--corpus", "c"])
        .args(args)
        .output()
        .unwrap();
    assert_no_panic(&out);
    out
}

/// Every file under `dir` with its content, to compare before and after.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p);
            } else if m.is_file() {
                out.push((p.clone(), fs::read(&p).unwrap()));
            } else {
                out.push((p, Vec::new()));
            }
        }
    }
    out.sort();
    out
}

fn temporary_files(dir: &Path) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.to_string_lossy().contains(".parallax-"))
        .collect()
}

#[track_caller]
fn assert_quiet_about_secret(out: &std::process::Output) {
    assert!(
        !stdout(out).contains(SECRET) && !stderr(out).contains(SECRET),
        "{}\n{}",
        stdout(out),
        stderr(out)
    );
}

#[test]
fn rename_through_a_work_folder_linking_out_is_refused_and_shows_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("outside/w"), 2);
    fs::create_dir_all(tmp.path().join("c")).unwrap();
    symlink(tmp.path().join("outside/w"), tmp.path().join("c/w")).unwrap();
    let before = snapshot(&tmp.path().join("outside"));
    for dry in [true, false] {
        let mut args = vec!["rename", "scene", "s", "s2"];
        if dry {
            args.push("--dry-run");
        }
        let out = parallax(tmp.path(), &args);
        assert_code(&out, 1);
        assert!(
            stderr(&out).contains("leads outside the corpus"),
            "{}",
            stderr(&out)
        );
        assert_quiet_about_secret(&out);
    }
    let out = parallax(tmp.path(), &["merge", "reading", "q", "r"]);
    assert_code(&out, 1);
    assert_quiet_about_secret(&out);
    assert_eq!(snapshot(&tmp.path().join("outside")), before);
}

#[test]
fn rename_through_a_sources_folder_linking_out_is_refused_and_shows_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 0);
    fs::remove_dir(tmp.path().join("c/w/sources")).unwrap();
    work_at(&tmp.path().join("outside"), 2);
    symlink(
        tmp.path().join("outside/sources"),
        tmp.path().join("c/w/sources"),
    )
    .unwrap();
    let before = snapshot(&tmp.path().join("outside"));
    for args in [
        &["rename", "scene", "s", "s2", "--dry-run"][..],
        &["rename", "scene", "s", "s2"],
        &["rename", "source", "s0", "renamed"],
        &["new", "source", "planted"],
    ] {
        let out = parallax(tmp.path(), args);
        assert_code(&out, 1);
        assert_quiet_about_secret(&out);
        assert!(
            stderr(&out).contains("outside the corpus"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot(&tmp.path().join("outside")), before);
}

#[test]
fn a_claim_file_linking_out_is_neither_read_nor_rewritten() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 1);
    fs::create_dir_all(tmp.path().join("outside")).unwrap();
    fs::write(tmp.path().join("outside/x.toml"), claim_file("X")).unwrap();
    symlink(
        tmp.path().join("outside/x.toml"),
        tmp.path().join("c/w/sources/x.toml"),
    )
    .unwrap();
    let out = parallax(tmp.path(), &["rename", "scene", "s", "s2", "--dry-run"]);
    assert_code(&out, 1);
    assert_quiet_about_secret(&out);
    assert_eq!(
        fs::read_to_string(tmp.path().join("outside/x.toml")).unwrap(),
        claim_file("X")
    );
}

#[test]
fn new_source_never_writes_through_a_dangling_link() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 1);
    let target = tmp.path().join("created-by-attack.toml");
    symlink(&target, tmp.path().join("c/w/sources/planted.toml")).unwrap();
    let out = parallax(tmp.path(), &["new", "source", "planted"]);
    assert_code(&out, 1);
    assert!(!target.exists());
    // a dangling sources/ folder is not "nothing there" either
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 0);
    fs::remove_dir(tmp.path().join("c/w/sources")).unwrap();
    let made = tmp.path().join("made-by-attack");
    symlink(&made, tmp.path().join("c/w/sources")).unwrap();
    let out = parallax(tmp.path(), &["new", "source", "x"]);
    assert_code(&out, 1);
    assert!(!made.exists());
}

#[test]
fn import_hypothesis_never_writes_through_a_dangling_link() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), &tmp.path().join("c"));
    let target = tmp.path().join("created-by-attack");
    // the id a document's title gives is predictable
    let planted = tmp
        .path()
        .join("c/anora/sources/anora-ending-explained-what-the-ring-means.toml");
    symlink(&target, &planted).unwrap();
    let fixture = root().join("tests/fixtures/hypothesis/search-result.json");
    let out = parallax(
        tmp.path(),
        &["import", "hypothesis", fixture.to_str().unwrap()],
    );
    assert_code(&out, 1);
    assert!(!target.exists(), "written through the link");
    assert!(stderr(&out).contains("is a link"), "{}", stderr(&out));
    let out = parallax(
        tmp.path(),
        &["import", "hypothesis", fixture.to_str().unwrap(), "--force"],
    );
    assert_code(&out, 1);
    assert!(stderr(&out).contains("link"), "{}", stderr(&out));
    assert!(!target.exists(), "written through the link with --force");
    assert!(temporary_files(tmp.path()).is_empty());
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn a_work_title_cannot_plant_toml_in_a_new_claim_set() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 0);
    let work = WORK.replace(
        "title = \"W\"",
        "title = \"W\\\"\\n[[claim]]\\nscene = \\\"s\\\"\\nreading = \\\"r\\\"\\nsummary = \\\"planted\\\"\\n# \"",
    );
    fs::write(tmp.path().join("c/w/work.toml"), work).unwrap();
    let out = parallax(tmp.path(), &["new", "source", "x"]);
    assert_code(&out, 0);
    let text = fs::read_to_string(tmp.path().join("c/w/sources/x.toml")).unwrap();
    let parsed: toml::Table = text.parse().expect("the template is TOML");
    let claims = parsed["claim"].as_array().unwrap();
    assert_eq!(claims.len(), 1, "{text}");
    assert!(!text.contains("\nsummary = \"planted\""), "{text}");
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn edited_files_keep_their_modes_and_new_ones_follow_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 2);
    let work = tmp.path().join("c/w/work.toml");
    let claims = tmp.path().join("c/w/sources/s0.toml");
    fs::set_permissions(&work, fs::Permissions::from_mode(0o664)).unwrap();
    fs::set_permissions(&claims, fs::Permissions::from_mode(0o640)).unwrap();
    let out = parallax(tmp.path(), &["rename", "scene", "s", "s2"]);
    assert_code(&out, 0);
    assert_eq!((mode(&work), mode(&claims)), (0o664, 0o640));
    let out = parallax(tmp.path(), &["rename", "source", "s0", "moved"]);
    assert_code(&out, 0);
    assert_eq!(mode(&tmp.path().join("c/w/sources/moved.toml")), 0o640);
    for (umask, want) in [("002", 0o664), ("022", 0o644), ("077", 0o600)] {
        let id = format!("new-{umask}");
        let out = Command::new("sh")
            .current_dir(tmp.path())
            .args([
                "-c",
                &format!("umask {umask}; exec \"$0\" --corpus c new source {id}"),
            ])
            .arg(assert_cmd::cargo::cargo_bin("parallax"))
            .output()
            .unwrap();
        assert_code(&out, 0);
        let path = tmp.path().join(format!("c/w/sources/{id}.toml"));
        assert_eq!(mode(&path), want, "umask {umask}");
    }
}

/// Runs parallax with at most 256 open files.
fn with_few_files(dir: &Path, args: &str) -> std::process::Output {
    Command::new("sh")
        .current_dir(dir)
        .args(["-c", &format!("ulimit -n 256 && exec \"$0\" {args}")])
        .arg(assert_cmd::cargo::cargo_bin("parallax"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn a_work_of_1200_sources_renames_with_256_open_files() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 1200);
    let out = with_few_files(tmp.path(), "--corpus c rename reading r renamed");
    assert_code(&out, 0);
    let text = fs::read_to_string(tmp.path().join("c/w/sources/s1199.toml")).unwrap();
    assert!(text.contains("reading = \"renamed\""), "{text}");
    assert!(temporary_files(tmp.path()).is_empty());
}

/// Every claim file of `n` names reading `r`, or every one names `renamed`.
fn all_or_nothing(dir: &Path, n: usize) -> &'static str {
    let (mut old, mut new) = (0, 0);
    for i in 0..n {
        let text = fs::read_to_string(dir.join(format!("c/w/sources/s{i}.toml"))).unwrap();
        if text.contains("reading = \"r\"") {
            old += 1;
        } else if text.contains("reading = \"renamed\"") {
            new += 1;
        }
    }
    let work = fs::read_to_string(dir.join("c/w/work.toml")).unwrap();
    match (old, new, work.contains("id = \"renamed\"")) {
        (o, 0, false) if o == n => "old",
        (0, w, true) if w == n => "new",
        _ => panic!("{old} files old, {new} renamed: half an edit"),
    }
}

#[test]
fn ctrl_c_at_any_moment_leaves_all_or_nothing_and_no_temporary_file() {
    let n = 600;
    let mut seen = Vec::new();
    for delay_ms in [5, 20, 40, 80, 120, 200, 400] {
        let tmp = tempfile::tempdir().unwrap();
        work_at(&tmp.path().join("c/w"), n);
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("parallax"))
            .current_dir(tmp.path())
            .args(["--corpus", "c", "rename", "reading", "r", "renamed"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let state = all_or_nothing(tmp.path(), n);
        match (status.code(), state) {
            (Some(0), "new") | (Some(130) | None, "old") => {}
            other => panic!("after {delay_ms} ms: {other:?}"),
        }
        assert!(
            temporary_files(tmp.path()).is_empty(),
            "after {delay_ms} ms: {:?}",
            temporary_files(tmp.path())
        );
        seen.push(state);
    }
    assert!(seen.contains(&"old"), "{seen:?}");
}

#[test]
fn an_edit_killed_after_its_journal_is_finished_by_the_next_one() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    work_at(&w, 2);
    // what a run killed between two renames leaves: the journal and one staged file
    // (the other already renamed into place)
    let renamed = |t: &str| t.replace("reading = \"r\"", "reading = \"renamed\"");
    let s0 = fs::read_to_string(w.join("sources/s0.toml")).unwrap();
    fs::write(w.join("sources/s0.toml"), renamed(&s0)).unwrap();
    let s1 = fs::read_to_string(w.join("sources/s1.toml")).unwrap();
    fs::write(w.join("sources/.parallax-abc.tmp"), renamed(&s1)).unwrap();
    let new_work = WORK.replace("id = \"r\"", "id = \"renamed\"");
    fs::write(w.join(".parallax-def.tmp"), &new_work).unwrap();
    fs::write(
        w.join(".parallax-edit.journal"),
        "parallax edit journal 1\nput\t.parallax-def.tmp\twork.toml\nput\tsources/.parallax-0.tmp\tsources/s0.toml\nput\tsources/.parallax-abc.tmp\tsources/s1.toml\n",
    )
    .unwrap();
    let out = parallax(tmp.path(), &["rename", "scene", "s", "s2"]);
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("finished an edit"),
        "{}",
        stderr(&out)
    );
    assert_eq!(all_or_nothing(tmp.path(), 2), "new");
    assert!(temporary_files(tmp.path()).is_empty());
    assert!(!w.join(".parallax-edit.journal").exists());
    // a planted journal cannot reach outside the work
    fs::write(
        w.join(".parallax-edit.journal"),
        "parallax edit journal 1\nput\t.parallax-x.tmp\t../../outside.toml\n",
    )
    .unwrap();
    let out = parallax(tmp.path(), &["rename", "scene", "s2", "s3"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("journal"), "{}", stderr(&out));
}

#[test]
fn dry_run_listings_show_control_characters_as_symbols() {
    let tmp = tempfile::tempdir().unwrap();
    work_at(&tmp.path().join("c/w"), 0);
    fs::write(
        tmp.path().join("c/w/sources/a.toml"),
        "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"x \u{9b}31m \u{85} \u{202e}y\"\n",
    )
    .unwrap();
    let out = parallax(tmp.path(), &["rename", "reading", "r", "r2", "--dry-run"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("+reading = \"r2\""), "{text}");
    for raw in ['\u{9b}', '\u{85}', '\u{202e}'] {
        assert!(!text.contains(raw), "{raw:?} in {text}");
    }
    assert!(text.contains("�31m") && text.contains("<U+202E>"), "{text}");
}

//! Finding the corpus from where the user stands: without `--corpus` and `$PARALLAX_CORPUS`,
//! the nearest folder upward that is a corpus root, a work folder (which chooses the work),
//! or holds `interpretations/`.

mod common;

use std::path::{Path, PathBuf};

use common::{assert_code, copy_tree, parallax_in, root, stderr, stdout};

/// A project holding a corpus of two works, `anora` (the bundled one) and `tiny`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("project/interpretations");
    copy_tree(&root().join("interpretations/anora"), &corpus.join("anora"));
    copy_tree(
        &root().join("tests/fixtures/ok/base/tiny"),
        &corpus.join("tiny"),
    );
    std::fs::create_dir_all(dir.path().join("project/notes")).unwrap();
    dir
}

fn list_sources(dir: &Path) -> std::process::Output {
    parallax_in(dir)
        .args(["list", "sources", "--format", "json"])
        .output()
        .unwrap()
}

fn source_ids(out: &std::process::Output) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn inside_a_work_folder_and_below_the_work_is_chosen() {
    let dir = project();
    let work = dir.path().join("project/interpretations/anora");
    for here in [
        work.clone(),
        work.join("sources"),
        work.join("codings/ana"),
        work.join("texts"),
    ] {
        let out = list_sources(&here);
        assert_code(&out, 0);
        assert_eq!(
            source_ids(&out),
            ["car-scene-tears", "ending-explained"],
            "{}",
            here.display()
        );
    }
    // paths in messages are relative to where the user stands
    let out = parallax_in(&work.join("sources"))
        .args(["show", "source", "car-scene-tears", "--format", "json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["file"], "../../anora/sources/car-scene-tears.toml");
    assert_eq!(json["text"]["found"], true);
}

#[test]
fn in_the_corpus_root_and_the_project_every_work_is_there() {
    let dir = project();
    for here in ["project/interpretations", "project", "project/notes"] {
        let here = dir.path().join(here);
        let out = parallax_in(&here)
            .args(["list", "works", "--format", "json"])
            .output()
            .unwrap();
        assert_code(&out, 0);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let works: Vec<&str> = (json["works"].as_array().unwrap().iter())
            .map(|w| w["id"].as_str().unwrap())
            .collect();
        assert_eq!(works, ["anora", "tiny"], "{}", here.display());
        // two works: a view asks which
        let out = list_sources(&here);
        assert_code(&out, 1);
        assert!(
            stderr(&out).contains("choose one with --work"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn the_flag_and_the_environment_win_over_the_folder() {
    let dir = project();
    let work = dir.path().join("project/interpretations/anora");
    let elsewhere = root().join("tests/fixtures/ok/base");
    let out = parallax_in(&work)
        .arg("--corpus")
        .arg(&elsewhere)
        .args(["list", "works", "--format", "json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("\"tiny\"") && !stdout(&out).contains("\"anora\""));
    let out = parallax_in(&work)
        .env("PARALLAX_CORPUS", &elsewhere)
        .args(["list", "works", "--format", "json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(stdout(&out).contains("\"tiny\"") && !stdout(&out).contains("\"anora\""));
    // --work wins over the work folder the user stands in
    let out = parallax_in(&work)
        .args(["--work", "tiny", "list", "sources"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        !stdout(&out).contains("car-scene-tears"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn edits_find_the_corpus_too() {
    let dir = project();
    let sources = dir.path().join("project/interpretations/anora/sources");
    let out = parallax_in(&sources)
        .args(["rename", "scene", "tears", "the-tears", "--dry-run"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("+id = \"the-tears\""),
        "{}",
        stdout(&out)
    );
    let out = parallax_in(&sources)
        .args(["new", "source", "a-new-review", "--title", "A new review"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(sources.join("a-new-review.toml").is_file());
}

/// A folder with no corpus in it or above it: under the system's temporary folder, or
/// another, whichever has no corpus above it on this machine.
fn unrelated() -> Option<tempfile::TempDir> {
    let candidates = [std::env::temp_dir(), PathBuf::from("/var/tmp")];
    for base in candidates {
        let Ok(dir) = tempfile::tempdir_in(&base) else {
            continue;
        };
        if matches!(
            parallax::discover::upward(dir.path()).how,
            parallax::discover::How::NotFound { .. }
        ) {
            return Some(dir);
        }
    }
    None
}

#[test]
fn an_unrelated_folder_gets_an_error_that_says_where_it_looked() {
    let Some(dir) = unrelated() else {
        println!("every temporary folder of this machine lies below a corpus: skipped");
        return;
    };
    let here = dir.path().join("a/b");
    std::fs::create_dir_all(&here).unwrap();
    for args in [
        &["voices"][..],
        &["check"],
        &["list", "sources"],
        &["rename", "scene", "a", "b"],
    ] {
        let out = parallax_in(&here).args(args).output().unwrap();
        assert_code(&out, 1);
        let err = stderr(&out);
        let real = here.canonicalize().unwrap();
        assert!(
            err.contains(&format!(
                "no corpus found in {} or any folder above it",
                real.display()
            )),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("looked in") && err.contains("--corpus"),
            "{err}"
        );
        assert!(stdout(&out).is_empty());
    }
    // a first work starts a corpus where the user stands
    let out = parallax_in(&here)
        .args(["new", "work", "first"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(here.join("interpretations/first/work.toml").is_file());
    // which is found from inside it: its placeholders are reported where they are
    let out = parallax_in(&here.join("interpretations/first"))
        .arg("check")
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("--> ../first/work.toml"),
        "{}",
        stderr(&out)
    );
}

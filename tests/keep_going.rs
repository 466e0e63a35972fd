//! `--keep-going`: views of a corpus with broken claim files show the valid ones and say how
//! many were skipped; without it, or with a broken `work.toml`, views refuse.

mod common;

use common::{assert_code, copy_tree, json, root, run, stderr, stdout};

const BAD: &str = "[source]\ntitle = \"Bad\"\n\n[[claim]]\nscene = \"finalle\"\nreading = \"triumph\"\nsummary = \"x\"\n";

/// The voices fixture with one claim file that names an unknown scene.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("tests/fixtures/voices"), dir.path());
    std::fs::write(dir.path().join("premiere/sources/bad.toml"), BAD).unwrap();
    dir
}

#[test]
fn views_refuse_an_invalid_corpus_without_it() {
    let dir = corpus();
    let out = run(dir.path().to_str().unwrap(), &["matrix"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("unknown scene \"finalle\""));
    assert!(stdout(&out).is_empty());
}

#[test]
fn the_valid_sources_are_shown_and_the_skipped_counted() {
    let dir = corpus();
    let corpus = dir.path().to_str().unwrap();
    let out = run(corpus, &["matrix", "--keep-going"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("1 source skipped for errors (--keep-going): bad"),
        "{text}"
    );
    assert!(text.contains("critic-a"), "{text}");
    let err = stderr(&out);
    assert!(err.contains("unknown scene \"finalle\""), "{err}");
    assert!(err.contains("bad.toml"), "{err}");

    for view in [
        &["agreement"][..],
        &["compare", "critic-a", "critic-b"],
        &["voices"],
    ] {
        let mut args = view.to_vec();
        args.extend(["--keep-going", "--format", "json"]);
        let out = run(corpus, &args);
        assert_code(&out, 0);
        assert_eq!(
            json(&out)["skipped"],
            serde_json::json!(["bad"]),
            "{view:?}"
        );
    }
    let out = run(
        corpus,
        &["list", "sources", "--keep-going", "--format", "json"],
    );
    let ids: Vec<String> = json(&out)["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!ids.contains(&"bad".to_string()) && ids.contains(&"critic-a".to_string()));

    // CSV stays one table: the note is on standard error only
    let out = run(corpus, &["matrix", "--keep-going", "--format", "csv"]);
    assert_code(&out, 0);
    assert!(stdout(&out).starts_with("work,scene,"), "{}", stdout(&out));
}

#[test]
fn a_broken_work_toml_still_stops_the_view() {
    let dir = corpus();
    let work = dir.path().join("premiere/work.toml");
    let text = std::fs::read_to_string(&work).unwrap();
    std::fs::write(&work, text.replace("id = \"kiss\"", "id = \"Kiss\"")).unwrap();
    let out = run(dir.path().to_str().unwrap(), &["matrix", "--keep-going"]);
    assert_code(&out, 1);
    assert!(stdout(&out).is_empty());
}

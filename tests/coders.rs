//! Coders (docs/rules.md#reliability): codings on disk, how they are checked, `--coder` and `list coders`.

mod common;

use common::*;

const OK: &str = "tests/fixtures/coders/ok";
const BAD: &str = "tests/fixtures/coders/bad";

#[test]
fn check_reads_every_coding() {
    let out = run(OK, &["check"]);
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        "checked 1 work, 2 sources, 6 codings, 17 claims: 0 errors, 0 warnings\n"
    );
}

#[test]
fn every_problem_of_every_coding_is_reported_at_its_own_file() {
    let out = run(BAD, &["check", "--format", "json"]);
    assert_code(&out, 1);
    let report = json(&out);
    let at = |d: &serde_json::Value| {
        format!(
            "{}:{}: {}",
            d["file"].as_str().unwrap_or(""),
            d["line"],
            d["message"].as_str().unwrap()
        )
    };
    let errors: Vec<String> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(at)
        .collect();
    let want = [
        "tests/fixtures/coders/bad/w/codings/Bad_Coder:null: coder folder name \"Bad_Coder\" is not a valid id",
        "tests/fixtures/coders/bad/w/codings/al/Not_Kebab.toml:null: source id \"Not_Kebab\" (the file name) is not lowercase kebab-case",
        "tests/fixtures/coders/bad/w/codings/al/a.toml:2: unknown scene \"s9\"",
        "tests/fixtures/coders/bad/w/codings/al/a.toml:9: unknown stance \"endorse\"",
        "tests/fixtures/coders/bad/w/codings/al/y.toml:null: no title for source \"y\": its coding has no [source] table, and the work has no claim set or other coding of it that gives one",
        "tests/fixtures/coders/bad/w/codings/sources:null: coder folder name \"sources\" is reserved: it names a folder of the work",
    ];
    assert_eq!(errors, want);
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(at)
        .collect();
    assert_eq!(
        warnings,
        [
            "tests/fixtures/coders/bad/w/codings/README.txt:null: ignored tests/fixtures/coders/bad/w/codings/README.txt: not a coder's folder",
            "tests/fixtures/coders/bad/w/codings/bo/a.toml:1: the [source] table of this coding differs from the metadata of source \"a\" (`title`: \"Source A, retitled\" here, \"Source A\" there)",
        ]
    );
    // the views refuse a corpus with errors, however they are asked
    let out = run(BAD, &["--coder", "al", "matrix"]);
    assert_code(&out, 1);
}

#[test]
fn a_coding_that_links_out_of_the_corpus_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_tree(&root().join(OK), &corpus);
    let secret = dir.path().join("secret.toml");
    std::fs::write(
        &secret,
        "[[claim]]\nscene = \"s1\"\nreading = \"TOP-SECRET\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, corpus.join("w/codings/al/d.toml")).unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("a.toml"), "TOP-SECRET").unwrap();
    std::os::unix::fs::symlink(&elsewhere, corpus.join("w/codings/eve")).unwrap();
    let out = run(corpus.to_str().unwrap(), &["check"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("codings/al/d.toml leads outside the corpus"),
        "{err}"
    );
    assert!(
        err.contains("codings/eve leads outside the corpus"),
        "{err}"
    );
    assert!(!err.contains("TOP-SECRET"), "{err}");
}

#[test]
fn views_read_one_coders_codings_with_coder() {
    let out = run(OK, &["--coder", "bo", "matrix", "--format", "json"]);
    assert_code(&out, 0);
    let m = json(&out);
    let sources: Vec<&str> = m["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(sources, ["a", "b"]);
    // bo's coding of b: r3 of s1 (the claim set says r2)
    let out = run(OK, &["--coder", "bo", "scene", "s1", "--format", "json"]);
    let claims = json(&out)["claims"].clone();
    let of_b: Vec<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "b")
        .map(|c| c["reading"].as_str().unwrap())
        .collect();
    assert_eq!(of_b, ["r3"]);
    // a coding takes its source's metadata: the title of sources/a.toml
    let out = run(
        OK,
        &["--coder", "cy", "list", "sources", "--format", "json"],
    );
    let list = json(&out);
    let titles: Vec<&str> = list["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Source A", "Source C"]);
}

#[test]
fn an_unknown_coder_is_an_error_with_a_suggestion() {
    let out = run(OK, &["--coder", "bob", "matrix"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("unknown coder \"bob\" in work \"w\""), "{err}");
    assert!(err.contains("did you mean \"bo\"?"), "{err}");
}

#[test]
fn list_coders_shows_who_coded_what() {
    let out = run(OK, &["list", "coders", "--format", "csv"]);
    assert_code(&out, 0);
    insta::assert_snapshot!(stdout(&out), @r"
    coder,codings,claims,sources
    al,2,6,a; b
    bo,2,5,a; b
    cy,2,2,a; c
    ");
}

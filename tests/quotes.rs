//! Quote checking end to end (docs/formats.md#archived-texts): archived texts written for the purpose, quotes that
//! must be found despite what copying does to text, and quotes that must not be.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_code, json, parallax_in, stderr, stdout};

/// The archived text: curly quotes, em dashes, a sentence broken across a line, a
/// no-break space.
const TEXT: &str = "The car scene is the film\u{2019}s last word. \u{201C}It\u{2019}s not about something she\u{2019}s giving to him,\u{201D} the director said\u{2014}it is about her.\n\nCrying before reaching a safe place would be perceived as weakness. Yet after everything has been\nstripped away, she finally releases the built-up tension, stress and anger.\u{a0}That is when she cries.\n\nThe silent credits force viewers to sit with her pain.\n";

const WORK: &str = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"car\"\ntitle = \"Car\"\n\n[[reading]]\nid = \"power\"\nlabel = \"Power\"\n";

/// A corpus in a temporary folder with one source quoting `TEXT`; returns the folder.
fn corpus(text_value: &str, quotes: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("c/w");
    fs::create_dir_all(work.join("sources")).unwrap();
    fs::create_dir_all(work.join("texts")).unwrap();
    fs::write(work.join("work.toml"), WORK).unwrap();
    fs::write(work.join("texts/article.txt"), TEXT).unwrap();
    let mut claims = format!("[source]\ntitle = \"S\"\ntext = {text_value:?}\n");
    for (i, q) in quotes.iter().enumerate() {
        claims.push_str(&format!("\n[[claim]]\nscene = \"car\"\nreading = \"power\"\nsummary = \"claim {i}\"\nquote = {}\n", toml::Value::from(*q)));
    }
    fs::write(work.join("sources/s.toml"), claims).unwrap();
    dir
}

fn check(dir: &Path, extra: &[&str]) -> std::process::Output {
    parallax_in(dir)
        .args(["--corpus", "c", "check"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn quotes_are_found_despite_what_copying_does() {
    let dir = corpus(
        "article.txt",
        &[
            "The car scene is the film\u{2019}s last word.", // exact
            "\"It's not about something she's giving to him,\" the director said-it is about her.", // straight quotes, a hyphen for the dash
            "Yet after everything has been stripped away, she finally releases", // over a line break
            "the built-up tension, stress and anger. That is when she cries.",   // a no-break space
            "Crying before reaching a safe place … she finally releases the built-up tension", // elided
            "The car scene ... is about her.", // elided with dots
        ],
    );
    let out = check(dir.path(), &["--format", "json"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert_eq!(report["quotes_checked"], 6);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report}");
}

#[test]
fn straight_text_matches_curly_quotes_too() {
    let dir = corpus("article.txt", &["\u{201C}It\u{2019}s not about something"]);
    let work = dir.path().join("c/w/texts/article.txt");
    fs::write(
        &work,
        TEXT.replace(['\u{201C}', '\u{201D}'], "\"")
            .replace('\u{2019}', "'"),
    )
    .unwrap();
    assert_code(&check(dir.path(), &[]), 0);
}

#[test]
fn a_changed_word_is_reported_with_the_passage_and_a_diff() {
    let dir = corpus(
        "article.txt",
        &[
            "The car scene is the film\u{2019}s last word.",
            "The silent credits force viewers to live with her pain.",
        ],
    );
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("error: quote not found in c/w/texts/article.txt"),
        "{err}"
    );
    assert!(
        err.contains("--> c/w/sources/s.toml:15:9"),
        "at the quote's line and column:\n{err}"
    );
    assert!(
        err.contains("The silent credits force viewers to sit with her pain."),
        "the closest passage:\n{err}"
    );
    assert!(err.contains("[-live-]{+sit+}"), "the word diff:\n{err}");
    insta::assert_snapshot!("quote-one-word-changed", err);
}

#[test]
fn elided_parts_out_of_order_and_foreign_quotes_are_not_found() {
    let dir = corpus(
        "article.txt",
        &[
            "she finally releases … Crying before reaching a safe place",
            "Anora stunned audiences with its raw portrayal of love, power, and identity",
        ],
    );
    let out = check(dir.path(), &["--format", "json"]);
    assert_code(&out, 1);
    let errors = json(&out)["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["line"], 9);
    assert_eq!(errors[1]["line"], 15);
}

#[test]
fn case_is_not_folded() {
    let dir = corpus(
        "article.txt",
        &["the car scene is the film\u{2019}s last word."],
    );
    assert_code(&check(dir.path(), &[]), 1);
}

#[test]
fn texts_are_also_looked_for_in_the_texts_option() {
    let dir = corpus(
        "elsewhere.txt",
        &["The silent credits force viewers to sit with her pain."],
    );
    // not found anywhere: a warning, and an error only with --strict
    let out = check(dir.path(), &["--format", "json"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert!(
        report["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"elsewhere.txt\" not found"),
        "{report}"
    );
    assert_eq!(report["warnings"][0]["line"], 3);
    assert_code(&check(dir.path(), &["--strict"]), 1);

    let archive = dir.path().join("archive");
    fs::create_dir(&archive).unwrap();
    fs::write(archive.join("elsewhere.txt"), TEXT).unwrap();
    let out = check(dir.path(), &["--texts", "archive", "--format", "json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["quotes_checked"], 1);
}

#[test]
fn a_text_is_a_plain_file_name() {
    for bad in ["../secret.txt", "/etc/passwd", "sub/file.txt"] {
        let dir = corpus(bad, &["The car scene"]);
        let out = check(dir.path(), &["--format", "json"]);
        assert_code(&out, 1);
        let error = &json(&out)["errors"][0];
        assert_eq!(error["line"], 3, "{bad}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("plain file name"),
            "{bad}: {error}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_texts_folder_is_refused() {
    let dir = corpus("linked.txt", &["The car scene"]);
    let outside = dir.path().join("outside.txt");
    fs::write(&outside, TEXT).unwrap();
    std::os::unix::fs::symlink(&outside, dir.path().join("c/w/texts/linked.txt")).unwrap();
    let out = check(dir.path(), &[]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("resolves outside"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_bundled_corpus_quotes_its_seeds() {
    // the bundled corpus keeps its texts: a plain check checks every quote
    let seeds = common::root().join("interpretations/anora/texts");
    let out = parallax_in(common::root())
        .args(["--corpus", "interpretations", "check", "--strict"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains(" quotes: 0 errors"),
        "{}",
        stdout(&out)
    );

    // one word changed in a copy of the corpus: an error with the diff
    let copy = tempfile::tempdir().unwrap();
    let src = common::root().join("interpretations/anora");
    let dst = copy.path().join("anora");
    fs::create_dir_all(dst.join("sources")).unwrap();
    fs::copy(src.join("work.toml"), dst.join("work.toml")).unwrap();
    for entry in fs::read_dir(src.join("sources")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "signifies her reclaiming power",
            "shows her reclaiming power",
        );
        fs::write(dst.join("sources").join(path.file_name().unwrap()), text).unwrap();
    }
    let out = parallax_in(common::root())
        .arg("--corpus")
        .arg(copy.path())
        .arg("check")
        .arg("--texts")
        .arg(&seeds)
        .output()
        .unwrap();
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("[-shows-]{+signifies+}"),
        "{}",
        stderr(&out)
    );
}

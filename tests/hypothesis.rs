//! `import hypothesis`: annotations in the shape the Hypothesis API returns become claim
//! sets that `check` accepts; annotations that cannot be claims are named with their reason;
//! nothing is replaced without `--force`, and `--dry-run` writes nothing.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_code, copy_tree, root, run, stderr, stdout};

const FIXTURES: &str = "tests/fixtures/hypothesis";

/// A copy of the bundled corpus (a work with a people registry) to import into.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), dir.path());
    dir
}

fn fixture(name: &str) -> String {
    root()
        .join(FIXTURES)
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn sources_dir(corpus: &Path) -> PathBuf {
    corpus.join("anora/sources")
}

fn source_files(corpus: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(sources_dir(corpus))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn import(corpus: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import", "hypothesis"];
    all.extend_from_slice(args);
    run(corpus.to_str().unwrap(), &all)
}

fn parse(path: &Path) -> toml::Table {
    fs::read_to_string(path)
        .unwrap()
        .parse()
        .expect("valid TOML")
}

const ARTICLE: &str = "anora-ending-explained-what-the-ring-means.toml";
const VIDEO: &str = "anora-s-ending-scene-by-scene-video-essay.toml";

#[test]
fn good_annotations_become_claim_sets_that_check_accepts_and_bad_ones_are_named() {
    let corpus = corpus();
    let out = import(corpus.path(), &[&fixture("search-result.json")]);
    assert_code(&out, 0);
    let err = stderr(&out);
    for (id, reason) in [
        ("kX1mT3aBEe-no-scene", "no scene:ID tag"),
        (
            "kX1mT3aBEe-two-readings",
            "2 reading tags (\"grief-release\", \"vulnerability\")",
        ),
        ("kX1mT3aBEe-unknown-scene", "unknown scene \"car-encountr\""),
        ("kX1mT3aBEe-reply", "a reply to another annotation"),
        ("kX1mT3aBEe-highlight-only", "no text and no quote"),
        (
            "kX1mT3aBEe-unknown-person",
            "unknown person \"Somebody Else\"",
        ),
        ("kX1mT3aBEe-bad-stance", "unknown stance \"endorse\""),
        (
            "kX1mT3aBEe-duplicate",
            "the same claim as annotation \"kX1mT3aBEe-good-tears\"",
        ),
        ("kX1mT3aBEe-no-uri", "no document uri"),
    ] {
        let line = format!("warning: annotation \"{id}\" not imported: {reason}");
        assert!(err.contains(&line), "missing {line:?} in:\n{err}");
    }
    assert!(err.contains("did you mean \"car-encounter\""), "{err}");
    assert!(err.contains("did you mean \"endorses\"?"), "{err}");
    assert!(stdout(&out).contains("9 of 15 annotations not imported"));

    let files = source_files(corpus.path());
    assert!(
        files.contains(&ARTICLE.to_string()) && files.contains(&VIDEO.to_string()),
        "{files:?}"
    );
    let check = run(
        corpus.path().to_str().unwrap(),
        &["check", "--format", "json"],
    );
    assert_code(&check, 0);

    let article = parse(&sources_dir(corpus.path()).join(ARTICLE));
    let source = &article["source"];
    assert_eq!(
        source["title"].as_str(),
        Some("Anora Ending Explained: What the Ring Means")
    );
    assert_eq!(
        source["url"].as_str(),
        Some("https://www.example.org/film/anora-ending-explained/")
    );
    assert_eq!(source["kind"].as_str(), Some("article"));
    let claims = article["claim"].as_array().unwrap();
    assert_eq!(claims.len(), 5);
    let field = |i: usize, k: &str| claims[i].get(k).and_then(|v| v.as_str());
    assert_eq!(
        field(0, "quote"),
        Some("Ani finally releases the built-up tension")
    );
    assert_eq!(field(0, "stance"), Some("endorses"), "the default stance");
    // aliases resolve to ids; a person alias to the registry's name
    assert_eq!(
        (field(1, "scene"), field(1, "reading")),
        (Some("ring-return"), Some("transaction"))
    );
    assert_eq!(field(1, "stance"), Some("rejects"));
    assert_eq!(field(2, "attributed_to"), Some("Sean Baker"));
    assert_eq!(field(2, "via"), Some("IndieWire interview"));
    assert_eq!(field(3, "quote"), None, "a page note has no quote");
    // hostile text comes back as its Markdown's plain text (a line break inside a
    // paragraph is a space, inline HTML goes), escaped in the TOML
    assert_eq!(
        field(4, "summary"),
        Some(
            "She said \"\"\"enough\"\"\" — and left. 'Single' \"double\" \\backslash\\  \u{7}bell \u{1b}[31mred"
        )
    );
    assert_eq!(
        field(4, "quote"),
        Some("\"\"\"quoted\"\"\" '''too''' [x] = y")
    );

    let video = parse(&sources_dir(corpus.path()).join(VIDEO));
    assert_eq!(video["source"]["kind"].as_str(), Some("video"));
    assert_eq!(video["claim"][0]["scene"].as_str(), Some("silent-credits"));
}

#[test]
fn an_existing_claim_set_is_replaced_only_with_force() {
    let corpus = corpus();
    assert_code(&import(corpus.path(), &[&fixture("search-result.json")]), 0);
    let path = sources_dir(corpus.path()).join(ARTICLE);
    fs::write(&path, fs::read_to_string(&path).unwrap() + "# my edit\n").unwrap();

    let out = import(corpus.path(), &[&fixture("search-result.json")]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains(&format!("{ARTICLE} exists")), "{err}");
    assert!(err.contains("--force replaces it") && err.contains("nothing was written"));
    assert!(
        fs::read_to_string(&path).unwrap().ends_with("# my edit\n"),
        "left alone"
    );

    let out = import(
        corpus.path(),
        &[&fixture("search-result.json"), "--dry-run"],
    );
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains(&format!("warning: {}", path.display())),
        "{}",
        stderr(&out)
    );
    assert!(
        fs::read_to_string(&path).unwrap().ends_with("# my edit\n"),
        "a dry run writes nothing"
    );

    let out = import(corpus.path(), &[&fixture("search-result.json"), "--force"]);
    assert_code(&out, 0);
    assert!(
        !fs::read_to_string(&path).unwrap().contains("# my edit"),
        "replaced"
    );
    assert_eq!(
        source_files(corpus.path()).len(),
        4,
        "replaced, not added again"
    );
}

#[test]
fn dry_run_prints_the_claim_sets_and_writes_nothing() {
    let corpus = corpus();
    let before = source_files(corpus.path());
    let out = import(
        corpus.path(),
        &[&fixture("search-result.json"), "--dry-run"],
    );
    assert_code(&out, 0);
    assert_eq!(source_files(corpus.path()), before);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("/anora/sources/{ARTICLE}\n")),
        "{text}"
    );
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "control characters are escaped"
    );
    let table: toml::Table = text
        .split(&format!("/anora/sources/{VIDEO}"))
        .next()
        .unwrap()
        .parse()
        .expect("each printed claim set is TOML");
    assert_eq!(table["claim"].as_array().unwrap().len(), 5);
}

#[test]
fn ids_come_from_the_url_on_request_and_a_document_keeps_its_id() {
    let corpus = corpus();
    let out = import(
        corpus.path(),
        &[&fixture("search-result.json"), "--source-id-from", "url"],
    );
    assert_code(&out, 0);
    let files = source_files(corpus.path());
    for id in [
        "example-org-film-anora-ending-explained",
        "youtube-com-watch",
    ] {
        assert!(files.contains(&format!("{id}.toml")), "{files:?}");
    }
    // the same documents again, ids from titles: found by their url, so not added twice
    let out = import(corpus.path(), &[&fixture("search-result.json")]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("example-org-film-anora-ending-explained.toml exists"));
    assert_eq!(source_files(corpus.path()), files);
}

#[test]
fn another_document_with_the_same_title_gets_another_id() {
    let corpus = corpus();
    assert_code(&import(corpus.path(), &[&fixture("search-result.json")]), 0);
    let other = tempfile::NamedTempFile::new().unwrap();
    let json = fs::read_to_string(fixture("search-result.json"))
        .unwrap()
        .replace(
            "https://www.example.org/film/anora-ending-explained/",
            "https://elsewhere.example/x",
        )
        .replace("watch?v=anora-ending", "watch?v=another");
    fs::write(other.path(), json).unwrap();
    assert_code(&import(corpus.path(), &[other.path().to_str().unwrap()]), 0);
    let files = source_files(corpus.path());
    for id in [
        "anora-ending-explained-what-the-ring-means-2",
        "anora-s-ending-scene-by-scene-video-essay-2",
    ] {
        assert!(files.contains(&format!("{id}.toml")), "{files:?}");
    }
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
}

#[test]
fn bare_lists_and_w3c_annotations_are_read() {
    let corpus = corpus();
    let out = import(corpus.path(), &[&fixture("bare-list.json")]);
    assert_code(&out, 0);
    assert!(stderr(&out).contains("\"bL3aRe-bad\" not imported: no scene:ID tag"));
    let set = parse(&sources_dir(corpus.path()).join("anora-interview-pdf.toml"));
    assert_eq!(
        set["source"]["url"].as_str(),
        Some("urn:x-pdf:6b1c2d9e3f4a5b6c7d8e9f0a1b2c3d4e")
    );
    assert_eq!(
        set["claim"][0]["attributed_to"].as_str(),
        Some("Mikey Madison")
    );

    let out = import(corpus.path(), &[&fixture("w3c.json")]);
    assert_code(&out, 0);
    let check = run(corpus.path().to_str().unwrap(), &["check"]);
    assert_code(&check, 0);
}

#[test]
fn nothing_importable_or_not_an_export_is_an_error_and_writes_nothing() {
    let corpus = corpus();
    let before = source_files(corpus.path());
    for (file, message) in [
        ("none-valid.json", "none of the 2 annotations"),
        ("not-an-export.json", "not a Hypothesis export"),
        ("no-such-file.json", "cannot read"),
    ] {
        let out = import(corpus.path(), &[&fixture(file)]);
        assert_code(&out, 1);
        assert!(stderr(&out).contains(message), "{file}: {}", stderr(&out));
    }
    assert_eq!(source_files(corpus.path()), before);
}

#[test]
fn without_a_registry_by_is_free_text() {
    let corpus = tempfile::tempdir().unwrap();
    copy_tree(&root().join("tests/fixtures/ok/base"), corpus.path());
    let json = r#"[{"id": "a1", "uri": "https://example.net/tiny", "text": "Hopeful.",
        "tags": ["scene:start", "reading:optimism", "by:Some Critic", "via:a podcast"],
        "target": [{"source": "https://example.net/tiny"}], "document": {"title": ["Tiny Notes"]}}]"#;
    let file = corpus.path().join("annotations.json");
    fs::write(&file, json).unwrap();
    let out = import(corpus.path(), &[file.to_str().unwrap()]);
    assert_code(&out, 0);
    let set = parse(&corpus.path().join("tiny/sources/tiny-notes.toml"));
    let claim = &set["claim"][0];
    assert_eq!(claim["scene"].as_str(), Some("opening"));
    assert_eq!(claim["reading"].as_str(), Some("hope"));
    assert_eq!(claim["attributed_to"].as_str(), Some("Some Critic"));
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
}

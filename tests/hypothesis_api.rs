//! `import hypothesis` against a response shaped like the real API's: hidden and flagged
//! (moderated) annotations are skipped and reported unless `--include-hidden`; replies in
//! `replies` lists are reported like replies; one article reached through tracking links,
//! `http`, a fragment or no trailing slash is one source, matched to an existing one with
//! the same address; a claim without a quote is warned about; Markdown becomes plain text;
//! `--coder` and `--coder-per-user` write codings.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_code, copy_tree, root, run, stderr, stdout};

const API: &str = "tests/fixtures/hypothesis/api-moderated.json";
const ID: &str = "anora-ending-explained-what-the-ring-means";

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), dir.path());
    dir
}

fn import(corpus: &Path, args: &[&str]) -> std::process::Output {
    let fixture = root().join(API);
    let mut all = vec!["import", "hypothesis", fixture.to_str().unwrap()];
    all.extend_from_slice(args);
    run(corpus.to_str().unwrap(), &all)
}

fn claims(path: &Path) -> Vec<toml::Value> {
    let table: toml::Table = fs::read_to_string(path).unwrap().parse().unwrap();
    table["claim"].as_array().unwrap().clone()
}

#[test]
fn moderated_annotations_and_replies_are_reported_and_one_article_is_one_source() {
    let corpus = corpus();
    let out = import(corpus.path(), &[]);
    assert_code(&out, 0);
    let err = stderr(&out);
    for line in [
        "annotation \"J0nD0eHidden\" not imported: hidden by a moderator",
        "annotation \"Qm1aR1aFlagged\" not imported: flagged for moderation",
        "annotation \"Qm1aR1aNested\" not imported: a reply to another annotation",
        "annotation \"J0nD0eReply\" not imported: a reply to another annotation",
        "annotation \"J0nD0ePage\" imported without a quote",
        "--include-hidden",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    assert!(
        stdout(&out).contains("4 of 8 annotations not imported"),
        "{}",
        stdout(&out)
    );
    let sources = corpus.path().join("anora/sources");
    assert_eq!(
        fs::read_dir(&sources).unwrap().count(),
        3,
        "one new source, not four"
    );
    let file = sources.join(format!("{ID}.toml"));
    let table: toml::Table = fs::read_to_string(&file).unwrap().parse().unwrap();
    assert_eq!(
        table["source"]["url"].as_str(),
        Some("https://www.example.org/film/anora-ending-explained/"),
        "the address kept without its tracking parameters"
    );
    let claims = claims(&file);
    assert_eq!(claims.len(), 4);
    assert_eq!(
        claims[0]["summary"].as_str(),
        Some(
            "Her tears let out everything she held back — see the review.\n\nA release, not a collapse."
        ),
        "Markdown made plain"
    );
    assert!(claims[2].get("quote").is_none());
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);

    // the same article again, through its other addresses: it is the source imported before
    let out = import(corpus.path(), &[]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains(&format!("{ID}.toml exists")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn include_hidden_takes_moderated_annotations() {
    let corpus = corpus();
    let out = import(corpus.path(), &["--include-hidden", "--dry-run"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("# annotation J0nD0eHidden") && text.contains("# annotation Qm1aR1aFlagged"),
        "{text}"
    );
    assert!(!stderr(&out).contains("hidden by a moderator"));
}

#[test]
fn each_user_becomes_a_coder_or_one_coder_takes_all() {
    let corpus = corpus();
    let out = import(corpus.path(), &["--coder-per-user"]);
    assert_code(&out, 0);
    let codings = corpus.path().join("anora/codings");
    let maria = claims(&codings.join(format!("maria-k/{ID}.toml")));
    let jon = claims(&codings.join(format!("jon-doe/{ID}.toml")));
    assert_eq!((maria.len(), jon.len()), (2, 2));
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
    let list = run(corpus.path().to_str().unwrap(), &["list", "coders"]);
    assert!(stdout(&list).contains("maria-k") && stdout(&list).contains("jon-doe"));

    let corpus = self::corpus();
    let out = run(
        corpus.path().to_str().unwrap(),
        &[
            "--coder",
            "desk",
            "import",
            "hypothesis",
            root().join(API).to_str().unwrap(),
        ],
    );
    assert_code(&out, 0);
    let desk = claims(&corpus.path().join(format!("anora/codings/desk/{ID}.toml")));
    assert_eq!(desk.len(), 4);

    let out = run(
        corpus.path().to_str().unwrap(),
        &[
            "--coder",
            "Not A Coder",
            "import",
            "hypothesis",
            root().join(API).to_str().unwrap(),
        ],
    );
    assert_code(&out, 1);
}

#[test]
fn an_article_imported_under_another_address_joins_its_source() {
    let corpus = corpus();
    let file = corpus.path().join("anora/sources/ending-explained.toml");
    let text = fs::read_to_string(&file).unwrap().replacen(
        "[source]\n",
        "[source]\nurl = \"http://example.org/film/anora-ending-explained\"\n",
        1,
    );
    fs::write(&file, text).unwrap();
    let out = import(corpus.path(), &["--dry-run"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("sources/ending-explained.toml\n"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("ending-explained.toml exists"),
        "{}",
        stderr(&out)
    );
}

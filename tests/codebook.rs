//! Changing the codebook and starting files: `rename`, `merge`, `new source`, `new work`.
//!
//! Every edit runs on a copy of a fixture in a temporary folder. The rename tests compare
//! each file byte for byte with the original in which only the renamed ids differ.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_code, json, root, run_in, stderr, stdout};

const FIVE: &str = "tests/fixtures/codebook/five-files";

/// A copy of a fixture corpus in a temporary folder, as `corpus`.
fn copy(fixture: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(&root().join(fixture), &tmp.path().join("corpus"));
    tmp
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(base).unwrap().into(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `text` with every TOML string value `"old"` (after an `=`, or an element of an array)
/// written `"new"`: what a rename should change, and nothing else.
fn renamed(text: &[u8], old: &str, new: &str) -> Vec<u8> {
    let text = String::from_utf8(text.to_vec()).unwrap();
    let needle = format!("\"{old}\"");
    let replacement = format!("\"{new}\"");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find(&needle) {
        let before = rest[..i].trim_end();
        let is_value = before.ends_with('=') || before.ends_with('[') || before.ends_with(',');
        out.push_str(&rest[..i]);
        out.push_str(if is_value { &replacement } else { &needle });
        rest = &rest[i + needle.len()..];
    }
    out.push_str(rest);
    out.into_bytes()
}

fn parallax(dir: &Path, args: &[&str]) -> std::process::Output {
    run_in(dir, "corpus", args)
}

#[test]
fn a_rename_across_five_files_changes_only_the_ids() {
    let tmp = copy(FIVE);
    let before = tree(tmp.path());
    let out = parallax(tmp.path(), &["rename", "scene", "opening", "prologue"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("renamed scene \"opening\" to \"prologue\": 4 files changed"),
        "{}",
        stdout(&out)
    );
    let after = tree(tmp.path());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, old) in &before {
        let expected = renamed(old, "opening", "prologue");
        assert_eq!(
            String::from_utf8_lossy(&after[path]),
            String::from_utf8_lossy(&expected),
            "{}",
            path.display()
        );
    }
    // the claim naming the scene by an alias keeps it; the CRLF file and the BOM stay
    let beta = Path::new("corpus/tiny/sources/beta.toml");
    assert_eq!(before[beta], after[beta]);
    assert!(after[Path::new("corpus/tiny/sources/delta.toml")].starts_with(b"\xEF\xBB\xBF"));
    let gamma =
        String::from_utf8(after[Path::new("corpus/tiny/sources/gamma.toml")].clone()).unwrap();
    assert_eq!(gamma.matches("\r\n").count(), gamma.matches('\n').count());
    // a literal quote holding the old id is text, not an id
    let delta =
        String::from_utf8_lossy(&after[Path::new("corpus/tiny/sources/delta.toml")]).into_owned();
    assert!(delta.contains("'A literal \"opening\" quote.'"), "{delta}");
    assert_code(&parallax(tmp.path(), &["check", "--strict"]), 0);
}

#[test]
fn a_reading_rename_follows_excludes_and_keeps_an_alias() {
    let tmp = copy(FIVE);
    let before = tree(tmp.path());
    let out = parallax(
        tmp.path(),
        &["rename", "reading", "hope", "optimism", "--keep-alias"],
    );
    assert_code(&out, 0);
    let work = fs::read_to_string(tmp.path().join("corpus/tiny/work.toml")).unwrap();
    assert!(work.contains("id = \"optimism\"\nlabel = \"Hope\"\nexcludes = [\"despair\"]   # hope and despair cannot both hold\naliases = [\"hope\"]\n"), "{work}");
    assert!(work.contains("excludes = [ \"optimism\" ]"), "{work}");
    let alpha = Path::new("corpus/tiny/sources/alpha.toml");
    assert_eq!(
        String::from_utf8(tree(tmp.path())[alpha].clone()).unwrap(),
        String::from_utf8(renamed(&before[alpha], "hope", "optimism")).unwrap()
    );
    // the old id still works on the command line
    let out = parallax(tmp.path(), &["scene", "opening", "--format", "json"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("\"optimism\""));
    assert_code(&parallax(tmp.path(), &["check"]), 0);
}

#[test]
fn a_rename_that_would_collide_changes_nothing() {
    let tmp = copy(FIVE);
    let before = tree(tmp.path());
    for (args, message) in [
        (
            ["rename", "scene", "opening", "finale"],
            "scene \"finale\" already has that id",
        ),
        (
            ["rename", "scene", "finale", "start"],
            "it is a name of scene \"opening\" (\"start\")",
        ),
        (
            ["rename", "reading", "hope", "gloom"],
            "it is a name of reading \"despair\"",
        ),
        (
            ["rename", "person", "the-director", "the-actress"],
            "person \"the-actress\" already has that id",
        ),
        (
            ["rename", "scene", "nope", "other"],
            "unknown scene \"nope\"",
        ),
        (
            ["rename", "scene", "start", "other"],
            "\"start\" is an alias of scene \"opening\"",
        ),
        (
            ["rename", "scene", "opening", "Grand_Opening"],
            "is not lowercase kebab-case",
        ),
        (
            ["rename", "source", "alpha", "beta"],
            "beta.toml already exists",
        ),
    ] {
        let out = parallax(tmp.path(), &args);
        assert_code(&out, 1);
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert_eq!(tree(tmp.path()), before, "{args:?} changed a file");
    }
}

/// A person's own alias is theirs: renaming their id to it is no collision with another.
#[test]
fn renaming_a_person_updates_claims_naming_the_id() {
    let tmp = copy(FIVE);
    let out = parallax(tmp.path(), &["rename", "person", "the-director", "auteur"]);
    assert_code(&out, 0);
    let beta = fs::read_to_string(tmp.path().join("corpus/tiny/sources/beta.toml")).unwrap();
    assert!(beta.contains("attributed_to = \"auteur\""), "{beta}");
    // a claim naming the person by an alias keeps it
    let delta = fs::read_to_string(tmp.path().join("corpus/tiny/sources/delta.toml")).unwrap();
    assert!(delta.contains("attributed_to = \"Director\""), "{delta}");
    assert_code(&parallax(tmp.path(), &["check"]), 0);
}

#[test]
fn renaming_a_source_renames_its_file() {
    let tmp = copy(FIVE);
    let old = fs::read(tmp.path().join("corpus/tiny/sources/alpha.toml")).unwrap();
    let out = parallax(tmp.path(), &["rename", "source", "alpha", "alpha-review"]);
    assert_code(&out, 0);
    assert!(!tmp.path().join("corpus/tiny/sources/alpha.toml").exists());
    assert_eq!(
        fs::read(tmp.path().join("corpus/tiny/sources/alpha-review.toml")).unwrap(),
        old
    );
    let out = parallax(tmp.path(), &["list", "sources", "--format", "json"]);
    assert!(stdout(&out).contains("alpha-review"), "{}", stdout(&out));
    // no temporary file left behind
    let names: Vec<String> = fs::read_dir(tmp.path().join("corpus/tiny/sources"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn a_dry_run_prints_a_diff_and_changes_nothing() {
    let tmp = copy(FIVE);
    let before = tree(tmp.path());
    let out = parallax(
        tmp.path(),
        &["rename", "scene", "opening", "prologue", "--dry-run"],
    );
    assert_code(&out, 0);
    let diff = stdout(&out);
    assert!(
        diff.contains("--- corpus/tiny/work.toml\n+++ corpus/tiny/work.toml\n"),
        "{diff}"
    );
    assert!(diff.contains("-id = \"opening\"          # the opening scene, by id\n+id = \"prologue\"          # the opening scene, by id\n"), "{diff}");
    assert!(!diff.contains("beta.toml"), "{diff}");
    assert_eq!(tree(tmp.path()), before);
    let out = parallax(tmp.path(), &["rename", "source", "alpha", "a", "--dry-run"]);
    assert_eq!(
        stdout(&out),
        "rename corpus/tiny/sources/alpha.toml → corpus/tiny/sources/a.toml\n"
    );
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn an_invalid_work_is_not_edited() {
    let tmp = copy("tests/fixtures/bad/unknown-scene");
    let before = tree(tmp.path());
    let out = parallax(tmp.path(), &["rename", "scene", "finale", "ending"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("unknown scene \"finalle\""), "{err}");
    assert!(
        err.contains("nothing was changed: the work has 1 error"),
        "{err}"
    );
    assert_eq!(tree(tmp.path()), before);
}

#[test]
fn merging_a_reading_moves_its_claims_and_keeps_one_of_each_duplicate() {
    let tmp = copy(FIVE);
    // alpha gets a claim that becomes equal to its first one once despair is hope
    let alpha = tmp.path().join("corpus/tiny/sources/alpha.toml");
    let mut text = fs::read_to_string(&alpha).unwrap();
    text.push_str("\n[[claim]]\nscene = \"opening\"\nreading = \"gloom\"\nsummary = \"\"\"The opening is hopeful,\nand says so twice.\"\"\"\n");
    fs::write(&alpha, &text).unwrap();
    assert_code(&parallax(tmp.path(), &["check"]), 0);

    let out = parallax(
        tmp.path(),
        &["merge", "reading", "despair", "hope", "--keep-alias"],
    );
    assert_code(&out, 0);
    let said = stdout(&out);
    assert!(
        said.contains("merged reading \"despair\" into \"hope\": 4 claims moved"),
        "{said}"
    );
    assert!(said.contains("1 that became duplicates removed"), "{said}");

    let work = fs::read_to_string(tmp.path().join("corpus/tiny/work.toml")).unwrap();
    assert!(!work.contains("id = \"despair\""), "{work}");
    // hope excluded despair: once one reading, it excludes nothing of itself
    assert!(work.contains("excludes = []   # hope and despair cannot both hold\naliases = [\"despair\", \"gloom\"]"), "{work}");
    assert!(work.contains("# --- readings ---"), "comments kept: {work}");

    let alpha = fs::read_to_string(&alpha).unwrap();
    assert_eq!(alpha.matches("[[claim]]").count(), 2, "{alpha}");
    // the rejecting claim is another claim (other stance, other words): it stays
    assert!(
        alpha.contains(
            "scene   =   \"opening\"   # spaced out\nreading = \"hope\"\nstance = \"rejects\""
        ),
        "{alpha}"
    );
    let beta = fs::read_to_string(tmp.path().join("corpus/tiny/sources/beta.toml")).unwrap();
    assert!(
        beta.contains("reading = \"gloom\""),
        "an alias kept with --keep-alias: {beta}"
    );

    let out = parallax(tmp.path(), &["check", "--format", "json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["claims"], 7);
}

#[test]
fn merging_without_keep_alias_renames_the_aliases_in_claims() {
    let tmp = copy(FIVE);
    let out = parallax(tmp.path(), &["merge", "reading", "despair", "grief"]);
    assert_code(&out, 0);
    let beta = fs::read_to_string(tmp.path().join("corpus/tiny/sources/beta.toml")).unwrap();
    assert!(beta.contains("reading = \"grief\""), "{beta}");
    let work = fs::read_to_string(tmp.path().join("corpus/tiny/work.toml")).unwrap();
    assert!(!work.contains("gloom"), "{work}");
    // hope excluded despair: it now excludes grief (already said by grief itself)
    assert!(
        work.contains("excludes = [\"grief\"]   # hope and despair cannot both hold"),
        "{work}"
    );
    assert_code(&parallax(tmp.path(), &["check"]), 0);
    let out = parallax(tmp.path(), &["merge", "reading", "grief", "grief"]);
    assert_code(&out, 1);
}

#[test]
fn a_new_source_fails_check_until_filled_then_passes() {
    let tmp = copy("tests/fixtures/ok/base");
    let out = parallax(
        tmp.path(),
        &[
            "new",
            "source",
            "gamma",
            "--title",
            "Gamma",
            "--kind",
            "essay",
            "--published",
            "2025-03",
        ],
    );
    assert_code(&out, 0);
    let path = tmp.path().join("corpus/tiny/sources/gamma.toml");
    assert!(
        stdout(&out).contains("corpus/tiny/sources/gamma.toml"),
        "{}",
        stdout(&out)
    );
    let template = fs::read_to_string(&path).unwrap();
    assert!(template.contains("title = \"Gamma\""), "{template}");
    assert!(template.contains("published = \"2025-03\""), "{template}");
    assert!(
        template.contains("opening, finale"),
        "the scenes are listed: {template}"
    );

    // the placeholders fail the check, each at its line
    let out = parallax(tmp.path(), &["check", "--format", "json"]);
    assert_code(&out, 1);
    let errors = json(&out)["errors"].as_array().unwrap().clone();
    let fields: Vec<&str> = errors
        .iter()
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 3, "{fields:#?}");
    // the claim's header first: it has neither summary nor quote yet
    assert!(
        fields[0].contains("needs a `summary` or a `quote`"),
        "{fields:#?}"
    );
    assert!(
        fields[1].contains("`scene` in [[claim]] is still the placeholder"),
        "{fields:#?}"
    );
    assert!(
        fields[2].contains("`reading` in [[claim]] is still the placeholder"),
        "{fields:#?}"
    );

    // never overwrites
    let out = parallax(tmp.path(), &["new", "source", "gamma"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("gamma.toml already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), template);

    let filled = template
        .replace("scene = \"…\"", "scene = \"finale\"")
        .replace("reading = \"…\"", "reading = \"hope\"")
        .replace("summary = \"\"", "summary = \"The finale hopes.\"");
    fs::write(&path, filled).unwrap();
    let out = parallax(tmp.path(), &["check", "--strict"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("3 sources, 5 claims: 0 errors"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn new_source_checks_its_arguments() {
    let tmp = copy("tests/fixtures/ok/base");
    for (args, message) in [
        (
            vec!["new", "source", "Bad Name"],
            "write it as \"bad-name\"",
        ),
        (
            vec!["new", "source", "x", "--kind", "reveiw"],
            "did you mean \"review\"?",
        ),
        (
            vec!["new", "source", "x", "--published", "2025-13"],
            "the month must be 01 to 12",
        ),
        (
            vec!["new", "source", "x", "--text", "../a.txt"],
            "not a plain file name",
        ),
        (
            vec!["--work", "nope", "new", "source", "x"],
            "unknown work \"nope\"",
        ),
    ] {
        let out = parallax(tmp.path(), &args);
        assert_code(&out, 1);
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert!(!tmp.path().join("corpus/tiny/sources/x.toml").exists());
}

#[test]
fn a_new_work_fails_check_until_filled_then_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = parallax(tmp.path(), &["new", "work", "film", "--title", "A Film"]);
    assert_code(&out, 0);
    let path = tmp.path().join("corpus/film/work.toml");
    let template = fs::read_to_string(&path).unwrap();
    assert!(tmp.path().join("corpus/film/sources").is_dir());
    assert!(
        template.contains("excludes = [\"second-reading\"]"),
        "{template}"
    );
    assert!(template.contains("# [[person]]"), "{template}");
    let out = parallax(tmp.path(), &["check"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("`title` in [[scene]] is still the placeholder"),
        "{}",
        stderr(&out)
    );

    let filled = template
        .replacen("title = \"…\"", "title = \"The first scene\"", 1)
        .replacen("title = \"…\"", "title = \"The second scene\"", 1)
        .replacen("label = \"…\"", "label = \"One\"", 1)
        .replacen("label = \"…\"", "label = \"Two\"", 1);
    fs::write(&path, filled).unwrap();
    let out = parallax(tmp.path(), &["check"]);
    assert_code(&out, 0);

    // then a source in it
    let out = parallax(tmp.path(), &["new", "source", "first-review"]);
    assert_code(&out, 0);
    let out = parallax(tmp.path(), &["new", "work", "film"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("film/work.toml already exists"),
        "{}",
        stderr(&out)
    );
}

/// The filled template of `new source` is valid against the committed JSON Schema, and
/// `published` takes a date or a year or month there too.
#[test]
fn the_filled_template_validates_against_the_schema() {
    let tmp = copy("tests/fixtures/ok/base");
    let out = parallax(
        tmp.path(),
        &[
            "new",
            "source",
            "gamma",
            "--title",
            "G",
            "--kind",
            "book",
            "--published",
            "2024",
        ],
    );
    assert_code(&out, 0);
    let text = fs::read_to_string(tmp.path().join("corpus/tiny/sources/gamma.toml")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("schemas/source.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let as_json = |text: &str| -> serde_json::Value {
        let table: toml::Table = text.parse().unwrap();
        serde_json::to_value(table).unwrap()
    };
    assert!(validator.is_valid(&as_json(&text)));
    for (published, valid) in [
        ("\"2025\"", true),
        ("\"2025-03\"", true),
        ("\"2025-03-05\"", true),
        ("\"2025-13\"", false),
        ("\"25\"", false),
    ] {
        let doc = as_json(&format!(
            "[source]\ntitle = \"T\"\npublished = {published}\n"
        ));
        assert_eq!(validator.is_valid(&doc), valid, "{published}");
    }
}

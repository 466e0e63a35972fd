//! People named on the command line by surname where the work has no `[[person]]` registry:
//! `voices --person baker`, `--voice baker`; a surname two people share is an error that
//! names both.

mod common;

use common::{assert_code, copy_tree, json, root, run, stderr};

/// The bundled corpus without its registry of people: names are gathered from the claims.
fn without_registry() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), dir.path());
    let work = dir.path().join("anora/work.toml");
    let text = std::fs::read_to_string(&work).unwrap();
    let cut = text
        .find("[[person]]")
        .expect("the bundled work has people");
    std::fs::write(&work, &text[..cut]).unwrap();
    dir
}

#[test]
fn a_surname_finds_the_one_person_who_has_it() {
    let dir = without_registry();
    let corpus = dir.path().to_str().unwrap();
    let out = run(corpus, &["voices", "--person", "baker", "-f", "json"]);
    assert_code(&out, 0);
    let people = json(&out)["people"].as_array().unwrap().clone();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0]["person"], "Sean Baker");

    let out = run(
        corpus,
        &[
            "compare",
            "car-scene-tears",
            "ending-explained",
            "--voice",
            "MADISON",
            "-f",
            "json",
        ],
    );
    assert_code(&out, 0);
    let rows = json(&out)["rows"].as_array().unwrap().clone();
    assert!(!rows.is_empty());
    for row in rows {
        for claim in row["left"].as_array().unwrap() {
            assert_eq!(claim["attributed_to"], "Mikey Madison");
        }
    }
    // a first name is not a surname
    let out = run(corpus, &["voices", "--person", "sean"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("unknown person \"sean\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_surname_two_people_share_names_both() {
    let dir = without_registry();
    let source = dir.path().join("anora/sources/ending-explained.toml");
    let mut text = std::fs::read_to_string(&source).unwrap();
    text.push_str(
        "\n[[claim]]\nscene = \"tears\"\nreading = \"grief-release\"\nsummary = \"A sound editor hears grief.\"\nattributed_to = \"Ruth Baker\"\n",
    );
    std::fs::write(&source, text).unwrap();
    let corpus = dir.path().to_str().unwrap();
    for args in [
        &["voices", "--person", "baker"][..],
        &["matrix", "--voice", "baker"],
    ] {
        let out = run(corpus, args);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(
            err.contains(
                "\"baker\" is the surname of 2 people of work \"anora\": Sean Baker, Ruth Baker"
            ) || err.contains(
                "\"baker\" is the surname of 2 people of work \"anora\": Ruth Baker, Sean Baker"
            ),
            "{err}"
        );
        assert!(err.contains("name one in full"), "{err}");
    }
    // the full name still finds each
    let out = run(corpus, &["voices", "--person", "ruth baker", "-f", "json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["people"][0]["person"], "Ruth Baker");
}

#[test]
fn with_a_registry_names_are_the_registry_s() {
    // the bundled registry gives Baker an alias; a surname it does not list is unknown
    let out = run(
        "interpretations",
        &["voices", "--person", "baker", "-f", "json"],
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["people"][0]["person"], "Sean Baker");
}

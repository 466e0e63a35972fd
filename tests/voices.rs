//! Voices (SPEC §3): a source's own claims make its position, reported views do not;
//! `--voice all|PERSON`; the people registry of `work.toml`; `excludes`.
//! The fixture `tests/fixtures/voices` has its table at the top of its `work.toml`.

mod common;

use common::{assert_code, json, run, stderr, write_corpus};
use serde_json::Value;

const VOICES: &str = "tests/fixtures/voices";

#[track_caller]
fn verdict_of(args: &[&str], scene: &str) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(VOICES, &all);
    assert_code(&out, 0);
    json(&out)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scene"] == scene)
        .map_or(Value::Null, |r| r["verdict"].clone())
}

#[test]
fn a_critic_rejecting_the_view_they_report_is_not_contradicting_themselves() {
    let own = run(VOICES, &["check", "--strict"]);
    assert_code(&own, 0);
    assert!(!stderr(&own).contains("both endorses and rejects"));

    let all = run(VOICES, &["check", "--voice", "all"]);
    assert_code(&all, 0);
    let err = stderr(&all);
    assert!(
        err.contains("the source both endorses and rejects \"triumph\" on scene \"finale\""),
        "{err}"
    );
    assert!(err.contains("critic-a.toml"), "{err}");
    // `--strict` turns it into a failure
    assert_code(&run(VOICES, &["check", "--voice", "all", "--strict"]), 1);
}

#[test]
fn reported_views_take_no_part_in_a_position_under_own() {
    // critic-a rejects triumph in its own voice; critic-c endorses defeat
    assert_eq!(
        verdict_of(&["compare", "critic-a", "critic-c"], "finale"),
        "diverge"
    );
    // counting the director's triumph as critic-a's own makes it exclude critic-c's defeat
    assert_eq!(
        verdict_of(
            &["compare", "critic-a", "critic-c", "--voice", "all"],
            "finale"
        ),
        "conflict"
    );
}

#[test]
fn compare_in_a_persons_voice_sets_reports_against_reports() {
    assert_eq!(
        verdict_of(&["compare", "critic-a", "critic-b"], "finale"),
        "diverge"
    );
    for name in ["ada-director", "Ada Director", "the DIRECTOR", "director"] {
        assert_eq!(
            verdict_of(
                &["compare", "critic-a", "critic-b", "--voice", name],
                "finale"
            ),
            "conflict",
            "{name}"
        );
    }
    // only Ben Actor's view on the kiss, reported by critic-b alone
    let out = run(
        VOICES,
        &[
            "compare",
            "critic-a",
            "critic-b",
            "--voice",
            "ben actor",
            "--format",
            "json",
        ],
    );
    let cmp = json(&out);
    assert_eq!(cmp["rows"].as_array().unwrap().len(), 1, "{cmp:#}");
    assert_eq!(cmp["rows"][0]["scene"], "kiss");
    assert_eq!(cmp["rows"][0]["verdict"], "only-right");
    assert_eq!(cmp["rows"][0]["right"][0]["attributed_to"], "Ben Actor");
}

#[test]
fn an_unknown_voice_suggests_the_people() {
    let out = run(
        VOICES,
        &["compare", "critic-a", "critic-b", "--voice", "Ada Directr"],
    );
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("unknown voice \"Ada Directr\""), "{err}");
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("Ada Director"), "{err}");
}

#[test]
fn excluding_readings_conflict_both_ways() {
    assert_eq!(
        verdict_of(&["compare", "critic-c", "critic-d"], "finale"),
        "conflict"
    );
    assert_eq!(
        verdict_of(&["compare", "critic-d", "critic-c"], "finale"),
        "conflict"
    );
}

#[test]
fn the_scene_consensus_names_who_contradicts_it() {
    // triumph: critic-d (own); defeat: critic-c; ambiguity: critic-b → a three-way tie
    let out = run(VOICES, &["scene", "finale", "--format", "json"]);
    assert_code(&out, 0);
    let s = json(&out);
    assert_eq!(s["consensus"], Value::Null);
    assert_eq!(
        s["tied"],
        serde_json::json!(["triumph", "defeat", "ambiguity"])
    );
    // without critic-b and critic-c, triumph wins and nothing contradicts it
    let out = run(
        VOICES,
        &[
            "scene",
            "finale",
            "--sources",
            "critic-a,critic-c,critic-d",
            "--voice",
            "all",
            "--format",
            "json",
        ],
    );
    let s = json(&out);
    assert_eq!(s["consensus"]["reading"], "triumph", "{s:#}");
    assert_eq!(
        s["consensus"]["endorsed_by"],
        serde_json::json!(["critic-a", "critic-d"])
    );
    assert_eq!(
        s["consensus"]["rejected_by"],
        serde_json::json!(["critic-a"])
    );
    assert_eq!(
        s["consensus"]["contradicted_by"],
        serde_json::json!(["critic-c"])
    );
}

const WORK: &str = r#"[work]
title = "W"

[[scene]]
id = "s"
title = "S"

[[reading]]
id = "up"
label = "Up"
excludes = ["down"]

[[reading]]
id = "down"
label = "Down"
"#;

fn claim(attributed_to: &str) -> String {
    format!(
        "[source]\ntitle = \"T\"\n\n[[claim]]\nscene = \"s\"\nreading = \"up\"\nsummary = \"x\"\nattributed_to = \"{attributed_to}\"\n"
    )
}

#[test]
fn with_a_registry_an_unknown_person_is_an_error_with_a_suggestion() {
    let work = format!(
        "{WORK}\n[[person]]\nid = \"sean-baker\"\nname = \"Sean Baker\"\naliases = [\"Baker\"]\n"
    );
    let dir = write_corpus(&[
        ("w/work.toml", &work),
        ("w/sources/a.toml", &claim("Sean Bakr")),
        ("w/sources/b.toml", &claim("  baker ")),
    ]);
    let out = run(dir.path().to_str().unwrap(), &["check"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("error: unknown person \"Sean Bakr\""), "{err}");
    assert!(err.contains("a.toml:8:17"), "{err}");
    assert!(err.contains("did you mean \"Sean Baker\""), "{err}");
    assert!(
        !err.contains("b.toml"),
        "an alias in any case resolves: {err}"
    );
}

#[test]
fn registry_names_collide_like_ids() {
    let work = format!(
        "{WORK}\n[[person]]\nid = \"a\"\nname = \"Sam Lee\"\n\n[[person]]\nid = \"b\"\nname = \"Sam Li\"\naliases = [\"sam lee\"]\n"
    );
    let dir = write_corpus(&[("w/work.toml", &work)]);
    let out = run(dir.path().to_str().unwrap(), &["check"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("duplicate person name \"sam lee\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_registry_names_that_look_like_one_person_are_warned_about() {
    let dir = write_corpus(&[
        ("w/work.toml", WORK),
        ("w/sources/a.toml", &claim("Sean Baker")),
        ("w/sources/b.toml", &claim("Baker")),
        ("w/sources/c.toml", &claim("SEAN   baker")),
    ]);
    let root = dir.path().to_str().unwrap();
    let out = run(root, &["check"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("\"Baker\" and \"Sean Baker\" may be one person"),
        "{err}"
    );
    assert_eq!(err.matches("may be one person").count(), 1, "{err}");
    // "SEAN   baker" folds into "Sean Baker": one voice
    let out = run(
        root,
        &[
            "compare",
            "a",
            "c",
            "--voice",
            "sean baker",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["rows"][0]["verdict"], "agree");
}

#[test]
fn excludes_entries_must_name_another_reading() {
    let work = WORK.replace("excludes = [\"down\"]", "excludes = [\"dwn\", \"up\"]");
    let dir = write_corpus(&[("w/work.toml", &work)]);
    let out = run(dir.path().to_str().unwrap(), &["check"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("`excludes` names an unknown reading \"dwn\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"down\""), "{err}");
    assert!(err.contains("reading \"up\" excludes itself"), "{err}");
    assert!(err.contains("work.toml:11:13"), "{err}");
}

#[test]
fn endorsing_two_excluding_readings_in_one_voice_is_warned_about() {
    let own = "[source]\ntitle = \"T\"\n\n[[claim]]\nscene = \"s\"\nreading = \"up\"\nsummary = \"x\"\n\n[[claim]]\nscene = \"s\"\nreading = \"down\"\nsummary = \"y\"\n";
    let split = "[source]\ntitle = \"T\"\n\n[[claim]]\nscene = \"s\"\nreading = \"up\"\nsummary = \"x\"\n\n[[claim]]\nscene = \"s\"\nreading = \"down\"\nsummary = \"y\"\nattributed_to = \"Someone\"\n";
    let dir = write_corpus(&[
        ("w/work.toml", WORK),
        ("w/sources/own.toml", own),
        ("w/sources/split.toml", split),
    ]);
    let out = run(dir.path().to_str().unwrap(), &["check"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(
        err.contains("the source endorses \"up\" and \"down\" on scene \"s\", and the codebook says they exclude each other"),
        "{err}"
    );
    assert!(err.contains("own.toml"), "{err}");
    assert!(
        !err.contains("split.toml"),
        "two voices are no contradiction: {err}"
    );
}

//! Voices (docs/rules.md#voices): a source's own claims make its position, reported views do not;
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

// ---------------------------------------------------------------------------------------
// `parallax voices`

fn voices_json(extra: &[&str]) -> Value {
    let mut args = vec!["voices", "--format", "json"];
    args.extend(extra);
    let out = run(VOICES, &args);
    assert_code(&out, 0);
    json(&out)
}

/// (left source, right source, class) of each same-remark pair of the first person.
fn pairs(v: &Value) -> Vec<(String, String, String)> {
    v["people"][0]["same_remark"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["left"]["source"].as_str().unwrap().to_string(),
                p["right"]["source"].as_str().unwrap().to_string(),
                p["class"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn voices_groups_reported_claims_by_person() {
    let v = voices_json(&[]);
    assert_eq!(v["work"], "premiere");
    let people: Vec<&str> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["Ada Director", "Ben Actor"]);
    let ada = &v["people"][0];
    assert_eq!(ada["id"], "ada-director");
    assert_eq!(ada["role"], "director");
    let claim = ada["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "critic-a")
        .unwrap();
    assert_eq!(claim["scene"], "finale");
    assert_eq!(claim["reading"], "triumph");
    assert_eq!(claim["stance"], "endorses");
    assert_eq!(claim["via"], "Variety");
    assert!(
        claim["quote"]
            .as_str()
            .unwrap()
            .starts_with("When I shot the finale")
    );
    // the critics' own claims are nobody's reported view
    let sources: Vec<&str> = ada["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert!(!sources.contains(&"critic-c") && !sources.contains(&"critic-d"));
}

#[test]
fn sources_attributing_opposite_stances_to_one_person_are_flagged() {
    let v = voices_json(&["--person", "ada director"]);
    let conflicts = v["people"][0]["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:#?}");
    let c = &conflicts[0];
    assert_eq!(c["scene"], "finale");
    assert_eq!(c["reading"], "triumph");
    assert_eq!(c["rejected_by"], serde_json::json!(["critic-b"]));
    assert!(
        c["endorsed_by"]
            .as_array()
            .unwrap()
            .contains(&"critic-a".into())
    );
    // Ben Actor is reported once: nothing to contradict
    let v = voices_json(&["--person", "Ben Actor"]);
    assert_eq!(v["people"].as_array().unwrap().len(), 1);
    assert_eq!(v["people"][0]["conflicts"], serde_json::json!([]));
}

#[test]
fn one_remark_in_different_words_is_paired_and_unrelated_remarks_are_not() {
    let v = voices_json(&["--person", "ada-director"]);
    let found = pairs(&v);
    let has = |l: &str, r: &str, class: &str| {
        found.contains(&(l.to_string(), r.to_string(), class.to_string()))
    };
    assert!(has("critic-a", "critic-i", "same"), "verbatim: {found:?}");
    assert!(has("critic-a", "critic-e", "excerpt"), "excerpt: {found:?}");
    assert!(has("critic-a", "critic-f", "excerpt"), "elided: {found:?}");
    assert!(
        has("critic-a", "critic-g", "reworded"),
        "reworded via one outlet: {found:?}"
    );
    assert!(has("critic-g", "critic-j", "same"), "{found:?}");
    // g's words through another outlet are held to the higher threshold
    assert!(
        !found
            .iter()
            .any(|(l, r, _)| l == "critic-a" && r == "critic-j"),
        "{found:?}"
    );
    // other remarks to the same outlet pair with nothing
    for (l, r, _) in &found {
        assert!(l != "critic-h" && r != "critic-h", "{found:?}");
        assert!(l != "critic-b" && r != "critic-b", "{found:?}");
    }
    for p in v["people"][0]["same_remark"].as_array().unwrap() {
        let s = p["similarity"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s), "{p:#}");
        assert!(p["diff"].is_string(), "{p:#}");
    }
    let reworded = v["people"][0]["same_remark"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["left"]["source"] == "critic-a" && p["right"]["source"] == "critic-g")
        .unwrap();
    let diff = reworded["diff"].as_str().unwrap();
    assert!(diff.contains("[-shot-]{+filmed+}"), "{diff}");
}

#[test]
fn voices_in_every_format() {
    for format in ["table", "markdown", "csv", "html", "latex"] {
        let out = run(VOICES, &["voices", "--format", format]);
        assert_code(&out, 0);
        let text = common::stdout(&out);
        assert!(text.contains("Ada Director"), "{format}: {text}");
        if format != "csv" {
            assert!(text.contains("Contradictory attributions"), "{format}");
            assert!(text.contains("reworded"), "{format}");
        }
    }
    let out = run(VOICES, &["voices", "--person", "Nobody"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("unknown person \"Nobody\""));
}

#[test]
fn the_bundled_corpus_reports_its_director_and_actress() {
    let out = run("interpretations", &["voices", "--format", "json"]);
    assert_code(&out, 0);
    let v = json(&out);
    let people: Vec<&str> = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["Sean Baker", "Mikey Madison"]);
    // one source reports them: no contradiction and no pair can be claimed
    for p in v["people"].as_array().unwrap() {
        assert_eq!(p["conflicts"], serde_json::json!([]));
        assert_eq!(p["same_remark"], serde_json::json!([]));
    }
}

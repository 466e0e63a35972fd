//! The repository's own corpus, `interpretations/` (the Anora ending, docs/formats.md): it is
//! valid, holds the fixed scene ids in order, shows the known conflict between its two
//! sources, and quotes its seed texts word for word.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{assert_code, json, root, run};
use serde_json::Value;

const CORPUS: &str = "interpretations";
const SCENES: [&str; 6] = [
    "ring-return",
    "car-encounter",
    "refused-kiss",
    "tears",
    "silent-credits",
    "whole-ending",
];

/// The archived texts of the bundled corpus: the two seed articles.
fn texts() -> PathBuf {
    root().join(CORPUS).join("anora/texts")
}

fn parse_toml(path: &std::path::Path) -> toml::Table {
    let text = fs::read_to_string(path).unwrap();
    text.parse::<toml::Table>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each source's claim file, parsed independently of parallax.
fn claim_files() -> Vec<(String, toml::Table)> {
    toml_files(&root().join(CORPUS).join("anora/sources"))
}

/// The `.toml` files of a folder, sorted, each with its stem.
fn toml_files(dir: &std::path::Path) -> Vec<(String, toml::Table)> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (id, parse_toml(p))
        })
        .collect()
}

fn claims(file: &toml::Table) -> &[toml::Value] {
    file.get("claim")
        .and_then(toml::Value::as_array)
        .map_or(&[], Vec::as_slice)
}

#[test]
fn check_passes() {
    let out = run(CORPUS, &["check", "--format", "json"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert_eq!(report["errors"], Value::Array(Vec::new()), "{report:#}");
    assert_eq!(report["works"], 1);
    assert_eq!(report["sources"], 2);
    let out = run(CORPUS, &["check"]);
    assert_code(&out, 0);
}

#[test]
fn scenes_are_listed_in_narrative_order_with_source_counts() {
    let out = run(CORPUS, &["list", "scenes", "--format", "json"]);
    assert_code(&out, 0);
    let list = json(&out);
    assert_eq!(list["work"], "anora");
    let rows = list["scenes"].as_array().unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, SCENES);

    // the count of sources per scene, computed from the files (claims may name a scene
    // by an alias, matched ignoring case)
    let work = parse_toml(&root().join(CORPUS).join("anora/work.toml"));
    let scene_of = |name: &str| -> String {
        let key = name.trim().to_lowercase();
        for s in work["scene"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap();
            let aliases = s.get("aliases").and_then(toml::Value::as_array);
            if id == name
                || aliases
                    .is_some_and(|a| a.iter().any(|x| x.as_str().unwrap().to_lowercase() == key))
            {
                return id.to_string();
            }
        }
        panic!("claim names no scene of work.toml: {name:?}")
    };
    let files = claim_files();
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let expected = files
            .iter()
            .filter(|(_, f)| {
                claims(f)
                    .iter()
                    .any(|c| scene_of(c["scene"].as_str().unwrap()) == id)
            })
            .count();
        assert_eq!(row["sources"].as_u64(), Some(expected as u64), "{row:#}");
    }
}

#[test]
fn the_two_articles_conflict_on_the_car_encounter() {
    let out = run(
        CORPUS,
        &[
            "compare",
            "ending-explained",
            "car-scene-tears",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 0);
    let cmp = json(&out);
    let row = cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["scene"] == "car-encounter")
        .expect("a car-encounter row");
    assert_eq!(row["verdict"], "conflict", "{row:#}");
    let has = |side: &str, stance: &str| {
        row[side]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["reading"] == "transaction" && c["stance"] == stance)
    };
    // seed 000 calls the sex a repayment; seed 001 names that reading and rejects it
    assert!(has("left", "endorses"), "{row:#}");
    assert!(has("right", "rejects"), "{row:#}");
    assert!(cmp["summary"]["conflict"].as_u64().unwrap() >= 1);
}

#[test]
fn every_quote_is_verbatim_in_its_seed_text() {
    let texts = texts();
    let mut checked = 0;
    let sources = claim_files();
    let mut check = |who: &str, text_name: &str, file: &toml::Table| {
        let text = fs::read_to_string(texts.join(text_name))
            .unwrap_or_else(|e| panic!("{who}: seed text {text_name}: {e}"));
        for claim in claims(file) {
            if let Some(quote) = claim.get("quote").and_then(toml::Value::as_str) {
                assert!(
                    text.contains(quote),
                    "{who}: the quote is not in {text_name}:\n{quote}"
                );
                checked += 1;
            }
        }
    };
    for (id, file) in &sources {
        let text_name = file["source"]["text"]
            .as_str()
            .unwrap_or_else(|| panic!("{id} names no text"));
        check(id, text_name, file);
    }
    // every coder's codings, against the text their source names
    let codings = root().join(CORPUS).join("anora/codings");
    let mut coders = 0;
    for coder in fs::read_dir(&codings).unwrap() {
        let coder = coder.unwrap().path();
        coders += 1;
        for (id, file) in toml_files(&coder) {
            let (_, source) = sources
                .iter()
                .find(|(s, _)| *s == id)
                .expect("a coded source");
            let text_name = source["source"]["text"].as_str().unwrap();
            check(&format!("{} {id}", coder.display()), text_name, &file);
        }
    }
    assert!(
        coders >= 2,
        "the bundled corpus has codings by at least two coders"
    );
    assert!(checked > 0, "the corpus quotes nothing");

    // and parallax's own quote check agrees, with no flag: the texts are bundled
    let out = run(CORPUS, &["check", "--strict", "--format", "json"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert_eq!(report["errors"], Value::Array(Vec::new()), "{report:#}");
    assert_eq!(report["quotes_checked"], checked, "{report:#}");
}

/// The verdict of every scene of `compare ending-explained car-scene-tears`.
fn scene_verdicts(extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec![
        "compare",
        "ending-explained",
        "car-scene-tears",
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = run(CORPUS, &args);
    assert_code(&out, 0);
    json(&out)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["scene"].as_str().unwrap().to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn voices_and_excludes_leave_the_bundled_verdicts_as_they_were() {
    // the verdicts before voices, people and `excludes` existed
    let before: Vec<(String, String)> = [
        ("ring-return", "only-left"),
        ("car-encounter", "conflict"),
        ("refused-kiss", "only-left"),
        ("tears", "agree"),
        ("silent-credits", "only-left"),
        ("whole-ending", "overlap"),
    ]
    .iter()
    .map(|(s, v)| (s.to_string(), v.to_string()))
    .collect();
    assert_eq!(scene_verdicts(&[]), before, "--voice own (the default)");
    assert_eq!(scene_verdicts(&["--voice", "all"]), before, "--voice all");
}

#[test]
fn the_registry_names_the_director_and_the_actress() {
    let out = run(
        CORPUS,
        &[
            "compare",
            "ending-explained",
            "car-scene-tears",
            "--voice",
            "Baker",
            "--format",
            "json",
        ],
    );
    assert_code(&out, 0);
    let cmp = json(&out);
    // only car-scene-tears reports Baker: on car-encounter and the ending as a whole
    let rows: Vec<(&str, &str)> = cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["scene"].as_str().unwrap(), r["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rows,
        [
            ("car-encounter", "only-right"),
            ("whole-ending", "only-right")
        ]
    );
    for row in cmp["rows"].as_array().unwrap() {
        for c in row["right"].as_array().unwrap() {
            assert_eq!(c["attributed_to"], "Sean Baker", "{c:#}");
            assert_eq!(c["person"], "sean-baker", "{c:#}");
        }
    }
}

//! `compare`, `scene` and `matrix` end to end, on `tests/fixtures/views/`: one work whose
//! sources `lumen` and `umbra` meet all six verdicts of docs/rules.md#verdicts on different scenes (the
//! table at the top of its `work.toml`), with `considers` claims, attributed claims, aliases,
//! a scene nobody reads (`epilogue`), a tie-breaking third source (`chorus`) and a source
//! with no claims (`void`).
//!
//! The JSON assertions are the semantic tests; `views_tables.rs` holds the terminal tables.

mod common;

use common::{assert_code, json, run, stderr, stdout};
use serde_json::{Value, json};

const VIEWS: &str = "tests/fixtures/views";

/// `parallax --corpus tests/fixtures/views <args…> --format json`, which must succeed.
#[track_caller]
fn views_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = run(VIEWS, &all);
    assert_code(&out, 0);
    json(&out)
}

/// `(scene, verdict)` of each row of a comparison.
fn verdicts(cmp: &Value) -> Vec<(String, Value)> {
    cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["scene"].as_str().unwrap().to_string(),
                r["verdict"].clone(),
            )
        })
        .collect()
}

fn v(scene: &str, verdict: &str) -> (String, Value) {
    (scene.to_string(), Value::from(verdict))
}

fn object_keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Asserts that `v` is an object holding at least `keys` (docs/json.md allows extra fields).
#[track_caller]
fn assert_has_keys(v: &Value, keys: &[&str]) {
    let found = object_keys(v);
    for k in keys {
        assert!(found.contains(k), "no field {k:?} in {v:#}");
    }
}

// ---------------------------------------------------------------------------------------
// compare: JSON

#[test]
fn compare_shows_all_six_verdicts() {
    let cmp = views_json(&["compare", "lumen", "umbra"]);
    assert_eq!(cmp["work"], "lanterns");
    assert_eq!(cmp["left"], "lumen");
    assert_eq!(cmp["right"], "umbra");
    assert_eq!(
        verdicts(&cmp),
        vec![
            v("dawn", "agree"),
            v("market", "overlap"),
            v("bridge", "diverge"),
            v("storm", "conflict"),
            v("letter", "only-left"),
            v("harbor", "only-right"),
            // both spoke, with `considers` only: no position on either side, so equal ones
            v("fog", "agree"),
        ],
        "epilogue, which neither reads, is left out"
    );
    assert_eq!(
        cmp["summary"],
        json!({"agree": 2, "overlap": 1, "diverge": 1, "conflict": 1,
               "only-left": 1, "only-right": 1})
    );
}

#[test]
fn compare_json_has_the_spec_field_names_and_nulls() {
    let cmp = views_json(&["compare", "lumen", "umbra"]);
    assert_has_keys(&cmp, &["work", "left", "right", "rows", "summary"]);
    assert_eq!(
        object_keys(&cmp["summary"]),
        [
            "agree",
            "conflict",
            "diverge",
            "only-left",
            "only-right",
            "overlap"
        ]
    );
    for row in cmp["rows"].as_array().unwrap() {
        assert_has_keys(row, &["scene", "left", "right", "verdict"]);
        for claim in row["left"]
            .as_array()
            .unwrap()
            .iter()
            .chain(row["right"].as_array().unwrap())
        {
            assert_has_keys(
                claim,
                &[
                    "reading",
                    "stance",
                    "summary",
                    "quote",
                    "attributed_to",
                    "via",
                ],
            );
        }
    }
    let rows = cmp["rows"].as_array().unwrap();

    // dawn: lumen wrote the scene and the reading by their aliases; ids come out
    assert_eq!(
        rows[0]["left"],
        json!([{"reading": "hope", "stance": "endorses",
                "summary": "The dawn promises a new start.", "quote": "a new day begins",
                "attributed_to": null, "person": null, "via": null}])
    );
    assert_eq!(rows[0]["right"][0]["quote"], Value::Null);

    // bridge: a quote without a summary
    assert_eq!(
        rows[2]["right"],
        json!([{"reading": "irony", "stance": "endorses", "summary": null,
                "quote": "the bridge goes nowhere", "attributed_to": null, "person": null, "via": null}])
    );

    // storm: umbra also reports someone else's view; `tempest` is an alias of the scene
    assert_eq!(
        rows[3]["right"],
        json!([
            {"reading": "hope", "stance": "rejects", "summary": "The storm leaves no hope.",
             "quote": null, "attributed_to": null, "person": null, "via": null},
            {"reading": "grief", "stance": "endorses",
             "summary": "The storm is grief made weather.",
             "quote": null, "attributed_to": null, "person": null, "via": null},
            {"reading": "grief", "stance": "endorses",
             "summary": "The director calls the storm grief.",
             "quote": null, "attributed_to": "A. Director", "person": "a-director",
             "via": "Press notes"}
        ])
    );

    // letter: three readings from one source, `considers` shown among them, in file order
    let letter: Vec<(&str, &str)> = rows[4]["left"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["reading"].as_str().unwrap(),
                c["stance"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        letter,
        [
            ("grief", "endorses"),
            ("irony", "considers"),
            ("hope", "rejects")
        ]
    );
    assert_eq!(rows[4]["right"], json!([]));

    // harbor: only umbra, attributed, with a quote
    assert_eq!(rows[5]["left"], json!([]));
    assert_eq!(rows[5]["right"][0]["attributed_to"], "Lead Actor");
    assert_eq!(rows[5]["right"][0]["via"], "Podcast interview");
}

/// What `compare B A` should be, given `compare A B`.
fn mirrored(cmp: &Value) -> Value {
    let swap = |v: &Value| match v.as_str() {
        Some("only-left") => json!("only-right"),
        Some("only-right") => json!("only-left"),
        _ => v.clone(),
    };
    let mut m = cmp.clone();
    m["left"] = cmp["right"].clone();
    m["right"] = cmp["left"].clone();
    for (row, orig) in m["rows"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(cmp["rows"].as_array().unwrap())
    {
        row["left"] = orig["right"].clone();
        row["right"] = orig["left"].clone();
        row["verdict"] = swap(&orig["verdict"]);
    }
    m["summary"]["only-left"] = cmp["summary"]["only-right"].clone();
    m["summary"]["only-right"] = cmp["summary"]["only-left"].clone();
    m
}

#[test]
fn compare_is_a_mirror() {
    for extra in [
        &[][..],
        &["--all-scenes"],
        &["--scene", "harbor", "--scene", "letter"],
    ] {
        let ab = views_json(&[&["compare", "lumen", "umbra"][..], extra].concat());
        let ba = views_json(&[&["compare", "umbra", "lumen"][..], extra].concat());
        assert_eq!(ba, mirrored(&ab), "compare umbra lumen {extra:?}");
        assert_eq!(ab, mirrored(&ba), "compare lumen umbra {extra:?}");
    }
}

#[test]
fn a_source_agrees_with_itself() {
    let cmp = views_json(&["compare", "lumen", "lumen"]);
    let rows = verdicts(&cmp);
    assert_eq!(rows.len(), 6, "every scene lumen reads: {rows:?}");
    assert!(rows.iter().all(|(_, v)| v == "agree"), "{rows:?}");
    assert_eq!(
        cmp["summary"],
        json!({"agree": 6, "overlap": 0, "diverge": 0, "conflict": 0,
               "only-left": 0, "only-right": 0})
    );
    for row in cmp["rows"].as_array().unwrap() {
        assert_eq!(row["left"], row["right"]);
    }
}

#[test]
fn compare_with_a_silent_source() {
    let cmp = views_json(&["compare", "lumen", "void"]);
    assert!(verdicts(&cmp).iter().all(|(_, v)| v == "only-left"));
    assert_eq!(cmp["summary"]["only-left"], 6);
    let cmp = views_json(&["compare", "void", "void"]);
    assert_eq!(cmp["rows"], json!([]));
    assert_eq!(
        cmp["summary"],
        json!({"agree": 0, "overlap": 0, "diverge": 0, "conflict": 0,
               "only-left": 0, "only-right": 0})
    );
}

#[test]
fn compare_selected_scenes_by_id_and_alias() {
    // repeated, by alias and id, out of order: rows keep the narrative order
    let cmp = views_json(&[
        "compare",
        "lumen",
        "umbra",
        "--scene",
        "tempest",
        "--scene",
        "first light",
    ]);
    assert_eq!(
        verdicts(&cmp),
        vec![v("dawn", "agree"), v("storm", "conflict")]
    );
    assert_eq!(
        cmp["summary"],
        json!({"agree": 1, "overlap": 0, "diverge": 0, "conflict": 1,
               "only-left": 0, "only-right": 0})
    );
    // a scene named twice is one row
    let cmp = views_json(&[
        "compare", "lumen", "umbra", "--scene", "storm", "--scene", "tempest",
    ]);
    assert_eq!(verdicts(&cmp), vec![v("storm", "conflict")]);
    // a scene asked for by name is shown even when neither source reads it
    let cmp = views_json(&["compare", "lumen", "umbra", "--scene", "coda"]);
    assert_eq!(verdicts(&cmp), vec![("epilogue".to_string(), Value::Null)]);
    assert_eq!(cmp["rows"][0]["left"], json!([]));
    assert_eq!(cmp["rows"][0]["right"], json!([]));
}

#[test]
fn compare_all_scenes() {
    let cmp = views_json(&["compare", "lumen", "umbra", "--all-scenes"]);
    let scenes: Vec<String> = verdicts(&cmp).into_iter().map(|(s, _)| s).collect();
    assert_eq!(
        scenes,
        [
            "dawn", "market", "bridge", "storm", "letter", "harbor", "fog", "epilogue"
        ]
    );
    let epilogue = &cmp["rows"][7];
    assert_eq!(epilogue["verdict"], Value::Null);
    assert_eq!(epilogue["left"], json!([]));
    assert_eq!(epilogue["right"], json!([]));
    // the summary counts verdicts only
    assert_eq!(
        cmp["summary"],
        views_json(&["compare", "lumen", "umbra"])["summary"]
    );
}

#[test]
fn compare_diff_is_per_reading() {
    let cmp = views_json(&["compare", "lumen", "umbra", "--diff"]);
    let diffs: Vec<(&str, Vec<(&str, &str)>)> = cmp["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let list = r["diff"]
                .as_array()
                .expect("with --diff every row has a list")
                .iter()
                .map(|d| (d["reading"].as_str().unwrap(), d["basis"].as_str().unwrap()))
                .collect();
            (r["scene"].as_str().unwrap(), list)
        })
        .collect();
    // a diff only for a reading both sources speak of: market shares hope (not grief or
    // irony), storm hope (umbra's grief has no counterpart), bridge and fog nothing
    assert_eq!(
        diffs,
        vec![
            ("dawn", vec![("hope", "summary")]),
            ("market", vec![("hope", "summary")]),
            ("bridge", vec![]),
            ("storm", vec![("hope", "summary")]),
            ("letter", vec![]),
            ("harbor", vec![]),
            ("fog", vec![]),
        ]
    );
    assert_eq!(
        cmp["rows"][0]["diff"][0],
        json!({
            "reading": "hope", "basis": "summary",
            "left": "The dawn promises a new start.",
            "right": "The dawn promises a fresh start.",
            "ops": [
                {"op": "equal", "text": "The dawn promises a "},
                {"op": "delete", "text": "new"},
                {"op": "insert", "text": "fresh"},
                {"op": "equal", "text": " start."}
            ]
        })
    );
    // every diff turns the left text into the right one
    for row in cmp["rows"].as_array().unwrap() {
        for d in row["diff"].as_array().unwrap() {
            let (mut left, mut right) = (String::new(), String::new());
            for op in d["ops"].as_array().unwrap() {
                let text = op["text"].as_str().unwrap();
                match op["op"].as_str().unwrap() {
                    "equal" => {
                        left.push_str(text);
                        right.push_str(text);
                    }
                    "delete" => left.push_str(text),
                    "insert" => right.push_str(text),
                    other => panic!("unknown op {other:?}"),
                }
            }
            assert_eq!(left, d["left"].as_str().unwrap(), "{d:#}");
            assert_eq!(right, d["right"].as_str().unwrap(), "{d:#}");
        }
    }
    // without --diff the verdicts are the same, and rows have no diff
    let plain = views_json(&["compare", "lumen", "umbra"]);
    assert_eq!(verdicts(&cmp), verdicts(&plain));
    assert!(
        plain["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("diff").is_none())
    );
}

#[test]
fn compare_diff_sets_quote_against_quote_where_both_quote() {
    let dir = common::write_corpus(&[
        (
            "w/work.toml",
            "[work]\ntitle = \"W\"\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n[[reading]]\nid = \"q\"\nlabel = \"Q\"\n",
        ),
        (
            "w/sources/a.toml",
            "[source]\ntitle = \"A\"\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"sum a\"\nquote = \"the light goes out\"\n[[claim]]\nscene = \"s\"\nreading = \"q\"\nsummary = \"only a summary\"\nquote = \"a quote\"\n",
        ),
        (
            "w/sources/b.toml",
            "[source]\ntitle = \"B\"\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nsummary = \"sum b\"\nquote = \"the light stays on\"\n[[claim]]\nscene = \"s\"\nreading = \"q\"\nsummary = \"a different summary\"\n",
        ),
    ]);
    let out = common::run_in(
        dir.path(),
        ".",
        &["compare", "a", "b", "--diff", "-f", "json"],
    );
    assert_code(&out, 0);
    let diff = &json(&out)["rows"][0]["diff"];
    assert_eq!(diff[0]["reading"], "r");
    assert_eq!(diff[0]["basis"], "quote");
    assert_eq!(diff[0]["left"], "the light goes out");
    assert_eq!(diff[1]["reading"], "q");
    assert_eq!(diff[1]["basis"], "summary", "b does not quote on q");
    assert_eq!(diff[1]["right"], "a different summary");
}

// ---------------------------------------------------------------------------------------
// scene: JSON

#[test]
fn scene_groups_claims_by_reading_with_a_consensus() {
    let by_id = views_json(&["scene", "storm"]);
    let by_alias = views_json(&["scene", "tempest"]);
    assert_eq!(by_id, by_alias);
    assert_has_keys(&by_id, &["work", "scene", "claims", "readings"]);
    assert_eq!(by_id["work"], "lanterns");
    assert_eq!(by_id["scene"], "storm");

    let claims: Vec<(&str, &str, &str)> = by_id["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_has_keys(
                c,
                &[
                    "source",
                    "reading",
                    "stance",
                    "summary",
                    "quote",
                    "attributed_to",
                    "via",
                ],
            );
            (
                c["reading"].as_str().unwrap(),
                c["source"].as_str().unwrap(),
                c["stance"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        claims,
        [
            ("hope", "chorus", "endorses"),
            ("hope", "lumen", "endorses"),
            ("hope", "umbra", "rejects"),
            ("grief", "umbra", "endorses"),
            ("grief", "umbra", "endorses"),
        ]
    );
    assert_eq!(by_id["claims"][4]["attributed_to"], "A. Director");
    assert_eq!(by_id["claims"][4]["via"], "Press notes");
    assert_eq!(by_id["claims"][0]["quote"], Value::Null);

    assert_eq!(
        by_id["readings"],
        json!([
            {"reading": "hope", "endorses": ["chorus", "lumen"], "considers": [], "rejects": ["umbra"],
             "reported_by": []},
            {"reading": "grief", "endorses": ["umbra"], "considers": [], "rejects": [],
             "reported_by": ["umbra"]}
        ])
    );
    assert_eq!(by_id["consensus"]["reading"], "hope");
    assert_eq!(
        by_id["consensus"]["endorsed_by"],
        json!(["chorus", "lumen"])
    );
    assert_eq!(by_id["consensus"]["rejected_by"], json!(["umbra"]));
}

#[test]
fn scene_with_several_readings_from_one_source() {
    let s = views_json(&["scene", "letter"]);
    assert_eq!(
        s["readings"],
        json!([
            {"reading": "hope", "endorses": [], "considers": [], "rejects": ["lumen"], "reported_by": []},
            {"reading": "grief", "endorses": ["lumen"], "considers": [], "rejects": [], "reported_by": []},
            {"reading": "irony", "endorses": [], "considers": ["lumen"], "rejects": [], "reported_by": []}
        ])
    );
    assert_eq!(s["consensus"]["reading"], "grief");
    assert_eq!(s["consensus"]["rejected_by"], json!([]));
}

#[test]
fn a_tie_gives_no_consensus() {
    // bridge: lumen endorses grief, umbra irony
    let s = views_json(&["scene", "bridge"]);
    assert_eq!(s["readings"].as_array().unwrap().len(), 2);
    assert_eq!(s["consensus"], Value::Null);
    // fog: only `considers`, nobody endorses anything
    let s = views_json(&["scene", "fog"]);
    assert_eq!(s["consensus"], Value::Null);
    assert_eq!(s["readings"][0]["considers"], json!(["umbra"]));
}

#[test]
fn a_scene_nobody_reads() {
    let s = views_json(&["scene", "coda"]);
    assert_eq!(s["scene"], "epilogue");
    assert_eq!(s["claims"], json!([]));
    assert_eq!(s["readings"], json!([]));
    assert_eq!(s["consensus"], Value::Null);
}

// ---------------------------------------------------------------------------------------
// matrix: JSON

#[test]
fn matrix_of_the_whole_work() {
    let m = views_json(&["matrix"]);
    assert_eq!(m["work"], "lanterns");
    assert_eq!(m["sources"], json!(["chorus", "lumen", "umbra", "void"]));
    let rows = m["rows"].as_array().unwrap();
    let scenes: Vec<&str> = rows.iter().map(|r| r["scene"].as_str().unwrap()).collect();
    assert_eq!(
        scenes,
        [
            "dawn", "market", "bridge", "storm", "letter", "harbor", "fog", "epilogue"
        ]
    );
    for row in rows {
        let cells = row["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 4, "{row:#}");
        assert_eq!(cells[3], json!([]), "void says nothing: {row:#}");
    }
    let cell = |scene: usize, source: usize| -> Vec<(String, String)> {
        rows[scene]["cells"][source]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["reading"].as_str().unwrap().to_string(),
                    e["stance"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(cell(3, 0), pairs(&[("hope", "endorses")]));
    assert_eq!(
        cell(3, 2),
        pairs(&[
            ("hope", "rejects"),
            ("grief", "endorses"),
            ("grief", "endorses")
        ])
    );
    assert_eq!(
        cell(4, 1),
        pairs(&[
            ("grief", "endorses"),
            ("irony", "considers"),
            ("hope", "rejects")
        ])
    );
    assert_eq!(rows[3]["cells"][2][2]["attributed_to"], "A. Director");
    assert_eq!(rows[5]["cells"][2][0]["attributed_to"], "Lead Actor");
    assert_eq!(rows[7]["cells"], json!([[], [], [], []]));
}

// ---------------------------------------------------------------------------------------
// argument errors

/// Runs a command that must fail with exit code 1 and nothing on stdout; returns stderr.
#[track_caller]
fn fails(corpus: &str, args: &[&str]) -> String {
    let out = run(corpus, args);
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "", "nothing on stdout when failing");
    stderr(&out)
}

#[test]
fn unknown_source_suggests_the_closest() {
    let err = fails(VIEWS, &["compare", "lumne", "umbra"]);
    assert!(err.contains("unknown source \"lumne\""), "{err}");
    assert!(err.contains("did you mean \"lumen\"?"), "{err}");
    let err = fails(VIEWS, &["compare", "lumen", "umbar", "--format", "json"]);
    assert!(err.contains("did you mean \"umbra\"?"), "{err}");
}

#[test]
fn unknown_scene_suggests_the_closest() {
    let err = fails(VIEWS, &["scene", "stomr"]);
    assert!(err.contains("unknown scene \"stomr\""), "{err}");
    assert!(err.contains("did you mean \"storm\"?"), "{err}");
    let err = fails(VIEWS, &["compare", "lumen", "umbra", "--scene", "markte"]);
    assert!(err.contains("did you mean \"market\"?"), "{err}");
    // an alias is suggested too
    let err = fails(VIEWS, &["scene", "tempst"]);
    assert!(err.contains("did you mean \"tempest\"?"), "{err}");
}

#[test]
fn unknown_work_suggests_the_closest() {
    let err = fails(VIEWS, &["--work", "lantern", "matrix"]);
    assert!(err.contains("unknown work \"lantern\""), "{err}");
    assert!(err.contains("did you mean \"lanterns\"?"), "{err}");
    // the right one works
    let out = run(VIEWS, &["--work", "lanterns", "matrix"]);
    assert_code(&out, 0);
}

/// An unknown `--work` is a bad argument: the corpus itself is fine, so the message should
/// not end with "the corpus has 1 error; fix it (`parallax check` lists every problem)".
#[test]
fn unknown_work_is_not_called_a_corpus_error() {
    let err = fails(VIEWS, &["--work", "lantern", "matrix"]);
    assert!(!err.contains("the corpus has"), "{err}");
}

#[test]
fn several_works_need_work() {
    let tmp = tempfile::tempdir().unwrap();
    let views = common::root().join(VIEWS).join("lanterns");
    common::copy_tree(&views, &tmp.path().join("corpus/lanterns"));
    common::copy_tree(&views, &tmp.path().join("corpus/candles"));
    let out = common::run_in(tmp.path(), "corpus", &["matrix"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("holds 2 works; choose one with --work"),
        "{err}"
    );
    assert!(err.contains("candles, lanterns"), "{err}");
    let out = common::run_in(
        tmp.path(),
        "corpus",
        &["--work", "candles", "matrix", "--format", "json"],
    );
    assert_code(&out, 0);
    assert_eq!(json(&out)["work"], "candles");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["compare", "lumen"][..],
        &["scene"],
        &["matrix", "--format", "yaml"],
        &["compare", "lumen", "umbra", "--no-such-flag"],
        &["no-such-command"],
    ] {
        let out = run(VIEWS, args);
        assert_code(&out, 2);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(
            stderr(&out).starts_with("error: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

/// `matrix` writes its JSON a scene at a time from the corpus; it must be the JSON of the
/// whole matrix built in memory, on every fixture and in every voice.
#[test]
fn the_streamed_matrix_is_the_matrix_built_whole() {
    use parallax::corpus::{LoadOptions, load};
    use parallax::views::matrix::{Matrix, MatrixView};
    use parallax::voice::Voice;

    for root in [VIEWS, "interpretations", "tests/fixtures/voices"] {
        let loaded = load(&LoadOptions {
            root: root.into(),
            ..LoadOptions::default()
        });
        assert!(loaded.errors.is_empty(), "{root}");
        for work in &loaded.corpus.works {
            let people = (0..work.people.len() as u32).map(Voice::Person);
            for voice in [Voice::Own, Voice::All].into_iter().chain(people) {
                let streamed = serde_json::to_value(MatrixView::new(work, voice)).unwrap();
                let whole = serde_json::to_value(Matrix::new(work, voice)).unwrap();
                assert_eq!(streamed, whole, "{root} {voice:?}");
            }
        }
    }
}

/// `agreement` loads positions only; in every voice its view must be the view of the corpus
/// loaded whole, texts and all.
#[test]
fn agreement_on_positions_only_is_agreement_on_the_whole_corpus() {
    use parallax::corpus::{LoadOptions, load};
    use parallax::views::agreement::{Agreement, AgreementOptions};
    use parallax::voice::Voice;

    for root in [VIEWS, "interpretations", "tests/fixtures/voices"] {
        let [whole, lean] = [false, true].map(|positions_only| {
            load(&LoadOptions {
                root: root.into(),
                positions_only,
                ..LoadOptions::default()
            })
        });
        assert!(whole.errors.is_empty() && lean.errors.is_empty(), "{root}");
        for (w, l) in whole.corpus.works.iter().zip(&lean.corpus.works) {
            assert!(
                l.sources
                    .iter()
                    .flat_map(|s| &s.claims)
                    .all(|c| c.summary().is_none())
            );
            let people = (0..w.people.len() as u32).map(Voice::Person);
            for voice in [Voice::Own, Voice::All].into_iter().chain(people) {
                let opts = AgreementOptions::default();
                let json = |work| serde_json::to_value(Agreement::with_options(work, voice, &opts));
                assert_eq!(json(w).unwrap(), json(l).unwrap(), "{root} {voice:?}");
            }
        }
    }
}

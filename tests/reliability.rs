//! `parallax reliability` (docs/rules.md#reliability) on the coders fixture, whose figures were computed by
//! hand and by an independent reference (`benches/reliability_reference.py`), and on the
//! bundled corpus, coded blind by three coders.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

const OK: &str = "tests/fixtures/coders/ok";

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

#[test]
fn figures_of_the_fixture() {
    let out = run(OK, &["reliability", "--format", "json"]);
    assert_code(&out, 0);
    let r = json(&out);
    assert_eq!(r["coders"], serde_json::json!(["al", "bo", "cy"]));
    assert_eq!(
        (r["value"].as_str(), r["voice"].as_str()),
        (Some("readings"), Some("own"))
    );
    // (a,s1) (a,s2) (b,s1) (b,s3) (c,s1); (a,s3) is left out: al only considers r3 there
    assert_eq!(
        (r["units"].as_u64(), r["pairable_units"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(r["pairable_values"], 10);
    assert!(
        close(&r["alpha"]["nominal"], 0.4078947368421053),
        "{}",
        r["alpha"]
    );
    assert!(
        close(&r["alpha"]["masi"], 0.4220183486238531),
        "{}",
        r["alpha"]
    );
    assert!(
        close(&r["alpha"]["jaccard"], 0.4295774647887324),
        "{}",
        r["alpha"]
    );
    assert_eq!(r["interpretation"], "not reliable");
    let pairs: Vec<(String, u64, f64, f64)> = r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                format!(
                    "{}-{}",
                    p["left"].as_str().unwrap(),
                    p["right"].as_str().unwrap()
                ),
                p["shared_units"].as_u64().unwrap(),
                p["alpha"].as_f64().unwrap(),
                p["identical"].as_f64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("al-bo", 4, 0.46153846153846145, 0.5),
        ("al-cy", 2, 0.3076923076923078, 0.5),
        ("bo-cy", 2, 0.4, 0.5),
    ];
    for ((name, shared, alpha, identical), want) in pairs.iter().zip(want) {
        assert_eq!((name.as_str(), *shared), (want.0, want.1));
        assert!(
            (alpha - want.2).abs() < 1e-9 && (identical - want.3).abs() < 1e-12,
            "{name}"
        );
    }
    // the two units where values differ, each coder's value and claims
    let d = r["disagreements"].as_array().unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[0]["source"].as_str(), d[0]["scene"].as_str()),
        (Some("a"), Some("s2"))
    );
    assert_eq!(
        d[0]["values"],
        serde_json::json!({"al": ["r1", "r2"], "bo": ["r2"], "cy": []})
    );
    assert_eq!(d[0]["claims"]["cy"], serde_json::json!([]));
    assert_eq!(d[0]["claims"]["al"][1]["quote"], "the second reading");
    // {r1,r2} {r2} ∅: MASI similarities 1/3, 0, 0 over three pairs
    assert!(close(&d[0]["agreement"], 1.0 / 9.0));
    assert_eq!(
        d[1]["values"],
        serde_json::json!({"al": ["r2"], "bo": ["r3"]})
    );
    // per source: c has one coder, so no alpha
    let c = &r["per_source"][2];
    assert_eq!(
        (c["source"].as_str(), c["coders"].as_u64()),
        (Some("c"), Some(1))
    );
    assert!(c["alpha"].is_null());
    assert!(
        r["warnings"][0]
            .as_str()
            .unwrap()
            .contains("1 of 3 sources is coded by one coder only")
    );
}

#[test]
fn positions_make_stance_and_voice_count() {
    let out = run(
        OK,
        &["reliability", "--value", "positions", "--format", "json"],
    );
    assert_code(&out, 0);
    let r = json(&out);
    // every voice by default: bo's report of Pat Doe's view is a code of its own
    assert_eq!(r["voice"], "all");
    assert_eq!(
        (r["units"].as_u64(), r["pairable_values"].as_u64()),
        (Some(6), Some(13))
    );
    assert!(close(&r["alpha"]["nominal"], 0.22857142857142865));
    assert!(close(&r["alpha"]["masi"], 0.29064039408866993));
    let codes: Vec<&str> = r["per_reading"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reading"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "endorses:r1",
            "endorses:r1@pat doe",
            "endorses:r2",
            "endorses:r3",
            "considers:r3"
        ]
    );
}

#[test]
fn each_coder_against_the_claim_sets() {
    let out = run(OK, &["reliability", "--gold", "--format", "json"]);
    assert_code(&out, 0);
    let gold = json(&out)["gold"].clone();
    let row = |i: usize| {
        let g = &gold[i];
        (
            g["coder"].as_str().unwrap().to_string(),
            g["precision"].as_f64().unwrap(),
            g["recall"].as_f64().unwrap(),
            g["f1"].as_f64().unwrap(),
        )
    };
    // al: 5 codes held, 4 in the reference of 4; bo: 3 of 4 both ways; cy: 1 of 1, 1 of 2
    let want = [
        ("al", 0.8, 1.0, 16.0 / 18.0),
        ("bo", 0.75, 0.75, 0.75),
        ("cy", 1.0, 0.5, 2.0 / 3.0),
    ];
    for (i, (coder, p, r, f)) in want.into_iter().enumerate() {
        let (c, gp, gr, gf) = row(i);
        assert_eq!(c, coder);
        assert!(
            (gp - p).abs() < 1e-12 && (gr - r).abs() < 1e-12 && (gf - f).abs() < 1e-12,
            "{c}: {gp} {gr} {gf}"
        );
    }
}

#[test]
fn choosing_coders_and_sources() {
    let out = run(
        OK,
        &["reliability", "--coders", "bo,al", "--format", "json"],
    );
    assert_code(&out, 0);
    let r = json(&out);
    assert_eq!(r["coders"], serde_json::json!(["bo", "al"]));
    assert_eq!(r["pairs"][0]["left"], "bo");
    let out = run(OK, &["reliability", "--sources", "b", "--format", "json"]);
    assert_code(&out, 0);
    assert_eq!(json(&out)["units"], 2);
    // one coder is no reliability: exit 1 with a message
    let out = run(OK, &["reliability", "--coders", "al"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("reliability needs at least two coders; only \"al\" was chosen"));
    let out = run(OK, &["reliability", "--coders", "al,cyy"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("did you mean \"cy\"?"));
    let out = run(OK, &["reliability", "--sources", "c"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("no source of work \"w\" was coded by two of the coders"));
    let out = run(OK, &["--coder", "al", "reliability"]);
    assert_code(&out, 1);
    // a corpus without codings says where codings go
    let out = run("tests/fixtures/views", &["reliability"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("has no codings"), "{}", stderr(&out));
}

#[test]
fn the_bootstrap_repeats_and_resamples_pairs_or_units() {
    let args = [
        "reliability",
        "--bootstrap",
        "500",
        "--seed",
        "9",
        "--format",
        "json",
    ];
    let a = json(&run(OK, &args));
    assert_eq!(a, json(&run(OK, &args)));
    assert_eq!(a["bootstrap"]["resample"], "pairs");
    let mut units = args.to_vec();
    units.extend(["--resample", "units"]);
    let b = json(&run(OK, &units));
    assert_eq!(b["bootstrap"]["resample"], "units");
    assert_eq!(b["bootstrap"]["units_per_sample"], 4);
    let i = &b["bootstrap"]["masi"];
    assert!(i["low"].as_f64().unwrap() <= i["high"].as_f64().unwrap());
}

#[test]
fn the_list_of_disagreements_can_be_left_out() {
    let r = json(&run(
        OK,
        &["reliability", "--no-disagreements", "--format", "json"],
    ));
    assert!(r.get("disagreements").is_none());
    assert!(r["pairs"].is_array());
    let table = stdout(&run(OK, &["reliability", "--no-disagreements"]));
    assert!(!table.contains("Disagreements"));
    // quotes in the terminal only when asked
    let table = stdout(&run(OK, &["reliability"]));
    assert!(!table.contains("the second reading"));
    let table = stdout(&run(OK, &["reliability", "--quotes"]));
    assert!(table.contains("“the second reading”"));
}

#[test]
fn every_format() {
    let md = stdout(&run(OK, &["reliability", "--format", "markdown"]));
    insta::assert_snapshot!("reliability_markdown", md);
    let csv = stdout(&run(OK, &["reliability", "--format", "csv"]));
    insta::assert_snapshot!("reliability_csv", csv);
    let table = stdout(&run(OK, &["reliability", "--sort", "agreement"]));
    insta::assert_snapshot!("reliability_table_by_agreement", table);
    let latex = stdout(&run(OK, &["reliability", "--format", "latex"]));
    assert!(
        latex.contains("Disagreements") && latex.contains("\\end{longtable}"),
        "{latex}"
    );
    let html = stdout(&run(OK, &["reliability", "--format", "html"]));
    // the coders × coders heatmap
    assert!(
        html.contains("<svg") && html.contains("Agreement between coders"),
        "no heatmap"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reliability.html");
    let out = run(OK, &["reliability", "-o", file.to_str().unwrap()]);
    assert_code(&out, 0);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), html);
}

#[test]
fn the_bundled_corpus_shows_real_disagreements() {
    let out = run("interpretations", &["reliability", "--format", "json"]);
    assert_code(&out, 0);
    let r = json(&out);
    assert_eq!(r["coders"], serde_json::json!(["ana", "ben", "chloe"]));
    assert!(!r["disagreements"].as_array().unwrap().is_empty());
    let masi = r["alpha"]["masi"].as_f64().unwrap();
    assert!(masi > 0.0 && masi < 1.0, "{masi}");
}

/// The independent reference agrees with parallax on the fixture and the bundled corpus, in
/// both kinds of value (skipped where python3 is missing).
#[test]
fn an_independent_reference_agrees() {
    if Command::new("python3").arg("--version").output().is_err() {
        println!("note: python3 is not installed; the reference comparison is skipped");
        return;
    }
    for (corpus, work) in [(OK, "w"), ("interpretations", "anora")] {
        for value in ["readings", "positions"] {
            let reference = Command::new("python3")
                .arg(root().join("benches/reliability_reference.py"))
                .arg(root().join(corpus).join(work))
                .args(["--value", value])
                .output()
                .unwrap();
            assert!(
                reference.status.success(),
                "{}",
                String::from_utf8_lossy(&reference.stderr)
            );
            let want: Value = serde_json::from_slice(&reference.stdout).unwrap();
            let got = json(&run(
                corpus,
                &["reliability", "--value", value, "--format", "json"],
            ));
            for field in ["units", "pairable_units", "pairable_values"] {
                assert_eq!(got[field], want[field], "{corpus} {value} {field}");
            }
            for d in ["nominal", "masi", "jaccard"] {
                let (g, w) = (&got["alpha"][d], &want["alpha"][d]);
                assert!(
                    w.is_null() && g.is_null() || close(g, w.as_f64().unwrap()),
                    "{corpus} {value} {d}: {g} vs {w}"
                );
            }
            for (g, w) in got["pairs"]
                .as_array()
                .unwrap()
                .iter()
                .zip(want["pairs"].as_array().unwrap())
            {
                assert_eq!(g["shared_units"], w["shared_units"]);
                assert!(
                    w["alpha"].is_null() && g["alpha"].is_null()
                        || close(&g["alpha"], w["alpha"].as_f64().unwrap())
                );
            }
        }
    }
}

//! `parallax agreement` end to end: the publication figures (interpretation, warnings,
//! bootstrap, per reading, leave one out) in JSON and in every other format, `--sort`,
//! and no verdict where alpha is undefined. Corpora are written to temporary folders.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_code, run, stderr, stdout};
use serde_json::Value;

/// A work with scenes s1…sN and readings a, b, c (b excludes c), and sources whose
/// endorsements are given per scene (`None`: the source says nothing there).
fn corpus(dir: &Path, scenes: usize, sources: &[(&str, &[Option<&[&str]>])]) {
    let work = dir.join("w");
    fs::create_dir_all(work.join("sources")).unwrap();
    let mut toml = String::from("[work]\ntitle = \"W\"\n");
    for s in 1..=scenes {
        toml += &format!("\n[[scene]]\nid = \"s{s}\"\ntitle = \"Scene {s}\"\n");
    }
    for (id, excludes) in [("a", ""), ("b", "excludes = [\"c\"]\n"), ("c", "")] {
        toml += &format!("\n[[reading]]\nid = \"{id}\"\nlabel = \"{id}\"\n{excludes}");
    }
    fs::write(work.join("work.toml"), toml).unwrap();
    for (id, values) in sources {
        let mut src = format!("[source]\ntitle = \"{id}\"\n");
        for (s, value) in values.iter().enumerate() {
            for reading in value.iter().flat_map(|v| v.iter()) {
                src += &format!(
                    "\n[[claim]]\nscene = \"s{}\"\nreading = \"{reading}\"\nsummary = \"x\"\n",
                    s + 1
                );
            }
        }
        fs::write(work.join("sources").join(format!("{id}.toml")), src).unwrap();
    }
}

/// Four sources over six scenes: three mostly agree, `odd` does not.
fn mixed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c, ab): (&[&str], &[&str], &[&str], &[&str]) = (&["a"], &["b"], &["c"], &["a", "b"]);
    corpus(
        dir.path(),
        6,
        &[
            (
                "one",
                &[Some(a), Some(b), Some(c), Some(a), Some(b), Some(ab)],
            ),
            (
                "two",
                &[Some(a), Some(b), Some(c), Some(a), Some(b), Some(ab)],
            ),
            (
                "three",
                &[Some(a), Some(b), Some(c), Some(ab), Some(b), Some(a)],
            ),
            ("odd", &[Some(c), Some(a), Some(b), Some(c), Some(a), None]),
        ],
    );
    dir
}

/// Everyone endorses `a` everywhere: no variation, so alpha is undefined.
fn unanimous() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let a: &[&str] = &["a"];
    corpus(
        dir.path(),
        2,
        &[("one", &[Some(a), Some(a)]), ("two", &[Some(a), Some(a)])],
    );
    dir
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["agreement", "--format", "json"];
    all.extend(args);
    let out = run(dir.to_str().unwrap(), &all);
    assert_code(&out, 0);
    serde_json::from_str(&stdout(&out)).expect("agreement writes JSON")
}

fn render(dir: &Path, format: &str, args: &[&str]) -> String {
    let mut all = vec!["agreement", "--format", format];
    all.extend(args);
    let out = run(dir.to_str().unwrap(), &all);
    assert_code(&out, 0);
    stdout(&out)
}

const FORMATS: [&str; 5] = ["table", "markdown", "csv", "html", "latex"];

#[test]
fn json_has_the_publication_fields() {
    let dir = mixed();
    let v = json(dir.path(), &["--bootstrap", "300"]);
    assert_eq!(v["pairable_values"], 23);
    let masi = v["alpha"]["masi"].as_f64().unwrap();
    let expected = if masi >= 0.8 {
        "reliable"
    } else if masi >= 0.667 {
        "tentative"
    } else {
        "not reliable"
    };
    assert_eq!(v["interpretation"], expected);
    assert_eq!(v["warnings"], serde_json::json!([]), "23 pairable values");

    let b = &v["bootstrap"];
    assert_eq!(
        (b["samples"].as_u64(), b["seed"].as_u64()),
        (Some(300), Some(1))
    );
    for d in ["nominal", "masi", "jaccard"] {
        let i = &b[d];
        let (low, high) = (i["low"].as_f64().unwrap(), i["high"].as_f64().unwrap());
        assert!(low <= high, "{d}: {i}");
        let q = (
            i["q_below_0667"].as_f64().unwrap(),
            i["q_below_0800"].as_f64().unwrap(),
        );
        assert!(0.0 <= q.0 && q.0 <= q.1 && q.1 <= 1.0, "{d}: {i}");
    }

    let readings = v["per_reading"].as_array().unwrap();
    let ids: Vec<&str> = readings
        .iter()
        .map(|r| r["reading"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    for r in readings {
        assert_eq!(r["pairable_scenes"], v["pairable_scenes"]);
        assert_eq!(r["n"], v["pairable_values"]);
        assert!(r["alpha"].is_number(), "{r}");
    }

    let left = v["leave_one_out"].as_array().unwrap();
    assert_eq!(left.len(), 4);
    assert_eq!(
        left[0]["source"], "odd",
        "the dissenter pulls agreement down most"
    );
    assert!(left[0]["change"].as_f64().unwrap() > 0.0);
    let changes: Vec<f64> = left.iter().map(|l| l["change"].as_f64().unwrap()).collect();
    assert!(changes.windows(2).all(|w| w[0] >= w[1]), "{changes:?}");
    let without = left[0]["masi"].as_f64().unwrap();
    assert!((without - masi - changes[0]).abs() < 1e-12);
}

#[test]
fn json_keeps_the_scene_and_pair_fields() {
    let dir = mixed();
    let v = json(dir.path(), &[]);
    assert!(v.get("bootstrap").is_none(), "only with --bootstrap");
    let scene = &v["per_scene"][0];
    for field in ["scene", "sources", "distinct_values", "agreement", "values"] {
        assert!(scene.get(field).is_some(), "per_scene lacks {field}");
    }
    // s1: three sources endorse a, odd endorses c
    assert_eq!(scene["scene"], "s1");
    assert_eq!(
        scene["values"],
        serde_json::json!([
            {"readings": ["a"], "sources": ["one", "three", "two"]},
            {"readings": ["c"], "sources": ["odd"]},
        ])
    );
    let pairs = v["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 6);
    for field in [
        "left",
        "right",
        "shared_scenes",
        "agree",
        "overlap",
        "diverge",
        "conflict",
        "mean_jaccard",
    ] {
        assert!(pairs[0].get(field).is_some(), "pairs lack {field}");
    }
    let no_pairs = json(dir.path(), &["--no-pairs"]);
    assert!(no_pairs.get("pairs").is_none());
}

#[test]
fn sort_orders_scenes_readings_and_pairs() {
    let dir = mixed();
    let by_name = json(dir.path(), &["--sort", "name"]);
    assert_eq!(by_name, json(dir.path(), &[]), "name is the default");
    let scenes = |v: &Value| -> Vec<String> {
        v["per_scene"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["scene"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(scenes(&by_name), ["s1", "s2", "s3", "s4", "s5", "s6"]);

    let key = |x: &Value| x.as_f64().unwrap_or(f64::INFINITY);
    for sort in ["agreement", "conflicts"] {
        let v = json(dir.path(), &["--sort", sort]);
        let agreement: Vec<f64> = v["per_scene"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| key(&s["agreement"]))
            .collect();
        assert!(
            agreement.windows(2).all(|w| w[0] <= w[1]),
            "{sort}: {agreement:?}"
        );
        let alphas: Vec<f64> = v["per_reading"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| key(&r["alpha"]))
            .collect();
        assert!(
            alphas.windows(2).all(|w| w[0] <= w[1]),
            "{sort}: {alphas:?}"
        );
        let pairs = v["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), 6);
        if sort == "agreement" {
            let j: Vec<f64> = pairs.iter().map(|p| key(&p["mean_jaccard"])).collect();
            assert!(j.windows(2).all(|w| w[0] <= w[1]), "{j:?}");
        } else {
            let c: Vec<u64> = pairs
                .iter()
                .map(|p| p["conflict"].as_u64().unwrap())
                .collect();
            assert!(c.windows(2).all(|w| w[0] >= w[1]), "{c:?}");
            assert!(c[0] > 0, "odd conflicts with the others (b excludes c)");
        }
    }
    let out = run(
        dir.path().to_str().unwrap(),
        &["agreement", "--sort", "loudest"],
    );
    assert_code(&out, 2);
}

#[test]
fn the_seed_repeats_the_bootstrap() {
    let dir = mixed();
    let args = ["--bootstrap", "200", "--seed", "42"];
    let one = render(dir.path(), "json", &args);
    assert_eq!(one, render(dir.path(), "json", &args));
    let v: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["bootstrap"]["seed"], 42);
    let default = json(dir.path(), &["--bootstrap", "200"]);
    assert_eq!(default["bootstrap"]["seed"], 1, "a fixed default seed");
    assert_eq!(
        default,
        json(dir.path(), &["--bootstrap", "200", "--seed", "1"])
    );
}

#[test]
fn bad_bootstrap_arguments_are_usage_errors() {
    let dir = mixed();
    let corpus = dir.path().to_str().unwrap();
    for args in [
        &["agreement", "--bootstrap", "0"][..],
        &["agreement", "--bootstrap", "many"],
        &["agreement", "--seed", "3"],
        &["agreement", "--bootstrap", "10", "--seed", "-1"],
    ] {
        let out = run(corpus, args);
        assert_code(&out, 2);
        assert!(!stderr(&out).contains("panicked"), "{args:?}");
    }
}

#[test]
fn every_format_shows_the_new_parts() {
    let dir = mixed();
    for format in FORMATS {
        let text = render(dir.path(), format, &["--bootstrap", "100"]);
        let parts: &[&str] = if format == "csv" {
            &[
                "interpretation,masi,interpretation,",
                "reading,a,alpha,",
                "leave-one-out,odd,change,",
                "alpha,masi,low,",
                "alpha,nominal,q_below_0800,",
                "scene,s1,agreement,",
            ]
        } else {
            &[
                "Interpretation (MASI alpha",
                "Bootstrap (Krippendorff",
                "interval",
                "P(alpha",
                "By reading",
                "Leaving one source out",
                "odd",
                "By pair of sources",
            ]
        };
        for part in parts {
            assert!(text.contains(part), "{format} lacks {part:?}:\n{text}");
        }
    }
}

#[test]
fn few_pairable_values_are_warned_about_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b): (&[&str], &[&str]) = (&["a"], &["b"]);
    corpus(
        dir.path(),
        2,
        &[("one", &[Some(a), Some(a)]), ("two", &[Some(a), Some(b)])],
    );
    let v = json(dir.path(), &[]);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .contains("only 4 values are pairable")
    );
    for format in FORMATS {
        let text = render(dir.path(), format, &[]);
        assert!(text.contains("only 4 values are pairable"), "{format}");
    }
}

#[test]
fn undefined_alpha_never_gets_a_verdict() {
    let dir = unanimous();
    let v = json(dir.path(), &["--bootstrap", "50"]);
    assert_eq!(v["alpha"]["masi"], Value::Null);
    assert_eq!(v["interpretation"], Value::Null);
    assert_eq!(v["bootstrap"]["masi"], Value::Null);
    assert!(
        v["leave_one_out"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["change"].is_null())
    );
    for format in FORMATS {
        let text = render(dir.path(), format, &["--bootstrap", "50"]).to_lowercase();
        assert!(text.contains("undefined"), "{format}: {text}");
        for verdict in ["reliable", "tentative"] {
            assert!(!text.contains(verdict), "{format} gives a verdict: {text}");
        }
    }
}

#[test]
fn markdown_of_a_small_work() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b): (&[&str], &[&str]) = (&["a"], &["b"]);
    corpus(
        dir.path(),
        2,
        &[("one", &[Some(a), Some(a)]), ("two", &[Some(a), Some(b)])],
    );
    let text = render(dir.path(), "markdown", &["--bootstrap", "100"]);
    insta::assert_snapshot!(text, @r#"
    # w: agreement between sources

    Krippendorff's alpha over 2 sources and 2 scenes: 2 pairable scenes, n = 4 values.

    | distance | alpha | 95% interval | P(alpha \< 0.667) | P(alpha \< 0.800) | meaning |
    | --- | ---: | ---: | ---: | ---: | --- |
    | nominal | **0.000** | -1.000 – 0.000 | 1.000 | 1.000 | each distinct set of readings is one category |
    | masi | **0.000** | -1.000 – 0.000 | 1.000 | 1.000 | partial credit for overlapping sets (Passonneau 2006) |
    | jaccard | **0.000** | -1.000 – 0.000 | 1.000 | 1.000 | 1 − \|A∩B\| / \|A∪B\| |

    Interpretation (MASI alpha = 0.000): **not reliable** — below 0.667: the coding should not be relied on (Krippendorff's thresholds: 0.800 and 0.667).

    warning: only 4 values are pairable (fewer than 10): alpha rests on too little data to be trusted

    Bootstrap (Krippendorff's algorithm): 100 samples of 2 pairs of values each, seed 1; the 95% interval of the samples' alpha, and the share of samples below 0.667 and 0.800.

    ## By reading

    | reading | alpha | pairable scenes | n |
    | --- | ---: | ---: | ---: |
    | a | **0.000** | 2 | 4 |
    | b | **0.000** | 2 | 4 |
    | c | **n/a** | 2 | 4 |

    alpha (nominal) of the yes-or-no question “does the source endorse this reading here?”, asked of every source that endorses something in a scene

    ## Leaving one source out

    | source | alpha without (MASI) | change |
    | --- | ---: | ---: |
    | one | **n/a** | n/a |
    | two | **n/a** | n/a |

    change: MASI alpha without the source minus alpha with every source; the sources whose coding pulls agreement down come first

    ## By scene

    | scene | sources | distinct | agreement | who endorses what |
    | --- | ---: | ---: | ---: | --- |
    | s1 | 2 | 1 | **1.000** | ✓ a — one, two |
    | s2 | 2 | 2 | **0.000** | ✓ a — one<br>✓ b — two |

    agreement: mean over pairs of sources of 1 − MASI distance between their endorsed sets

    ## By pair of sources

    | left | right | shared | agree | overlap | diverge | conflict | mean jaccard |
    | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
    | one | two | 2 | 1 | 0 | 1 | 0 | 0.500 |
    "#);
}

/// 60 sources make 1,770 pairs, more than the terminal holds: the pair table is measured
/// in one reading and drawn in a second, and still holds every pair with its figures, in
/// the JSON's order and on lines of one width.
#[test]
fn a_long_pair_table_is_drawn_whole_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let picks: [&[&str]; 4] = [&["a"], &["b"], &["c"], &["a", "b"]];
    let sources: Vec<(String, Vec<Option<&[&str]>>)> = (0..60)
        .map(|k| {
            let values = (0..4)
                .map(|s| (k % 7 != s).then_some(picks[(k * (s + 1)) % 4]))
                .collect();
            (format!("source-{k:02}"), values)
        })
        .collect();
    let sources: Vec<(&str, &[Option<&[&str]>])> = sources
        .iter()
        .map(|(id, values)| (id.as_str(), values.as_slice()))
        .collect();
    corpus(dir.path(), 4, &sources);
    let pairs = json(dir.path(), &[])["pairs"].as_array().unwrap().clone();
    assert_eq!(pairs.len(), 1770);
    let table = render(dir.path(), "table", &[]);
    let section = &table[table.find("By pair of sources").unwrap()..];
    let lines: Vec<&str> = section.lines().skip(2).collect();
    let width = lines[0].chars().count();
    assert!(lines.iter().all(|l| l.chars().count() == width));
    let rows: Vec<Vec<&str>> = lines
        .iter()
        .filter(|l| l.starts_with("│ source-"))
        .map(|l| l.trim_matches('│').split('┆').map(str::trim).collect())
        .collect();
    assert_eq!(rows.len(), pairs.len());
    for (row, pair) in rows.iter().zip(&pairs) {
        assert_eq!(row[0], pair["left"]);
        assert_eq!(row[1], pair["right"]);
        assert_eq!(row[2], pair["shared_scenes"].to_string());
        assert_eq!(row[6], pair["conflict"].to_string());
        let jaccard = pair["mean_jaccard"]
            .as_f64()
            .map_or("n/a".into(), |x| format!("{x:.3}"));
        assert_eq!(row[7], jaccard);
    }
}

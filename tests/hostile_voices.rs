//! `voices` on hostile corpora (SECURITY.md): one very long quote and many short excerpts of it
//! must print a bounded amount per pair (output linear in the corpus), and two very long
//! quotes must be compared in memory linear in their length.

mod common;

use std::fs;
use std::path::Path;

use common::{assert_code, json, parallax_in};

const WORK: &str = "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n\n[[person]]\nid = \"ada\"\nname = \"Ada Director\"\n";

fn source(dir: &Path, id: &str, quote: &str) {
    fs::write(
        dir.join(format!("sources/{id}.toml")),
        format!(
            "[source]\ntitle = \"{id}\"\n\n[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"{quote}\"\nattributed_to = \"Ada Director\"\nvia = \"Variety\"\n"
        ),
    )
    .unwrap();
}

fn words(from: usize, to: usize) -> String {
    (from..to)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn corpus_size(dir: &Path) -> u64 {
    fs::read_dir(dir.join("sources"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[test]
fn excerpts_of_a_long_quote_print_their_context_not_the_whole_quote() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    fs::write(w.join("work.toml"), WORK).unwrap();
    let long = words(0, 20_000);
    source(&w, "long", &long);
    let excerpts = 60;
    for i in 0..excerpts {
        let at = i * 300;
        source(&w, &format!("e{i}"), &words(at, at + 6));
    }
    let out = parallax_in(tmp.path())
        .args(["--corpus", "c", "voices", "-f", "json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let size = corpus_size(&w);
    // the person's claims list each quote once; the pairs add a bounded amount each
    assert!(
        (out.stdout.len() as u64) < 3 * size,
        "{} bytes of JSON from {size} bytes of claims",
        out.stdout.len()
    );
    let value = json(&out);
    let pairs = value["people"][0]["same_remark"].as_array().unwrap();
    assert_eq!(pairs.len(), excerpts);
    for p in pairs {
        assert_eq!(p["class"], "excerpt");
        for side in ["left", "right"] {
            let q = p[side]["quote"].as_str().unwrap();
            assert!(q.split(' ').count() < 40, "{q}");
        }
        let shown = p["left"]["quote"].as_str().unwrap();
        let excerpt = p["right"]["quote"].as_str().unwrap();
        let (long_side, short_side) = if shown.len() > excerpt.len() {
            (shown, excerpt)
        } else {
            (excerpt, shown)
        };
        assert!(long_side.contains(short_side), "{long_side} / {short_side}");
        assert!(long_side.contains('…'), "{long_side}");
        assert!(p["diff"].as_str().unwrap().len() < 1000);
    }
}

#[test]
fn two_long_unrelated_quotes_are_compared_without_quadratic_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let w = tmp.path().join("c/w");
    fs::create_dir_all(w.join("sources")).unwrap();
    fs::write(w.join("work.toml"), WORK).unwrap();
    // 60,000 distinct words each, a few shared so that they are candidates of each other:
    // a bit row of the one per distinct word of the other would take 450 MB
    let shared = "alpha beta gamma delta";
    source(&w, "a", &format!("{shared} {}", words(0, 60_000)));
    source(&w, "b", &format!("{shared} {}", words(100_000, 160_000)));
    let out = std::process::Command::new("sh")
        .current_dir(tmp.path())
        .args([
            "-c",
            "ulimit -v 400000 && exec \"$0\" --corpus c voices -f json",
        ])
        .arg(assert_cmd::cargo::cargo_bin("parallax"))
        .output()
        .unwrap();
    assert_code(&out, 0);
    let value = json(&out);
    assert_eq!(value["people"][0]["same_remark"], serde_json::json!([]));
}

//! `show source ID`: one source whole, in every format, from the bundled corpus.

mod common;

use common::{assert_code, copy_tree, json, root, run, stderr, stdout};

fn show(args: &[&str]) -> std::process::Output {
    let mut all = vec!["show", "source"];
    all.extend(args);
    run("interpretations", &all)
}

#[test]
fn the_json_holds_the_metadata_the_coders_and_every_claim() {
    let out = show(&["car-scene-tears", "--format", "json"]);
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["work"], "anora");
    assert_eq!(v["source"], "car-scene-tears");
    assert_eq!(v["coder"], serde_json::Value::Null);
    assert_eq!(v["kind"], "article");
    assert_eq!(v["text"]["file"], "001_555db0e1eadaef05.txt");
    assert_eq!(v["text"]["found"], true);
    assert_eq!(v["coders"], serde_json::json!(["ana", "ben", "chloe"]));
    let claims = v["claims"].as_array().unwrap();
    let file =
        std::fs::read_to_string(root().join("interpretations/anora/sources/car-scene-tears.toml"))
            .unwrap();
    assert_eq!(claims.len(), file.matches("[[claim]]").count());
    // every quote of the bundled corpus is in its text
    assert!(claims.iter().all(|c| c["quote_found"] == true));
    // scenes in the work's order
    let scenes: Vec<&str> = claims
        .iter()
        .map(|c| c["scene"].as_str().unwrap())
        .collect();
    let mut sorted = scenes.clone();
    let order = [
        "ring-return",
        "car-encounter",
        "refused-kiss",
        "tears",
        "silent-credits",
        "whole-ending",
    ];
    sorted.sort_by_key(|s| order.iter().position(|o| o == s));
    assert_eq!(scenes, sorted);
    let baker = claims
        .iter()
        .find(|c| c["attributed_to"] == "Sean Baker")
        .expect("a claim reporting Baker");
    assert_eq!(baker["person"], "sean-baker");
    assert_eq!(baker["via"], "IndieWire interview");
    assert_eq!(baker["label"], "Reclaimed power");
}

#[test]
fn every_format_shows_it() {
    for (format, needles) in [
        (
            "table",
            &[
                "car-scene-tears",
                "✓ found",
                "Sean Baker, via IndieWire",
                "ana, ben, chloe",
            ][..],
        ),
        (
            "markdown",
            &["car-scene-tears", "Sean Baker", "555db0e1eadaef05"],
        ),
        ("html", &["<html", "car-scene-tears", "Sean Baker"]),
        ("latex", &["car-scene-tears", "Sean Baker"]),
        (
            "csv",
            &["source,scene,reading,label,stance,attributed_to,via,summary,quote,quote_found,line"],
        ),
    ] {
        let out = show(&["car-scene-tears", "--format", format]);
        assert_code(&out, 0);
        let text = stdout(&out);
        for needle in needles {
            assert!(text.contains(needle), "{format} lacks {needle}:\n{text}");
        }
    }
    let csv = stdout(&show(&["car-scene-tears", "-f", "csv"]));
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    for row in rows.records() {
        let row = row.unwrap();
        assert_eq!(row.len(), 11);
        assert_eq!(&row[0], "car-scene-tears");
        assert_eq!(&row[9], "yes");
        assert!(row.iter().all(|cell| !cell.contains('\n')));
    }
}

#[test]
fn a_coder_s_coding_and_a_quote_not_found() {
    let out = show(&["ending-explained", "--coder", "ana", "-f", "json"]);
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["coder"], "ana");
    assert!(
        v["file"]
            .as_str()
            .unwrap()
            .ends_with("codings/ana/ending-explained.toml")
    );
    // the coding takes the source's metadata and its text
    assert_eq!(v["text"]["found"], true);

    let out = show(&["nope", "--coder", "ana"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("coder \"ana\" has no coding of \"nope\""),
        "{}",
        stderr(&out)
    );
    let out = show(&["car-scene-tear"]);
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("did you mean \"car-scene-tears\"?"),
        "{}",
        stderr(&out)
    );

    // a word changed in a copy: the quote is not found, and the text without its file is
    // "not found", never an error of `show`
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), dir.path());
    let claims = dir.path().join("anora/sources/car-scene-tears.toml");
    let text = std::fs::read_to_string(&claims).unwrap();
    std::fs::write(
        &claims,
        text.replace("signifies her reclaiming", "shows her reclaiming"),
    )
    .unwrap();
    let out = run(
        dir.path().to_str().unwrap(),
        &["show", "source", "car-scene-tears", "-f", "json"],
    );
    assert_code(&out, 0);
    let v = json(&out);
    let missing: Vec<&serde_json::Value> = (v["claims"].as_array().unwrap().iter())
        .filter(|c| c["quote_found"] == false)
        .collect();
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0]["quote"]
            .as_str()
            .unwrap()
            .contains("shows her reclaiming")
    );
    std::fs::remove_dir_all(dir.path().join("anora/texts")).unwrap();
    let out = run(
        dir.path().to_str().unwrap(),
        &["show", "source", "car-scene-tears", "-f", "json"],
    );
    assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["text"]["found"], false);
    assert!(
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["quote_found"].is_null())
    );
}

//! `export --format annotations`: the claims as W3C Web Annotations with a
//! `TextQuoteSelector` (exact, prefix, suffix from the archived text), the source's URL as
//! target, the summary as body and the tags `import hypothesis` reads; importing the file
//! gives back the same claims.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_code, copy_tree, root, run, stderr, stdout, write_corpus};

fn seeds() -> Option<PathBuf> {
    let dir = root().join("interpretations/anora/texts");
    assert!(dir.is_dir(), "the bundled corpus keeps its texts");
    Some(dir)
}

/// Each claim set's claims, every field as written, sorted.
fn claims(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let table: toml::Table = fs::read_to_string(e.path()).unwrap().parse().unwrap();
        let mut list: Vec<String> = table["claim"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let mut t = c.as_table().unwrap().clone();
                t.entry("stance").or_insert("endorses".into());
                toml::to_string(&t).unwrap()
            })
            .collect();
        list.sort();
        out.insert(e.file_name().to_string_lossy().into_owned(), list);
    }
    out
}

#[test]
fn the_bundled_corpus_goes_out_and_comes_back_through_import_hypothesis() {
    let Some(seeds) = seeds() else { return };
    let corpus = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), corpus.path());
    let c = corpus.path().to_str().unwrap();
    let sources = corpus.path().join("anora/sources");
    let before = claims(&sources);
    let file = corpus.path().join("anora.jsonld");
    let out = run(
        c,
        &[
            "export",
            "--texts",
            seeds.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_code(&out, 0);
    assert!(
        stderr(&out).is_empty(),
        "every quote is anchored: {}",
        stderr(&out)
    );

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 28);
    let a = &list[0];
    assert_eq!(a["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(a["type"], "Annotation");
    let selector = &a["target"]["selector"][0];
    assert_eq!(selector["type"], "TextQuoteSelector");
    // prefix and suffix are the text's own, up to 32 characters
    let text = fs::read_to_string(seeds.join("001_555db0e1eadaef05.txt"))
        .unwrap()
        .replace("\r\n", "\n");
    let whole = format!(
        "{}{}{}",
        selector["prefix"].as_str().unwrap(),
        selector["exact"].as_str().unwrap(),
        selector["suffix"].as_str().unwrap()
    );
    assert!(text.contains(&whole), "{whole:?} is not in the text");
    assert_eq!(selector["prefix"].as_str().unwrap().chars().count(), 32);

    let out = run(
        c,
        &["import", "hypothesis", file.to_str().unwrap(), "--force"],
    );
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(claims(&sources), before);
    // the metadata the sources had is kept
    let set = fs::read_to_string(sources.join("ending-explained.toml")).unwrap();
    assert!(set.contains("text = \"000_208c82bc9aa41d49.txt\""), "{set}");
    assert_code(&run(c, &["check", "--texts", seeds.to_str().unwrap()]), 0);
}

const WORK: &str = "[work]\ntitle = \"Film\"\n\n[[scene]]\nid = \"end\"\ntitle = \"The end\"\n\n[[reading]]\nid = \"hope\"\nlabel = \"Hope\"\n";

#[test]
fn a_source_with_a_url_is_its_target_and_summaries_stay_as_written() {
    let corpus = write_corpus(&[
        ("film/work.toml", WORK),
        (
            "film/sources/web.toml",
            "[source]\ntitle = \"Web piece\"\nurl = \"https://example.net/piece\"\ntext = \"web.txt\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nsummary = \"*Not* emphasis: <b>literal</b> [x](y) \\\\ and\\na new line.\"\nquote = \"smiles 🎬 at\"\nattributed_to = \"A Critic\"\nvia = \"Radio: late show\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nstance = \"considers\"\nsummary = \"No quote here.\"\n",
        ),
        ("film/texts/web.txt", "She smiles 🎬 at last.\n"),
    ]);
    let c = corpus.path().to_str().unwrap();
    let sources = corpus.path().join("film/sources");
    let before = claims(&sources);
    let out = run(c, &["export", "--format", "annotations"]);
    assert_code(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let a = &json[0];
    assert_eq!(a["target"]["source"], "https://example.net/piece");
    assert_eq!(a["target"]["selector"][0]["prefix"], "She ");
    assert_eq!(a["target"]["selector"][0]["suffix"], " last.\n");
    let tags: Vec<&str> = a["body"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["purpose"] == "tagging")
        .map(|b| b["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        tags,
        [
            "scene:end",
            "reading:hope",
            "stance:endorses",
            "by:A Critic",
            "via:Radio: late show"
        ]
    );
    assert!(
        json[1]["target"].get("selector").is_none(),
        "no quote, no selector"
    );

    let file = corpus.path().join("out.json");
    fs::write(&file, stdout(&out)).unwrap();
    let out = run(
        c,
        &["import", "hypothesis", file.to_str().unwrap(), "--force"],
    );
    assert_code(&out, 0);
    assert_eq!(claims(&sources), before);

    // only `export` writes annotations
    let out = run(c, &["matrix", "-f", "annotations"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("written only by `parallax export`"));
}

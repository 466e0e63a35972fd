//! `export --format qdpx`: the REFI-QDA project is a zip that holds a `project.qde` valid
//! against the published QDA-XML 1.0 schema (checked with xmllint where it is installed)
//! and each archived text; every selection's characters, counted in code points as the
//! standard counts them, are the claim's quote; GUIDs and bytes are the same on every run.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_code, parallax_in, root, run, stderr, write_corpus};
use parallax::quotes::{Haystack, QuoteMatch, normalize};

const SCHEMA: &str = "tests/qdpx/Project-mrt2019.xsd";

/// The archived texts of the bundled corpus.
fn seeds() -> Option<PathBuf> {
    let dir = root().join("interpretations/anora/texts");
    assert!(dir.is_dir(), "the bundled corpus keeps its texts");
    Some(dir)
}

/// A `.qdpx` opened: its project and its files by name.
struct Qdpx {
    qde: String,
    files: HashMap<String, String>,
}

fn open(bytes: &[u8]) -> Qdpx {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut files = HashMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 entries");
        let name = entry.name().unwrap().to_string();
        files.insert(name, text);
    }
    let qde = files.remove("project.qde").expect("project.qde in the zip");
    Qdpx { qde, files }
}

/// Exports `corpus` (extra args after `export`) into a fresh folder; the file's bytes and
/// the run's standard error.
fn export(corpus: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("project.qdpx");
    let out = parallax_in(root())
        .arg("--corpus")
        .arg(corpus)
        .arg("export")
        .arg("-o")
        .arg(&target)
        .args(args)
        .output()
        .unwrap();
    assert_code(&out, 0);
    (fs::read(&target).unwrap(), stderr(&out))
}

/// Validates a project against the published schema with xmllint, or says why not.
fn assert_schema_valid(qde: &str) {
    if Command::new("xmllint").arg("--version").output().is_err() {
        println!(
            "note: xmllint is not installed (apt-get install libxml2-utils); schema validation skipped"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("project.qde");
    fs::write(&file, qde).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(root().join(SCHEMA))
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "project.qde is not valid against {SCHEMA}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every GUID is declared once and every reference names a declared one.
fn assert_references_resolve(doc: &roxmltree::Document) {
    let mut declared = HashSet::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(g) = node.attribute("guid") {
            assert!(declared.insert(g.to_string()), "GUID {g} declared twice");
        }
    }
    for node in doc.descendants().filter(|n| n.is_element()) {
        for attr in ["targetGUID", "creatingUser", "creatingUserGUID"] {
            if let Some(g) = node.attribute(attr) {
                assert!(
                    declared.contains(g),
                    "{} {attr}={g} names nothing",
                    node.tag_name().name()
                );
            }
        }
    }
}

/// The claims of a source's claim file, by number from 1.
fn quotes_of(corpus: &Path, source: &str) -> Vec<Option<String>> {
    let path = corpus.join("anora/sources").join(format!("{source}.toml"));
    let table: toml::Table = fs::read_to_string(path).unwrap().parse().unwrap();
    table["claim"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.get("quote").and_then(|q| q.as_str()).map(str::to_string))
        .collect()
}

/// For each coded claim: (source id, claim number, the text at its positions in code
/// points). A claim is a selection per code it carries, all named alike and at one place.
fn selections(p: &Qdpx) -> Vec<(String, usize, String)> {
    let doc = roxmltree::Document::parse(&p.qde).expect("well-formed XML");
    let mut out = Vec::new();
    for source in doc.descendants().filter(|n| n.has_tag_name("TextSource")) {
        let path = source.attribute("plainTextPath").unwrap();
        let name = path.strip_prefix("internal://").expect("an internal text");
        let text: Vec<char> = p.files[&format!("sources/{name}")].chars().collect();
        for sel in source
            .children()
            .filter(|n| n.has_tag_name("PlainTextSelection"))
        {
            let start: usize = sel.attribute("startPosition").unwrap().parse().unwrap();
            let end: usize = sel.attribute("endPosition").unwrap().parse().unwrap();
            assert!(start < end && end <= text.len(), "positions {start}..{end}");
            let (id, n) = sel
                .attribute("name")
                .unwrap()
                .split_once(" claim ")
                .unwrap();
            let claim = (
                id.to_string(),
                n.parse().unwrap(),
                text[start..end].iter().collect(),
            );
            if out.last() != Some(&claim) {
                out.push(claim);
            }
        }
    }
    out
}

/// The selected text is the quote: equal after the folding of docs/formats.md#archived-texts, or, for an elided
/// quote, exactly the span the quote's parts cover.
fn assert_is_the_quote(selected: &str, quote: &str) {
    if normalize(selected) == normalize(quote) {
        return;
    }
    assert!(
        quote.contains('…') || quote.contains("..."),
        "selection {selected:?} is not the quote {quote:?}"
    );
    assert_eq!(
        Haystack::new(selected).find(quote),
        QuoteMatch::Found {
            start: 0,
            end: selected.len()
        },
        "the elided quote {quote:?} does not span the selection {selected:?}"
    );
}

#[test]
fn the_bundled_corpus_with_its_texts_is_a_valid_project_whose_selections_are_the_quotes() {
    let Some(seeds) = seeds() else { return };
    // the work's claim sets alone: its coders' codings are exported as users of their own
    // (tested with the coders below)
    let dir = write_corpus(&[]);
    common::copy_tree(&root().join("interpretations"), dir.path());
    std::fs::remove_dir_all(dir.path().join("anora/codings")).unwrap();
    let corpus = dir.path().to_path_buf();
    let (bytes, err) = export(&corpus, &["--texts", seeds.to_str().unwrap()]);
    assert!(
        err.is_empty(),
        "every quote is found, so nothing is said:\n{err}"
    );
    let p = open(&bytes);
    assert_eq!(
        p.files.len(),
        2,
        "one text per source: {:?}",
        p.files.keys()
    );
    assert_schema_valid(&p.qde);
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    assert_references_resolve(&doc);

    let sel = selections(&p);
    let mut quotes = 0;
    for source in ["ending-explained", "car-scene-tears"] {
        let claims = quotes_of(&corpus, source);
        quotes += claims.iter().flatten().count();
        for (_, n, selected) in sel.iter().filter(|(id, _, _)| id == source) {
            let quote = claims[n - 1]
                .as_deref()
                .expect("a selection is a quoted claim");
            assert_is_the_quote(selected, quote);
        }
    }
    assert_eq!(sel.len(), quotes, "every quote is a selection");

    // the archived texts are the seeds, as they are
    for text in p.files.values() {
        let seed = fs::read_dir(&seeds)
            .unwrap()
            .map(|e| {
                fs::read_to_string(e.unwrap().path())
                    .unwrap()
                    .replace("\r\n", "\n")
            })
            .any(|s| s.trim_start_matches('\u{feff}') == text);
        assert!(seed, "a text in sources/ is not one of the seeds");
    }
}

#[test]
fn exporting_twice_gives_the_same_bytes() {
    let corpus = root().join("interpretations");
    let mut args = vec![];
    let seeds = seeds();
    if let Some(s) = &seeds {
        args = vec!["--texts", s.to_str().unwrap()];
    }
    let (a, _) = export(&corpus, &args);
    let (b, _) = export(&corpus, &args);
    assert!(a == b, "two exports of one corpus differ");
    let p = open(&a);
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    let project = doc.root_element();
    assert_eq!(
        project.tag_name().namespace(),
        Some("urn:QDA-XML:project:1.0")
    );
    assert!(
        project.attribute("creationDateTime").is_none(),
        "no clock in the project"
    );
}

#[test]
fn without_texts_every_claim_is_kept_as_a_note() {
    let corpus = write_corpus(&[]);
    common::copy_tree(&root().join("interpretations"), corpus.path());
    std::fs::remove_dir_all(corpus.path().join("anora/texts")).unwrap();
    std::fs::remove_dir_all(corpus.path().join("anora/codings")).unwrap();
    let (bytes, err) = export(corpus.path(), &[]);
    assert!(
        err.contains("warning: 2 sources without a text are kept as notes"),
        "{err}"
    );
    let p = open(&bytes);
    assert!(p.files.is_empty());
    assert_schema_valid(&p.qde);
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    assert_references_resolve(&doc);
    let notes = doc.descendants().filter(|n| n.has_tag_name("Note")).count();
    let claims: usize = ["ending-explained", "car-scene-tears"]
        .iter()
        .map(|s| quotes_of(corpus.path(), s).len())
        .sum();
    assert_eq!(notes, claims);
    let sets: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Set"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(sets.len(), 2, "a set of notes per source: {sets:?}");
}

const WORK: &str = r#"
[work]
title = "Film <&> \"Test\""

[[scene]]
id = "end"
title = "The end"

[[reading]]
id = "hope"
label = "Hope"

[[reading]]
id = "loss"
label = "Loss & grief"

[[person]]
id = "director"
name = "The Director"
"#;

/// A claim set whose summaries are hostile to XML, quoting a text with an emoji, a BOM and
/// CRLF line ends.
const HOSTILE: &str = r#"
[source]
title = "Piece </Description> & \"more\""
kind = "review"
published = 2025-03-05
text = "piece.txt"

[[claim]]
scene = "end"
reading = "hope"
summary = "A <b>bold</b> & ]]> claim \"quoted\"\nover two lines\u0001\u001b[31m"
quote = "She smiles at last."

[[claim]]
scene = "end"
reading = "loss"
stance = "rejects"
summary = "Reported view."
quote = "everything … is lost"
attributed_to = "The Director"
via = "a <podcast>"

[[claim]]
scene = "end"
reading = "loss"
stance = "considers"
summary = "Not in the text."
quote = "words that the text does not hold"

[[claim]]
scene = "end"
reading = "hope"
summary = "No quote at all."
"#;

const TEXT: &str =
    "\u{feff}🎬🎬 Opening.\r\nShe smiles at last. Then everything,\r\nin the end, is lost.\r\n";

fn hostile_corpus() -> tempfile::TempDir {
    write_corpus(&[
        ("film/work.toml", WORK),
        ("film/sources/piece.toml", HOSTILE),
        (
            "film/sources/no-text.toml",
            "[source]\ntitle = \"Elsewhere\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nquote = \"not archived\"\n",
        ),
        ("film/texts/piece.txt", TEXT),
    ])
}

#[test]
fn hostile_text_stays_well_formed_and_positions_count_code_points() {
    let corpus = hostile_corpus();
    let (bytes, err) = export(corpus.path(), &[]);
    assert!(
        err.contains("1 quote not found and 1 source without a text are kept as notes"),
        "{err}"
    );
    let p = open(&bytes);
    assert_schema_valid(&p.qde);
    let doc = roxmltree::Document::parse(&p.qde).expect("well-formed despite the summaries");
    assert_references_resolve(&doc);
    assert_eq!(
        doc.root_element().attribute("name"),
        Some("Film <&> \"Test\"")
    );

    let text = p.files.values().next().unwrap();
    assert_eq!(
        text,
        &TEXT[3..].replace("\r\n", "\n"),
        "no BOM, LF line ends"
    );
    let sel = selections(&p);
    assert_eq!(sel.len(), 2);
    assert_eq!(sel[0].2, "She smiles at last.");
    assert_eq!(sel[1].2, "everything,\nin the end, is lost");
    let first = doc
        .descendants()
        .find(|n| n.has_tag_name("PlainTextSelection"))
        .unwrap();
    assert_eq!(
        first.attribute("startPosition"),
        Some("12"),
        "🎬 counts as one code point (it is two UTF-16 units and four bytes)"
    );

    let note = |content: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("PlainTextContent"))
            .any(|n| n.text() == Some(content))
    };
    assert!(note(
        "A <b>bold</b> & ]]> claim \"quoted\"\nover two lines\u{fffd}\u{fffd}[31m"
    ));
    assert!(note(
        "Not in the text.\n\n“words that the text does not hold”"
    ));
    assert!(note("No quote at all."));
    assert!(note("“not archived”"));
    // dates come from `published`, else the zip epoch; every note has one (importers need it)
    let source = doc
        .descendants()
        .find(|n| n.has_tag_name("TextSource"))
        .unwrap();
    assert_eq!(
        source.attribute("creationDateTime"),
        Some("2025-03-05T00:00:00Z")
    );
    for note in doc.descendants().filter(|n| n.has_tag_name("Note")) {
        let date = note.attribute("creationDateTime").expect("a dated note");
        assert!(
            ["2025-03-05T00:00:00Z", "1980-01-01T00:00:00Z"].contains(&date),
            "{date}"
        );
    }
    let variable_date = doc
        .descendants()
        .find(|n| n.has_tag_name("DateValue"))
        .and_then(|n| n.text());
    assert_eq!(variable_date, Some("2025-03-05"));
}

#[test]
fn the_extension_chooses_qdpx_and_standard_output_is_refused() {
    let corpus = hostile_corpus();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("film.QDPX");
    let out = parallax_in(root())
        .arg("--corpus")
        .arg(corpus.path())
        .args(["export", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(fs::read(&target).unwrap().starts_with(b"PK"), "a zip");

    for args in [
        &["export", "--format", "qdpx"][..],
        &["export", "-f", "qdpx", "-o", "-"],
    ] {
        let out = run(corpus.path().to_str().unwrap(), args);
        assert_code(&out, 1);
        assert!(out.stdout.is_empty());
        assert!(
            stderr(&out).contains("is not written to standard output"),
            "{}",
            stderr(&out)
        );
    }
    let out = run(
        corpus.path().to_str().unwrap(),
        &["matrix", "--format", "qdpx"],
    );
    assert_code(&out, 1);
    assert!(stderr(&out).contains("written only by `parallax export`"));
}

#[test]
fn texts_must_be_a_folder_and_only_for_qdpx() {
    let corpus = hostile_corpus();
    let c = corpus.path().to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("x.qdpx");
    let t = target.to_str().unwrap();
    let out = run(c, &["export", "-o", t, "--texts", "no/such/folder"]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("no such folder"));
    assert!(!target.exists());
    let out = run(c, &["export", "-f", "html", "--texts", "."]);
    assert_code(&out, 1);
    assert!(stderr(&out).contains("--texts is used only by --format qdpx"));
}

#[cfg(unix)]
#[test]
fn a_text_that_links_out_of_its_folder_fails_and_leaves_the_old_file() {
    let corpus = hostile_corpus();
    let secret = corpus.path().join("secret.txt");
    fs::write(&secret, "She smiles at last. SECRET").unwrap();
    let link = corpus.path().join("film/texts/piece.txt");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("old.qdpx");
    fs::write(&target, "old").unwrap();
    let out = run(
        corpus.path().to_str().unwrap(),
        &["export", "-o", target.to_str().unwrap()],
    );
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("resolves outside"), "{err}");
    assert!(!err.contains("SECRET"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "old");
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn each_text_is_named_by_its_source_and_each_selection_carries_one_code_reading_first() {
    let corpus = hostile_corpus();
    let (bytes, _) = export(corpus.path(), &[]);
    let p = open(&bytes);
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    for source in doc.descendants().filter(|n| n.has_tag_name("TextSource")) {
        let guid = source.attribute("guid").unwrap();
        assert_eq!(
            source.attribute("plainTextPath"),
            Some(format!("internal://{guid}.txt").as_str())
        );
        assert!(p.files.contains_key(&format!("sources/{guid}.txt")));
    }
    let codes: HashMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Code"))
        .map(|n| (n.attribute("guid").unwrap(), n.attribute("name").unwrap()))
        .collect();
    let mut by_claim: Vec<(String, Vec<String>, Option<String>)> = Vec::new();
    for sel in doc
        .descendants()
        .filter(|n| n.has_tag_name("PlainTextSelection"))
    {
        let codings: Vec<_> = sel
            .children()
            .filter(|n| n.has_tag_name("Coding"))
            .collect();
        assert_eq!(codings.len(), 1, "one coding per selection");
        let code = codings[0]
            .first_element_child()
            .unwrap()
            .attribute("targetGUID")
            .unwrap();
        let name = sel.attribute("name").unwrap().to_string();
        let description = sel
            .children()
            .find(|n| n.has_tag_name("Description"))
            .and_then(|d| d.text().map(str::to_string));
        match by_claim.last_mut() {
            Some((n, codes_of, _)) if *n == name => codes_of.push(codes[code].to_string()),
            _ => by_claim.push((name, vec![codes[code].to_string()], description)),
        }
    }
    assert_eq!(
        by_claim[0],
        (
            "piece claim 1".to_string(),
            vec!["Hope: endorses".to_string(), "1. The end".to_string()],
            Some(
                "A <b>bold</b> & ]]> claim \"quoted\"\nover two lines\u{fffd}\u{fffd}[31m"
                    .to_string()
            )
        ),
        "the stance first, then the scene; the summary as the description"
    );
    assert_eq!(
        by_claim[1].1,
        ["Loss & grief: rejects", "1. The end", "The Director"]
    );
}

#[test]
fn codings_are_exported_each_coder_a_user_who_created_their_selections() {
    let corpus = hostile_corpus();
    let coding = "[[claim]]\nscene = \"end\"\nreading = \"loss\"\nsummary = \"Alice sees loss.\"\nquote = \"She smiles at last.\"\n";
    fs::create_dir_all(corpus.path().join("film/codings/alice")).unwrap();
    fs::write(corpus.path().join("film/codings/alice/piece.toml"), coding).unwrap();
    let (bytes, _) = export(corpus.path(), &[]);
    let p = open(&bytes);
    assert_schema_valid(&p.qde);
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    assert_references_resolve(&doc);
    let users: HashMap<&str, &str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("User"))
        .map(|n| (n.attribute("guid").unwrap(), n.attribute("name").unwrap()))
        .collect();
    let mut names: Vec<&str> = users.values().copied().collect();
    names.sort();
    assert_eq!(names, ["alice", "parallax"]);
    let alice: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("PlainTextSelection"))
        .filter(|n| users[n.attribute("creatingUser").unwrap()] == "alice")
        .collect();
    assert_eq!(alice.len(), 2, "her claim's reading and scene");
    let description = alice[0].first_element_child().unwrap();
    assert_eq!(description.text(), Some("Alice sees loss."));
    // with --coder, that coder's codings alone
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("alice.qdpx");
    let out = parallax_in(root())
        .arg("--corpus")
        .arg(corpus.path())
        .args(["--coder", "alice", "export", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_code(&out, 0);
    let p = open(&fs::read(&target).unwrap());
    let doc = roxmltree::Document::parse(&p.qde).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("PlainTextSelection"))
            .count(),
        2
    );
}

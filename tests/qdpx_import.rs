//! `import qdpx`: a project exported by parallax, or coded further in a QDA program, comes
//! back as the same claims (scene, reading, stance, person, quote, summary), into `sources/`,
//! one coder's codings or each user's; passages that are not claims are reported; nothing is
//! overwritten without `--force`; a hostile archive or project is an error that names what
//! is wrong, and nothing is written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use common::{assert_code, copy_tree, root, run, stderr, stdout, write_corpus};
use parallax::quotes::normalize;

/// The seed texts of the bundled corpus, when this checkout has them.
fn seeds() -> Option<PathBuf> {
    let dir = root().join("interpretations/anora/texts");
    assert!(dir.is_dir(), "the bundled corpus keeps its texts");
    Some(dir)
}

/// A claim as the round trip compares it.
type Claim = BTreeMap<String, String>;

const FIELDS: [&str; 7] = [
    "scene",
    "reading",
    "stance",
    "attributed_to",
    "via",
    "summary",
    "quote",
];

/// The claims of every claim set under `dir` (`sources/` or a coder's folder), by file
/// stem, each sorted.
fn claims_in(dir: &Path) -> BTreeMap<String, Vec<Claim>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let table: toml::Table = fs::read_to_string(&path).unwrap().parse().unwrap();
        let mut claims: Vec<Claim> = table
            .get("claim")
            .and_then(|c| c.as_array())
            .map(|a| {
                a.iter()
                    .map(|c| {
                        FIELDS
                            .iter()
                            .filter_map(|f| {
                                let v = c.get(*f)?.as_str()?;
                                Some((f.to_string(), v.to_string()))
                            })
                            // a quote comes back as the text's own words: equal after
                            // the folding of quote checking (docs/formats.md)
                            .map(|(k, v)| {
                                let v = if k == "quote" { normalize(&v) } else { v };
                                (k, v)
                            })
                            .chain(
                                c.get("stance")
                                    .is_none()
                                    .then(|| ("stance".to_string(), "endorses".to_string())),
                            )
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        claims.sort();
        out.insert(
            path.file_stem().unwrap().to_string_lossy().into_owned(),
            claims,
        );
    }
    out
}

/// A copy of the bundled corpus with its claim sets alone: no codings (their round trip is
/// tested below) and no texts (the export reads them from the repository's copy).
fn bundled_claim_sets() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), corpus.path());
    for dir in ["anora/codings", "anora/texts"] {
        fs::remove_dir_all(corpus.path().join(dir)).unwrap();
    }
    corpus
}

fn export(corpus: &Path, args: &[&str]) -> PathBuf {
    let target = corpus.join("project.qdpx");
    let mut all = vec!["export", "-o", target.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(corpus.to_str().unwrap(), &all);
    assert_code(&out, 0);
    target
}

fn import(corpus: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import", "qdpx"];
    all.extend_from_slice(args);
    run(corpus.to_str().unwrap(), &all)
}

#[test]
fn the_bundled_corpus_comes_back_as_the_same_claims() {
    let Some(seeds) = seeds() else { return };
    let corpus = bundled_claim_sets();
    let sources = corpus.path().join("anora/sources");
    let before = claims_in(&sources);
    let project = export(corpus.path(), &["--texts", seeds.to_str().unwrap()]);

    // into a work without claim sets: every source comes back
    for e in fs::read_dir(&sources).unwrap() {
        fs::remove_file(e.unwrap().path()).unwrap();
    }
    let out = import(corpus.path(), &[project.to_str().unwrap()]);
    assert_code(&out, 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("wrote 2 claim sets (28 claims) and 2 texts"),
        "{}",
        stdout(&out)
    );
    assert_eq!(claims_in(&sources), before);
    // the texts were copied, so `check` finds every quote without --texts
    let check = run(corpus.path().to_str().unwrap(), &["check"]);
    assert_code(&check, 0);
    assert!(stdout(&check).contains("28 quotes"), "{}", stdout(&check));

    // again: everything exists, so nothing is written without --force
    let listing = |p: &Path| fs::read_dir(p).unwrap().count();
    let again = import(corpus.path(), &[project.to_str().unwrap()]);
    assert_code(&again, 0);
    assert!(
        stdout(&again).contains("wrote"),
        "identical files are no change"
    );
    let (a, b) = (listing(&sources), 2);
    assert_eq!(a, b);
}

#[test]
fn an_existing_claim_set_is_replaced_only_with_force_and_dry_run_writes_nothing() {
    let Some(seeds) = seeds() else { return };
    let corpus = bundled_claim_sets();
    let project = export(corpus.path(), &["--texts", seeds.to_str().unwrap()]);
    let file = corpus.path().join("anora/sources/ending-explained.toml");
    let original = fs::read_to_string(&file).unwrap();

    let out = import(corpus.path(), &[project.to_str().unwrap()]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("ending-explained.toml exists") && err.contains("--force replaces it"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), original);
    assert!(
        !corpus.path().join("anora/texts").exists(),
        "no text written either"
    );

    let out = import(corpus.path(), &[project.to_str().unwrap(), "--dry-run"]);
    assert_code(&out, 0);
    assert!(stdout(&out).contains("[[claim]]"));
    assert_eq!(fs::read_to_string(&file).unwrap(), original);

    let before = claims_in(&corpus.path().join("anora/sources"));
    let out = import(corpus.path(), &[project.to_str().unwrap(), "--force"]);
    assert_code(&out, 0);
    assert_eq!(claims_in(&corpus.path().join("anora/sources")), before);
}

const WORK: &str = r#"
[work]
title = "Film"

[[scene]]
id = "end"
title = "The end"

[[scene]]
id = "start"
title = "The start"

[[reading]]
id = "hope"
label = "Hope"

[[reading]]
id = "loss"
label = "Loss"
aliases = ["grief"]

[[person]]
id = "director"
name = "The Director"
"#;

/// A text with an astral character, CRLF line ends and a BOM, so that positions must be
/// code points of the text as exported.
const TEXT: &str = "\u{feff}🎬🎬 Opening.\r\nShe smiles at last. Then everything,\r\nin the end, is lost. 🎞 Credits roll.\r\n";

fn coded_corpus() -> tempfile::TempDir {
    write_corpus(&[
        ("film/work.toml", WORK),
        (
            "film/sources/piece.toml",
            "[source]\ntitle = \"Piece\"\nkind = \"review\"\ntext = \"piece.txt\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nsummary = \"Hope at last.\"\nquote = \"She smiles at last.\"\n",
        ),
        (
            "film/codings/alice/piece.toml",
            "[[claim]]\nscene = \"end\"\nreading = \"hope\"\nsummary = \"She smiles.\"\nquote = \"She smiles at last.\"\n\n[[claim]]\nscene = \"end\"\nreading = \"loss\"\nstance = \"rejects\"\nsummary = \"Not loss, says the director.\"\nquote = \"Credits roll.\"\nattributed_to = \"The Director\"\nvia = \"a podcast\"\n",
        ),
        (
            "film/codings/bob/piece.toml",
            "[[claim]]\nscene = \"end\"\nreading = \"loss\"\nstance = \"considers\"\nquote = \"everything,\\r\\nin the end, is lost\"\n\n[[claim]]\nscene = \"start\"\nreading = \"hope\"\nsummary = \"Opens on hope.\"\nquote = \"🎬🎬 Opening.\"\n",
        ),
        (
            "film/codings/bob/only-bob.toml",
            "[source]\ntitle = \"Only Bob's\"\ntext = \"only.txt\"\n\n[[claim]]\nscene = \"start\"\nreading = \"loss\"\nsummary = \"Loss from the start.\"\nquote = \"Loss 😢 from\"\n",
        ),
        ("film/texts/piece.txt", TEXT),
        (
            "film/texts/only.txt",
            "Astral 𝔸 and then: Loss 😢 from the start.\n",
        ),
    ])
}

#[test]
fn codings_come_back_to_each_coder_and_the_work_s_claims_to_sources() {
    let corpus = coded_corpus();
    let work = corpus.path().join("film");
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
    let dirs = ["sources", "codings/alice", "codings/bob"];
    let before: Vec<_> = dirs.iter().map(|d| claims_in(&work.join(d))).collect();
    let project = export(corpus.path(), &[]);
    let out = import(
        corpus.path(),
        &[project.to_str().unwrap(), "--coder-per-user", "--force"],
    );
    assert_code(&out, 0);
    let after: Vec<_> = dirs.iter().map(|d| claims_in(&work.join(d))).collect();
    assert_eq!(after, before);
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
    // the archived text differs from the project's only by its BOM and line ends: kept
    assert_eq!(
        fs::read_to_string(work.join("texts/piece.txt")).unwrap(),
        TEXT
    );
}

#[test]
fn one_coder_takes_every_passage_with_coder() {
    let corpus = coded_corpus();
    let work = corpus.path().join("film");
    let project = export(corpus.path(), &[]);
    let out = import(
        corpus.path(),
        &["--coder", "carol", project.to_str().unwrap()],
    );
    assert_code(&out, 0);
    let carol = claims_in(&work.join("codings/carol"));
    // the work's claim and alice's first are the same passage with different summaries:
    // two claims; bob's and the work's are all there
    assert_eq!(carol["piece"].len(), 1 + 2 + 2, "{carol:#?}");
    assert_eq!(carol["only-bob"].len(), 1);
    // a coding of a source the work has takes its metadata: no [source] table
    let text = fs::read_to_string(work.join("codings/carol/piece.toml")).unwrap();
    assert!(!text.contains("[source]"), "{text}");
    let text = fs::read_to_string(work.join("codings/carol/only-bob.toml")).unwrap();
    assert!(text.contains("title = \"Only Bob's\""), "{text}");
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
}

/// The project the corpus exports with its `project.qde` changed by `edit`, written beside it.
fn edited_project(corpus: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let project = export(corpus, &[]);
    let mut zip = zip::ZipArchive::new(Cursor::new(fs::read(&project).unwrap())).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if e.name().unwrap() == "project.qde" {
            bytes = edit(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        out.start_file(e.name().unwrap(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    fs::write(&project, out.finish().unwrap().into_inner()).unwrap();
    project
}

#[test]
fn passages_that_are_not_claims_are_reported_with_their_reason() {
    let corpus = coded_corpus();
    // the work's one claim: its scene coding taken away, so it has a reading only;
    // alice's report of the director coded with hope in place of him: two readings
    let project = edited_project(corpus.path(), |xml| {
        let scene = xml.find("name=\"1. The end\"").unwrap();
        let scene_guid = &xml[xml[..scene].rfind("guid=\"").unwrap() + 6..][..36];
        let hope = xml.find("name=\"Hope: endorses\"").unwrap();
        let hope_guid = &xml[xml[..hope].rfind("guid=\"").unwrap() + 6..][..36];
        let mut xml = xml.clone();
        // the first selection coded with the scene is the work's claim's: recode it with
        // a code of the analyst's own
        let first = xml
            .find(&format!("<CodeRef targetGUID=\"{scene_guid}\""))
            .unwrap();
        xml.replace_range(
            first + 21..first + 57,
            "aaaaaaaa-0000-4000-8000-000000000000",
        );
        xml = xml.replacen(
            "<Codes>",
            "<Codes>\n<Code guid=\"aaaaaaaa-0000-4000-8000-000000000000\" name=\"interesting\" isCodable=\"true\"/>",
            1,
        );
        // alice's claim of the director's view: its voice selection recoded with hope
        let director = xml.find("name=\"The Director\"").unwrap();
        let director_guid = xml[xml[..director].rfind("guid=\"").unwrap() + 6..][..36].to_string();
        let voice = xml
            .find(&format!("<CodeRef targetGUID=\"{director_guid}\""))
            .unwrap();
        xml.replace_range(voice + 21..voice + 57, hope_guid);
        xml
    });
    let out = import(
        corpus.path(),
        &[project.to_str().unwrap(), "--coder-per-user", "--force"],
    );
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("not imported: no scene code"), "{err}");
    assert!(
        err.contains("not imported: 2 reading codes (\"loss: rejects\", \"hope: endorses\")"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("2 of 6 coded passages not imported"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn claims_kept_as_notes_are_counted_not_lost_silently() {
    let corpus = coded_corpus();
    let piece = corpus.path().join("film/sources/piece.toml");
    let text = fs::read_to_string(&piece).unwrap()
        + "\n[[claim]]\nscene = \"start\"\nreading = \"loss\"\nsummary = \"No quote for this one.\"\n";
    fs::write(&piece, text).unwrap();
    let project = export(corpus.path(), &[]);
    let out = import(
        corpus.path(),
        &[project.to_str().unwrap(), "--coder", "dee"],
    );
    assert_code(&out, 0);
    assert!(
        stderr(&out).contains("1 note of claims without a place in a text is not imported"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn coder_arguments_are_checked_before_anything_is_read() {
    let corpus = coded_corpus();
    let c = corpus.path().to_str().unwrap();
    let out = run(
        c,
        &[
            "--coder",
            "x",
            "import",
            "qdpx",
            "no-such.qdpx",
            "--coder-per-user",
        ],
    );
    assert_code(&out, 2);
    assert!(stderr(&out).contains("cannot be used together"));
    let out = run(
        c,
        &["--coder", "Bad Name", "import", "qdpx", "no-such.qdpx"],
    );
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("write it as --coder bad-name"),
        "{}",
        stderr(&out)
    );
    let out = run(
        c,
        &["--coder", "texts", "import", "hypothesis", "no-such.json"],
    );
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("not sources, texts, codings, gold"),
        "{}",
        stderr(&out)
    );
}

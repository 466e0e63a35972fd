//! The exported project opened by the programs people use: QualCoder's own REFI-QDA
//! importer (run headless through `tests/qdpx/qualcoder_import.py`) and pyqdpx. Every
//! source, every coded passage (each claim's reading with its stance, its scene, its voice),
//! each quote and each summary must arrive. Each test says why it is skipped when the
//! program is missing:
//! - QualCoder: `QUALCODER_SRC` names QualCoder's `src/qualcoder` folder, and a Python with
//!   PyQt6 (`pip install PyQt6`) is `PARALLAX_PYTHON`, `python3`, `python3.13` or `python3.12`;
//! - pyqdpx: a Python with it (`pip install pyqdpx`, Python 3.12 or later), found the same way.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_code, copy_tree, root, run, write_corpus};

/// A Python that can import `module`.
fn python_with(module: &str) -> Option<String> {
    let candidates = std::env::var("PARALLAX_PYTHON")
        .into_iter()
        .chain(["python3", "python3.13", "python3.12"].map(String::from));
    for python in candidates {
        let ok = Command::new(&python)
            .args(["-c", &format!("import {module}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(python);
        }
    }
    None
}

/// The archived texts of the bundled corpus.
fn seeds() -> Option<PathBuf> {
    Some(root().join("interpretations/anora/texts")).filter(|d| d.is_dir())
}

/// A claim placed in a text, as a reader should show it: its source's title, the codes of
/// its selections, its quote as the text has it (checked by parallax's own tests) and its
/// summary.
#[derive(Debug)]
struct Expected {
    source: String,
    codes: Vec<String>,
    summary: Option<String>,
    coder: String,
}

/// The corpus exported, and what each placed claim should look like in a reader.
fn exported(corpus: &Path, args: &[&str]) -> (PathBuf, Vec<Expected>) {
    let project = corpus.join("project.qdpx");
    let mut all = vec!["export", "-o", project.to_str().unwrap()];
    all.extend_from_slice(args);
    assert_code(&run(corpus.to_str().unwrap(), &all), 0);
    // what parallax itself reads back from the project is the reference
    let bytes = fs::read(&project).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    let doc = roxmltree::Document::parse(&qde).unwrap();
    let name_of = |guid: &str, tag: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(tag) && n.attribute("guid") == Some(guid))
            .and_then(|n| n.attribute("name"))
            .unwrap()
            .to_string()
    };
    let mut out: Vec<Expected> = Vec::new();
    for source in doc.descendants().filter(|n| n.has_tag_name("TextSource")) {
        let mut last = String::new();
        for sel in source
            .children()
            .filter(|n| n.has_tag_name("PlainTextSelection"))
        {
            let code = sel
                .descendants()
                .find(|n| n.has_tag_name("CodeRef"))
                .and_then(|n| n.attribute("targetGUID"))
                .unwrap();
            let code = name_of(code, "Code");
            // a claim: its selections, named alike, made by one user
            let claim = format!(
                "{} {}",
                sel.attribute("name").unwrap(),
                sel.attribute("creatingUser").unwrap()
            );
            if claim == last {
                out.last_mut().unwrap().codes.push(code);
                continue;
            }
            last = claim;
            out.push(Expected {
                source: source.attribute("name").unwrap().to_string(),
                codes: vec![code],
                summary: sel
                    .children()
                    .find(|n| n.has_tag_name("Description"))
                    .and_then(|d| d.text())
                    .map(str::to_string),
                coder: name_of(sel.attribute("creatingUser").unwrap(), "User"),
            });
        }
    }
    (project, out)
}

const WORK: &str = "[work]\ntitle = \"Film\"\n\n[[scene]]\nid = \"end\"\ntitle = \"The end\"\n\n[[scene]]\nid = \"start\"\ntitle = \"The start\"\n\n[[reading]]\nid = \"hope\"\nlabel = \"Hope\"\n\n[[reading]]\nid = \"loss\"\nlabel = \"Loss\"\n\n[[person]]\nid = \"director\"\nname = \"The Director\"\n";

/// A corpus with codings and a text with astral characters.
fn coded_corpus(astral: bool) -> tempfile::TempDir {
    let text = if astral {
        "🎬🎬 Opening.\nShe smiles at last. Then everything,\nin the end, is lost. 🎞 Credits roll.\n"
    } else {
        "** Opening.\nShe smiles at last. Then everything,\nin the end, is lost. * Credits roll.\n"
    };
    write_corpus(&[
        ("film/work.toml", WORK),
        (
            "film/sources/piece.toml",
            "[source]\ntitle = \"Piece\"\ntext = \"piece.txt\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nsummary = \"Hope at last.\"\nquote = \"She smiles at last.\"\n",
        ),
        (
            "film/codings/alice/piece.toml",
            "[[claim]]\nscene = \"end\"\nreading = \"loss\"\nstance = \"rejects\"\nsummary = \"Not loss, says the director.\"\nquote = \"Credits roll.\"\nattributed_to = \"The Director\"\n",
        ),
        (
            "film/codings/bob/piece.toml",
            "[[claim]]\nscene = \"start\"\nreading = \"hope\"\nsummary = \"Opens on hope.\"\nquote = \"Opening.\"\n",
        ),
        ("film/texts/piece.txt", text),
    ])
}

#[test]
fn qualcoder_s_importer_takes_every_source_passage_quote_and_summary() {
    let Some(src) = std::env::var_os("QUALCODER_SRC").map(PathBuf::from) else {
        println!(
            "note: QUALCODER_SRC is not set (QualCoder's src/qualcoder folder); QualCoder check skipped"
        );
        return;
    };
    let Some(python) = python_with("PyQt6") else {
        println!("note: no Python with PyQt6 (pip install PyQt6); QualCoder check skipped");
        return;
    };
    let bundled = tempfile::tempdir().unwrap();
    copy_tree(&root().join("interpretations"), bundled.path());
    let seeds = seeds().map(|s| s.display().to_string());
    let mut cases: Vec<(tempfile::TempDir, Vec<&str>)> = vec![(coded_corpus(true), vec![])];
    if let Some(s) = &seeds {
        cases.push((bundled, vec!["--texts", s.as_str()]));
    }
    for (corpus, args) in &cases {
        let (project, expected) = exported(corpus.path(), args);
        let out = Command::new(&python)
            .arg(root().join("tests/qdpx/qualcoder_import.py"))
            .arg(&src)
            .arg(&project)
            .env("QT_QPA_PLATFORM", "offscreen")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let got: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        let codings = got["codings"].as_array().unwrap();
        let texts: Vec<_> = got["sources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        for e in &expected {
            assert!(
                texts.contains(&e.source.as_str()),
                "source {} missing",
                e.source
            );
            for code in &e.codes {
                let found = codings.iter().any(|c| {
                    c["source"] == e.source.as_str()
                        && c["code"] == code.as_str()
                        && c["coder"] == e.coder.as_str()
                        && c["memo"].as_str().filter(|m| !m.is_empty()) == e.summary.as_deref()
                });
                assert!(found, "{e:?}: no coding with {code}");
            }
        }
        let expected_codings: usize = expected.iter().map(|e| e.codes.len()).sum();
        assert_eq!(codings.len(), expected_codings, "every coding, none twice");
        // QualCoder slices its text with the positions as they are: code points
        let text_of = |c: &serde_json::Value| c["text"].as_str().unwrap().to_string();
        assert!(codings.iter().all(|c| !text_of(c).is_empty()));
        if args.is_empty() {
            let quotes: Vec<String> = codings.iter().map(text_of).collect();
            for q in ["She smiles at last.", "Credits roll.", "Opening."] {
                assert!(quotes.iter().any(|t| t == q), "{q:?} not among {quotes:?}");
            }
        }
    }
}

#[test]
fn pyqdpx_opens_the_project_and_sees_each_reading_and_stance() {
    let Some(python) = python_with("pyqdpx") else {
        println!(
            "note: no Python with pyqdpx (pip install pyqdpx, Python 3.12 or later); pyqdpx check skipped"
        );
        return;
    };
    let corpus = coded_corpus(false);
    let (project, expected) = exported(corpus.path(), &[]);
    let script = r#"
import json, sys
from pyqdpx import QDPX
p = QDPX(sys.argv[1]).get_project()
out = []
for s in p.sources.values():
    for sel in s.coded_selections.values():
        out.append({"source": s.name, "code": sel.code.name, "coder": sel.user.name,
                    "text": sel.text, "memo": sel.description})
print("\n" + json.dumps(out))
"#;
    let out = Command::new(&python)
        .args(["-c", script])
        .arg(&project)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let got = got.as_array().unwrap();
    let expected_codings: usize = expected.iter().map(|e| e.codes.len()).sum();
    assert_eq!(got.len(), expected_codings, "{got:#?}");
    for e in &expected {
        for code in &e.codes {
            assert!(
                got.iter().any(|c| c["code"] == code.as_str()
                    && c["coder"] == e.coder.as_str()
                    && c["memo"].as_str() == e.summary.as_deref()),
                "{e:?}: pyqdpx has no {code}"
            );
        }
    }
    let quotes: Vec<&str> = got.iter().map(|c| c["text"].as_str().unwrap()).collect();
    for q in ["She smiles at last.", "Credits roll.", "Opening."] {
        assert!(quotes.contains(&q), "{q:?} not among {quotes:?}");
    }
}

/// (scene, reading, stance, person, quote, summary) of each claim of each claim set in
/// `dir`, sorted: what survives a QDA program (an outlet lives in a note, which QualCoder
/// does not keep with a coding).
fn claims_in(dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let table: toml::Table = fs::read_to_string(e.path()).unwrap().parse().unwrap();
        let mut claims: Vec<String> = table["claim"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let f = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                let stance = c
                    .get("stance")
                    .and_then(|v| v.as_str())
                    .unwrap_or("endorses");
                format!(
                    "{} {} {stance} {} {:?} {:?}",
                    f("scene"),
                    f("reading"),
                    f("attributed_to"),
                    parallax::quotes::normalize(&f("quote")),
                    f("summary")
                )
            })
            .collect();
        claims.sort();
        out.push((e.file_name().to_string_lossy().into_owned(), claims));
    }
    out.sort();
    out
}

#[test]
fn a_project_coded_further_in_qualcoder_comes_back_to_parallax() {
    let Some(src) = std::env::var_os("QUALCODER_SRC").map(PathBuf::from) else {
        println!(
            "note: QUALCODER_SRC is not set (QualCoder's src/qualcoder folder); QualCoder round trip skipped"
        );
        return;
    };
    let Some(python) = python_with("PyQt6") else {
        println!("note: no Python with PyQt6 (pip install PyQt6); QualCoder round trip skipped");
        return;
    };
    let corpus = coded_corpus(true);
    let work = corpus.path().join("film");
    let before: Vec<_> = ["sources", "codings/alice", "codings/bob"]
        .iter()
        .map(|d| claims_in(&work.join(d)))
        .collect();
    let (project, _) = exported(corpus.path(), &[]);
    let back = corpus.path().join("from-qualcoder.qdpx");
    let out = Command::new(&python)
        .arg(root().join("tests/qdpx/qualcoder_import.py"))
        .arg(&src)
        .arg(&project)
        .arg(&back)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        corpus.path().to_str().unwrap(),
        &[
            "import",
            "qdpx",
            back.to_str().unwrap(),
            "--coder-per-user",
            "--force",
        ],
    );
    assert_code(&out, 0);
    let after: Vec<_> = ["sources", "codings/alice", "codings/bob"]
        .iter()
        .map(|d| claims_in(&work.join(d)))
        .collect();
    assert_eq!(after, before, "every claim, through QualCoder and back");
    let maria = claims_in(&work.join("codings/maria"));
    assert_eq!(maria.len(), 1);
    assert_eq!(maria[0].1.len(), 1, "maria's passage: {maria:?}");
    assert!(maria[0].1[0].contains("Maria's reading of the opening."));
    assert_code(&run(corpus.path().to_str().unwrap(), &["check"]), 0);
}

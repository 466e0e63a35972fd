//! `import qdpx` on projects made to hurt: entries outside the archive, absolute paths,
//! links, a zip bomb, a DTD with external entities, text that is not UTF-8, positions
//! outside the text, references to nothing, a code tree with a cycle, a text path out of the
//! project. Each is an error naming what is wrong, exit 1, and nothing is written.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use common::{assert_code, run, stderr, write_corpus};
use zip::write::SimpleFileOptions;

const WORK: &str = "[work]\ntitle = \"Film\"\n\n[[scene]]\nid = \"end\"\ntitle = \"The end\"\n\n[[reading]]\nid = \"hope\"\nlabel = \"Hope\"\n";

fn corpus() -> tempfile::TempDir {
    write_corpus(&[
        ("film/work.toml", WORK),
        (
            "film/sources/piece.toml",
            "[source]\ntitle = \"Piece\"\ntext = \"piece.txt\"\n\n[[claim]]\nscene = \"end\"\nreading = \"hope\"\nsummary = \"Hope.\"\nquote = \"smiles\"\n",
        ),
        ("film/texts/piece.txt", "She smiles at last.\n"),
    ])
}

/// Every file of the corpus with its bytes, to show that nothing changed.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.display().to_string(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The project the corpus exports, as (entry name, bytes).
fn exported(corpus: &Path) -> Vec<(String, Vec<u8>)> {
    let out = run(
        corpus.to_str().unwrap(),
        &[
            "export",
            "-f",
            "qdpx",
            "-o",
            corpus.join("x.qdpx").to_str().unwrap(),
        ],
    );
    assert_code(&out, 0);
    let bytes = fs::read(corpus.join("x.qdpx")).unwrap();
    fs::remove_file(corpus.join("x.qdpx")).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut b = Vec::new();
            e.read_to_end(&mut b).unwrap();
            (e.name().unwrap().to_string(), b)
        })
        .collect()
}

fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Imports `bytes` into a fresh corpus: it must fail with `message`, writing nothing.
#[track_caller]
fn refused(bytes: &[u8], message: &str) {
    let corpus = corpus();
    let file = tempfile::NamedTempFile::new().unwrap();
    fs::write(file.path(), bytes).unwrap();
    let before = snapshot(corpus.path());
    for args in [&[][..], &["--force"], &["--coder-per-user", "--force"]] {
        let mut all = vec!["import", "qdpx", file.path().to_str().unwrap()];
        all.extend_from_slice(args);
        let out = run(corpus.path().to_str().unwrap(), &all);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(err.contains(message), "expected {message:?} in:\n{err}");
        assert!(err.contains("nothing was written"), "{err}");
        assert_eq!(snapshot(corpus.path()), before, "something was written");
    }
}

/// The exported project with its `project.qde` changed by `edit`.
fn with_project(edit: impl Fn(String) -> String) -> Vec<u8> {
    let corpus = corpus();
    let mut entries = exported(corpus.path());
    for (name, bytes) in &mut entries {
        if name == "project.qde" {
            *bytes = edit(String::from_utf8(bytes.clone()).unwrap()).into_bytes();
        }
    }
    zip_of(&entries)
}

#[test]
fn the_unchanged_export_imports() {
    let corpus = corpus();
    let bytes = zip_of(&exported(corpus.path()));
    let file = corpus.path().join("ok.qdpx");
    fs::write(&file, bytes).unwrap();
    let out = run(
        corpus.path().to_str().unwrap(),
        &["import", "qdpx", file.to_str().unwrap(), "--coder", "al"],
    );
    assert_code(&out, 0);
}

#[test]
fn entries_that_leave_the_archive_are_refused() {
    let corpus = corpus();
    for name in [
        "../escape.txt",
        "/etc/escape.txt",
        "sources/../../escape.txt",
        "C:/escape.txt",
    ] {
        let mut entries = exported(corpus.path());
        entries.push((name.to_string(), b"x".to_vec()));
        refused(&zip_of(&entries), "points outside the archive");
    }
}

#[test]
fn a_link_in_the_archive_is_refused() {
    let corpus = corpus();
    let entries = exported(corpus.path());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.add_symlink(
        "sources/link.txt",
        "/etc/passwd",
        SimpleFileOptions::default(),
    )
    .unwrap();
    refused(&zip.finish().unwrap().into_inner(), "is a symbolic link");
}

#[test]
fn a_zip_bomb_is_refused_past_a_bound_proportional_to_the_archive() {
    let corpus = corpus();
    let mut entries = exported(corpus.path());
    // 17 MiB of white space deflates to a few KiB: far past 100 times the archive
    for (name, bytes) in &mut entries {
        if name == "project.qde" {
            let mut big = bytes.clone();
            big.extend(std::iter::repeat_n(b' ', 17 << 20));
            *bytes = big;
        }
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in &entries {
        zip.start_file(name.as_str(), deflated).unwrap();
        zip.write_all(bytes).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 200_000);
    refused(&bytes, "a zip bomb");
}

#[test]
fn a_dtd_and_its_external_entities_are_never_read() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::write(secret.path(), "SECRET-CONTENT").unwrap();
    let path = secret.path().display().to_string();
    let bytes = with_project(|xml| {
        xml.replacen(
            "<Project ",
            &format!("<!DOCTYPE Project [<!ENTITY leak SYSTEM \"file://{path}\">]>\n<Project "),
            1,
        )
        .replacen(
            "<Description>Hope.</Description>",
            "<Description>&leak;</Description>",
            1,
        )
    });
    refused(&bytes, "declares a DTD");
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let corpus = corpus();
    let mut entries = exported(corpus.path());
    for (name, bytes) in &mut entries {
        if name.starts_with("sources/") {
            bytes.extend_from_slice(b"\xff\xfe bad");
        }
    }
    refused(&zip_of(&entries), "is not UTF-8 text");
}

#[test]
fn positions_outside_the_text_are_refused() {
    let bytes = with_project(|xml| xml.replace("endPosition=\"10\"", "endPosition=\"999\""));
    refused(&bytes, "are outside its text (20 characters");
    let bytes = with_project(|xml| xml.replace("startPosition=\"4\"", "startPosition=\"-4\""));
    refused(&bytes, "is not a position");
}

#[test]
fn a_reference_to_nothing_is_refused() {
    let bytes = with_project(|xml| {
        let at = xml.find("<CodeRef targetGUID=\"").unwrap() + 21;
        format!(
            "{}00000000-0000-0000-0000-000000000000{}",
            &xml[..at],
            &xml[at + 36..]
        )
    });
    refused(&bytes, "which the project's codebook does not declare");
}

#[test]
fn a_code_tree_with_a_cycle_is_refused() {
    let bytes = with_project(|xml| {
        // the stance code "Hope: endorses", nested in the reading code "Hope", takes the
        // reading code's GUID: a tool following GUIDs would loop
        let guid_before = |at: usize| {
            let start = xml[..at].rfind("guid=\"").unwrap() + 6;
            (start, start + 36)
        };
        let reading = guid_before(xml.find("name=\"Hope\"").unwrap());
        let stance = guid_before(xml.find("name=\"Hope: endorses\"").unwrap());
        format!(
            "{}{}{}",
            &xml[..stance.0],
            &xml[reading.0..reading.1],
            &xml[stance.1..]
        )
    });
    refused(&bytes, "the code tree has a cycle");
}

#[test]
fn a_text_path_out_of_the_project_is_refused() {
    let bytes = with_project(|xml| {
        let at = xml.find("plainTextPath=\"").unwrap() + 15;
        let end = at + xml[at..].find('"').unwrap();
        format!("{}absolute:///etc/passwd{}", &xml[..at], &xml[end..])
    });
    refused(&bytes, "is not a file inside the project");
}

#[test]
fn what_is_not_a_project_is_refused() {
    refused(b"not a zip at all", "not a REFI-QDA project");
    refused(
        &zip_of(&[("other.txt".into(), b"x".to_vec())]),
        "holds no project.qde",
    );
}

#[cfg(unix)]
#[test]
fn a_link_in_the_work_never_leads_a_write_or_a_read_out() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("piece.txt"), "SECRET").unwrap();
    // texts/ is a link to a folder outside the work
    let corpus = corpus();
    let bytes = zip_of(&exported(corpus.path()));
    let texts = corpus.path().join("film/texts");
    fs::remove_dir_all(&texts).unwrap();
    std::os::unix::fs::symlink(outside.path(), &texts).unwrap();
    let file = corpus.path().join("p.qdpx");
    fs::write(&file, &bytes).unwrap();
    let out = run(
        corpus.path().to_str().unwrap(),
        &["import", "qdpx", file.to_str().unwrap(), "--force"],
    );
    assert_code(&out, 1);
    assert!(
        stderr(&out).contains("leads outside the work"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("SECRET"));
    assert_eq!(
        fs::read_to_string(outside.path().join("piece.txt")).unwrap(),
        "SECRET"
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);

    // a coder's folder that is a link out
    let corpus = self::corpus();
    let codings = corpus.path().join("film/codings");
    fs::create_dir_all(&codings).unwrap();
    std::os::unix::fs::symlink(outside.path(), codings.join("al")).unwrap();
    let file = corpus.path().join("p.qdpx");
    fs::write(&file, &bytes).unwrap();
    let out = run(
        corpus.path().to_str().unwrap(),
        &["--coder", "al", "import", "qdpx", file.to_str().unwrap()],
    );
    assert_code(&out, 1);
    // the loader refuses such a corpus before the import looks at it
    assert!(stderr(&out).contains("outside the"), "{}", stderr(&out));
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);
}

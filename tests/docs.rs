//! The project's own documentation (`docs/`) is true and whole: its `console` examples run on
//! the bundled corpus and print what the pages show, every link between the pages and the
//! README leads to a file and a heading that exist, and nothing points outside the repository
//! or at a specification it does not hold.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{parallax_in, root};

/// The documentation pages, and the README that links them.
fn pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    for name in ["formats.md", "rules.md", "json.md", "README.md"] {
        assert!(
            pages.contains(&root().join("docs").join(name)),
            "docs/{name}"
        );
    }
    pages.push(root().join("README.md"));
    pages
}

/// Splits a command line on spaces, keeping double-quoted words together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => out.extend((!word.is_empty()).then(|| std::mem::take(&mut word))),
            c => word.push(c),
        }
    }
    out.extend((!word.is_empty()).then_some(word));
    out
}

#[test]
fn console_examples_print_what_the_pages_show() {
    let mut ran = 0;
    for page in pages()
        .iter()
        .filter(|p| p.parent() == Some(&root().join("docs")))
    {
        let text = std::fs::read_to_string(page).unwrap();
        let mut in_block = false;
        let mut current: Option<(String, String)> = None;
        let mut examples = Vec::new();
        for line in text.lines() {
            if line.starts_with("```console") {
                in_block = true;
            } else if in_block && line.starts_with("```") {
                in_block = false;
                examples.extend(current.take());
            } else if in_block {
                if let Some(cmd) = line.strip_prefix("$ ") {
                    examples.extend(current.take());
                    current = Some((cmd.to_string(), String::new()));
                } else if let Some((_, expected)) = current.as_mut() {
                    expected.push_str(line);
                    expected.push('\n');
                }
            }
        }
        for (line, expected) in examples {
            let args = words(&line);
            assert_eq!(args[0], "parallax", "{line}");
            let out = parallax_in(root()).args(&args[1..]).output().unwrap();
            assert!(out.status.success(), "{}: `{line}` failed", page.display());
            assert_eq!(
                String::from_utf8(out.stdout).unwrap().trim_end(),
                expected.trim_end(),
                "{}: the output of `{line}` differs",
                page.display()
            );
            ran += 1;
        }
    }
    assert!(ran >= 3, "the pages show their commands");
}

/// The anchors GitHub gives a page's headings: lowercase, punctuation dropped, spaces as `-`.
fn anchors(text: &str) -> HashSet<String> {
    let mut in_code = false;
    let mut out = HashSet::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if in_code || !line.starts_with('#') {
            continue;
        }
        let heading = line.trim_start_matches('#').trim();
        let slug: String = heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        out.insert(slug);
    }
    out
}

/// Every `](target)` of a Markdown text.
fn links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(target, _)| target.to_string()))
        .collect()
}

#[test]
fn every_link_leads_somewhere() {
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let dir = page.parent().unwrap();
        for link in links(&text) {
            if link.starts_with("http") || link.contains(' ') {
                continue;
            }
            let (file, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target: &Path = if file.is_empty() {
                &page
            } else {
                &dir.join(file)
            };
            assert!(target.exists(), "{}: no {link}", page.display());
            if !anchor.is_empty() {
                let target_text = std::fs::read_to_string(target).unwrap();
                assert!(
                    anchors(&target_text).contains(anchor),
                    "{}: no heading #{anchor} in {}",
                    page.display(),
                    target.display()
                );
            }
        }
    }
}

#[test]
fn the_project_stands_alone() {
    let files = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(root())
        .output()
        .ok()
        .filter(|o| o.status.success());
    let Some(files) = files else {
        println!("git is not available here: skipped");
        return;
    };
    for file in String::from_utf8(files.stdout).unwrap().lines() {
        let Ok(text) = std::fs::read_to_string(root().join(file)) else {
            continue;
        };
        assert!(
            !text.contains(concat!("../", "shared")),
            "{file} points outside the repository"
        );
    }
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        assert!(
            !text.contains(concat!("SPEC", " §")),
            "{} cites a specification the repository does not hold",
            page.display()
        );
    }
}

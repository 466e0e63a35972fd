//! Every command's `--help`: its own options first, the global options under their own
//! heading, `--keep-going` only where it means something, no internal names, and two or three
//! examples at the end that really run on the bundled corpus.

mod common;

use clap::CommandFactory;
use common::{assert_code, copy_tree, parallax_in, root, stdout};
use parallax::cli::Cli;

/// Every command line that has a help of its own: `["compare"]`, `["new", "source"]`, …
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            out.push(p.clone());
            walk(sub, p, out);
        }
    }
    let mut out = vec![Vec::new()];
    walk(&Cli::command(), Vec::new(), &mut out);
    out
}

fn help(path: &[String]) -> String {
    let out = parallax_in(root())
        .args(path)
        .arg("--help")
        .output()
        .unwrap();
    assert_code(&out, 0);
    stdout(&out)
}

/// The views, and `list`: the commands that read a corpus and may skip broken claim files.
const KEEP_GOING: &[&str] = &[
    "compare",
    "scene",
    "matrix",
    "agreement",
    "reliability",
    "export",
    "voices",
    "list",
    "show source",
];

#[test]
fn own_options_first_then_the_global_ones() {
    for path in commands() {
        let text = help(&path);
        let name = path.join(" ");
        let global = text
            .find("Global options:")
            .unwrap_or_else(|| panic!("`{name} --help` has no global options:\n{text}"));
        if let Some(own) = text.find("\nOptions:") {
            assert!(
                own < global,
                "`{name} --help`: own options after the global ones"
            );
        }
        for flag in ["--corpus", "--work", "--coder", "--color"] {
            let at = text.find(&format!("{flag} <")).unwrap();
            assert!(
                at > global,
                "`{name} --help`: {flag} among the command's own options"
            );
        }
        assert_eq!(
            text.contains("--keep-going"),
            KEEP_GOING.contains(&name.as_str()),
            "`{name} --help` and --keep-going"
        );
        assert!(
            !text.contains("::"),
            "`{name} --help` names an internal path:\n{text}"
        );
        assert!(
            !text.contains("\\\\"),
            "`{name} --help` doubles a backslash:\n{text}"
        );
    }
}

#[test]
fn views_offer_the_formats_they_write() {
    let compare = help(&["compare".into()]);
    assert!(
        compare.contains("- latex:") && !compare.contains("- qdpx:"),
        "{compare}"
    );
    let export = help(&["export".into()]);
    assert!(export.contains("- qdpx:"), "{export}");
    // offered or not, `compare -f qdpx` says where a project is written
    let out = parallax_in(root())
        .args([
            "compare",
            "ending-explained",
            "car-scene-tears",
            "-f",
            "qdpx",
        ])
        .output()
        .unwrap();
    assert_code(&out, 1);
}

/// The examples at the end of a help: the lines after `Examples:`.
fn examples(text: &str) -> Vec<String> {
    let (_, tail) = text
        .split_once("Examples:\n")
        .unwrap_or_else(|| panic!("no examples:\n{text}"));
    tail.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
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
fn each_help_ends_with_examples_that_run() {
    for path in commands() {
        let name = path.join(" ");
        let text = help(&path);
        let lines = examples(&text);
        assert!(
            (2..=3).contains(&lines.len()),
            "`{name} --help` has {} examples",
            lines.len()
        );
        for line in lines {
            // a line for the shell (a pipe, a redirection) is not run here
            if !line.starts_with("parallax ") || line.contains(['|', '>', '<']) {
                continue;
            }
            let args = words(&line);
            // every example runs in a fresh copy of the bundled project
            let dir = tempfile::tempdir().unwrap();
            copy_tree(
                &root().join("interpretations"),
                &dir.path().join("interpretations"),
            );
            std::fs::copy(
                root().join("examples/hypothesis-anora.json"),
                dir.path().join("annotations.json"),
            )
            .unwrap();
            // a project to import, as the export writes it
            let export = parallax_in(dir.path())
                .args(["export", "-o", "coded.qdpx"])
                .output()
                .unwrap();
            assert_code(&export, 0);
            let out = parallax_in(dir.path()).args(&args[1..]).output().unwrap();
            assert!(
                out.status.success(),
                "`{line}` (from `{name} --help`) failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

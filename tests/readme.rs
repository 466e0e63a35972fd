//! The README's `console` examples are real: each `$ parallax …` line is run on the bundled
//! corpus and its output must be what the README shows.

use std::path::Path;

use assert_cmd::Command;

/// Splits a command line on spaces, keeping double-quoted words together.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// (command line, expected output) for every example in a `console` block.
fn examples(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut current: Option<(String, String)> = None;
    for line in readme.lines() {
        if line.starts_with("```console") {
            in_block = true;
        } else if in_block && line.starts_with("```") {
            in_block = false;
            out.extend(current.take());
        } else if in_block {
            if let Some(cmd) = line.strip_prefix("$ ") {
                out.extend(current.take());
                current = Some((cmd.to_string(), String::new()));
            } else if let Some((_, expected)) = current.as_mut() {
                expected.push_str(line);
                expected.push('\n');
            }
        }
    }
    out
}

#[test]
fn readme_examples_are_true() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(examples.len() >= 4, "the README should show its commands");
    for (line, expected) in examples {
        let args = words(&line);
        assert_eq!(args[0], "parallax", "{line}");
        let output = Command::cargo_bin("parallax")
            .unwrap()
            .current_dir(root)
            .args(&args[1..])
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env_remove("PARALLAX_CORPUS")
            .output()
            .unwrap();
        assert!(output.status.success(), "{line} failed");
        let actual = String::from_utf8(output.stdout).unwrap();
        assert_eq!(
            actual.trim_end(),
            expected.trim_end(),
            "output of `{line}` differs from the README"
        );
    }
}

#[test]
fn set_up_commands_are_the_documented_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let setup = readme.split("## Set up").nth(1).unwrap();
    let block = setup
        .split("```sh")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let commands: Vec<&str> = block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- compare ending-explained car-scene-tears",
            "cargo test"
        ]
    );
}

//! Dynamic shell completion: ids from the corpus, asked for the way the shells ask
//! (`COMPLETE=<shell> parallax -- <words typed so far>`, clap_complete's protocol), and the
//! static `completions SHELL` script.

mod common;

use common::{assert_code, parallax_in, root, stdout};

/// What the shell would offer for the last word of `words` (`parallax` first), leaving out
/// the options clap offers beside the values of an empty word.
fn complete(shell: &str, words: &[&str]) -> Vec<String> {
    let mut cmd = parallax_in(root());
    cmd.env("COMPLETE", shell).arg("--").args(words);
    if shell != "fish" {
        // bash and zsh say which word is being completed
        cmd.env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
            .env("_CLAP_IFS", "\n");
    }
    let out = cmd.output().unwrap();
    assert_code(&out, 0);
    stdout(&out)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('-'))
        .collect()
}

const BASE: &str = "tests/fixtures/ok/base";

#[test]
fn a_partial_source_id_completes_in_every_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let found = complete(shell, &["parallax", "--corpus", BASE, "compare", "al"]);
        assert_eq!(found, ["alpha"], "{shell}");
        let found = complete(
            shell,
            &["parallax", "--corpus", BASE, "compare", "alpha", ""],
        );
        assert_eq!(found, ["alpha", "beta"], "{shell}");
    }
}

#[test]
fn scenes_readings_and_people_complete() {
    let bundled = ["parallax", "--corpus", "interpretations"];
    let with = |rest: &[&'static str]| -> Vec<&'static str> {
        bundled
            .iter()
            .copied()
            .chain(rest.iter().copied())
            .collect()
    };
    assert_eq!(
        complete("fish", &with(&["scene", "car"])),
        ["car-encounter"]
    );
    assert_eq!(
        complete("fish", &with(&["compare", "a", "b", "--scene", "t"])),
        ["tears"]
    );
    assert_eq!(
        complete("bash", &with(&["rename", "reading", "re"])),
        ["reclaimed-power", "return-to-reality"]
    );
    assert_eq!(
        complete("fish", &with(&["merge", "reading", "self"])),
        ["self-protection"]
    );
    assert_eq!(
        complete("fish", &with(&["rename", "person", "s"])),
        ["sean-baker"]
    );
    assert_eq!(
        complete("zsh", &with(&["matrix", "--voice", "S"])),
        ["Sean Baker"]
    );
    assert_eq!(
        complete("fish", &with(&["agreement", "--voice", "o"])),
        ["own"]
    );
    // each value of a comma-separated list completes on its own
    assert_eq!(
        complete(
            "fish",
            &with(&["matrix", "--sources", "ending-explained,c"])
        ),
        ["ending-explained,car-scene-tears"]
    );
}

#[test]
fn the_corpus_comes_from_the_environment_when_not_given() {
    let out = parallax_in(root())
        .env("COMPLETE", "fish")
        .env("PARALLAX_CORPUS", BASE)
        .args(["--", "parallax", "scene", "o"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stdout(&out), "opening\tThe opening\n");
}

#[test]
fn a_missing_corpus_completes_nothing_and_fails_nothing() {
    let found = complete(
        "fish",
        &["parallax", "--corpus", "no/such/folder", "compare", ""],
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_registration_script_and_the_static_script_are_printed() {
    let out = parallax_in(root())
        .env("COMPLETE", "bash")
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("complete -o nospace"),
        "{}",
        stdout(&out)
    );
    for shell in ["bash", "zsh", "fish"] {
        let out = parallax_in(root())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_code(&out, 0);
        assert!(stdout(&out).contains("parallax"), "{shell}");
    }
}

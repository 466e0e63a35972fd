//! `parallax check` on bad input: one fixture corpus per class of error under
//! `tests/fixtures/bad/<case>/`, and accepted edge cases under `tests/fixtures/ok/<case>/`.
//!
//! Each bad case asserts three things: exit code 1; the rustc-style report on standard error
//! (an insta file snapshot, plus the `--> file:line:col` of every error checked directly);
//! and `check --format json`, whose `errors` must be exactly the expected list (file, line,
//! column, a message substring and, where it matters, a help substring).

mod common;

use std::fs;
use std::path::Path;

use common::{assert_code, assert_no_panic, json, root, run, run_in, stderr, stdout};
use serde_json::Value;

/// One expected diagnostic. `file` is relative to the case's corpus folder.
struct Expect {
    file: Option<&'static str>,
    line: Option<u64>,
    column: Option<u64>,
    message: &'static str,
    help: Option<&'static str>,
    /// whether the report quotes the line with a caret under the problem
    snippet: bool,
}

/// An error at `file:line:column` whose message contains `message`.
fn at(file: &'static str, line: u64, column: u64, message: &'static str) -> Expect {
    Expect {
        file: Some(file),
        line: Some(line),
        column: Some(column),
        message,
        help: None,
        snippet: true,
    }
}

/// An error about a whole file or folder (no line, no column).
fn whole(file: &'static str, message: &'static str) -> Expect {
    Expect {
        file: Some(file),
        line: None,
        column: None,
        message,
        help: None,
        snippet: true,
    }
}

impl Expect {
    fn help(mut self, help: &'static str) -> Self {
        self.help = Some(help);
        self
    }

    /// The report gives the position but quotes no line (the file could not be read as text).
    fn no_snippet(mut self) -> Self {
        self.snippet = false;
        self
    }
}

/// Asserts that a JSON diagnostics array is exactly `expected`, in order.
#[track_caller]
fn assert_diagnostics(corpus: &str, found: &Value, expected: &[Expect]) {
    let found = found.as_array().expect("an array of diagnostics");
    let shown = serde_json::to_string_pretty(found).unwrap();
    assert_eq!(found.len(), expected.len(), "diagnostics:\n{shown}");
    for (d, e) in found.iter().zip(expected) {
        let file = e.file.map(|f| format!("{corpus}/{f}"));
        assert_eq!(d["file"].as_str(), file.as_deref(), "file of\n{shown}");
        assert_eq!(d["line"].as_u64(), e.line, "line of {d:#}");
        assert_eq!(d["column"].as_u64(), e.column, "column of {d:#}");
        let message = d["message"].as_str().expect("a message");
        assert!(
            message.contains(e.message),
            "message {message:?} should contain {:?}",
            e.message
        );
        if let Some(help) = e.help {
            let found = d["help"].as_str().unwrap_or_default();
            assert!(
                found.contains(help),
                "help {found:?} should contain {help:?}"
            );
        }
    }
}

/// Runs `check` (table and JSON) on `corpus` from `dir` and checks the errors; returns the
/// table run's standard error.
#[track_caller]
fn check_fails(dir: &Path, corpus: &str, expected: &[Expect]) -> String {
    let out = run_in(dir, corpus, &["check"]);
    assert_code(&out, 1);
    assert_eq!(
        stdout(&out),
        "",
        "a failed check writes its report to stderr"
    );
    let err = stderr(&out);
    for e in expected {
        let loc = match (e.file, e.line, e.column) {
            (Some(f), Some(l), Some(c)) => format!("--> {corpus}/{f}:{l}:{c}\n"),
            (Some(f), _, _) => format!("--> {corpus}/{f}\n"),
            _ => String::new(),
        };
        assert!(err.contains(&loc), "stderr should contain {loc:?}:\n{err}");
        if e.line.is_some() && e.snippet {
            assert!(err.contains('^'), "a caret under the problem:\n{err}");
        }
    }
    assert!(err.contains("= help: "), "a hint:\n{err}");
    assert!(!err.contains('\x1b'), "no colour with NO_COLOR:\n{err}");

    let out = run_in(dir, corpus, &["check", "--format", "json"]);
    assert_code(&out, 1);
    let report = json(&out);
    assert_diagnostics(corpus, &report["errors"], expected);
    err
}

/// A bad fixture case: exit 1, the errors expected, and a snapshot of the report.
#[track_caller]
fn bad(case: &str, expected: &[Expect]) {
    let corpus = format!("tests/fixtures/bad/{case}");
    assert!(root().join(&corpus).is_dir(), "no fixture {corpus}");
    let err = check_fails(root(), &corpus, expected);
    insta::assert_snapshot!(case, err);
}

/// Runs `check --format json` on an accepted corpus; returns the report.
#[track_caller]
fn check_passes(corpus: &str) -> Value {
    let out = run(corpus, &["check", "--format", "json"]);
    assert_code(&out, 0);
    let report = json(&out);
    assert_diagnostics(corpus, &report["errors"], &[]);
    report
}

// ---------------------------------------------------------------------------------------
// TOML syntax and serde errors

#[test]
fn syntax_error_in_a_claim_file() {
    bad(
        "syntax-claim",
        &[at("tiny/sources/alpha.toml", 8, 35, "TOML syntax error")],
    );
}

#[test]
fn syntax_error_in_work_toml() {
    bad(
        "syntax-work",
        &[at("tiny/work.toml", 11, 9, "TOML syntax error")],
    );
}

/// The caret of a syntax error at the end of a line points at the line's end, not at a
/// span that runs on into the next line (drawn as a multi-line `|_^` annotation).
#[test]
fn syntax_error_caret_stays_on_its_line() {
    for case in ["syntax-claim", "syntax-work"] {
        let out = run(&format!("tests/fixtures/bad/{case}"), &["check"]);
        let err = stderr(&out);
        assert!(
            !err.contains("|_"),
            "{case}: a multi-line annotation:\n{err}"
        );
        assert!(
            !err.contains("__^"),
            "{case}: a multi-line annotation:\n{err}"
        );
    }
}

#[test]
fn unknown_field_in_source() {
    bad(
        "unknown-field-source",
        &[at("tiny/sources/alpha.toml", 4, 1, "unknown field `edition`").help("`title`")],
    );
}

#[test]
fn unknown_field_in_claim() {
    bad(
        "unknown-field-claim",
        &[at("tiny/sources/alpha.toml", 9, 1, "unknown field `note`").help("`summary`")],
    );
}

#[test]
fn unknown_field_in_scene() {
    bad(
        "unknown-field-scene",
        &[at("tiny/work.toml", 14, 1, "unknown field `length`").help("`aliases`")],
    );
}

#[test]
fn unknown_field_in_work() {
    bad(
        "unknown-field-work",
        &[at("tiny/work.toml", 4, 1, "unknown field `director`").help("`creators`")],
    );
}

#[test]
fn wrong_type_year() {
    bad(
        "wrong-type-year",
        &[at("tiny/work.toml", 3, 8, "wrong type")],
    );
}

#[test]
fn wrong_type_creators() {
    bad(
        "wrong-type-creators",
        &[at("tiny/work.toml", 4, 12, "wrong type")],
    );
}

// ---------------------------------------------------------------------------------------
// missing required fields

#[test]
fn missing_work_title() {
    bad(
        "missing-work-title",
        &[at(
            "tiny/work.toml",
            1,
            1,
            "missing field `title` in [work]",
        )],
    );
}

#[test]
fn missing_scene_id() {
    // the claims that name the scene by that id are unknown too: the scene has no id
    bad(
        "missing-scene-id",
        &[
            // work.toml first: the errors of the claim sets follow from it
            at("tiny/work.toml", 11, 1, "missing field `id` in [[scene]]"),
            at("tiny/sources/alpha.toml", 11, 9, "unknown scene \"finale\""),
            at("tiny/sources/beta.toml", 11, 9, "unknown scene \"finale\""),
        ],
    );
}

#[test]
fn missing_scene_title() {
    bad(
        "missing-scene-title",
        &[at(
            "tiny/work.toml",
            11,
            1,
            "missing field `title` in [[scene]]",
        )],
    );
}

#[test]
fn missing_reading_label() {
    bad(
        "missing-reading-label",
        &[at(
            "tiny/work.toml",
            20,
            1,
            "missing field `label` in [[reading]]",
        )],
    );
}

/// A scene that has an id but no title, and a reading that has an id but no label, are in
/// the codebook: claims that name them should not also get "unknown scene/reading" errors
/// (whose help then lists the valid names without the one written in work.toml).
#[test]
fn missing_title_does_not_make_the_scene_unknown() {
    let corpus = "tests/fixtures/bad/missing-title-and-label-referenced";
    let out = run(corpus, &["check", "--format", "json"]);
    assert_code(&out, 1);
    assert_diagnostics(
        corpus,
        &json(&out)["errors"],
        &[
            at(
                "tiny/work.toml",
                11,
                1,
                "missing field `title` in [[scene]]",
            ),
            at(
                "tiny/work.toml",
                19,
                1,
                "missing field `label` in [[reading]]",
            ),
        ],
    );
}

#[test]
fn missing_source_title() {
    bad(
        "missing-source-title",
        &[at(
            "tiny/sources/alpha.toml",
            1,
            1,
            "missing field `title` in [source]",
        )],
    );
}

#[test]
fn missing_claim_scene() {
    bad(
        "missing-claim-scene",
        &[at(
            "tiny/sources/alpha.toml",
            10,
            1,
            "missing field `scene` in [[claim]]",
        )],
    );
}

#[test]
fn missing_claim_reading() {
    bad(
        "missing-claim-reading",
        &[at(
            "tiny/sources/alpha.toml",
            10,
            1,
            "missing field `reading` in [[claim]]",
        )],
    );
}

#[test]
fn claim_with_neither_summary_nor_quote() {
    bad(
        "claim-without-text",
        &[at(
            "tiny/sources/alpha.toml",
            10,
            1,
            "needs a `summary` or a `quote`",
        )],
    );
}

// ---------------------------------------------------------------------------------------
// ids

#[test]
fn scene_id_not_kebab() {
    bad(
        "bad-scene-id",
        &[at(
            "tiny/work.toml",
            12,
            6,
            "scene id \"Grand_Finale\" is not lowercase kebab-case",
        )
        .help("\"grand-finale\"")],
    );
}

#[test]
fn reading_id_not_kebab() {
    bad(
        "bad-reading-id",
        &[at(
            "tiny/work.toml",
            21,
            6,
            "reading id \"Deep Despair\" is not lowercase kebab-case",
        )
        .help("\"deep-despair\"")],
    );
}

#[test]
fn source_file_name_not_kebab() {
    bad(
        "bad-source-name",
        &[whole("tiny/sources/Bad_Name.toml", "source id \"Bad_Name\"").help("bad-name.toml")],
    );
}

#[test]
fn work_folder_name_not_kebab() {
    bad(
        "bad-work-folder",
        &[whole(
            "Tiny_Work",
            "work folder name \"Tiny_Work\" is not a valid id",
        )
        .help("tiny-work")],
    );
}

#[test]
fn duplicate_scene_id() {
    bad(
        "duplicate-scene-id",
        &[at(
            "tiny/work.toml",
            12,
            6,
            "duplicate scene name \"opening\"",
        )],
    );
}

#[test]
fn duplicate_reading_id() {
    bad(
        "duplicate-reading-id",
        &[at(
            "tiny/work.toml",
            21,
            6,
            "duplicate reading name \"hope\"",
        )],
    );
}

/// Both sources read scene "opening" (the first one of that id), yet `check` warns that no
/// source reads it, pointing at the duplicate: with errors in work.toml, the coverage
/// warnings are computed on a broken codebook. (With errors in a claim file they are
/// left out, on purpose, see `load_work`.)
#[test]
fn work_toml_errors_give_no_coverage_warnings() {
    for (case, what) in [
        ("duplicate-scene-id", "scene"),
        ("duplicate-reading-id", "reading"),
    ] {
        let out = run(
            &format!("tests/fixtures/bad/{case}"),
            &["check", "--format", "json"],
        );
        let report = json(&out);
        assert_eq!(
            report["warnings"],
            Value::Array(Vec::new()),
            "{case} ({what}): {report:#}"
        );
    }
}

#[test]
fn alias_collides_with_another_scenes_id() {
    bad(
        "alias-collides-with-id",
        &[at(
            "tiny/work.toml",
            14,
            23,
            "duplicate scene name \"Opening\"",
        )],
    );
}

#[test]
fn alias_collides_with_another_scenes_alias() {
    bad(
        "alias-collides-with-alias",
        &[at(
            "tiny/work.toml",
            14,
            23,
            "duplicate scene name \"START\"",
        )],
    );
}

// ---------------------------------------------------------------------------------------
// references and values in claims

#[test]
fn unknown_scene_in_claim_suggests_the_closest() {
    bad(
        "unknown-scene",
        &[at(
            "tiny/sources/alpha.toml",
            11,
            9,
            "unknown scene \"finalle\"",
        )
        .help("did you mean \"finale\"?")],
    );
}

#[test]
fn unknown_reading_in_claim_lists_the_readings() {
    bad(
        "unknown-reading",
        &[at(
            "tiny/sources/alpha.toml",
            12,
            11,
            "unknown reading \"dread\"",
        )
        .help("\"despair\"")],
    );
}

#[test]
fn aliases_in_claims_resolve_to_ids() {
    let corpus = "tests/fixtures/ok/alias-in-claim";
    let report = check_passes(corpus);
    assert_eq!(report["warnings"], Value::Array(Vec::new()));
    let out = run(corpus, &["compare", "alpha", "beta", "--format", "json"]);
    assert_code(&out, 0);
    let cmp = json(&out);
    assert_eq!(cmp["rows"][0]["scene"], "opening", "{cmp:#}");
    assert_eq!(cmp["rows"][0]["left"][0]["reading"], "hope", "{cmp:#}");
}

#[test]
fn bad_stance_suggests_the_closest() {
    bad(
        "bad-stance",
        &[at(
            "tiny/sources/alpha.toml",
            8,
            10,
            "unknown stance \"endorse\"",
        )
        .help("did you mean \"endorses\"?")],
    );
}

#[test]
fn bad_kind_suggests_the_closest() {
    bad(
        "bad-kind",
        &[at(
            "tiny/sources/alpha.toml",
            3,
            8,
            "unknown source kind \"reveiw\"",
        )
        .help("did you mean \"review\"?")],
    );
}

#[test]
fn duplicate_claim() {
    bad(
        "duplicate-claim",
        &[at("tiny/sources/alpha.toml", 16, 1, "duplicate claim")],
    );
}

#[test]
fn same_position_with_other_words_is_more_evidence() {
    let report = check_passes("tests/fixtures/ok/same-position-different-summaries");
    assert_eq!(report["claims"], 5);
    assert_eq!(report["warnings"], Value::Array(Vec::new()));
}

#[test]
fn published_with_a_time_is_not_a_date() {
    bad(
        "published-with-time",
        &[at(
            "tiny/sources/alpha.toml",
            4,
            13,
            "`published` must be a date",
        )],
    );
}

#[test]
fn text_leaving_its_folder_by_dot_dot() {
    bad(
        "text-parent-path",
        &[at(
            "tiny/sources/alpha.toml",
            4,
            8,
            "`text` must be a plain file name, not \"../x.txt\"",
        )],
    );
}

#[test]
fn text_as_an_absolute_path() {
    bad(
        "text-absolute-path",
        &[at(
            "tiny/sources/alpha.toml",
            4,
            8,
            "`text` must be a plain file name, not \"/etc/passwd\"",
        )],
    );
}

// ---------------------------------------------------------------------------------------
// folders and files

/// docs/formats.md#what-check-reports: a `text` that leaves its folder "through a link outside" is an error too.
#[cfg(unix)]
#[test]
fn text_linking_outside_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &root().join("tests/fixtures/ok/base"),
        &tmp.path().join("corpus"),
    );
    fs::write(tmp.path().join("outside.txt"), "The opening is hopeful.\n").unwrap();
    fs::create_dir(tmp.path().join("corpus/tiny/texts")).unwrap();
    std::os::unix::fs::symlink(
        "../../../outside.txt",
        tmp.path().join("corpus/tiny/texts/a.txt"),
    )
    .unwrap();
    let alpha = tmp.path().join("corpus/tiny/sources/alpha.toml");
    let text = fs::read_to_string(&alpha).unwrap();
    fs::write(
        &alpha,
        text.replacen(
            "kind = \"review\"",
            "kind = \"review\"\ntext = \"a.txt\"",
            1,
        ),
    )
    .unwrap();
    check_fails(
        tmp.path(),
        "corpus",
        &[at("tiny/sources/alpha.toml", 4, 8, "resolves outside")],
    );
}

#[test]
fn empty_work_folder() {
    // git keeps no empty folder: build the corpus in a temporary folder
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("corpus/tiny")).unwrap();
    let err = check_fails(
        tmp.path(),
        "corpus",
        &[whole(
            "tiny/work.toml",
            "the work folder corpus/tiny is empty",
        )],
    );
    insta::assert_snapshot!("empty-work-folder", err);
}

#[test]
fn work_folder_without_work_toml() {
    bad(
        "no-work-toml",
        &[whole("tiny/work.toml", "has no work.toml")],
    );
}

#[test]
fn missing_corpus_folder() {
    let corpus = "tests/fixtures/bad/no-such-corpus";
    let out = run(corpus, &["check"]);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: cannot read the corpus folder tests/fixtures/bad/no-such-corpus: not found"
        ),
        "{err}"
    );
    assert!(err.contains("= help: pass --corpus DIR"), "{err}");
    insta::assert_snapshot!("missing-corpus", err);

    let out = run(corpus, &["check", "--format", "json"]);
    assert_code(&out, 1);
    let errors = &json(&out)["errors"];
    assert_eq!(errors.as_array().unwrap().len(), 1, "{errors:#}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-corpus")
    );
    assert_eq!(errors[0]["file"], Value::Null);

    // a view command fails the same way, not with a panic
    assert_code(&run(corpus, &["matrix"]), 1);
}

#[test]
fn invalid_utf8_in_a_claim_file() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &root().join("tests/fixtures/ok/base"),
        &tmp.path().join("corpus"),
    );
    let alpha = tmp.path().join("corpus/tiny/sources/alpha.toml");
    let text = fs::read_to_string(&alpha).unwrap();
    let text = text.replace("The opening is hopeful.", "The caf@");
    // 0xE9 is "é" in Latin-1, never valid on its own in UTF-8
    let bytes: Vec<u8> = text
        .bytes()
        .map(|b| if b == b'@' { 0xE9 } else { b })
        .collect();
    fs::write(&alpha, bytes).unwrap();
    let err = check_fails(
        tmp.path(),
        "corpus",
        &[at(
            "tiny/sources/alpha.toml",
            8,
            19,
            "is not valid UTF-8 (byte 0xE9",
        )
        .no_snippet()],
    );
    insta::assert_snapshot!("invalid-utf8", err);
}

#[test]
fn byte_order_mark_is_accepted() {
    let corpus = "tests/fixtures/ok/bom";
    let bytes = fs::read(root().join(corpus).join("tiny/work.toml")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the fixture lost its BOM"
    );
    let report = check_passes(corpus);
    assert_eq!(report["claims"], 4);
    assert_code(&run(corpus, &["compare", "alpha", "beta"]), 0);
}

#[test]
fn byte_order_mark_does_not_shift_columns() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &root().join("tests/fixtures/ok/bom"),
        &tmp.path().join("corpus"),
    );
    let alpha = tmp.path().join("corpus/tiny/sources/alpha.toml");
    let text = fs::read(&alpha).unwrap();
    let body = String::from_utf8(text[3..].to_vec()).unwrap();
    let text = [
        &b"\xEF\xBB\xBF"[..],
        body.replacen("\n", "\nsumary = 1\n", 1).as_bytes(),
    ]
    .concat();
    fs::write(&alpha, text).unwrap();
    check_fails(
        tmp.path(),
        "corpus",
        &[at(
            "tiny/sources/alpha.toml",
            2,
            1,
            "unknown field `sumary`",
        )],
    );
}

#[test]
fn crlf_line_endings_are_accepted() {
    let corpus = "tests/fixtures/ok/crlf";
    let bytes = fs::read(root().join(corpus).join("tiny/work.toml")).unwrap();
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the fixture lost its CRLF"
    );
    let report = check_passes(corpus);
    assert_eq!(report["claims"], 4);
    let out = run(corpus, &["compare", "alpha", "beta", "--format", "json"]);
    assert_code(&out, 0);
    // no carriage return leaks into the values
    assert!(!stdout(&out).contains("\\r"), "{}", stdout(&out));
}

#[test]
fn crlf_error_has_the_right_line_and_column() {
    let corpus = "tests/fixtures/bad/crlf-error";
    let bytes = fs::read(root().join(corpus).join("tiny/sources/alpha.toml")).unwrap();
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the fixture lost its CRLF"
    );
    bad(
        "crlf-error",
        &[at(
            "tiny/sources/alpha.toml",
            11,
            9,
            "unknown scene \"finalle\"",
        )
        .help("\"finale\"")],
    );
    let err = stderr(&run(corpus, &["check"]));
    assert!(
        !err.contains('\r'),
        "a carriage return reaches the terminal: {err:?}"
    );
}

// ---------------------------------------------------------------------------------------
// warnings and --strict

/// Runs `check` on a corpus that should pass with warnings; returns the table run's stderr.
#[track_caller]
fn warns(case: &str, expected: &[Expect]) -> String {
    let corpus = format!("tests/fixtures/ok/{case}");
    let out = run(&corpus, &["check"]);
    assert_code(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("warning: "), "{err}");
    assert!(!err.contains("error: "), "{err}");
    assert!(
        stdout(&out).contains(&format!("0 errors, {} warning", expected.len())),
        "{}",
        stdout(&out)
    );

    let report = check_passes(&corpus);
    assert_diagnostics(&corpus, &report["warnings"], expected);
    for d in report["warnings"].as_array().unwrap() {
        assert_eq!(d["severity"], "warning");
    }

    // --strict turns the warnings into a failure
    let out = run(&corpus, &["check", "--strict"]);
    assert_code(&out, 1);
    let out = run(&corpus, &["check", "--strict", "--format", "json"]);
    assert_code(&out, 1);
    assert_diagnostics(&corpus, &json(&out)["warnings"], expected);
    err
}

#[test]
fn stray_file_in_sources_is_a_warning() {
    let err = warns(
        "stray-file",
        &[whole("tiny/sources/notes.txt", "not a .toml claim file")],
    );
    insta::assert_snapshot!("stray-file", err);
    // and the view commands still work
    assert_code(&run("tests/fixtures/ok/stray-file", &["matrix"]), 0);
}

#[test]
fn scene_no_source_reads_is_a_warning() {
    let err = warns(
        "unread-scene",
        &[at(
            "tiny/work.toml",
            25,
            6,
            "no source reads scene \"epilogue\"",
        )],
    );
    insta::assert_snapshot!("unread-scene", err);
}

#[test]
fn reading_no_source_uses_is_a_warning() {
    let err = warns(
        "unused-reading",
        &[at(
            "tiny/work.toml",
            25,
            6,
            "no source uses reading \"irony\"",
        )],
    );
    insta::assert_snapshot!("unused-reading", err);
}

#[test]
fn endorsing_and_rejecting_one_reading_is_a_warning() {
    let err = warns(
        "endorses-and-rejects",
        &[at(
            "tiny/sources/alpha.toml",
            16,
            1,
            "both endorses and rejects \"despair\" on scene \"finale\"",
        )],
    );
    insta::assert_snapshot!("endorses-and-rejects", err);
}

#[test]
fn a_clean_corpus_passes_strict() {
    let out = run("tests/fixtures/ok/base", &["check", "--strict"]);
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        "checked 1 work, 2 sources, 4 claims: 0 errors, 0 warnings\n"
    );
}

// ---------------------------------------------------------------------------------------
// every error in one run

#[test]
fn every_error_of_a_corpus_in_one_run() {
    let expected = [
        at(
            "tiny/work.toml",
            25,
            6,
            "reading id \"Hope_Less\" is not lowercase kebab-case",
        ),
        at(
            "tiny/sources/alpha.toml",
            11,
            9,
            "unknown scene \"finalle\"",
        )
        .help("\"finale\""),
        at(
            "tiny/sources/alpha.toml",
            13,
            10,
            "unknown stance \"reject\"",
        )
        .help("\"rejects\""),
        at(
            "tiny/sources/beta.toml",
            1,
            1,
            "missing field `title` in [source]",
        ),
        at(
            "tiny/sources/beta.toml",
            11,
            11,
            "unknown reading \"hopes\"",
        )
        .help("\"hope\""),
    ];
    bad("five-errors", &expected);
    let err = stderr(&run("tests/fixtures/bad/five-errors", &["check"]));
    assert!(err.contains("5 errors"), "{err}");

    // a view command refuses the corpus with the same five errors
    let out = run(
        "tests/fixtures/bad/five-errors",
        &["compare", "alpha", "beta"],
    );
    assert_code(&out, 1);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert_eq!(
        err.matches("error: ").count(),
        6,
        "five and a total:\n{err}"
    );
    assert!(err.contains("the corpus has 5 errors"), "{err}");
}

/// One claim file with an unknown field in its first claim, a bad stance in its second and
/// an unknown scene in its third: one run reports the three, and the quotes of the other
/// (valid) claim file are still checked against its text.
#[test]
fn three_errors_of_one_claim_file_in_one_run() {
    bad(
        "three-errors-one-file",
        &[
            at(
                "tiny/sources/alpha.toml",
                9,
                1,
                "unknown field `note` in [[claim]]",
            ),
            at(
                "tiny/sources/alpha.toml",
                14,
                10,
                "unknown stance \"reject\"",
            )
            .help("did you mean \"rejects\"?"),
            at(
                "tiny/sources/alpha.toml",
                18,
                9,
                "unknown scene \"finalle\"",
            )
            .help("did you mean \"finale\"?"),
            at("tiny/sources/beta.toml", 15, 9, "quote not found"),
        ],
    );
}

/// Several structural problems in each table of work.toml and of a claim set: unknown
/// fields (with the closest name), values of the wrong type, `[claim]` for `[[claim]]`.
/// A field of the wrong type is reported once, not a second time as missing.
#[test]
fn several_errors_per_table_in_one_run() {
    let alpha = "tiny/sources/alpha.toml";
    let beta = "tiny/sources/beta.toml";
    let work = "tiny/work.toml";
    bad(
        "several-errors-per-table",
        &[
            at(work, 3, 8, "wrong type for `year` in [work]"),
            at(work, 4, 1, "unknown field `director` in [work]"),
            at(work, 9, 11, "wrong type for `aliases` in [[scene]]"),
            at(work, 10, 1, "unknown field `lenght` in [[scene]]"),
            at(work, 12, 1, "missing field `title` in [[scene]]"),
            at(work, 14, 1, "unknown field `titel` in [[scene]]").help("did you mean `title`?"),
            at(work, 19, 1, "unknown field `exclude` in [[reading]]")
                .help("did you mean `excludes`?"),
            at(work, 23, 9, "wrong type for `label` in [[reading]]"),
            at(alpha, 3, 1, "unknown field `autor` in [source]").help("did you mean `author`?"),
            at(alpha, 4, 8, "unknown source kind \"reveiw\"").help("did you mean \"review\"?"),
            at(alpha, 5, 13, "`published` must be a date, not \"2025-13\""),
            at(alpha, 8, 9, "wrong type for `scene` in [[claim]]"),
            at(alpha, 15, 10, "unknown stance \"endorse\"").help("did you mean \"endorses\"?"),
            at(alpha, 16, 11, "wrong type for `summary` in [[claim]]"),
            at(beta, 1, 1, "the claim set has no [source] table"),
            at(beta, 1, 2, "unknown field `sources` in a claim set").help("did you mean `source`?"),
            at(beta, 5, 2, "wrong type for `claim` in a claim set")
                .help("[[claim]] (two brackets)"),
        ],
    );
}

/// `published` takes a TOML date or a string with as much of the date as is known.
#[test]
fn published_as_a_year_or_a_month() {
    let dir = common::write_corpus(&[
        ("tiny/work.toml", BASE_WORK),
        (
            "tiny/sources/alpha.toml",
            "[source]\ntitle = \"A\"\npublished = \"2025\"\n\n[[claim]]\nscene = \"opening\"\nreading = \"hope\"\nsummary = \"x\"\n",
        ),
        (
            "tiny/sources/beta.toml",
            "[source]\ntitle = \"B\"\npublished = \"2025-03\"\n\n[[claim]]\nscene = \"opening\"\nreading = \"hope\"\nsummary = \"y\"\n",
        ),
        (
            "tiny/sources/gamma.toml",
            "[source]\ntitle = \"C\"\npublished = 2025-03-05\n\n[[claim]]\nscene = \"opening\"\nreading = \"hope\"\nsummary = \"z\"\n",
        ),
    ]);
    let out = run_in(dir.path(), ".", &["check", "--format", "json"]);
    assert_code(&out, 0);
    for (value, problem) in [
        ("\"2025-02-30\"", "no such day"),
        ("\"2025-3\"", "not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2025", "wrong type for `published`"),
    ] {
        let text = format!("[source]\ntitle = \"A\"\npublished = {value}\n");
        fs::write(dir.path().join("tiny/sources/alpha.toml"), text).unwrap();
        let out = run_in(dir.path(), ".", &["check"]);
        assert_code(&out, 1);
        let err = stderr(&out);
        assert!(err.contains(problem), "{value}: {err}");
        assert!(err.contains("--> ./tiny/sources/alpha.toml:3:13"), "{err}");
    }
}

const BASE_WORK: &str = "[work]\ntitle = \"Tiny\"\n\n[[scene]]\nid = \"opening\"\ntitle = \"The opening\"\n\n[[reading]]\nid = \"hope\"\nlabel = \"Hope\"\n";

// ---------------------------------------------------------------------------------------
// no input panics

/// A valid claim file with every field, non-ASCII text and multi-line strings, to mangle.
const RICH_CLAIMS: &str = r#"[source]
title = "Alpha — a review"
kind = "review"
author = "Zoë Q."
publisher = "The Daily"
url = "https://example.org/alpha"
published = 2025-03-05
text = "alpha.txt"

[[claim]]
scene = "opening"
reading = "hope"
stance = "endorses"
summary = "The opening’s light is “hopeful”."
quote = """It begins in light,
and the light stays."""
attributed_to = "The director"
via = "Interview, 2024"

[[claim]]
scene = "start"
reading = "despair"
stance = "considers"
quote = 'Some call it despair.'

[[claim]]
scene = "finale"
reading = "despair"
stance = "rejects"
summary = "Not despair: café talk, ☕, and a shrug."
"#;

/// xorshift64: a deterministic stream of numbers for choosing lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

fn mangled_variants() -> Vec<(String, Vec<u8>)> {
    let bytes = RICH_CLAIMS.as_bytes();
    let mut out = Vec::new();
    for cut in (0..bytes.len()).step_by(7) {
        // some cuts fall inside a multi-byte character: invalid UTF-8 on purpose
        out.push((format!("truncated at byte {cut}"), bytes[..cut].to_vec()));
    }
    let lines: Vec<&str> = RICH_CLAIMS.split_inclusive('\n').collect();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for i in 0..40 {
        let (a, b) = (rng.next(lines.len()), rng.next(lines.len()));
        let mut l = lines.clone();
        l.swap(a, b);
        out.push((
            format!("swap #{i}: lines {} and {}", a + 1, b + 1),
            l.concat().into_bytes(),
        ));
    }
    for i in 0..lines.len() {
        let mut l = lines.clone();
        let line = l.remove(i);
        out.push((format!("line {} removed", i + 1), l.concat().into_bytes()));
        let mut l = lines.clone();
        l.insert(i, line);
        out.push((format!("line {} doubled", i + 1), l.concat().into_bytes()));
    }
    out
}

#[test]
fn mangled_claim_files_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(
        &root().join("tests/fixtures/ok/base"),
        &tmp.path().join("corpus"),
    );
    let alpha = tmp.path().join("corpus/tiny/sources/alpha.toml");

    // the unmangled file is valid
    fs::write(&alpha, RICH_CLAIMS).unwrap();
    let out = run_in(tmp.path(), "corpus", &["check", "--format", "json"]);
    assert_code(&out, 0);

    let mut failed = 0;
    let variants = mangled_variants();
    for (what, bytes) in &variants {
        fs::write(&alpha, bytes).unwrap();
        let out = run_in(tmp.path(), "corpus", &["check", "--format", "json"]);
        assert_no_panic(&out);
        let code = out.status.code();
        assert!(matches!(code, Some(0 | 1)), "{what}: exit {code:?}");
        let report = json(&out);
        let errors = report["errors"].as_array().unwrap();
        if code == Some(1) {
            failed += 1;
            assert!(!errors.is_empty(), "{what}: exit 1 without an error");
        } else {
            assert!(errors.is_empty(), "{what}: exit 0 with errors");
            // a corpus that loads goes through the views without a panic too
            for args in [
                &["matrix"][..],
                &["compare", "alpha", "beta"],
                &["scene", "finale"],
            ] {
                let out = run_in(tmp.path(), "corpus", args);
                assert_no_panic(&out);
                assert_eq!(out.status.code(), Some(0), "{what}: {args:?}");
            }
        }
        for d in errors {
            assert!(
                d["file"].is_string(),
                "{what}: an error without its file: {d:#}"
            );
        }
    }
    assert!(
        failed > variants.len() / 2,
        "most variants are broken ({failed} of {})",
        variants.len()
    );
}

#[test]
fn sources_that_is_a_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("c/w");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(work.join("work.toml"), "[work]\ntitle = \"W\"\n\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n").unwrap();
    std::fs::write(work.join("sources"), "not a folder").unwrap();
    let out = common::run_in(dir.path(), "c", &["check"]);
    assert_code(&out, 1);
    let err = common::stderr(&out);
    assert!(err.contains("cannot read c/w/sources"), "{err}");
    assert!(
        !err.contains("no source reads"),
        "no coverage warnings on a broken work:\n{err}"
    );
}

//! The terminal tables of `compare`, `scene` and `matrix`: hostile text never reaching the
//! terminal raw, snapshots of the tables on `tests/fixtures/views/` (the look may change with
//! the renderer, and is then re-accepted after reading), and the layout at every width on the
//! sixty sources of `tests/fixtures/many/`, where no id may be split.

mod common;
#[path = "fixtures/many.rs"]
mod many;

use common::{assert_code, json, run, stdout};

const VIEWS: &str = "tests/fixtures/views";
const HOSTILE: &str = "tests/fixtures/hostile";

// ---------------------------------------------------------------------------------------
// hostile text

/// Characters that start a line of a table border or row, in the styles the renderer may use.
const BORDER: &[char] = &[
    '╭', '╰', '│', '├', '╞', '┌', '└', '║', '╔', '╚', '╠', '+', '|',
];

/// Every table (a run of lines from `╭` to `╰`) has lines of one width, and no line is
/// wider than `width`.
#[track_caller]
fn assert_well_formed_table(text: &str, width: usize) {
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with(BORDER)).collect();
    assert!(!lines.is_empty(), "no table in:\n{text}");
    let mut first = None;
    for l in text.lines() {
        if !l.starts_with(BORDER) {
            first = None;
            continue;
        }
        let w = l.chars().count();
        match first {
            None => first = Some(w),
            Some(f) => assert_eq!(w, f, "a ragged table line {l:?} in:\n{text}"),
        }
    }
    for l in text.lines() {
        assert!(
            l.chars().count() <= width,
            "a line wider than {width}: {l:?}"
        );
    }
}

const HOSTILE_COMMANDS: &[&[&str]] = &[
    &["compare", "plain", "hostile"],
    &["compare", "hostile", "plain", "--diff", "--all-scenes"],
    &["scene", "one"],
    &["scene", "two"],
    &["matrix"],
];

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    for args in HOSTILE_COMMANDS {
        let out = run(HOSTILE, args);
        assert_code(&out, 0);
        for (byte, name) in [(0x1b, "ESC"), (0x07, "BEL"), (b'\r', "CR")] {
            assert!(
                !out.stdout.contains(&byte),
                "{args:?}: {name} in the output"
            );
        }
        assert_well_formed_table(&stdout(&out), 100);
    }
}

#[test]
fn hostile_text_with_colour_keeps_only_our_own_escapes() {
    for args in HOSTILE_COMMANDS {
        let out = run(HOSTILE, &[&["--color", "always"][..], args].concat());
        assert_code(&out, 0);
        let text = stdout(&out);
        assert!(!out.stdout.contains(&0x07), "{args:?}: BEL in the output");
        assert!(!out.stdout.contains(&b'\r'), "{args:?}: CR in the output");
        // the claim's own sequences are not live; ours are SGR (`ESC [ … m`) only
        for (i, _) in text.match_indices('\x1b') {
            let rest = &text[i + 1..];
            let end = rest.find('m').unwrap_or(rest.len());
            let params = &rest[..end];
            assert!(
                params.starts_with('[')
                    && params[1..].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "{args:?}: a non-SGR escape {:?}",
                &rest[..rest.len().min(20)]
            );
        }
        for raw in [
            "\x1b[31malert",
            "\x1b[5mBlink",
            "\x1b[8mhidden",
            "\x1b[1mbold",
            "\x1b]0;",
        ] {
            assert!(!text.contains(raw), "{args:?}: the claim's {raw:?} is live");
        }
    }
}

#[test]
fn hostile_text_is_kept_as_data_in_json() {
    let out = run(HOSTILE, &["scene", "one", "--format", "json"]);
    assert_code(&out, 0);
    let s = json(&out);
    let hostile = s["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "hostile")
        .unwrap();
    let summary = hostile["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("Red \x1b[31malert\x1b[0m,\r overwritten, a bell \x07 and "),
        "{summary:?}"
    );
    assert!(summary.contains(&"abcdefghij".repeat(50)));
}

// ---------------------------------------------------------------------------------------
// tables (snapshots; the look may change with the renderer, the JSON tests above may not)

#[track_caller]
fn table(args: &[&str]) -> String {
    let out = run(VIEWS, args);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "colour with NO_COLOR:\n{text}");
    assert_well_formed_table(&text, 100);
    text
}

#[test]
fn compare_table() {
    let text = table(&["compare", "lumen", "umbra"]);
    for verdict in [
        "agree",
        "overlap",
        "diverge",
        "conflict",
        "only-left",
        "only-right",
    ] {
        assert!(text.contains(verdict), "{verdict} missing:\n{text}");
    }
    assert!(!text.contains("epilogue"), "{text}");
    // each claim in full: stance and label, attribution with its outlet, summary; no quote
    for part in [
        "✓ Hope",
        "The dawn promises a new start.",
        "✓ Grief — A. Director, via Press",
        "The director calls the storm grief.",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    assert!(
        !text.contains("a new day begins"),
        "no quotes in the terminal:\n{text}"
    );
    insta::assert_snapshot!("compare-table", text);
}

#[test]
fn compare_table_with_quotes() {
    let text = table(&["compare", "lumen", "umbra", "--quotes"]);
    assert!(text.contains("“a new day begins”"), "{text}");
    assert!(text.contains("“we are home”"), "{text}");
}

#[test]
fn compare_brief_table() {
    let text = table(&["compare", "lumen", "umbra", "--brief"]);
    assert!(text.contains("✓ hope"), "reading ids:\n{text}");
    assert!(!text.contains("The dawn promises"), "no summaries:\n{text}");
    insta::assert_snapshot!("compare-brief-table", text);
}

#[test]
fn compare_table_with_diff_and_all_scenes() {
    let text = table(&["compare", "lumen", "umbra", "--diff", "--all-scenes"]);
    assert!(text.contains("epilogue"), "{text}");
    assert!(text.contains("[-new-]{+fresh+}"), "{text}");
    insta::assert_snapshot!("compare-diff-table", text);
}

#[test]
fn compare_markdown() {
    let out = run(
        VIEWS,
        &["compare", "lumen", "umbra", "--format", "markdown"],
    );
    assert_code(&out, 0);
    let md = stdout(&out);
    assert!(
        md.contains("“a new day begins”"),
        "quotes where there is room:\n{md}"
    );
    insta::assert_snapshot!("compare-markdown", md);
}

#[test]
fn compare_html() {
    let out = run(
        VIEWS,
        &["compare", "lumen", "umbra", "--diff", "--format", "html"],
    );
    assert_code(&out, 0);
    let page = stdout(&out);
    let main = &page[page.find("<main>").unwrap()..];
    assert!(
        main.contains("<blockquote>“a new day begins”</blockquote>"),
        "{main}"
    );
    insta::assert_snapshot!("compare-html", main);
}

#[test]
fn scene_table() {
    let text = table(&["scene", "tempest"]);
    assert!(text.contains("A. Director"), "{text}");
    assert!(text.contains("Press notes"), "{text}");
    insta::assert_snapshot!("scene-table", text);
}

#[test]
fn scene_table_for_a_scene_nobody_reads() {
    let out = run(VIEWS, &["scene", "epilogue"]);
    assert_code(&out, 0);
    insta::assert_snapshot!("scene-unread-table", stdout(&out));
}

#[test]
fn matrix_table() {
    let text = table(&["matrix"]);
    insta::assert_snapshot!("matrix-table", text);
}

// ---------------------------------------------------------------------------------------
// the sixty-source fixture

/// The committed `tests/fixtures/many/` is what its generator makes; with
/// `PARALLAX_UPDATE_FIXTURES=1` this test writes it instead.
#[test]
fn many_fixture_is_what_the_generator_makes() {
    let root = common::root().join(many::ROOT);
    let files = many::files();
    if std::env::var_os("PARALLAX_UPDATE_FIXTURES").is_some() {
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in &files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let mut on_disk = Vec::new();
    for entry in std::fs::read_dir(root.join("keeper/sources")).unwrap() {
        on_disk.push(entry.unwrap().file_name().to_string_lossy().into_owned());
    }
    assert_eq!(on_disk.len(), many::SOURCES, "one file per source");
    for (path, text) in &files {
        let written = std::fs::read_to_string(root.join(path))
            .unwrap_or_else(|e| panic!("{path}: {e} (PARALLAX_UPDATE_FIXTURES=1 writes it)"));
        assert_eq!(
            &written, text,
            "{path} is stale (PARALLAX_UPDATE_FIXTURES=1 rewrites it)"
        );
    }
}

/// Runs a view of the sixty-source fixture in a terminal of `width` columns.
fn many_at(width: usize, args: &[&str]) -> String {
    let out = common::parallax_in(common::root())
        .env("COLUMNS", width.to_string())
        .arg("--corpus")
        .arg(many::ROOT)
        .args(args)
        .output()
        .unwrap();
    assert_code(&out, 0);
    stdout(&out)
}

/// Every word a table may show whole: each maximal run of `[a-z0-9-]` in the fixture's
/// files (ids, hyphenated words, plain words) and the parts of those runs between hyphens.
fn known_words() -> std::collections::HashSet<String> {
    let mut known = std::collections::HashSet::new();
    for (_, text) in many::files() {
        let lower = text.to_lowercase();
        for run in lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
            if run.is_empty() {
                continue;
            }
            known.insert(run.to_string());
            known.extend(run.split('-').map(String::from));
        }
    }
    known
}

/// The ids of the fixture: sources, scenes, readings and people.
fn many_ids() -> Vec<String> {
    let mut ids = many::source_ids();
    ids.extend(many::SCENES.iter().map(|(id, _)| id.to_string()));
    ids.extend(many::READINGS.iter().map(|r| r.0.to_string()));
    ids.extend(many::PEOPLE.iter().map(|p| p.0.to_string()));
    ids
}

/// The words of table lines that are a piece of an id but no word of the corpus: what is
/// left of an id split across two lines of a cell.
fn split_ids(text: &str, ids: &[String], known: &std::collections::HashSet<String>) -> Vec<String> {
    let mut pieces = Vec::new();
    // a web address longer than its column may be split (it is no id): its lines, up to the
    // next row, are not looked at
    let mut in_address = false;
    for line in text.lines().filter(|l| l.starts_with(BORDER)) {
        let first_cell = line
            .trim_start_matches(BORDER)
            .split(['┆', '│'])
            .next()
            .unwrap_or("");
        if line.contains("://") {
            in_address = true;
            continue;
        }
        if in_address && first_cell.trim().is_empty() {
            continue;
        }
        in_address = false;
        for token in line.split(|c: char| c.is_whitespace() || "│┆║".contains(c)) {
            let token = token.trim_matches(|c: char| ",.;:()“”\"'".contains(c));
            let id_like = !token.is_empty()
                && token
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            // a piece of a split id begins or ends it; "who" (of "who endorses what") and
            // "n" (a count) are header words that merely begin or end an id
            let piece = ids
                .iter()
                .any(|id| id != token && (id.starts_with(token) || id.ends_with(token)));
            if id_like
                && token.chars().any(|c| c.is_ascii_lowercase())
                && piece
                && !known.contains(token)
                && !["who", "n"].contains(&token)
            {
                pieces.push(format!("{token:?} in {line:?}"));
            }
        }
    }
    pieces
}

/// The terminal never breaks an id or a reading inside a word, at any width: a table that
/// does not fit is transposed, split into tables that repeat their stub column, or shown a
/// record at a time.
#[test]
fn no_id_is_split_at_any_width() {
    let ids = many_ids();
    let mut known = known_words();
    known.extend(ids.iter().cloned());
    let views: &[&[&str]] = &[
        &["matrix"],
        &["compare", "beacon-essay", "tidewater-ending-explained"],
        &[
            "compare",
            "beacon-essay",
            "tidewater-ending-explained",
            "--brief",
            "--diff",
        ],
        &["scene", "mirror"],
        &["agreement", "--no-pairs"],
        &["list", "readings"],
        &["list", "sources"],
        &["export", "--pairs", "none"],
    ];
    assert!(ids.contains(&"tidewater-ending-explained".to_string()));
    // the pair table of sixty sources (1,770 rows) is slow to lay out in a debug build: once
    let views_at = |width: usize| {
        let mut all = views.to_vec();
        if width == 60 {
            all.push(&["agreement"]);
        }
        all
    };
    for width in [60, 80, 120, 200] {
        for args in views_at(width) {
            let text = many_at(width, args);
            assert_well_formed_table(&text, width);
            let pieces = split_ids(&text, &ids, &known);
            assert!(
                pieces.is_empty(),
                "{args:?} at width {width} splits ids:\n{}",
                pieces.join("\n")
            );
        }
    }
}

#[test]
fn the_split_check_finds_a_split_id() {
    let ids = vec!["critique-of-solitude-myth".to_string()];
    let known = known_words();
    let split = "│ ✓ critique-of- ┆\n│ solitude-myth  ┆";
    assert_eq!(split_ids(split, &ids, &known).len(), 2);
    let whole = "│ ✓ critique-of-solitude-myth ┆";
    assert!(split_ids(whole, &ids, &known).is_empty());
}

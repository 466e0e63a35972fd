//! Every output format, read back by a real parser, on a corpus whose claims carry text that
//! would break or subvert each format (SPEC §8); `export`; and `-o` written atomically.

mod common;

use common::{assert_code, json, root, run, stdout};

const HOSTILE: &str = "tests/fixtures/export/hostile";
const FORMATS: [&str; 6] = ["table", "markdown", "csv", "json", "html", "latex"];

/// The views that render through the shared renderers, with hostile text in their cells.
fn views() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "compare",
            vec!["compare", "attacker", "plain", "--diff", "--all-scenes"],
        ),
        ("scene", vec!["scene", "opening"]),
        ("matrix", vec!["matrix"]),
        ("agreement", vec!["agreement"]),
        ("export", vec!["export"]),
    ]
}

fn render(args: &[&str], format: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", format]);
    let out = run(HOSTILE, &all);
    assert_code(&out, 0);
    stdout(&out)
}

#[test]
fn compare_snapshots_in_every_format() {
    for format in FORMATS {
        let out = render(
            &["compare", "attacker", "plain", "--diff", "--all-scenes"],
            format,
        );
        insta::assert_snapshot!(format!("compare-hostile-{format}"), out);
    }
}

#[test]
fn markdown_tables_keep_their_shape_and_no_markup_escapes() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    for (name, args) in views() {
        let md = render(&args, "markdown");
        let mut header_cells = 0;
        let mut row_cells = 0;
        let mut in_head = false;
        for event in Parser::new_ext(&md, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::TableHead) => {
                    in_head = true;
                    header_cells = 0;
                }
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => row_cells = 0,
                Event::Start(Tag::TableCell) if in_head => header_cells += 1,
                Event::Start(Tag::TableCell) => row_cells += 1,
                Event::End(TagEnd::TableRow) => {
                    assert_eq!(
                        row_cells, header_cells,
                        "{name}: a row lost its shape\n{md}"
                    )
                }
                Event::Html(h) | Event::InlineHtml(h) => {
                    assert_eq!(h.as_ref(), "<br>", "{name}: raw HTML from claim text: {h}")
                }
                _ => {}
            }
        }
        if matches!(name, "scene" | "export") {
            assert!(
                md.contains("a \\| b"),
                "{name}: the pipe in claim text is escaped"
            );
        }
    }
}

#[test]
fn csv_reads_back_with_formulas_neutralised() {
    for (name, args) in views() {
        let text = render(&args, "csv");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let width = reader.headers().unwrap().len();
        let mut rows = 0;
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{name}: not CSV: {e}\n{text}"));
            assert_eq!(record.len(), width, "{name}: ragged row");
            for cell in &record {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{name}: a formula cell reached the spreadsheet: {cell:?}"
                );
            }
            rows += 1;
        }
        assert!(rows > 0, "{name}: no rows");
    }
}

#[test]
fn export_csv_is_one_tidy_row_per_claim() {
    let text = render(&["export"], "csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "work",
            "scene",
            "scene_order",
            "source",
            "reading",
            "stance",
            "summary",
            "quote",
            "attributed_to",
            "via"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5, "five claims in the fixture");
    let cells: Vec<&str> = rows.iter().flat_map(|r| r.iter()).collect();
    for neutralised in [
        "'=HYPERLINK(\"http://x\")",
        "'+SUM(A1:A9)",
        "'-cmd",
        "'@SUM(A1)",
        "'=1+1 might be hope",
    ] {
        assert!(cells.contains(&neutralised), "{neutralised:?} in {cells:?}");
    }
    assert!(
        cells.contains(&"a | b and `code` and a\nnewline"),
        "multi-line cells survive"
    );
    // the loader trims values, so a leading tab never reaches a cell
    assert!(cells.contains(&"Tabbed"), "{cells:?}");
    assert!(
        cells.iter().any(|c| c.len() >= 2000),
        "the long quote is whole"
    );

    // --raw-csv is for programs: the cells as written
    let out = run(HOSTILE, &["export", "--format", "csv", "--raw-csv"]);
    assert_code(&out, 0);
    let raw = stdout(&out);
    let mut reader = csv::Reader::from_reader(raw.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.iter().any(|c| c == "=HYPERLINK(\"http://x\")"),
        "{cells:?}"
    );
}

#[test]
fn json_reads_back_into_the_view() {
    use parallax::views::agreement::Agreement;
    use parallax::views::compare::Comparison;
    use parallax::views::export::Export;
    use parallax::views::matrix::Matrix;
    use parallax::views::scene::SceneReadings;

    fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(args: &[&str]) {
        let original: serde_json::Value = serde_json::from_str(&render(args, "json")).unwrap();
        let view: T =
            serde_json::from_value(original.clone()).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(serde_json::to_value(&view).unwrap(), original, "{args:?}");
    }
    round_trip::<Comparison>(&["compare", "attacker", "plain", "--diff", "--all-scenes"]);
    round_trip::<SceneReadings>(&["scene", "opening"]);
    round_trip::<Matrix>(&["matrix"]);
    round_trip::<Agreement>(&["agreement"]);
    round_trip::<Export>(&["export"]);

    let value = json(&run(
        HOSTILE,
        &["compare", "attacker", "plain", "--format", "json"],
    ));
    assert_eq!(
        value["rows"][0]["left"][0]["summary"], "<script>alert(1)</script>",
        "JSON keeps text as data"
    );
}

#[test]
fn html_never_runs_claim_text() {
    for (name, args) in views() {
        let page = render(&args, "html");
        let doc = scraper::Html::parse_document(&page);
        let all = scraper::Selector::parse("*").unwrap();
        for element in doc.select(&all) {
            let el = element.value();
            assert_ne!(el.name(), "script", "{name}: a script element");
            for (attr, value) in el.attrs() {
                assert!(
                    !attr.starts_with("on"),
                    "{name}: event handler {attr}={value}"
                );
                if matches!(attr, "src" | "href") {
                    assert!(
                        !value.contains("://"),
                        "{name}: an external request: {value}"
                    );
                }
            }
        }
        let text: String = doc.root_element().text().collect();
        if name != "matrix" && name != "agreement" {
            assert!(
                text.contains("<script>alert(1)</script>"),
                "{name}: the text is shown as text"
            );
        }
    }
}

#[test]
fn latex_escapes_every_special_character() {
    let tex = render(&["scene", "opening"], "latex");
    for escaped in ["50\\%", "\\&", "\\$5", "\\#1", "\\_x\\_"] {
        assert!(tex.contains(escaped), "{escaped} in\n{tex}");
    }
    for raw in ["50% ", " & $5", "#1 _x_"] {
        assert!(!tex.contains(raw), "unescaped {raw:?}");
    }
}

#[test]
fn the_terminal_gets_no_escape_sequences_from_claims() {
    for (name, args) in views() {
        let out = render(&args, "table");
        assert!(!out.contains(['\x1b', '\x07', '\r']), "{name}");
    }
}

#[test]
fn export_json_holds_every_part() {
    let value = json(&run(HOSTILE, &["export", "--format", "json"]));
    assert_eq!(
        value["pairs"].as_array().unwrap().len(),
        1,
        "n·(n−1)/2 pairs for two sources"
    );
    assert_eq!(value["scenes"].as_array().unwrap().len(), 2);
    assert_eq!(value["claims"].as_array().unwrap().len(), 5);
    assert!(value["matrix"]["rows"].is_array());
    assert!(value["agreement"]["alpha"].is_object());
}

#[test]
fn bundled_export_html_has_legend_badges_and_quotes() {
    let out = common::run("interpretations", &["export", "--format", "html"]);
    assert_code(&out, 0);
    let page = stdout(&out);
    let doc = scraper::Html::parse_document(&page);
    let count = |css: &str| doc.select(&scraper::Selector::parse(css).unwrap()).count();
    assert!(count("blockquote") > 0, "quotes as blockquotes");
    assert!(count("table") >= 4, "matrix, agreement, pairs, scenes");
    assert!(page.contains("reclaimed-power") && page.contains("conflict"));
    assert!(count("[class*=legend]") > 0, "a legend of readings");
}

mod output_file {
    use super::*;
    use std::fs;

    fn in_dir(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
        let corpus = root().join(HOSTILE);
        common::parallax_in(dir)
            .arg("--corpus")
            .arg(&corpus)
            .args(args)
            .output()
            .unwrap()
    }

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_the_file_in_the_format_its_extension_names() {
        let dir = tempfile::tempdir().unwrap();
        let out = in_dir(dir.path(), &["export", "-o", "report.html"]);
        assert_code(&out, 0);
        assert!(out.stdout.is_empty(), "nothing on stdout");
        let page = fs::read_to_string(dir.path().join("report.html")).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..40]);
        assert_eq!(names(dir.path()), ["report.html"], "no temporary file left");

        let out = in_dir(dir.path(), &["matrix", "-o", "m.csv"]);
        assert_code(&out, 0);
        assert!(
            fs::read_to_string(dir.path().join("m.csv"))
                .unwrap()
                .starts_with("scene,")
        );
    }

    #[test]
    fn dash_is_standard_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = in_dir(dir.path(), &["matrix", "--format", "json", "-o", "-"]);
        assert_code(&out, 0);
        assert!(serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok());
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_failed_run_leaves_the_old_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("report.md");
        fs::write(&target, "the old report\n").unwrap();
        // an unknown source fails after the corpus loaded
        let out = in_dir(
            dir.path(),
            &["compare", "attacker", "nobody", "-o", "report.md"],
        );
        assert_code(&out, 1);
        assert_eq!(fs::read_to_string(&target).unwrap(), "the old report\n");
        // a corpus that does not load
        let out = common::parallax_in(dir.path())
            .args(["--corpus", "no-such-corpus", "matrix", "-o", "report.md"])
            .output()
            .unwrap();
        assert_code(&out, 1);
        assert_eq!(fs::read_to_string(&target).unwrap(), "the old report\n");
        assert_eq!(names(dir.path()), ["report.md"]);
    }

    #[test]
    fn success_replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("m.json");
        fs::write(&target, "x".repeat(100_000)).unwrap();
        assert_code(&in_dir(dir.path(), &["matrix", "-o", "m.json"]), 0);
        let written = fs::read_to_string(&target).unwrap();
        assert!(
            serde_json::from_str::<serde_json::Value>(&written).is_ok(),
            "no tail of the old file"
        );
    }

    #[test]
    fn an_unwritable_destination_is_a_clean_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = in_dir(dir.path(), &["matrix", "-o", "missing/folder/m.md"]);
        assert_code(&out, 1);
        let err = common::stderr(&out);
        assert!(err.contains("cannot write missing/folder/m.md"), "{err}");
        assert!(names(dir.path()).is_empty());
    }
}

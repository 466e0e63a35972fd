//! Every output format, read back by a real parser, on a corpus whose claims carry text that
//! would break or subvert each format (SECURITY.md); `export`, its front matter and its pairs, at
//! sixty sources too (`tests/fixtures/many/`); `-o` written atomically and its format; and
//! the small promises of the help, the manual and `list`.

mod common;
#[path = "fixtures/many.rs"]
mod many;

use common::{assert_code, json, root, run, stdout};

const HOSTILE: &str = "tests/fixtures/export/hostile";
/// The views fixture of `views.rs`: a tie on `bridge`.
const VIEWS: &str = "tests/fixtures/views";
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
    // the first ten columns are fixed; later ones are added at the end
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
            "via",
            "person",
            "reading_label"
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
                assert_ne!(attr, "src", "{name}: an external request: {value}");
                if attr == "href" {
                    // a section of the page, or a source's web address: never a script
                    assert!(
                        value.starts_with('#') || value.starts_with("https://"),
                        "{name}: a link to {value}"
                    );
                    assert!(!value.contains(['"', '<', '>', ' ']), "{value}");
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

/// compare shows each claim's summary and quote: hostile ones survive every format as text.
#[test]
fn compare_summaries_and_quotes_survive_every_format() {
    let args = ["compare", "attacker", "plain"];
    let summary = "<script>alert(1)</script>";
    let quote = "\" onmouseover=\"x";
    let specials = "50% & $5 #1 _x_ ~ ^ \\ { }";

    let (text, _) = markdown_text_and_links(&render(&args, "markdown"));
    for needle in [summary, quote, specials, "a | b and `code` and a"] {
        assert!(text.contains(needle), "markdown lost {needle:?}");
    }
    let dom = scraper::Html::parse_document(&render(&args, "html"));
    let text: String = dom.root_element().text().collect();
    for needle in [summary, quote, specials] {
        assert!(text.contains(needle), "html lost {needle:?}");
    }
    let quotes = dom
        .select(&scraper::Selector::parse("td blockquote").unwrap())
        .count();
    assert!(quotes >= 3, "quotes as blockquotes");

    let tex = render(&args, "latex");
    assert!(tex.contains("``50\\% \\& \\$5 \\#1 \\_x\\_"), "{tex}");

    let csv_text = render(&args, "csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[6], "summary");
    assert_eq!(&headers[7], "quote");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[6] == summary && &r[7] == quote));

    let value = json(&run(HOSTILE, &[&args[..], &["--format", "json"]].concat()));
    assert_eq!(value["rows"][0]["left"][0]["quote"], quote);

    let table = render(&args, "table");
    assert!(!table.contains(quote), "the terminal leaves quotes out");
    let out = run(HOSTILE, &[&args[..], &["--quotes"]].concat());
    assert!(stdout(&out).contains(quote), "unless asked");
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
                .starts_with("work,scene,scene_order,source,"),
            "the matrix's CSV is the tidy table of claims"
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

// ---------------------------------------------------------------------------------------
// front matter, pairs and many sources (tests/fixtures/many: sixty sources)

const MANY: &str = many::ROOT;

/// `parallax --corpus tests/fixtures/many <args…> --format <format>`, which must succeed.
fn many_render(args: &[&str], format: &str) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", format]);
    let out = run(MANY, &all);
    assert_code(&out, 0);
    stdout(&out)
}

/// The first `n` source ids of the fixture, comma-separated (for `--sources`).
fn first_sources(n: usize) -> String {
    many::source_ids()[..n].join(",")
}

#[test]
fn export_opens_with_the_front_matter() {
    let out = run("tests/fixtures/views", &["export", "--format", "markdown"]);
    assert_code(&out, 0);
    let md = stdout(&out);
    let front = &md[..md.find("## Readings by scene and source").unwrap()];
    insta::assert_snapshot!("export-front-matter-markdown", front);
    let value = json(&run(
        "tests/fixtures/views",
        &["export", "--format", "json"],
    ));
    let front = serde_json::json!({
        "work": value["work"], "title": value["title"], "year": value["year"],
        "creators": value["creators"], "voice": value["voice"],
        "sources": value["sources"], "codebook": value["codebook"], "people": value["people"],
    });
    insta::assert_snapshot!(
        "export-front-matter-json",
        serde_json::to_string_pretty(&front).unwrap()
    );
}

/// Text and link targets of a Markdown document.
fn markdown_text_and_links(md: &str) -> (String, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut text = String::new();
    let mut links = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            _ => text.push(' '),
        }
    }
    (text, links)
}

#[test]
fn every_source_title_and_address_is_in_every_export() {
    let value = json(&run(
        MANY,
        &["export", "--pairs", "none", "--format", "json"],
    ));
    let sources = value["sources"].as_array().unwrap();
    assert_eq!(sources.len(), many::SOURCES);
    let titled: Vec<(&str, Option<&str>)> = sources
        .iter()
        .map(|s| (s["title"].as_str().unwrap(), s["url"].as_str()))
        .collect();
    assert!(
        titled.iter().any(|(_, url)| url.is_none()),
        "some have no address"
    );

    let md = many_render(&["export", "--pairs", "none"], "markdown");
    let (text, links) = markdown_text_and_links(&md);
    let page = many_render(&["export", "--pairs", "none"], "html");
    let dom = scraper::Html::parse_document(&page);
    let html_text: String = dom.root_element().text().collect();
    let hrefs: Vec<&str> = dom
        .select(&scraper::Selector::parse("a[href]").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let tex = many_render(&["export", "--pairs", "none"], "latex").replace("\\allowbreak{}", "");
    for (title, url) in &titled {
        assert!(text.contains(title), "markdown lacks {title}");
        assert!(html_text.contains(title), "html lacks {title}");
        assert!(tex.contains(title), "latex lacks {title}");
        if let Some(url) = url {
            assert!(
                links.iter().any(|l| l == url),
                "markdown does not link {url}"
            );
            assert!(hrefs.contains(url), "html does not link {url}");
            assert!(tex.contains(url), "latex lacks {url}");
        }
    }
}

#[test]
fn pairs_in_full_up_to_twelve_sources_else_the_table_and_heatmap() {
    let twelve = first_sources(12);
    let value = json(&run(
        MANY,
        &["export", "--sources", &twelve, "--format", "json"],
    ));
    assert_eq!(value["pairs_shown"], "all");
    assert_eq!(value["pairs"].as_array().unwrap().len(), 66);
    assert_eq!(value["agreement"]["pairs"].as_array().unwrap().len(), 66);

    let thirteen = first_sources(13);
    let value = json(&run(
        MANY,
        &["export", "--sources", &thirteen, "--format", "json"],
    ));
    assert_eq!(value["pairs_shown"], "summary");
    assert_eq!(value["pairs"], serde_json::json!([]));
    assert_eq!(value["agreement"]["pairs"].as_array().unwrap().len(), 78);
    let all = json(&run(
        MANY,
        &[
            "export",
            "--sources",
            &thirteen,
            "--pairs",
            "all",
            "--format",
            "json",
        ],
    ));
    assert_eq!(all["pairs"].as_array().unwrap().len(), 78);

    let none = json(&run(
        MANY,
        &["export", "--pairs", "none", "--format", "json"],
    ));
    assert_eq!(none["pairs_shown"], "none");
    assert_eq!(none["pairs"], serde_json::json!([]));
    assert!(none["agreement"].get("pairs").is_none());

    let page = many_render(&["export"], "html");
    assert!(page.contains("<h2 id=\"pairs\">"), "a section on pairs");
    assert!(page.contains("Agreement between sources"), "the heatmap");
    assert!(!page.contains("<h3 id=\"pair-"), "no pair in full");
    let page = many_render(&["export", "--pairs", "none"], "html");
    assert!(!page.contains("id=\"pairs\"") && !page.contains("Agreement between sources"));
    let page = many_render(&["export", "--sources", &twelve], "html");
    assert_eq!(page.matches("<h3 id=\"pair-").count(), 66);
}

#[test]
fn html_of_sixty_sources_is_navigable() {
    let page = many_render(&["export"], "html");
    let dom = scraper::Html::parse_document(&page);
    let select = |css: &str| {
        dom.select(&scraper::Selector::parse(css).unwrap())
            .collect::<Vec<_>>()
    };
    // every link of the contents leads to a heading of the page
    let ids: std::collections::HashSet<&str> = select("[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let toc = select("nav.toc a");
    assert!(toc.len() >= 12, "sections and scenes");
    for a in toc {
        let target = a.value().attr("href").unwrap().trim_start_matches('#');
        assert!(
            ids.contains(target),
            "the contents link {target} leads nowhere"
        );
    }
    // the matrix has the sources as rows, each a row header that stays in view
    let matrix = select("h2#matrix + div.table-wrap table");
    assert_eq!(matrix.len(), 1);
    let rows = matrix[0]
        .select(&scraper::Selector::parse("tbody th[scope=row]").unwrap())
        .count();
    assert_eq!(rows, many::SOURCES);
    assert!(
        page.contains("position: sticky"),
        "sticky header and first column"
    );
    // three charts, drawn inline, with the sources named on the heatmap
    let charts = select("figure.chart svg");
    assert_eq!(
        charts.len(),
        3,
        "heatmap, agreement by scene, stances by scene"
    );
    let heatmap: String = charts[0].text().collect();
    for id in many::source_ids() {
        assert!(heatmap.contains(&id), "{id} on the heatmap");
    }
    // rejected readings are struck through, not only coloured
    assert!(!select("span.reading.tone-rejects").is_empty());
    assert!(page.contains(".reading.tone-rejects { text-decoration: line-through"));
    // in print nothing scrolls, sticks or is cut off
    let print = &page[page.find("@media print").unwrap()..];
    assert!(print.contains("overflow: visible") && print.contains("position: static"));
}

/// Compiles a LaTeX fragment with pdflatex in a temporary folder, or says why it cannot.
fn pdflatex(fragment: &str) -> Result<String, String> {
    if std::process::Command::new("pdflatex")
        .arg("--version")
        .output()
        .is_err()
    {
        return Err("pdflatex is not installed".into());
    }
    let dir = tempfile::tempdir().unwrap();
    let tex = format!(
        "\\documentclass{{article}}\n\\usepackage[T1]{{fontenc}}\n\
         \\usepackage{{booktabs,longtable,array,amssymb,graphicx}}\n\\usepackage[normalem]{{ulem}}\n\
         \\begin{{document}}\n{fragment}\n\\end{{document}}\n"
    );
    std::fs::write(dir.path().join("t.tex"), tex).unwrap();
    // twice: longtable settles its column widths on the second run
    for _ in 0..2 {
        let status = std::process::Command::new("pdflatex")
            .args(["-interaction=nonstopmode", "-halt-on-error", "t.tex"])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        let log = std::fs::read_to_string(dir.path().join("t.log")).unwrap_or_default();
        if !status.success() && log.contains(".sty' not found") {
            return Err(format!("a package is missing:\n{log}"));
        }
        assert!(status.success(), "pdflatex failed:\n{log}");
    }
    Ok(std::fs::read_to_string(dir.path().join("t.log")).unwrap_or_default())
}

#[test]
fn latex_report_of_twelve_sources_compiles() {
    let twelve = first_sources(12);
    let tex = many_render(&["export", "--sources", &twelve], "latex");
    match pdflatex(&tex) {
        Err(why) => eprintln!("{why}: skipped"),
        Ok(log) => {
            // a header wider than its column would show as an overfull box in a table head
            let overfull = log.matches("Overfull \\hbox").count();
            assert!(overfull == 0, "{overfull} overfull boxes:\n{log}");
        }
    }
    // the matrix of twelve sources by six scenes is set in groups of a few scenes
    assert!(tex.matches("\\begin{longtable}").count() > 10);
}

#[test]
fn hostile_front_matter_links_only_web_addresses() {
    let page = render(&["export"], "html");
    let dom = scraper::Html::parse_document(&page);
    let hrefs: Vec<&str> = dom
        .select(&scraper::Selector::parse("a[href]").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert_eq!(hrefs, ["https://example.org/a_b?q=1&r=(2)|x#frag"]);
    let text: String = dom.root_element().text().collect();
    assert!(text.contains("javascript:alert(1)"), "shown, not linked");
    assert!(text.contains("<b>Mallory</b> | =cmd"));

    let md = render(&["export"], "markdown");
    let (text, links) = markdown_text_and_links(&md);
    assert_eq!(links, ["https://example.org/a_b?q=1&r=%282%29%7Cx#frag"]);
    assert!(text.contains("javascript:alert(1)"));
    assert!(text.contains("Evil & Co. *press* [x](javascript:alert(1))"));

    let value = json(&run(HOSTILE, &["export", "--format", "json"]));
    assert_eq!(value["sources"][0]["url"], "javascript:alert(1)");
    assert_eq!(value["sources"][1]["author"], serde_json::Value::Null);

    let tex = render(&["export"], "latex");
    if let Err(why) = pdflatex(&tex) {
        eprintln!("{why}: skipped");
    }
}

#[test]
fn matrix_and_scene_csv_are_tidy() {
    let header = "work,scene,scene_order,source,reading,stance,summary,quote,attributed_to,via,person,reading_label";
    let matrix = many_render(&["matrix"], "csv");
    assert!(matrix.starts_with(header), "{}", &matrix[..200]);
    let export = many_render(&["export"], "csv");
    assert_eq!(matrix, export, "the claims, whichever view writes them");
    let mut reader = csv::Reader::from_reader(matrix.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let claims: usize = many::files()
        .iter()
        .map(|(_, text)| text.matches("[[claim]]").count())
        .sum();
    assert_eq!(rows.len(), claims, "one row per claim");
    let scene = many_render(&["scene", "mirror"], "csv");
    let mut reader = csv::Reader::from_reader(scene.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[1] == "mirror" && &r[2] == "4"));
}

#[test]
fn an_unknown_extension_is_an_error_naming_the_formats() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = root().join(HOSTILE);
    let at = |args: &[&str]| {
        common::parallax_in(dir.path())
            .arg("--corpus")
            .arg(&corpus)
            .args(args)
            .output()
            .unwrap()
    };
    let out = at(&["export", "-o", "report.pdf"]);
    assert_code(&out, 1);
    let err = common::stderr(&out);
    assert!(err.contains(".pdf"), "{err}");
    assert!(
        err.contains("markdown, csv, json, html, latex and qdpx"),
        "{err}"
    );
    assert!(!dir.path().join("report.pdf").exists());
    // a format named outright is written whatever the name
    assert_code(&at(&["matrix", "-f", "html", "-o", "report.pdf"]), 0);
    // no extension, or .txt: the terminal table
    assert_code(&at(&["matrix", "-o", "report"]), 0);
    assert_code(&at(&["matrix", "-o", "report.txt"]), 0);
    let text = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(text.contains('╭'), "{text}");
}

#[test]
fn sixty_sources_in_every_format() {
    for format in FORMATS {
        let out = many_render(&["matrix"], format);
        insta::assert_snapshot!(format!("many-matrix-{format}"), out);
    }
}

// ---------------------------------------------------------------------------------------
// small things

/// A tie names the readings that tie, in every format that shows the consensus.
#[test]
fn a_tie_names_the_tied_readings_in_every_format() {
    // bridge: lumen endorses grief, umbra irony
    let s = json(&run(VIEWS, &["scene", "bridge", "--format", "json"]));
    assert_eq!(s["tied"], serde_json::json!(["grief", "irony"]));
    for format in ["table", "markdown", "html", "latex"] {
        let out = run(VIEWS, &["scene", "bridge", "--format", format]);
        assert_code(&out, 0);
        let text = stdout(&out);
        assert!(
            text.contains("no consensus: Grief, Irony tie"),
            "{format}:\n{text}"
        );
    }
    let out = run(VIEWS, &["export", "--format", "markdown"]);
    assert!(stdout(&out).contains("no consensus: Grief, Irony tie"));
}

#[test]
fn list_readings_shows_descriptions_and_exclusions() {
    let out = run("interpretations", &["list", "readings"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("Intimacy or help"), "{text}");
    assert!(text.contains("genuine-gesture"), "{text}");
    let value = json(&run(
        "interpretations",
        &["list", "readings", "--format", "json"],
    ));
    let transaction = &value["readings"][0];
    assert_eq!(transaction["id"], "transaction");
    assert_eq!(
        transaction["excludes"],
        serde_json::json!(["reclaimed-power", "genuine-gesture"])
    );
    assert!(
        transaction["description"]
            .as_str()
            .unwrap()
            .starts_with("Intimacy")
    );
}

#[test]
fn help_and_manual_cite_no_spec_and_no_missing_page() {
    for args in [
        &["--help"][..],
        &["compare", "--help"],
        &["export", "--help"],
        &["matrix", "--help"],
        &["agreement", "--help"],
    ] {
        let out = run(VIEWS, args);
        assert_code(&out, 0);
        let text = stdout(&out);
        assert!(!text.contains("SPEC"), "{args:?}:\n{text}");
    }
    let out = run(VIEWS, &["man"]);
    assert_code(&out, 0);
    let man = stdout(&out);
    // no page of its own is installed for a subcommand: the page describes them all
    assert!(!man.contains("parallax\\-compare(1)"), "{man}");
    assert!(!man.contains("SEE ALSO"), "{man}");
    assert!(man.contains(".SH COMMANDS"), "{man}");
    assert!(man.contains("parallax compare LEFT RIGHT"), "{man}");
    assert!(man.contains("\\-\\-brief"), "{man}");
    assert!(!man.contains("SPEC"));
}

//! A document made of arbitrary claim text, rendered in every format. What each format
//! promises (SECURITY.md) is checked on the output:
//! - the terminal table holds no control character but line breaks (and, with colour, only
//!   SGR sequences) and no bidi override;
//! - HTML, parsed as a browser would, has no `script` element and no `on…` attribute;
//! - every Markdown table row has the table's column count;
//! - no CSV cell starts, past white space and invisible characters, with a formula sign
//!   unless it is neutralised with `'` or is a plain number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax::render::{
    Block, Cell, Column, Document, Format, LegendEntry, Line, RenderOptions, Span, Table, Tone,
    render,
};

const TONES: [Tone; 6] = [
    Tone::Plain,
    Tone::Conflict,
    Tone::Endorses,
    Tone::Added,
    Tone::Removed,
    Tone::Muted,
];

fuzz_target!(|input: (String, Vec<String>, u8, u8)| {
    let (title, texts, columns, width) = input;
    let doc = document(title, &texts, usize::from(columns % 4) + 1);
    for color in [false, true] {
        let opts = RenderOptions {
            color,
            width: u16::from(width),
            raw_csv: false,
        };
        terminal(&render(&doc, Format::Table, &opts));
    }
    let opts = RenderOptions::default();
    html(&render(&doc, Format::Html, &opts));
    markdown(&render(&doc, Format::Markdown, &opts), &doc);
    csv(&render(&doc, Format::Csv, &opts));
    let _ = render(&doc, Format::Latex, &opts);
    let json = render(&doc, Format::Json, &opts);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
});

/// A title, a paragraph and one table of `columns` columns, every string from `texts`
/// (a text holding `\u{1}` is split there into lines; one starting with `>` is a quote).
fn document(title: String, texts: &[String], columns: usize) -> Document {
    let mut texts = texts
        .iter()
        .map(String::as_str)
        .cycle()
        .take(texts.len().max(1) * 2);
    let mut next = move || texts.next().unwrap_or("").to_string();
    let cell = |text: String, i: usize| {
        Cell::new(
            text.split('\u{1}')
                .map(|part| match part.strip_prefix('>') {
                    Some(q) => Line::quote(q),
                    None => Line::new(vec![
                        Span::styled(part, TONES[i % TONES.len()]).reading(i % 2),
                    ]),
                })
                .collect(),
        )
    };
    let header: Vec<Column> = (0..columns).map(|_| Column::left(next())).collect();
    let rows = (0..3)
        .map(|r| (0..columns).map(|c| cell(next(), r + c)).collect())
        .collect();
    Document {
        title,
        blocks: vec![
            Block::Heading(2, next()),
            Block::Paragraph(Line::new(vec![
                Span::plain(next()),
                Span::styled(next(), Tone::Strong),
            ])),
            Block::Table(Table {
                columns: header,
                rows,
            }),
        ],
        legend: vec![
            LegendEntry {
                id: next(),
                label: next(),
            },
            LegendEntry {
                id: next(),
                label: next(),
            },
        ],
        csv: None,
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn terminal(out: &str) {
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // only SGR: ESC [ digits and semicolons m
            assert_eq!(chars.next(), Some('['), "escape that is not CSI in {out:?}");
            loop {
                match chars.next() {
                    Some('m') => break,
                    Some(d) if d.is_ascii_digit() || d == ';' => {}
                    other => panic!("not an SGR sequence ({other:?}) in {out:?}"),
                }
            }
            continue;
        }
        assert!(c == '\n' || !c.is_control(), "raw {c:?} in {out:?}");
        assert!(!is_bidi_control(c), "raw {c:?} in {out:?}");
    }
}

fn html(out: &str) {
    let page = scraper::Html::parse_document(out);
    let all = scraper::Selector::parse("*").unwrap();
    for element in page.select(&all) {
        let e = element.value();
        assert_ne!(e.name(), "script", "a script element in {out}");
        for (name, _) in e.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "an event attribute {name} in {out}"
            );
        }
    }
}

fn markdown(out: &str, doc: &Document) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let columns = doc.tables().next().map_or(0, |t| t.columns.len());
    let mut cells = 0;
    let mut rows = 0;
    for event in Parser::new_ext(out, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                assert_eq!(
                    cells, columns,
                    "a row of {cells} cells, not {columns}, in {out}"
                );
                rows += 1;
            }
            _ => {}
        }
    }
    assert_eq!(
        rows, 4,
        "the header and 3 rows should be one table in {out}"
    );
}

fn csv(out: &str) {
    use unicode_general_category::{GeneralCategory, get_general_category};
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes());
    for record in reader.records() {
        let record = record.expect("CSV reads back");
        for field in record.iter() {
            let visible = field.trim_start_matches(|c: char| {
                c.is_whitespace() || get_general_category(c) == GeneralCategory::Format
            });
            let formula = field.starts_with(['\t', '\r', '\n'])
                || visible.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']);
            assert!(
                !formula
                    || field.starts_with('\'')
                    || field.parse::<f64>().is_ok_and(|_| {
                        field
                            .bytes()
                            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
                    }),
                "formula cell {field:?}"
            );
        }
    }
}

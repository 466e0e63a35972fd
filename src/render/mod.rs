//! Output formats. A view describes itself once as a [`Document`] (headings, paragraphs and
//! tables of semantically styled text); each format turns that document into bytes. Renderers
//! never see the corpus, and views never see a format. JSON is the exception: it serialises the
//! view struct itself, so its shape is the view's own (SPEC §7).

mod csv;
mod html;
mod latex;
mod markdown;
mod markup;
mod table;

use serde::Serialize;

pub use table::{Breaks, sanitize_terminal, sanitize_with};

/// What a piece of text means, so every format can show it its own way (colour in the
/// terminal, a class in HTML, nothing in CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tone {
    #[default]
    Plain,
    /// de-emphasised text: attributions, counts, "no claim"
    Muted,
    Strong,
    Agree,
    Overlap,
    Diverge,
    Conflict,
    OnlyLeft,
    OnlyRight,
    Endorses,
    Considers,
    Rejects,
    /// word diff: text only in the right-hand summary
    Added,
    /// word diff: text only in the left-hand summary
    Removed,
}

/// A run of text with one tone. `reading` links the span to an entry of
/// [`Document::legend`], so a format may colour it by reading (the HTML matrix does).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
    pub reading: Option<usize>,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Self {
        Self::styled(text, Tone::Plain)
    }

    pub fn styled(text: impl Into<String>, tone: Tone) -> Self {
        Span {
            text: text.into(),
            tone,
            reading: None,
        }
    }

    pub fn reading(mut self, index: usize) -> Self {
        self.reading = Some(index);
        self
    }
}

/// How a line is set: a quote is shown as quoted matter (a blockquote in HTML).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    #[default]
    Normal,
    Quote,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Line {
    pub spans: Vec<Span>,
    pub kind: LineKind,
}

impl Line {
    pub fn new(spans: Vec<Span>) -> Self {
        Line {
            spans,
            kind: LineKind::Normal,
        }
    }

    pub fn plain(text: impl Into<String>) -> Self {
        Line::new(vec![Span::plain(text)])
    }

    pub fn quote(text: impl Into<String>) -> Self {
        Line {
            spans: vec![Span::plain(text)],
            kind: LineKind::Quote,
        }
    }

    /// The line's text without styling.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// A table cell: zero or more lines. An empty cell is shown as empty by every format.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Cell {
    pub lines: Vec<Line>,
}

impl Cell {
    pub fn new(lines: Vec<Line>) -> Self {
        Cell { lines }
    }

    pub fn plain(text: impl Into<String>) -> Self {
        Cell::new(vec![Line::plain(text)])
    }

    pub fn styled(text: impl Into<String>, tone: Tone) -> Self {
        Cell::new(vec![Line::new(vec![Span::styled(text, tone)])])
    }

    pub fn empty() -> Self {
        Cell::default()
    }

    /// The cell's text, lines joined by `\n`, without styling.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(Line::text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Whether a column holds numbers (right-aligned where the format can).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    #[default]
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub name: String,
    pub align: Align,
}

impl Column {
    pub fn left(name: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            align: Align::Left,
        }
    }

    pub fn right(name: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            align: Align::Right,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// every row has exactly `columns.len()` cells
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Block {
    /// level 1 is the document title's level; sections use 2, subsections 3
    Heading(u8, String),
    Paragraph(Line),
    Table(Table),
}

/// An entry of the reading legend: formats that colour by reading map `Span::reading`
/// indices to these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegendEntry {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    pub legend: Vec<LegendEntry>,
    /// The table CSV writes. CSV holds one table; when this is `None` it is the first table
    /// of `blocks`.
    pub csv: Option<Table>,
}

impl Document {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// The formats a view can be written in (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// a terminal table
    Table,
    /// GitHub-flavoured Markdown tables
    Markdown,
    /// RFC 4180 CSV, one header row
    Csv,
    /// the view as JSON (SPEC §7)
    Json,
    /// a self-contained HTML page
    Html,
    /// a booktabs LaTeX fragment
    Latex,
    /// a REFI-QDA project for QDA software (`export` only; written by `interchange::qdpx`)
    Qdpx,
}

/// Settings that only some formats use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// terminal only: emit ANSI colour
    pub color: bool,
    /// terminal only: the width to wrap tables to
    pub width: u16,
    /// CSV only: write cells as they are, without neutralising spreadsheet formulas
    pub raw_csv: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
            raw_csv: false,
        }
    }
}

/// Renders a document. Views are written as JSON from their own structs (SPEC §7); a
/// document asked for as JSON is serialised as it stands.
pub fn render(doc: &Document, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Table => table::render(doc, opts),
        Format::Markdown => markdown::render(doc),
        Format::Csv => csv::render(doc, opts),
        Format::Html => html::render(doc),
        Format::Latex => latex::render(doc),
        // a project is not a rendering of a document: `app` writes it, never asks for this
        Format::Qdpx => String::new(),
        Format::Json => {
            let mut json = serde_json::to_string_pretty(doc).unwrap_or_default();
            json.push('\n');
            json
        }
    }
}

/// A small, tame document for the renderers' snapshot tests: two tables (one with a numeric
/// column), a quote, every verdict tone and a reading legend.
#[cfg(test)]
pub(crate) fn sample_document() -> Document {
    let claim = |mark: &str, text: &str, tone: Tone, reading: usize| {
        Line::new(vec![
            Span::styled(mark, tone),
            Span::plain(" "),
            Span::plain(text).reading(reading),
        ])
    };
    Document {
        title: "ending-explained vs car-scene-tears".into(),
        blocks: vec![
            Block::Heading(2, "Scenes".into()),
            Block::Paragraph(Line::new(vec![
                Span::plain("Two sources, "),
                Span::styled("one conflict", Tone::Strong),
                Span::plain("."),
            ])),
            Block::Table(Table {
                columns: vec![
                    Column::left("scene"),
                    Column::left("ending-explained"),
                    Column::left("car-scene-tears"),
                    Column::left("verdict"),
                ],
                rows: vec![
                    vec![
                        Cell::plain("car-encounter"),
                        Cell::new(vec![
                            claim("✓", "Transaction", Tone::Endorses, 0),
                            Line::quote("she repays him"),
                        ]),
                        Cell::new(vec![claim("✗", "Transaction", Tone::Rejects, 0)]),
                        Cell::styled("conflict", Tone::Conflict),
                    ],
                    vec![
                        Cell::plain("tears"),
                        Cell::styled("no claim", Tone::Muted),
                        Cell::new(vec![claim("?", "Reclaimed power", Tone::Considers, 1)]),
                        Cell::styled("only-right", Tone::OnlyRight),
                    ],
                ],
            }),
            Block::Heading(3, "Agreement".into()),
            Block::Table(Table {
                columns: vec![Column::left("measure"), Column::right("alpha")],
                rows: vec![
                    vec![Cell::plain("nominal"), Cell::plain("0.250")],
                    vec![Cell::plain("masi"), Cell::styled("n/a", Tone::Muted)],
                ],
            }),
        ],
        legend: vec![
            LegendEntry {
                id: "transaction".into(),
                label: "Transaction".into(),
            },
            LegendEntry {
                id: "reclaimed-power".into(),
                label: "Reclaimed power".into(),
            },
        ],
        csv: None,
    }
}

/// A document whose every string is hostile to some format (SPEC §8): markup, formulas,
/// table separators, TeX specials, terminal escapes, bidi overrides, a very long quote and a
/// very long word. The renderers' parser-based tests read their output back.
#[cfg(test)]
pub(crate) fn hostile_document() -> Document {
    let long_quote = "All work and no play makes Ani a dull girl. ".repeat(46);
    let long_word = "x".repeat(300);
    Document {
        title: "Hostile <b>title</b> & \x1b]0;pwned\x07 50%".into(),
        blocks: vec![
            Block::Heading(2, "# Section _x_ | 1".into()),
            Block::Paragraph(Line::new(vec![
                Span::plain("# not a heading\n- not a list\n1. not a list\n=SUM(A1)\n    not code"),
                Span::styled(" <script>alert(1)</script>", Tone::Strong),
            ])),
            Block::Table(Table {
                columns: vec![
                    Column::left("scene | name"),
                    Column::left("<b>left</b>"),
                    Column::right("n"),
                    Column::left("=right"),
                ],
                rows: vec![
                    vec![
                        Cell::plain("<script>alert(1)</script>"),
                        Cell::new(vec![Line::new(vec![
                            Span::styled("\" onmouseover=\"x", Tone::Conflict).reading(0),
                        ])]),
                        Cell::plain("-0.25"),
                        Cell::plain("=HYPERLINK(\"http://x\")"),
                    ],
                    vec![
                        Cell::plain("a | b"),
                        Cell::new(vec![
                            Line::plain("first line\nsecond line"),
                            Line::new(vec![Span::styled("third *line*", Tone::Added)]),
                        ]),
                        Cell::plain("+1"),
                        Cell::plain("50% & $5 #1 _x_ ~ ^ \\ { } < > ` [link](http://x) [ ] *"),
                    ],
                    vec![
                        Cell::new(vec![Line::quote(long_quote)]),
                        Cell::plain("\x1b[31mred\x1b[0m and \x1b]8;;http://x\x07link\x1b]8;;\x07"),
                        Cell::plain("@SUM(A1)"),
                        Cell::plain("carriage\rreturn, bell\x07, tab\there, del\x7f, csi\u{9b}2J"),
                    ],
                    vec![
                        Cell::plain(long_word),
                        Cell::empty(),
                        Cell::plain("\tTAB"),
                        Cell::new(vec![Line::new(vec![
                            Span::styled("gone", Tone::Removed),
                            Span::plain(" \u{202e}evil\u{202c} ✓ ✗ → “q” – é"),
                        ])]),
                    ],
                    vec![
                        Cell::plain("\rCR"),
                        Cell::plain("&amp; &lt;b&gt; \\| <!-- c -->"),
                        Cell::empty(),
                        Cell::plain("--- \n***\n> quoted\n```"),
                    ],
                ],
            }),
        ],
        legend: vec![LegendEntry {
            id: "transaction".into(),
            label: "Trans\"action <i>".into(),
        }],
        csv: None,
    }
}

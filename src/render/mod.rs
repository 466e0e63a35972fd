//! Output formats. A view describes itself as a sequence of blocks (headings, paragraphs,
//! tables of semantically styled text, charts) written to a [`Sink`]; each format implements
//! the sink and writes bytes to an `io::Write` as the blocks arrive, so a long report streams
//! to its destination one section at a time. A small view may first collect its blocks in a
//! [`Document`] and replay it ([`write_document`]). Renderers never see the corpus, and views
//! never see a format. JSON is the exception: it serialises the view struct itself, so its
//! shape is the view's own (docs/json.md).

pub mod chart;
mod csv;
mod html;
mod html_style;
mod latex;
mod markdown;
mod markup;
mod svg;
mod table;
mod table_layout;
mod table_stream;

use std::io;

pub use chart::Chart;
pub use markup::Collect;

use serde::Serialize;

pub use table::{Breaks, is_invisible, sanitize_terminal, sanitize_with};

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
/// `link` is a web address the text points to: formats that link (HTML, Markdown) make it a
/// link when it is an `http`/`https` URL ([`web_url`]), and show the text alone otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
    pub reading: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
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
            link: None,
        }
    }

    pub fn reading(mut self, index: usize) -> Self {
        self.reading = Some(index);
        self
    }

    pub fn link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }
}

/// The URL if it is one a page may link to: `http` or `https`, with a host, and no white
/// space, control character, quote, backslash or angle bracket anywhere. Anything else
/// (`javascript:`, `data:`, a relative path, a bare word) is shown as text, never linked.
pub fn web_url(url: &str) -> Option<&str> {
    let url = url.trim();
    let scheme_end = url.find("://")?;
    let scheme = &url[..scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let rest = &url[scheme_end + 3..];
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = url.chars().all(|c| {
        !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | '`' | '\\')
    });
    (clean && !host.is_empty() && !host.starts_with(['@', ':'])).then_some(url)
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
    /// The column names its row (a scene, a source): HTML makes its cells row headers that
    /// stay in view when the table scrolls sideways, and a terminal table too wide for its
    /// width is split into several that each repeat the leading stub columns.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stub: bool,
    /// Set on the first column of a cross table (scenes × sources): the table may be shown
    /// the other way round, and this is the name of its first column then. A terminal table
    /// that does not fit its width is transposed when that makes it fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transpose: Option<String>,
}

impl Column {
    pub fn left(name: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            align: Align::Left,
            stub: false,
            transpose: None,
        }
    }

    pub fn right(name: impl Into<String>) -> Self {
        Column {
            align: Align::Right,
            ..Column::left(name)
        }
    }

    /// The column names its row (see [`Column::stub`]).
    pub fn stub(mut self) -> Self {
        self.stub = true;
        self
    }

    /// The table may be transposed; `name` heads its first column then.
    pub fn transposable(mut self, name: impl Into<String>) -> Self {
        self.transpose = Some(name.into());
        self
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
    /// the view itself as JSON, with stable field names
    Json,
    /// a self-contained HTML page
    Html,
    /// a LaTeX fragment (longtable, booktabs) to \\input into a document
    Latex,
    /// a REFI-QDA project for QDA software (`export` only)
    Qdpx,
    /// the claims as W3C Web Annotations, JSON-LD (`export` only; written by
    /// `interchange::annotations`)
    Annotations,
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

/// What a sink is told before the first block.
#[derive(Debug, Clone, Copy, Default)]
pub struct Head<'a> {
    pub title: &'a str,
    pub legend: &'a [LegendEntry],
    /// whether a span of the document points into the legend: only then is it shown
    pub uses_legend: bool,
    /// the document's sections, for formats that link to them (HTML)
    pub toc: &'a [TocEntry],
}

/// An entry of a table of contents: a heading written with this `anchor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// A format, written block by block to its destination. Calls come in this order: `begin`,
/// any number of blocks (a table is `table_start`, `row`…, `table_end`), then `finish`.
/// Every `&str`, [`Line`] and [`Cell`] handed over is raw claim text: the sink escapes it.
///
/// Sinks write as they are called, except where a format must see a table whole: the
/// terminal sizes its columns from every row (a table given as [`PlainRows`] it reads twice
/// instead), and LaTeX plans its column widths from the first rows.
pub trait Sink {
    fn begin(&mut self, head: &Head) -> io::Result<()>;
    /// `anchor`, an id-like name (`scene-tears`), lets a table of contents link to the
    /// heading (in HTML, where every heading gets an anchor anyway).
    fn heading(&mut self, level: u8, text: &str, anchor: Option<&str>) -> io::Result<()>;
    fn paragraph(&mut self, line: &Line) -> io::Result<()>;
    fn table_start(&mut self, columns: &[Column]) -> io::Result<()>;
    /// One row of the table begun last; extra cells are dropped and missing ones are empty.
    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()>;
    /// A row of plain one-line texts, as [`row`](Sink::row) with a [`Cell::plain`] of each.
    /// Tables of a row per claim are written this way, so a format that needs no cells (CSV)
    /// writes the texts without building them.
    fn plain_row(&mut self, texts: &[&str]) -> io::Result<()> {
        self.row(texts.iter().map(|t| Cell::plain(*t)).collect())
    }
    /// Rows of plain texts, as [`plain_row`](Sink::plain_row) with each; a format may
    /// format them in parallel.
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        rows.iter().try_for_each(|texts| self.plain_row(texts))
    }
    fn table_end(&mut self) -> io::Result<()>;
    /// A whole table of plain one-line texts whose rows can be made again: as
    /// `table_start`, [`plain_rows`](Sink::plain_rows) with each batch, `table_end`. A
    /// format that sizes its columns from every row (the terminal) reads the rows twice,
    /// once to measure and once to write, rather than holding a table that grows with the
    /// square of the corpus.
    fn plain_table(&mut self, columns: &[Column], rows: &dyn PlainRows) -> io::Result<()> {
        self.table_start(columns)?;
        rows.each_batch(&mut |batch| self.plain_rows(batch))?;
        self.table_end()
    }
    /// A chart. HTML draws it; the other formats leave it out, since the figures of every
    /// chart are also in a table.
    fn chart(&mut self, _chart: &Chart) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()>;
    /// Whether the format holds one table only (CSV): it is then given a document's data
    /// table ([`Document::csv`]) rather than every block.
    fn data_only(&self) -> bool {
        false
    }
}

/// The rows of a table of plain texts, made on demand, the same rows in the same order
/// every time they are asked for ([`Sink::plain_table`]).
pub trait PlainRows {
    /// Hands the rows to `take` in order, a batch at a time; stops at the first error
    /// `take` returns and returns it.
    fn each_batch(&self, take: &mut dyn FnMut(&[&[&str]]) -> io::Result<()>) -> io::Result<()>;
}

/// The sink of a format, writing to `out`. JSON collects the blocks and writes the document
/// as JSON at the end (views write their own structs as JSON instead: docs/json.md).
pub fn open<'w>(
    format: Format,
    opts: &RenderOptions,
    out: &'w mut dyn io::Write,
) -> Box<dyn Sink + 'w> {
    match format {
        Format::Table => Box::new(table::Terminal::new(out, opts)),
        Format::Markdown => Box::new(markdown::Markdown::new(out)),
        Format::Csv => Box::new(csv::Csv::new(out, opts)),
        Format::Html => Box::new(html::Page::new(out)),
        Format::Latex => Box::new(latex::Latex::new(out)),
        // a project is not a rendering of a document: `app` writes it and refuses qdpx for
        // every view but `export`, so this sink only keeps the match whole
        Format::Json | Format::Qdpx | Format::Annotations => {
            Box::new(markup::JsonDocument::new(out))
        }
    }
}

/// Writes a table to a sink: the header, then each row.
pub fn write_table(table: &Table, sink: &mut dyn Sink) -> io::Result<()> {
    sink.table_start(&table.columns)?;
    for row in &table.rows {
        sink.row(row.clone())?;
    }
    sink.table_end()
}

/// Writes a whole document to a sink, from `begin` to `finish`.
pub fn write_document(doc: &Document, sink: &mut dyn Sink) -> io::Result<()> {
    sink.begin(&Head {
        title: &doc.title,
        legend: &doc.legend,
        uses_legend: markup::uses_readings(doc),
        toc: &[],
    })?;
    if sink.data_only() {
        if let Some(table) = doc.csv.as_ref().or_else(|| doc.tables().next()) {
            write_table(table, sink)?;
        }
        return sink.finish();
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(level, text) => sink.heading(*level, text, None)?,
            Block::Paragraph(line) => sink.paragraph(line)?,
            Block::Table(table) => write_table(table, sink)?,
        }
    }
    sink.finish()
}

/// Renders a document in a format, to a string.
pub fn render(doc: &Document, format: Format, opts: &RenderOptions) -> String {
    let mut out = Vec::new();
    {
        let mut sink = open(format, opts, &mut out);
        // writing to memory cannot fail
        let _ = write_document(doc, sink.as_mut());
    }
    String::from_utf8(out).unwrap_or_default()
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

/// A document whose every string is hostile to some format (SECURITY.md): markup, formulas,
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

//! Output formats. A view describes itself once as a [`Document`] (headings, paragraphs and
//! tables of semantically styled text); each format turns that document into bytes. Renderers
//! never see the corpus, and views never see a format. JSON is the exception: it serialises the
//! view struct itself, so its shape is the view's own (SPEC §7).

mod csv;
mod html;
mod latex;
mod markdown;
mod table;

use serde::Serialize;

pub use table::sanitize_terminal;

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
        Format::Json => {
            let mut json = serde_json::to_string_pretty(doc).unwrap_or_default();
            json.push('\n');
            json
        }
    }
}

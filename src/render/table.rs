//! The terminal format (`--format table`): the title and headings as lines, paragraphs wrapped
//! to the width, tables drawn by comfy-table and wrapped to the same width without splitting a
//! word (`table_layout.rs`). Blocks are written as they come; a table is held until its end,
//! since its columns are sized from every row, except a long table given as rows that can be
//! read again, which is measured first and then drawn as it is read (`table_stream.rs`).
//!
//! This module also owns [`sanitize_terminal`], the filter every string of a document passes
//! before it is written, so that claim text can never drive the terminal (SECURITY.md).
//!
//! Colour is our own SGR sequences embedded in the cell text, chosen from the span's [`Tone`];
//! comfy-table's `custom_styling` measures text without them and carries a style across a
//! wrapped line, so columns stay aligned. With colour off not a single escape byte is written:
//! comfy-table's own cell styling is never used.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, presets};

use super::markup::fit_row;
use super::table_stream::{self, Measured};
use super::{
    Cell, Column, Head, Line, LineKind, PlainRows, RenderOptions, Sink, Tone, table_layout,
};

/// Narrower than this, comfy-table cannot give a few columns a character each; a smaller
/// requested width is raised to it.
const MIN_WIDTH: u16 = 20;

/// Writes terminal text as blocks arrive, blocks separated by a blank line.
pub(super) struct Terminal<'w> {
    out: &'w mut dyn Write,
    paint: Painter,
    width: u16,
    /// whether a block was written (the next one is preceded by a blank line)
    started: bool,
    /// the table being collected
    table: Option<(Vec<Column>, Vec<Vec<Cell>>)>,
}

impl<'w> Terminal<'w> {
    pub(super) fn new(out: &'w mut dyn Write, opts: &RenderOptions) -> Self {
        Terminal {
            out,
            paint: Painter { color: opts.color },
            width: opts.width.max(MIN_WIDTH),
            started: false,
            table: None,
        }
    }

    fn block(&mut self, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        if self.started {
            self.out.write_all(b"\n")?;
        }
        self.started = true;
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }
}

impl Sink for Terminal<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        if !head.title.trim().is_empty() {
            let title = self.paint.heading(1, head.title, self.width);
            self.block(&title)?;
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, _anchor: Option<&str>) -> io::Result<()> {
        let text = self.paint.heading(level, text, self.width);
        self.block(&text)
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        let text = wrap(&self.paint.line(line), self.width);
        self.block(&text)
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.table = Some((columns.to_vec(), Vec::new()));
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        if let Some((columns, rows)) = &mut self.table {
            rows.push(fit_row(cells, columns.len()));
        }
        Ok(())
    }

    fn table_end(&mut self) -> io::Result<()> {
        let Some((columns, rows)) = self.table.take() else {
            return Ok(());
        };
        let text = table_layout::draw(&columns, &rows, &self.paint, usize::from(self.width));
        self.block(&text)
    }

    /// A short table is drawn whole as any other; a long one is measured in a first reading
    /// of its rows and drawn in a second ([`table_stream`]).
    fn plain_table(&mut self, columns: &[Column], rows: &dyn PlainRows) -> io::Result<()> {
        if columns.is_empty() || columns[0].transpose.is_some() {
            self.table_start(columns)?;
            rows.each_batch(&mut |batch| self.plain_rows(batch))?;
            return self.table_end();
        }
        let width = usize::from(self.width);
        match table_stream::measure(columns, rows, &self.paint, width)? {
            Measured::Held(rows) => {
                let text = table_layout::draw(columns, &rows, &self.paint, width);
                self.block(&text)
            }
            Measured::Long(measure) => {
                if self.started {
                    self.out.write_all(b"\n")?;
                }
                self.started = true;
                table_stream::write(self.out, columns, rows, &measure, width)
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// What a line break in the text becomes in [`sanitize_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breaks {
    /// Line breaks stay line breaks: `\r\n`, a lone `\r`, U+2028 and U+2029 become `\n`
    /// (cell and paragraph text).
    Keep,
    /// Every line break is shown as a symbol (`␊`, `␍`, `<U+2028>`), so the text stays on one
    /// line: a file name or a message that must not start a line of its own.
    Show,
    /// `\n` and `\r\n` end a line (as `\n`); nothing else does, so the lines are the file's
    /// own lines and keep their numbers (a source snippet under a diagnostic).
    Source,
}

/// Makes claim text safe to print on a terminal, keeping it readable and its width
/// predictable. Every string of a document goes through this before it is written.
/// Line breaks are kept (see [`Breaks::Keep`]); everything else is as [`sanitize_with`] says.
pub fn sanitize_terminal(s: &str) -> String {
    sanitize_with(s, Breaks::Keep)
}

/// Makes text safe to print on a terminal:
///
/// - Line breaks are treated as `breaks` says.
/// - A tab becomes a space (its width depends on the cursor position, which breaks tables).
/// - Every other C0 control and DEL is replaced by its visible Control Pictures symbol
///   (`ESC` → `␛`, `BEL` → `␇`, `DEL` → `␡`). Only the ESC byte of an escape sequence is
///   replaced: the rest (`[31m`, `]8;;http://…`) stays as visible text, so the reader sees that
///   the source held an escape sequence and nothing of it is interpreted.
/// - C1 controls (U+0080–U+009F, which include the one-byte CSI and OSC) become U+FFFD `�`.
/// - Invisible characters ([`is_invisible`]: the bidi embeddings, overrides, isolates and marks
///   of "Trojan Source", zero-width spaces and joiners, the byte-order mark, Unicode tag
///   characters that can smuggle hidden text, Hangul fillers) are shown by their code point,
///   `<U+202E>`. Two uses of them are real typography and stay: a zero-width joiner or
///   non-joiner between two letters or symbols of a non-Latin script or emoji (Persian,
///   Indic scripts, family emoji), and the tag characters of an emoji flag (🏴 followed by
///   tags and the cancel tag).
///
/// Nothing is dropped silently and every replacement has a predictable width, so what a cell
/// measures is what the terminal shows.
pub fn sanitize_with(s: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev: Option<char> = None;
    let mut in_flag = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        // a tag character is typography only inside an emoji flag: 🏴, tags, cancel tag
        let flag_tag = in_flag && ('\u{e0020}'..='\u{e007f}').contains(&c);
        in_flag = c == '\u{1f3f4}' || (in_flag && ('\u{e0020}'..='\u{e007e}').contains(&c));
        match c {
            '\n' => out.push(if breaks == Breaks::Show {
                '\u{240a}'
            } else {
                '\n'
            }),
            '\r' => match breaks {
                Breaks::Keep => {
                    chars.next_if_eq(&'\n');
                    out.push('\n');
                }
                Breaks::Source if next == Some('\n') => {}
                _ => out.push('\u{240d}'),
            },
            '\u{2028}' | '\u{2029}' if breaks == Breaks::Keep => out.push('\n'),
            '\t' => out.push(' '),
            '\0'..='\u{1f}' => {
                out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'))
            }
            '\u{7f}' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' => out.push('\u{fffd}'),
            '\u{200c}' | '\u{200d}' if joins(prev, next) => out.push(c),
            _ if flag_tag => out.push(c),
            '\u{2028}' | '\u{2029}' => push_code_point(&mut out, c),
            c if is_invisible(c) => push_code_point(&mut out, c),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

fn push_code_point(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "<U+{:04X}>", u32::from(c));
}

/// Whether a zero-width joiner or non-joiner between `prev` and `next` is typography: both
/// neighbours are visible characters outside ASCII (letters of a script that joins, emoji).
fn joins(prev: Option<char>, next: Option<char>) -> bool {
    let visible = |c: Option<char>| {
        c.is_some_and(|c| {
            !c.is_ascii() && !c.is_control() && !c.is_whitespace() && !is_invisible(c)
        })
    };
    visible(prev) && visible(next)
}

/// Characters that take no visible space: every character of Unicode general category Cf
/// (format: bidi controls and marks, zero-width space, joiners, word joiner, byte-order
/// mark, soft hyphen, invisible operators, tag characters and the like), plus the Hangul
/// fillers, letters that draw nothing. A formula hidden behind them must still be seen as
/// a formula (CSV), and the terminal shows them by code point.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

/// The terminal colour of each tone. Stance and verdict are also spelled out in the text
/// (✓ ✗ ?, "conflict"), so nothing is lost without colour.
fn tone_style(tone: Tone) -> Style {
    let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    match tone {
        Tone::Plain => Style::new(),
        Tone::Muted => Style::new().dimmed(),
        Tone::Strong => Style::new().bold(),
        Tone::Agree | Tone::Endorses => fg(AnsiColor::Green),
        Tone::Overlap => fg(AnsiColor::Cyan),
        Tone::Diverge | Tone::Considers => fg(AnsiColor::Yellow),
        Tone::Conflict => fg(AnsiColor::Red).bold(),
        Tone::Rejects => fg(AnsiColor::Red),
        Tone::OnlyLeft => fg(AnsiColor::Blue).dimmed(),
        Tone::OnlyRight => fg(AnsiColor::Magenta).dimmed(),
        Tone::Added => fg(AnsiColor::Green).underline(),
        Tone::Removed => fg(AnsiColor::Red).strikethrough(),
    }
}

/// Quoted matter is set in italics; a span of a quote that has its own tone keeps that tone.
const QUOTE: Style = Style::new().italic();

/// Turns sanitised text into terminal text, with or without colour.
pub(super) struct Painter {
    pub(super) color: bool,
}

impl Painter {
    /// Wraps each line of `text` in `style` separately, so that no style spans a line break
    /// (comfy-table splits cells at `\n`).
    fn paint(&self, text: &str, style: Style) -> String {
        if !self.color || style.is_plain() {
            return text.to_owned();
        }
        text.split('\n')
            .map(|part| {
                if part.is_empty() {
                    String::new()
                } else {
                    format!("{}{part}{}", style.render(), style.render_reset())
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn heading(&self, level: u8, text: &str, width: u16) -> String {
        let text = sanitize_terminal(text).replace('\n', " ");
        let style = match level {
            0 | 1 => Style::new().bold().underline(),
            _ => Style::new().bold(),
        };
        wrap(&self.paint(&text, style), width)
    }

    pub(super) fn line(&self, line: &Line) -> String {
        let quote = line.kind == LineKind::Quote;
        // Runs of one style are merged so that a quote is one styled run, not three.
        let mut runs: Vec<(String, Style)> = Vec::new();
        let mut push = |text: &str, style: Style| match runs.last_mut() {
            Some((last, s)) if *s == style => last.push_str(text),
            _ => runs.push((text.to_owned(), style)),
        };
        if quote {
            push("“", QUOTE);
        }
        for span in &line.spans {
            let style = match span.tone {
                Tone::Plain if quote => QUOTE,
                tone => tone_style(tone),
            };
            push(&sanitize_terminal(&span.text), style);
        }
        if quote {
            push("”", QUOTE);
        }
        runs.iter()
            .map(|(text, style)| self.paint(text, *style))
            .collect()
    }

    /// A column name: bold.
    pub(super) fn header(&self, name: &str) -> String {
        self.paint(name, Style::new().bold())
    }
}

/// Word-wraps (already painted) text to `width`, with comfy-table's ANSI-aware splitting: a
/// borderless one-cell table.
fn wrap(text: &str, width: u16) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut table = comfy_table::Table::new();
    table
        .force_no_tty()
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .add_row(vec![text]);
    if let Some(column) = table.column_mut(0) {
        column.set_padding((0, 0));
    }
    table
        .lines()
        .map(|l| l.trim_end().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Block, Document, Format, Span, Table, hostile_document, sample_document};

    fn render(doc: &Document, opts: &RenderOptions) -> String {
        crate::render::render(doc, Format::Table, opts)
    }

    fn opts(color: bool, width: u16) -> RenderOptions {
        RenderOptions {
            color,
            width,
            raw_csv: false,
        }
    }

    /// Removes the SGR sequences (`ESC [ params m`) this module writes, and checks on the way
    /// that they are the only escape sequences there are and use only the parameters we emit.
    fn strip_our_sgr(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find('\x1b') {
            out.push_str(&rest[..i]);
            let seq = &rest[i + 1..];
            assert!(
                seq.starts_with('['),
                "escape that is not CSI: {:?}",
                &seq[..10]
            );
            let end = seq.find('m').expect("unterminated SGR");
            let params = &seq[1..end];
            for p in params.split(';') {
                assert!(
                    [
                        "0", "1", "2", "3", "4", "9", "31", "32", "33", "34", "35", "36"
                    ]
                    .contains(&p),
                    "unexpected SGR parameter {p:?} in {params:?}"
                );
            }
            rest = &seq[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// Display width for the characters the test documents use: kana and CJK ideographs are
    /// two columns, everything else one (the hostile document has no zero-width or other wide
    /// characters, and sanitising leaves none).
    fn display_width(s: &str) -> usize {
        s.chars()
            .map(|c| match c {
                '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}' => 2,
                _ => 1,
            })
            .sum()
    }

    /// Every line of every table (a run of lines starting with a box-drawing character) has
    /// the same display width, and no line is wider than `width`.
    fn assert_tables_aligned(out: &str, width: usize) {
        let plain = strip_our_sgr(out);
        let mut table_width = None;
        for line in plain.lines() {
            assert!(
                display_width(line) <= width,
                "line wider than {width}: {line:?}"
            );
            let boxed = line.starts_with(['╭', '│', '├', '╞', '╰']);
            if !boxed {
                table_width = None;
                continue;
            }
            let w = display_width(line);
            match table_width {
                None => table_width = Some(w),
                Some(t) => assert_eq!(t, w, "misaligned line: {line:?}"),
            }
        }
    }

    #[test]
    fn sanitize_replaces_controls_visibly() {
        assert_eq!(sanitize_terminal("\x1b[31mred\x1b[0m"), "␛[31mred␛[0m");
        assert_eq!(sanitize_terminal("\x1b]0;title\x07"), "␛]0;title␇");
        assert_eq!(sanitize_terminal("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(sanitize_terminal("a\tb\x08c\x7f\0"), "a b␈c␡␀");
        assert_eq!(sanitize_terminal("\u{9b}2J \u{85}"), "\u{fffd}2J \u{fffd}");
        assert_eq!(
            sanitize_terminal("\u{202e}evil\u{202c} \u{2066}x\u{2069}"),
            "<U+202E>evil<U+202C> <U+2066>x<U+2069>"
        );
        assert_eq!(sanitize_terminal("é ✓ 日本 “q”"), "é ✓ 日本 “q”");
    }

    #[test]
    fn sample_without_colour() {
        let out = render(&sample_document(), &opts(false, 80));
        insta::assert_snapshot!(out, @r#"
            ending-explained vs car-scene-tears

            Scenes

            Two sources, one conflict.

            ╭───────────────┬──────────────────┬───────────────────┬────────────╮
            │ scene         ┆ ending-explained ┆ car-scene-tears   ┆ verdict    │
            ╞═══════════════╪══════════════════╪═══════════════════╪════════════╡
            │ car-encounter ┆ ✓ Transaction    ┆ ✗ Transaction     ┆ conflict   │
            │               ┆ “she repays him” ┆                   ┆            │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ tears         ┆ no claim         ┆ ? Reclaimed power ┆ only-right │
            ╰───────────────┴──────────────────┴───────────────────┴────────────╯

            Agreement

            ╭─────────┬───────╮
            │ measure ┆ alpha │
            ╞═════════╪═══════╡
            │ nominal ┆ 0.250 │
            │ masi    ┆   n/a │
            ╰─────────┴───────╯
            "#);
    }

    #[test]
    fn sample_with_colour() {
        let out = render(&sample_document(), &opts(true, 80));
        assert_tables_aligned(&out, 80);
        insta::assert_snapshot!(out.replace('\x1b', "\\e"), @r#"
            \e[1m\e[4mending-explained vs car-scene-tears\e[0m

            \e[1mScenes\e[0m

            Two sources, \e[1mone conflict\e[0m.

            ╭───────────────┬──────────────────┬───────────────────┬────────────╮
            │ \e[1mscene\e[0m         ┆ \e[1mending-explained\e[0m ┆ \e[1mcar-scene-tears\e[0m   ┆ \e[1mverdict\e[0m    │
            ╞═══════════════╪══════════════════╪═══════════════════╪════════════╡
            │ car-encounter ┆ \e[32m✓\e[0m Transaction    ┆ \e[31m✗\e[0m Transaction     ┆ \e[1m\e[31mconflict\e[0m   │
            │               ┆ \e[3m“she repays him”\e[0m ┆                   ┆            │
            ├╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌┼╌╌╌╌╌╌╌╌╌╌╌╌┤
            │ tears         ┆ \e[2mno claim\e[0m         ┆ \e[33m?\e[0m Reclaimed power ┆ \e[2m\e[35monly-right\e[0m │
            ╰───────────────┴──────────────────┴───────────────────┴────────────╯

            \e[1mAgreement\e[0m

            ╭─────────┬───────╮
            │ \e[1mmeasure\e[0m ┆ \e[1malpha\e[0m │
            ╞═════════╪═══════╡
            │ nominal ┆ 0.250 │
            │ masi    ┆   \e[2mn/a\e[0m │
            ╰─────────┴───────╯
            "#);
    }

    #[test]
    fn hostile_without_colour_has_no_control_characters() {
        for width in [100, 40, 20, 5] {
            let out = render(&hostile_document(), &opts(false, width));
            assert!(
                !out.chars().any(|c| c.is_control() && c != '\n'),
                "control character at width {width}"
            );
            assert!(!out.chars().any(|c| ('\u{202a}'..='\u{202e}').contains(&c)));
            assert!(width < 100 || out.contains("␛[31mred␛[0m and"));
            assert!(width < 100 || out.contains("<script>alert(1)</script>"));
            assert_tables_aligned(&out, usize::from(width.max(MIN_WIDTH)));
        }
    }

    #[test]
    fn hostile_with_colour_has_only_our_sgr() {
        for width in [100, 33] {
            let out = render(&hostile_document(), &opts(true, width));
            assert!(
                !out.contains("\x1b[31mred"),
                "claim text's escape reached the output"
            );
            assert!(width < 100 || out.contains("␛[31mred␛[0m and"));
            assert!(!out.contains('\x07') && !out.contains('\r'));
            // strip_our_sgr panics on any escape that is not one of ours.
            let plain = strip_our_sgr(&out);
            assert!(!plain.chars().any(|c| c.is_control() && c != '\n'));
            assert_tables_aligned(&out, usize::from(width));
        }
    }

    #[test]
    fn long_words_are_split_inside_the_table() {
        let out = render(&hostile_document(), &opts(false, 60));
        assert!(!out.contains(&"x".repeat(61)));
        let xs: usize = out.matches('x').count();
        assert!(xs >= 300, "the long word lost characters");
        assert_tables_aligned(&out, 60);
    }

    #[test]
    fn wide_characters_stay_aligned() {
        let doc = Document {
            title: String::new(),
            blocks: vec![Block::Table(Table {
                columns: vec![Column::left("場面"), Column::right("n")],
                rows: vec![
                    vec![
                        Cell::plain("日本語の長い説明文".repeat(8)),
                        Cell::plain("1"),
                    ],
                    vec![
                        Cell::new(vec![Line::new(vec![
                            Span::styled("一致", Tone::Agree),
                            Span::plain(" ok"),
                        ])]),
                        Cell::plain("22"),
                    ],
                ],
            })],
            legend: vec![],
            csv: None,
        };
        for color in [false, true] {
            let out = render(&doc, &opts(color, 30));
            assert_tables_aligned(&out, 30);
        }
    }

    #[test]
    fn right_aligned_columns_pad_on_the_left() {
        let out = render(&sample_document(), &opts(false, 80));
        assert!(out.contains("│ nominal ┆ 0.250 │"));
        assert!(out.contains("│ masi    ┆   n/a │"));
    }

    #[test]
    fn many_columns_in_a_narrow_width_stay_aligned() {
        let columns: Vec<Column> = (0..12)
            .map(|i| Column::left(format!("source-{i}")))
            .collect();
        let row: Vec<Cell> = (0..12)
            .map(|i| Cell::plain(format!("✓ reading {i}")))
            .collect();
        let doc = Document {
            title: String::new(),
            blocks: vec![Block::Table(Table {
                columns,
                rows: vec![row],
            })],
            legend: vec![],
            csv: None,
        };
        // One character per column is the least comfy-table gives: twelve columns need 49
        // columns of terminal, more than asked for, but the table stays well-formed.
        let out = render(&doc, &opts(false, 40));
        assert_tables_aligned(&out, 49);
    }

    #[test]
    fn empty_document_is_empty() {
        assert_eq!(render(&Document::default(), &opts(true, 80)), "");
    }
}

//! The Markdown format (`--format markdown`): GitHub-flavoured Markdown with pipe tables,
//! written by hand because comfy-table's Markdown preset neither escapes `|` nor keeps a
//! multi-line cell in one row.
//!
//! Claim text never becomes markup. Everywhere, `\` `` ` `` `* _ [ ] < > | ~ & #` are
//! backslash-escaped, and so are `$` (GitHub's math) and `@` (GitHub's mentions); `#` is
//! escaped everywhere also because GitHub links `#1` to an issue. At the start of a paragraph
//! line, `- + =` and a list number's `.`/`)` are escaped too, and leading spaces dropped (they
//! would make a code block). `<` is escaped, so no claim is ever raw HTML. Text first goes
//! through [`sanitize_terminal`], which also turns `\r` (a CommonMark line ending that would
//! end a table row) into `\n`. A line break inside a cell is `<br>`, the only raw HTML this
//! module writes; in a paragraph it is a backslash hard break. Empty cells keep their place
//! (`|  |`), so every row has the header's column count. A span with a web address becomes a
//! link only when the address is `http`/`https` ([`web_url`]), and its destination is
//! percent-encoded beyond a small set of URL characters.
//!
//! Blocks are written as they arrive: a table's header when it starts, each row as it comes.

use std::io::{self, Write};

use super::markup::{fit_row, push_plain_cells, write_plain_rows};
use super::{Align, Cell, Column, Head, Line, LineKind, Sink, Tone, sanitize_terminal, web_url};

/// Writes Markdown as blocks arrive: blocks are separated by one blank line, a table's
/// header and rule when it starts and each row as it comes.
pub(super) struct Markdown<'w> {
    out: &'w mut dyn Write,
    /// whether a block was written (the next one is preceded by a blank line)
    started: bool,
    /// the column count of the table being written (0 outside a table, or for a table
    /// without columns, which GFM cannot express and is left out)
    columns: usize,
}

impl<'w> Markdown<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> Self {
        Markdown {
            out,
            started: false,
            columns: 0,
        }
    }

    /// Writes one block (its text without the final line break).
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

fn heading_line(level: u8, text: &str) -> String {
    let hashes = "#".repeat(usize::from(level.clamp(1, 6)));
    let text = sanitize_terminal(text).replace('\n', " ");
    format!("{hashes} {}", escape(text.trim(), true))
}

impl Sink for Markdown<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        if !head.title.trim().is_empty() {
            self.block(&heading_line(1, head.title))?;
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, _anchor: Option<&str>) -> io::Result<()> {
        self.block(&heading_line(level, text))
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        let text = inline(line, Context::Paragraph);
        let text = if line.kind == LineKind::Quote {
            text.lines()
                .map(|l| format!("> {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        };
        self.block(&text)
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.columns = columns.len();
        // GFM needs at least one column for a table to exist at all.
        if columns.is_empty() {
            return Ok(());
        }
        let header: Vec<String> = columns
            .iter()
            .map(|c| escape(&sanitize_terminal(&c.name), false).replace('\n', "<br>"))
            .collect();
        let rule: Vec<&str> = columns
            .iter()
            .map(|c| match c.align {
                Align::Left => "---",
                Align::Right => "---:",
            })
            .collect();
        let text = format!("| {} |\n| {} |", header.join(" | "), rule.join(" | "));
        self.block(&text)
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        if self.columns == 0 {
            return Ok(());
        }
        let cells: Vec<String> = fit_row(cells, self.columns).iter().map(cell).collect();
        writeln!(self.out, "| {} |", cells.join(" | "))
    }

    /// Rows formatted on every core, each as [`row`](Sink::row) writes it.
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        let n = self.columns;
        if n == 0 {
            return Ok(());
        }
        write_plain_rows(self.out, rows, |texts, out| {
            out.push_str("| ");
            push_plain_cells(out, texts, n, " | ", as_is, cell);
            out.push_str(" |\n");
        })
    }

    fn table_end(&mut self) -> io::Result<()> {
        self.columns = 0;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether a plain cell's text is written as it is: printable ASCII that [`escape`]
/// leaves alone.
fn as_is(text: &str) -> bool {
    text.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && !b"\\`*_[]<>|~&#$@".contains(&b))
}

fn cell(cell: &Cell) -> String {
    cell.lines
        .iter()
        .map(|line| inline(line, Context::Cell))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Where inline text goes, which decides how a line break is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// a table cell: inline content only, a break is `<br>`
    Cell,
    /// a paragraph: a break is a hard break, and the next line could start a block
    Paragraph,
}

/// One line as inline Markdown: quote marks around quoted matter, `**` around strong spans.
fn inline(line: &Line, context: Context) -> String {
    let (open, close) = match line.kind {
        LineKind::Quote => ("“", "”"),
        LineKind::Normal => ("", ""),
    };
    let mut out = String::from(open);
    for span in &line.spans {
        let text = sanitize_terminal(&span.text);
        for (i, part) in text.split('\n').enumerate() {
            if i > 0 {
                out.push_str(match context {
                    Context::Cell => "<br>",
                    Context::Paragraph => "\\\n",
                });
            }
            let line_start =
                context == Context::Paragraph && (out.is_empty() || out.ends_with('\n'));
            let part = if line_start { part.trim_start() } else { part };
            let text = styled(part, span.tone, line_start);
            match span.link.as_deref().and_then(web_url) {
                Some(url) if !part.trim().is_empty() => {
                    out.push_str(&format!("[{text}]({})", link_destination(url)));
                }
                _ => out.push_str(&text),
            }
        }
    }
    out.push_str(close);
    out
}

/// Strong text in `**`, with surrounding white space kept outside the delimiters (CommonMark
/// does not close `**` after a space). Other tones are carried by the text itself.
fn styled(text: &str, tone: Tone, line_start: bool) -> String {
    let core = text.trim();
    if tone != Tone::Strong || core.is_empty() {
        return escape(text, line_start);
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}**{}**{trail}", escape(core, false))
}

/// A URL as a link destination that nothing in it can end early or turn into markup: every
/// byte outside a conservative set of URL characters is percent-encoded (so a `|` cannot end
/// the table cell, a `)` the link, a space the destination).
fn link_destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&+,;=%".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Escapes text so that CommonMark and GFM read it as plain text. `line_start` adds the
/// escapes needed where a block could begin (list markers, thematic breaks, setext underlines).
fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '$' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    if line_start {
        if out.starts_with(['-', '+', '=']) {
            out.insert(0, '\\');
        } else {
            // "1." or "1)" would start an ordered list.
            let digits = out.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && out[digits..].starts_with(['.', ')']) {
                out.insert(digits, '\\');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::*;
    use crate::render::{Document, Format, RenderOptions, Span, hostile_document, sample_document};

    fn render(doc: &Document) -> String {
        crate::render::render(doc, Format::Markdown, &RenderOptions::default())
    }

    fn parse(md: &str) -> Vec<Event<'_>> {
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).collect()
    }

    #[test]
    fn sample() {
        insta::assert_snapshot!(render(&sample_document()), @r#"
            # ending-explained vs car-scene-tears

            ## Scenes

            Two sources, **one conflict**.

            | scene | ending-explained | car-scene-tears | verdict |
            | --- | --- | --- | --- |
            | car-encounter | ✓ Transaction<br>“she repays him” | ✗ Transaction | conflict |
            | tears | no claim | ? Reclaimed power | only-right |

            ### Agreement

            | measure | alpha |
            | --- | ---: |
            | nominal | 0.250 |
            | masi | n/a |
            "#);
    }

    #[test]
    fn hostile_tables_keep_their_shape() {
        let doc = hostile_document();
        let md = render(&doc);
        let events = parse(&md);
        let mut tables = 0;
        let mut cells_in_row = 0;
        let mut header_cells = 0;
        let mut rows = 0;
        for event in &events {
            match event {
                Event::Start(Tag::Table(aligns)) => {
                    tables += 1;
                    assert_eq!(aligns.len(), 4);
                    assert_eq!(aligns[2], pulldown_cmark::Alignment::Right);
                }
                Event::Start(Tag::TableHead | Tag::TableRow) => cells_in_row = 0,
                Event::Start(Tag::TableCell) => cells_in_row += 1,
                Event::End(TagEnd::TableHead) => header_cells = cells_in_row,
                Event::End(TagEnd::TableRow) => {
                    rows += 1;
                    assert_eq!(cells_in_row, header_cells, "row {rows} lost its shape");
                }
                _ => {}
            }
        }
        assert_eq!(tables, 1);
        assert_eq!(header_cells, 4);
        assert_eq!(rows, 5);
    }

    #[test]
    fn hostile_text_never_becomes_markup() {
        let md = render(&hostile_document());
        for event in parse(&md) {
            match event {
                Event::Html(h) => panic!("HTML block from claim text: {h:?}"),
                Event::InlineHtml(h) => assert_eq!(&*h, "<br>", "inline HTML from claim text"),
                Event::Start(tag) => assert!(
                    matches!(
                        tag,
                        Tag::Heading { .. }
                            | Tag::Paragraph
                            | Tag::Table(_)
                            | Tag::TableHead
                            | Tag::TableRow
                            | Tag::TableCell
                            | Tag::Strong
                    ),
                    "claim text became markup: {tag:?}"
                ),
                Event::Code(c) => panic!("code span from claim text: {c:?}"),
                _ => {}
            }
        }
    }

    #[test]
    fn hostile_text_survives_literally() {
        let md = render(&hostile_document());
        let text: String = parse(&md)
            .into_iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.into_string()),
                _ => None,
            })
            .collect();
        for needle in [
            "<script>alert(1)</script>",
            "\" onmouseover=\"x",
            "=HYPERLINK(\"http://x\")",
            "a | b",
            "50% & $5 #1 _x_ ~ ^ \\ { } < > ` [link](http://x) [ ] *",
            "&amp; &lt;b&gt; \\| <!-- c -->",
            "# not a heading",
            "- not a list",
            "1. not a list",
            "third *line*",
            "scene | name",
        ] {
            assert!(text.contains(needle), "lost {needle:?} in {text}");
        }
        assert!(!md.contains('\x1b') && !md.contains('\r') && !md.contains('\x07'));
    }

    #[test]
    fn strong_spans_and_line_breaks() {
        let line = Line::new(vec![
            Span::plain("a "),
            Span::styled(" bold\nnext ", Tone::Strong),
        ]);
        assert_eq!(inline(&line, Context::Cell), "a  **bold**<br>**next** ");
        assert_eq!(
            inline(&line, Context::Paragraph),
            "a  **bold**\\\n**next** "
        );
        assert_eq!(escape("-1", true), "\\-1");
        assert_eq!(escape("-1", false), "-1");
        assert_eq!(escape("12) x", true), "12\\) x");
    }
}

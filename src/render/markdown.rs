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
//! (`|  |`), so every row has the header's column count.

use super::markup::{self, Markup};
use super::{Align, Cell, Column, Document, Line, LineKind, Tone, sanitize_terminal};

pub(super) fn render(doc: &Document) -> String {
    markup::render(doc, &Markdown)
}

struct Markdown;

impl Markup for Markdown {
    fn heading(&self, level: u8, text: &str) -> String {
        let hashes = "#".repeat(usize::from(level.clamp(1, 6)));
        let text = sanitize_terminal(text).replace('\n', " ");
        format!("{hashes} {}", escape(text.trim(), true))
    }

    fn paragraph(&self, line: &Line) -> String {
        let text = inline(line, Context::Paragraph);
        if line.kind == LineKind::Quote {
            text.lines()
                .map(|l| format!("> {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        }
    }

    fn header_cell(&self, column: &Column) -> String {
        escape(&sanitize_terminal(&column.name), false).replace('\n', "<br>")
    }

    fn cell(&self, cell: &Cell, _column: &Column) -> String {
        cell.lines
            .iter()
            .map(|line| inline(line, Context::Cell))
            .collect::<Vec<_>>()
            .join("<br>")
    }

    fn table(&self, columns: &[Column], header: Vec<String>, rows: Vec<Vec<String>>) -> String {
        // GFM needs at least one column for a table to exist at all.
        if columns.is_empty() {
            return String::new();
        }
        let rule = columns
            .iter()
            .map(|c| match c.align {
                Align::Left => "---".to_owned(),
                Align::Right => "---:".to_owned(),
            })
            .collect();
        std::iter::once(header)
            .chain(std::iter::once(rule))
            .chain(rows)
            .map(|row| format!("| {} |", row.join(" | ")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn document(&self, doc: &Document, blocks: Vec<String>) -> String {
        let mut parts = Vec::new();
        if !doc.title.trim().is_empty() {
            parts.push(self.heading(1, &doc.title));
        }
        parts.extend(blocks.into_iter().filter(|b| !b.is_empty()));
        let mut out = parts.join("\n\n");
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
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
            out.push_str(&styled(part, span.tone, line_start));
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
    use crate::render::{Span, hostile_document, sample_document};

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

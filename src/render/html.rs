//! The HTML format (`--format html`): one self-contained page, its markup written with maud,
//! which escapes every interpolated string, attributes included. The page has an inline
//! stylesheet (`html_style.rs`) and inline SVG charts (`svg.rs`) and nothing else: no script,
//! no external font, image or stylesheet, and a Content-Security-Policy that forbids them
//! anyway, so a page built from hostile claims can neither run code nor call out. The only
//! links are a table of contents (`#anchor`) and sources' web addresses, and an address becomes
//! a link only when it is `http`/`https` ([`web_url`]).
//!
//! Tones become CSS classes (`tone-conflict`…); verdicts are pills (`badge`); strong, added and
//! removed text are `<strong>`, `<ins>` and `<del>` so their meaning survives without the
//! stylesheet. A span linked to a reading gets a background from a fixed palette of twelve
//! (`reading-0` … `reading-11`, cycling, with a dashed outline from the thirteenth on) and the
//! page carries a legend of the readings. Stance stays readable in black and white: the text
//! carries its marks (✓ ✗ ?), and a rejected reading is struck through. Quote lines are
//! `<blockquote>`s. Stub columns are row headers (`<th scope="row">`) that stay in view while
//! a wide table scrolls. Text first goes through [`sanitize_terminal`], so control characters
//! and bidi overrides are shown, not obeyed.
//!
//! The page is written as the blocks arrive: its head and the table of contents first, each
//! table row as it comes, the closing tags at the end.

use std::collections::HashSet;
use std::io::{self, Write};

use maud::{DOCTYPE, Markup as Html, PreEscaped, html};

use super::html_style::STYLE;
use super::markup::{fit_row, plain_cells, write_plain_rows};
use super::{
    Align, Cell, Chart, Column, Head, LegendEntry, Line, LineKind, Sink, Span, TocEntry, Tone,
    sanitize_terminal, svg, web_url,
};

/// How many reading colours the palette has; indices beyond it cycle.
const PALETTE: usize = 12;

/// The page forbids everything but its own inline styles.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

pub(super) struct Page<'w> {
    out: &'w mut dyn Write,
    legend: Vec<LegendEntry>,
    /// anchors given to headings, so that a generated one never repeats one
    anchors: HashSet<String>,
    /// the columns of the table being written
    columns: Vec<Column>,
    /// charts drawn so far (their pattern ids must be unique in the page)
    charts: usize,
    /// the table of contents and the legend, written before the first heading or table, so
    /// that the paragraphs that open a document come right under its title
    front: Option<Html>,
}

impl<'w> Page<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> Self {
        Page {
            out,
            legend: Vec::new(),
            anchors: HashSet::new(),
            columns: Vec::new(),
            charts: 0,
            front: None,
        }
    }

    /// Writes the table of contents and the legend, once, where the body proper begins.
    fn flush_front(&mut self) -> io::Result<()> {
        match self.front.take() {
            Some(front) => self.write(front),
            None => Ok(()),
        }
    }

    fn write(&mut self, markup: Html) -> io::Result<()> {
        self.out.write_all(markup.into_string().as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// An anchor for a heading: the one asked for, else one made from its text; a number is
    /// added when it was already used.
    fn anchor(&mut self, asked: Option<&str>, text: &str) -> String {
        let base = match asked {
            Some(a) => a.to_owned(),
            None => {
                let slug: String = text
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect();
                let slug: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
                format!("h-{}", slug.join("-"))
            }
        };
        let mut anchor = base.clone();
        let mut n = 1;
        while !self.anchors.insert(anchor.clone()) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        anchor
    }

    /// How the page writes a span, a line and a cell.
    fn inline(&self) -> Inline<'_> {
        Inline {
            legend: &self.legend,
        }
    }

    fn legend(&self) -> Html {
        html! {
            section.legend aria-label="Readings" {
                h2 { "Readings" }
                ul {
                    @for (i, entry) in self.legend.iter().enumerate() {
                        li {
                            span class={ "swatch reading reading-" (i % PALETTE) @if i >= PALETTE { " reading-more" } } aria-hidden="true" {}
                            " " (sanitize_terminal(&entry.label)) " "
                            code { (sanitize_terminal(&entry.id)) }
                        }
                    }
                }
            }
        }
    }
}

/// The class suffix of a tone; plain text has none.
fn tone_class(tone: Tone) -> Option<&'static str> {
    Some(match tone {
        Tone::Plain => return None,
        Tone::Muted => "muted",
        Tone::Strong => "strong",
        Tone::Agree => "agree",
        Tone::Overlap => "overlap",
        Tone::Diverge => "diverge",
        Tone::Conflict => "conflict",
        Tone::OnlyLeft => "only-left",
        Tone::OnlyRight => "only-right",
        Tone::Endorses => "endorses",
        Tone::Considers => "considers",
        Tone::Rejects => "rejects",
        Tone::Added => "added",
        Tone::Removed => "removed",
    })
}

fn is_verdict(tone: Tone) -> bool {
    matches!(
        tone,
        Tone::Agree
            | Tone::Overlap
            | Tone::Diverge
            | Tone::Conflict
            | Tone::OnlyLeft
            | Tone::OnlyRight
    )
}

/// Spans, lines and cells as HTML: what they need of the page is its reading legend, so
/// rows can be written on every core.
struct Inline<'a> {
    legend: &'a [LegendEntry],
}

impl Inline<'_> {
    fn line(&self, line: &Line) -> Html {
        html! { @for span in &line.spans { (self.span(span)) } }
    }

    fn span(&self, span: &Span) -> Html {
        let text = sanitize_terminal(&span.text);
        let body = html! {
            @for (i, part) in text.split('\n').enumerate() {
                @if i > 0 { br; }
                (part)
            }
        };
        let mut classes: Vec<String> = Vec::new();
        if let Some(name) = tone_class(span.tone) {
            if is_verdict(span.tone) {
                classes.push("badge".into());
            }
            classes.push(format!("tone-{name}"));
        }
        let mut title = None;
        if let Some(i) = span.reading {
            classes.push("reading".into());
            classes.push(format!("reading-{}", i % PALETTE));
            if i >= PALETTE {
                classes.push("reading-more".into());
            }
            title = self
                .legend
                .get(i)
                .map(|e| sanitize_terminal(&format!("{} ({})", e.label, e.id)));
        }
        let class = (!classes.is_empty()).then(|| classes.join(" "));
        let body = match span.link.as_deref().and_then(web_url) {
            Some(url) => html! { a href=(url) rel="noopener noreferrer nofollow" { (body) } },
            None => body,
        };
        match span.tone {
            Tone::Strong => html! { strong class=[class] title=[title] { (body) } },
            Tone::Added => html! { ins class=[class] title=[title] { (body) } },
            Tone::Removed => html! { del class=[class] title=[title] { (body) } },
            _ if class.is_none() => body,
            _ => html! { span class=[class] title=[title] { (body) } },
        }
    }

    fn cell(&self, cell: &Cell) -> Html {
        html! {
            @for line in &cell.lines {
                @match line.kind {
                    LineKind::Normal => div.line { (self.line(line)) },
                    LineKind::Quote => blockquote { "“" (self.line(line)) "”" },
                }
            }
        }
    }
}

/// Whether a plain cell's text is written as it is: printable ASCII with nothing HTML
/// escapes.
fn as_is(text: &str) -> bool {
    text.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && !b"<>&\"'".contains(&b))
}

/// A table row of `cells`, one per column of `columns`.
fn row_html(columns: &[Column], cells: &[Cell], inline: &Inline) -> Html {
    html! {
        tr {
            @for (column, cell) in columns.iter().zip(cells) {
                @let num = (column.align == Align::Right).then_some("num");
                @if column.stub {
                    th scope="row" class=[num] { (inline.cell(cell)) }
                } @else {
                    td class=[num] { (inline.cell(cell)) }
                }
            }
        }
    }
}

impl Sink for Page<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.legend = head.legend.to_vec();
        let title = sanitize_terminal(head.title.trim()).replace('\n', " ");
        let start = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta http-equiv="Content-Security-Policy" content=(CSP);
                    meta name="color-scheme" content="light dark";
                    meta name="generator" content="parallax";
                    title { @if title.is_empty() { "parallax" } @else { (title) } }
                    style { (PreEscaped(STYLE)) }
                }
                "\n"
            }
        };
        // the page stays open: blocks follow, and `finish` closes it
        let start = start.into_string();
        let start = start.strip_suffix("</html>").unwrap_or(&start);
        self.out.write_all(start.as_bytes())?;
        self.out.write_all(b"<body><main>\n")?;
        if !title.is_empty() {
            self.write(html! { h1 { (title) } })?;
        }
        // the contents: the sections, each with its subsections under it
        let mut sections: Vec<(&TocEntry, Vec<&TocEntry>)> = Vec::new();
        for entry in head.toc {
            match sections.last_mut() {
                Some((_, subs)) if entry.level > 2 => subs.push(entry),
                _ => sections.push((entry, Vec::new())),
            }
        }
        let show_legend = head.uses_legend && !self.legend.is_empty();
        let legend = show_legend.then(|| self.legend());
        self.front = Some(html! {
            @if !sections.is_empty() {
                nav.toc aria-label="Contents" {
                    h2 { "Contents" }
                    ol {
                        @for (section, subs) in &sections {
                            li {
                                a href={ "#" (section.anchor) } { (sanitize_terminal(&section.text)) }
                                @if !subs.is_empty() {
                                    ul {
                                        @for sub in subs {
                                            li { a href={ "#" (sub.anchor) } { (sanitize_terminal(&sub.text)) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(legend) = legend { (legend) }
        });
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, anchor: Option<&str>) -> io::Result<()> {
        self.flush_front()?;
        let text = sanitize_terminal(text).replace('\n', " ");
        let id = self.anchor(anchor, &text);
        let h = match level {
            0 | 1 => html! { h1 id=(id) { (text) } },
            2 => html! { h2 id=(id) { (text) } },
            3 => html! { h3 id=(id) { (text) } },
            4 => html! { h4 id=(id) { (text) } },
            5 => html! { h5 id=(id) { (text) } },
            _ => html! { h6 id=(id) { (text) } },
        };
        self.write(h)
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        let p = match line.kind {
            LineKind::Normal => html! { p { (self.inline().line(line)) } },
            LineKind::Quote => html! { blockquote { p { "“" (self.inline().line(line)) "”" } } },
        };
        self.write(p)
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.flush_front()?;
        self.columns = columns.to_vec();
        let head = html! {
            thead { tr {
                @for column in columns {
                    @let class = [
                        (column.align == Align::Right).then_some("num"),
                        column.stub.then_some("stub"),
                    ].into_iter().flatten().collect::<Vec<_>>().join(" ");
                    th scope="col" class=[(!class.is_empty()).then_some(class)] {
                        (sanitize_terminal(&column.name))
                    }
                }
            } }
        };
        write!(
            self.out,
            "<div class=\"table-wrap\"><table>{}\n<tbody>\n",
            head.into_string()
        )
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        let cells = fit_row(cells, self.columns.len());
        let row = row_html(&self.columns, &cells, &self.inline());
        self.write(row)
    }

    /// Rows formatted on every core, each as [`row`](Sink::row) writes it.
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        let (columns, inline) = (
            &self.columns,
            Inline {
                legend: &self.legend,
            },
        );
        write_plain_rows(self.out, rows, |texts, out| {
            // nothing to escape: the row is written here as maud writes it
            if texts.len() >= columns.len() && texts[..columns.len()].iter().all(|t| as_is(t)) {
                out.push_str("<tr>");
                for (column, text) in columns.iter().zip(texts.iter()) {
                    let tag = if column.stub {
                        "th scope=\"row\""
                    } else {
                        "td"
                    };
                    let num = if column.align == Align::Right {
                        " class=\"num\""
                    } else {
                        ""
                    };
                    let close = if column.stub { "th" } else { "td" };
                    out.push_str(&format!(
                        "<{tag}{num}><div class=\"line\">{text}</div></{close}>"
                    ));
                }
                out.push_str("</tr>\n");
                return;
            }
            let cells = plain_cells(texts, columns.len());
            out.push_str(&row_html(columns, &cells, &inline).into_string());
            out.push('\n');
        })
    }

    fn table_end(&mut self) -> io::Result<()> {
        self.columns.clear();
        self.out.write_all(b"</tbody></table></div>\n")
    }

    fn chart(&mut self, chart: &Chart) -> io::Result<()> {
        self.flush_front()?;
        self.charts += 1;
        let (title, caption) = match chart {
            Chart::Heatmap(h) => (&h.title, &h.caption),
            Chart::Bars(b) => (&b.title, &b.caption),
            Chart::Stances(s) => (&s.title, &s.caption),
        };
        self.out.write_all(b"<figure class=\"chart\">")?;
        svg::write(self.out, chart, self.charts)?;
        let caption = html! {
            figcaption { strong { (sanitize_terminal(title)) "." } " " (sanitize_terminal(caption)) }
        };
        self.out.write_all(caption.into_string().as_bytes())?;
        self.out.write_all(b"</figure>\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush_front()?;
        self.out.write_all(b"</main></body></html>\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use scraper::{Html as Dom, Selector};

    use super::*;
    use crate::render::{Document, Format, RenderOptions, hostile_document, sample_document};

    fn render(doc: &Document) -> String {
        crate::render::render(doc, Format::Html, &RenderOptions::default())
    }

    /// The page's `<main>`, for snapshots (the head is mostly the stylesheet).
    fn main_of(page: &str) -> &str {
        let start = page.find("<main>").unwrap();
        let end = page.find("</main>").unwrap() + "</main>".len();
        &page[start..end]
    }

    #[test]
    fn sample() {
        let page = render(&sample_document());
        insta::assert_snapshot!(main_of(&page), @r#"
        <main>
        <h1>ending-explained vs car-scene-tears</h1>
        <section class="legend" aria-label="Readings"><h2>Readings</h2><ul><li><span class="swatch reading reading-0" aria-hidden="true"></span> Transaction <code>transaction</code></li><li><span class="swatch reading reading-1" aria-hidden="true"></span> Reclaimed power <code>reclaimed-power</code></li></ul></section>
        <h2 id="h-scenes">Scenes</h2>
        <p>Two sources, <strong class="tone-strong">one conflict</strong>.</p>
        <div class="table-wrap"><table><thead><tr><th scope="col">scene</th><th scope="col">ending-explained</th><th scope="col">car-scene-tears</th><th scope="col">verdict</th></tr></thead>
        <tbody>
        <tr><td><div class="line">car-encounter</div></td><td><div class="line"><span class="tone-endorses">✓</span> <span class="reading reading-0" title="Transaction (transaction)">Transaction</span></div><blockquote>“she repays him”</blockquote></td><td><div class="line"><span class="tone-rejects">✗</span> <span class="reading reading-0" title="Transaction (transaction)">Transaction</span></div></td><td><div class="line"><span class="badge tone-conflict">conflict</span></div></td></tr>
        <tr><td><div class="line">tears</div></td><td><div class="line"><span class="tone-muted">no claim</span></div></td><td><div class="line"><span class="tone-considers">?</span> <span class="reading reading-1" title="Reclaimed power (reclaimed-power)">Reclaimed power</span></div></td><td><div class="line"><span class="badge tone-only-right">only-right</span></div></td></tr>
        </tbody></table></div>
        <h3 id="h-agreement">Agreement</h3>
        <div class="table-wrap"><table><thead><tr><th scope="col">measure</th><th scope="col" class="num">alpha</th></tr></thead>
        <tbody>
        <tr><td><div class="line">nominal</div></td><td class="num"><div class="line">0.250</div></td></tr>
        <tr><td><div class="line">masi</div></td><td class="num"><div class="line"><span class="tone-muted">n/a</span></div></td></tr>
        </tbody></table></div>
        </main>
        "#);
    }

    #[test]
    fn page_is_self_contained() {
        let page = render(&sample_document());
        assert!(
            page.starts_with("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        );
        assert!(page.contains("<title>ending-explained vs car-scene-tears</title>"));
        let dom = Dom::parse_document(&page);
        for selector in [
            "script", "link", "img", "iframe", "object", "embed", "base", "form",
        ] {
            let s = Selector::parse(selector).unwrap();
            assert_eq!(dom.select(&s).count(), 0, "{selector}");
        }
        for element in dom.tree.values().filter_map(|n| n.as_element()) {
            for (name, value) in element.attrs() {
                assert!(
                    !["src", "href", "srcset", "action"].contains(&name),
                    "{name}={value}"
                );
            }
        }
        assert!(!STYLE.contains("url(") && !STYLE.contains("@import"));
        assert!(!STYLE.contains("</"));
    }

    #[test]
    fn hostile_text_stays_text() {
        let doc = hostile_document();
        let page = render(&doc);
        let dom = Dom::parse_document(&page);
        let script = Selector::parse("script").unwrap();
        assert_eq!(dom.select(&script).count(), 0);
        for element in dom.tree.values().filter_map(|n| n.as_element()) {
            for (name, _) in element.attrs() {
                assert!(!name.starts_with("on"), "event handler attribute {name}");
            }
            assert!(
                !["b", "i"].contains(&element.name()),
                "claim markup became <{}>",
                element.name()
            );
        }
        let text: String = dom.root_element().text().collect();
        for needle in [
            "<script>alert(1)</script>",
            "\" onmouseover=\"x",
            "<b>left</b>",
            "Hostile <b>title</b> & ␛]0;pwned␇ 50%",
            "&amp; &lt;b&gt; \\| <!-- c -->",
            "50% & $5 #1 _x_ ~ ^ \\ { } < > ` [link](http://x) [ ] *",
            "␛[31mred␛[0m",
        ] {
            assert!(text.contains(needle), "lost {needle:?}");
        }
        assert!(!page.contains('\x1b') && !page.contains('\x07') && !page.contains('\u{202e}'));
        // The hostile legend label is escaped inside the title attribute.
        let titled = Selector::parse("span.reading-0[title]").unwrap();
        let span = dom.select(&titled).next().unwrap();
        assert_eq!(
            span.value().attr("title"),
            Some("Trans\"action <i> (transaction)")
        );
    }

    #[test]
    fn table_structure_and_classes() {
        let page = render(&sample_document());
        let dom = Dom::parse_document(&page);
        let count = |s: &str| dom.select(&Selector::parse(s).unwrap()).count();
        assert_eq!(count("table"), 2);
        assert_eq!(count("table > thead > tr > th"), 6);
        assert_eq!(count("table > tbody > tr"), 4);
        assert_eq!(count("td > blockquote"), 1);
        assert_eq!(count("span.badge.tone-conflict"), 1);
        assert_eq!(count("span.badge.tone-only-right"), 1);
        assert_eq!(count("th.num"), 1);
        assert_eq!(count("td.num"), 2);
        assert_eq!(count("section.legend li"), 2);
        assert_eq!(count("span.reading-1"), 2);
    }

    #[test]
    fn legend_only_when_readings_are_used() {
        let mut doc = sample_document();
        doc.blocks
            .retain(|b| !matches!(b, crate::render::Block::Table(_)));
        assert!(!render(&doc).contains("class=\"legend\""));
    }

    #[test]
    fn readings_beyond_the_palette_cycle() {
        let mut sink = Vec::new();
        let page = Page::new(&mut sink);
        let out = page
            .inline()
            .span(&Span::plain("x").reading(13))
            .into_string();
        assert_eq!(
            out,
            r#"<span class="reading reading-1 reading-more">x</span>"#
        );
    }
}

//! The HTML format (`--format html`): one self-contained page, written with maud, which
//! escapes every interpolated string, attributes included. The page has an inline stylesheet
//! and nothing else: no script, no external font, image or stylesheet, and a
//! Content-Security-Policy that forbids them anyway, so a page built from hostile claims can
//! neither run code nor call out.
//!
//! Tones become CSS classes (`tone-conflict`…); verdicts are pills (`badge`); strong, added and
//! removed text are `<strong>`, `<ins>` and `<del>` so their meaning survives without the
//! stylesheet. A span linked to a reading gets a background from a fixed palette of twelve
//! (`reading-0` … `reading-11`, cycling, with a dashed outline from the thirteenth on) and the
//! page carries a legend of the readings. Stance stays readable in black and white: the text
//! carries its marks (✓ ✗ ?). Quote lines are `<blockquote>`s. Text first goes through
//! [`sanitize_terminal`], so control characters and bidi overrides are shown, not obeyed.

use maud::{DOCTYPE, Markup as Html, PreEscaped, html};

use super::markup::{self, Markup};
use super::sanitize_terminal;
use super::{Align, Cell, Column, Document, LegendEntry, Line, LineKind, Span, Tone};

pub(super) fn render(doc: &Document) -> String {
    markup::render(
        doc,
        &Page {
            legend: &doc.legend,
        },
    )
}

/// How many reading colours the palette has; indices beyond it cycle.
const PALETTE: usize = 12;

/// The page forbids everything but its own inline styles.
const CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

struct Page<'a> {
    legend: &'a [LegendEntry],
}

impl Page<'_> {
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
        match span.tone {
            Tone::Strong => html! { strong class=[class] title=[title] { (body) } },
            Tone::Added => html! { ins class=[class] title=[title] { (body) } },
            Tone::Removed => html! { del class=[class] title=[title] { (body) } },
            _ if class.is_none() => body,
            _ => html! { span class=[class] title=[title] { (body) } },
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

impl Markup for Page<'_> {
    fn heading(&self, level: u8, text: &str) -> String {
        let text = sanitize_terminal(text).replace('\n', " ");
        let h = match level {
            0 | 1 => html! { h1 { (text) } },
            2 => html! { h2 { (text) } },
            3 => html! { h3 { (text) } },
            4 => html! { h4 { (text) } },
            5 => html! { h5 { (text) } },
            _ => html! { h6 { (text) } },
        };
        h.into_string()
    }

    fn paragraph(&self, line: &Line) -> String {
        match line.kind {
            LineKind::Normal => html! { p { (self.line(line)) } },
            LineKind::Quote => html! { blockquote { p { "“" (self.line(line)) "”" } } },
        }
        .into_string()
    }

    fn header_cell(&self, column: &Column) -> String {
        html! { (sanitize_terminal(&column.name)) }.into_string()
    }

    fn cell(&self, cell: &Cell, _column: &Column) -> String {
        html! {
            @for line in &cell.lines {
                @match line.kind {
                    LineKind::Normal => div.line { (self.line(line)) },
                    LineKind::Quote => blockquote { "“" (self.line(line)) "”" },
                }
            }
        }
        .into_string()
    }

    fn table(&self, columns: &[Column], header: Vec<String>, rows: Vec<Vec<String>>) -> String {
        let num = |c: &Column| (c.align == Align::Right).then_some("num");
        // The row markup was built (and escaped) by maud in `cell` and `header_cell`.
        html! {
            div.table-wrap {
                table {
                    thead { tr {
                        @for (column, th) in columns.iter().zip(header) {
                            th scope="col" class=[num(column)] { (PreEscaped(th)) }
                        }
                    } }
                    "\n"
                    tbody {
                        @for row in rows {
                            tr {
                                @for (column, td) in columns.iter().zip(row) {
                                    td class=[num(column)] { (PreEscaped(td)) }
                                }
                            }
                            "\n"
                        }
                    }
                }
            }
        }
        .into_string()
    }

    fn document(&self, doc: &Document, blocks: Vec<String>) -> String {
        let title = sanitize_terminal(doc.title.trim()).replace('\n', " ");
        let show_legend = !self.legend.is_empty() && markup::uses_readings(doc);
        let page = html! {
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
                body {
                    main {
                        "\n"
                        @if !title.is_empty() { h1 { (title) } "\n" }
                        @if show_legend { (self.legend()) "\n" }
                        @for block in blocks { (PreEscaped(block)) "\n" }
                    }
                }
            }
        };
        let mut out = page.into_string();
        out.push('\n');
        out
    }
}

/// The whole stylesheet. Tone colours are custom properties so that the dark and print
/// variants only swap values; the reading palette is ColorBrewer's Set3 (twelve light,
/// mutually distinguishable colours under dark text).
const STYLE: &str = r#"
:root {
  --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --rule: #d1d9e0; --head: #f6f8fa;
  --badge-fg: #ffffff;
  --agree: #1a7f37; --overlap: #0a7ea4; --diverge: #9a6700; --conflict: #cf222e;
  --only-left: #0550ae; --only-right: #a0308a;
  --endorses: #1a7f37; --considers: #9a6700; --rejects: #cf222e;
  --added-bg: #dafbe1; --removed-bg: #ffebe9;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --rule: #3d444d; --head: #151b23;
    --badge-fg: #0d1117;
    --agree: #3fb950; --overlap: #39c5cf; --diverge: #d29922; --conflict: #f85149;
    --only-left: #58a6ff; --only-right: #db61a2;
    --endorses: #3fb950; --considers: #d29922; --rejects: #f85149;
    --added-bg: #033a16; --removed-bg: #67060c;
  }
}
html { color: var(--fg); background: var(--bg); }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; }
main { max-width: 78rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.5em 0 .5em; overflow-wrap: anywhere; }
p { overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; margin: 1em 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--rule); padding: .4em .6em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; min-width: 6em; }
th { background: var(--head); }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; min-width: 0;
  white-space: nowrap; overflow-wrap: normal; }
td .line + .line, td .line + blockquote, td blockquote + .line, td blockquote + blockquote { margin-top: .3em; }
blockquote { margin: .3em 0; padding: 0 0 0 .7em; border-left: 3px solid var(--rule);
  color: var(--muted); font-style: italic; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.tone-muted { color: var(--muted); }
.tone-endorses { color: var(--endorses); }
.tone-considers { color: var(--considers); }
.tone-rejects { color: var(--rejects); }
.tone-conflict { font-weight: 700; }
ins.tone-added { background: var(--added-bg); text-decoration: underline; }
del.tone-removed { background: var(--removed-bg); text-decoration: line-through; }
.badge { display: inline-block; padding: 0 .6em; border-radius: 999px; font-size: .85em;
  font-weight: 600; color: var(--badge-fg); background: var(--c); border: 1px solid var(--c);
  white-space: nowrap; }
.badge.tone-agree { --c: var(--agree); }
.badge.tone-overlap { --c: var(--overlap); }
.badge.tone-diverge { --c: var(--diverge); }
.badge.tone-conflict { --c: var(--conflict); }
.badge.tone-only-left { --c: var(--only-left); }
.badge.tone-only-right { --c: var(--only-right); }
.reading { color: #111; border-radius: .25em; padding: 0 .2em; }
.reading.badge { color: var(--badge-fg); }
.reading-0 { background: #8dd3c7; } .reading-1 { background: #ffffb3; }
.reading-2 { background: #bebada; } .reading-3 { background: #fb8072; }
.reading-4 { background: #80b1d3; } .reading-5 { background: #fdb462; }
.reading-6 { background: #b3de69; } .reading-7 { background: #fccde5; }
.reading-8 { background: #d9d9d9; } .reading-9 { background: #bc80bd; }
.reading-10 { background: #ccebc5; } .reading-11 { background: #ffed6f; }
.reading-more { outline: 1px dashed #111; outline-offset: -1px; }
.legend ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.2em; }
.legend li { overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 1.1em; height: 1.1em; vertical-align: -.2em;
  border: 1px solid var(--rule); }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --rule: #999; --head: #eee; --badge-fg: #fff; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  tr, blockquote { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  .badge, .reading, .swatch, ins, del { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

#[cfg(test)]
mod tests {
    use scraper::{Html as Dom, Selector};

    use super::*;
    use crate::render::{hostile_document, sample_document};

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
            <h2>Scenes</h2>
            <p>Two sources, <strong class="tone-strong">one conflict</strong>.</p>
            <div class="table-wrap"><table><thead><tr><th scope="col">scene</th><th scope="col">ending-explained</th><th scope="col">car-scene-tears</th><th scope="col">verdict</th></tr></thead>
            <tbody><tr><td><div class="line">car-encounter</div></td><td><div class="line"><span class="tone-endorses">✓</span> <span class="reading reading-0" title="Transaction (transaction)">Transaction</span></div><blockquote>“she repays him”</blockquote></td><td><div class="line"><span class="tone-rejects">✗</span> <span class="reading reading-0" title="Transaction (transaction)">Transaction</span></div></td><td><div class="line"><span class="badge tone-conflict">conflict</span></div></td></tr>
            <tr><td><div class="line">tears</div></td><td><div class="line"><span class="tone-muted">no claim</span></div></td><td><div class="line"><span class="tone-considers">?</span> <span class="reading reading-1" title="Reclaimed power (reclaimed-power)">Reclaimed power</span></div></td><td><div class="line"><span class="badge tone-only-right">only-right</span></div></td></tr>
            </tbody></table></div>
            <h3>Agreement</h3>
            <div class="table-wrap"><table><thead><tr><th scope="col">measure</th><th scope="col" class="num">alpha</th></tr></thead>
            <tbody><tr><td><div class="line">nominal</div></td><td class="num"><div class="line">0.250</div></td></tr>
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
        let page = Page { legend: &[] };
        let out = page.span(&Span::plain("x").reading(13)).into_string();
        assert_eq!(
            out,
            r#"<span class="reading reading-1 reading-more">x</span>"#
        );
    }
}

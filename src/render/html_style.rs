//! The stylesheet of the HTML page: inline, with nothing fetched.
//!
//! - Tone colours are custom properties, so the dark and print variants only swap values.
//! - Readings are coloured from ColorBrewer's Set3 (twelve light, mutually distinguishable
//!   colours under dark text; a dashed outline from the thirteenth reading on), and every
//!   stance is also told apart without colour: a rejected reading is struck through, a
//!   considered one underlined with dots, besides the ✓ ✗ ? marks.
//! - Tables scroll inside their box with the header row and the stub column (the scene or
//!   source naming the row) kept in view, so a matrix of sixty sources stays readable.
//! - In print nothing scrolls or sticks: tables take the page width and cells may break
//!   anywhere, so no column is ever cut off; colours print as they are.

pub(super) const STYLE: &str = r#"
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
main { max-width: 90rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.5em 0 .5em; overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid var(--rule); padding-bottom: .2em; }
p { overflow-wrap: anywhere; }
a { color: inherit; }
.table-wrap { overflow: auto; max-height: 85vh; margin: 1em 0; width: fit-content;
  max-width: 100%; border: 1px solid var(--rule); }
table { border-collapse: separate; border-spacing: 0; }
th, td { border-right: 1px solid var(--rule); border-bottom: 1px solid var(--rule);
  padding: .4em .6em; text-align: left; vertical-align: top; overflow-wrap: anywhere;
  min-width: 6em; max-width: 40em; }
thead th { position: sticky; top: 0; z-index: 2; background: var(--head); }
tbody th { position: sticky; left: 0; z-index: 1; background: var(--bg); font-weight: 600;
  min-width: 8em; overflow-wrap: normal; word-break: normal; }
thead th.stub { left: 0; z-index: 3; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; min-width: 0;
  white-space: nowrap; overflow-wrap: normal; }
.line:empty { height: .6em; }
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
.reading { color: #111; border-radius: .25em; padding: 0 .2em; white-space: nowrap; }
.reading.badge { color: var(--badge-fg); }
.reading.tone-rejects { text-decoration: line-through 2px; }
.reading.tone-considers { text-decoration: underline dotted 2px; }
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
nav.toc ol { columns: 22rem auto; column-gap: 2rem; padding-left: 1.6em; margin: .3em 0; }
nav.toc ol > li { break-inside: avoid; }
nav.toc ul { padding-left: 1.2em; margin: .1em 0 .4em; list-style: circle; }
figure.chart { margin: 1.5em 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
figure.chart svg text { fill: var(--fg); }
figure.chart svg text.on-dark { fill: #fff; }
figure.chart svg text.on-light { fill: #111; }
figcaption { color: var(--muted); font-size: .9em; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --rule: #999; --head: #eee; --badge-fg: #fff; }
  body { font-size: 9pt; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; max-height: none; border: 0; }
  table { width: 100%; border-collapse: collapse; }
  th, td { position: static !important; min-width: 0; max-width: none; padding: .2em .3em;
    overflow-wrap: anywhere; hyphens: auto; }
  .reading { white-space: normal; }
  th.num, td.num { white-space: normal; }
  thead { display: table-header-group; }
  tr, blockquote, figure { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
  nav.toc { display: none; }
  figure.chart { overflow: visible; }
  .badge, .reading, .swatch, ins, del, svg { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"#;

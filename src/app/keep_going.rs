//! `--keep-going`: a view of a corpus whose claim files have errors, made from the files that
//! are valid. The invalid ones are skipped with their diagnostics on standard error, and the
//! output says how many were skipped: a paragraph under the title, or a `skipped` field in
//! JSON. Errors in `work.toml` (or anywhere but a claim file) still stop the view: without a
//! valid codebook no claim can be read.

use std::collections::BTreeSet;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::corpus::Loaded;
use crate::diagnostic::Diagnostic;
use crate::render::{Cell, Chart, Column, Head, Line, PlainRows, Sink, Span, Tone};

/// The ids of the claim files with errors, when every error of the corpus is in a claim file
/// of a work that could otherwise be read; `None` when some error is elsewhere.
pub fn skippable(loaded: &Loaded) -> Option<Vec<String>> {
    let mut skipped = BTreeSet::new();
    for d in &loaded.errors {
        let file = d.file.as_deref()?;
        if !is_claim_file(file) {
            return None;
        }
        skipped.insert(file.file_stem()?.to_string_lossy().into_owned());
    }
    (!loaded.partial.is_empty()).then(|| skipped.into_iter().collect())
}

fn is_claim_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "toml")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "sources")
}

/// What the output says about the skipped sources.
pub fn note(skipped: &[String]) -> String {
    let n = skipped.len();
    format!(
        "{n} source{} skipped for errors (--keep-going): {}",
        if n == 1 { "" } else { "s" },
        skipped.join(", ")
    )
}

/// The closing line on standard error.
pub fn summary(skipped: &[String]) -> Diagnostic {
    Diagnostic::warning(note(skipped))
        .with_help("`parallax check` lists every problem; the view shows the other sources")
}

/// A view's JSON with the skipped sources beside its own fields.
#[derive(Serialize)]
pub struct WithSkipped<'a, V: Serialize> {
    #[serde(flatten)]
    pub view: &'a V,
    pub skipped: &'a [String],
}

/// A sink that writes the note about skipped sources right under the title.
pub struct Noting<'a> {
    pub inner: Box<dyn Sink + 'a>,
    pub skipped: Vec<String>,
}

impl Sink for Noting<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.inner.begin(head)?;
        let note = Line::new(vec![Span::styled(note(&self.skipped), Tone::Conflict)]);
        self.inner.paragraph(&note)
    }
    fn heading(&mut self, level: u8, text: &str, anchor: Option<&str>) -> io::Result<()> {
        self.inner.heading(level, text, anchor)
    }
    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        self.inner.paragraph(line)
    }
    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.inner.table_start(columns)
    }
    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        self.inner.row(cells)
    }
    fn plain_row(&mut self, texts: &[&str]) -> io::Result<()> {
        self.inner.plain_row(texts)
    }
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        self.inner.plain_rows(rows)
    }
    fn table_end(&mut self) -> io::Result<()> {
        self.inner.table_end()
    }
    fn plain_table(&mut self, columns: &[Column], rows: &dyn PlainRows) -> io::Result<()> {
        self.inner.plain_table(columns, rows)
    }
    fn chart(&mut self, chart: &Chart) -> io::Result<()> {
        self.inner.chart(chart)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }
    fn data_only(&self) -> bool {
        self.inner.data_only()
    }
}

//! What the formats share: the shape of a row (exactly one cell per column), whether a
//! document uses its reading legend, and the sink that collects blocks into a [`Document`]
//! (for JSON, and for tests).

use std::io;

use super::{Block, Cell, Column, Document, Head, Line, Sink, Table};

/// A row cut or padded with empty cells to `n` cells. A view that breaks the "one cell per
/// column" rule must not break a Markdown table or a LaTeX row.
pub(super) fn fit_row(mut cells: Vec<Cell>, n: usize) -> Vec<Cell> {
    cells.truncate(n);
    cells.resize_with(n, Cell::empty);
    cells
}

/// A row of plain texts as the cells [`Sink::plain_row`] makes of it, fitted to `n`.
pub(super) fn plain_cells(texts: &[&str], n: usize) -> Vec<Cell> {
    fit_row(texts.iter().map(|t| Cell::plain(*t)).collect(), n)
}

/// Appends a row's `n` cells of plain texts between `separator`s: a text `as_is` accepts
/// as it is, any other through `cell` (a missing cell is empty, an extra one dropped).
pub(super) fn push_plain_cells(
    out: &mut String,
    texts: &[&str],
    n: usize,
    separator: &str,
    as_is: impl Fn(&str) -> bool,
    cell: impl Fn(&Cell) -> String,
) {
    for k in 0..n {
        if k > 0 {
            out.push_str(separator);
        }
        match texts.get(k) {
            Some(text) if as_is(text) => out.push_str(text),
            Some(text) => out.push_str(&cell(&Cell::plain(*text))),
            None => {}
        }
    }
}

/// Writes rows of plain texts formatted on every core, `format` writing one row, a few
/// hundred rows to a task, in order.
pub(super) fn write_plain_rows(
    out: &mut dyn io::Write,
    rows: &[&[&str]],
    format: impl Fn(&[&str], &mut String) + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    let parts: Vec<String> = rows
        .par_chunks(64)
        .map(|chunk| {
            let mut text = String::with_capacity(chunk.len() * 96);
            chunk.iter().for_each(|texts| format(texts, &mut text));
            text
        })
        .collect();
    parts
        .iter()
        .try_for_each(|part| out.write_all(part.as_bytes()))
}

/// Whether any span of the document points into the reading legend (only then is a legend
/// worth showing).
pub(super) fn uses_readings(doc: &Document) -> bool {
    let line_uses = |line: &Line| line.spans.iter().any(|s| s.reading.is_some());
    doc.blocks.iter().any(|block| match block {
        Block::Heading(..) => false,
        Block::Paragraph(line) => line_uses(line),
        Block::Table(table) => table
            .rows
            .iter()
            .flatten()
            .any(|cell| cell.lines.iter().any(line_uses)),
    })
}

/// Collects what it is given into a [`Document`].
#[derive(Debug, Default)]
pub struct Collect {
    pub doc: Document,
}

impl Sink for Collect {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.doc.title = head.title.to_owned();
        self.doc.legend = head.legend.to_vec();
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, _anchor: Option<&str>) -> io::Result<()> {
        self.doc.blocks.push(Block::Heading(level, text.to_owned()));
        Ok(())
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        self.doc.blocks.push(Block::Paragraph(line.clone()));
        Ok(())
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.doc.blocks.push(Block::Table(Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }));
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        if let Some(Block::Table(table)) = self.doc.blocks.last_mut() {
            let n = table.columns.len();
            table.rows.push(fit_row(cells, n));
        }
        Ok(())
    }

    fn table_end(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A document as JSON: its blocks collected, then written whole at the end.
pub(super) struct JsonDocument<'w> {
    out: &'w mut dyn io::Write,
    collect: Collect,
}

impl<'w> JsonDocument<'w> {
    pub(super) fn new(out: &'w mut dyn io::Write) -> Self {
        JsonDocument {
            out,
            collect: Collect::default(),
        }
    }
}

impl Sink for JsonDocument<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.collect.begin(head)
    }

    fn heading(&mut self, level: u8, text: &str, anchor: Option<&str>) -> io::Result<()> {
        self.collect.heading(level, text, anchor)
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        self.collect.paragraph(line)
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.collect.table_start(columns)
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        self.collect.row(cells)
    }

    fn table_end(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *self.out, &self.collect.doc)?;
        self.out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::render::{Format, RenderOptions, write_document};

    /// A table of `rows` (some short of cells, some with too many) written through `format`'s
    /// sink, as rows of plain texts (formatted in parallel) or as rows of plain cells.
    fn table(format: Format, rows: &[Vec<String>], plain: bool) -> String {
        let mut out = Vec::new();
        {
            let mut sink = crate::render::open(format, &RenderOptions::default(), &mut out);
            let columns = [
                Column::left("a"),
                Column::right("b").stub(),
                Column::left("c"),
            ];
            sink.begin(&Head {
                title: "t",
                legend: &[],
                uses_legend: false,
                toc: &[],
            })
            .unwrap();
            sink.table_start(&columns).unwrap();
            let texts: Vec<Vec<&str>> = rows
                .iter()
                .map(|r| r.iter().map(String::as_str).collect())
                .collect();
            for chunk in texts.chunks(100) {
                if plain {
                    let refs: Vec<&[&str]> = chunk.iter().map(Vec::as_slice).collect();
                    sink.plain_rows(&refs).unwrap();
                } else {
                    for row in chunk {
                        let cells = row.iter().map(|t| Cell::plain(*t)).collect();
                        sink.row(cells).unwrap();
                    }
                }
            }
            sink.table_end().unwrap();
            sink.finish().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Markdown, HTML and LaTeX write rows of plain texts on every core, the bytes
        /// a row of plain cells gets: escapes, line breaks, missing and extra cells.
        #[test]
        fn plain_rows_are_written_as_rows_of_plain_cells(
            cells in proptest::collection::vec(
                "[a-z0-9 \\-]{0,6}|[<>&|*_#%$\\\\{}~^\"'\n\u{1b}\u{202e}é]{1,4}", 1..40),
            width in 1usize..5,
        ) {
            // enough rows for LaTeX to plan its columns and then stream
            let rows: Vec<Vec<String>> = (0..150)
                .map(|k| (0..1 + (k + width) % 4).map(|c| cells[(k * 3 + c) % cells.len()].clone()).collect())
                .collect();
            for format in [Format::Markdown, Format::Html, Format::Latex] {
                prop_assert_eq!(table(format, &rows, true), table(format, &rows, false));
            }
        }
    }

    #[test]
    fn rows_are_padded_and_cut_to_the_column_count() {
        let table = Table {
            columns: vec![Column::left("a"), Column::left("b")],
            rows: vec![
                vec![Cell::plain("1")],
                vec![Cell::plain("1"), Cell::plain("2"), Cell::plain("3")],
            ],
        };
        let mut collect = Collect::default();
        let doc = Document {
            blocks: vec![Block::Table(table)],
            ..Document::default()
        };
        write_document(&doc, &mut collect).unwrap();
        let Block::Table(t) = &collect.doc.blocks[0] else {
            panic!("a table")
        };
        let shapes: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .collect();
        assert_eq!(shapes, vec![vec!["1", ""], vec!["1", "2"]]);
    }

    #[test]
    fn legend_is_used_only_when_a_span_has_a_reading() {
        let mut doc = crate::render::sample_document();
        assert!(uses_readings(&doc));
        doc.blocks.retain(|b| !matches!(b, Block::Table(_)));
        assert!(!uses_readings(&doc));
    }

    #[test]
    fn collecting_a_document_gives_it_back() {
        let doc = crate::render::sample_document();
        let mut collect = Collect::default();
        write_document(&doc, &mut collect).unwrap();
        assert_eq!(collect.doc.blocks, doc.blocks);
        assert_eq!(collect.doc.title, doc.title);
    }
}

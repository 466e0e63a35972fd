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
    use super::*;
    use crate::render::write_document;

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

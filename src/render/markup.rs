//! The document walk shared by the markup formats (Markdown, HTML, LaTeX): blocks in order,
//! tables as a header and rows of exactly one cell per column. Each format implements only the
//! primitives, so escaping lives in one place per format and the structure in one place for
//! all of them.

use super::{Block, Cell, Column, Document, Line, Table};

/// The pieces a markup format knows how to write. Every `&str`, [`Line`] and [`Cell`] handed
/// over is raw claim text: the format escapes it.
pub(super) trait Markup {
    fn heading(&self, level: u8, text: &str) -> String;
    fn paragraph(&self, line: &Line) -> String;
    fn header_cell(&self, column: &Column) -> String;
    fn cell(&self, cell: &Cell, column: &Column) -> String;
    /// `header` and every row of `rows` have exactly `columns.len()` entries.
    fn table(&self, columns: &[Column], header: Vec<String>, rows: Vec<Vec<String>>) -> String;
    /// The whole output, from the rendered blocks in order.
    fn document(&self, doc: &Document, blocks: Vec<String>) -> String;
}

pub(super) fn render(doc: &Document, format: &impl Markup) -> String {
    let blocks = doc
        .blocks
        .iter()
        .map(|block| match block {
            Block::Heading(level, text) => format.heading(*level, text),
            Block::Paragraph(line) => format.paragraph(line),
            Block::Table(table) => render_table(table, format),
        })
        .collect();
    format.document(doc, blocks)
}

fn render_table(table: &Table, format: &impl Markup) -> String {
    let header = table
        .columns
        .iter()
        .map(|c| format.header_cell(c))
        .collect();
    let rows = rows(table)
        .map(|row| {
            row.iter()
                .zip(&table.columns)
                .map(|(cell, column)| format.cell(cell, column))
                .collect()
        })
        .collect();
    format.table(&table.columns, header, rows)
}

/// The table's rows, each cut or padded with empty cells to the column count. A view that
/// breaks the "one cell per column" rule must not break a Markdown table or a LaTeX row.
pub(super) fn rows(table: &Table) -> impl Iterator<Item = Vec<&Cell>> {
    static EMPTY: Cell = Cell { lines: Vec::new() };
    let n = table.columns.len();
    table.rows.iter().map(move |row| {
        let mut cells: Vec<&Cell> = row.iter().take(n).collect();
        cells.resize(n, &EMPTY);
        cells
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_padded_and_cut_to_the_column_count() {
        let table = Table {
            columns: vec![Column::left("a"), Column::left("b")],
            rows: vec![
                vec![Cell::plain("1")],
                vec![Cell::plain("1"), Cell::plain("2"), Cell::plain("3")],
            ],
        };
        let shapes: Vec<Vec<String>> = rows(&table)
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
}

//! How the terminal lays out a table in a fixed width without breaking a word: an id or a
//! reading (`critique-of-commodification`) is never split across lines.
//!
//! Each column needs at least its longest word (up to [`KEPT_WORD`] columns; a longer token,
//! such as a pasted URL, may be split) plus its padding. When those minimums fit the width,
//! the table is drawn as it is, each column bounded below by its minimum so comfy-table wraps
//! only between words. When they do not:
//!
//! 1. a cross table (its first column [`Column::transpose`]) is drawn the other way round
//!    when that fits (sources as rows rather than columns);
//! 2. a table whose leading columns are stubs ([`Column::stub`]) is split into several
//!    tables of the columns that fit, each repeating the stub columns;
//! 3. otherwise each row is drawn as a small table of its own, one line per column
//!    (name, value), which needs only the widest name and word.

use std::borrow::Cow;

use comfy_table::{
    CellAlignment, ColumnConstraint, ContentArrangement, TableStyle, Width, presets,
};
use unicode_width::UnicodeWidthStr;

use super::table::Painter;
use super::{Align, Cell, Column, sanitize_terminal};

/// Words up to this many columns wide are never split; a longer one may be.
pub(super) const KEPT_WORD: usize = 40;
/// Left and right padding of a cell.
pub(super) const PADDING: usize = 2;

/// A table ready to draw: painted header and cells, and each column's least width.
pub(super) struct Grid {
    pub(super) columns: Vec<Column>,
    pub(super) header: Vec<String>,
    pub(super) rows: Vec<Vec<String>>,
    /// per column: its longest kept word plus padding
    pub(super) least: Vec<usize>,
    /// whether some cell holds more than one line, or will wrap
    pub(super) multiline: bool,
}

/// The column names as the header shows them.
pub(super) fn header(columns: &[Column], paint: &Painter) -> Vec<String> {
    columns
        .iter()
        .map(|c| paint.header(&sanitize_terminal(&c.name)))
        .collect()
}

/// Whether a cell `cell_width` columns wide makes a table of `columns` columns in `width`
/// a table of cells on several lines (drawn with a rule between rows).
pub(super) fn wraps(cell: &str, cell_width: usize, columns: usize, width: usize) -> bool {
    cell.contains('\n') || cell_width + 3 > width / columns.max(1)
}

impl Grid {
    fn new(columns: &[Column], rows: &[Vec<Cell>], paint: &Painter, width: usize) -> Grid {
        let header = header(columns, paint);
        let body: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|cell| {
                        let lines: Vec<String> = cell.lines.iter().map(|l| paint.line(l)).collect();
                        lines.join("\n")
                    })
                    .collect()
            })
            .collect();
        let mut least: Vec<usize> = header.iter().map(|h| longest_word(h) + PADDING).collect();
        let mut multiline = false;
        for row in &body {
            for (i, cell) in row.iter().enumerate() {
                least[i] = least[i].max(longest_word(cell) + PADDING);
                multiline |= wraps(cell, visible_width(cell), columns.len(), width);
            }
        }
        Grid {
            columns: columns.to_vec(),
            header,
            rows: body,
            least,
            multiline,
        }
    }

    /// The width the table needs at least: every column's least width and the borders.
    pub(super) fn needs(&self) -> usize {
        self.least.iter().sum::<usize>() + self.columns.len() + 1
    }

    fn draw(&self, width: usize) -> String {
        self.draw_columns(&(0..self.columns.len()).collect::<Vec<_>>(), width)
    }

    /// The table's style: a rule between rows when a cell takes several lines.
    pub(super) fn style(&self) -> TableStyle {
        let style: TableStyle = if self.multiline {
            presets::UTF8_FULL
        } else {
            presets::UTF8_FULL_CONDENSED
        };
        style.with_rounded_corners()
    }

    /// Draws the given columns (indices) of the table.
    pub(super) fn draw_columns(&self, pick: &[usize], width: usize) -> String {
        let mut out = comfy_table::Table::new();
        out.force_no_tty()
            .load_style(self.style())
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(width).unwrap_or(u16::MAX))
            .set_header(pick.iter().map(|&i| self.header[i].clone()))
            .add_rows(
                self.rows
                    .iter()
                    .map(|row| pick.iter().map(|&i| row[i].clone()).collect::<Vec<_>>()),
            );
        for (k, &i) in pick.iter().enumerate() {
            if let Some(c) = out.column_mut(k) {
                let least = u16::try_from(self.least[i]).unwrap_or(u16::MAX);
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(least)));
                if self.columns[i].align == Align::Right {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        out.to_string()
    }

    /// The table split into tables of the columns that fit, each repeating the leading stub
    /// columns; `None` when not even the stubs and one more column fit.
    fn split(&self, width: usize) -> Option<String> {
        let groups = self.groups(width)?;
        let tables: Vec<String> = groups.iter().map(|g| self.draw_columns(g, width)).collect();
        Some(tables.join("\n\n"))
    }

    /// The columns (indices) of each table of a split: the stubs and the columns that fit
    /// beside them; `None` when not even the stubs and one more column fit.
    pub(super) fn groups(&self, width: usize) -> Option<Vec<Vec<usize>>> {
        let stubs = self.columns.iter().take_while(|c| c.stub).count();
        if stubs == 0 || stubs == self.columns.len() {
            return None;
        }
        let base: usize = self.least[..stubs].iter().sum::<usize>() + stubs + 1;
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut used = base;
        for i in stubs..self.columns.len() {
            let need = self.least[i] + 1;
            if base + need > width {
                return None;
            }
            match groups.last_mut() {
                Some(group) if used + need <= width => group.push(i),
                _ => {
                    groups.push((0..stubs).chain([i]).collect());
                    used = base;
                }
            }
            used += need;
        }
        Some(groups)
    }

    /// Each row as a small table of its own: a line per column, its name and its value.
    fn records(&self, width: usize) -> String {
        let tables: Vec<String> = self
            .rows
            .iter()
            .map(|row| record(&self.header, row, width))
            .collect();
        tables.join("\n\n")
    }
}

/// A row as a small table of its own: a line per column, its name (`names`, painted) and
/// its value.
pub(super) fn record(names: &[String], row: &[String], width: usize) -> String {
    let name_width = names.iter().map(|n| longest_word(n)).max().unwrap_or(1) + PADDING;
    let mut table = comfy_table::Table::new();
    table
        .force_no_tty()
        .load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(u16::try_from(width).unwrap_or(u16::MAX))
        .add_rows(
            names
                .iter()
                .zip(row)
                .map(|(n, v)| vec![n.clone(), v.clone()]),
        );
    if let Some(c) = table.column_mut(0) {
        let least = u16::try_from(name_width).unwrap_or(u16::MAX);
        c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(least)));
    }
    table.to_string()
}

/// Draws a table in `width` columns of terminal without splitting a word (see the module
/// documentation for how).
pub(super) fn draw(
    columns: &[Column],
    rows: &[Vec<Cell>],
    paint: &Painter,
    width: usize,
) -> String {
    if columns.is_empty() {
        return String::new();
    }
    let grid = Grid::new(columns, rows, paint, width);
    if grid.needs() <= width {
        return grid.draw(width);
    }
    let mut base = grid;
    if let Some(name) = &columns[0].transpose {
        let (t_columns, t_rows) = transpose(columns, rows, name);
        let turned = Grid::new(&t_columns, &t_rows, paint, width);
        if turned.needs() <= width {
            return turned.draw(width);
        }
        if turned.columns.len() < base.columns.len() {
            base = turned;
        }
    }
    base.split(width).unwrap_or_else(|| base.records(width))
}

/// A cross table the other way round: its rows become columns, headed by their first cell,
/// and its columns rows; `name` heads the new first column.
fn transpose(columns: &[Column], rows: &[Vec<Cell>], name: &str) -> (Vec<Column>, Vec<Vec<Cell>>) {
    let mut t_columns = vec![
        Column::left(name)
            .stub()
            .transposable(columns[0].name.clone()),
    ];
    t_columns.extend(rows.iter().map(|row| {
        Column::left(
            row.first()
                .map(Cell::text)
                .unwrap_or_default()
                .replace('\n', " "),
        )
    }));
    let t_rows = (1..columns.len())
        .map(|j| {
            let mut row = vec![Cell::plain(columns[j].name.clone())];
            row.extend(rows.iter().map(|r| r.get(j).cloned().unwrap_or_default()));
            row
        })
        .collect();
    (t_columns, t_rows)
}

/// The display width of painted text: our SGR sequences take no room.
pub(super) fn visible_width(text: &str) -> usize {
    text.split('\n')
        .map(|line| strip_sgr(line).width())
        .max()
        .unwrap_or(0)
}

/// The widest word of painted text, among words of at most [`KEPT_WORD`] columns.
pub(super) fn longest_word(text: &str) -> usize {
    strip_sgr(text)
        .split_whitespace()
        .map(UnicodeWidthStr::width)
        .filter(|&w| w <= KEPT_WORD)
        .max()
        .unwrap_or(1)
}

/// Text without the SGR sequences (`ESC [ … m`) the painter writes. Claim text cannot hold
/// an ESC: sanitising has replaced it with a visible symbol.
fn strip_sgr(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match rest.find('m') {
            Some(end) if rest.starts_with('[') => rest = &rest[end + 1..],
            _ => {}
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

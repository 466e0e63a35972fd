//! A long table in the terminal, drawn as its rows are made. The terminal sizes its columns
//! from every row, and a table that grows with the square of the corpus (the pairs of
//! sources) cannot be held, so its rows ([`PlainRows`]) are read twice: once to measure
//! them, once to draw them. A table of at most [`HOLD_ROWS`] rows is held and drawn whole,
//! as every other table is.
//!
//! A long table is laid out by comfy-table as a stand-in: the header and, for each column,
//! the row holding its widest cell, each column bounded below by its longest word over
//! every row ([`table_layout`]). When the widest cells fit the width, those are the widths
//! comfy-table gives the whole table (its widths then depend on nothing else), so the
//! table is the one drawn whole. Each row is then written in those widths: a row of
//! one-line cells that fit directly, any other row by comfy-table in the same widths.
//! A table too wide even for its longest words is split, or drawn a record per row, as
//! [`table_layout`] does.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Width};
use rayon::prelude::*;

use super::table::Painter;
use super::table_layout::{self, Grid, KEPT_WORD, PADDING, longest_word, visible_width, wraps};
use super::{Align, Cell, Column, PlainRows, sanitize_terminal};

/// Tables of at most this many rows are held and drawn whole.
pub(super) const HOLD_ROWS: usize = 1_000;

/// A plain text as the terminal shows it: printable ASCII as it is, anything else
/// sanitised.
fn painted(text: &str) -> Cow<'_, str> {
    if printable_ascii(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(sanitize_terminal(text))
    }
}

fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// [`visible_width`], a byte a column where the text is printable ASCII.
fn width_of(text: &str) -> usize {
    if printable_ascii(text) {
        text.len()
    } else {
        visible_width(text)
    }
}

/// [`longest_word`], words split at spaces where the text is printable ASCII.
fn longest_word_of(text: &str) -> usize {
    if printable_ascii(text) {
        (text.split(' ').map(str::len))
            .filter(|&w| w > 0 && w <= KEPT_WORD)
            .max()
            .unwrap_or(1)
    } else {
        longest_word(text)
    }
}

/// Row `texts` cut or padded to `n` cells, as the terminal shows them.
fn painted_row<'a>(texts: &[&'a str], n: usize) -> Vec<Cow<'a, str>> {
    (0..n)
        .map(|k| painted(texts.get(k).copied().unwrap_or("")))
        .collect()
}

/// What the first reading of a table's rows learns.
pub(super) enum Measured {
    /// a short table: its rows, to draw whole
    Held(Vec<Vec<Cell>>),
    /// a long one: what drawing it takes
    Long(Measure),
}

pub(super) struct Measure {
    header: Vec<String>,
    /// per column: its longest kept word plus padding, over the header and every row
    least: Vec<usize>,
    /// per column: the width of its widest cell and the row (its number and cells) holding it
    widest: Vec<(usize, usize, Vec<String>)>,
    /// whether some cell holds more than one line, or will wrap
    multiline: bool,
}

/// Reads the rows once: holds them while there are at most [`HOLD_ROWS`], and measures
/// every one.
pub(super) fn measure(
    columns: &[Column],
    rows: &dyn PlainRows,
    paint: &Painter,
    width: usize,
) -> io::Result<Measured> {
    let n = columns.len();
    let header = table_layout::header(columns, paint);
    let mut m = Measure {
        least: header.iter().map(|h| longest_word(h) + PADDING).collect(),
        header,
        widest: vec![(0, usize::MAX, Vec::new()); n],
        multiline: false,
    };
    let mut held = Some(Vec::new());
    let mut count = 0;
    rows.each_batch(&mut |batch| {
        // each run of rows measured on a core of its own, the runs then merged in order
        let runs: Vec<Run> = batch
            .par_chunks(64)
            .enumerate()
            .map(|(k, chunk)| Run::of(chunk, count + 64 * k, n, width))
            .collect();
        for run in runs {
            m.merge(run);
        }
        count += batch.len();
        if count > HOLD_ROWS {
            held = None;
        }
        if let Some(held) = &mut held {
            held.extend(batch.iter().map(|texts| {
                (0..n)
                    .map(|k| Cell::plain(texts.get(k).copied().unwrap_or("")))
                    .collect()
            }));
        }
        Ok(())
    })?;
    Ok(match held {
        Some(rows) => Measured::Held(rows),
        None => Measured::Long(m),
    })
}

/// What a run of rows measures: per column its longest kept word plus padding and its
/// widest cell (width, row number, row), and whether a cell wraps.
struct Run {
    least: Vec<usize>,
    widest: Vec<(usize, usize, Vec<String>)>,
    multiline: bool,
}

impl Run {
    /// The rows `chunk`, the first numbered `first`, in a table of `n` columns.
    fn of(chunk: &[&[&str]], first: usize, n: usize, width: usize) -> Run {
        let mut run = Run {
            least: vec![0; n],
            widest: vec![(0, usize::MAX, Vec::new()); n],
            multiline: false,
        };
        for (number, texts) in (first..).zip(chunk) {
            let cells = painted_row(texts, n);
            for (k, cell) in cells.iter().enumerate() {
                let w = width_of(cell);
                run.least[k] = run.least[k].max(longest_word_of(cell) + PADDING);
                run.multiline |= wraps(cell, w, n, width);
                let widest = &mut run.widest[k];
                if w > widest.0 || widest.1 == usize::MAX {
                    *widest = (w, number, cells.iter().map(|c| c.to_string()).collect());
                }
            }
        }
        run
    }
}

impl Measure {
    /// Takes in the run of rows after those measured: a widest cell stays the first of
    /// its width.
    fn merge(&mut self, run: Run) {
        for (least, l) in self.least.iter_mut().zip(run.least) {
            *least = (*least).max(l);
        }
        self.multiline |= run.multiline;
        for (widest, w) in self.widest.iter_mut().zip(run.widest) {
            if w.1 != usize::MAX && (w.0 > widest.0 || widest.1 == usize::MAX) {
                *widest = w;
            }
        }
    }

    /// The stand-in comfy-table lays out: the header and each column's widest row, in
    /// the table's order.
    fn stand_in(&self, columns: &[Column]) -> Grid {
        let mut picked: Vec<&(usize, usize, Vec<String>)> = self.widest.iter().collect();
        picked.sort_by_key(|w| w.1);
        picked.dedup_by_key(|w| w.1);
        Grid {
            columns: columns.to_vec(),
            header: self.header.clone(),
            rows: picked.into_iter().map(|w| w.2.clone()).collect(),
            least: self.least.clone(),
            multiline: self.multiline,
        }
    }
}

/// Draws a long table from a second reading of its rows, each line ending in a newline.
pub(super) fn write(
    out: &mut dyn Write,
    columns: &[Column],
    rows: &dyn PlainRows,
    m: &Measure,
    width: usize,
) -> io::Result<()> {
    let grid = m.stand_in(columns);
    if grid.needs() <= width {
        let all: Vec<usize> = (0..columns.len()).collect();
        return write_columns(out, &grid, &all, rows, width);
    }
    if let Some(groups) = grid.groups(width) {
        for (k, group) in groups.iter().enumerate() {
            if k > 0 {
                out.write_all(b"\n")?;
            }
            write_columns(out, &grid, group, rows, width)?;
        }
        return Ok(());
    }
    let mut first = true;
    rows.each_batch(&mut |batch| {
        let mut buf = String::new();
        for texts in batch {
            if !first {
                buf.push('\n');
            }
            first = false;
            let cells: Vec<String> = painted_row(texts, columns.len())
                .into_iter()
                .map(Cow::into_owned)
                .collect();
            buf.push_str(&table_layout::record(&grid.header, &cells, width));
            buf.push('\n');
        }
        out.write_all(buf.as_bytes())
    })
}

/// Draws the columns `pick` of the table: the stand-in's top border and header, then every
/// row in the stand-in's column widths, then its bottom border.
fn write_columns(
    out: &mut dyn Write,
    grid: &Grid,
    pick: &[usize],
    rows: &dyn PlainRows,
    width: usize,
) -> io::Result<()> {
    let stand_in = grid.draw_columns(pick, width);
    let lines: Vec<&str> = stand_in.lines().collect();
    let top = lines.first().copied().unwrap_or_default();
    let layout = Layout {
        widths: border_widths(top),
        aligns: pick.iter().map(|&i| grid.columns[i].align).collect(),
        rule: grid.multiline.then(|| rule(&border_widths(top))),
        grid,
        width,
    };
    let header_end = lines.iter().position(|l| l.starts_with('╞')).unwrap_or(0);
    for line in &lines[..=header_end] {
        writeln!(out, "{line}")?;
    }
    // a rule goes before every row but the first
    let mut skip = layout.rule.as_ref().map_or(0, |rule| rule.len() + 1);
    rows.each_batch(&mut |batch| {
        let parts: Vec<String> = batch
            .par_chunks(64)
            .map(|chunk| {
                let mut buf = String::with_capacity(chunk.len() * 128);
                for texts in chunk {
                    if let Some(rule) = &layout.rule {
                        buf.push_str(rule);
                        buf.push('\n');
                    }
                    let cells: Vec<Cow<str>> = pick
                        .iter()
                        .map(|&i| painted(texts.get(i).copied().unwrap_or("")))
                        .collect();
                    layout.row(&mut buf, &cells);
                }
                buf
            })
            .collect();
        parts.iter().try_for_each(|part| {
            let from = std::mem::take(&mut skip).min(part.len());
            out.write_all(&part.as_bytes()[from..])
        })
    })?;
    if let Some(bottom) = lines.last() {
        writeln!(out, "{bottom}")?;
    }
    Ok(())
}

/// Appends `n` spaces.
fn pad(buf: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        buf.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The widths of a table's columns, padding included, read from its top border
/// (`╭──┬───╮`).
fn border_widths(top: &str) -> Vec<usize> {
    let inner: Vec<char> = top.chars().collect();
    let inner = &inner[1.min(inner.len())..inner.len().saturating_sub(1)];
    inner.split(|&c| c == '┬').map(<[char]>::len).collect()
}

/// The rule between rows of a table of cells on several lines (`├╌╌┼╌╌╌┤`).
fn rule(widths: &[usize]) -> String {
    let parts: Vec<String> = widths.iter().map(|&w| "╌".repeat(w)).collect();
    format!("├{}┤", parts.join("┼"))
}

/// The column widths and alignments rows are written in.
struct Layout<'a> {
    widths: Vec<usize>,
    aligns: Vec<Align>,
    rule: Option<String>,
    grid: &'a Grid,
    width: usize,
}

impl Layout<'_> {
    /// Appends a row's lines: directly when each cell is one line that fits its column,
    /// else drawn by comfy-table in the same widths.
    fn row(&self, buf: &mut String, cells: &[Cow<str>]) {
        let widths: Vec<usize> = cells.iter().map(|cell| width_of(cell)).collect();
        let fits = (cells.iter().zip(&widths).zip(&self.widths))
            .all(|((cell, &cw), &w)| cw + PADDING <= w && !cell.contains('\n'));
        if !fits {
            return self.drawn_row(buf, cells);
        }
        buf.push('│');
        let columns = cells
            .iter()
            .zip(&widths)
            .zip(&self.widths)
            .zip(&self.aligns);
        for (k, (((cell, &cw), &w), align)) in columns.enumerate() {
            if k > 0 {
                buf.push('┆');
            }
            let room = w - PADDING - cw;
            buf.push(' ');
            if *align == Align::Right {
                pad(buf, room);
            }
            buf.push_str(cell);
            if *align == Align::Left {
                pad(buf, room);
            }
            buf.push(' ');
        }
        buf.push_str("│\n");
    }

    /// A row drawn by comfy-table as a table of its own, without its borders.
    fn drawn_row(&self, buf: &mut String, cells: &[Cow<str>]) {
        let mut table = comfy_table::Table::new();
        table
            .force_no_tty()
            .load_style(self.grid.style())
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(self.width).unwrap_or(u16::MAX))
            .add_row(cells.iter().map(|c| c.to_string()));
        for (k, (&w, align)) in self.widths.iter().zip(&self.aligns).enumerate() {
            if let Some(c) = table.column_mut(k) {
                let w = u16::try_from(w).unwrap_or(u16::MAX);
                c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
                if *align == Align::Right {
                    c.set_cell_alignment(CellAlignment::Right);
                }
            }
        }
        let drawn = table.to_string();
        let lines: Vec<&str> = drawn.lines().collect();
        for line in lines.iter().take(lines.len().saturating_sub(1)).skip(1) {
            buf.push_str(line);
            buf.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::render::table::Terminal;
    use crate::render::{RenderOptions, Sink};

    /// Rows held in memory, handed over in batches of 97.
    struct Held(Vec<Vec<String>>);

    impl PlainRows for Held {
        fn each_batch(&self, take: &mut dyn FnMut(&[&[&str]]) -> io::Result<()>) -> io::Result<()> {
            self.0.chunks(97).try_for_each(|chunk| {
                let rows: Vec<Vec<&str>> = chunk
                    .iter()
                    .map(|r| r.iter().map(String::as_str).collect())
                    .collect();
                let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
                take(&refs)
            })
        }
    }

    fn columns() -> Vec<Column> {
        let mut columns = vec![Column::left("left"), Column::left("right")];
        columns.extend(["shared", "agree", "mean jaccard"].map(Column::right));
        columns
    }

    /// The table as the terminal draws it: given whole (`streamed` false) or as rows it
    /// may read twice.
    fn drawn(columns: &[Column], rows: &Held, width: u16, streamed: bool) -> String {
        let mut out = Vec::new();
        let opts = RenderOptions {
            color: false,
            width,
            raw_csv: false,
        };
        let mut sink = Terminal::new(&mut out, &opts);
        sink.paragraph(&crate::render::Line::plain("before"))
            .unwrap();
        if streamed {
            sink.plain_table(columns, rows).unwrap();
        } else {
            sink.table_start(columns).unwrap();
            rows.each_batch(&mut |batch| batch.iter().try_for_each(|r| sink.plain_row(r)))
                .unwrap();
            sink.table_end().unwrap();
        }
        sink.paragraph(&crate::render::Line::plain("after"))
            .unwrap();
        sink.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    /// `n` rows of source names and figures, some names long, one with a character the
    /// terminal must not see raw.
    fn pair_rows(n: usize, long: usize) -> Held {
        Held(
            (0..n)
                .map(|k| {
                    let name = if k % 37 == 5 {
                        format!("source-{k}-{}", "x".repeat(long))
                    } else if k == 7 {
                        "s\u{1b}[31m-é".to_string()
                    } else {
                        format!("s-{k}")
                    };
                    vec![
                        name,
                        format!("r-{}", k * 7),
                        (k % 50).to_string(),
                        (k % 9).to_string(),
                        if k % 11 == 0 {
                            "n/a".into()
                        } else {
                            format!("0.{:03}", k % 1000)
                        },
                    ]
                })
                .collect(),
        )
    }

    #[test]
    fn a_long_table_is_drawn_as_the_whole_table_is() {
        let rows = pair_rows(HOLD_ROWS + 500, 8);
        for width in [30, 44, 52, 60, 80, 100, 140] {
            let whole = drawn(&columns(), &rows, width, false);
            let streamed = drawn(&columns(), &rows, width, true);
            if streamed != whole {
                std::fs::write(format!("/tmp/ts-whole-{width}"), &whole).unwrap();
                std::fs::write(format!("/tmp/ts-streamed-{width}"), &streamed).unwrap();
            }
            assert_eq!(streamed, whole, "width {width}");
        }
    }

    #[test]
    fn cells_that_wrap_keep_every_line_of_the_table_as_wide() {
        let rows = pair_rows(HOLD_ROWS + 200, 60);
        for width in [60, 80, 100] {
            let streamed = drawn(&columns(), &rows, width, true);
            let table: Vec<&str> = streamed
                .lines()
                .filter(|l| l.starts_with(['│', '├', '╭', '╰', '╞']))
                .collect();
            let widths: Vec<usize> = table.iter().map(|l| visible_width(l)).collect();
            assert!(
                widths
                    .iter()
                    .all(|&w| w == widths[0] && w <= usize::from(width))
            );
            // every row is there, in order
            let names: Vec<&str> = streamed
                .lines()
                .filter_map(|l| l.strip_prefix("│ s-"))
                .filter_map(|l| l.split(' ').next())
                .collect();
            let expected: Vec<String> = (0..rows.0.len())
                .filter(|k| k % 37 != 5 && *k != 7)
                .map(|k| k.to_string())
                .collect();
            assert_eq!(names, expected);
            assert!(!streamed.contains('\u{1b}'));
            assert!(streamed.contains("s␛[31m-é"));
        }
    }

    #[test]
    fn a_short_table_is_held_and_drawn_whole() {
        let rows = pair_rows(HOLD_ROWS, 8);
        assert_eq!(
            drawn(&columns(), &rows, 100, true),
            drawn(&columns(), &rows, 100, false)
        );
        let mut painter_rows = 0;
        let paint = Painter { color: false };
        if let Measured::Held(held) = measure(&columns(), &rows, &paint, 100).unwrap() {
            painter_rows = held.len();
        }
        assert_eq!(painter_rows, HOLD_ROWS);
        let longer = pair_rows(HOLD_ROWS + 1, 8);
        assert!(matches!(
            measure(&columns(), &longer, &paint, 100).unwrap(),
            Measured::Long(_)
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        /// Rows of short words, some several to a cell: where the widest cells fit the
        /// width (nothing wraps but what must), the streamed table is the table drawn whole.
        #[test]
        fn streamed_tables_are_the_tables_drawn_whole(
            words in proptest::collection::vec("[a-z]{1,9}( [a-z]{1,6}){0,2}", 5..40),
            width in 24u16..200,
        ) {
            let rows = Held(
                (0..HOLD_ROWS + 3)
                    .map(|k| (0..5).map(|c| words[(k * 7 + c * 3) % words.len()].clone()).collect())
                    .collect(),
            );
            let needs: usize = columns()
                .iter()
                .enumerate()
                .map(|(c, column)| {
                    let cells = rows.0.iter().map(|r| r[c].len());
                    cells.chain([column.name.len()]).max().unwrap_or(0) + 3
                })
                .sum::<usize>()
                + 1;
            prop_assume!(needs <= usize::from(width));
            let (streamed, whole) = (drawn(&columns(), &rows, width, true), drawn(&columns(), &rows, width, false));
            prop_assert!(streamed == whole, "width {}: streamed\n{}\nwhole\n{}", width, &streamed[..2000.min(streamed.len())], &whole[..2000.min(whole.len())]);
        }
    }
}

//! The CSV format (`--format csv`): one table, written by the `csv` crate with RFC 4180
//! quoting and `\r\n` record terminators: a header row of column names, then one record per
//! row, written as the rows come. The table is a document's data table
//! ([`Document::csv`](super::Document::csv)) when the view gives one, else its first table; a
//! document without a table writes nothing at all.
//!
//! A cell's lines are joined by `\n` inside one quoted field, and a quote line is wrapped in
//! “…” as in every other text format. Cell text goes through [`sanitize_terminal`] (CSV is often
//! printed to a terminal, SECURITY.md), so control characters are replaced visibly, a tab becomes a
//! space and a `\r` a `\n`.
//!
//! **Formula neutralisation** (SECURITY.md, the OWASP "CSV injection" recommendation): unless
//! `raw_csv` is set, a field whose original text starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'`, which spreadsheets take as "this is text" and do not
//! show. So does one starting with a line feed or with the full-width `＝ ＋ － ＠`, which some
//! spreadsheets also read as a formula start. The trigger is looked for past any leading
//! white space and invisible characters (zero-width spaces, bidi controls, a byte-order mark,
//! tag characters: [`is_invisible`]), which a spreadsheet may skip or drop while a reader
//! cannot see them. One exception: a field that is entirely a plain decimal number (`-0.25`,
//! `+1`, `1e-3`) is left alone, because a number is never a formula and agreement tables are
//! full of negative numbers. Header names follow the same rule.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;

use super::markup::fit_row;
use super::table::is_invisible;
use super::{Cell, Column, Head, Line, LineKind, RenderOptions, Sink, sanitize_terminal};

/// Where the CSV sink is: before its table, inside it (with its column count), or past it.
enum State {
    Before,
    In(usize),
    Done,
}

/// Writes the first table it is given, row by row; every other block is left out.
pub(super) struct Csv<'w> {
    /// `None` only once a write has failed
    writer: Option<::csv::Writer<&'w mut dyn Write>>,
    raw: bool,
    state: State,
}

impl<'w> Csv<'w> {
    pub(super) fn new(out: &'w mut dyn Write, opts: &RenderOptions) -> Self {
        Csv {
            writer: Some(builder().from_writer(out)),
            raw: opts.raw_csv,
            state: State::Before,
        }
    }

    /// The CSV writer, unless an earlier write failed.
    fn writer(&mut self) -> io::Result<&mut ::csv::Writer<&'w mut dyn Write>> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the CSV output failed earlier"))
    }

    /// Writes a record (with no fields: ends the one written field by field).
    fn write<T: AsRef<[u8]>>(&mut self, record: impl IntoIterator<Item = T>) -> io::Result<()> {
        self.writer()?.write_record(record).map_err(io_error)
    }
}

impl Sink for Csv<'_> {
    fn begin(&mut self, _head: &Head) -> io::Result<()> {
        Ok(())
    }

    fn heading(&mut self, _level: u8, _text: &str, _anchor: Option<&str>) -> io::Result<()> {
        Ok(())
    }

    fn paragraph(&mut self, _line: &Line) -> io::Result<()> {
        Ok(())
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        // a table without columns has no CSV form; the next table may still be written
        if !matches!(self.state, State::Before) || columns.is_empty() {
            return Ok(());
        }
        let header: Vec<Cow<str>> = columns.iter().map(|c| field(self.raw, &c.name)).collect();
        self.write(header.iter().map(|f| f.as_bytes()))?;
        self.state = State::In(columns.len());
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        let State::In(n) = self.state else {
            return Ok(());
        };
        let record: Vec<String> = fit_row(cells, n)
            .iter()
            .map(|c| field(self.raw, &cell_text(c)).into_owned())
            .collect();
        self.write(&record)
    }

    fn plain_row(&mut self, texts: &[&str]) -> io::Result<()> {
        let State::In(n) = self.state else {
            return Ok(());
        };
        let raw = self.raw;
        write_plain(self.writer()?, raw, n, texts)
    }

    /// Rows are formatted in parallel, a few hundred to a buffer, and written in order.
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        let State::In(n) = self.state else {
            return Ok(());
        };
        let raw = self.raw;
        let parts: Vec<Vec<u8>> = rows
            .par_chunks(256)
            .map(|chunk| {
                let mut w = builder().from_writer(Vec::with_capacity(chunk.len() * 128));
                for texts in chunk {
                    write_plain(&mut w, raw, n, texts)?;
                }
                w.into_inner().map_err(|e| io::Error::other(e.to_string()))
            })
            .collect::<io::Result<_>>()?;
        // the formatted bytes go where the writer writes, after what it holds
        let Some(writer) = self.writer.take() else {
            return Err(io::Error::other("the CSV output failed earlier"));
        };
        let out = writer.into_inner().map_err(|e| e.into_error())?;
        for part in &parts {
            out.write_all(part)?;
        }
        self.writer = Some(builder().from_writer(out));
        Ok(())
    }

    fn table_end(&mut self) -> io::Result<()> {
        if let State::In(_) = self.state {
            self.state = State::Done;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }

    fn data_only(&self) -> bool {
        true
    }
}

/// How every CSV of parallax is written: RFC 4180 quoting, `\r\n` after each record.
fn builder() -> ::csv::WriterBuilder {
    let mut builder = ::csv::WriterBuilder::new();
    builder.terminator(::csv::Terminator::CRLF);
    builder
}

/// A field as written: sanitised, and neutralised when a spreadsheet would run it (unless
/// `raw`).
fn field(raw: bool, text: &str) -> Cow<'_, str> {
    // printable ASCII is what sanitising leaves as it is: most fields, kept borrowed
    let clean = if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(sanitize_terminal(text))
    };
    let formula = |clean: &str| is_formula(text) || (clean != text && is_formula(clean));
    if !raw && formula(&clean) {
        Cow::Owned(format!("'{clean}"))
    } else {
        clean
    }
}

/// A row of `n` plain texts, field by field into the writer's buffer: no cell, no record
/// is built.
fn write_plain<W: Write>(
    w: &mut ::csv::Writer<W>,
    raw: bool,
    n: usize,
    texts: &[&str],
) -> io::Result<()> {
    for i in 0..n {
        let text = field(raw, texts.get(i).copied().unwrap_or_default());
        w.write_field(text.as_bytes()).map_err(io_error)?;
    }
    w.write_record(std::iter::empty::<&[u8]>())
        .map_err(io_error)
}

/// A CSV error as an I/O error. An I/O error comes back as it was (a closed pipe must stay
/// a closed pipe, which ends quietly).
fn io_error(e: ::csv::Error) -> io::Error {
    match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The cell as one field: lines joined by `\n`, quotes in “…”, no styling.
fn cell_text(cell: &Cell) -> String {
    // most cells are one plain span: no joining
    if let [line] = cell.lines.as_slice()
        && line.kind == LineKind::Normal
        && let [span] = line.spans.as_slice()
    {
        return span.text.clone();
    }
    cell.lines
        .iter()
        .map(|line| match line.kind {
            LineKind::Normal => line.text(),
            LineKind::Quote => format!("“{}”", line.text()),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a spreadsheet could run the field as a formula (or a DDE command): its first
/// character that is neither white space nor invisible is a formula sign, or it starts with
/// a tab or a line break.
fn is_formula(text: &str) -> bool {
    const SIGNS: [char; 8] = [
        '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ];
    // a visible ASCII character other than a sign starts most fields: no formula
    if text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_graphic() && !matches!(b, b'=' | b'+' | b'-' | b'@'))
    {
        return false;
    }
    if is_number(text) {
        return false;
    }
    let visible = text.trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c));
    text.starts_with(['\t', '\r', '\n']) || visible.starts_with(SIGNS)
}

/// A plain decimal number: optional sign, digits with an optional fraction, optional
/// exponent. Deliberately narrower than `f64::from_str` (no `inf`, `NaN`).
fn is_number(text: &str) -> bool {
    let s = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (s, None),
    };
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| !e.is_empty() && digits(e));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Block, Document, Format, Table, hostile_document, sample_document};

    fn render(doc: &Document, opts: &RenderOptions) -> String {
        crate::render::render(doc, Format::Csv, opts)
    }

    fn read(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut reader = ::csv::Reader::from_reader(out.as_bytes());
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let records = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (header, records)
    }

    #[test]
    fn sample() {
        let out = render(&sample_document(), &RenderOptions::default());
        assert!(out.ends_with("\r\n"));
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @r#"
            scene,ending-explained,car-scene-tears,verdict
            car-encounter,"✓ Transaction
            “she repays him”",✗ Transaction,conflict
            tears,no claim,? Reclaimed power,only-right
            "#);
    }

    #[test]
    fn hostile_reads_back_and_formulas_are_neutralised() {
        let doc = hostile_document();
        let table = doc.tables().next().unwrap();
        let out = render(&doc, &RenderOptions::default());
        let (header, records) = read(&out);

        let check = |original: &str, written: &str| {
            let clean = sanitize_terminal(original);
            if is_formula(original) {
                assert_eq!(
                    written.strip_prefix('\''),
                    Some(clean.as_str()),
                    "{original:?}"
                );
            } else {
                assert_eq!(written, clean);
            }
            // What a spreadsheet would see as the first character is never a formula trigger.
            assert!(!written.starts_with(['=', '+', '@', '\t', '\r']) || is_number(written));
            assert!(!written.starts_with('-') || is_number(written));
        };
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(header.len(), names.len());
        for (name, written) in names.iter().zip(&header) {
            check(name, written);
        }
        assert_eq!(records.len(), table.rows.len());
        for (row, record) in table.rows.iter().zip(&records) {
            assert_eq!(record.len(), row.len());
            for (cell, written) in row.iter().zip(record) {
                check(&cell_text(cell), written);
            }
        }
        assert_eq!(records[0][3], "'=HYPERLINK(\"http://x\")");
        assert_eq!(records[0][2], "-0.25");
        assert_eq!(records[2][2], "'@SUM(A1)");
        assert_eq!(records[3][2], "' TAB");
        assert_eq!(records[4][0], "'\nCR");
        assert_eq!(records[1][1], "first line\nsecond line\nthird *line*");
        assert!(records[2][0].starts_with("“All work") && records[2][0].ends_with("girl. ”"));
        assert!(!out.contains('\x1b') && !out.contains('\x07'));
    }

    #[test]
    fn raw_csv_keeps_formulas() {
        let opts = RenderOptions {
            raw_csv: true,
            ..RenderOptions::default()
        };
        let (header, records) = read(&render(&hostile_document(), &opts));
        assert_eq!(header[3], "=right");
        assert_eq!(records[0][3], "=HYPERLINK(\"http://x\")");
    }

    #[test]
    fn which_table_is_written() {
        let mut doc = sample_document();
        assert!(render(&doc, &RenderOptions::default()).starts_with("scene,"));
        doc.csv = Some(Table {
            columns: vec![Column::left("only")],
            rows: vec![vec![Cell::plain("x")]],
        });
        assert_eq!(render(&doc, &RenderOptions::default()), "only\r\nx\r\n");
        doc.csv = None;
        doc.blocks.retain(|b| !matches!(b, Block::Table(_)));
        assert_eq!(render(&doc, &RenderOptions::default()), "");
    }

    #[test]
    fn formulas_behind_invisible_characters_are_neutralised() {
        for hidden in [
            "\u{200b}=HYPERLINK(\"http://x\")",
            "\u{202e}+1+1",
            "\u{feff}-1+cmd",
            "\u{e0041}\u{e0042}@SUM(A1)",
            "\u{2060}\u{200d} =1",
            " \u{a0}=1",
            "\u{3000}＝1",
        ] {
            assert!(is_formula(hidden), "{hidden:?}");
            let doc = Document {
                csv: Some(Table {
                    columns: vec![Column::left("c")],
                    rows: vec![vec![Cell::plain(hidden)]],
                }),
                ..Document::default()
            };
            let (_, records) = read(&render(&doc, &RenderOptions::default()));
            assert!(
                records[0][0].starts_with('\''),
                "{hidden:?}: {:?}",
                records[0][0]
            );
        }
        assert!(!is_formula("\u{200b}plain"));
        assert!(!is_formula(" a=1"));
    }

    #[test]
    fn numbers_are_not_formulas() {
        for n in ["-0.25", "+1", "-1e-3", "-.5", "-3.", "12"] {
            assert!(is_number(n), "{n}");
            assert!(!is_formula(n), "{n}");
        }
        for f in [
            "-", "+", "-e5", "-1+1", "-inf", "-NaN", "=1", "@A1", "-1e", "--1", "- 1",
        ] {
            assert!(!is_number(f), "{f}");
            assert!(is_formula(f), "{f}");
        }
    }

    fn written(texts: &[String], plain: bool) -> String {
        let mut out = Vec::new();
        let mut sink = Csv::new(&mut out, &RenderOptions::default());
        sink.table_start(&[Column::left("a"), Column::left("b"), Column::left("c")])
            .unwrap();
        if plain {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            sink.plain_row(&refs).unwrap();
        } else {
            sink.row(texts.iter().map(|t| Cell::plain(t.as_str())).collect())
                .unwrap();
        }
        sink.finish().unwrap();
        drop(sink);
        String::from_utf8(out).unwrap()
    }

    /// The rows written one by one, or all at once (formatted in parallel).
    fn written_rows(rows: &[Vec<String>], at_once: bool) -> String {
        let mut out = Vec::new();
        let mut sink = Csv::new(&mut out, &RenderOptions::default());
        sink.table_start(&[Column::left("a"), Column::left("b")])
            .unwrap();
        let refs: Vec<Vec<&str>> = (rows.iter())
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        if at_once {
            sink.plain_row(&["first"]).unwrap();
            sink.plain_rows(&slices).unwrap();
            sink.plain_row(&["last"]).unwrap();
        } else {
            sink.plain_row(&["first"]).unwrap();
            for texts in &slices {
                sink.plain_row(texts).unwrap();
            }
            sink.plain_row(&["last"]).unwrap();
        }
        sink.finish().unwrap();
        drop(sink);
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        /// Rows handed over at once are written in order, as one at a time would be,
        /// between rows written one by one.
        #[test]
        fn rows_at_once_are_written_in_order(
            rows in proptest::collection::vec(
                proptest::collection::vec("[=a-z,\"\n ]{0,6}", 0..4), 0..700),
        ) {
            proptest::prop_assert_eq!(written_rows(&rows, true), written_rows(&rows, false));
        }
    }

    proptest::proptest! {
        /// The fast path for rows of plain texts writes what a row of plain cells writes:
        /// the same sanitising, the same formula neutralising, the same quoting.
        #[test]
        fn plain_rows_are_written_as_rows_of_plain_cells(
            texts in proptest::collection::vec(
                "[=+@ a-z0-9\\-\t\r\n\x1b\u{200b}\u{202e}\u{ff1d}\"',.]{0,8}", 0..5),
        ) {
            proptest::prop_assert_eq!(written(&texts, true), written(&texts, false));
        }
    }
}

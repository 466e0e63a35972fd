//! The CSV format (`--format csv`): one table, written by the `csv` crate with RFC 4180
//! quoting and `\r\n` record terminators: a header row of column names, then one record per
//! row. The table is [`Document::csv`] when the view gives one, else the document's first
//! table; a document without a table writes nothing at all.
//!
//! A cell's lines are joined by `\n` inside one quoted field, and a quote line is wrapped in
//! “…” as in every other text format. Cell text goes through [`sanitize_terminal`] (CSV is often
//! printed to a terminal, SPEC §8), so control characters are replaced visibly, a tab becomes a
//! space and a `\r` a `\n`.
//!
//! **Formula neutralisation** (SPEC §8, the OWASP "CSV injection" recommendation): unless
//! `raw_csv` is set, a field whose original text starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return gets a leading `'`, which spreadsheets take as "this is text" and do not
//! show. So does one starting with a line feed or with the full-width `＝ ＋ － ＠`, which some
//! spreadsheets also read as a formula start. The trigger is looked for past any leading
//! white space and invisible characters (zero-width spaces, bidi controls, a byte-order mark,
//! tag characters: [`is_invisible`]), which a spreadsheet may skip or drop while a reader
//! cannot see them. One exception: a field that is entirely a plain decimal number (`-0.25`,
//! `+1`, `1e-3`) is left alone, because a number is never a formula and agreement tables are
//! full of negative numbers. Header names follow the same rule.

use super::table::is_invisible;
use super::{Cell, Document, LineKind, RenderOptions, sanitize_terminal};
use crate::render::markup::rows;

pub(super) fn render(doc: &Document, opts: &RenderOptions) -> String {
    let Some(table) = doc.csv.as_ref().or_else(|| doc.tables().next()) else {
        return String::new();
    };
    if table.columns.is_empty() {
        return String::new();
    }
    let field = |text: &str| {
        let clean = sanitize_terminal(text);
        if !opts.raw_csv && (is_formula(text) || is_formula(&clean)) {
            format!("'{clean}")
        } else {
            clean
        }
    };
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = table.columns.iter().map(|c| field(&c.name));
    let records = rows(table).map(|row| row.into_iter().map(|c| field(&cell_text(c))).collect());
    let written = std::iter::once(header.collect::<Vec<_>>())
        .chain(records)
        .try_for_each(|record: Vec<String>| writer.write_record(&record));
    // Writing to memory cannot fail, and `rows` gives every record the same length, which is
    // the only other error the writer reports.
    match (written, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The cell as one field: lines joined by `\n`, quotes in “…”, no styling.
fn cell_text(cell: &Cell) -> String {
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
    use crate::render::{Block, Column, Table, hostile_document, sample_document};

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
}

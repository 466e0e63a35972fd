//! `list … -f csv` is tidy: one value per cell, lists joined by "; ", nothing (not a dash)
//! where there is no value, no cell of several lines, one column per count.

mod common;

use common::{assert_code, run, stdout};

fn csv(what: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let out = run("interpretations", &["list", what, "-f", "csv"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn every_list_is_one_value_per_cell() {
    for what in ["works", "sources", "coders", "scenes", "readings"] {
        let (header, rows) = csv(what);
        assert!(!rows.is_empty(), "{what}");
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{what}");
            for cell in row {
                assert!(
                    !cell.contains('\n'),
                    "{what}: a cell of several lines: {cell:?}"
                );
                assert_ne!(cell, "—", "{what}: a dash for an empty cell");
                assert!(
                    !cell.contains('✓'),
                    "{what}: counts packed in a cell: {cell:?}"
                );
            }
        }
    }
}

#[test]
fn readings_have_a_column_per_stance_and_their_aliases_joined() {
    let (header, rows) = csv("readings");
    assert_eq!(
        header,
        [
            "reading",
            "label",
            "description",
            "aliases",
            "excludes",
            "claims",
            "endorses",
            "considers",
            "rejects",
            "sources"
        ]
    );
    for row in &rows {
        let n = |i: usize| row[i].parse::<usize>().unwrap();
        assert_eq!(n(5), n(6) + n(7) + n(8), "{row:?}");
    }
    let transaction = rows.iter().find(|r| r[0] == "transaction").unwrap();
    assert!(transaction[3].contains("; "), "{transaction:?}");
    // a reading without exclusions has an empty cell
    assert!(rows.iter().any(|r| r[4].is_empty()));
    let (header, rows) = csv("scenes");
    assert_eq!(header[3], "aliases");
    let tears = rows.iter().find(|r| r[1] == "tears").unwrap();
    assert_eq!(tears[3], "crying; the breakdown; the sob");
}

//! `agreement --format json` when the pair table is computed: the same bytes as the view
//! serialised by `serde_json`'s pretty printer, but the table's millions of rows are
//! formatted in parallel into buffers a chunk at a time and written as they are, instead
//! of passing one by one through the serializer. The rest of the view goes through serde.

use std::io::{self, Write};

use super::{Agreement, Counts, PairTable, Pairs};

/// Writes `view` as pretty JSON, its pair table written here. `view` is given back as it
/// was.
pub fn write_pretty(out: &mut dyn Write, view: &mut Agreement) -> io::Result<()> {
    let Some(Pairs::Table(table)) = view.pairs.take() else {
        return Ok(serde_json::to_writer_pretty(out, view)?);
    };
    // `pairs` is the view's last field: the view without it ends "\n}", and with it, it
    // goes on from there
    let mut head = HoldBack {
        out: &mut *out,
        held: Vec::new(),
    };
    let written = serde_json::to_writer_pretty(&mut head, view);
    let held = std::mem::take(&mut head.held);
    view.pairs = Some(Pairs::Table(table.clone()));
    written?;
    if held != b"\n}" {
        return Err(io::Error::other(
            "the agreement view does not end with its pairs",
        ));
    }
    out.write_all(b",\n  \"pairs\": [")?;
    let any = write_rows(out, &table)?;
    out.write_all(if any { b"\n  ]\n}" } else { b"]\n}" })
}

/// The rows, each on a line of its own at the pretty printer's indent; whether there were any.
fn write_rows(out: &mut dyn Write, table: &PairTable) -> io::Result<bool> {
    let mut first = true;
    let mut result = Ok(());
    let names = Names::of(table.names())?;
    let make = |rows: &[(usize, usize)]| -> Vec<u8> {
        let mut buf = Vec::with_capacity(rows.len() * 160);
        let mut floats = Floats::default();
        table.each_counts(rows, |pair, c| {
            write_row(&mut buf, &names, &mut floats, pair, &c);
        });
        buf
    };
    table.each_piece(make, |buf| {
        // the first row follows the bracket without a comma
        let skip = usize::from(std::mem::take(&mut first));
        result = out.write_all(&buf[skip..]);
        result.is_ok()
    });
    result.map(|()| !first)
}

/// The sources' names in a row as JSON: `,\n    {"left":"a","right":` and
/// `"b","shared_scenes":`, so that a row begins with two copies. They are kept one after
/// another in one buffer, the left and the right of each source: a corpus has thousands.
struct Names {
    text: Vec<u8>,
    /// per source, where its left and its right end in `text`
    ends: Vec<(usize, usize)>,
}

impl Names {
    fn of(names: &[String]) -> serde_json::Result<Self> {
        let mut out = Names {
            text: Vec::with_capacity(names.iter().map(|n| 2 * n.len() + 48).sum()),
            ends: Vec::with_capacity(names.len()),
        };
        for name in names {
            out.text.extend_from_slice(b",\n    {\"left\":");
            serde_json::to_writer(&mut out.text, name)?;
            out.text.extend_from_slice(b",\"right\":");
            let left = out.text.len();
            serde_json::to_writer(&mut out.text, name)?;
            out.text.extend_from_slice(b",\"shared_scenes\":");
            out.ends.push((left, out.text.len()));
        }
        Ok(out)
    }

    fn left(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1].1 };
        &self.text[start..self.ends[i].0]
    }

    fn right(&self, j: usize) -> &[u8] {
        let (start, end) = self.ends[j];
        &self.text[start..end]
    }
}

/// Row (i, j) with figures `c` as compact JSON after a comma and the indent, the bytes
/// serde writes for [`PairTable::row_ref`].
fn write_row(
    out: &mut Vec<u8>,
    names: &Names,
    floats: &mut Floats,
    (i, j): (usize, usize),
    c: &Counts,
) {
    let mut int = itoa::Buffer::new();
    out.extend_from_slice(names.left(i));
    out.extend_from_slice(names.right(j));
    out.extend_from_slice(int.format(c.shared_scenes).as_bytes());
    for (key, n) in [
        (&b",\"agree\":"[..], c.agree),
        (b",\"overlap\":", c.overlap),
        (b",\"diverge\":", c.diverge),
        (b",\"conflict\":", c.conflict),
    ] {
        out.extend_from_slice(key);
        out.extend_from_slice(int.format(n).as_bytes());
    }
    out.extend_from_slice(b",\"mean_jaccard\":");
    match c.mean_jaccard {
        Some(x) => floats.write(out, x),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// The JSON of the floats written last, by their bits. A mean of a few ratios of small
/// numbers takes few values (0.5, 0.3333333333333333, 0.0 are a third of a table), so
/// most are copied rather than formatted again.
struct Floats {
    slots: [(u64, [u8; 24], u8); 64],
}

impl Default for Floats {
    fn default() -> Self {
        // no slot holds anything until written: the bits of a NaN no mean ever has
        Floats {
            slots: [(u64::MAX, [0; 24], 0); 64],
        }
    }
}

impl Floats {
    /// Writes `x` as serde writes it (a non-finite float as null).
    fn write(&mut self, out: &mut Vec<u8>, x: f64) {
        let bits = x.to_bits();
        let slot = &mut self.slots[(bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize];
        if slot.0 != bits {
            let mut json = Vec::with_capacity(24);
            serde_json::to_writer(&mut json, &x).unwrap_or_default();
            // serde writes at most 24 bytes for a float; a longer one is never cached
            if json.len() > slot.1.len() {
                out.extend_from_slice(&json);
                return;
            }
            slot.1[..json.len()].copy_from_slice(&json);
            *slot = (bits, slot.1, json.len() as u8);
        }
        out.extend_from_slice(&slot.1[..usize::from(slot.2)]);
    }
}

/// A writer that passes on everything but the last two bytes it is given.
struct HoldBack<'w> {
    out: &'w mut dyn Write,
    held: Vec<u8>,
}

impl Write for HoldBack<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.held.extend_from_slice(buf);
        if self.held.len() > 2 {
            let pass = self.held.len() - 2;
            self.out.write_all(&self.held[..pass])?;
            self.held.drain(..pass);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::verdict::Position;
    use crate::views::agreement::{AlphaOut, Positions, SortBy};

    fn positions(sources: usize, scenes: u32) -> Vec<Positions> {
        (0..sources)
            .map(|s| {
                (0..scenes)
                    .filter(|scene| !(s as u32 + scene).is_multiple_of(3))
                    .map(|scene| {
                        let r = (s + scene as usize) % 4;
                        let p = Position {
                            endorses: vec![r],
                            rejects: if s.is_multiple_of(5) {
                                vec![(r + 1) % 4]
                            } else {
                                vec![]
                            },
                            spoke: true,
                        };
                        (scene, p)
                    })
                    .collect()
            })
            .collect()
    }

    /// The view of `sources` sources, its pair table computed.
    fn view(sources: usize, sort: SortBy) -> Agreement {
        // names as ids never are, so that escaping is tested too
        let names = (0..sources)
            .map(|i| format!("s-{i:04}\"\\é\u{1}"))
            .collect();
        let excludes = vec![vec![3], vec![], vec![], vec![0]];
        let table = PairTable::new(names, 7, positions(sources, 7), &excludes, sort);
        Agreement {
            work: "w".into(),
            sources,
            scenes: 7,
            pairable_scenes: 7,
            pairable_values: 3,
            alpha: AlphaOut {
                nominal: Some(0.25),
                masi: None,
                jaccard: Some(-0.1),
            },
            interpretation: None,
            warnings: vec!["few \"values\"".into()],
            bootstrap: None,
            per_reading: Vec::new(),
            leave_one_out: Vec::new(),
            per_scene: Vec::new(),
            pairs: Some(Pairs::Table(Arc::new(table))),
        }
    }

    #[test]
    fn the_bytes_are_the_pretty_printers() {
        // 0, 1 and 2 sources (no rows), and enough for several buffers and chunks
        for (n, sort) in [
            (0, SortBy::Name),
            (1, SortBy::Name),
            (2, SortBy::Name),
            (40, SortBy::Conflicts),
            (130, SortBy::Name),
            (130, SortBy::Agreement),
        ] {
            let mut view = view(n, sort);
            let mut fast = Vec::new();
            write_pretty(&mut fast, &mut view).unwrap();
            let serde = serde_json::to_vec_pretty(&view).unwrap();
            assert_eq!(String::from_utf8(fast), String::from_utf8(serde), "{n}");
            assert!(matches!(view.pairs, Some(Pairs::Table(_))), "given back");
        }
    }

    #[test]
    fn a_view_without_a_table_is_written_by_serde() {
        let mut view = view(3, SortBy::Name);
        view.pairs = None;
        let mut fast = Vec::new();
        write_pretty(&mut fast, &mut view).unwrap();
        assert_eq!(fast, serde_json::to_vec_pretty(&view).unwrap());
    }
}

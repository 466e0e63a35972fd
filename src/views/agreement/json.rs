//! `agreement --format json` when the pair table is computed: the same bytes as the view
//! serialised by `serde_json`'s pretty printer, but the table's millions of rows are
//! formatted in parallel into buffers a chunk at a time and written as they are, instead
//! of passing one by one through the serializer. The rest of the view goes through serde.

use std::io::{self, Write};

use super::{Agreement, Counts, PairTable, Pairs, Runs};

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
    out.write_all(if any { b"  ]\n}" } else { b"]\n}" })
}

/// The rows, each on a line of its own at the pretty printer's indent; whether there were any.
/// Every piece of rows ends with a line's end, so that a line-buffered stdout passes it on
/// in one write rather than holding back its last line.
fn write_rows<'t>(out: &mut dyn Write, table: &'t PairTable) -> io::Result<bool> {
    let Some(last) = table.last_pair() else {
        return Ok(false);
    };
    out.write_all(b"\n")?;
    let mut result = Ok(());
    let names = Names::of(table.names())?;
    let make = |(tails, runs): &mut (Tails, Runs<'t>), rows: &[(usize, usize)]| -> Vec<u8> {
        let mut buf = Vec::with_capacity(rows.len() * ROW_BYTES);
        table.each_counts_with(runs, rows, |pair, c| {
            names.write(&mut buf, pair);
            tails.write(&mut buf, &c);
            if pair == last {
                // the last row takes no comma
                buf.truncate(buf.len() - 2);
                buf.push(b'\n');
            }
        });
        buf
    };
    table.each_piece_with(Default::default, make, |buf| {
        result = out.write_all(&buf);
        result.is_ok()
    });
    result.map(|()| true)
}

/// The bytes of a row with short names and small figures, a little more than enough.
const ROW_BYTES: usize = 192;

/// Bytes kept in an array of `N`, copied whole and cut to their length: a copy of a size
/// known when compiling is a few vector moves, where one whose size is known only when
/// running is a call to `memmove`, and a row is a handful of short copies.
#[derive(Clone, Copy)]
struct Snippet<const N: usize> {
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> Snippet<N> {
    /// `text` kept, if it fits (in at most 255 bytes).
    fn of(text: &[u8]) -> Option<Self> {
        let mut bytes = [0; N];
        bytes.get_mut(..text.len())?.copy_from_slice(text);
        Some(Snippet {
            bytes,
            len: u8::try_from(text.len()).ok()?,
        })
    }

    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.bytes);
        out.truncate(out.len() - (N - usize::from(self.len)));
    }
}

/// The sources' names as JSON strings, for the start of a row, `    {"left":"a","right":"b","shared_scenes":`:
/// as [`Snippet`]s where every name is short enough, else one after another in one buffer
/// (a corpus has thousands of sources).
enum Names {
    Short(Vec<Snippet<NAME_BYTES>>),
    Long {
        text: Vec<u8>,
        /// per source, where its name ends in `text`
        ends: Vec<usize>,
    },
}

/// The room for a name in a row: ids of up to 46 characters.
const NAME_BYTES: usize = 48;

impl Names {
    fn of(names: &[String]) -> serde_json::Result<Self> {
        let mut text = Vec::with_capacity(names.iter().map(|n| n.len() + 2).sum());
        let mut ends = Vec::with_capacity(names.len());
        for name in names {
            serde_json::to_writer(&mut text, name)?;
            ends.push(text.len());
        }
        let long = Names::Long { text, ends };
        let short: Option<Vec<_>> = (0..names.len())
            .map(|i| Snippet::of(long.name(i)))
            .collect();
        Ok(short.map_or(long, Names::Short))
    }

    /// The start of row (i, j), up to its first figure.
    #[inline(always)]
    fn write(&self, out: &mut Vec<u8>, (i, j): (usize, usize)) {
        out.extend_from_slice(b"    {\"left\":");
        match self {
            Names::Short(names) => names[i].write(out),
            Names::Long { .. } => out.extend_from_slice(self.name(i)),
        }
        out.extend_from_slice(b",\"right\":");
        match self {
            Names::Short(names) => names[j].write(out),
            Names::Long { .. } => out.extend_from_slice(self.name(j)),
        }
        out.extend_from_slice(b",\"shared_scenes\":");
    }

    fn name(&self, i: usize) -> &[u8] {
        match self {
            Names::Short(names) => &names[i].bytes[..usize::from(names[i].len)],
            Names::Long { text, ends } => {
                let start = if i == 0 { 0 } else { ends[i - 1] };
                &text[start..ends[i]]
            }
        }
    }
}

/// The rest of a row after its names, `5,"agree":…,"mean_jaccard":0.5},` and a line's
/// end, as serde writes the figures (a non-finite float as null), remembered for the
/// figures written last: the figures of a row are small numbers, and a table of millions
/// of rows has a few hundred distinct ones, so most rows copy theirs rather than format them.
struct Tails {
    slots: Vec<TailSlot>,
}

/// The figures a slot was written for (their [`Tails::key`]) and what was written.
#[derive(Clone, Copy)]
struct TailSlot {
    key: (u64, u64),
    tail: Snippet<TAIL_BYTES>,
}

/// The room for a row's tail: four-digit counts and the longest float.
const TAIL_BYTES: usize = 112;
const TAIL_SLOTS: usize = 256;

impl Default for Tails {
    fn default() -> Self {
        // no key is all ones: counts that large are never remembered
        let empty = TailSlot {
            key: (u64::MAX, u64::MAX),
            tail: Snippet {
                bytes: [0; TAIL_BYTES],
                len: 0,
            },
        };
        Tails {
            slots: vec![empty; TAIL_SLOTS],
        }
    }
}

impl Tails {
    /// The counts packed in a word (when each is below 2^12) and the mean's bits (`None`
    /// as the bits of a NaN no mean has).
    fn key(c: &Counts) -> Option<(u64, u64)> {
        let figures = [c.shared_scenes, c.agree, c.overlap, c.diverge, c.conflict];
        if figures.iter().any(|&n| n >= 1 << 12) {
            return None;
        }
        let counts = figures.iter().fold(0u64, |key, &n| key << 12 | n as u64);
        Some((counts, c.mean_jaccard.map_or(u64::MAX, f64::to_bits)))
    }

    #[inline]
    fn write(&mut self, out: &mut Vec<u8>, c: &Counts) {
        let Some(key) = Self::key(c) else {
            return write_tail(out, c);
        };
        let hash = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let slot = &mut self.slots[(hash >> 56) as usize % TAIL_SLOTS];
        if slot.key != key {
            let mut tail = Vec::with_capacity(TAIL_BYTES);
            write_tail(&mut tail, c);
            match Snippet::of(&tail) {
                Some(snippet) => *slot = TailSlot { key, tail: snippet },
                None => return out.extend_from_slice(&tail),
            }
        }
        slot.tail.write(out);
    }
}

/// The figures of a row as compact JSON after `"shared_scenes":`, the bytes serde writes
/// for [`PairTable::row_ref`], and a comma and a line's end.
fn write_tail(out: &mut Vec<u8>, c: &Counts) {
    let mut int = itoa::Buffer::new();
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
        // serde writes a float as JSON's shortest form, and a non-finite one as null
        Some(x) => serde_json::to_writer(&mut *out, &x).unwrap_or_default(),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b"},\n");
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
    use crate::views::agreement::{AlphaOut, PairAgreement, Positions, SortBy};

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
        view_of(names, sort)
    }

    /// The view of sources named `names`, its pair table computed.
    fn view_of(names: Vec<String>, sort: SortBy) -> Agreement {
        let sources = names.len();
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
    fn names_too_long_for_a_snippet_are_written_whole() {
        let long = "a-source-whose-id-is-longer-than-any-row-keeps-in-an-array";
        for names in [
            vec![long.to_string(), "b".into(), format!("{long}-2")],
            (0..20).map(|i| format!("{long}-{i}")).collect(),
        ] {
            let mut view = view_of(names, SortBy::Name);
            let mut fast = Vec::new();
            write_pretty(&mut fast, &mut view).unwrap();
            let serde = serde_json::to_vec_pretty(&view).unwrap();
            assert_eq!(String::from_utf8(fast), String::from_utf8(serde));
        }
        assert!(matches!(
            Names::of(&[long.into()]).unwrap(),
            Names::Long { .. }
        ));
        assert!(matches!(Names::of(&["b".into()]).unwrap(), Names::Short(_)));
    }

    proptest::proptest! {
        /// A row's tail, remembered or not, is what serde writes for its figures.
        #[test]
        fn tails_are_the_figures_as_serde_writes_them(
            rows in proptest::collection::vec(
                (0usize..6000, 0usize..20, 0usize..20, 0usize..5000, 0usize..3, 0u32..12, 1u32..12),
                1..200,
            ),
        ) {
            let mut tails = Tails::default();
            for (shared, agree, overlap, diverge, conflict, n, u) in rows {
                let c = Counts {
                    shared_scenes: shared,
                    agree,
                    overlap,
                    diverge,
                    conflict,
                    mean_jaccard: (n < 11).then(|| f64::from(n.min(u)) / f64::from(u)),
                };
                // twice: formatted, then (where small enough) remembered
                for _ in 0..2 {
                    let mut fast = Vec::new();
                    tails.write(&mut fast, &c);
                    let row = PairAgreement::new(String::new(), String::new(), &c);
                    let row = serde_json::to_string(&row).unwrap();
                    let want = format!("{},\n", &row[row.find("\"shared_scenes\":").unwrap() + 16..]);
                    proptest::prop_assert_eq!(String::from_utf8(fast).unwrap(), want);
                }
            }
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

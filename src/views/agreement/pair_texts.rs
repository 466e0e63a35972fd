//! The pair table as rows of text for the document formats ([`PlainRows`]): the figures of
//! a batch of pairs are computed and written out on every core, and a format that must
//! measure the table before drawing it (the terminal) can read it again.

use std::fmt::Write as _;
use std::io;

use super::pairs::{Counts, Pairs};
use crate::render::PlainRows;

/// Rows per batch formatted on one core.
const BATCH: usize = 256;

/// A batch of rows: the pairs of sources (indices) and their figures as text, six per row,
/// `ends[k]` closing the k-th.
#[derive(Default)]
struct Batch {
    pairs: Vec<(usize, usize)>,
    text: String,
    ends: Vec<usize>,
    figures: Figures,
}

/// Means written with three decimals, the last few by their bits: a mean of a few ratios
/// of small numbers takes few values, so most are copied rather than formatted again.
struct Figures {
    slots: [(u64, String); 64],
}

impl Default for Figures {
    fn default() -> Self {
        // the bits of a NaN no mean ever has: no slot holds anything yet
        Figures {
            slots: std::array::from_fn(|_| (u64::MAX, String::new())),
        }
    }
}

impl Figures {
    /// Writes `x` as `{:.3}` does.
    fn write(&mut self, out: &mut String, x: f64) {
        let bits = x.to_bits();
        let slot = &mut self.slots[(bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize];
        if slot.0 != bits {
            slot.1.clear();
            let _ = write!(slot.1, "{x:.3}");
            slot.0 = bits;
        }
        out.push_str(&slot.1);
    }
}

impl Batch {
    fn push(&mut self, pair: (usize, usize), c: &Counts) {
        let mut int = itoa::Buffer::new();
        for n in [c.shared_scenes, c.agree, c.overlap, c.diverge, c.conflict] {
            self.text.push_str(int.format(n));
            self.ends.push(self.text.len());
        }
        match c.mean_jaccard {
            Some(x) => self.figures.write(&mut self.text, x),
            None => self.text.push_str("n/a"),
        }
        self.ends.push(self.text.len());
        self.pairs.push(pair);
    }

    /// Hands the rows to `take`, the two names of each pair from `names`.
    fn give<'s, 'n: 's>(
        &'s self,
        names: &dyn Fn((usize, usize)) -> [&'n str; 2],
        take: &mut dyn FnMut(&[&[&str]]) -> io::Result<()>,
    ) -> io::Result<()> {
        let rows: Vec<[&'s str; 8]> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(k, &pair)| {
                let [left, right] = names(pair);
                let figure = |f: usize| {
                    let start = if k + f == 0 {
                        0
                    } else {
                        self.ends[6 * k + f - 1]
                    };
                    &self.text[start..self.ends[6 * k + f]]
                };
                [
                    left,
                    right,
                    figure(0),
                    figure(1),
                    figure(2),
                    figure(3),
                    figure(4),
                    figure(5),
                ]
            })
            .collect();
        let refs: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        take(&refs)
    }
}

impl PlainRows for Pairs {
    /// left, right, shared, agree, overlap, diverge, conflict, mean jaccard (`n/a` where
    /// undefined, else three decimals).
    fn each_batch(&self, take: &mut dyn FnMut(&[&[&str]]) -> io::Result<()>) -> io::Result<()> {
        match self {
            Pairs::Table(table) => {
                let names =
                    |(i, j): (usize, usize)| [table.names()[i].as_str(), table.names()[j].as_str()];
                let make = |pairs: &[(usize, usize)]| -> Batch {
                    let mut batch = Batch::default();
                    table.each_counts(pairs, |pair, c| batch.push(pair, &c));
                    batch
                };
                let mut result = Ok(());
                table.each_piece(make, |batch| {
                    result = batch.give(&names, take);
                    result.is_ok()
                });
                result
            }
            Pairs::Rows(rows) => rows.chunks(BATCH).try_for_each(|chunk| {
                let mut batch = Batch::default();
                for (k, row) in chunk.iter().enumerate() {
                    let c = Counts {
                        shared_scenes: row.shared_scenes,
                        agree: row.agree,
                        overlap: row.overlap,
                        diverge: row.diverge,
                        conflict: row.conflict,
                        mean_jaccard: row.mean_jaccard,
                    };
                    batch.push((k, k), &c);
                }
                // a row read back holds its own names
                let names =
                    |(k, _): (usize, usize)| [chunk[k].left.as_str(), chunk[k].right.as_str()];
                batch.give(&names, take)
            }),
        }
    }
}

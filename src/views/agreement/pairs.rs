//! The source × source table (docs/rules.md#agreement): per pair of sources, the verdict counts over the
//! scenes both speak of and the mean Jaccard similarity of what they endorse.
//!
//! The table grows with the square of the sources, so it is never held: a [`PairTable`]
//! keeps each source's positions (scene and reading indices) and computes a row when it is
//! asked for. [`PairRows`] yields the rows one at a time, and the JSON writer serialises
//! them straight from that iterator, so memory does not grow with the number of pairs.
//! Sorting (`--sort agreement|conflicts`) holds one small key per pair, never the rows.

use std::fmt;
use std::sync::Arc;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::pair_table::{PairOrder, PairTable, Runs};

/// Rows a piece of the table holds: what one core computes and formats at a time.
const ROWS_PER_PIECE: usize = 512;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairAgreement {
    pub left: String,
    pub right: String,
    /// scenes both sources speak of
    pub shared_scenes: usize,
    pub agree: usize,
    pub overlap: usize,
    pub diverge: usize,
    pub conflict: usize,
    /// mean Jaccard similarity of the endorsed sets where both endorse something
    pub mean_jaccard: Option<f64>,
}

impl PairAgreement {
    /// The row of sources `left` and `right` with figures `c`.
    pub fn new(left: String, right: String, c: &Counts) -> Self {
        PairAgreement {
            left,
            right,
            shared_scenes: c.shared_scenes,
            agree: c.agree,
            overlap: c.overlap,
            diverge: c.diverge,
            conflict: c.conflict,
            mean_jaccard: c.mean_jaccard,
        }
    }
}

/// A row as JSON writes it: the same fields, the names borrowed.
#[derive(Serialize)]
struct PairRef<'a> {
    left: &'a str,
    right: &'a str,
    shared_scenes: usize,
    agree: usize,
    overlap: usize,
    diverge: usize,
    conflict: usize,
    mean_jaccard: Option<f64>,
}

/// The figures of a row, without the names.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Counts {
    pub shared_scenes: usize,
    pub agree: usize,
    pub overlap: usize,
    pub diverge: usize,
    pub conflict: usize,
    pub mean_jaccard: Option<f64>,
}

impl PairTable {
    /// The rows, one at a time, in the table's order.
    pub fn rows(&self) -> PairRows<'_> {
        PairRows {
            table: self,
            pairs: self.pairs(),
        }
    }

    fn row(&self, (i, j): (usize, usize), c: Counts) -> PairAgreement {
        PairAgreement::new(self.names()[i].clone(), self.names()[j].clone(), &c)
    }

    /// Computes the rows in pieces of `ROWS_PER_PIECE` rows, each made by `make` on a
    /// core of its own, and hands the pieces to `take` in order on this thread, so memory
    /// holds a few pieces however many rows there are ([`pieces::in_order`]). Stops once
    /// `take` returns false.
    pub(super) fn each_piece<T: Send>(
        &self,
        make: impl Fn(&[(usize, usize)]) -> T + Sync,
        take: impl FnMut(T) -> bool,
    ) {
        self.each_piece_with(|| (), |(), pairs| make(pairs), take);
    }

    /// [`each_piece`](Self::each_piece), each thread making its pieces with a state of its
    /// own made by `init`.
    pub(super) fn each_piece_with<W, T: Send>(
        &self,
        init: impl Fn() -> W + Sync,
        make: impl Fn(&mut W, &[(usize, usize)]) -> T + Sync,
        take: impl FnMut(T) -> bool,
    ) {
        super::pieces::in_order(self.pairs(), ROWS_PER_PIECE, init, make, take);
    }

    /// Writes the rows as a sequence, each row compact on a line of its own.
    fn serialize_rows<'t, S: Serializer>(&'t self, serializer: S) -> Result<S::Ok, S::Error> {
        type Chunk = Result<Vec<Box<RawValue>>, serde_json::Error>;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        let mut result = Ok(());
        let make = |runs: &mut Runs<'t>, pairs: &[(usize, usize)]| -> Chunk {
            let mut rows = Vec::with_capacity(pairs.len());
            let mut result = Ok(());
            self.each_counts_with(runs, pairs, |pair, c| {
                if result.is_ok() {
                    result = serde_json::value::to_raw_value(&self.row_ref(pair, &c))
                        .map(|row| rows.push(row));
                }
            });
            result.map(|()| rows)
        };
        self.each_piece_with(Runs::default, make, |chunk| {
            result = chunk
                .map_err(S::Error::custom)
                .and_then(|rows| rows.iter().try_for_each(|row| seq.serialize_element(row)));
            result.is_ok()
        });
        result?;
        seq.end()
    }

    /// Row (i, j) with figures `c` as JSON writes it, the names borrowed.
    fn row_ref(&self, (i, j): (usize, usize), c: &Counts) -> impl Serialize + '_ {
        PairRef {
            left: &self.names()[i],
            right: &self.names()[j],
            shared_scenes: c.shared_scenes,
            agree: c.agree,
            overlap: c.overlap,
            diverge: c.diverge,
            conflict: c.conflict,
            mean_jaccard: c.mean_jaccard,
        }
    }
}

/// The rows of a [`PairTable`], computed one at a time.
pub struct PairRows<'a> {
    table: &'a PairTable,
    pairs: PairOrder<'a>,
}

impl Iterator for PairRows<'_> {
    type Item = PairAgreement;

    fn next(&mut self) -> Option<PairAgreement> {
        let (i, j) = self.pairs.next()?;
        Some(self.table.row((i, j), self.table.counts(i, j)))
    }
}

/// The pair table of a view: computed on demand from positions, or rows read back from JSON.
#[derive(Clone)]
pub enum Pairs {
    Table(Arc<PairTable>),
    Rows(Vec<PairAgreement>),
}

impl Pairs {
    /// The rows in order, one at a time.
    pub fn rows(&self) -> Box<dyn Iterator<Item = PairAgreement> + '_> {
        match self {
            Pairs::Table(t) => Box::new(t.rows()),
            Pairs::Rows(rows) => Box::new(rows.iter().cloned()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Pairs::Table(t) => t.len(),
            Pairs::Rows(rows) => rows.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Serialize for Pairs {
    /// A sequence written row by row as the rows are computed.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Pairs::Table(t) => t.serialize_rows(serializer),
            Pairs::Rows(rows) => {
                // as the computed table writes them: each row compact on its own line
                let mut seq = serializer.serialize_seq(Some(rows.len()))?;
                for row in rows {
                    let raw = serde_json::value::to_raw_value(row).map_err(S::Error::custom)?;
                    seq.serialize_element(&raw)?;
                }
                seq.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<PairAgreement>::deserialize(deserializer).map(Pairs::Rows)
    }
}

impl PartialEq for Pairs {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.rows().eq(other.rows())
    }
}

impl fmt::Debug for Pairs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.rows()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Position;
    use crate::views::agreement::SortBy;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("s{i}")).collect()
    }

    #[test]
    fn json_streams_the_same_rows_the_iterator_yields() {
        let p = |e: &[usize], j: &[usize]| Position {
            endorses: e.to_vec(),
            rejects: j.to_vec(),
            spoke: true,
        };
        let positions = vec![
            vec![(0, p(&[0], &[])), (1, p(&[1], &[0]))],
            vec![(0, p(&[0, 1], &[])), (1, p(&[0], &[]))],
            vec![(1, p(&[], &[]))],
        ];
        let table = Arc::new(PairTable::new(
            names(3),
            2,
            positions,
            &[vec![], vec![]],
            SortBy::Name,
        ));
        let streamed = serde_json::to_value(Pairs::Table(table.clone())).unwrap();
        let collected = serde_json::to_value(table.rows().collect::<Vec<_>>()).unwrap();
        assert_eq!(streamed, collected);
        let back: Pairs = serde_json::from_value(streamed).unwrap();
        assert_eq!(back, Pairs::Table(table));
        assert_eq!(back.len(), 3);
    }
}

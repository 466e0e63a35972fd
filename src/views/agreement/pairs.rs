//! The source × source table (SPEC §6): per pair of sources, the verdict counts over the
//! scenes both speak of and the mean Jaccard similarity of what they endorse.
//!
//! The table grows with the square of the sources, so it is never held: a [`PairTable`]
//! keeps each source's positions (scene and reading indices) and computes a row when it is
//! asked for. [`PairRows`] yields the rows one at a time, and the JSON writer serialises
//! them straight from that iterator, so memory does not grow with the number of pairs.
//! Sorting (`--sort agreement|conflicts`) holds one small key per pair, never the rows.

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use super::SortBy;
use super::pair_bits::{Shared, byte_ranks, rank};

/// Rows a piece of the table holds: what one core computes and formats at a time.
const ROWS_PER_PIECE: usize = 512;
/// Rows computed at once: pieces spread over the cores, held until written.
const ROWS_PER_CHUNK: usize = 2048;
use crate::verdict::Position;

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

/// A source's positions on the scenes it speaks of, in scene order.
pub type Positions = Vec<(u32, Position)>;

/// What the rows are computed from: every source's positions, each as three bit sets of
/// reading indices (what it endorses, what it rejects, and what its endorsements
/// exclude), in flat arrays, so a row is a merge of two short lists and a few word
/// operations per shared scene.
pub struct PairTable {
    names: Vec<String>,
    /// source i's positions are `starts[i]..starts[i + 1]`, in scene order
    starts: Vec<usize>,
    /// 64-bit words per set of scenes
    scene_words: usize,
    /// per source, the scenes it has a position on, `scene_words` words each
    scenes: Vec<u64>,
    /// per word of `scenes`, its scenes below each of its bytes ([`rank`])
    ranks: Vec<u64>,
    /// 64-bit words per set of readings
    words: usize,
    /// per position, `3 · words` words: endorsed, rejected, excluded by the endorsed
    sets: Vec<u64>,
    /// per position, the number of readings it endorses (where they fit one word)
    endorsed: Vec<u8>,
    /// the pairs in the order asked for; `None` is source order, (0, 1), (0, 2), …
    order: Option<Vec<(u32, u32)>>,
}

impl PairTable {
    /// A table over sources named `names` (in source order) with their positions on
    /// `scenes` scenes (one position per scene at most); `excludes[r]` lists the readings
    /// reading r excludes (the relation is symmetric).
    #[cfg(test)]
    pub fn new(
        names: Vec<String>,
        scenes: usize,
        positions: Vec<Positions>,
        excludes: &[Vec<usize>],
        sort: SortBy,
    ) -> Self {
        Self::of_sources(names, scenes, excludes, sort, |i| positions[i].clone())
    }

    /// A table over sources named `names`, source i's positions given by `positions(i)`
    /// (see [`new`](Self::new)). The sources are laid out in parallel, each one's
    /// positions turned into bit sets as soon as they are made.
    pub fn of_sources(
        names: Vec<String>,
        scenes: usize,
        excludes: &[Vec<usize>],
        sort: SortBy,
        positions: impl Fn(usize) -> Positions + Sync,
    ) -> Self {
        let words = excludes.len().div_ceil(64).max(1);
        let scene_words = scenes.div_ceil(64).max(1);
        let bits = |readings: &mut dyn Iterator<Item = usize>, out: &mut [u64]| {
            for r in readings {
                out[r / 64] |= 1 << (r % 64);
            }
        };
        // per source: its set of scenes, and three sets per position, made in parallel a
        // block of sources at a time and appended to the table's arrays
        let lay_out = |i: usize| {
            let mut list = positions(i);
            list.sort_by_key(|&(scene, _)| scene);
            list.dedup_by_key(|&mut (scene, _)| scene);
            let mut on = vec![0u64; scene_words];
            let mut sets = vec![0u64; 3 * words * list.len()];
            for ((scene, p), set) in list.iter().zip(sets.chunks_exact_mut(3 * words)) {
                let (e, rest) = set.split_at_mut(words);
                let (j, x) = rest.split_at_mut(words);
                bits(&mut p.endorses.iter().copied(), e);
                bits(&mut p.rejects.iter().copied(), j);
                bits(
                    &mut p.endorses.iter().flat_map(|&r| excludes[r].iter().copied()),
                    x,
                );
                bits(&mut std::iter::once(*scene as usize), &mut on);
            }
            (on, sets)
        };
        let mut starts = Vec::with_capacity(names.len() + 1);
        let mut on = Vec::with_capacity(scene_words * names.len());
        let mut sets = Vec::new();
        starts.push(0);
        for block in (0..names.len()).step_by(256) {
            let block = block..(block + 256).min(names.len());
            let laid_out: Vec<(Vec<u64>, Vec<u64>)> = block.into_par_iter().map(lay_out).collect();
            for (source_on, source_sets) in laid_out {
                on.extend_from_slice(&source_on);
                sets.extend_from_slice(&source_sets);
                starts.push(sets.len() / (3 * words));
            }
        }
        sets.shrink_to_fit();
        let ranks = on.iter().map(|&word| byte_ranks(word)).collect();
        let endorsed = match words {
            1 => sets
                .iter()
                .step_by(3)
                .map(|e| e.count_ones() as u8)
                .collect(),
            _ => Vec::new(),
        };
        let mut table = PairTable {
            names,
            starts,
            scene_words,
            scenes: on,
            ranks,
            words,
            sets,
            endorsed,
            order: None,
        };
        if sort != SortBy::Name {
            table.order = Some(table.sorted(sort));
        }
        table
    }

    /// The number of rows: one per unordered pair of sources.
    pub fn len(&self) -> usize {
        let s = self.names.len();
        s * s.saturating_sub(1) / 2
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows, one at a time, in the table's order.
    pub fn rows(&self) -> PairRows<'_> {
        PairRows {
            table: self,
            pairs: self.pairs(),
        }
    }

    /// The pairs (i, j), i < j, in the table's order.
    fn pairs(&self) -> PairOrder<'_> {
        match &self.order {
            Some(order) => PairOrder::Sorted(order.iter()),
            None => PairOrder::Natural {
                pair: (0, 1),
                sources: self.names.len(),
            },
        }
    }

    fn row(&self, (i, j): (usize, usize), c: Counts) -> PairAgreement {
        PairAgreement {
            left: self.names[i].clone(),
            right: self.names[j].clone(),
            shared_scenes: c.shared_scenes,
            agree: c.agree,
            overlap: c.overlap,
            diverge: c.diverge,
            conflict: c.conflict,
            mean_jaccard: c.mean_jaccard,
        }
    }

    /// Computes the rows a chunk at a time on a thread of its own, each chunk's pieces
    /// (`ROWS_PER_PIECE` rows each) made by `make` on every core, and hands the pieces to
    /// `take` in order on this thread, so memory holds at most two chunks (one handed over,
    /// one waiting to be) however many rows there are. Stops once `take` returns false.
    pub(super) fn each_piece<T: Send>(
        &self,
        make: impl Fn(&[(usize, usize)]) -> T + Sync,
        mut take: impl FnMut(T) -> bool,
    ) {
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<T>>(0);
            let make = &make;
            scope.spawn(move || {
                let mut pairs = self.pairs();
                loop {
                    let chunk: Vec<(usize, usize)> = pairs.by_ref().take(ROWS_PER_CHUNK).collect();
                    if chunk.is_empty() {
                        break;
                    }
                    let made: Vec<T> = chunk.par_chunks(ROWS_PER_PIECE).map(make).collect();
                    if tx.send(made).is_err() {
                        break;
                    }
                }
            });
            'all: for chunk in rx {
                for piece in chunk {
                    if !take(piece) {
                        break 'all;
                    }
                }
            }
        });
    }

    /// Writes the rows as a sequence, each row compact on a line of its own.
    fn serialize_rows<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        type Chunk = Result<Vec<Box<RawValue>>, serde_json::Error>;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        let mut result = Ok(());
        let make = |pairs: &[(usize, usize)]| -> Chunk {
            (pairs.iter())
                .map(|&(i, j)| serde_json::value::to_raw_value(&self.row_ref(i, j)))
                .collect()
        };
        self.each_piece(make, |chunk| {
            result = chunk
                .map_err(S::Error::custom)
                .and_then(|rows| rows.iter().try_for_each(|row| seq.serialize_element(row)));
            result.is_ok()
        });
        result?;
        seq.end()
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// Row (i, j) as JSON writes it, the names borrowed.
    pub(super) fn row_ref(&self, i: usize, j: usize) -> impl Serialize + '_ {
        let c = self.counts(i, j);
        PairRef {
            left: &self.names[i],
            right: &self.names[j],
            shared_scenes: c.shared_scenes,
            agree: c.agree,
            overlap: c.overlap,
            diverge: c.diverge,
            conflict: c.conflict,
            mean_jaccard: c.mean_jaccard,
        }
    }

    /// The order of `--sort agreement` (mean Jaccard ascending, undefined last, then the
    /// most conflicts) or `--sort conflicts` (most conflicts first, then mean Jaccard
    /// ascending); ties in source order. Holds a 24-byte key per pair while it sorts.
    fn sorted(&self, sort: SortBy) -> Vec<(u32, u32)> {
        #[derive(Clone, Copy)]
        struct Key {
            jaccard: f64,
            conflict: u32,
            i: u32,
            j: u32,
        }
        let s = self.names.len() as u32;
        let mut keys: Vec<Key> = (0..s)
            .into_par_iter()
            .flat_map_iter(|i| {
                let fixed = self.fixed(i as usize);
                (i + 1..s).map(move |j| {
                    let c = fixed.counts(j as usize);
                    Key {
                        jaccard: c.mean_jaccard.unwrap_or(f64::INFINITY),
                        conflict: c.conflict as u32,
                        i,
                        j,
                    }
                })
            })
            .collect();
        // every key is distinct (i, j are), so an unstable sort is deterministic
        keys.par_sort_unstable_by(|a, b| {
            let by_agreement = a.jaccard.total_cmp(&b.jaccard);
            let by_conflicts = b.conflict.cmp(&a.conflict);
            let first = match sort {
                SortBy::Conflicts => by_conflicts.then(by_agreement),
                _ => by_agreement.then(by_conflicts),
            };
            first.then((a.i, a.j).cmp(&(b.i, b.j)))
        });
        keys.into_iter().map(|k| (k.i, k.j)).collect()
    }

    /// The figures of the pair (i, j): the scenes both have a position on are the common
    /// bits of their scene sets, and a position's index is its scene's rank among its
    /// source's scenes. Each shared scene is judged by the rules of SPEC §3 (both sources
    /// spoke there, so the verdict is conflict, agree, overlap or diverge).
    pub fn counts(&self, i: usize, j: usize) -> Counts {
        // i's position on a shared scene is its rank among i's scenes
        self.counts_by(i, j, |word, bit| {
            self.position(word.before + rank(word.bits, word.ranks, bit))
        })
    }

    /// The figures of the pairs (i, j) in order, each handed to `take`: a run of pairs of
    /// one source i (the rows of a table in source order) lays out i's positions by scene
    /// once, for the run's rows to read without counting bits.
    pub fn each_counts(
        &self,
        pairs: &[(usize, usize)],
        mut take: impl FnMut((usize, usize), Counts),
    ) {
        let mut rest = pairs;
        while let Some(&(i, _)) = rest.first() {
            let run = rest.iter().take_while(|p| p.0 == i).count();
            let (now, later) = rest.split_at(run);
            if run < 8 {
                now.iter()
                    .for_each(|&(i, j)| take((i, j), self.counts(i, j)));
            } else {
                let fixed = self.fixed(i);
                now.iter().for_each(|&(i, j)| take((i, j), fixed.counts(j)));
            }
            rest = later;
        }
    }

    /// Source i's positions laid out by scene.
    fn fixed(&self, i: usize) -> Fixed<'_> {
        let (w, sw) = (3 * self.words, self.scene_words);
        let mut by_scene = vec![0u64; sw * 64 * w];
        let mut endorsed = vec![0u32; sw * 64];
        let mut k = self.starts[i];
        for (index, &word) in self.scenes[i * sw..(i + 1) * sw].iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let scene = index * 64 + bits.trailing_zeros() as usize;
                let (set, count) = self.position(k);
                by_scene[scene * w..(scene + 1) * w].copy_from_slice(set);
                endorsed[scene] = count;
                k += 1;
                bits &= bits - 1;
            }
        }
        Fixed {
            table: self,
            i,
            by_scene,
            endorsed,
        }
    }

    /// [`counts`](Self::counts), with `left` finding i's position on a shared scene from
    /// i's scene word and the scene's bit in it.
    #[inline(always)]
    fn counts_by<'s>(
        &'s self,
        i: usize,
        j: usize,
        left: impl Fn(Word, u32) -> (&'s [u64], u32),
    ) -> Counts {
        if self.words == 1 {
            // one word of readings is every work of up to 64 readings: judged without loops
            self.tally(i, j, |word, bit, y| {
                Shared::of_word(left(word, bit), self.position(y))
            })
        } else {
            self.tally(i, j, |word, bit, y| {
                Shared::of(left(word, bit).0, self.set(y), self.words)
            })
        }
    }

    /// Judges every scene i and j share with `shared` (given i's scene word, the scene's
    /// bit in it, and j's position there), and counts the verdicts.
    #[inline(always)]
    fn tally(&self, i: usize, j: usize, shared: impl Fn(Word, u32, usize) -> Shared) -> Counts {
        let w = self.scene_words;
        let (on_i, on_j) = (
            &self.scenes[i * w..(i + 1) * w],
            &self.scenes[j * w..(j + 1) * w],
        );
        let (ranks_i, ranks_j) = (
            &self.ranks[i * w..(i + 1) * w],
            &self.ranks[j * w..(j + 1) * w],
        );
        // agree, overlap, diverge, conflict
        let mut tally = [0usize; 4];
        let (mut jaccard_sum, mut jaccard_n) = (0.0, 0usize);
        let (mut before_i, mut before_j) = (self.starts[i], self.starts[j]);
        for (index, (&a, &b)) in on_i.iter().zip(on_j).enumerate() {
            let mut both = a & b;
            while both != 0 {
                let bit = both.trailing_zeros();
                both &= both - 1;
                // j's position is the scene's rank among j's scenes
                let y = before_j + rank(b, ranks_j[index], bit);
                let word = Word {
                    index,
                    bits: a,
                    ranks: ranks_i[index],
                    before: before_i,
                };
                // counted without a branch: a verdict is as likely as the next
                let s = shared(word, bit, y);
                tally[s.verdict] += 1;
                jaccard_sum += if s.both_endorse { s.jaccard } else { 0.0 };
                jaccard_n += usize::from(s.both_endorse);
            }
            if w > 1 {
                before_i += a.count_ones() as usize;
                before_j += b.count_ones() as usize;
            }
        }
        let [agree, overlap, diverge, conflict] = tally;
        Counts {
            shared_scenes: agree + overlap + diverge + conflict,
            agree,
            overlap,
            diverge,
            conflict,
            mean_jaccard: (jaccard_n > 0).then(|| jaccard_sum / jaccard_n as f64),
        }
    }

    /// A position's sets and the number of readings it endorses (0 where the sets take
    /// more than a word).
    fn position(&self, position: usize) -> (&[u64], u32) {
        let endorsed = self.endorsed.get(position).copied().unwrap_or(0);
        (self.set(position), u32::from(endorsed))
    }

    fn set(&self, position: usize) -> &[u64] {
        &self.sets[position * 3 * self.words..(position + 1) * 3 * self.words]
    }
}

/// A word of a source's set of scenes: its place among the words, its bits, and the
/// source's positions before it.
#[derive(Clone, Copy)]
struct Word {
    index: usize,
    bits: u64,
    /// its [`byte_ranks`]
    ranks: u64,
    before: usize,
}

/// The rows of one source i: its positions laid out by scene.
struct Fixed<'a> {
    table: &'a PairTable,
    i: usize,
    /// per scene, i's three sets there (all empty where i has no position)
    by_scene: Vec<u64>,
    /// per scene, the number of readings i endorses there
    endorsed: Vec<u32>,
}

impl Fixed<'_> {
    fn counts(&self, j: usize) -> Counts {
        let w = 3 * self.table.words;
        self.table.counts_by(self.i, j, |word, bit| {
            let scene = word.index * 64 + bit as usize;
            (
                &self.by_scene[scene * w..(scene + 1) * w],
                self.endorsed[scene],
            )
        })
    }
}

/// The pairs of a table in its order.
enum PairOrder<'a> {
    /// (0, 1), (0, 2), …, (1, 2), …: the next pair, and the number of sources
    Natural {
        pair: (usize, usize),
        sources: usize,
    },
    Sorted(std::slice::Iter<'a, (u32, u32)>),
}

impl Iterator for PairOrder<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        match self {
            PairOrder::Sorted(order) => order.next().map(|&(i, j)| (i as usize, j as usize)),
            PairOrder::Natural { pair, sources } => {
                let (i, j) = *pair;
                if j >= *sources {
                    return None;
                }
                *pair = if j + 1 < *sources {
                    (i, j + 1)
                } else {
                    (i + 1, i + 2)
                };
                Some((i, j))
            }
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
    use proptest::prelude::*;

    use super::*;
    use crate::agreement::Distance;
    use crate::verdict::{Verdict, verdict};

    /// The row as SPEC §3 and §6 define it, straight from `verdict` and `Distance`.
    fn naive(a: &Positions, b: &Positions, excludes: &[Vec<usize>]) -> Counts {
        let ex = |x: usize, y: usize| excludes[x].contains(&y);
        let mut c = Counts::default();
        let mut similarities = Vec::new();
        for (scene, pa) in a {
            let Some((_, pb)) = b.iter().find(|(s, _)| s == scene) else {
                continue;
            };
            c.shared_scenes += 1;
            match verdict(pa, pb, &ex) {
                Some(Verdict::Agree) => c.agree += 1,
                Some(Verdict::Overlap) => c.overlap += 1,
                Some(Verdict::Diverge) => c.diverge += 1,
                Some(Verdict::Conflict) => c.conflict += 1,
                _ => {}
            }
            if !pa.endorses.is_empty() && !pb.endorses.is_empty() {
                let (ea, eb): (Vec<u32>, Vec<u32>) = (
                    pa.endorses.iter().map(|&r| r as u32).collect(),
                    pb.endorses.iter().map(|&r| r as u32).collect(),
                );
                similarities.push(Distance::Jaccard.similarity(&ea, &eb));
            }
        }
        c.mean_jaccard = (!similarities.is_empty())
            .then(|| similarities.iter().sum::<f64>() / similarities.len() as f64);
        c
    }

    fn set(readings: usize) -> impl Strategy<Value = Vec<usize>> {
        proptest::collection::btree_set(0..readings, 0..=3).prop_map(|s| s.into_iter().collect())
    }

    fn position(readings: usize) -> impl Strategy<Value = Position> {
        (set(readings), set(readings)).prop_map(|(endorses, rejects)| Position {
            endorses,
            rejects,
            spoke: true,
        })
    }

    /// The scenes positions are taken on: six, spread over three words of a scene set.
    const SCENES: [u32; 6] = [0, 1, 63, 64, 65, 129];

    /// Sources speaking of some of [`SCENES`], and a symmetric `excludes`.
    fn corpus(readings: usize) -> impl Strategy<Value = (Vec<Positions>, Vec<Vec<usize>>)> {
        let source = proptest::collection::vec(proptest::option::of(position(readings)), 6)
            .prop_map(|scenes| {
                scenes
                    .into_iter()
                    .zip(SCENES)
                    .filter_map(|(p, s)| p.map(|p| (s, p)))
                    .collect::<Positions>()
            });
        let pairs = proptest::collection::vec((0..readings, 0..readings), 0..4);
        (proptest::collection::vec(source, 0..6), pairs).prop_map(move |(sources, pairs)| {
            let mut excludes = vec![Vec::new(); readings];
            for (a, b) in pairs.into_iter().filter(|(a, b)| a != b) {
                excludes[a].push(b);
                excludes[b].push(a);
            }
            for list in &mut excludes {
                list.sort_unstable();
                list.dedup();
            }
            (sources, excludes)
        })
    }

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("s{i}")).collect()
    }

    /// Sources are laid out a block at a time: rows across blocks follow the verdicts too.
    #[test]
    fn rows_across_blocks_of_sources() {
        let excludes = vec![vec![2], vec![], vec![0], vec![]];
        let positions: Vec<Positions> = (0..300usize)
            .map(|s| {
                (0..5u32)
                    .filter(|scene| !(s + *scene as usize).is_multiple_of(4))
                    .map(|scene| {
                        let p = Position {
                            endorses: vec![(s + scene as usize) % 4],
                            rejects: if s.is_multiple_of(3) {
                                vec![(s + 1) % 4]
                            } else {
                                vec![]
                            },
                            spoke: true,
                        };
                        (scene, p)
                    })
                    .collect()
            })
            .collect();
        let table = PairTable::new(names(300), 5, positions.clone(), &excludes, SortBy::Name);
        for (i, j) in [
            (0, 299),
            (255, 256),
            (254, 257),
            (256, 299),
            (10, 260),
            (298, 299),
        ] {
            assert_eq!(
                table.counts(i, j),
                naive(&positions[i], &positions[j], &excludes)
            );
            assert_eq!(table.fixed(i).counts(j), table.counts(i, j));
        }
    }

    proptest! {
        #[test]
        fn rows_follow_the_verdicts(
            (positions, excludes) in prop_oneof![corpus(5), corpus(130)],
        ) {
            let s = positions.len();
            let table = PairTable::new(names(s), 130, positions.clone(), &excludes, SortBy::Name);
            let rows: Vec<PairAgreement> = table.rows().collect();
            prop_assert_eq!(rows.len(), s * s.saturating_sub(1) / 2);
            let mut k = 0;
            for i in 0..s {
                for j in i + 1..s {
                    let want = naive(&positions[i], &positions[j], &excludes);
                    let got = table.counts(i, j);
                    prop_assert_eq!(got, want);
                    // the rows of one source, its positions laid out by scene
                    prop_assert_eq!(table.fixed(i).counts(j), want);
                    prop_assert_eq!((&rows[k].left, &rows[k].right), (&names(s)[i], &names(s)[j]));
                    k += 1;
                }
            }
        }

        #[test]
        fn sorted_tables_hold_the_same_rows_in_order(
            (positions, excludes) in corpus(5),
        ) {
            let s = positions.len();
            let plain: Vec<PairAgreement> =
                PairTable::new(names(s), 130, positions.clone(), &excludes, SortBy::Name).rows().collect();
            for sort in [SortBy::Agreement, SortBy::Conflicts] {
                let sorted: Vec<PairAgreement> =
                    PairTable::new(names(s), 130, positions.clone(), &excludes, sort).rows().collect();
                let key = |p: &PairAgreement| (p.left.clone(), p.right.clone());
                let mut a = plain.clone();
                let mut b = sorted.clone();
                a.sort_by_key(key);
                b.sort_by_key(key);
                prop_assert_eq!(a, b);
                for w in sorted.windows(2) {
                    let j = |p: &PairAgreement| p.mean_jaccard.unwrap_or(f64::INFINITY);
                    match sort {
                        SortBy::Conflicts => prop_assert!(w[0].conflict >= w[1].conflict),
                        _ => prop_assert!(j(&w[0]) <= j(&w[1])),
                    }
                }
            }
        }
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

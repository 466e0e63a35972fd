//! What the pair table's rows are computed from (docs/rules.md#agreement): every source's positions as bit
//! sets, and the figures of a pair of sources from them.
//!
//! A row is a merge of two sources' scene sets and a judgement of each scene they share.
//! The rows of one source i against many others (a table in source order) judge i's
//! position on a scene once against each distinct position taken there (its *class*: a
//! work's scenes see a few distinct readings, held by hundreds of sources), and then each
//! row only looks up its verdicts.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::SortBy;
use super::pair_bits::{Shared, byte_ranks, rank};
use super::pairs::Counts;
use crate::verdict::Position;

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
    /// per position, its class: its index among the distinct positions on its scene
    class: Vec<u32>,
    /// per scene, where its classes start in `classes` (`scene_words · 64 + 1` entries)
    class_starts: Vec<u32>,
    /// per class, scene by scene, a position of that class
    classes: Vec<u32>,
    /// per scene, the number of positions on it
    on_scene: Vec<u32>,
    /// the pairs in the order asked for; `None` is source order, (0, 1), (0, 2), …
    order: Option<(Packing, Vec<SortKey>)>,
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
            class: Vec::new(),
            class_starts: Vec::new(),
            classes: Vec::new(),
            on_scene: Vec::new(),
            order: None,
        };
        table.classify();
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

    /// The pairs (i, j), i < j, in the table's order.
    pub(super) fn pairs(&self) -> PairOrder<'_> {
        match &self.order {
            Some((packing, order)) => PairOrder::Sorted(*packing, order.iter()),
            None => PairOrder::Natural {
                pair: (0, 1),
                sources: self.names.len(),
            },
        }
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// The table's last pair in its order.
    pub(super) fn last_pair(&self) -> Option<(usize, usize)> {
        match &self.order {
            Some((packing, order)) => order.last().map(|key| packing.pair(key)),
            None => {
                let s = self.names.len();
                (s >= 2).then(|| (s - 2, s - 1))
            }
        }
    }

    /// The order of `--sort agreement` (mean Jaccard ascending, undefined last, then the
    /// most conflicts) or `--sort conflicts` (most conflicts first, then mean Jaccard
    /// ascending); ties in source order. Holds a 16-byte key per pair, computed in place
    /// (a source's keys in a slice of their own, the sources on every core).
    fn sorted(&self, sort: SortBy) -> (Packing, Vec<SortKey>) {
        let s = self.names.len();
        let packing = Packing::of(s);
        let mut keys = vec![SortKey::default(); self.len()];
        let mut rest = &mut keys[..];
        let mut rows = Vec::with_capacity(s);
        for i in 0..s {
            let (row, later) = rest.split_at_mut(s - i - 1);
            rows.push((i, row));
            rest = later;
        }
        rows.into_par_iter().for_each(|(i, row)| {
            let mut runs = Runs::default();
            let counts = self.rows_of(i, row.len(), &mut runs);
            for (key, j) in row.iter_mut().zip(i + 1..) {
                let c = counts.counts(j);
                *key = SortKey {
                    jaccard: c.mean_jaccard.unwrap_or(f64::INFINITY),
                    packed: packing.pack(c.conflict, i, j),
                };
            }
        });
        // every key is distinct (its pair is), so an unstable sort is deterministic
        keys.par_sort_unstable_by(|a, b| {
            let by_agreement = a.jaccard.total_cmp(&b.jaccard);
            let by_conflicts = packing.conflicts(b).cmp(&packing.conflicts(a));
            let first = match sort {
                SortBy::Conflicts => by_conflicts.then(by_agreement),
                _ => by_agreement.then(by_conflicts),
            };
            first.then(packing.pair(a).cmp(&packing.pair(b)))
        });
        (packing, keys)
    }

    /// The figures of the pair (i, j): the scenes both have a position on are the common
    /// bits of their scene sets, and a position's index is its scene's rank among its
    /// source's scenes. Each shared scene is judged by the rules of docs/rules.md#verdicts (both sources
    /// spoke there, so the verdict is conflict, agree, overlap or diverge).
    pub fn counts(&self, i: usize, j: usize) -> Counts {
        let w = self.scene_words;
        let (on_i, ranks_i) = (&self.scenes[i * w..(i + 1) * w], &self.ranks[i * w..]);
        let (on_j, ranks_j) = (&self.scenes[j * w..(j + 1) * w], &self.ranks[j * w..]);
        let mut tally = Tally::default();
        let (mut before_i, mut before_j) = (self.starts[i], self.starts[j]);
        for (index, (&a, &b)) in on_i.iter().zip(on_j).enumerate() {
            let mut both = a & b;
            while both != 0 {
                let bit = both.trailing_zeros();
                both &= both - 1;
                // a position's index is its scene's rank among its source's scenes
                let x = before_i + rank(a, ranks_i[index], bit);
                let y = before_j + rank(b, ranks_j[index], bit);
                tally.add(&self.judge(x, y));
            }
            tally.end_word();
            before_i += a.count_ones() as usize;
            before_j += b.count_ones() as usize;
        }
        tally.counts()
    }

    /// Positions x and y, on the same scene, judged.
    #[inline(always)]
    fn judge(&self, x: usize, y: usize) -> Judged {
        let shared = if self.words == 1 {
            // one word of readings is every work of up to 64 readings: judged without loops
            Shared::of_word(self.position(x), self.position(y))
        } else {
            Shared::of(self.set(x), self.set(y), self.words)
        };
        Judged::of(&shared)
    }

    /// The figures of the pairs (i, j) in order, each handed to `take`, a run of pairs of
    /// one source i (the rows of a table in source order) at a time ([`rows_of`](Self::rows_of)).
    pub fn each_counts(&self, pairs: &[(usize, usize)], take: impl FnMut((usize, usize), Counts)) {
        self.each_counts_with(&mut Runs::default(), pairs, take);
    }

    /// [`each_counts`](Self::each_counts), keeping in `runs` what a run of rows that goes
    /// on in the next call can use again.
    pub fn each_counts_with<'t>(
        &'t self,
        runs: &mut Runs<'t>,
        pairs: &[(usize, usize)],
        mut take: impl FnMut((usize, usize), Counts),
    ) {
        let mut rest = pairs;
        while let Some(&(i, _)) = rest.first() {
            let run = rest.iter().take_while(|p| p.0 == i).count();
            let (now, later) = rest.split_at(run);
            let rows = self.rows_of(i, run, runs);
            now.iter().for_each(|&(i, j)| take((i, j), rows.counts(j)));
            rest = later;
        }
    }

    /// How to compute `run` rows of source i: judging i's positions once against every
    /// class on i's scenes pays where the rows would judge more scenes than there are
    /// classes there (the rows' shared scenes estimated from how many sources speak of
    /// each of i's scenes), or where `runs` holds them judged already.
    fn rows_of<'r, 't>(&'t self, i: usize, run: usize, runs: &'r mut Runs<'t>) -> RowsOf<'r, 't> {
        if runs.fixed.as_ref().is_some_and(|fixed| fixed.i == i) {
            return RowsOf::Fixed(runs.fixed.as_ref().expect("held"));
        }
        let (mut classes, mut positions) = (0usize, 0usize);
        self.each_scene(i, |scene, _| {
            classes += (self.class_starts[scene + 1] - self.class_starts[scene]) as usize;
            positions += self.on_scene[scene] as usize;
        });
        let judged_by_rows = run * positions / self.names.len().max(1);
        if run >= 8 && classes <= judged_by_rows {
            let fixed = runs.fixed.get_or_insert_with(|| Fixed {
                table: self,
                i,
                at: vec![0; self.scene_words * 64],
                judged: Vec::new(),
            });
            fixed.judge_all(i);
            RowsOf::Fixed(fixed)
        } else {
            RowsOf::Direct(self, i)
        }
    }

    /// Calls `each` with each scene source i has a position on and that position's index,
    /// in scene order.
    fn each_scene(&self, i: usize, mut each: impl FnMut(usize, usize)) {
        let sw = self.scene_words;
        let mut k = self.starts[i];
        for (index, &word) in self.scenes[i * sw..(i + 1) * sw].iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                each(index * 64 + bits.trailing_zeros() as usize, k);
                k += 1;
                bits &= bits - 1;
            }
        }
    }

    /// Source i's positions judged against every class on its scenes.
    #[cfg(test)]
    fn fixed(&self, i: usize) -> Fixed<'_> {
        let mut fixed = Fixed {
            table: self,
            i,
            at: vec![0; self.scene_words * 64],
            judged: Vec::new(),
        };
        fixed.judge_all(i);
        fixed
    }

    /// Gives each position its class: its index among the distinct positions on its scene
    /// (the same readings endorsed and rejected; what they exclude follows from them).
    fn classify(&mut self) {
        let (w, scenes) = (3 * self.words, self.scene_words * 64);
        let mut class = Vec::with_capacity(self.starts.last().copied().unwrap_or(0));
        let mut found: Vec<Vec<u32>> = vec![Vec::new(); scenes];
        let mut on_scene = vec![0u32; scenes];
        {
            let mut seen: Vec<HashMap<&[u64], u32>> = vec![HashMap::default(); scenes];
            for i in 0..self.names.len() {
                self.each_scene(i, |scene, x| {
                    let key = &self.sets[x * w..x * w + 2 * self.words];
                    let next = found[scene].len() as u32;
                    let c = *seen[scene].entry(key).or_insert(next);
                    if c == next {
                        found[scene].push(x as u32);
                    }
                    class.push(c);
                    on_scene[scene] += 1;
                });
            }
        }
        let mut class_starts = Vec::with_capacity(scenes + 1);
        class_starts.push(0);
        for list in &found {
            class_starts.push(class_starts.last().copied().unwrap_or(0) + list.len() as u32);
        }
        self.classes = found.concat();
        self.class_starts = class_starts;
        self.class = class;
        self.on_scene = on_scene;
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

/// Two positions on one scene judged: a one in the byte of the verdict's index ([`Tally`]),
/// and their Jaccard similarity where both endorse something (else 0).
#[derive(Clone, Copy)]
struct Judged {
    tally: u64,
    jaccard: f64,
}

impl Judged {
    #[inline(always)]
    fn of(shared: &Shared) -> Self {
        let both = u64::from(shared.both_endorse);
        Judged {
            tally: (1 << (8 * shared.verdict)) | (both << 32),
            jaccard: if shared.both_endorse {
                shared.jaccard
            } else {
                0.0
            },
        }
    }
}

/// The verdicts over a pair's shared scenes: agree, overlap, diverge, conflict, and the
/// scenes where both endorse something, a byte each in `word` for the scenes of one word
/// of scenes (at most 64), added to `counts` word by word; and the sum of the Jaccard
/// similarities, added in scene order.
#[derive(Default)]
struct Tally {
    word: u64,
    counts: [usize; 5],
    jaccard: f64,
}

impl Tally {
    #[inline(always)]
    fn add(&mut self, judged: &Judged) {
        self.word += judged.tally;
        self.jaccard += judged.jaccard;
    }

    /// Moves the word's bytes to the counts: at the end of each word of scenes.
    #[inline(always)]
    fn end_word(&mut self) {
        if self.word != 0 {
            for (k, n) in self.counts.iter_mut().enumerate() {
                *n += (self.word >> (8 * k) & 0xff) as usize;
            }
            self.word = 0;
        }
    }

    fn counts(mut self) -> Counts {
        self.end_word();
        let [agree, overlap, diverge, conflict, both] = self.counts;
        Counts {
            shared_scenes: agree + overlap + diverge + conflict,
            agree,
            overlap,
            diverge,
            conflict,
            mean_jaccard: (both > 0).then(|| self.jaccard / both as f64),
        }
    }
}

/// How the rows of one source i are computed ([`PairTable::rows_of`]).
enum RowsOf<'r, 't> {
    /// pair by pair
    Direct(&'t PairTable, usize),
    /// from i's positions judged against every class
    Fixed(&'r Fixed<'t>),
}

impl RowsOf<'_, '_> {
    fn counts(&self, j: usize) -> Counts {
        match self {
            RowsOf::Direct(table, i) => table.counts(*i, j),
            RowsOf::Fixed(fixed) => fixed.counts(j),
        }
    }
}

/// What runs of rows keep from one call of [`PairTable::each_counts_with`] to the next: the
/// last source's positions judged against every class, for its run to go on with in the
/// next piece of the table, and the room to judge the next source's.
#[derive(Default)]
pub struct Runs<'t> {
    fixed: Option<Fixed<'t>>,
}

/// The rows of one source i: its positions judged against every class on its scenes.
struct Fixed<'a> {
    table: &'a PairTable,
    i: usize,
    /// per scene of i, where its judgements begin in `judged`
    at: Vec<u32>,
    /// per scene of i, i's position there judged against each class there
    judged: Vec<Judged>,
}

impl Fixed<'_> {
    /// Judges source i's positions against every class on its scenes, in place of the
    /// source's before.
    fn judge_all(&mut self, i: usize) {
        let t = self.table;
        self.i = i;
        self.judged.clear();
        t.each_scene(i, |scene, x| {
            self.at[scene] = self.judged.len() as u32;
            let classes = t.class_starts[scene] as usize..t.class_starts[scene + 1] as usize;
            for &y in &t.classes[classes] {
                self.judged.push(t.judge(x, y as usize));
            }
        });
    }

    fn counts(&self, j: usize) -> Counts {
        let t = self.table;
        let w = t.scene_words;
        if w == 1 {
            return self.counts_in_a_word(j);
        }
        let on_i = &t.scenes[self.i * w..(self.i + 1) * w];
        let (on_j, ranks_j) = (&t.scenes[j * w..(j + 1) * w], &t.ranks[j * w..]);
        let mut tally = Tally::default();
        let mut before_j = t.starts[j];
        for (index, (&a, &b)) in on_i.iter().zip(on_j).enumerate() {
            let mut both = a & b;
            while both != 0 {
                let bit = both.trailing_zeros();
                both &= both - 1;
                // j's position is the scene's rank among j's scenes; its class says how
                // it was judged against i's
                let y = before_j + rank(b, ranks_j[index], bit);
                let scene = index * 64 + bit as usize;
                tally.add(&self.judged[self.at[scene] as usize + t.class[y] as usize]);
            }
            tally.end_word();
            if w > 1 {
                before_j += b.count_ones() as usize;
            }
        }
        tally.counts()
    }

    /// [`counts`](Self::counts) for a work of at most 64 scenes: one word of scenes.
    #[inline(always)]
    fn counts_in_a_word(&self, j: usize) -> Counts {
        let t = self.table;
        let (a, b, ranks_j, before_j) = (t.scenes[self.i], t.scenes[j], t.ranks[j], t.starts[j]);
        let mut tally = Tally::default();
        let mut both = a & b;
        while both != 0 {
            let bit = both.trailing_zeros();
            both &= both - 1;
            let y = before_j + rank(b, ranks_j, bit);
            tally.add(&self.judged[self.at[bit as usize] as usize + t.class[y] as usize]);
        }
        tally.counts()
    }
}

/// The pairs of a table in its order.
pub(super) enum PairOrder<'a> {
    /// (0, 1), (0, 2), …, (1, 2), …: the next pair, and the number of sources
    Natural {
        pair: (usize, usize),
        sources: usize,
    },
    /// the keys of a sorted table, in order
    Sorted(Packing, std::slice::Iter<'a, SortKey>),
}

/// A pair's key in a sorted table: its mean Jaccard (infinity where undefined), and its
/// conflicts and its two sources packed in one word by a [`Packing`].
#[derive(Clone, Copy, Default)]
pub(super) struct SortKey {
    jaccard: f64,
    packed: u64,
}

/// How a pair's conflicts and sources share a word: the two sources' indices in the low
/// bits, `source_bits` each, and the conflicts above them. Conflicts beyond what the bits
/// left can count are counted as that many: with a million sources that is sixteen million
/// conflicting scenes, more than a work has.
#[derive(Clone, Copy)]
pub(super) struct Packing {
    source_bits: u32,
}

impl Packing {
    fn of(sources: usize) -> Self {
        Packing {
            source_bits: (usize::BITS - sources.saturating_sub(1).leading_zeros()).max(1),
        }
    }

    fn pack(&self, conflicts: usize, i: usize, j: usize) -> u64 {
        let b = self.source_bits;
        let most = u64::MAX >> (2 * b);
        (most.min(conflicts as u64) << (2 * b)) | ((i as u64) << b) | j as u64
    }

    fn conflicts(&self, key: &SortKey) -> u64 {
        key.packed >> (2 * self.source_bits)
    }

    fn pair(&self, key: &SortKey) -> (usize, usize) {
        let b = self.source_bits;
        let mask = (1u64 << b) - 1;
        (
            (key.packed >> b & mask) as usize,
            (key.packed & mask) as usize,
        )
    }
}

impl Iterator for PairOrder<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        match self {
            PairOrder::Sorted(packing, order) => order.next().map(|key| packing.pair(key)),
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::agreement::Distance;
    use crate::verdict::{Verdict, verdict};
    use crate::views::agreement::PairAgreement;

    /// The row as docs/rules.md defines it, straight from `verdict` and `Distance`.
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
    /// Six scenes in one word of a scene set (a work of at most 64 scenes).
    const ONE_WORD: [u32; 6] = [0, 1, 5, 17, 40, 63];

    /// Up to `sources` sources speaking of some of `scenes`, and a symmetric `excludes`.
    fn corpus(
        readings: usize,
        scenes: [u32; 6],
        sources: usize,
    ) -> impl Strategy<Value = (Vec<Positions>, Vec<Vec<usize>>)> {
        let source = proptest::collection::vec(proptest::option::of(position(readings)), 6)
            .prop_map(move |positions| {
                positions
                    .into_iter()
                    .zip(scenes)
                    .filter_map(|(p, s)| p.map(|p| (s, p)))
                    .collect::<Positions>()
            });
        let pairs = proptest::collection::vec((0..readings, 0..readings), 0..4);
        (proptest::collection::vec(source, 0..sources), pairs).prop_map(move |(sources, pairs)| {
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

    #[test]
    fn sort_keys_give_back_their_pair_and_conflicts() {
        for sources in [0usize, 1, 2, 3, 1000, 2001, 1 << 20] {
            let packing = Packing::of(sources);
            let last = sources.max(2) - 1;
            for (conflicts, i, j) in [(0, 0, 1), (7, last - 1, last), (65_535, 1, last)] {
                let key = SortKey {
                    jaccard: 0.5,
                    packed: packing.pack(conflicts, i, j),
                };
                assert_eq!(packing.pair(&key), (i, j), "{sources}");
                assert_eq!(packing.conflicts(&key), conflicts as u64, "{sources}");
            }
        }
        // more conflicts than a word has room for beside a million sources count as the most
        let packing = Packing::of(1 << 20);
        let key = SortKey {
            jaccard: 0.0,
            packed: packing.pack(usize::MAX, 3, 4),
        };
        assert_eq!(
            (packing.conflicts(&key), packing.pair(&key)),
            ((1 << 24) - 1, (3, 4))
        );
    }

    /// A run cut short by the end of a piece goes on in the next with what it judged.
    #[test]
    fn a_run_goes_on_in_the_next_piece_with_its_judgements() {
        let p = |e: usize| Position {
            endorses: vec![e],
            rejects: vec![],
            spoke: true,
        };
        // a few distinct positions a scene among twelve sources: judged once per class
        let positions: Vec<Positions> = (0..12)
            .map(|s| {
                (0..4u32)
                    .map(|scene| (scene, p((s + scene as usize) % 2)))
                    .collect()
            })
            .collect();
        let excludes = vec![vec![1], vec![0]];
        let table = PairTable::new(names(12), 4, positions.clone(), &excludes, SortBy::Name);
        let pairs: Vec<(usize, usize)> = table.pairs().collect();
        let mut runs = Runs::default();
        let mut got = Vec::new();
        table.each_counts_with(&mut runs, &pairs[..9], |_, c| got.push(c));
        assert_eq!(
            runs.fixed.as_ref().map(|f| f.i),
            Some(0),
            "judged for source 0"
        );
        table.each_counts_with(&mut runs, &pairs[9..], |_, c| got.push(c));
        let want: Vec<Counts> = pairs
            .iter()
            .map(|&(i, j)| naive(&positions[i], &positions[j], &excludes))
            .collect();
        assert_eq!(got, want);
    }

    proptest! {
        #[test]
        fn rows_follow_the_verdicts(
            (positions, excludes) in prop_oneof![corpus(5, SCENES, 6), corpus(130, SCENES, 6)],
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

        /// The rows of a run of pairs of one source, computed pair by pair or from its
        /// positions judged against every class, in a work of one word of scenes or more.
        #[test]
        fn runs_of_rows_follow_the_verdicts(
            (positions, excludes, scenes) in prop_oneof![
                corpus(3, ONE_WORD, 14).prop_map(|(p, e)| (p, e, 64)),
                corpus(5, ONE_WORD, 14).prop_map(|(p, e)| (p, e, 64)),
                corpus(70, ONE_WORD, 14).prop_map(|(p, e)| (p, e, 64)),
                corpus(3, SCENES, 14).prop_map(|(p, e)| (p, e, 130)),
            ],
        ) {
            let s = positions.len();
            let table = PairTable::new(names(s), scenes, positions.clone(), &excludes, SortBy::Name);
            let pairs: Vec<(usize, usize)> = table.pairs().collect();
            let mut got = Vec::new();
            table.each_counts(&pairs, |pair, c| got.push((pair, c)));
            let want: Vec<_> = pairs
                .iter()
                .map(|&(i, j)| ((i, j), naive(&positions[i], &positions[j], &excludes)))
                .collect();
            prop_assert_eq!(&got, &want);
            // in pieces that cut runs short, what a run kept is used again by the next
            let mut runs = Runs::default();
            let mut pieces = Vec::new();
            for piece in pairs.chunks(9) {
                table.each_counts_with(&mut runs, piece, |pair, c| pieces.push((pair, c)));
            }
            prop_assert_eq!(&pieces, &want);
            for i in 0..s {
                for j in i + 1..s {
                    prop_assert_eq!(table.fixed(i).counts(j), table.counts(i, j));
                }
            }
        }

        #[test]
        fn sorted_tables_hold_the_same_rows_in_order(
            (positions, excludes) in corpus(5, SCENES, 6),
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
}

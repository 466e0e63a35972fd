//! Agreement statistics (SPEC §6): Krippendorff's alpha over set-valued codings, with
//! nominal, MASI and Jaccard distances, and the per-unit mean pairwise agreement.
//!
//! This module owns the arithmetic only. Its callers decide what a unit, a coder and a
//! value are (for parallax: scenes, sources and the set of readings a source endorses in a
//! scene, as reading indices) and hand it one [`UnitValues`] per unit. Everything here
//! works from counts of distinct values, never from pairs of coders, so the cost grows
//! with the number of (unit, distinct value) pairs and a corpus with thousands of sources
//! stays cheap.
//!
//! Undefined results are `None`, never NaN and never a made-up 1: alpha is undefined when
//! no unit is pairable or when the pairable values show no variation at all.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// A coded value: the sorted, deduplicated, non-empty set of reading indices a coder endorses in a unit.
pub type Value = Vec<u32>;

/// The ways two coded values can differ. Sets give partial agreement a meaning that a
/// nominal comparison throws away, so alpha is reported under each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distance {
    /// Every distinct set is its own category: any difference is total disagreement.
    Nominal,
    /// Passonneau's MASI: Jaccard weighted by how the sets relate (equal, nested,
    /// overlapping, disjoint), so nested readings count as closer than merely overlapping ones.
    Masi,
    /// One minus the share of the union the two sets have in common.
    Jaccard,
}

impl Distance {
    /// Every distance, in the order reports show them.
    pub const ALL: [Distance; 3] = [Distance::Nominal, Distance::Masi, Distance::Jaccard];

    /// The stable name used in machine-readable output (SPEC §7).
    pub fn name(self) -> &'static str {
        match self {
            Distance::Nominal => "nominal",
            Distance::Masi => "masi",
            Distance::Jaccard => "jaccard",
        }
    }

    /// Distance between two values in [0, 1]; 0 iff equal.
    ///
    /// Inputs that are not sorted and deduplicated are normalised first, so a careless
    /// caller gets set semantics rather than a silently wrong number.
    pub fn between(self, a: &[u32], b: &[u32]) -> f64 {
        Overlap::of(&normalise(a), &normalise(b)).distance(self)
    }

    /// `1 - between(a, b)`, computed directly from the counts so that it is rounded once;
    /// per-pair similarity tables (such as a mean Jaccard similarity) want it this way.
    pub fn similarity(self, a: &[u32], b: &[u32]) -> f64 {
        Overlap::of(&normalise(a), &normalise(b)).similarity(self)
    }
}

/// Everything the three distances need to know about a pair of sets.
#[derive(Debug, Clone, Copy)]
struct Overlap {
    inter: u64,
    union: u64,
    len_a: u64,
    len_b: u64,
}

impl Overlap {
    /// Both inputs must be sorted and deduplicated: a single merge pass then suffices.
    fn of(a: &[u32], b: &[u32]) -> Self {
        let (mut i, mut j, mut inter) = (0, 0, 0u64);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    inter += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let (len_a, len_b) = (a.len() as u64, b.len() as u64);
        Overlap {
            inter,
            union: len_a + len_b - inter,
            len_a,
            len_b,
        }
    }

    fn equal(self) -> bool {
        self.inter == self.len_a && self.inter == self.len_b
    }

    /// MASI's monotonicity weight M, in thirds, so the similarity stays one exact ratio
    /// of integers (rounded once) instead of a product of two rounded fractions.
    fn masi_thirds(self) -> u64 {
        if self.equal() {
            3
        } else if self.inter == self.len_a || self.inter == self.len_b {
            2
        } else if self.inter > 0 {
            1
        } else {
            0
        }
    }

    fn similarity(self, d: Distance) -> f64 {
        if self.union == 0 {
            // Two empty sets are equal; no division by zero.
            return 1.0;
        }
        match d {
            Distance::Nominal => {
                if self.equal() {
                    1.0
                } else {
                    0.0
                }
            }
            Distance::Jaccard => self.inter as f64 / self.union as f64,
            Distance::Masi => (self.inter * self.masi_thirds()) as f64 / (3 * self.union) as f64,
        }
    }

    fn distance(self, d: Distance) -> f64 {
        if self.union == 0 {
            return 0.0;
        }
        match d {
            Distance::Nominal => {
                if self.equal() {
                    0.0
                } else {
                    1.0
                }
            }
            Distance::Jaccard => (self.union - self.inter) as f64 / self.union as f64,
            Distance::Masi => {
                (3 * self.union - self.inter * self.masi_thirds()) as f64 / (3 * self.union) as f64
            }
        }
    }
}

/// Borrows an already-normalised value (the common case) and fixes up any other.
fn normalise(a: &[u32]) -> Cow<'_, [u32]> {
    if a.windows(2).all(|w| w[0] < w[1]) {
        Cow::Borrowed(a)
    } else {
        let mut v = a.to_vec();
        v.sort_unstable();
        v.dedup();
        Cow::Owned(v)
    }
}

/// Compensated (Neumaier) summation: D_e over many global value pairs adds up millions
/// of terms of very different sizes, and alpha must match the definition to 1e-9.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// One unit (scene) reduced to its distinct values and how many coders hold each.
///
/// Keeping counts instead of per-coder values is what makes every statistic here linear
/// in coders: thousands of sources that agree collapse into a single entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitValues {
    /// Distinct values and their coder counts, sorted by value for determinism.
    /// Entries with an empty value or a zero count are treated as missing.
    pub values: Vec<(Value, usize)>,
}

impl UnitValues {
    /// Groups coders' values (missing values are simply not passed). Values are normalised (sorted, deduped); empty sets are ignored (= missing).
    pub fn from_values<I: IntoIterator<Item = Value>>(values: I) -> Self {
        let mut grouped: BTreeMap<Value, usize> = BTreeMap::new();
        for mut v in values {
            v.sort_unstable();
            v.dedup();
            if !v.is_empty() {
                *grouped.entry(v).or_default() += 1;
            }
        }
        UnitValues {
            values: grouped.into_iter().collect(),
        }
    }

    /// The entries that count: a hand-built unit may hold empty values or zero counts.
    fn present(&self) -> impl Iterator<Item = (&[u32], usize)> {
        self.values
            .iter()
            .filter(|(v, n)| !v.is_empty() && *n > 0)
            .map(|(v, n)| (v.as_slice(), *n))
    }

    /// Number of coders with a value (m_u).
    pub fn count(&self) -> usize {
        self.present().map(|(_, n)| n).sum()
    }

    /// Number of distinct values held in this unit.
    pub fn distinct(&self) -> usize {
        self.present().count()
    }

    /// Krippendorff only pairs values within units that have at least two of them.
    pub fn is_pairable(&self) -> bool {
        self.count() >= 2
    }

    /// Mean over all unordered pairs of coders holding a value of (1 - MASI distance); None if count < 2.
    /// Computed from the counts: O(distinct^2), not O(coders^2).
    pub fn mean_pairwise_agreement(&self) -> Option<f64> {
        let m = self.count() as u128;
        if m < 2 {
            return None;
        }
        let entries: Vec<(Cow<'_, [u32]>, u128)> = self
            .present()
            .map(|(v, n)| (normalise(v), n as u128))
            .collect();
        let mut total = Sum::default();
        for (i, (a, na)) in entries.iter().enumerate() {
            // Pairs of coders holding the very same value agree fully.
            total.add((na * (na - 1) / 2) as f64);
            for (b, nb) in &entries[i + 1..] {
                let weight = (na * nb) as f64;
                total.add(weight * Overlap::of(a, b).similarity(Distance::Masi));
            }
        }
        Some(total.value() / (m * (m - 1) / 2) as f64)
    }
}

/// Krippendorff's alpha under each distance, with the sizes that qualify it.
#[derive(Debug, Clone, PartialEq)]
pub struct Alpha {
    /// Alpha with each distinct set as its own category.
    pub nominal: Option<f64>,
    /// Alpha with MASI distance.
    pub masi: Option<f64>,
    /// Alpha with Jaccard distance.
    pub jaccard: Option<f64>,
    /// units with at least two values
    pub pairable_units: usize,
    /// n: the number of pairable values (sum of m_u over pairable units)
    pub pairable_values: usize,
}

impl Alpha {
    /// The figure for one distance, so callers can iterate over [`Distance::ALL`].
    pub fn get(&self, d: Distance) -> Option<f64> {
        match d {
            Distance::Nominal => self.nominal,
            Distance::Masi => self.masi,
            Distance::Jaccard => self.jaccard,
        }
    }
}

/// The pairable units with their values interned to indices of one global table, so
/// D_e is computed once over global distinct values instead of once per unit.
struct Interned<'a> {
    /// Per pairable unit: (global value index, count), sorted by index, no repeats.
    units: Vec<Vec<(usize, u64)>>,
    /// Global distinct values, indexed as above.
    globals: Vec<Cow<'a, [u32]>>,
    /// n_c: each global value's total over pairable units.
    totals: Vec<u64>,
    /// n: the number of pairable values.
    n: u64,
}

impl<'a> Interned<'a> {
    fn new(units: &'a [UnitValues]) -> Self {
        let mut index: HashMap<Cow<'a, [u32]>, usize> = HashMap::new();
        let mut globals: Vec<Cow<'a, [u32]>> = Vec::new();
        let mut totals: Vec<u64> = Vec::new();
        let mut pairable = Vec::new();
        let mut n = 0u64;
        for unit in units {
            let m = unit.count() as u64;
            if m < 2 {
                continue;
            }
            let mut entries: Vec<(usize, u64)> = unit
                .present()
                .map(|(v, count)| {
                    let key = normalise(v);
                    let g = match index.get(key.as_ref()) {
                        Some(&g) => g,
                        None => {
                            let g = globals.len();
                            globals.push(key.clone());
                            totals.push(0);
                            index.insert(key, g);
                            g
                        }
                    };
                    totals[g] += count as u64;
                    (g, count as u64)
                })
                .collect();
            // A hand-built unit may list one value twice (or unnormalised spellings of it).
            entries.sort_unstable_by_key(|&(g, _)| g);
            entries.dedup_by(|later, earlier| {
                if later.0 == earlier.0 {
                    earlier.1 += later.1;
                    true
                } else {
                    false
                }
            });
            n += m;
            pairable.push(entries);
        }
        Interned {
            units: pairable,
            globals,
            totals,
            n,
        }
    }

    /// Σ_u (1/(m_u − 1)) Σ_{c≠k} n_uc·n_uk (the unit's ordered pairs of different values),
    /// and n² − Σ n_c² for D_e: for nominal distance these are closed forms, linear in size.
    fn nominal_sums(&self) -> (f64, f64) {
        let mut observed = Sum::default();
        for unit in &self.units {
            let m: u128 = unit.iter().map(|&(_, c)| c as u128).sum();
            let same: u128 = unit.iter().map(|&(_, c)| (c as u128) * (c as u128)).sum();
            if m * m > same {
                observed.add((m * m - same) as f64 / (m - 1) as f64);
            }
        }
        let n = self.n as u128;
        let same: u128 = self.totals.iter().map(|&c| (c as u128) * (c as u128)).sum();
        (observed.value(), (n * n - same) as f64)
    }

    /// The same two sums for the set distances, MASI and Jaccard together because they
    /// share the costly part (the overlap of each pair of values).
    fn set_sums(&self) -> [(f64, f64); 2] {
        let mut observed = [Sum::default(); 2];
        for unit in &self.units {
            let m: u64 = unit.iter().map(|&(_, c)| c).sum();
            let mut within = [Sum::default(); 2];
            for (i, &(a, na)) in unit.iter().enumerate() {
                for &(b, nb) in &unit[i + 1..] {
                    let overlap = Overlap::of(&self.globals[a], &self.globals[b]);
                    let weight = 2.0 * (na as f64) * (nb as f64);
                    within[0].add(weight * overlap.distance(Distance::Masi));
                    within[1].add(weight * overlap.distance(Distance::Jaccard));
                }
            }
            for (acc, w) in observed.iter_mut().zip(within) {
                acc.add(w.value() / (m - 1) as f64);
            }
        }
        let mut expected = [Sum::default(); 2];
        for (a, value_a) in self.globals.iter().enumerate() {
            for (b, value_b) in self.globals.iter().enumerate().skip(a + 1) {
                let overlap = Overlap::of(value_a, value_b);
                let weight = 2.0 * (self.totals[a] as f64) * (self.totals[b] as f64);
                expected[0].add(weight * overlap.distance(Distance::Masi));
                expected[1].add(weight * overlap.distance(Distance::Jaccard));
            }
        }
        [
            (observed[0].value(), expected[0].value()),
            (observed[1].value(), expected[1].value()),
        ]
    }

    /// alpha = 1 − D_o/D_e = 1 − (n − 1)·observed/expected, with D_o = observed/n and
    /// D_e = expected/(n(n − 1)); written this way so that perfect agreement gives exactly 1.
    fn finish(&self, (observed, expected): (f64, f64)) -> Option<f64> {
        if self.n < 2 || expected <= 0.0 {
            return None;
        }
        let alpha = 1.0 - (self.n - 1) as f64 * observed / expected;
        alpha.is_finite().then_some(alpha)
    }
}

/// Krippendorff's alpha for all three distances over the units.
pub fn alpha(units: &[UnitValues]) -> Alpha {
    let interned = Interned::new(units);
    let [masi, jaccard] = interned.set_sums();
    Alpha {
        nominal: interned.finish(interned.nominal_sums()),
        masi: interned.finish(masi),
        jaccard: interned.finish(jaccard),
        pairable_units: interned.units.len(),
        pairable_values: interned.n as usize,
    }
}

/// Krippendorff's alpha for one distance; cheaper than [`alpha`] when only nominal is wanted.
pub fn alpha_with(units: &[UnitValues], d: Distance) -> Option<f64> {
    let interned = Interned::new(units);
    match d {
        Distance::Nominal => interned.finish(interned.nominal_sums()),
        Distance::Masi => interned.finish(interned.set_sums()[0]),
        Distance::Jaccard => interned.finish(interned.set_sums()[1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    const TOL: f64 = 1e-9;

    fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
        match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => (x - y).abs() <= tol,
            _ => false,
        }
    }

    /// Units from a coders × units table, `None` = missing.
    fn units_from(table: &[Vec<Option<Value>>]) -> Vec<UnitValues> {
        let n_units = table.iter().map(Vec::len).max().unwrap_or(0);
        (0..n_units)
            .map(|u| {
                UnitValues::from_values(
                    table.iter().filter_map(|row| row.get(u).cloned().flatten()),
                )
            })
            .collect()
    }

    /// Shorthand for a table of singleton codings; 0 = missing.
    fn singletons(rows: &[&[u32]]) -> Vec<Vec<Option<Value>>> {
        rows.iter()
            .map(|row| row.iter().map(|&x| (x != 0).then(|| vec![x])).collect())
            .collect()
    }

    /// An independent distance: BTreeSets and floating-point fractions, as written in SPEC §6.
    fn naive_distance(d: Distance, a: &[u32], b: &[u32]) -> f64 {
        let a: BTreeSet<u32> = a.iter().copied().collect();
        let b: BTreeSet<u32> = b.iter().copied().collect();
        let inter = a.intersection(&b).count() as f64;
        let union = a.union(&b).count() as f64;
        let j = inter / union;
        match d {
            Distance::Nominal => f64::from(u8::from(a != b)),
            Distance::Jaccard => 1.0 - j,
            Distance::Masi => {
                let m = if a == b {
                    1.0
                } else if a.is_subset(&b) || b.is_subset(&a) {
                    2.0 / 3.0
                } else if inter > 0.0 {
                    1.0 / 3.0
                } else {
                    0.0
                };
                1.0 - j * m
            }
        }
    }

    /// Alpha straight from Krippendorff's definition: an explicit coincidence matrix built
    /// from every ordered pair of coders in every unit (quadratic in coders, on purpose).
    fn naive_alpha(table: &[Vec<Option<Value>>], d: Distance) -> Option<f64> {
        let n_units = table.iter().map(Vec::len).max().unwrap_or(0);
        let mut o: BTreeMap<(Value, Value), f64> = BTreeMap::new();
        for u in 0..n_units {
            let vals: Vec<Value> = table
                .iter()
                .filter_map(|row| row.get(u).cloned().flatten())
                .map(|mut v| {
                    v.sort_unstable();
                    v.dedup();
                    v
                })
                .filter(|v| !v.is_empty())
                .collect();
            let m = vals.len();
            if m < 2 {
                continue;
            }
            for i in 0..m {
                for j in 0..m {
                    if i != j {
                        *o.entry((vals[i].clone(), vals[j].clone())).or_default() +=
                            1.0 / (m - 1) as f64;
                    }
                }
            }
        }
        let mut n_c: BTreeMap<Value, f64> = BTreeMap::new();
        for ((c, _), w) in &o {
            *n_c.entry(c.clone()).or_default() += w;
        }
        let n: f64 = n_c.values().sum();
        if n == 0.0 {
            return None;
        }
        let d_o: f64 = o
            .iter()
            .map(|((c, k), w)| w * naive_distance(d, c, k))
            .sum::<f64>()
            / n;
        let mut d_e = 0.0;
        for (c, nc) in &n_c {
            for (k, nk) in &n_c {
                d_e += nc * nk * naive_distance(d, c, k);
            }
        }
        d_e /= n * (n - 1.0);
        if d_e == 0.0 {
            return None;
        }
        Some(1.0 - d_o / d_e)
    }

    /// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
    /// 4 observers × 12 units with missing values; nominal alpha = 0.743.
    fn krippendorff_2011() -> Vec<Vec<Option<Value>>> {
        singletons(&[
            &[1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
            &[1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
            &[0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
            &[1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
        ])
    }

    #[test]
    fn krippendorff_published_example() {
        let units = units_from(&krippendorff_2011());
        let a = alpha(&units);
        let expected = 113.0 / 152.0;
        assert!((a.nominal.unwrap() - expected).abs() < TOL, "{a:?}");
        // Singleton values: disjoint sets are at distance 1 under every distance.
        assert!((a.masi.unwrap() - expected).abs() < TOL, "{a:?}");
        assert!((a.jaccard.unwrap() - expected).abs() < TOL, "{a:?}");
        // Unit 12 has a single value: not pairable, not counted in n.
        assert_eq!(a.pairable_units, 11);
        assert_eq!(a.pairable_values, 40);
        for d in Distance::ALL {
            assert!(close(alpha_with(&units, d), Some(expected), TOL));
        }
        assert_eq!(format!("{:.3}", a.nominal.unwrap()), "0.743");
    }

    #[test]
    fn distances_by_hand() {
        let (ab, a, bc, c) = ([0, 1], [0], [1, 2], [2]);
        for d in Distance::ALL {
            assert_eq!(d.between(&ab, &ab), 0.0);
            assert_eq!(d.between(&a, &c), 1.0);
            assert_eq!(d.similarity(&ab, &ab), 1.0);
        }
        // {0,1} ⊃ {0}: J = 1/2, M = 2/3 → MASI = 1 − 1/3.
        assert_eq!(Distance::Jaccard.between(&ab, &a), 0.5);
        assert_eq!(Distance::Masi.between(&ab, &a), 2.0 / 3.0);
        assert_eq!(Distance::Masi.between(&a, &ab), 2.0 / 3.0);
        // {0,1} vs {1,2}: J = 1/3, M = 1/3 → MASI = 1 − 1/9.
        assert_eq!(Distance::Jaccard.between(&ab, &bc), 2.0 / 3.0);
        assert_eq!(Distance::Masi.between(&ab, &bc), 8.0 / 9.0);
        assert_eq!(Distance::Masi.similarity(&ab, &bc), 1.0 / 9.0);
        assert_eq!(Distance::Nominal.between(&ab, &a), 1.0);
        // Unnormalised input is treated as the set it denotes.
        assert_eq!(Distance::Jaccard.between(&[1, 0, 1], &[0]), 0.5);
        assert_eq!(
            Distance::ALL.map(Distance::name),
            ["nominal", "masi", "jaccard"]
        );
    }

    #[test]
    fn perfect_agreement_is_exactly_one() {
        let table = singletons(&[&[1, 2, 3, 1], &[1, 2, 3, 1], &[1, 2, 0, 1]]);
        let a = alpha(&units_from(&table));
        assert_eq!(a.nominal, Some(1.0));
        assert_eq!(a.masi, Some(1.0));
        assert_eq!(a.jaccard, Some(1.0));
    }

    #[test]
    fn no_variation_is_undefined() {
        // Everyone agrees on the one value ever used: D_e = 0, so alpha is undefined, not 1.
        let table = singletons(&[&[1, 1, 1], &[1, 1, 0]]);
        let a = alpha(&units_from(&table));
        assert_eq!((a.nominal, a.masi, a.jaccard), (None, None, None));
        assert_eq!((a.pairable_units, a.pairable_values), (2, 4));
        // Variation only in a unit that is not pairable does not count either.
        let table = singletons(&[&[1, 1, 2], &[1, 1, 0]]);
        let a = alpha(&units_from(&table));
        assert_eq!(a.nominal, None);
        assert_eq!((a.pairable_units, a.pairable_values), (2, 4));
    }

    #[test]
    fn single_coder_per_unit_is_undefined() {
        let table = singletons(&[&[1, 0, 3], &[0, 2, 0]]);
        let a = alpha(&units_from(&table));
        assert_eq!(
            a,
            Alpha {
                nominal: None,
                masi: None,
                jaccard: None,
                pairable_units: 0,
                pairable_values: 0,
            }
        );
        assert_eq!(alpha(&[]).nominal, None);
        assert_eq!(alpha_with(&[], Distance::Masi), None);
    }

    #[test]
    fn set_valued_overlaps_by_hand() {
        // a = {0,1}, b = {0}, c = {2}. Units: U1 = {a, b}, U2 = {a, a}, U3 = {c, c}.
        // n = 6; n_a = 3, n_b = 1, n_c = 2. δ(a,c) = δ(b,c) = 1 (disjoint), δ(a,b) = δ.
        // Σ_o = Σ_u Σ_{c≠k} n_uc n_uk δ / (m_u − 1) = 2δ (only U1 disagrees).
        // Σ_e = Σ_{c≠k} n_c n_k δ = 2(3δ + 3·2 + 1·2) = 6δ + 16.
        // alpha = 1 − (n − 1)·Σ_o/Σ_e = 1 − 10δ / (6δ + 16).
        //   Jaccard δ = 1/2: 1 − 5/19 = 14/19.
        //   MASI δ = 1 − (1/2)(2/3) = 2/3: 1 − (20/3)/20 = 2/3.
        //   nominal δ = 1: 1 − 10/22 = 6/11.
        let (a, b, c) = (vec![0, 1], vec![0], vec![2]);
        let units = vec![
            UnitValues::from_values([a.clone(), b.clone()]),
            UnitValues::from_values([a.clone(), a.clone()]),
            UnitValues::from_values([c.clone(), c.clone()]),
        ];
        let r = alpha(&units);
        assert!(close(r.jaccard, Some(14.0 / 19.0), 1e-12), "{r:?}");
        assert!(close(r.masi, Some(2.0 / 3.0), 1e-12), "{r:?}");
        assert!(close(r.nominal, Some(6.0 / 11.0), 1e-12), "{r:?}");
        assert_eq!((r.pairable_units, r.pairable_values), (3, 6));
    }

    #[test]
    fn disagreement_can_make_alpha_negative() {
        // Two coders who always disagree, systematically: D_o > D_e.
        // Units {1,2}, {1,2}: n = 4, n_1 = n_2 = 2; Σ_o = 2 + 2 = 4, Σ_e = 16 − 8 = 8.
        // alpha = 1 − 3·4/8 = −1/2.
        let table = singletons(&[&[1, 1], &[2, 2]]);
        let a = alpha(&units_from(&table));
        assert!(close(a.nominal, Some(-0.5), 1e-12), "{a:?}");
    }

    #[test]
    fn grouping_normalises_and_drops_empty_values() {
        let u = UnitValues::from_values([vec![2, 1, 2], vec![1, 2], vec![], vec![0]]);
        assert_eq!(u.values, vec![(vec![0], 1), (vec![1, 2], 2)]);
        assert_eq!((u.count(), u.distinct()), (3, 2));
        assert!(u.is_pairable());
        assert_eq!(UnitValues::from_values(Vec::<Value>::new()).count(), 0);
    }

    #[test]
    fn hand_built_units_with_repeats_match_grouped_ones() {
        let grouped = vec![
            UnitValues::from_values([vec![0, 1], vec![0, 1], vec![0], vec![2]]),
            UnitValues::from_values([vec![2], vec![0]]),
        ];
        let hand = vec![
            UnitValues {
                values: vec![
                    (vec![1, 0], 1),
                    (vec![0], 1),
                    (vec![0, 1], 1),
                    (vec![2], 1),
                    (vec![], 4),
                    (vec![3], 0),
                ],
            },
            UnitValues {
                values: vec![(vec![2], 1), (vec![0], 1)],
            },
        ];
        let (g, h) = (alpha(&grouped), alpha(&hand));
        for d in Distance::ALL {
            assert!(close(g.get(d), h.get(d), 1e-12), "{g:?} {h:?}");
        }
        assert_eq!(g.pairable_values, h.pairable_values);
        assert!(close(
            grouped[0].mean_pairwise_agreement(),
            hand[0].mean_pairwise_agreement(),
            1e-12
        ));
    }

    #[test]
    fn mean_pairwise_agreement_by_hand() {
        let (ab, a, c) = (vec![0, 1], vec![0], vec![2]);
        // Fewer than two coders: undefined.
        assert_eq!(UnitValues::default().mean_pairwise_agreement(), None);
        assert_eq!(
            UnitValues::from_values([a.clone()]).mean_pairwise_agreement(),
            None
        );
        // All agree: exactly 1. Disjoint: exactly 0.
        let same = UnitValues::from_values([a.clone(), a.clone(), a.clone()]);
        assert_eq!(same.mean_pairwise_agreement(), Some(1.0));
        let apart = UnitValues::from_values([a.clone(), c.clone()]);
        assert_eq!(apart.mean_pairwise_agreement(), Some(0.0));
        // {0,1}, {0,1}, {0}: pairs (ab,ab) = 1, (ab,a) twice at 1 − 2/3 = 1/3 → (5/3)/3 = 5/9.
        let nested = UnitValues::from_values([ab.clone(), ab.clone(), a.clone()]);
        assert!(close(
            nested.mean_pairwise_agreement(),
            Some(5.0 / 9.0),
            1e-15
        ));
        // {0,1}, {0}, {2}: 1/3 + 0 + 0 over 3 pairs = 1/9.
        let mixed = UnitValues::from_values([ab, a, c]);
        assert!(close(
            mixed.mean_pairwise_agreement(),
            Some(1.0 / 9.0),
            1e-15
        ));
    }

    #[test]
    fn many_coders_in_few_distinct_values() {
        // 10,000 coders per unit, two values: the count-based path must not blow up and
        // must match the closed form. Units: 6,000 × {0} + 4,000 × {1}, and 10,000 × {0}.
        let unit1 = UnitValues {
            values: vec![(vec![0], 6000), (vec![1], 4000)],
        };
        let unit2 = UnitValues {
            values: vec![(vec![0], 10_000)],
        };
        // Σ_o = 2·6000·4000/9999; Σ_e = 20000² − 16000² − 4000²; n = 20000.
        let so = 2.0 * 6000.0 * 4000.0 / 9999.0;
        let se = 20000.0f64 * 20000.0 - 16000.0 * 16000.0 - 4000.0 * 4000.0;
        let expected = 1.0 - 19999.0 * so / se;
        let a = alpha(&[unit1.clone(), unit2]);
        for d in Distance::ALL {
            assert!(close(a.get(d), Some(expected), 1e-12), "{a:?}");
        }
        // (C(6000,2) + C(4000,2)) / C(10000,2)
        let pairs = |k: f64| k * (k - 1.0) / 2.0;
        let m = (pairs(6000.0) + pairs(4000.0)) / pairs(10000.0);
        assert!(close(unit1.mean_pairwise_agreement(), Some(m), 1e-12));
    }

    // ---- properties ----

    /// A coders × units table over a small reading alphabet, with missing values.
    fn table_strategy(
        max_coders: usize,
        max_units: usize,
        readings: u32,
    ) -> impl Strategy<Value = Vec<Vec<Option<Value>>>> {
        (1..=max_coders, 1..=max_units).prop_flat_map(move |(coders, units)| {
            let value =
                proptest::option::weighted(0.8, proptest::collection::vec(0..readings, 1..=3usize));
            proptest::collection::vec(proptest::collection::vec(value, units), coders)
        })
    }

    fn singleton_table_strategy() -> impl Strategy<Value = Vec<Vec<Option<Value>>>> {
        (1..=6usize, 1..=6usize).prop_flat_map(|(coders, units)| {
            let value = proptest::option::weighted(0.8, (0..5u32).prop_map(|r| vec![r]));
            proptest::collection::vec(proptest::collection::vec(value, units), coders)
        })
    }

    fn all_close(a: &Alpha, b: &Alpha, tol: f64) -> bool {
        Distance::ALL
            .iter()
            .all(|&d| close(a.get(d), b.get(d), tol))
            && a.pairable_units == b.pairable_units
            && a.pairable_values == b.pairable_values
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn alpha_is_at_most_one(table in table_strategy(6, 6, 5)) {
            let a = alpha(&units_from(&table));
            for d in Distance::ALL {
                if let Some(x) = a.get(d) {
                    prop_assert!(x <= 1.0 + 1e-12, "{:?}: {}", d, x);
                    prop_assert!(x.is_finite());
                }
            }
        }

        #[test]
        fn alpha_matches_the_coincidence_matrix_definition(table in table_strategy(6, 6, 5)) {
            let a = alpha(&units_from(&table));
            for d in Distance::ALL {
                let naive = naive_alpha(&table, d);
                prop_assert!(close(a.get(d), naive, TOL), "{:?}: {:?} vs {:?}", d, a.get(d), naive);
                prop_assert!(close(alpha_with(&units_from(&table), d), naive, TOL));
            }
        }

        #[test]
        fn identical_coders_agree_perfectly(
            row in proptest::collection::vec(
                proptest::option::weighted(0.8, proptest::collection::vec(0..5u32, 1..=3usize)),
                1..=8usize,
            ),
            copies in 2..=5usize,
        ) {
            let table = vec![row.clone(); copies];
            let a = alpha(&units_from(&table));
            let distinct: BTreeSet<Value> = row
                .iter()
                .flatten()
                .map(|v| v.iter().copied().collect::<BTreeSet<u32>>().into_iter().collect())
                .collect();
            let expected = (distinct.len() > 1).then_some(1.0);
            for d in Distance::ALL {
                prop_assert_eq!(a.get(d), expected, "{:?}", d);
            }
        }

        #[test]
        fn renaming_readings_changes_nothing(
            table in table_strategy(6, 6, 6),
            perm in Just((0..6u32).collect::<Vec<_>>()).prop_shuffle(),
        ) {
            let renamed: Vec<Vec<Option<Value>>> = table
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|v| v.as_ref().map(|v| v.iter().map(|&r| perm[r as usize]).collect()))
                        .collect()
                })
                .collect();
            let (a, b) = (alpha(&units_from(&table)), alpha(&units_from(&renamed)));
            prop_assert!(all_close(&a, &b, TOL), "{:?} vs {:?}", a, b);
        }

        #[test]
        fn reordering_coders_changes_nothing(
            (table, order) in table_strategy(6, 6, 5).prop_flat_map(|t| {
                let order = Just((0..t.len()).collect::<Vec<_>>()).prop_shuffle();
                (Just(t), order)
            }),
        ) {
            let shuffled: Vec<_> = order.iter().map(|&i| table[i].clone()).collect();
            let (a, b) = (units_from(&table), units_from(&shuffled));
            // Grouping by value forgets who held it.
            prop_assert_eq!(&a, &b);
            prop_assert!(all_close(&alpha(&a), &alpha(&b), 0.0));
        }

        #[test]
        fn reordering_units_changes_nothing(
            (table, order) in table_strategy(6, 6, 5).prop_flat_map(|t| {
                let order = Just((0..t[0].len()).collect::<Vec<_>>()).prop_shuffle();
                (Just(t), order)
            }),
        ) {
            let units = units_from(&table);
            let shuffled: Vec<UnitValues> = order.iter().map(|&i| units[i].clone()).collect();
            let (a, b) = (alpha(&units), alpha(&shuffled));
            prop_assert!(all_close(&a, &b, TOL), "{:?} vs {:?}", a, b);
        }

        #[test]
        fn singletons_make_all_distances_nominal(table in singleton_table_strategy()) {
            let a = alpha(&units_from(&table));
            prop_assert!(close(a.masi, a.nominal, 1e-12), "{:?}", a);
            prop_assert!(close(a.jaccard, a.nominal, 1e-12), "{:?}", a);
        }

        #[test]
        fn mean_pairwise_agreement_matches_all_pairs(
            values in proptest::collection::vec(proptest::collection::vec(0..5u32, 0..=3usize), 0..12usize),
        ) {
            let unit = UnitValues::from_values(values.clone());
            let present: Vec<&Value> = values.iter().filter(|v| !v.is_empty()).collect();
            let mut total = 0.0;
            let mut pairs = 0usize;
            for i in 0..present.len() {
                for j in i + 1..present.len() {
                    total += 1.0 - naive_distance(Distance::Masi, present[i], present[j]);
                    pairs += 1;
                }
            }
            let naive = (pairs > 0).then(|| total / pairs as f64);
            let fast = unit.mean_pairwise_agreement();
            prop_assert!(close(fast, naive, 1e-12), "{:?} vs {:?}", fast, naive);
            prop_assert_eq!(unit.count(), present.len());
        }

        #[test]
        fn distances_are_symmetric_bounded_and_zero_only_when_equal(
            a in proptest::collection::btree_set(0..6u32, 1..=4usize),
            b in proptest::collection::btree_set(0..6u32, 1..=4usize),
        ) {
            let (a, b): (Value, Value) = (a.into_iter().collect(), b.into_iter().collect());
            for d in Distance::ALL {
                let x = d.between(&a, &b);
                prop_assert_eq!(x, d.between(&b, &a));
                prop_assert!((0.0..=1.0).contains(&x));
                prop_assert_eq!(x == 0.0, a == b);
                prop_assert!((x - naive_distance(d, &a, &b)).abs() < 1e-15);
                prop_assert!((d.similarity(&a, &b) - (1.0 - x)).abs() < 1e-15);
            }
        }
    }
}

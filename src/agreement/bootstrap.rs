//! Krippendorff's bootstrap of alpha's distribution: the 95% interval of alpha and the
//! probability q that alpha falls below a threshold.
//!
//! The algorithm is Krippendorff's "Algorithm for bootstrapping a distribution of α"
//! (2006, revised 2011), the bootstrap Hayes & Krippendorff (2007) describe for the KALPHA
//! macro, as the R package `kripp.boot` and the Java tool `irr` implement it:
//!
//! 1. The observed coincidences o_ck (Σ_ck o_ck = n, the pairable values) give a
//!    distribution over pairs of values: the cell (c, k) is drawn with probability
//!    o_ck / n, and carries the distance δ(c, k).
//! 2. Each replicate draws M pairs with replacement, where
//!    `M = min(25·q, (m − 1)·n / 2)`: q is the number of non-zero cells of the
//!    coincidence matrix (both triangles and the diagonal), m the number of coders (here,
//!    coders holding a pairable value) and n the number of pairable values.
//! 3. A replicate's alpha is `1 − Σ δ / (M·D_e)`, with D_e the expected disagreement of the
//!    data (it is not resampled).
//! 4. A replicate whose M pairs all fall in one diagonal cell has no variation: its alpha
//!    would be undefined (Krippendorff removes the expected number of such replicates,
//!    X·Σ_c (o_cc/n)^M, from those at alpha = 1; here each one is recognised and left out).
//!
//! The interval is the 2.5th and 97.5th percentiles of the replicates (`kripp.boot`'s
//! order statistics), and q the share of replicates below 0.667 and below 0.800.
//!
//! One set of draws serves all three distances, since the coincidence matrix is the same:
//! a drawn cell carries its nominal, MASI and Jaccard distance. Cells of equal distances
//! are merged into one outcome, so a draw costs O(1) whatever the number of values.
//!
//! Runs repeat exactly: replicate x draws from ChaCha8 keyed by the seed (its eight
//! little-endian bytes, zero-padded) on stream x, each draw one 64-bit word mapped to an
//! outcome by integer arithmetic (Walker's alias method, 32-bit thresholds). Floating
//! point enters only in the sums, in a fixed order, so the figures are the same on every
//! platform and with any number of threads.

use std::collections::{BTreeMap, HashMap};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

use super::alpha::Interned;
use super::distance::{Distance, Overlap, Sum};
use super::unit::UnitValues;

/// The seed used when none is given, so that runs repeat.
pub const DEFAULT_SEED: u64 = 1;

/// A sensible number of replicates for publication.
pub const RECOMMENDED_SAMPLES: usize = 10_000;

/// How many replicates to draw, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BootstrapOptions {
    pub samples: usize,
    pub seed: u64,
}

/// The bootstrap figures of alpha under one distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// the 2.5th percentile of the replicates
    pub low: f64,
    /// the 97.5th percentile
    pub high: f64,
    /// the share of replicates with alpha below 0.667
    pub q_below_0667: f64,
    /// the share of replicates with alpha below 0.800
    pub q_below_0800: f64,
}

/// The bootstrap of alpha under each distance; a distance's figures are `None` where
/// alpha is undefined, or no replicate has variation.
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    pub samples: usize,
    pub seed: u64,
    /// M: the pairs each replicate draws (0 when nothing is pairable)
    pub pairs_per_sample: u64,
    pub nominal: Option<Interval>,
    pub masi: Option<Interval>,
    pub jaccard: Option<Interval>,
}

impl Bootstrap {
    /// The figures for one distance, so callers can iterate over [`Distance::ALL`].
    pub fn get(&self, d: Distance) -> Option<Interval> {
        match d {
            Distance::Nominal => self.nominal,
            Distance::Masi => self.masi,
            Distance::Jaccard => self.jaccard,
        }
    }
}

/// Bootstraps alpha over the units, `coders` being the number of coders holding a
/// pairable value (m of the algorithm).
pub fn bootstrap(units: &[UnitValues], coders: usize, opts: BootstrapOptions) -> Bootstrap {
    let interned = Interned::new(units);
    let draws = Draws::new(&interned, coders);
    let replicates = draws.replicates(opts);
    let [nominal, masi, jaccard] =
        [0, 1, 2].map(|d| interval(replicates.iter().filter_map(|r| r[d])));
    Bootstrap {
        samples: opts.samples,
        seed: opts.seed,
        pairs_per_sample: draws.pairs,
        nominal,
        masi,
        jaccard,
    }
}

/// What one replicate draws from: the outcomes (a diagonal cell, or a class of
/// off-diagonal cells with equal distances) with their probabilities as an alias table.
struct Draws {
    /// per outcome: its nominal, MASI and Jaccard distances
    deltas: Vec<[f64; 3]>,
    /// per outcome: whether it is a diagonal cell (a pair of equal values)
    diagonal: Vec<bool>,
    table: Alias,
    /// M
    pairs: u64,
    /// n(n − 1)/expected per distance (`None` where alpha is undefined), so a replicate's
    /// alpha is 1 − Σδ·scale/M
    scale: [Option<f64>; 3],
}

impl Draws {
    fn new(interned: &Interned, coders: usize) -> Self {
        let cells = coincidences(interned);
        let q = cells
            .keys()
            .map(|&(c, k)| if c == k { 1 } else { 2 })
            .sum::<u128>();
        let n = interned.n as u128;
        let pairs = (25 * q).min((coders.max(1) as u128 - 1) * n / 2) as u64;
        let (mut deltas, mut diagonal, mut weights) = (Vec::new(), Vec::new(), Vec::new());
        let mut classes: BTreeMap<[u64; 3], f64> = BTreeMap::new();
        let mut sorted: Vec<_> = cells.into_iter().collect();
        sorted.sort_by_key(|&(key, _)| key);
        for ((c, k), o) in sorted {
            if c == k {
                deltas.push([0.0; 3]);
                diagonal.push(true);
                weights.push(o);
            } else {
                let d = Overlap::of(&interned.globals[c], &interned.globals[k]).distances();
                *classes.entry(d.map(f64::to_bits)).or_default() += 2.0 * o;
            }
        }
        for (d, w) in classes {
            deltas.push(d.map(f64::from_bits));
            diagonal.push(false);
            weights.push(w);
        }
        let expected = {
            let [masi, jaccard] = interned.set_sums();
            [interned.nominal_sums().1, masi.1, jaccard.1]
        };
        let nn1 = n as f64 * (n as f64 - 1.0);
        Draws {
            deltas,
            diagonal,
            table: Alias::new(&weights),
            pairs,
            scale: expected.map(|e| (n >= 2 && e > 0.0).then(|| nn1 / e)),
        }
    }

    /// Every replicate's alpha per distance (`None` where the replicate has no variation
    /// or alpha is undefined), in replicate order.
    fn replicates(&self, opts: BootstrapOptions) -> Vec<[Option<f64>; 3]> {
        if self.pairs == 0 || self.deltas.is_empty() || self.scale.iter().all(Option::is_none) {
            return Vec::new();
        }
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&opts.seed.to_le_bytes());
        let bar = crate::progress::Bar::new("bootstrap samples", opts.samples as u64);
        (0..opts.samples as u64)
            .into_par_iter()
            .inspect(|_| bar.inc(1))
            .map_init(
                || vec![0u64; self.deltas.len()],
                |counts, x| {
                    let mut rng = ChaCha8Rng::from_seed(key);
                    rng.set_stream(x);
                    self.replicate(&mut rng, counts)
                },
            )
            .collect()
    }

    fn replicate(&self, rng: &mut ChaCha8Rng, counts: &mut [u64]) -> [Option<f64>; 3] {
        counts.fill(0);
        for _ in 0..self.pairs {
            counts[self.table.draw(rng.next_u64())] += 1;
        }
        let uniform = counts
            .iter()
            .zip(&self.diagonal)
            .any(|(&c, &diag)| diag && c == self.pairs);
        if uniform {
            return [None; 3];
        }
        let mut sums = [Sum::default(); 3];
        for (&c, delta) in counts.iter().zip(&self.deltas).filter(|(c, _)| **c > 0) {
            for (s, &d) in sums.iter_mut().zip(delta) {
                s.add(c as f64 * d);
            }
        }
        let m = self.pairs as f64;
        [0, 1, 2].map(|d| self.scale[d].map(|scale| 1.0 - sums[d].value() * scale / m))
    }
}

/// The non-zero observed coincidences, one triangle: (c, k) with c ≤ k for global values
/// c and k, o_ck = Σ_u n_uc·(n_uk − [c = k])/(m_u − 1). Summed unit by unit, in order.
fn coincidences(interned: &Interned) -> HashMap<(usize, usize), f64> {
    let mut cells: HashMap<(usize, usize), f64> = HashMap::new();
    for unit in &interned.units {
        let m: u64 = unit.iter().map(|&(_, n)| n).sum();
        let weight = 1.0 / (m - 1) as f64;
        for (i, &(c, nc)) in unit.iter().enumerate() {
            if nc >= 2 {
                *cells.entry((c, c)).or_default() += (nc * (nc - 1)) as f64 * weight;
            }
            for &(k, nk) in &unit[i + 1..] {
                *cells.entry((c, k)).or_default() += (nc * nk) as f64 * weight;
            }
        }
    }
    cells
}

/// Walker's alias method with integer thresholds: one 64-bit word picks a column with its
/// high half and decides between the column and its alias with its low half.
struct Alias {
    /// P(column keeps itself), scaled to 2³²
    threshold: Vec<u64>,
    alias: Vec<u32>,
}

impl Alias {
    /// Vose's construction from non-negative weights (at least one positive).
    fn new(weights: &[f64]) -> Self {
        let len = weights.len();
        let total: f64 = weights.iter().copied().sum::<Sum>().value();
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * len as f64 / total).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..len).partition(|&i| scaled[i] < 1.0);
        let mut alias: Vec<u32> = (0..len as u32).collect();
        let mut keep = vec![1.0f64; len];
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            keep[s] = scaled[s];
            alias[s] = l as u32;
            scaled[l] = (scaled[l] + scaled[s]) - 1.0;
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // what is left holds (up to rounding) exactly one column's worth: keeps itself
        let threshold = keep
            .iter()
            .map(|&p| ((p.clamp(0.0, 1.0) * 4_294_967_296.0) as u64).min(1 << 32))
            .collect();
        Alias { threshold, alias }
    }

    fn draw(&self, word: u64) -> usize {
        let column = (((word >> 32) * self.threshold.len() as u64) >> 32) as usize;
        if word & 0xffff_ffff < self.threshold[column] {
            column
        } else {
            self.alias[column] as usize
        }
    }
}

/// The interval and q from the kept replicates (`None` when there are none): the
/// replicates sorted, low the ⌊0.025·X⌋-th (at least the first) and high the
/// (⌊0.975·X⌋ + 1)-th (at most the last), as `kripp.boot` takes them.
pub(crate) fn interval(alphas: impl Iterator<Item = f64>) -> Option<Interval> {
    let mut sorted: Vec<f64> = alphas.collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let x = sorted.len();
    let low = (x * 25 / 1000).max(1);
    let high = (x * 975 / 1000 + 1).min(x);
    let share = |limit: f64| sorted.partition_point(|&a| a < limit) as f64 / x as f64;
    Some(Interval {
        low: sorted[low - 1],
        high: sorted[high - 1],
        q_below_0667: share(0.667),
        q_below_0800: share(0.800),
    })
}

#[cfg(test)]
#[path = "bootstrap_tests.rs"]
mod tests;

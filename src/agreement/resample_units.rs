//! A bootstrap over units: each replicate draws as many units as are pairable, with
//! replacement, and computes alpha of the sample afresh, with the sample's own expected
//! disagreement. The 95% interval is the 2.5th and 97.5th percentiles of the replicates'
//! alphas, and q the share of replicates below 0.667 and 0.800, as in
//! [`bootstrap`](super::bootstrap()).
//!
//! Krippendorff's bootstrap ([`bootstrap`](super::bootstrap())) resamples pairs of values
//! from the coincidence matrix and keeps D_e fixed: it answers how alpha varies with the
//! pairing of values, for the units coded. Resampling units answers how alpha would vary
//! with another sample of units (articles and scenes) coded by the same coders; it is the
//! interval to report when the units are a sample of a larger population, and it is wider
//! when a few units carry most of the disagreement.
//!
//! Each unit's share of the observed disagreement is computed once; a replicate adds up
//! the shares and the value totals of the units it draws, then computes the expected
//! disagreement from its totals (a sum over pairs of distinct values, read from a table of
//! their distances). Replicate x draws from ChaCha8 keyed by the seed on stream x, so runs
//! repeat on every machine and with any number of threads.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use rayon::prelude::*;

use super::alpha::{Interned, finish};
use super::bootstrap::{Bootstrap, BootstrapOptions, interval};
use super::distance::{Overlap, Sum};
use super::unit::UnitValues;

/// Above this many distinct values the table of their distances (two `f64` per pair) is
/// not kept: distances are computed as a replicate needs them.
const TABLE_LIMIT: usize = 1024;

/// Bootstraps alpha by resampling the pairable units.
pub fn bootstrap_units(units: &[UnitValues], opts: BootstrapOptions) -> Bootstrap {
    let interned = Interned::new(units);
    let draws = UnitDraws::new(&interned);
    let replicates: Vec<[Option<f64>; 3]> = if draws.units.is_empty() {
        Vec::new()
    } else {
        let bar = crate::progress::Bar::new("bootstrap samples", opts.samples as u64);
        (0..opts.samples as u64)
            .into_par_iter()
            .inspect(|_| bar.inc(1))
            .map(|x| draws.replicate(opts.seed, x))
            .collect()
    };
    let [nominal, masi, jaccard] =
        [0, 1, 2].map(|d| interval(replicates.iter().filter_map(|r| r[d])));
    Bootstrap {
        samples: opts.samples,
        seed: opts.seed,
        pairs_per_sample: 0,
        nominal,
        masi,
        jaccard,
    }
}

/// One pairable unit as a replicate adds it up.
struct DrawnUnit {
    /// m_u: the unit's values
    values: u64,
    /// the unit's observed disagreement, Σ_{c≠k} n_uc·n_uk·δ(c, k) / (m_u − 1), per distance
    observed: [f64; 3],
    /// (global value, count)
    entries: Vec<(usize, u64)>,
}

struct UnitDraws<'a> {
    units: Vec<DrawnUnit>,
    interned: &'a Interned<'a>,
    /// MASI and Jaccard distance of each pair of global values, row by row, when there are
    /// at most [`TABLE_LIMIT`] of them
    table: Option<Vec<[f64; 2]>>,
}

impl<'a> UnitDraws<'a> {
    fn new(interned: &'a Interned<'a>) -> Self {
        let g = interned.globals.len();
        let table = (g <= TABLE_LIMIT).then(|| {
            (0..g * g)
                .map(|i| {
                    let d =
                        Overlap::of(&interned.globals[i / g], &interned.globals[i % g]).distances();
                    [d[1], d[2]]
                })
                .collect()
        });
        let mut draws = UnitDraws {
            units: Vec::new(),
            interned,
            table,
        };
        draws.units = (interned.units.iter())
            .map(|entries| {
                let values: u64 = entries.iter().map(|&(_, c)| c).sum();
                let mut observed = [Sum::default(); 3];
                for (i, &(a, na)) in entries.iter().enumerate() {
                    for &(b, nb) in &entries[i + 1..] {
                        let weight = 2.0 * (na as f64) * (nb as f64);
                        let [masi, jaccard] = draws.distance(a, b);
                        observed[0].add(weight);
                        observed[1].add(weight * masi);
                        observed[2].add(weight * jaccard);
                    }
                }
                DrawnUnit {
                    values,
                    observed: observed.map(|s| s.value() / (values - 1) as f64),
                    entries: entries.clone(),
                }
            })
            .collect();
        draws
    }

    /// The MASI and Jaccard distances of two global values.
    fn distance(&self, a: usize, b: usize) -> [f64; 2] {
        let g = self.interned.globals.len();
        match &self.table {
            Some(table) => table[a * g + b],
            None => {
                let d =
                    Overlap::of(&self.interned.globals[a], &self.interned.globals[b]).distances();
                [d[1], d[2]]
            }
        }
    }

    /// Replicate `x`: as many units as are pairable, drawn with replacement; its alpha under
    /// each distance (`None` where the sample shows no variation).
    fn replicate(&self, seed: u64, x: u64) -> [Option<f64>; 3] {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(x);
        let count = self.units.len() as u64;
        // an index from the top 32 bits of a word, by multiplication (no modulo bias beyond
        // 2^-32 of the count)
        self.alpha_of((0..count).map(|_| (((rng.next_u64() >> 32) * count) >> 32) as usize))
    }

    /// Alpha of a sample of the pairable units (indices, repeats allowed), each distance.
    fn alpha_of(&self, sample: impl Iterator<Item = usize>) -> [Option<f64>; 3] {
        let mut totals = vec![0u64; self.interned.globals.len()];
        let mut observed = [Sum::default(); 3];
        let mut n = 0u64;
        for unit in sample.map(|i| &self.units[i]) {
            n += unit.values;
            for (sum, o) in observed.iter_mut().zip(unit.observed) {
                sum.add(o);
            }
            for &(g, c) in &unit.entries {
                totals[g] += c;
            }
        }
        let present: Vec<(usize, u64)> = (totals.iter().enumerate())
            .filter(|(_, t)| **t > 0)
            .map(|(g, &t)| (g, t))
            .collect();
        let nominal_expected = {
            let same: u128 = present
                .iter()
                .map(|&(_, t)| (t as u128) * (t as u128))
                .sum();
            ((n as u128) * (n as u128) - same) as f64
        };
        let mut expected = [Sum::default(); 2];
        for (i, &(a, ta)) in present.iter().enumerate() {
            for &(b, tb) in &present[i + 1..] {
                let weight = 2.0 * (ta as f64) * (tb as f64);
                let [masi, jaccard] = self.distance(a, b);
                expected[0].add(weight * masi);
                expected[1].add(weight * jaccard);
            }
        }
        [
            finish(n, (observed[0].value(), nominal_expected)),
            finish(n, (observed[1].value(), expected[0].value())),
            finish(n, (observed[2].value(), expected[1].value())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::testing::{krippendorff_2011, table_strategy, units_from};
    use crate::agreement::{Distance, alpha};
    use proptest::prelude::*;

    fn opts(samples: usize, seed: u64) -> BootstrapOptions {
        BootstrapOptions { samples, seed }
    }

    #[test]
    fn the_interval_holds_alpha_of_the_published_example() {
        let units = units_from(&krippendorff_2011());
        let b = bootstrap_units(&units, opts(2000, 7));
        let a = alpha(&units).nominal.unwrap();
        let i = b.nominal.unwrap();
        assert!(i.low < a && a < i.high, "{i:?} around {a}");
        // the same seed gives the same figures; another seed others
        assert_eq!(b, bootstrap_units(&units, opts(2000, 7)));
        assert_ne!(b, bootstrap_units(&units, opts(2000, 8)));
    }

    #[test]
    fn perfect_agreement_stays_perfect_and_nothing_pairable_is_undefined() {
        let same = units_from(&[
            vec![Some(vec![1]), Some(vec![2])],
            vec![Some(vec![1]), Some(vec![2])],
        ]);
        let b = bootstrap_units(&same, opts(200, 1));
        let i = b.masi.unwrap();
        // a replicate that draws one unit only shows no variation and is left out
        assert_eq!((i.low, i.high, i.q_below_0800), (1.0, 1.0, 0.0));
        let lonely = units_from(&[vec![Some(vec![1]), None]]);
        assert_eq!(bootstrap_units(&lonely, opts(50, 1)).nominal, None);
    }

    #[test]
    fn the_distance_table_and_distances_computed_on_demand_agree() {
        let units = units_from(&krippendorff_2011());
        let interned = Interned::new(&units);
        let with = UnitDraws::new(&interned);
        let mut without = UnitDraws::new(&interned);
        without.table = None;
        for x in 0..20 {
            assert_eq!(with.replicate(3, x), without.replicate(3, x));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// A replicate's alpha is alpha of the units it drew, repeats included, as the core
        /// computes it from scratch.
        #[test]
        fn a_replicate_is_alpha_of_the_units_it_drew(
            (table, picks) in table_strategy(5, 6, 4).prop_flat_map(|t| {
                let units = t.iter().map(Vec::len).max().unwrap_or(0);
                (Just(t), proptest::collection::vec(0..units.max(1), 1..10))
            }),
        ) {
            let units = units_from(&table);
            let interned = Interned::new(&units);
            let draws = UnitDraws::new(&interned);
            prop_assume!(!draws.units.is_empty());
            // the pairable units, in the order Interned keeps them
            let pairable: Vec<&UnitValues> = units.iter().filter(|u| u.is_pairable()).collect();
            let picks: Vec<usize> = picks.iter().map(|&p| p % pairable.len()).collect();
            let sample: Vec<UnitValues> = picks.iter().map(|&p| pairable[p].clone()).collect();
            let want = alpha(&sample);
            let got = draws.alpha_of(picks.iter().copied());
            for (i, d) in Distance::ALL.into_iter().enumerate() {
                let ok = match (got[i], want.get(d)) {
                    (Some(a), Some(b)) => (a - b).abs() < 1e-9,
                    (a, b) => a == b,
                };
                prop_assert!(ok, "{:?}: {:?} vs {:?}", d, got[i], want.get(d));
            }
        }
    }
}

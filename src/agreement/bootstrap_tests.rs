//! The bootstrap: the coincidences it draws from, the alias table, and the properties of
//! its interval (covers alpha, repeats with a seed, widens as the data shrink).

use proptest::prelude::*;

use super::*;
use crate::agreement::testing::*;
use crate::agreement::{Value, alpha};

fn opts(samples: usize, seed: u64) -> BootstrapOptions {
    BootstrapOptions { samples, seed }
}

/// The table's units repeated `times` over (the same coders coding more units alike).
fn repeated(table: &[Vec<Option<Value>>], times: usize) -> Vec<UnitValues> {
    let units = units_from(table);
    (0..times).flat_map(|_| units.iter().cloned()).collect()
}

#[test]
fn coincidences_sum_to_the_pairable_values() {
    let units = units_from(&krippendorff_2011());
    let interned = Interned::new(&units);
    let cells = coincidences(&interned);
    let total: f64 = cells
        .iter()
        .map(|(&(c, k), &o)| if c == k { o } else { 2.0 * o })
        .sum();
    assert!((total - 40.0).abs() < 1e-12, "{total}");
    // each value's row adds up to its total n_c
    for (g, &n_c) in interned.totals.iter().enumerate() {
        let row: f64 = cells
            .iter()
            .filter(|&(&(c, k), _)| c == g || k == g)
            .map(|(_, &o)| o)
            .sum();
        assert!(
            (row - n_c as f64).abs() < 1e-12,
            "value {g}: {row} vs {n_c}"
        );
    }
}

#[test]
fn pairs_per_sample_follow_krippendorff() {
    // 4 coders, n = 40: (m − 1)·n/2 = 60 caps 25·q.
    let units = units_from(&krippendorff_2011());
    let b = bootstrap(&units, 4, opts(10, 1));
    assert_eq!(b.pairs_per_sample, 60);
    // Two coders over one unit with two values: q = 2 (two off-diagonal cells), n = 2:
    // M = min(50, 1) = 1.
    let units = units_from(&singletons(&[&[1], &[2]]));
    assert_eq!(bootstrap(&units, 2, opts(10, 1)).pairs_per_sample, 1);
    // Nothing pairable: no draws, no figures.
    let units = units_from(&singletons(&[&[1, 0], &[0, 2]]));
    let b = bootstrap(&units, 2, opts(10, 1));
    assert_eq!(
        (b.pairs_per_sample, b.nominal, b.masi, b.jaccard),
        (0, None, None, None)
    );
}

#[test]
fn alias_table_draws_in_proportion() {
    let table = Alias::new(&[1.0, 3.0, 0.0, 4.0]);
    let mut counts = [0u64; 4];
    // every column position and threshold value, evenly
    let steps = 1u64 << 12;
    for hi in 0..steps {
        for lo in 0..64u64 {
            let word = (hi << 52) | (lo << 26);
            counts[table.draw(word)] += 1;
        }
    }
    let total = (steps * 64) as f64;
    let shares = counts.map(|c| c as f64 / total);
    for (got, want) in shares.iter().zip([0.125, 0.375, 0.0, 0.5]) {
        assert!((got - want).abs() < 0.02, "{shares:?}");
    }
}

#[test]
fn interval_covers_alpha() {
    for times in [1, 3] {
        let units = repeated(&krippendorff_2011(), times);
        let a = alpha(&units);
        let b = bootstrap(&units, 4, opts(2000, DEFAULT_SEED));
        for d in Distance::ALL {
            let i = b.get(d).expect("defined");
            let x = a.get(d).unwrap();
            assert!(i.low <= x && x <= i.high, "{d:?}: {x} not in {i:?}");
            assert!(i.low < i.high);
            assert!(i.q_below_0667 <= i.q_below_0800);
            assert!((0.0..=1.0).contains(&i.q_below_0800));
        }
    }
}

#[test]
fn same_seed_repeats_and_another_seed_differs() {
    let units = units_from(&krippendorff_2011());
    let one = bootstrap(&units, 4, opts(500, 7));
    assert_eq!(one, bootstrap(&units, 4, opts(500, 7)));
    let interned = Interned::new(&units);
    let draws = Draws::new(&interned, 4);
    let (a, b) = (
        draws.replicates(opts(500, 7)),
        draws.replicates(opts(500, 8)),
    );
    assert_eq!(a, draws.replicates(opts(500, 7)));
    assert_ne!(a, b);
    // a replicate does not depend on how many were asked for
    assert_eq!(a[..100], draws.replicates(opts(100, 7))[..]);
}

#[test]
fn the_seed_fixes_the_figures() {
    // Golden figures: the same on every platform (integer mapping of ChaCha8 words).
    let units = units_from(&krippendorff_2011());
    let b = bootstrap(&units, 4, opts(1000, DEFAULT_SEED));
    let i = b.nominal.unwrap();
    let golden = (i.low, i.high, i.q_below_0667, i.q_below_0800);
    assert_eq!(golden, GOLDEN_2011_SEED_1, "{golden:?}");
}

/// `bootstrap(krippendorff_2011, 4 coders, 1000 samples, seed 1)`, nominal.
const GOLDEN_2011_SEED_1: (f64, f64, f64, f64) =
    (0.6151315789473684, 0.8717105263157895, 0.132, 0.782);

#[test]
fn replicates_have_the_mean_and_variance_of_the_draws() {
    // A replicate is 1 − mean δ / D_e over M draws of cells with probability o_ck/n, so its
    // mean is alpha (E δ = D_o) and its variance (E δ² − D_o²)/(M·D_e²). Singleton values
    // make δ 0 or 1, so E δ² = D_o.
    let units = repeated(&krippendorff_2011(), 2);
    let interned = Interned::new(&units);
    let (observed, expected) = interned.nominal_sums();
    let n = interned.n as f64;
    let (d_o, d_e) = (observed / n, expected / (n * (n - 1.0)));
    let draws = Draws::new(&interned, 4);
    let m = draws.pairs as f64;
    let alphas: Vec<f64> = draws
        .replicates(opts(4000, 11))
        .into_iter()
        .filter_map(|r| r[0])
        .collect();
    let k = alphas.len() as f64;
    let mean = alphas.iter().sum::<f64>() / k;
    let var = alphas.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (k - 1.0);
    let want_var = d_o * (1.0 - d_o) / (m * d_e * d_e);
    assert!((mean - (1.0 - d_o / d_e)).abs() < 0.005, "{mean}");
    assert!((var / want_var - 1.0).abs() < 0.1, "{var} vs {want_var}");
}

#[test]
fn set_valued_replicates_centre_on_alpha() {
    let table: Vec<Vec<Option<Value>>> = vec![
        vec![
            Some(vec![0, 1]),
            Some(vec![2]),
            Some(vec![0]),
            None,
            Some(vec![1, 2]),
        ],
        vec![
            Some(vec![0]),
            Some(vec![2]),
            Some(vec![0, 2]),
            Some(vec![1]),
            Some(vec![1]),
        ],
        vec![
            Some(vec![0, 1]),
            Some(vec![1, 2]),
            Some(vec![0]),
            Some(vec![1]),
            None,
        ],
    ];
    let units: Vec<UnitValues> = (0..8).flat_map(|_| units_from(&table)).collect();
    let a = alpha(&units);
    let interned = Interned::new(&units);
    let draws = Draws::new(&interned, 3);
    let reps = draws.replicates(opts(3000, 5));
    for (i, d) in Distance::ALL.into_iter().enumerate() {
        let kept: Vec<f64> = reps.iter().filter_map(|r| r[i]).collect();
        let mean = kept.iter().sum::<f64>() / kept.len() as f64;
        let x = a.get(d).unwrap();
        assert!((mean - x).abs() < 0.01, "{d:?}: mean {mean} vs alpha {x}");
    }
}

#[test]
fn interval_widens_as_data_shrink() {
    let width = |times: usize| {
        let units = repeated(&krippendorff_2011(), times);
        let i = bootstrap(&units, 4, opts(4000, 3)).masi.unwrap();
        i.high - i.low
    };
    let (small, large) = (width(1), width(4));
    assert!(small > large * 1.3, "{small} vs {large}");
}

#[test]
fn perfect_agreement_gives_a_point() {
    let table = singletons(&[&[1, 2, 3, 1], &[1, 2, 3, 1]]);
    let b = bootstrap(&units_from(&table), 2, opts(300, 1));
    for d in Distance::ALL {
        let i = b.get(d).unwrap();
        assert_eq!(
            (i.low, i.high, i.q_below_0667, i.q_below_0800),
            (1.0, 1.0, 0.0, 0.0)
        );
    }
}

#[test]
fn no_variation_has_no_interval() {
    let table = singletons(&[&[1, 1, 1], &[1, 1, 1]]);
    let b = bootstrap(&units_from(&table), 2, opts(100, 1));
    assert_eq!((b.nominal, b.masi, b.jaccard), (None, None, None));
}

#[test]
fn interval_takes_krippendorffs_order_statistics() {
    let i = interval((1..=1000).map(|x| x as f64 / 1000.0)).unwrap();
    assert_eq!((i.low, i.high), (0.025, 0.976));
    assert_eq!(i.q_below_0667, 0.666);
    assert_eq!(i.q_below_0800, 0.799);
    let one = interval([0.5].into_iter()).unwrap();
    assert_eq!((one.low, one.high), (0.5, 0.5));
    assert_eq!(interval(std::iter::empty()), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn figures_are_ordered_and_bounded(table in table_strategy(5, 6, 4), seed in 0..1000u64) {
        let units = units_from(&table);
        let b = bootstrap(&units, table.len(), opts(200, seed));
        let a = alpha(&units);
        for d in Distance::ALL {
            if let Some(i) = b.get(d) {
                prop_assert!(a.get(d).is_some(), "a figure where alpha is undefined");
                prop_assert!(i.low <= i.high && i.high <= 1.0 + 1e-12);
                prop_assert!(i.q_below_0667 <= i.q_below_0800);
            }
        }
    }
}

//! Tests of alpha itself: the published example, hand-computed cases and the invariants
//! of the definition, checked against a naive coincidence-matrix implementation.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;
use crate::agreement::Value;
use crate::agreement::testing::*;

const TOL: f64 = 1e-9;

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

/// docs/rules.md#reliability: the empty set is a value, d(∅, ∅) = 0 and d(∅, A) = 1.
#[test]
fn the_empty_set_is_a_value() {
    let table = |rows: &[&[Option<&[u32]>]]| -> Vec<Vec<Option<Value>>> {
        rows.iter()
            .map(|row| row.iter().map(|v| v.map(<[u32]>::to_vec)).collect())
            .collect()
    };
    // u1: {1} {1}; u2: ∅ {1}; u3: ∅ ∅. n = 6, n_1 = n_∅ = 3; D_o = 2/6, D_e = 18/30:
    // alpha = 1 − (1/3)/(3/5) = 4/9 under every distance (∅ and {1} are at distance 1)
    let with_empty_unit = table(&[
        &[Some(&[1]), Some(&[]), Some(&[])],
        &[Some(&[1]), Some(&[1]), Some(&[])],
    ]);
    let a = alpha(&units_from(&with_empty_unit));
    for d in Distance::ALL {
        assert!(close(a.get(d), Some(4.0 / 9.0), 1e-12), "{d:?}: {a:?}");
    }
    assert_eq!((a.pairable_units, a.pairable_values), (3, 6));
    // without u3 (where nobody found anything): n = 4, D_o = 2/4 = D_e: alpha 0
    let without = table(&[&[Some(&[1]), Some(&[])], &[Some(&[1]), Some(&[1])]]);
    assert_eq!(alpha(&units_from(&without)).masi, Some(0.0));
    // every coder found nothing everywhere: no variation, undefined
    let silent = table(&[&[Some(&[]), Some(&[])], &[Some(&[]), Some(&[])]]);
    assert_eq!(alpha(&units_from(&silent)).nominal, None);
    // a missing value is not an empty one: coder 2 did not code u2
    let missing = table(&[&[Some(&[1]), Some(&[])], &[Some(&[1]), None]]);
    assert_eq!(alpha(&units_from(&missing)).pairable_units, 1);
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
    fn two_coders_as_pairs_are_two_coders_as_units(
        pairs in proptest::collection::vec(
            (proptest::collection::vec(0..4u32, 0..3), proptest::collection::vec(0..4u32, 0..3)),
            0..8,
        ),
    ) {
        // the distinct values as a table, each unit its two values' indices
        let mut values: Vec<Value> = Vec::new();
        let mut index = |mut v: Value| {
            v.sort_unstable();
            v.dedup();
            match values.iter().position(|x| *x == v) {
                Some(i) => i as u32,
                None => { values.push(v); values.len() as u32 - 1 }
            }
        };
        let indices: Vec<(u32, u32)> = pairs.iter().map(|(a, b)| (index(a.clone()), index(b.clone()))).collect();
        let units: Vec<UnitValues> = pairs.iter().map(|(a, b)| UnitValues::from_values([a.clone(), b.clone()])).collect();
        for d in Distance::ALL {
            let got = alpha_of_pairs(&values, &indices, d);
            prop_assert!(close(got, alpha_with(&units, d), TOL), "{:?}: {:?} vs {:?}", d, got, alpha_with(&units, d));
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

}

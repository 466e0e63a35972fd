//! Leave-one-out against alpha recomputed without the coder, on the published example
//! and on random tables.

use proptest::prelude::*;

use super::*;
use crate::agreement::testing::*;
use crate::agreement::{Value, alpha_with};

/// Held units from a coders × units table (`None` = missing), coder i = row i.
fn held_from(table: &[Vec<Option<Value>>]) -> Vec<HeldUnit> {
    let n_units = table.iter().map(Vec::len).max().unwrap_or(0);
    (0..n_units)
        .map(|u| {
            HeldUnit::from_codings(
                table
                    .iter()
                    .enumerate()
                    .filter_map(|(i, row)| row.get(u).cloned().flatten().map(|v| (i as u32, v))),
            )
        })
        .collect()
}

fn without_row(table: &[Vec<Option<Value>>], i: usize) -> Vec<Vec<Option<Value>>> {
    let mut t = table.to_vec();
    t.remove(i);
    t
}

/// `benches/agreement_reference.py`: nominal alpha of Krippendorff's (2011) example
/// without each observer, by exact fractions and by the `krippendorff` package.
const KRIPPENDORFF_2011_WITHOUT: [f64; 4] = [
    0.7146739130434783,
    0.7040816326530612,
    0.8679245283018868,
    0.6752577319587629,
];

#[test]
fn krippendorff_2011_without_each_observer() {
    let held = held_from(&krippendorff_2011());
    for d in Distance::ALL {
        // singleton values: every distance is nominal
        let got = leave_one_out(&held, 4, d);
        assert!(close(got.alpha, Some(113.0 / 152.0), 1e-12), "{got:?}");
        for (i, expected) in KRIPPENDORFF_2011_WITHOUT.into_iter().enumerate() {
            assert!(
                close(got.without[i], Some(expected), 1e-12),
                "{d:?} without {i}: {:?}",
                got.without[i]
            );
        }
    }
}

#[test]
fn a_coder_without_values_changes_nothing() {
    let held = held_from(&krippendorff_2011());
    let got = leave_one_out(&held, 6, Distance::Masi);
    assert_eq!(got.without[4], got.alpha);
    assert_eq!(got.without[5], got.alpha);
}

#[test]
fn leaving_out_one_of_two_coders_is_undefined() {
    let table = singletons(&[&[1, 2, 1], &[1, 2, 2]]);
    let got = leave_one_out(&held_from(&table), 2, Distance::Nominal);
    assert!(got.alpha.is_some());
    assert_eq!(
        got.without,
        vec![None, None],
        "one coder: nothing is pairable"
    );
}

#[test]
fn leaving_out_the_only_dissenter_leaves_no_variation() {
    // Everyone says {1} except coder 2 in unit 0: without it, no variation at all.
    let table = singletons(&[&[1, 1], &[1, 1], &[2, 1]]);
    let got = leave_one_out(&held_from(&table), 3, Distance::Jaccard);
    assert_eq!(got.without[2], None);
    assert!(got.without[0].is_some());
}

#[test]
fn grouping_codings_by_value() {
    // the empty set is a value of its own (a coder who found nothing), sorted first
    let unit =
        HeldUnit::from_codings([(3, vec![2, 1]), (0, vec![0]), (1, vec![1, 2]), (2, vec![])]);
    assert_eq!(
        unit.values,
        vec![
            (vec![], vec![2]),
            (vec![0], vec![0]),
            (vec![1, 2], vec![3, 1])
        ]
    );
    assert_eq!(
        unit.counts().values,
        vec![(vec![], 1), (vec![0], 1), (vec![1, 2], 2)]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn equals_alpha_recomputed_without_the_coder(table in table_strategy(6, 6, 5)) {
        let held = held_from(&table);
        for d in Distance::ALL {
            let got = leave_one_out(&held, table.len(), d);
            prop_assert!(close(got.alpha, naive_alpha(&table, d), 1e-9));
            for i in 0..table.len() {
                let rest = without_row(&table, i);
                let expected = naive_alpha(&rest, d);
                prop_assert!(close(got.without[i], expected, 1e-9),
                    "{:?} without {}: {:?} vs {:?}", d, i, got.without[i], expected);
                prop_assert!(close(alpha_with(&units_from(&rest), d), expected, 1e-9));
            }
        }
    }

    #[test]
    fn a_duplicated_coder_is_left_out_alike(
        (table, dup) in table_strategy(5, 6, 5)
            .prop_flat_map(|t| { let n = t.len(); (Just(t), 0..n) }),
    ) {
        // Coder `dup` twice: leaving out either copy leaves the same data.
        let mut doubled = table.clone();
        doubled.push(table[dup].clone());
        let copy = doubled.len() - 1;
        let got = leave_one_out(&held_from(&doubled), doubled.len(), Distance::Masi);
        prop_assert_eq!(got.without[dup], got.without[copy]);
        // and leaving out the copy gives back the original data's alpha
        prop_assert!(close(got.without[copy], naive_alpha(&table, Distance::Masi), 1e-9));
    }
}

//! Alpha per reading: how reliably one reading is coded, as the nominal alpha of the
//! binary question "does the coder's value include this reading?".
//!
//! The question is asked of exactly the values the overall alpha pairs: a coder with a
//! value in a unit answers yes (the reading is in its set) or no (it endorses other
//! readings there); a coder without a value stays missing. So every reading has the same
//! pairable units and the same n as the overall alpha, and a reading's alpha is undefined
//! when its answers never vary (every pairable value includes it, or none does).
//!
//! Binary data make nominal alpha a closed form: with a_u of the unit's m_u values saying
//! yes and N₁ = Σ_u a_u of the n pairable values,
//! `observed = Σ_u 2·a_u·(m_u − a_u)/(m_u − 1)` and `expected = 2·N₁·(n − N₁)`,
//! so all readings together cost one pass over the values.

use super::alpha::finish;
use super::distance::{Sum, normalise};
use super::unit::UnitValues;

/// One reading's alpha and the sizes that qualify it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingAlpha {
    /// The reading's index.
    pub reading: u32,
    /// Units with at least two values (as for the overall alpha).
    pub pairable_units: usize,
    /// n: the values in those units (as for the overall alpha).
    pub pairable_values: usize,
    /// Nominal alpha of the binary question; `None` where it is undefined.
    pub alpha: Option<f64>,
}

/// The binary alpha of each reading `0..readings`, in index order. Reading indices at or
/// beyond `readings` in the values are not asked about.
pub fn per_reading(units: &[UnitValues], readings: usize) -> Vec<ReadingAlpha> {
    let mut observed = vec![Sum::default(); readings];
    let mut yes_total = vec![0u64; readings];
    let (mut n, mut pairable_units) = (0u64, 0usize);
    let mut yes: Vec<(u32, u64)> = Vec::new();
    for unit in units {
        let m = unit.count() as u64;
        if m < 2 {
            continue;
        }
        pairable_units += 1;
        n += m;
        yes.clear();
        for (value, count) in unit.present() {
            let value = normalise(value);
            yes.extend(
                value
                    .iter()
                    .filter(|&&r| (r as usize) < readings)
                    .map(|&r| (r, count as u64)),
            );
        }
        yes.sort_unstable_by_key(|&(r, _)| r);
        for group in yes.chunk_by(|a, b| a.0 == b.0) {
            let (r, a) = (
                group[0].0 as usize,
                group.iter().map(|&(_, c)| c).sum::<u64>(),
            );
            yes_total[r] += a;
            if a < m {
                observed[r].add(2.0 * (a as f64) * ((m - a) as f64) / (m - 1) as f64);
            }
        }
    }
    (0..readings)
        .map(|r| {
            let (yes, no) = (yes_total[r] as u128, (n - yes_total[r]) as u128);
            ReadingAlpha {
                reading: r as u32,
                pairable_units,
                pairable_values: n as usize,
                alpha: finish(n, (observed[r].value(), (2 * yes * no) as f64)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::agreement::testing::*;
    use crate::agreement::{Distance, Value, alpha_with};

    /// `benches/agreement_reference.py`: Krippendorff's (2011) 4 × 12 example recoded as
    /// one binary question per category value ("is the observer's value c?"), nominal
    /// alpha by exact fractions and by the `krippendorff` package (which agree).
    const KRIPPENDORFF_2011_BINARY: [(u32, f64); 5] = [
        (1, 0.7204301075268817),
        (2, 0.6666666666666666),
        (3, 0.74),
        (4, 0.7771428571428571),
        (5, 1.0),
    ];

    /// The table with each value replaced by the binary answer for `reading` (1 = yes,
    /// 0 = no, written as the singleton sets {1} and {0}).
    fn recoded(table: &[Vec<Option<Value>>], reading: u32) -> Vec<Vec<Option<Value>>> {
        table
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| v.as_ref().map(|v| vec![u32::from(v.contains(&reading))]))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn krippendorff_2011_recoded_as_binary_questions() {
        let table = krippendorff_2011();
        let got = per_reading(&units_from(&table), 6);
        // Category 0 is never used: the question never varies.
        assert_eq!(got[0].alpha, None);
        for (reading, expected) in KRIPPENDORFF_2011_BINARY {
            let r = &got[reading as usize];
            assert!(
                close(r.alpha, Some(expected), 1e-12),
                "reading {reading}: {r:?}"
            );
            assert_eq!((r.pairable_units, r.pairable_values), (11, 40));
        }
        assert_eq!(got[5].alpha, Some(1.0), "all who code 5 agree exactly");
    }

    #[test]
    fn no_pairable_unit_is_undefined() {
        let table = singletons(&[&[1, 0], &[0, 2]]);
        let got = per_reading(&units_from(&table), 3);
        assert!(
            got.iter()
                .all(|r| r.alpha.is_none() && r.pairable_values == 0)
        );
        assert!(per_reading(&[], 2).iter().all(|r| r.alpha.is_none()));
    }

    #[test]
    fn set_values_answer_for_each_of_their_readings() {
        // {0,1} and {0}: both say yes to 0, they differ on 1; {1} and {1} agree.
        let units = vec![
            UnitValues::from_values([vec![0, 1], vec![0]]),
            UnitValues::from_values([vec![1], vec![1]]),
        ];
        let got = per_reading(&units, 2);
        assert_eq!(got[0].alpha, Some(1.0));
        // Reading 1: answers (1,0) and (1,1): n = 4, N₁ = 3; observed = 2·1·1/1 = 2,
        // expected = 2·3·1 = 6 → alpha = 1 − 3·2/6 = 0.
        assert!(close(got[1].alpha, Some(0.0), 1e-15), "{got:?}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn equals_nominal_alpha_of_the_recoded_table(table in table_strategy(6, 6, 5)) {
            let got = per_reading(&units_from(&table), 5);
            for r in 0..5u32 {
                let binary = recoded(&table, r);
                let expected = naive_alpha(&binary, Distance::Nominal);
                prop_assert!(close(got[r as usize].alpha, expected, 1e-9),
                    "reading {}: {:?} vs {:?}", r, got[r as usize].alpha, expected);
                prop_assert!(close(alpha_with(&units_from(&binary), Distance::Nominal), expected, 1e-9));
            }
        }

        #[test]
        fn identical_coders_give_one_or_undefined(
            row in proptest::collection::vec(
                proptest::option::weighted(0.8, proptest::collection::vec(0..4u32, 1..=3usize)),
                1..=8usize,
            ),
            copies in 2..=5usize,
        ) {
            let table = vec![row; copies];
            for r in per_reading(&units_from(&table), 4) {
                prop_assert!(r.alpha.is_none() || r.alpha == Some(1.0), "{:?}", r);
            }
        }
    }
}

//! One unit of reliability data (for parallax, a scene) reduced to its distinct values and
//! how many coders hold each, and the figure that needs nothing else: the unit's mean
//! pairwise agreement.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::Value;
use super::distance::{Distance, Overlap, Sum, normalise};

/// One unit (scene) reduced to its distinct values and how many coders hold each.
///
/// Keeping counts instead of per-coder values is what makes every statistic here linear
/// in coders: thousands of sources that agree collapse into a single entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitValues {
    /// Distinct values and their coder counts, sorted by value for determinism. The empty
    /// set is a value like any other (a coder who found nothing); entries with a zero count
    /// are treated as missing.
    pub values: Vec<(Value, usize)>,
}

impl UnitValues {
    /// Groups coders' values (missing values are simply not passed). Values are normalised
    /// (sorted, deduped); an empty set is a value, ∅.
    pub fn from_values<I: IntoIterator<Item = Value>>(values: I) -> Self {
        let mut grouped: BTreeMap<Value, usize> = BTreeMap::new();
        for mut v in values {
            v.sort_unstable();
            v.dedup();
            *grouped.entry(v).or_default() += 1;
        }
        UnitValues {
            values: grouped.into_iter().collect(),
        }
    }

    /// The entries that count: a hand-built unit may hold zero counts.
    pub(crate) fn present(&self) -> impl Iterator<Item = (&[u32], usize)> {
        self.values
            .iter()
            .filter(|(_, n)| *n > 0)
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

    /// Mean over all unordered pairs of coders holding a value of (1 - MASI distance);
    /// None if count < 2. Computed from the counts: O(distinct²), not O(coders²).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::testing::{close, naive_distance};
    use proptest::prelude::*;

    #[test]
    fn grouping_normalises_and_keeps_the_empty_value() {
        let u = UnitValues::from_values([vec![2, 1, 2], vec![1, 2], vec![], vec![0]]);
        assert_eq!(u.values, vec![(vec![], 1), (vec![0], 1), (vec![1, 2], 2)]);
        assert_eq!((u.count(), u.distinct()), (4, 3));
        assert!(u.is_pairable());
        assert_eq!(UnitValues::from_values(Vec::<Value>::new()).count(), 0);
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

    proptest! {
        #[test]
        fn mean_pairwise_agreement_matches_all_pairs(
            values in proptest::collection::vec(proptest::collection::vec(0..5u32, 0..=3usize), 0..12usize),
        ) {
            let unit = UnitValues::from_values(values.clone());
            let present: Vec<&Value> = values.iter().collect();
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
    }
}

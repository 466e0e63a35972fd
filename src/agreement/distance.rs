//! The distances between two coded values (docs/rules.md#agreement): nominal, MASI (Passonneau 2006) and
//! Jaccard, computed from the sizes of two sets and of their intersection so that each
//! figure is one ratio of integers, rounded once.

use std::borrow::Cow;

/// The ways two coded values can differ. Sets give partial agreement a meaning that a
/// nominal comparison throws away, so alpha is reported under each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The stable name used in machine-readable output (docs/json.md).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Overlap {
    inter: u64,
    union: u64,
    len_a: u64,
    len_b: u64,
}

impl Overlap {
    /// Both inputs must be sorted and deduplicated: a single merge pass then suffices.
    pub(crate) fn of(a: &[u32], b: &[u32]) -> Self {
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

    pub(crate) fn similarity(self, d: Distance) -> f64 {
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

    pub(crate) fn distance(self, d: Distance) -> f64 {
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

    /// The three distances at once, in the order of [`Distance::ALL`].
    pub(crate) fn distances(self) -> [f64; 3] {
        Distance::ALL.map(|d| self.distance(d))
    }
}

/// Borrows an already-normalised value (the common case) and fixes up any other.
pub(crate) fn normalise(a: &[u32]) -> Cow<'_, [u32]> {
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
pub(crate) struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(crate) fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

impl std::iter::Sum<f64> for Sum {
    fn sum<I: Iterator<Item = f64>>(iter: I) -> Self {
        let mut s = Sum::default();
        for x in iter {
            s.add(x);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::testing::naive_distance;
    use proptest::prelude::*;

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
        assert_eq!(
            Overlap::of(&ab, &a).distances(),
            [1.0, 2.0 / 3.0, 0.5],
            "in the order of Distance::ALL"
        );
    }

    #[test]
    fn compensated_sum_keeps_small_terms() {
        let s: Sum = [1e16, 1.0, -1e16, 1.0].into_iter().sum();
        assert_eq!(s.value(), 2.0);
    }

    proptest! {
        #[test]
        fn distances_are_symmetric_bounded_and_zero_only_when_equal(
            a in proptest::collection::btree_set(0..6u32, 1..=4usize),
            b in proptest::collection::btree_set(0..6u32, 1..=4usize),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
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

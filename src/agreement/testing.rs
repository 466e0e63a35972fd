//! Helpers the agreement tests share: small reliability tables, a naive alpha straight
//! from Krippendorff's definition, and proptest strategies for random tables.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::{Alpha, Distance, UnitValues, Value};

/// Two optional figures equal within `tol`, or both undefined.
pub(crate) fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= tol,
        _ => false,
    }
}

/// Units from a coders × units table, `None` = missing.
pub(crate) fn units_from(table: &[Vec<Option<Value>>]) -> Vec<UnitValues> {
    let n_units = table.iter().map(Vec::len).max().unwrap_or(0);
    (0..n_units)
        .map(|u| {
            UnitValues::from_values(table.iter().filter_map(|row| row.get(u).cloned().flatten()))
        })
        .collect()
}

/// Shorthand for a table of singleton codings; 0 = missing.
pub(crate) fn singletons(rows: &[&[u32]]) -> Vec<Vec<Option<Value>>> {
    rows.iter()
        .map(|row| row.iter().map(|&x| (x != 0).then(|| vec![x])).collect())
        .collect()
}

/// An independent distance: BTreeSets and floating-point fractions, as written in docs/rules.md#agreement,
/// with d(∅, ∅) = 0 (docs/rules.md#reliability).
pub(crate) fn naive_distance(d: Distance, a: &[u32], b: &[u32]) -> f64 {
    let a: BTreeSet<u32> = a.iter().copied().collect();
    let b: BTreeSet<u32> = b.iter().copied().collect();
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
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
pub(crate) fn naive_alpha(table: &[Vec<Option<Value>>], d: Distance) -> Option<f64> {
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
pub(crate) fn krippendorff_2011() -> Vec<Vec<Option<Value>>> {
    singletons(&[
        &[1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
        &[1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
        &[0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
        &[1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
    ])
}

/// A coders × units table over a small reading alphabet, with missing values and empty
/// ones (∅, a coder who found nothing).
pub(crate) fn table_strategy(
    max_coders: usize,
    max_units: usize,
    readings: u32,
) -> impl Strategy<Value = Vec<Vec<Option<Value>>>> {
    (1..=max_coders, 1..=max_units).prop_flat_map(move |(coders, units)| {
        let value =
            proptest::option::weighted(0.8, proptest::collection::vec(0..readings, 0..=3usize));
        proptest::collection::vec(proptest::collection::vec(value, units), coders)
    })
}

pub(crate) fn singleton_table_strategy() -> impl Strategy<Value = Vec<Vec<Option<Value>>>> {
    (1..=6usize, 1..=6usize).prop_flat_map(|(coders, units)| {
        let value = proptest::option::weighted(0.8, (0..5u32).prop_map(|r| vec![r]));
        proptest::collection::vec(proptest::collection::vec(value, units), coders)
    })
}

pub(crate) fn all_close(a: &Alpha, b: &Alpha, tol: f64) -> bool {
    Distance::ALL
        .iter()
        .all(|&d| close(a.get(d), b.get(d), tol))
        && a.pairable_units == b.pairable_units
        && a.pairable_values == b.pairable_values
}

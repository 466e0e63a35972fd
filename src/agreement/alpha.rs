//! Krippendorff's alpha over the coincidence matrix: the observed disagreement D_o (pairs
//! of values within a unit) against the expected disagreement D_e (pairs of values drawn
//! from all pairable values), each computed from counts of distinct values.
//!
//! With n pairable values, n_c the total of value c, and per unit u the counts n_uc and
//! m_u = Σ_c n_uc:
//!
//! ```text
//! observed = Σ_u (1 / (m_u − 1)) Σ_{c≠k} n_uc · n_uk · δ(c, k)      (= n · D_o)
//! expected = Σ_{c≠k} n_c · n_k · δ(c, k)                             (= n(n − 1) · D_e)
//! alpha    = 1 − D_o / D_e = 1 − (n − 1) · observed / expected
//! ```

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::Value;
use super::distance::{Distance, Overlap, Sum, normalise};
use super::unit::UnitValues;

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
pub(crate) struct Interned<'a> {
    /// Per pairable unit: (global value index, count), sorted by index, no repeats.
    pub(crate) units: Vec<Vec<(usize, u64)>>,
    /// Global distinct values, indexed as above.
    pub(crate) globals: Vec<Cow<'a, [u32]>>,
    /// n_c: each global value's total over pairable units.
    pub(crate) totals: Vec<u64>,
    /// n: the number of pairable values.
    pub(crate) n: u64,
}

/// A global value table under construction: values to indices, first come first served.
#[derive(Default)]
pub(crate) struct Globals<'a> {
    index: HashMap<Cow<'a, [u32]>, usize>,
    pub(crate) values: Vec<Cow<'a, [u32]>>,
}

impl<'a> Globals<'a> {
    /// The index of a value, adding it if it is new. The value must be normalised.
    pub(crate) fn intern(&mut self, key: Cow<'a, [u32]>) -> usize {
        if let Some(&g) = self.index.get(key.as_ref()) {
            return g;
        }
        let g = self.values.len();
        self.values.push(key.clone());
        self.index.insert(key, g);
        g
    }
}

/// Sorts a unit's entries by global index and merges repeats (a hand-built unit may list
/// one value twice, or unnormalised spellings of it).
pub(crate) fn merge_entries<T>(entries: &mut Vec<(usize, T)>, merge: impl Fn(&mut T, T)) {
    entries.sort_by_key(|&(g, _)| g);
    let mut merged: Vec<(usize, T)> = Vec::with_capacity(entries.len());
    for (g, x) in entries.drain(..) {
        match merged.last_mut() {
            Some((last, acc)) if *last == g => merge(acc, x),
            _ => merged.push((g, x)),
        }
    }
    *entries = merged;
}

impl<'a> Interned<'a> {
    pub(crate) fn new(units: &'a [UnitValues]) -> Self {
        let mut globals = Globals::default();
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
                .map(|(v, count)| (globals.intern(normalise(v)), count as u64))
                .collect();
            merge_entries(&mut entries, |acc, x| *acc += x);
            totals.resize(globals.values.len(), 0);
            for &(g, count) in &entries {
                totals[g] += count;
            }
            n += m;
            pairable.push(entries);
        }
        Interned {
            units: pairable,
            globals: globals.values,
            totals,
            n,
        }
    }

    /// Σ_u (1/(m_u − 1)) Σ_{c≠k} n_uc·n_uk (the unit's ordered pairs of different values),
    /// and n² − Σ n_c² for D_e: for nominal distance these are closed forms, linear in size.
    pub(crate) fn nominal_sums(&self) -> (f64, f64) {
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
    /// share the costly part (the overlap of each pair of values). Units and rows of the
    /// global table are spread over threads; their partial sums are added in order, so
    /// the result does not depend on the number of threads.
    pub(crate) fn set_sums(&self) -> [(f64, f64); 2] {
        let per_unit: Vec<[f64; 2]> = self
            .units
            .par_iter()
            .map(|unit| {
                let m: u64 = unit.iter().map(|&(_, c)| c).sum();
                let within = self.pair_sums(unit);
                within.map(|w| w / (m - 1) as f64)
            })
            .collect();
        let per_row: Vec<[f64; 2]> = (0..self.globals.len())
            .into_par_iter()
            .map(|a| {
                let mut row = [Sum::default(); 2];
                for b in a + 1..self.globals.len() {
                    let d = Overlap::of(&self.globals[a], &self.globals[b]).distances();
                    let weight = 2.0 * (self.totals[a] as f64) * (self.totals[b] as f64);
                    row[0].add(weight * d[1]);
                    row[1].add(weight * d[2]);
                }
                row.map(Sum::value)
            })
            .collect();
        let total = |rows: &[[f64; 2]], i: usize| rows.iter().map(|r| r[i]).sum::<Sum>().value();
        [
            (total(&per_unit, 0), total(&per_row, 0)),
            (total(&per_unit, 1), total(&per_row, 1)),
        ]
    }

    /// Σ_{c≠k} n_uc·n_uk·δ(c, k) within one unit, for MASI and Jaccard.
    fn pair_sums(&self, unit: &[(usize, u64)]) -> [f64; 2] {
        let mut within = [Sum::default(); 2];
        for (i, &(a, na)) in unit.iter().enumerate() {
            for &(b, nb) in &unit[i + 1..] {
                let d = Overlap::of(&self.globals[a], &self.globals[b]).distances();
                let weight = 2.0 * (na as f64) * (nb as f64);
                within[0].add(weight * d[1]);
                within[1].add(weight * d[2]);
            }
        }
        within.map(Sum::value)
    }

    /// alpha = 1 − D_o/D_e = 1 − (n − 1)·observed/expected, with D_o = observed/n and
    /// D_e = expected/(n(n − 1)); written this way so that perfect agreement gives exactly 1.
    pub(crate) fn finish(&self, sums: (f64, f64)) -> Option<f64> {
        finish(self.n, sums)
    }
}

/// alpha from n and the two sums; `None` where it is undefined.
pub(crate) fn finish(n: u64, (observed, expected): (f64, f64)) -> Option<f64> {
    if n < 2 || expected <= 0.0 {
        return None;
    }
    let alpha = 1.0 - (n - 1) as f64 * observed / expected;
    alpha.is_finite().then_some(alpha)
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

/// Alpha of two coders over the units both coded: each unit holds their two values, given as
/// indices into `values`, a table of distinct values. With two values a unit is one pair, so
/// the coincidence matrix is built from the pairs directly, without a table per unit:
/// `observed = Σ_u 2·δ(a_u, b_u)` and `expected = Σ_{c≠k} n_c·n_k·δ(c, k)` over the values'
/// totals. Equal to [`alpha_with`] over the same units.
pub fn alpha_of_pairs(values: &[Value], pairs: &[(u32, u32)], d: Distance) -> Option<f64> {
    let mut totals = vec![0u64; values.len()];
    let mut observed = Sum::default();
    let distance = |a: u32, b: u32| {
        Overlap::of(
            &normalise(&values[a as usize]),
            &normalise(&values[b as usize]),
        )
        .distance(d)
    };
    for &(a, b) in pairs {
        totals[a as usize] += 1;
        totals[b as usize] += 1;
        if a != b {
            observed.add(2.0 * distance(a, b));
        }
    }
    let used: Vec<(u32, u64)> = (totals.iter().enumerate())
        .filter(|(_, t)| **t > 0)
        .map(|(c, &t)| (c as u32, t))
        .collect();
    let mut expected = Sum::default();
    for (i, &(a, ta)) in used.iter().enumerate() {
        for &(b, tb) in &used[i + 1..] {
            expected.add(2.0 * (ta as f64) * (tb as f64) * distance(a, b));
        }
    }
    finish(2 * pairs.len() as u64, (observed.value(), expected.value()))
}

#[cfg(test)]
#[path = "alpha_tests.rs"]
mod tests;

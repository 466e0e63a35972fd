//! Alpha with each coder left out, so a reader sees whose coding pulls agreement down.
//!
//! Recomputing alpha once per coder would cost S full computations. Instead the sums are
//! computed once, with what each value contributes to them, and each coder's values are
//! taken back out:
//!
//! - a unit u the coder codes loses one value v: its within-unit sum
//!   `S_u = Σ_{c≠k} n_uc·n_uk·δ(c, k)` drops by `2·t_uv`, where `t_uv = Σ_k n_uk·δ(v, k)` is
//!   kept per (unit, value), and its weight becomes `1/(m_u − 2)`; a unit left with a single
//!   value is no longer pairable and takes its other value out of n as well;
//! - the global totals n_c drop by the decrements d_c, and the expected sum becomes
//!   `E − 2·Σ_c d_c·R_c + Σ_{c,k} d_c·d_k·δ(c, k)` with `R_c = Σ_k n_k·δ(c, k)` kept per value.
//!
//! So leaving one coder out costs O(its values), plus the square of the number of
//! distinct values it changes, instead of a pass over all the data.

use std::borrow::Cow;

use rayon::prelude::*;

use super::Value;
use super::alpha::{Globals, finish, merge_entries};
use super::distance::{Distance, Overlap, Sum, normalise};
use super::unit::UnitValues;

/// One unit with who holds each of its values: what leaving a coder out needs on top of
/// the counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HeldUnit {
    /// Distinct values, each with the coders (indices) holding it.
    pub values: Vec<(Value, Vec<u32>)>,
}

impl HeldUnit {
    /// Groups (coder, value) codings by value: values normalised (sorted, deduped) and
    /// sorted, coders in the order given; the empty set is a value (∅).
    pub fn from_codings(codings: impl IntoIterator<Item = (u32, Value)>) -> Self {
        let mut all: Vec<(Value, u32)> = codings
            .into_iter()
            .map(|(coder, mut v)| {
                if !v.is_sorted_by(|a, b| a < b) {
                    v.sort_unstable();
                    v.dedup();
                }
                (v, coder)
            })
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0)); // stable: coders keep their order
        let mut values: Vec<(Value, Vec<u32>)> = Vec::new();
        for (v, coder) in all {
            match values.last_mut() {
                Some((last, coders)) if *last == v => coders.push(coder),
                _ => values.push((v, vec![coder])),
            }
        }
        HeldUnit { values }
    }

    /// The unit as counts, for the statistics that need no names.
    pub fn counts(&self) -> UnitValues {
        UnitValues {
            values: self
                .values
                .iter()
                .map(|(v, coders)| (v.clone(), coders.len()))
                .collect(),
        }
    }
}

/// Alpha under one distance, with all coders and without each of them.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Alpha with every coder, from the same sums as the figures without.
    pub alpha: Option<f64>,
    /// `without[i]`: alpha without coder i; `None` where it is undefined.
    pub without: Vec<Option<f64>>,
}

/// Alpha under `d` without each coder `0..coders` in turn. A coder's index must be below
/// `coders` to be left out; values of other coders still count.
pub fn leave_one_out(units: &[HeldUnit], coders: usize, d: Distance) -> LeftOut {
    let sums = Sums::new(units, coders, d);
    let without = (0..coders)
        .into_par_iter()
        .map(|c| sums.without(c))
        .collect();
    LeftOut {
        alpha: finish(sums.n, (sums.observed, sums.expected)),
        without,
    }
}

/// A pairable unit with its contributions to the observed sum.
struct Unit {
    /// (global value, count), sorted by global value.
    entries: Vec<(usize, u64)>,
    m: u64,
    /// S_u = Σ_{c≠k} n_uc·n_uk·δ(c, k)
    within: f64,
    /// t_ue = Σ_k n_uk·δ(e, k), per entry
    rows: Vec<f64>,
}

impl Unit {
    /// The unit's term of the observed sum, S_u/(m_u − 1).
    fn observed(&self) -> f64 {
        self.within / (self.m - 1) as f64
    }
}

/// A pairable unit's distinct values (global index) with the coders holding each.
type Entries<'a> = Vec<(usize, Cow<'a, [u32]>)>;

/// The sums of alpha, kept in parts so that a coder's share can be taken out.
struct Sums<'a> {
    d: Distance,
    globals: Vec<Cow<'a, [u32]>>,
    totals: Vec<u64>,
    n: u64,
    units: Vec<Unit>,
    /// R_c = Σ_k n_k·δ(c, k), per global value
    rows: Vec<f64>,
    observed: f64,
    expected: f64,
    /// Each coder's values as (pairable unit, entry), in unit order: `values[starts[c]..starts[c + 1]]`.
    starts: Vec<usize>,
    values: Vec<(u32, u32)>,
}

impl<'a> Sums<'a> {
    fn new(held: &'a [HeldUnit], coders: usize, d: Distance) -> Self {
        let mut globals = Globals::default();
        // coder lists are borrowed: copied only where two values normalise to one
        let mut pairable: Vec<Entries<'_>> = Vec::new();
        for unit in held {
            let mut entries: Entries<'_> = unit
                .values
                .iter()
                .filter(|(_, c)| !c.is_empty())
                .map(|(v, c)| (globals.intern(normalise(v)), Cow::Borrowed(c.as_slice())))
                .collect();
            merge_entries(&mut entries, |acc, more| {
                acc.to_mut().extend_from_slice(&more)
            });
            if entries.iter().map(|(_, c)| c.len()).sum::<usize>() >= 2 {
                pairable.push(entries);
            }
        }
        let globals = globals.values;
        let (starts, values) = by_coder(&pairable, coders);
        let mut totals = vec![0u64; globals.len()];
        for &(g, ref c) in pairable.iter().flatten() {
            totals[g] += c.len() as u64;
        }
        let mut sums = Sums {
            d,
            globals,
            n: totals.iter().sum(),
            totals,
            units: Vec::new(),
            rows: Vec::new(),
            observed: 0.0,
            expected: 0.0,
            starts,
            values,
        };
        sums.units = pairable
            .par_iter()
            .map(|entries| {
                let entries: Vec<(usize, u64)> =
                    entries.iter().map(|(g, c)| (*g, c.len() as u64)).collect();
                sums.unit(entries)
            })
            .collect();
        sums.rows = (0..sums.globals.len())
            .into_par_iter()
            .map(|c| {
                let row: Sum = (0..sums.globals.len())
                    .map(|k| sums.totals[k] as f64 * sums.delta(c, k))
                    .sum();
                row.value()
            })
            .collect();
        sums.observed = sums.units.iter().map(Unit::observed).sum::<Sum>().value();
        sums.expected = (sums.totals.iter().zip(&sums.rows))
            .map(|(&n, &r)| n as f64 * r)
            .sum::<Sum>()
            .value();
        sums
    }

    fn delta(&self, a: usize, b: usize) -> f64 {
        if a == b {
            return 0.0;
        }
        Overlap::of(&self.globals[a], &self.globals[b]).distance(self.d)
    }

    /// A pairable unit's within-unit sum and per-entry rows: O(distinct²).
    fn unit(&self, entries: Vec<(usize, u64)>) -> Unit {
        let rows: Vec<f64> = entries
            .iter()
            .map(|&(e, _)| {
                let row: Sum = entries
                    .iter()
                    .map(|&(k, nk)| nk as f64 * self.delta(e, k))
                    .sum();
                row.value()
            })
            .collect();
        let within: Sum = entries
            .iter()
            .zip(&rows)
            .map(|(&(_, n), &t)| n as f64 * t)
            .sum();
        Unit {
            m: entries.iter().map(|&(_, c)| c).sum(),
            entries,
            within: within.value(),
            rows,
        }
    }

    /// Alpha without coder `c`.
    fn without(&self, c: usize) -> Option<f64> {
        let mine = &self.values[self.starts[c]..self.starts[c + 1]];
        let mut lost_observed = Sum::default();
        let mut lost_values = 0u64;
        let mut decrements: Vec<(usize, u64)> = Vec::new();
        for group in mine.chunk_by(|a, b| a.0 == b.0) {
            let unit = &self.units[group[0].0 as usize];
            let left = unit.m - group.len() as u64;
            if left >= 2 {
                let within = self.within_without(unit, group);
                lost_observed.add(unit.observed() - within / (left - 1) as f64);
                lost_values += group.len() as u64;
                decrements.extend(group.iter().map(|&(_, e)| (unit.entries[e as usize].0, 1)));
            } else {
                // a single value is left: the unit is no longer pairable
                lost_observed.add(unit.observed());
                lost_values += unit.m;
                decrements.extend(unit.entries.iter().copied());
            }
        }
        if decrements.is_empty() {
            return finish(self.n, (self.observed, self.expected));
        }
        merge_entries(&mut decrements, |acc, x| *acc += x);
        let gone = decrements
            .iter()
            .filter(|&&(g, k)| k == self.totals[g])
            .count();
        // values of units that were never pairable are interned but count for nothing
        let live = self.totals.iter().filter(|&&t| t > 0).count();
        if live - gone < 2 {
            return None; // at most one value is left: no variation
        }
        let observed = (self.observed - lost_observed.value()).max(0.0);
        let expected = self.expected_without(&decrements);
        if expected <= self.expected * 1e-12 {
            return None; // what is left of the expected sum is rounding: no variation
        }
        finish(self.n - lost_values, (observed, expected))
    }

    /// S_u without the given values, (unit, entry) one each: S_u − 2·Σ t_ue + Σ_{e≠f} δ(e, f).
    fn within_without(&self, unit: &Unit, removed: &[(u32, u32)]) -> f64 {
        let mut s = Sum::default();
        s.add(unit.within);
        for &(_, e) in removed {
            s.add(-2.0 * unit.rows[e as usize]);
        }
        for (i, &(_, e)) in removed.iter().enumerate() {
            for &(_, f) in &removed[i + 1..] {
                let (ge, gf) = (unit.entries[e as usize].0, unit.entries[f as usize].0);
                s.add(2.0 * self.delta(ge, gf));
            }
        }
        s.value().max(0.0)
    }

    /// The expected sum with each global value's total lowered by its decrement.
    fn expected_without(&self, decrements: &[(usize, u64)]) -> f64 {
        let mut s = Sum::default();
        s.add(self.expected);
        for (i, &(c, dc)) in decrements.iter().enumerate() {
            s.add(-2.0 * dc as f64 * self.rows[c]);
            for &(k, dk) in &decrements[i + 1..] {
                s.add(2.0 * (dc * dk) as f64 * self.delta(c, k));
            }
        }
        s.value()
    }
}

/// Each coder's values as (pairable unit, entry), grouped by coder in unit order, as
/// offsets into one flat list (one allocation, however many coders).
fn by_coder(units: &[Entries<'_>], coders: usize) -> (Vec<usize>, Vec<(u32, u32)>) {
    let mut starts = vec![0usize; coders + 1];
    for (_, held) in units.iter().flatten() {
        for &c in held.iter().filter(|&&c| (c as usize) < coders) {
            starts[c as usize + 1] += 1;
        }
    }
    for i in 0..coders {
        starts[i + 1] += starts[i];
    }
    let mut next = starts.clone();
    let mut values = vec![(0u32, 0u32); starts[coders]];
    for (u, entries) in units.iter().enumerate() {
        for (e, (_, held)) in entries.iter().enumerate() {
            for &c in held.iter().filter(|&&c| (c as usize) < coders) {
                values[next[c as usize]] = (u as u32, e as u32);
                next[c as usize] += 1;
            }
        }
    }
    (starts, values)
}

#[cfg(test)]
#[path = "leave_one_out_tests.rs"]
mod tests;

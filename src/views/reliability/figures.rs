//! The figures of `reliability` beyond overall alpha: per code, per coder, per source, and
//! per pair of coders.

use std::collections::BTreeMap;

use serde::Serialize;

use rustc_hash::FxHashMap;

use super::units::{Data, ValueKind};
use crate::agreement::{self, Distance, HeldUnit, UnitValues, Value};
use crate::corpus::Work;

/// Alpha of the yes-or-no question "does the coder code this here?" for one code (a
/// reading, or `stance:reading@person` with `--value positions`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAlpha {
    pub reading: String,
    /// how many of the values code it
    pub coded: usize,
    pub alpha: Option<f64>,
}

/// One coder: alpha without them, and how far they agree with the others.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoderFigures {
    pub coder: String,
    /// sources the coder coded
    pub sources: usize,
    /// MASI alpha of the other coders alone
    pub alpha_without: Option<f64>,
    /// alpha without − alpha with: positive when the coder pulls agreement down
    pub change: Option<f64>,
    /// mean of 1 − MASI distance with each other coder, over the units they share
    pub mean_agreement: Option<f64>,
}

/// The units of one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFigures {
    pub source: String,
    /// how many coders coded it
    pub coders: usize,
    pub units: usize,
    /// MASI alpha over its units
    pub alpha: Option<f64>,
    /// mean over its units of the mean pairwise 1 − MASI distance
    pub agreement: Option<f64>,
}

/// Two coders, over the units both coded (units where both found nothing left out).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairFigures {
    pub left: String,
    pub right: String,
    pub shared_units: usize,
    /// MASI alpha of the two
    pub alpha: Option<f64>,
    /// the share of shared units where their values are identical
    pub identical: Option<f64>,
    /// mean 1 − MASI distance over the shared units
    pub agreement: Option<f64>,
}

/// Alpha per code. With `--value readings` every reading of the codebook, in its order;
/// with `--value positions` every code some value holds, by reading then stance and voice.
pub fn per_code(work: &Work, data: &Data, counts: &[UnitValues]) -> Vec<CodeAlpha> {
    // codes renumbered densely, in the order they are reported
    let mut used: Vec<u32> = match data.codes.kind {
        ValueKind::Readings => (0..work.readings.len() as u32).collect(),
        ValueKind::Positions => {
            let mut codes: Vec<u32> = counts
                .iter()
                .flat_map(|u| u.values.iter().flat_map(|(v, _)| v.iter().copied()))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            codes
        }
    };
    used.sort_by_key(|&c| (data.codes.reading(c), c));
    let dense: BTreeMap<u32, u32> = used
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, i as u32))
        .collect();
    let renumbered: Vec<UnitValues> = (counts.iter())
        .map(|u| UnitValues {
            values: (u.values.iter())
                .map(|(v, n)| {
                    let mut v: Value = v.iter().filter_map(|c| dense.get(c).copied()).collect();
                    v.sort_unstable();
                    (v, *n)
                })
                .collect(),
        })
        .collect();
    let mut coded = vec![0usize; used.len()];
    for u in renumbered.iter().filter(|u| u.is_pairable()) {
        for (v, n) in &u.values {
            for &c in v {
                coded[c as usize] += n;
            }
        }
    }
    (agreement::per_reading(&renumbered, used.len()).into_iter())
        .map(|r| CodeAlpha {
            reading: data.codes.name(work, used[r.reading as usize]),
            coded: coded[r.reading as usize],
            alpha: r.alpha,
        })
        .collect()
}

/// Per coder: MASI alpha without them, and their mean agreement with the others.
pub fn per_coder(data: &Data, held: &[HeldUnit], pairs: &[PairFigures]) -> Vec<CoderFigures> {
    let left = agreement::leave_one_out(held, data.coders.len(), Distance::Masi);
    let mut sources = vec![0usize; data.coders.len()];
    for coders in &data.source_coders {
        for &k in coders {
            sources[k as usize] += 1;
        }
    }
    (data.coders.iter().enumerate())
        .map(|(k, coder)| {
            // over every unit the coder shares with another, each pair's units weighing
            // by their number
            let (mut sum, mut units) = (0.0, 0usize);
            for p in pairs
                .iter()
                .filter(|p| p.left == *coder || p.right == *coder)
            {
                if let Some(a) = p.agreement {
                    sum += a * p.shared_units as f64;
                    units += p.shared_units;
                }
            }
            let without = left.without.get(k).copied().flatten();
            CoderFigures {
                coder: coder.clone(),
                sources: sources[k],
                alpha_without: without,
                change: without.zip(left.alpha).map(|(w, a)| w - a),
                mean_agreement: (units > 0).then(|| sum / units as f64),
            }
        })
        .collect()
}

/// Per source: MASI alpha over its units and their mean agreement.
pub fn per_source(data: &Data, counts: &[UnitValues]) -> Vec<SourceFigures> {
    let mut out = Vec::with_capacity(data.sources.len());
    let mut start = 0;
    for (si, id) in data.sources.iter().enumerate() {
        let end = start
            + (data.units[start..].iter())
                .take_while(|u| u.source as usize == si)
                .count();
        let units = &counts[start..end];
        let agreements: Vec<f64> = units
            .iter()
            .filter_map(UnitValues::mean_pairwise_agreement)
            .collect();
        out.push(SourceFigures {
            source: id.clone(),
            coders: data.source_coders[si].len(),
            units: units.len(),
            alpha: agreement::alpha_with(units, Distance::Masi),
            agreement: (!agreements.is_empty())
                .then(|| agreements.iter().sum::<f64>() / agreements.len() as f64),
        });
        start = end;
    }
    out
}

/// Every pair of coders, in report order.
pub fn pairs(data: &Data) -> Vec<PairFigures> {
    let n = data.coders.len() as u32;
    // the MASI similarity of two values, once per pair of distinct values met
    let mut similarity: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    let mut out = Vec::with_capacity((n as usize) * (n as usize).saturating_sub(1) / 2);
    let mut shared: Vec<(u32, u32)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            shared.clear();
            for u in &data.units {
                if let (Some(a), Some(b)) = (data.value_of(u, i), data.value_of(u, j))
                    && (a != 0 || b != 0)
                {
                    // where neither found anything, the two have nothing to compare
                    shared.push((a, b));
                }
            }
            let identical = shared.iter().filter(|(a, b)| a == b).count();
            let agreement: f64 = (shared.iter())
                .map(|&(a, b)| {
                    *similarity.entry((a.min(b), a.max(b))).or_insert_with(|| {
                        let (a, b) = (&data.values[a as usize], &data.values[b as usize]);
                        Distance::Masi.similarity(a, b)
                    })
                })
                .sum();
            let of = |x: f64| (!shared.is_empty()).then(|| x / shared.len() as f64);
            out.push(PairFigures {
                left: data.coders[i as usize].clone(),
                right: data.coders[j as usize].clone(),
                shared_units: shared.len(),
                alpha: agreement::alpha_of_pairs(&data.values, &shared, Distance::Masi),
                identical: of(identical as f64),
                agreement: of(agreement),
            });
        }
    }
    out
}

//! `reliability --gold`: each coder against the work's claim sets (`sources/`) taken as the
//! reference: precision, recall and F1 of the coder's (unit, code) pairs, and alpha of the
//! coder and the reference as two coders.

use serde::Serialize;

use super::units::Data;
use crate::agreement::{self, Distance, UnitValues, Value};
use crate::corpus::Work;
use crate::voice::Voice;

/// One coder against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoldFigures {
    pub coder: String,
    /// sources both the coder and the reference coded
    pub sources: usize,
    /// units where the coder or the reference found something
    pub units: usize,
    /// the share of the coder's (unit, code) pairs that the reference holds
    pub precision: Option<f64>,
    /// the share of the reference's (unit, code) pairs that the coder holds
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// MASI alpha of the coder and the reference
    pub alpha: Option<f64>,
}

/// Every coder against the work's claim sets, over the sources both coded.
pub fn figures(work: &Work, data: &Data, voice: Voice) -> Vec<GoldFigures> {
    (data.coders.iter().enumerate())
        .map(|(k, coder)| one(work, data, k, coder, voice))
        .collect()
}

fn one(work: &Work, data: &Data, k: usize, coder: &str, voice: Voice) -> GoldFigures {
    let of = &work.coders[data.coder_index[k]];
    let (mut held, mut reference, mut both) = (0usize, 0usize, 0usize);
    let mut units: Vec<UnitValues> = Vec::new();
    let mut sources = 0;
    for id in &data.sources {
        let (Some(coding), Some(gold)) = (of.coding(id), work.source_index(id)) else {
            continue;
        };
        sources += 1;
        let mine = data.codes.values(coding, voice);
        let theirs = data.codes.values(&work.sources[gold], voice);
        for scene in 0..work.scenes.len() {
            let a = value_on(&mine, scene);
            let b = value_on(&theirs, scene);
            if a.is_empty() && b.is_empty() {
                continue;
            }
            held += a.len();
            reference += b.len();
            both += a.iter().filter(|c| b.binary_search(c).is_ok()).count();
            units.push(UnitValues::from_values([a.clone(), b.clone()]));
        }
    }
    let ratio = |x: usize, of: usize| (of > 0).then(|| x as f64 / of as f64);
    let (precision, recall) = (ratio(both, held), ratio(both, reference));
    GoldFigures {
        coder: coder.to_string(),
        sources,
        units: units.len(),
        precision,
        recall,
        f1: precision.zip(recall).map(|(p, r)| {
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            }
        }),
        alpha: agreement::alpha_with(&units, Distance::Masi),
    }
}

/// The value on `scene` of values listed by scene; the empty value where there is none.
fn value_on(values: &[(usize, Value)], scene: usize) -> Value {
    values
        .binary_search_by_key(&scene, |(s, _)| *s)
        .map(|i| values[i].1.clone())
        .unwrap_or_default()
}

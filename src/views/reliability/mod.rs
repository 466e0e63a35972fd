//! `parallax reliability`: how far the coders who coded the same sources agree (docs/rules.md),
//! with every disagreement listed.
//!
//! Units are (source, scene) pairs, coders are the work's coders, and a coder's value on a
//! unit is built in [`units`]. The statistics are those of `agreement`, from the same core
//! (`crate::agreement`): alpha three ways, per reading, with each coder left out, the
//! bootstrap; this view adds what only several codings of one source can show: the coders ×
//! coders table, alpha per source, the disagreements themselves, and each coder against the
//! work's claim sets (`--gold`).

mod document;
mod figures;
mod gold;
pub mod units;

use serde::Serialize;

use self::units::{Codes, Data, ValueKind};
use crate::agreement::{self, BootstrapOptions, HeldUnit, Interpretation, UnitValues};
use crate::corpus::Work;
use crate::render::LegendEntry;
use crate::views::ClaimOut;
use crate::views::agreement::{AlphaOut, BootstrapOut, Resample, bootstrap_out};
use crate::voice::Voice;

pub use self::figures::{CodeAlpha, CoderFigures, PairFigures, SourceFigures};
pub use self::gold::GoldFigures;

/// The order of the per-source, per-code, pair and disagreement tables (`--sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortBy {
    /// sources, scenes and coders by id and narrative order, codes in codebook order
    #[default]
    Name,
    /// the least agreement first (undefined last)
    Agreement,
}

/// What `reliability` computes, and over what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReliabilityOptions {
    pub value: ValueKind,
    pub voice: Voice,
    /// the coders, as indices into the work's coders, in report order
    pub coders: Vec<usize>,
    /// only these sources (`--sources`)
    pub sources: Option<Vec<String>>,
    pub bootstrap: Option<BootstrapOptions>,
    pub resample: Resample,
    /// compare each coder with the work's claim sets
    pub gold: bool,
    /// list every disagreement (`--no-disagreements` leaves the list out)
    pub disagreements: bool,
    /// show the claims' quotes in the disagreements (every format but the terminal's table)
    pub quotes: bool,
    pub sort: SortBy,
}

/// One coder's value and claims on a unit where the coders disagree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoderValue {
    pub coder: String,
    /// the codes of the value (reading ids, or `stance:reading@person`); empty when the
    /// coder found nothing there
    pub value: Vec<String>,
    /// every claim of the coding on the scene, whatever counts toward the value
    pub claims: Vec<ClaimOut>,
}

/// A unit where the coders' values differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub source: String,
    pub scene: String,
    /// mean over pairs of the unit's coders of 1 − MASI distance
    pub agreement: Option<f64>,
    /// each coder of the source, in report order
    pub coders: Vec<CoderValue>,
}

/// docs/json.md: `values` and `claims` are objects keyed by coder, in report order.
impl Serialize for Disagreement {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        /// one field of each coder's, keyed by coder
        struct ByCoder<'a, T>(&'a [CoderValue], for<'b> fn(&'b CoderValue) -> &'b T);
        impl<T: Serialize> Serialize for ByCoder<'_, T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|c| (&c.coder, (self.1)(c))))
            }
        }
        let mut st = s.serialize_struct("Disagreement", 5)?;
        st.serialize_field("source", &self.source)?;
        st.serialize_field("scene", &self.scene)?;
        st.serialize_field("agreement", &self.agreement)?;
        st.serialize_field("values", &ByCoder(&self.coders, |c| &c.value))?;
        st.serialize_field("claims", &ByCoder(&self.coders, |c| &c.claims))?;
        st.end()
    }
}

/// Every unit where the coders' values differ, made one at a time as it is written: a
/// corpus where coders often differ has a disagreement for most units, each with the claims
/// of every coder, more than is worth holding.
pub struct Disagreements<'w> {
    work: &'w Work,
    data: Data,
    /// the units (indices into the data's units) where values differ, with their agreement
    units: Vec<(u32, Option<f64>)>,
}

impl<'w> Disagreements<'w> {
    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Each disagreement, made as it is asked for.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Disagreement> + '_ {
        self.units
            .iter()
            .map(|&(u, agreement)| disagreement(self.work, &self.data, u as usize, agreement))
    }
}

impl Serialize for Disagreements<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for Disagreements<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The view (docs/json.md `reliability`).
#[derive(Debug, Serialize)]
pub struct Reliability<'w> {
    pub work: String,
    pub coders: Vec<String>,
    pub value: ValueKind,
    pub voice: String,
    /// sources some coder coded
    pub sources: usize,
    /// units with a value that is not empty
    pub units: usize,
    pub pairable_units: usize,
    pub pairable_values: usize,
    pub alpha: AlphaOut,
    /// Krippendorff's verdict on the MASI alpha; `null` where it is undefined
    pub interpretation: Option<Interpretation>,
    pub warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapOut>,
    pub per_reading: Vec<CodeAlpha>,
    pub per_coder: Vec<CoderFigures>,
    pub per_source: Vec<SourceFigures>,
    pub pairs: Vec<PairFigures>,
    /// left out with `--no-disagreements`
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disagreements: Option<Disagreements<'w>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gold: Option<Vec<GoldFigures>>,
    /// the readings' labels, for the claims the disagreements show
    #[serde(skip)]
    pub legend: Vec<LegendEntry>,
    /// whether the disagreements show the claims' quotes
    #[serde(skip)]
    pub quotes: bool,
}

impl<'w> Reliability<'w> {
    /// The view, or why there is nothing to measure: no source coded by two of the coders.
    pub fn new(work: &'w Work, opts: &ReliabilityOptions) -> Result<Self, String> {
        let codes = Codes::new(opts.value, work);
        let data = Data::new(
            work,
            &opts.coders,
            opts.sources.as_deref(),
            codes,
            opts.voice,
        );
        let shared = data.source_coders.iter().filter(|c| c.len() >= 2).count();
        if shared == 0 {
            return Err(no_shared_source(work, &data));
        }
        let held: Vec<HeldUnit> = data.units.iter().map(|u| data.held(u)).collect();
        let counts: Vec<UnitValues> = held.iter().map(HeldUnit::counts).collect();
        let alpha = agreement::alpha(&counts);
        let mut warnings: Vec<String> = agreement::interpret::too_few_values(alpha.pairable_values)
            .into_iter()
            .collect();
        let single = data.sources.len() - shared;
        if single > 0 {
            warnings.push(format!(
                "{single} of {} sources {} coded by one coder only: {} scenes take no part in alpha",
                data.sources.len(),
                if single == 1 { "is" } else { "are" },
                if single == 1 { "its" } else { "their" },
            ));
        }
        let pairable_coders = (held.iter().zip(&counts))
            .filter(|(_, u)| u.is_pairable())
            .flat_map(|(h, _)| h.values.iter().flat_map(|(_, c)| c.iter().copied()))
            .collect::<std::collections::BTreeSet<u32>>()
            .len();
        let pairs = figures::pairs(&data);
        let per_coder = figures::per_coder(&data, &held, &pairs);
        drop(held);
        let units: Vec<(u32, Option<f64>)> = (data.units.iter().zip(&counts).enumerate())
            .filter(|(_, (u, _))| !data.unanimous(u))
            .map(|(i, (_, count))| (i as u32, count.mean_pairwise_agreement()))
            .collect();
        let mut view = Reliability {
            work: work.id.clone(),
            coders: data.coders.clone(),
            value: opts.value,
            voice: opts.voice.name(work),
            sources: data.sources.len(),
            units: data.units.len(),
            pairable_units: alpha.pairable_units,
            pairable_values: alpha.pairable_values,
            alpha: AlphaOut {
                nominal: alpha.nominal,
                masi: alpha.masi,
                jaccard: alpha.jaccard,
            },
            interpretation: Interpretation::of(alpha.masi),
            warnings,
            bootstrap: opts
                .bootstrap
                .map(|b| bootstrap_out(&counts, pairable_coders, b, opts.resample)),
            per_reading: figures::per_code(work, &data, &counts),
            per_coder,
            per_source: figures::per_source(&data, &counts),
            pairs,
            gold: opts.gold.then(|| gold::figures(work, &data, opts.voice)),
            legend: crate::views::legend(work),
            quotes: opts.quotes,
            disagreements: opts
                .disagreements
                .then_some(Disagreements { work, data, units }),
        };
        view.sort(opts.sort);
        Ok(view)
    }

    fn sort(&mut self, sort: SortBy) {
        if sort == SortBy::Name {
            return;
        }
        // ascending, undefined last; stable, so ties keep their natural order
        let key = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
        self.per_reading
            .sort_by(|a, b| key(a.alpha).total_cmp(&key(b.alpha)));
        self.per_source
            .sort_by(|a, b| key(a.alpha).total_cmp(&key(b.alpha)));
        self.pairs
            .sort_by(|a, b| key(a.alpha).total_cmp(&key(b.alpha)));
        self.per_coder
            .sort_by(|a, b| key(a.mean_agreement).total_cmp(&key(b.mean_agreement)));
        if let Some(d) = &mut self.disagreements {
            d.units.sort_by(|a, b| key(a.1).total_cmp(&key(b.1)));
        }
    }
}

/// Why `reliability` has nothing to measure.
fn no_shared_source(work: &Work, data: &Data) -> String {
    if work.coders.is_empty() {
        return format!(
            "work \"{}\" has no codings: reliability needs two coders' codings of the same source (codings/<coder>/<source>.toml)",
            work.id
        );
    }
    if data.coders.len() < 2 {
        return format!(
            "reliability needs at least two coders; {} chosen",
            match data.coders.as_slice() {
                [] => "none was".to_string(),
                [one] => format!("only \"{one}\" was"),
                _ => unreachable!(),
            }
        );
    }
    format!(
        "no source of work \"{}\" was coded by two of the coders ({}): reliability compares codings of the same source",
        work.id,
        data.coders.join(", ")
    )
}

/// The disagreement on unit `u`: each coder's value and claims.
fn disagreement(work: &Work, data: &Data, u: usize, agreement: Option<f64>) -> Disagreement {
    let unit = &data.units[u];
    let source = &data.sources[unit.source as usize];
    let coders = (data.unit_values(unit))
        .map(|(k, value)| {
            let coding = work.coders[data.coder_index[k as usize]]
                .coding(source)
                .expect("a unit's coders coded its source");
            CoderValue {
                coder: data.coders[k as usize].clone(),
                value: (data.values[value as usize].iter())
                    .map(|&c| data.codes.name(work, c))
                    .collect(),
                claims: (crate::align::on_scene(coding, unit.scene as usize))
                    .map(|c| ClaimOut::of(work, c))
                    .collect(),
            }
        })
        .collect();
    Disagreement {
        source: source.clone(),
        scene: work.scenes[unit.scene as usize].id.clone(),
        agreement,
        coders,
    }
}

#[cfg(test)]
mod tests;

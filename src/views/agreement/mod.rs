//! `parallax agreement`: how much the sources agree (docs/rules.md#agreement): Krippendorff's alpha over
//! the work three ways, with what a publication reports beside it (a plain-language
//! verdict, a bootstrap interval, alpha per reading and without each source), each
//! scene's agreement beside the values that make it, and a source × source table of
//! verdict counts.
//!
//! Scenes are units, sources coders, and a source's value for a scene is the set of
//! readings it endorses there in the chosen voice (missing when it endorses none). The
//! work is done with indices: sources, scenes and readings are numbers until the output
//! names them, and scenes are grouped in parallel.

mod document;

pub(crate) use self::document::{
    alpha_table, bootstrap_line, interpretation_line, write_tidy_alpha,
};
mod json;
mod pair_bits;
mod pair_table;
mod pair_texts;
mod pairs;
mod pieces;

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use self::json::write_pretty;
pub use self::pair_table::{PairTable, Positions, Runs};
pub use self::pairs::{Counts, PairAgreement, PairRows, Pairs};
use crate::agreement::{
    self, BootstrapOptions, Distance, HeldUnit, Interpretation, UnitValues, Value,
};
use crate::align::by_scene;
use crate::corpus::{Source, Work};
use crate::verdict::Position;
use crate::voice::Voice;

/// The order of the per-scene, per-reading and pair tables (`--sort`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortBy {
    /// scenes in narrative order, readings in codebook order, pairs in source order
    #[default]
    Name,
    /// the most disputed first: scenes and readings by agreement ascending, pairs by
    /// mean Jaccard ascending (undefined last)
    Agreement,
    /// pairs with the most conflicts first; scenes and readings as with `agreement`
    Conflicts,
}

/// What the view computes beyond alpha and the per-scene figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AgreementOptions {
    /// the source × source table
    pub pairs: bool,
    /// the bootstrap of alpha
    pub bootstrap: Option<BootstrapOptions>,
    /// what the bootstrap resamples
    pub resample: Resample,
    pub sort: SortBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlphaOut {
    pub nominal: Option<f64>,
    pub masi: Option<f64>,
    pub jaccard: Option<f64>,
}

impl AlphaOut {
    pub fn get(&self, d: Distance) -> Option<f64> {
        match d {
            Distance::Nominal => self.nominal,
            Distance::Masi => self.masi,
            Distance::Jaccard => self.jaccard,
        }
    }
}

/// One distinct value of a scene and the sources that hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldValue {
    pub readings: Vec<String>,
    pub sources: SourceList,
}

/// Sources named by index into the list of the work's source ids, which every list of a
/// view shares: a corpus of thousands of sources names each in many scenes, and a name
/// copied each time would outweigh the corpus. Serialised as the list of ids.
#[derive(Debug, Clone, Default)]
pub struct SourceList {
    names: Arc<Vec<String>>,
    indices: Vec<u32>,
}

impl SourceList {
    pub fn new(names: &Arc<Vec<String>>, indices: Vec<u32>) -> Self {
        SourceList {
            names: Arc::clone(names),
            indices,
        }
    }

    pub fn len(&self) -> usize {
        self.indices.len()
    }

    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.indices
            .iter()
            .map(|&i| self.names[i as usize].as_str())
    }
}

impl PartialEq for SourceList {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Serialize for SourceList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for SourceList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(deserializer)?;
        let indices = (0..names.len() as u32).collect();
        Ok(SourceList {
            names: Arc::new(names),
            indices,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneAgreement {
    pub scene: String,
    /// sources that endorse at least one reading of the scene
    pub sources: usize,
    pub distinct_values: usize,
    /// mean over pairs of those sources of 1 − MASI distance; `null` under two sources
    pub agreement: Option<f64>,
    /// the disagreement itself: which sources endorse which set of readings, most held first
    pub values: Vec<HeldValue>,
}

/// The bootstrap of alpha under one distance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalOut {
    pub low: f64,
    pub high: f64,
    pub q_below_0667: f64,
    pub q_below_0800: f64,
}

/// What the bootstrap resamples (`--resample`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Resample {
    /// pairs of values from the coincidence matrix, D_e fixed (Krippendorff's algorithm):
    /// how alpha varies with the pairing of the values coded
    #[default]
    Pairs,
    /// units with replacement, alpha recomputed with each sample's own D_e: how alpha would
    /// vary with another sample of units coded by the same coders
    Units,
}

impl Resample {
    pub fn name(self) -> &'static str {
        match self {
            Resample::Pairs => "pairs",
            Resample::Units => "units",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BootstrapOut {
    pub samples: usize,
    pub seed: u64,
    /// what each replicate draws: pairs of values, or units
    #[serde(default)]
    pub resample: Resample,
    /// M: the pairs of values each replicate draws (0 when units are resampled)
    pub pairs_per_sample: u64,
    /// the units each replicate draws, when units are resampled
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_per_sample: Option<u64>,
    pub nominal: Option<IntervalOut>,
    pub masi: Option<IntervalOut>,
    pub jaccard: Option<IntervalOut>,
}

impl BootstrapOut {
    pub fn get(&self, d: Distance) -> Option<IntervalOut> {
        match d {
            Distance::Nominal => self.nominal,
            Distance::Masi => self.masi,
            Distance::Jaccard => self.jaccard,
        }
    }
}

/// Alpha of the binary question "does the source endorse this reading here?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingAgreement {
    pub reading: String,
    pub pairable_scenes: usize,
    /// the pairable values (the same as the overall alpha's)
    pub n: usize,
    pub alpha: Option<f64>,
}

/// MASI alpha without one source, and how it differs from alpha with every source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOutSource {
    pub source: String,
    pub masi: Option<f64>,
    /// alpha without − alpha with: positive when the source pulls agreement down
    pub change: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub work: String,
    pub sources: usize,
    pub scenes: usize,
    pub pairable_scenes: usize,
    /// n: values in pairable scenes
    pub pairable_values: usize,
    pub alpha: AlphaOut,
    /// Krippendorff's verdict on the MASI alpha; `null` where it is undefined
    pub interpretation: Option<Interpretation>,
    pub warnings: Vec<String>,
    /// only with `--bootstrap`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapOut>,
    pub per_reading: Vec<ReadingAgreement>,
    /// sorted by change, largest first (undefined last)
    pub leave_one_out: Vec<LeftOutSource>,
    pub per_scene: Vec<SceneAgreement>,
    /// left out with `--no-pairs`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Pairs>,
}

impl Agreement {
    /// The view with the default options, and the pair table if `with_pairs`.
    pub fn new(work: &Work, with_pairs: bool, voice: Voice) -> Self {
        let opts = AgreementOptions {
            pairs: with_pairs,
            ..AgreementOptions::default()
        };
        Self::with_options(work, voice, &opts)
    }

    pub fn with_options(work: &Work, voice: Voice, opts: &AgreementOptions) -> Self {
        let held = held_units(work, |si| endorsed(&work.sources[si], voice));
        let units: Vec<UnitValues> = held.par_iter().map(HeldUnit::counts).collect();
        let alpha = agreement::alpha(&units);
        let masi = alpha.masi;
        let mut view = Agreement {
            work: work.id.clone(),
            sources: work.sources.len(),
            scenes: work.scenes.len(),
            pairable_scenes: alpha.pairable_units,
            pairable_values: alpha.pairable_values,
            alpha: AlphaOut {
                nominal: alpha.nominal,
                masi: alpha.masi,
                jaccard: alpha.jaccard,
            },
            interpretation: Interpretation::of(masi),
            warnings: agreement::interpret::too_few_values(alpha.pairable_values)
                .into_iter()
                .collect(),
            bootstrap: opts
                .bootstrap
                .map(|b| bootstrap(&held, &units, b, opts.resample)),
            per_reading: per_reading(work, &units),
            leave_one_out: leave_one_out(work, &held),
            per_scene: Vec::new(),
            pairs: None,
        };
        // last: the scenes' lists of sources are the codings' own, moved
        view.per_scene = per_scene(work, held, &units);
        view.sort(opts.sort);
        // the pair table is laid out in the room the codings took
        drop(units);
        if opts.pairs {
            let names = work.sources.iter().map(|s| s.id.clone()).collect();
            let excludes: Vec<Vec<usize>> =
                work.readings.iter().map(|r| r.excludes.clone()).collect();
            let table =
                PairTable::of_sources(names, work.scenes.len(), &excludes, opts.sort, |si| {
                    positions(&work.sources[si], voice)
                });
            view.pairs = Some(Pairs::Table(Arc::new(table)));
        }
        view
    }

    /// Orders the per-scene and per-reading tables (the pair table orders itself).
    fn sort(&mut self, sort: SortBy) {
        if sort == SortBy::Name {
            return;
        }
        // ascending, undefined last; stable, so ties keep narrative or codebook order
        let key = |x: Option<f64>| x.unwrap_or(f64::INFINITY);
        self.per_scene
            .sort_by(|a, b| key(a.agreement).total_cmp(&key(b.agreement)));
        self.per_reading
            .sort_by(|a, b| key(a.alpha).total_cmp(&key(b.alpha)));
    }
}

/// A source's positions on the scenes it speaks of, in scene order.
fn positions(source: &Source, voice: Voice) -> Positions {
    by_scene(source)
        .into_iter()
        .map(|(scene, claims)| (scene as u32, Position::of(claims, voice)))
        .filter(|(_, p)| p.spoke)
        .collect()
}

/// A source's endorsed readings on the scenes where it endorses any, in scene order.
type Endorsed = Vec<(u32, Packed)>;

/// An endorsed set as it is grouped: a bit set when every reading index is under 64, as in
/// any real codebook, else the sorted list. A corpus has a coding for every source and
/// scene it speaks of, so they are kept small and free of allocations.
#[derive(PartialEq, Eq, Hash)]
enum Packed {
    Bits(u64),
    List(Box<[u32]>),
}

impl Packed {
    fn of(readings: &[usize]) -> Self {
        if readings.iter().all(|&r| r < 64) {
            Packed::Bits(readings.iter().fold(0, |bits, &r| bits | 1 << r))
        } else {
            let mut list: Vec<u32> = readings.iter().map(|&r| r as u32).collect();
            list.sort_unstable();
            list.dedup();
            Packed::List(list.into_boxed_slice())
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Packed::Bits(bits) => *bits == 0,
            Packed::List(list) => list.is_empty(),
        }
    }

    /// The readings, sorted and without repeats.
    fn unpack(self) -> Value {
        match self {
            Packed::Bits(mut bits) => {
                let mut value = Vec::with_capacity(bits.count_ones() as usize);
                while bits != 0 {
                    value.push(bits.trailing_zeros());
                    bits &= bits - 1;
                }
                value
            }
            Packed::List(list) => list.into_vec(),
        }
    }
}

/// What one source endorses, scene by scene, straight from its claims.
fn endorsed(source: &Source, voice: Voice) -> Endorsed {
    by_scene(source)
        .into_iter()
        .map(|(scene, claims)| {
            (
                scene as u32,
                Packed::of(&Position::of(claims, voice).endorses),
            )
        })
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// Sources coded at a time: what waits to be grouped is this many sources' codings.
const SOURCES_AT_ONCE: usize = 4096;

/// Per scene, each distinct endorsed set with the sources (indices) holding it; `code`
/// gives what source `i` endorses. Sources are coded in parallel a block at a time and each
/// coding goes straight to its scene's group, so a coding costs its source's index there
/// and nothing is held per source and scene.
fn held_units(work: &Work, code: impl Fn(usize) -> Endorsed + Sync) -> Vec<HeldUnit> {
    let mut groups: Vec<HashMap<Packed, Vec<u32>>> =
        work.scenes.iter().map(|_| HashMap::default()).collect();
    let n = work.sources.len();
    for start in (0..n).step_by(SOURCES_AT_ONCE) {
        let block = start..(start + SOURCES_AT_ONCE).min(n);
        let coded: Vec<Endorsed> = block.into_par_iter().map(&code).collect();
        for (si, list) in (start..).zip(coded) {
            for (scene, value) in list {
                groups[scene as usize]
                    .entry(value)
                    .or_default()
                    .push(si as u32);
            }
        }
    }
    (groups.into_par_iter())
        .map(|group| {
            let mut values: Vec<(Value, Vec<u32>)> = (group.into_iter())
                .map(|(value, mut sources)| {
                    sources.shrink_to_fit();
                    (value.unpack(), sources)
                })
                .collect();
            values.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            HeldUnit { values }
        })
        .collect()
}

fn per_scene(work: &Work, held: Vec<HeldUnit>, units: &[UnitValues]) -> Vec<SceneAgreement> {
    let names = Arc::new(work.sources.iter().map(|s| s.id.clone()).collect());
    (work.scenes.par_iter().zip(held).zip(units))
        .map(|((scene, held), unit)| {
            let mut values: Vec<HeldValue> = (held.values.into_iter())
                .map(|(value, sources)| HeldValue {
                    readings: value
                        .iter()
                        .map(|&r| work.readings[r as usize].id.clone())
                        .collect(),
                    sources: SourceList::new(&names, sources),
                })
                .collect();
            values.sort_by(|a, b| {
                b.sources
                    .len()
                    .cmp(&a.sources.len())
                    .then_with(|| a.readings.cmp(&b.readings))
            });
            SceneAgreement {
                scene: scene.id.clone(),
                sources: unit.count(),
                distinct_values: unit.distinct(),
                agreement: unit.mean_pairwise_agreement(),
                values,
            }
        })
        .collect()
}

fn per_reading(work: &Work, units: &[UnitValues]) -> Vec<ReadingAgreement> {
    agreement::per_reading(units, work.readings.len())
        .into_iter()
        .map(|r| ReadingAgreement {
            reading: work.readings[r.reading as usize].id.clone(),
            pairable_scenes: r.pairable_units,
            n: r.pairable_values,
            alpha: r.alpha,
        })
        .collect()
}

/// MASI alpha without each source, the sources whose removal raises alpha most first.
fn leave_one_out(work: &Work, held: &[HeldUnit]) -> Vec<LeftOutSource> {
    let left = agreement::leave_one_out(held, work.sources.len(), Distance::Masi);
    let mut out: Vec<LeftOutSource> = (work.sources.iter().zip(&left.without))
        .map(|(source, &without)| LeftOutSource {
            source: source.id.clone(),
            masi: without,
            change: without.zip(left.alpha).map(|(w, a)| w - a),
        })
        .collect();
    let key = |x: Option<f64>| x.unwrap_or(f64::NEG_INFINITY);
    out.sort_by(|a, b| key(b.change).total_cmp(&key(a.change)));
    out
}

/// The bootstrap, with m the number of sources holding a value in a pairable scene.
fn bootstrap(
    held: &[HeldUnit],
    units: &[UnitValues],
    opts: BootstrapOptions,
    resample: Resample,
) -> BootstrapOut {
    let mut coders: Vec<u32> = (held.iter().zip(units))
        .filter(|(_, unit)| unit.is_pairable())
        .flat_map(|(h, _)| {
            h.values
                .iter()
                .flat_map(|(_, sources)| sources.iter().copied())
        })
        .collect();
    coders.sort_unstable();
    coders.dedup();
    bootstrap_out(units, coders.len(), opts, resample)
}

/// The bootstrap of alpha over `units` as a view shows it; `coders` is m, the coders holding
/// a pairable value (Krippendorff's algorithm draws M pairs from it).
pub(crate) fn bootstrap_out(
    units: &[UnitValues],
    coders: usize,
    opts: BootstrapOptions,
    resample: Resample,
) -> BootstrapOut {
    let b = match resample {
        Resample::Pairs => agreement::bootstrap(units, coders, opts),
        Resample::Units => agreement::bootstrap_units(units, opts),
    };
    let out = |d: Distance| {
        b.get(d).map(|i| IntervalOut {
            low: i.low,
            high: i.high,
            q_below_0667: i.q_below_0667,
            q_below_0800: i.q_below_0800,
        })
    };
    BootstrapOut {
        samples: b.samples,
        seed: b.seed,
        resample,
        pairs_per_sample: b.pairs_per_sample,
        units_per_sample: (resample == Resample::Units)
            .then(|| units.iter().filter(|u| u.is_pairable()).count() as u64),
        nominal: out(Distance::Nominal),
        masi: out(Distance::Masi),
        jaccard: out(Distance::Jaccard),
    }
}

/// A figure as tables show it: three decimals, or "n/a" where it is undefined.
pub fn figure(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{v:.3}"),
        None => "n/a".to_string(),
    }
}

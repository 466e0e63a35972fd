//! The reliability data of SPEC §10: units are (source, scene), coders are the work's coders,
//! and a coder's value on a unit is a set of codes: the readings the coding endorses there
//! (`--value readings`) or one code per claim, stance, reading and voice together
//! (`--value positions`). A coder who coded the source and recorded nothing that counts on
//! the scene has the empty value; a coder with no coding of the source is missing. Units
//! where every coder's value is empty are left out: nothing was found there.

use crate::agreement::Value;
use crate::align::by_scene;
use crate::corpus::{Claim, Source, Stance, Work, model::alias_key};
use crate::verdict::Position;
use crate::voice::Voice;

/// What a coder's value on a unit is made of (`--value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// the readings the coding endorses on the scene, in the chosen voice
    #[default]
    Readings,
    /// a code `STANCE:READING` per claim on the scene, with `@PERSON` for a reported view:
    /// stance and voice must agree too
    Positions,
}

/// How codes are numbered and named.
#[derive(Debug, Clone, Copy)]
pub struct Codes {
    pub kind: ValueKind,
    readings: u32,
    people: u32,
}

impl Codes {
    pub fn new(kind: ValueKind, work: &Work) -> Self {
        Codes {
            kind,
            readings: work.readings.len() as u32,
            people: work.people.len() as u32,
        }
    }

    /// How many codes there can be: codes are `0..count()`.
    pub fn count(&self) -> usize {
        match self.kind {
            ValueKind::Readings => self.readings as usize,
            ValueKind::Positions => 3 * self.readings as usize * (self.people as usize + 1),
        }
    }

    /// The code of a claim in `--value positions`.
    fn position(&self, claim: &Claim) -> u32 {
        let stance = Stance::ALL
            .iter()
            .position(|s| *s == claim.stance)
            .unwrap_or(0) as u32;
        let voice = claim.person().map_or(0, |p| p + 1);
        (stance * self.readings + claim.reading() as u32) * (self.people + 1) + voice
    }

    /// A code as reports name it: a reading's id, or `stance:reading[@person]`.
    pub fn name(&self, work: &Work, code: u32) -> String {
        match self.kind {
            ValueKind::Readings => work.readings[code as usize].id.clone(),
            ValueKind::Positions => {
                let voice = code % (self.people + 1);
                let rest = code / (self.people + 1);
                let (stance, reading) = (rest / self.readings, rest % self.readings);
                let mut name = format!(
                    "{}:{}",
                    Stance::ALL[stance as usize].name(),
                    work.readings[reading as usize].id
                );
                if voice > 0 {
                    let person = &work.people[voice as usize - 1];
                    // a registered person by id; a name the claims write, folded
                    let shown = if work.registry {
                        person.id.clone()
                    } else {
                        alias_key(&person.name)
                    };
                    name.push('@');
                    name.push_str(&shown);
                }
                name
            }
        }
    }

    /// The reading of a code.
    pub fn reading(&self, code: u32) -> usize {
        match self.kind {
            ValueKind::Readings => code as usize,
            ValueKind::Positions => ((code / (self.people + 1)) % self.readings) as usize,
        }
    }

    /// A coding's value on each scene it speaks of (scenes in order); scenes it does not
    /// speak of have the empty value.
    pub fn values(&self, coding: &Source, voice: Voice) -> Vec<(usize, Value)> {
        by_scene(coding)
            .into_iter()
            .map(|(scene, claims)| {
                let mut value: Value = match self.kind {
                    ValueKind::Readings => (Position::of(claims, voice).endorses.into_iter())
                        .map(|r| r as u32)
                        .collect(),
                    ValueKind::Positions => (claims.into_iter())
                        .filter(|c| voice.counts(c))
                        .map(|c| self.position(c))
                        .collect(),
                };
                value.sort_unstable();
                value.dedup();
                (scene, value)
            })
            .collect()
    }
}

/// One unit: a scene of a source, with each coder's value (coders of the source only).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// index into [`Data::sources`]
    pub source: usize,
    /// index into the work's scenes
    pub scene: usize,
    /// (index into [`Data::coders`], value), in coder order
    pub values: Vec<(usize, Value)>,
}

impl Unit {
    pub fn value_of(&self, coder: usize) -> Option<&Value> {
        self.values
            .iter()
            .find(|(c, _)| *c == coder)
            .map(|(_, v)| v)
    }

    /// Whether every coder's value is the same.
    pub fn unanimous(&self) -> bool {
        self.values.windows(2).all(|w| w[0].1 == w[1].1)
    }
}

/// The reliability data of a work: its coders and sources as chosen, and the units.
#[derive(Debug, Clone)]
pub struct Data {
    /// how values are coded
    pub codes: Codes,
    /// coder ids, in report order
    pub coders: Vec<String>,
    /// index into `work.coders` of each coder
    pub coder_index: Vec<usize>,
    /// the ids of the sources some chosen coder coded, sorted
    pub sources: Vec<String>,
    /// per source, how many chosen coders coded it
    pub coders_per_source: Vec<usize>,
    /// units in source order, then scene order; units where every value is empty are left out
    pub units: Vec<Unit>,
}

impl Data {
    /// The units of `work` for the coders (indices into `work.coders`, in report order) and,
    /// when `only` is given, the sources it names.
    pub fn new(
        work: &Work,
        coders: &[usize],
        only: Option<&[String]>,
        codes: Codes,
        voice: Voice,
    ) -> Self {
        let mut sources: Vec<String> = coders
            .iter()
            .flat_map(|&c| work.coders[c].codings.iter().map(|s| s.id.clone()))
            .filter(|id| only.is_none_or(|ids| ids.contains(id)))
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let mut units = Vec::new();
        let mut coders_per_source = Vec::with_capacity(sources.len());
        for (si, id) in sources.iter().enumerate() {
            // each coder of the source: its values by scene, the empty value elsewhere
            let coded: Vec<(usize, Vec<(usize, Value)>)> = (coders.iter().enumerate())
                .filter_map(|(k, &c)| Some((k, codes.values(work.coders[c].coding(id)?, voice))))
                .collect();
            coders_per_source.push(coded.len());
            let mut at = vec![0usize; coded.len()];
            for scene in 0..work.scenes.len() {
                let values: Vec<(usize, Value)> = (coded.iter().zip(&mut at))
                    .map(|((k, by_scene), at)| {
                        let value = match by_scene.get(*at) {
                            Some((s, v)) if *s == scene => {
                                *at += 1;
                                v.clone()
                            }
                            _ => Value::new(),
                        };
                        (*k, value)
                    })
                    .collect();
                if values.iter().any(|(_, v)| !v.is_empty()) {
                    units.push(Unit {
                        source: si,
                        scene,
                        values,
                    });
                }
            }
        }
        Data {
            codes,
            coders: coders.iter().map(|&c| work.coders[c].id.clone()).collect(),
            coder_index: coders.to_vec(),
            sources,
            coders_per_source,
            units,
        }
    }
}

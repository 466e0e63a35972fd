//! The reliability data of docs/rules.md: units are (source, scene), coders are the work's coders,
//! and a coder's value on a unit is a set of codes: the readings the coding endorses there
//! (`--value readings`) or one code per claim, stance, reading and voice together
//! (`--value positions`). A coder who coded the source and recorded nothing that counts on
//! the scene has the empty value; a coder with no coding of the source is missing. Units
//! where every coder's value is empty are left out: nothing was found there.

use rustc_hash::FxHashMap;

use crate::agreement::{HeldUnit, Value};
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

/// One unit: a scene of a source. Its values are those of the source's coders, in their
/// order, at [`start`](Self::start) in [`Data`]'s table of unit values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// index into [`Data::sources`]
    pub source: u32,
    /// index into the work's scenes
    pub scene: u32,
    start: u32,
}

/// The reliability data of a work: its coders and sources as chosen, the units, and each
/// coder's value on each unit as an index into a table of the distinct values (the empty
/// value is index 0), so that a value shared by thousands of units is held once.
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
    /// per source, the coders (in report order) who coded it
    pub source_coders: Vec<Vec<u32>>,
    /// the distinct values; `values[0]` is the empty value
    pub values: Vec<Value>,
    /// units in source order, then scene order; units where every value is empty are left out
    pub units: Vec<Unit>,
    /// the units' values, unit after unit, one per coder of the unit's source
    unit_values: Vec<u32>,
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
        let mut data = Data {
            codes,
            coders: coders.iter().map(|&c| work.coders[c].id.clone()).collect(),
            coder_index: coders.to_vec(),
            sources: Vec::new(),
            source_coders: Vec::with_capacity(sources.len()),
            values: vec![Value::new()],
            units: Vec::new(),
            unit_values: Vec::new(),
        };
        let mut index: FxHashMap<Value, u32> = FxHashMap::default();
        index.insert(Value::new(), 0);
        for (si, id) in sources.iter().enumerate() {
            // each coder of the source: its values by scene, the empty value elsewhere
            let mut of_source = Vec::new();
            let mut coded = Vec::new();
            for (k, &c) in coders.iter().enumerate() {
                if let Some(coding) = work.coders[c].coding(id) {
                    of_source.push(k as u32);
                    let values = codes.values(coding, voice).into_iter().map(|(scene, v)| {
                        let next = data.values.len() as u32;
                        let i = *index.entry(v).or_insert_with_key(|v| {
                            data.values.push(v.clone());
                            next
                        });
                        (scene, i)
                    });
                    coded.push(values.collect::<Vec<_>>());
                }
            }
            let mut at = vec![0usize; coded.len()];
            let mut row = Vec::with_capacity(coded.len());
            for scene in 0..work.scenes.len() {
                row.clear();
                for (by_scene, at) in coded.iter().zip(&mut at) {
                    row.push(match by_scene.get(*at) {
                        Some(&(s, v)) if s == scene => {
                            *at += 1;
                            v
                        }
                        _ => 0,
                    });
                }
                if row.iter().any(|&v| v != 0) {
                    data.units.push(Unit {
                        source: si as u32,
                        scene: scene as u32,
                        start: data.unit_values.len() as u32,
                    });
                    data.unit_values.extend_from_slice(&row);
                }
            }
            data.source_coders.push(of_source);
        }
        data.sources = sources;
        data
    }

    /// The coders of a unit (in report order) with their values (indices into
    /// [`values`](Self::values)).
    pub fn unit_values(&self, unit: &Unit) -> impl ExactSizeIterator<Item = (u32, u32)> + '_ {
        let coders = &self.source_coders[unit.source as usize];
        let start = unit.start as usize;
        (coders.iter().copied()).zip(
            self.unit_values[start..start + coders.len()]
                .iter()
                .copied(),
        )
    }

    /// The value of coder `k` on a unit, if the coder coded its source.
    pub fn value_of(&self, unit: &Unit, k: u32) -> Option<u32> {
        let coders = &self.source_coders[unit.source as usize];
        let at = coders.binary_search(&k).ok()?;
        Some(self.unit_values[unit.start as usize + at])
    }

    /// Whether every coder of the unit's source gave it the same value.
    pub fn unanimous(&self, unit: &Unit) -> bool {
        let mut values = self.unit_values(unit).map(|(_, v)| v);
        let first = values.next();
        values.all(|v| Some(v) == first)
    }

    /// A unit with who holds each of its values, as the agreement core takes it.
    pub fn held(&self, unit: &Unit) -> HeldUnit {
        let mut values: Vec<(u32, Vec<u32>)> = Vec::new();
        for (k, v) in self.unit_values(unit) {
            match values.iter_mut().find(|(x, _)| *x == v) {
                Some((_, coders)) => coders.push(k),
                None => values.push((v, vec![k])),
            }
        }
        let mut values: Vec<(Value, Vec<u32>)> = (values.into_iter())
            .map(|(v, coders)| (self.values[v as usize].clone(), coders))
            .collect();
        values.sort_by(|a, b| a.0.cmp(&b.0));
        HeldUnit { values }
    }
}

//! What each code of a project stands for in the work: a scene, a reading (with a stance or
//! not), a person, or nothing of parallax's (a code the analyst added, left alone). A code
//! is known by the parallax id its description carries (`parallax reading id: …`, written
//! by the export), else by its name: a scene's title (after the "N. " the export puts
//! before it) or id, a reading's label, id or alias (with ": endorses" and the like for a
//! stance), a person's name, id or alias.

use std::collections::HashMap;

use super::project::Project;
use crate::corpus::model::alias_key;
use crate::corpus::{Stance, Work};
use crate::interchange::qdpx::codebook::{PERSON_ID, READING_ID, SCENE_ID, STANCE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Scene(usize),
    /// a reading; `None`: the reading's own code, taken as endorsing it
    Reading(usize, Option<Stance>),
    Person(usize),
    /// a parallax id the work does not have: (what, id)
    Unknown(&'static str, String),
    /// not a code of the work's codebook
    Other,
}

/// The meaning of every code of the project, by GUID.
pub fn meanings(work: &Work, project: &Project) -> HashMap<String, Meaning> {
    let names = Names::new(work);
    project
        .codes
        .iter()
        .map(|(guid, code)| {
            let m = by_id(work, &code.description).unwrap_or_else(|| names.of(&code.name));
            (guid.clone(), m)
        })
        .collect()
}

/// The meaning the description's parallax lines give, if it has any.
fn by_id(work: &Work, description: &str) -> Option<Meaning> {
    let line = |prefix: &str| {
        description
            .lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(str::trim)
    };
    if let Some(id) = line(SCENE_ID) {
        return Some(match work.scenes.iter().position(|s| s.id == id) {
            Some(i) => Meaning::Scene(i),
            None => Meaning::Unknown("scene", id.to_string()),
        });
    }
    if let Some(id) = line(READING_ID) {
        let Some(i) = work.readings.iter().position(|r| r.id == id) else {
            return Some(Meaning::Unknown("reading", id.to_string()));
        };
        return Some(match line(STANCE) {
            None => Meaning::Reading(i, None),
            Some(s) => match Stance::parse(s) {
                Some(stance) => Meaning::Reading(i, Some(stance)),
                None => Meaning::Unknown("stance", s.to_string()),
            },
        });
    }
    if let Some(id) = line(PERSON_ID) {
        return Some(match work.people.iter().position(|p| p.id == id) {
            Some(i) => Meaning::Person(i),
            None => Meaning::Unknown("person", id.to_string()),
        });
    }
    None
}

/// The work's names, folded as aliases are, for codes known only by their names.
struct Names {
    readings: HashMap<String, usize>,
    scenes: HashMap<String, usize>,
    people: HashMap<String, usize>,
}

impl Names {
    fn new(work: &Work) -> Self {
        let mut readings = HashMap::new();
        for (i, r) in work.readings.iter().enumerate() {
            for name in [&r.label, &r.id].into_iter().chain(&r.aliases) {
                readings.entry(alias_key(name)).or_insert(i);
            }
        }
        let mut scenes = HashMap::new();
        for (i, s) in work.scenes.iter().enumerate() {
            for name in [&s.title, &s.id].into_iter().chain(&s.aliases) {
                scenes.entry(alias_key(name)).or_insert(i);
            }
        }
        let mut people = HashMap::new();
        for (i, p) in work.people.iter().enumerate() {
            for name in [&p.name, &p.id].into_iter().chain(&p.aliases) {
                people.entry(alias_key(name)).or_insert(i);
            }
        }
        Names {
            readings,
            scenes,
            people,
        }
    }

    fn of(&self, name: &str) -> Meaning {
        let key = alias_key(name);
        if let Some((reading, stance)) = key.rsplit_once(':')
            && let Some(stance) = Stance::parse(stance.trim())
            && let Some(&i) = self.readings.get(reading.trim())
        {
            return Meaning::Reading(i, Some(stance));
        }
        if let Some(&i) = self.readings.get(&key) {
            return Meaning::Reading(i, None);
        }
        let title = numbered(&key);
        if let Some(&i) = self.scenes.get(title).or_else(|| self.scenes.get(&key)) {
            return Meaning::Scene(i);
        }
        if let Some(&i) = self.people.get(&key) {
            return Meaning::Person(i);
        }
        Meaning::Other
    }
}

/// A scene code's name without the "N. " that keeps scenes in narrative order.
fn numbered(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    match name[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_numbers_are_dropped() {
        assert_eq!(numbered("3. the kiss"), "the kiss");
        assert_eq!(numbered("2024"), "2024");
        assert_eq!(numbered("x. y"), "x. y");
    }
}

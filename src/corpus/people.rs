//! The people whose views sources report (docs/formats.md `[[person]]`): the registry of
//! `work.toml` when there is one, the names the claims use when there is none, and the
//! warning about names that look like one person ("Baker" and "Sean Baker").

use std::collections::HashMap;

use toml::Spanned;

use super::model::{Person, Source, alias_key, to_kebab};
use super::raw::PersonDef;
use super::validate::{Names, aliases, check_id, required};
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean, suggest};

/// The registry of `work.toml`: its people and every name they answer to.
#[derive(Debug, Default)]
pub struct Registry {
    pub people: Vec<Person>,
    /// folded id, name and alias → index into `people`
    lookup: HashMap<String, usize>,
}

impl Registry {
    /// Validates the `[[person]]` tables of `work.toml`.
    pub fn read(
        file: &SourceFile,
        defs: &[Spanned<PersonDef>],
        errors: &mut Vec<Diagnostic>,
    ) -> Registry {
        let mut names = Names::new(file, "person");
        let mut people = Vec::with_capacity(defs.len());
        for entry in defs {
            let def = entry.get_ref();
            let id = required(file, &def.id, "id", "[[person]]", entry.span(), errors);
            let name = required(file, &def.name, "name", "[[person]]", entry.span(), errors);
            let own_id = def.id.as_ref().map(|i| i.get_ref().as_str());
            let aliases = aliases(file, own_id, &def.aliases, &mut names, errors);
            let Some(id) = id else { continue };
            if check_id(file, id, "person", errors) {
                names.add(id.get_ref().clone(), id.get_ref(), id.span(), errors);
            }
            let name = match name {
                Some(n) => {
                    let key = alias_key(n.get_ref());
                    // a name equal to the person's own id is no second name
                    if key != *id.get_ref() {
                        names.add(key, n.get_ref(), n.span(), errors);
                    }
                    n.get_ref().trim().to_string()
                }
                None => id.get_ref().clone(),
            };
            people.push(Person {
                id: id.get_ref().clone(),
                name,
                aliases,
                role: def.role.clone().filter(|r| !r.trim().is_empty()),
                pos: Some(file.pos(id.span().start)),
            });
        }
        let mut lookup = HashMap::new();
        for (i, p) in people.iter().enumerate() {
            let keys = [p.id.clone(), alias_key(&p.name)];
            for key in keys
                .into_iter()
                .chain(p.aliases.iter().map(|a| alias_key(a)))
            {
                lookup.entry(key).or_insert(i);
            }
        }
        Registry { people, lookup }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The person a name (id, name or alias, ignoring case and spacing) names.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.lookup.get(&alias_key(name)).copied()
    }

    /// The person an `attributed_to` value names, or an error at its span.
    pub fn resolve(&self, file: &SourceFile, name: &Spanned<String>) -> Result<u32, Diagnostic> {
        if let Some(&i) = self.lookup.get(&alias_key(name.get_ref())) {
            return Ok(i as u32);
        }
        Err(file
            .error(
                format!("unknown person \"{}\"", name.get_ref()),
                name.span(),
            )
            .with_label("not a [[person]] of this work's work.toml")
            .with_help(format!(
                "{} Or add the name to a [[person]]'s aliases in work.toml.",
                self.did_you_mean(name.get_ref())
            )))
    }

    /// "did you mean "Sean Baker"?", naming each close person once by their name.
    fn did_you_mean(&self, wanted: &str) -> String {
        let mut names: Vec<&str> = self.lookup.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut people: Vec<&str> = Vec::new();
        for close in suggest(&alias_key(wanted), &names) {
            let person = self.people[self.lookup[close]].name.as_str();
            if !people.contains(&person) {
                people.push(person);
            }
        }
        if people.is_empty() {
            let all: Vec<&str> = self.people.iter().map(|p| p.name.as_str()).collect();
            return did_you_mean(wanted, &all, "person");
        }
        let quoted: Vec<String> = people.iter().map(|p| format!("\"{p}\"")).collect();
        format!("did you mean {}?", quoted.join(" or "))
    }
}

/// In a work without a registry: the people the claims name, one per name after folding
/// case and white space (first spelling wins), with each claim's `person` set; and a
/// warning for each pair of names that look like one person.
pub fn gather<'a>(
    sources: impl IntoIterator<Item = &'a mut Source>,
) -> (Vec<Person>, Vec<Diagnostic>) {
    let mut people: Vec<Person> = Vec::new();
    let mut by_key: HashMap<String, u32> = HashMap::new();
    let mut ids: HashMap<String, usize> = HashMap::new();
    // where each name is first used, for the warning
    let mut first_use = Vec::new();
    for source in sources {
        let (folder, id) = (&source.folder, &source.id);
        for claim in &mut source.claims {
            let Some(name) = claim.attributed_to() else {
                continue;
            };
            let key = alias_key(name);
            let index = *by_key.entry(key).or_insert_with(|| {
                people.push(Person {
                    id: unique_id(name, &mut ids),
                    name: name.trim().to_string(),
                    aliases: Vec::new(),
                    role: None,
                    pos: None,
                });
                first_use.push((Source::path_in(folder, id), claim.pos));
                (people.len() - 1) as u32
            });
            claim.set_person(Some(index));
        }
    }
    let warnings = look_alikes(&people)
        .into_iter()
        .map(|(short, long)| {
            let (path, pos) = &first_use[short];
            let (message, help) = look_alike_message(&people[short].name, &people[long].name);
            let mut d = Diagnostic::warning(message).at_path(path).with_help(help);
            d.line = Some(pos.line as usize);
            d.column = Some(pos.column as usize);
            d
        })
        .collect();
    (people, warnings)
}

/// The message and help of the warning that `short` and `long` may name one person.
pub fn look_alike_message(short: &str, long: &str) -> (String, String) {
    (
        format!("\"{short}\" and \"{long}\" may be one person, counted as two"),
        format!(
            "write one name in every claim, or declare the person in work.toml: \
             [[person]] with name = \"{long}\" and aliases = [\"{short}\"]"
        ),
    )
}

/// Pairs (shorter, longer) of indices of `names` (distinct after folding) that look like
/// one person, as [`gather`] finds them: for a caller that holds the names without the
/// sources (the language server's index).
pub fn look_alike_names(names: &[&str]) -> Vec<(usize, usize)> {
    let people: Vec<Person> = names
        .iter()
        .map(|name| Person {
            id: String::new(),
            name: name.trim().to_string(),
            aliases: Vec::new(),
            role: None,
            pos: None,
        })
        .collect();
    look_alikes(&people)
}

/// The people whose name ends with the word `surname` (case-folded; dots of initials and
/// punctuation around words ignored), when `surname` is one word: who `--person baker`
/// means in a work without a registry.
pub fn by_surname(people: &[Person], surname: &str) -> Vec<usize> {
    let wanted = words(surname);
    let [wanted] = wanted.as_slice() else {
        return Vec::new();
    };
    (people.iter().enumerate())
        .filter(|(_, p)| words(&p.name).last() == Some(wanted))
        .map(|(i, _)| i)
        .collect()
}

/// A kebab-case id for a gathered name, unique among the gathered people.
fn unique_id(name: &str, ids: &mut HashMap<String, usize>) -> String {
    let base = match to_kebab(name) {
        b if b.is_empty() => "person".to_string(),
        b => b,
    };
    let n = ids.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { base } else { format!("{base}-{n}") }
}

/// The words of a name, lowercased, without the dots of initials.
fn words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// A one-letter word, which may stand for a first name ("S." for "Sean").
fn is_initial(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

/// Whether every word of `short` stands for a different word of `long`: the same word, or
/// its initial ("S. Baker" for "Sean Baker"), in order.
fn abbreviates(short: &[String], long: &[String]) -> bool {
    if short.is_empty() || short.len() > long.len() || short == long {
        return false;
    }
    let mut rest = long.iter();
    short.iter().all(|w| {
        rest.by_ref()
            .any(|l| l == w || (is_initial(w) && l.starts_with(w.as_str())))
    })
}

/// Pairs (shorter, longer) of names that look like one person. Names are compared only
/// with names that share their rarest full word, so the cost follows the names, not their
/// square.
fn look_alikes(people: &[Person]) -> Vec<(usize, usize)> {
    let split: Vec<Vec<String>> = people.iter().map(|p| words(&p.name)).collect();
    let mut by_word: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, ws) in split.iter().enumerate() {
        let mut seen: Vec<&str> = Vec::new();
        for w in ws.iter().filter(|w| w.chars().count() > 1) {
            if !seen.contains(&w.as_str()) {
                seen.push(w);
                by_word.entry(w).or_default().push(i);
            }
        }
    }
    let mut pairs = Vec::new();
    for (i, ws) in split.iter().enumerate() {
        let Some(candidates) = ws
            .iter()
            .filter_map(|w| by_word.get(w.as_str()))
            .min_by_key(|list| list.len())
        else {
            continue;
        };
        for &j in candidates.iter().filter(|&&j| j != i) {
            if abbreviates(ws, &split[j]) {
                pairs.push((i, j));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn shorter_names_and_initials_abbreviate() {
        assert!(abbreviates(&w("Baker"), &w("Sean Baker")));
        assert!(abbreviates(&w("S. Baker"), &w("Sean Baker")));
        assert!(abbreviates(&w("Madison"), &w("Mikey Madison")));
        assert!(!abbreviates(&w("Sean Baker"), &w("Sean Baker")));
        assert!(!abbreviates(&w("Baker"), &w("Mikey Madison")));
        assert!(!abbreviates(&w("Sean Baker"), &w("Baker")));
        assert!(!abbreviates(&w("Baker Sean"), &w("Sean Baker")));
        assert!(!abbreviates(&w("Person 1"), &w("Person 10")));
    }

    #[test]
    fn a_surname_finds_the_one_person_whose_name_ends_with_it() {
        let person = |name: &str| Person {
            id: to_kebab(name),
            name: name.into(),
            aliases: Vec::new(),
            role: None,
            pos: None,
        };
        let people = [
            person("Sean Baker"),
            person("Mikey Madison"),
            person("Ruth Madison"),
            person("Yura Borisov, Jr."),
        ];
        assert_eq!(by_surname(&people, "baker"), [0]);
        assert_eq!(by_surname(&people, " BAKER "), [0]);
        assert_eq!(by_surname(&people, "madison"), [1, 2]);
        assert_eq!(by_surname(&people, "jr"), [3]);
        // a first name, two words, or nothing find no one
        assert!(by_surname(&people, "sean").is_empty());
        assert!(by_surname(&people, "sean baker").is_empty());
        assert!(by_surname(&people, "").is_empty());
    }

    #[test]
    fn gathered_names_fold_case_and_space() {
        let person = |name: &str| Person {
            id: to_kebab(name),
            name: name.into(),
            aliases: Vec::new(),
            role: None,
            pos: None,
        };
        let people = [
            person("Sean Baker"),
            person("Baker"),
            person("Mikey Madison"),
            person("Yura Borisov"),
        ];
        assert_eq!(look_alikes(&people), vec![(1, 0)]);
        let mut ids = HashMap::new();
        assert_eq!(unique_id("Sean Baker", &mut ids), "sean-baker");
        assert_eq!(unique_id("sean  BAKER!", &mut ids), "sean-baker-2");
        assert_eq!(unique_id("???", &mut ids), "person");
    }
}

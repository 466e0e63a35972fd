//! From a text source's selections to claims. A claim is a passage coded with a scene and a
//! reading: one selection with several codings (as ATLAS.ti or MAXQDA write a quotation), or
//! several selections of one place by one user (as QualCoder and parallax write them, a
//! coding each). Selections are grouped by user, place and name, so two claims parallax made
//! about one passage stay two. A group that cannot be one claim is a [`Rejection`].

use std::collections::HashMap;

use super::codes::Meaning;
use super::project::{Note, Project, Selection, TextSource};
use crate::corpus::{Stance, Work};
use crate::interchange::hypothesis::NewClaim;
use crate::interchange::qdpx::project::VIA;
use crate::interchange::shown;

/// A passage that did not become a claim, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// the text source's name
    pub source: String,
    /// the first selection's GUID
    pub selection: String,
    pub reason: String,
}

/// A claim read from a group of selections, with the GUID of the user who made them.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub user: Option<String>,
    pub selection: String,
    pub claim: NewClaim,
}

/// The claims of one text source, whose text is `text`, and the groups that are not claims.
pub fn of_source(
    work: &Work,
    project: &Project,
    meanings: &HashMap<String, Meaning>,
    source: &TextSource,
    text: &str,
) -> Result<(Vec<Found>, Vec<Rejection>), String> {
    let quotes = slices(source, text)?;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_key: HashMap<(Option<&str>, usize, usize, &str), usize> = HashMap::new();
    for (i, s) in source.selections.iter().enumerate() {
        let key = (s.user.as_deref(), s.start, s.end, s.name.as_str());
        let g = *by_key.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut found = Vec::new();
    let mut rejected = Vec::new();
    for group in groups {
        let sels: Vec<&Selection> = group.iter().map(|&i| &source.selections[i]).collect();
        let first = sels[0];
        match claim(work, project, meanings, &sels, quotes[group[0]]) {
            Ok(claim) => found.push(Found {
                user: first.user.clone(),
                selection: first.guid.clone(),
                claim,
            }),
            Err(reason) => rejected.push(Rejection {
                source: source.name.clone(),
                selection: first.guid.clone(),
                reason,
            }),
        }
    }
    Ok((found, rejected))
}

/// The claim a group of selections of one place makes, or why it makes none.
fn claim(
    work: &Work,
    project: &Project,
    meanings: &HashMap<String, Meaning>,
    sels: &[&Selection],
    quote: &str,
) -> Result<NewClaim, String> {
    let mut scenes: Vec<usize> = Vec::new();
    let mut readings: Vec<(usize, Option<Stance>)> = Vec::new();
    let mut people: Vec<usize> = Vec::new();
    for code in sels.iter().flat_map(|s| &s.codes) {
        match &meanings[code] {
            Meaning::Scene(i) => push_new(&mut scenes, *i),
            Meaning::Reading(i, s) => push_new(&mut readings, (*i, *s)),
            Meaning::Person(i) => push_new(&mut people, *i),
            Meaning::Unknown(what, id) => {
                return Err(format!(
                    "coded with a code for {what} {}, which the work does not have",
                    shown(id)
                ));
            }
            Meaning::Other => {}
        }
    }
    let scene = match scenes.as_slice() {
        [] => return Err("no scene code".into()),
        [one] => *one,
        many => {
            return Err(format!(
                "{} scene codes ({})",
                many.len(),
                list(many.iter().map(|&i| &work.scenes[i].id))
            ));
        }
    };
    let (reading, stance) = match readings.as_slice() {
        [] => return Err("no reading code".into()),
        [one] => *one,
        many => {
            let names = many.iter().map(|&(i, s)| match s {
                Some(s) => format!("{}: {}", work.readings[i].id, s.name()),
                None => work.readings[i].id.clone(),
            });
            return Err(format!("{} reading codes ({})", many.len(), list(names)));
        }
    };
    let person = match people.as_slice() {
        [] => None,
        [one] => Some(*one),
        many => {
            return Err(format!(
                "{} voice codes ({})",
                many.len(),
                list(many.iter().map(|&i| &work.people[i].name))
            ));
        }
    };
    let notes: Vec<&Note> = sels
        .iter()
        .flat_map(|s| &s.notes)
        .map(|n| &project.notes[n])
        .collect();
    let summary = sels
        .iter()
        .map(|s| s.description.trim())
        .chain(notes.iter().map(|n| n.content.trim()))
        .find(|d| !d.is_empty())
        .map(str::to_string);
    let via = notes.iter().find_map(|n| {
        n.description
            .lines()
            .find_map(|l| l.strip_prefix(VIA))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    });
    let quote = Some(quote.trim().to_string()).filter(|q| !q.is_empty());
    if quote.is_none() && summary.is_none() {
        return Err("an empty passage without a description".into());
    }
    Ok(NewClaim {
        scene: work.scenes[scene].id.clone(),
        reading: work.readings[reading].id.clone(),
        stance: stance.unwrap_or(Stance::Endorses).name(),
        summary,
        quote,
        attributed_to: person.map(|p| work.people[p].name.clone()),
        via,
    })
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn list<S: AsRef<str>>(names: impl Iterator<Item = S>) -> String {
    names
        .map(|n| shown(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text of each selection of `source`, its positions read as code points. Every
/// position is found in one pass over the text, however many selections there are; a
/// position past the end, or an end before its start, is an error naming the selection.
fn slices<'t>(source: &TextSource, text: &'t str) -> Result<Vec<&'t str>, String> {
    let mut wanted: Vec<usize> = source
        .selections
        .iter()
        .flat_map(|s| [s.start, s.end])
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut bytes: HashMap<usize, usize> = HashMap::with_capacity(wanted.len());
    let mut chars = text.char_indices().map(|(b, _)| b).chain([text.len()]);
    let mut at = 0;
    let mut next = chars.next();
    for &w in &wanted {
        while at < w {
            next = chars.next();
            if next.is_none() {
                break;
            }
            at += 1;
        }
        match next {
            Some(b) if at == w => {
                bytes.insert(w, b);
            }
            _ => break,
        }
    }
    let length = text.chars().count();
    source
        .selections
        .iter()
        .map(|s| {
            let at = || format!("<PlainTextSelection guid={}> of {}", shown(&s.guid), shown(&source.name));
            if s.end < s.start {
                return Err(format!(
                    "{}: endPosition {} is before startPosition {}",
                    at(),
                    s.end,
                    s.start
                ));
            }
            match (bytes.get(&s.start), bytes.get(&s.end)) {
                (Some(&a), Some(&b)) => Ok(&text[a..b]),
                _ => Err(format!(
                    "{}: positions {}..{} are outside its text ({length} characters, counted in code points)",
                    at(),
                    s.start,
                    s.end
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(positions: &[(usize, usize)]) -> TextSource {
        TextSource {
            name: "S".into(),
            selections: positions
                .iter()
                .map(|&(start, end)| Selection {
                    guid: format!("{start}-{end}"),
                    start,
                    end,
                    ..Selection::default()
                })
                .collect(),
            ..TextSource::default()
        }
    }

    #[test]
    fn positions_are_code_points() {
        let text = "🎬 é, the end";
        let got = slices(&source(&[(5, 8), (0, 1), (9, 12), (12, 12)]), text).unwrap();
        assert_eq!(got, ["the", "🎬", "end", ""]);
    }

    proptest::proptest! {
        /// Positions read are the export's positions: the text between two code point
        /// offsets, whatever the characters (astral, combining, CR LF).
        #[test]
        fn slices_are_the_code_points_between_positions(
            text in "(\\PC|\r\n|🎬){0,40}",
            picks in proptest::collection::vec((0usize..64, 0usize..64), 0..8),
        ) {
            let n = text.chars().count();
            let pairs: Vec<(usize, usize)> = picks
                .iter()
                .map(|&(a, b)| {
                    let (a, b) = (a % (n + 1), b % (n + 1));
                    (a.min(b), a.max(b))
                })
                .collect();
            let got = slices(&source(&pairs), &text).unwrap();
            for ((a, b), s) in pairs.iter().zip(got) {
                let want: String = text.chars().skip(*a).take(b - a).collect();
                proptest::prop_assert_eq!(s, want.as_str());
            }
        }
    }

    #[test]
    fn positions_outside_the_text_are_errors() {
        let e = slices(&source(&[(2, 13)]), "🎬 é, the end").unwrap_err();
        assert!(e.contains("outside its text (12 characters"), "{e}");
        let e = slices(&source(&[(3, 2)]), "abcdef").unwrap_err();
        assert!(e.contains("before startPosition"), "{e}");
    }
}

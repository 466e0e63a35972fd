//! From an annotation to a claim: its tags (`scene:`, `reading:`, `stance:`, `by:`, `via:`,
//! `kind:`) resolved against the work's codebook, its quote and its text; or the reason it
//! cannot be one.

use std::collections::HashSet;

use serde::Serialize;

use super::parse::Annotation;
use crate::corpus::{SourceKind, Stance, Work};
use crate::diagnostic::did_you_mean;
use crate::interchange::shown;

/// A claim as it is written into a claim set: ids resolved, text trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct NewClaim {
    pub scene: String,
    pub reading: String,
    pub stance: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

/// Why an annotation is not imported, with a hint where one helps.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub annotation: String,
    pub reason: String,
    pub help: Option<String>,
}

impl Rejection {
    pub fn new(annotation: &str, reason: impl Into<String>) -> Self {
        Rejection {
            annotation: annotation.to_string(),
            reason: reason.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The tags an annotation carries for parallax, each list in the order written.
#[derive(Debug, Default)]
struct Tags {
    scene: Vec<String>,
    reading: Vec<String>,
    stance: Vec<String>,
    by: Vec<String>,
    via: Vec<String>,
    kind: Vec<String>,
}

impl Tags {
    /// Reads `prefix:value` tags; the prefix ignores case and the spaces around the value
    /// are dropped. Other tags are the annotator's own and are left alone.
    fn read(tags: &[String]) -> Tags {
        let mut out = Tags::default();
        // each (prefix, value) once, found by hashing: thousands of tags stay linear
        let mut seen: HashSet<(String, &str)> = HashSet::new();
        for tag in tags {
            let Some((prefix, value)) = tag.split_once(':') else {
                continue;
            };
            let value = value.trim();
            let prefix = prefix.trim().to_lowercase();
            let list = match prefix.as_str() {
                "scene" => &mut out.scene,
                "reading" => &mut out.reading,
                "stance" => &mut out.stance,
                "by" => &mut out.by,
                "via" => &mut out.via,
                "kind" => &mut out.kind,
                _ => continue,
            };
            if !value.is_empty() && seen.insert((prefix, value)) {
                list.push(value.to_string());
            }
        }
        out
    }
}

/// At most one value of a tag; two different ones are a rejection.
fn one<'a>(a: &Annotation, name: &str, values: &'a [String]) -> Result<Option<&'a str>, Rejection> {
    match values {
        [] => Ok(None),
        [v] => Ok(Some(v)),
        many => {
            let list: Vec<String> = many.iter().map(|v| shown(v)).collect();
            Err(Rejection::new(
                &a.id,
                format!("{} {name} tags ({})", many.len(), list.join(", ")),
            )
            .help(match name {
                "scene" | "reading" => {
                    "one claim is one reading of one scene: annotate the passage once per claim"
                }
                _ => "keep one of them",
            }))
        }
    }
}

/// The claim an annotation makes, and the source kind it names (`kind:` tag), if any.
/// Hidden and flagged annotations are refused unless `include_hidden`.
pub fn claim(
    work: &Work,
    a: &Annotation,
    include_hidden: bool,
) -> Result<(NewClaim, Option<SourceKind>), Rejection> {
    if a.is_reply {
        return Err(Rejection::new(&a.id, "a reply to another annotation")
            .help("replies are discussion, not claims; tag the annotation they answer"));
    }
    if !include_hidden && (a.hidden || a.flagged) {
        let why = if a.hidden {
            "hidden by a moderator"
        } else {
            "flagged for moderation"
        };
        return Err(Rejection::new(&a.id, why)
            .help("--include-hidden imports hidden and flagged annotations too"));
    }
    let tags = Tags::read(&a.tags);
    let Some(scene) = one(a, "scene", &tags.scene)? else {
        return Err(Rejection::new(&a.id, "no scene:ID tag").help(format!(
            "tag it scene:ID, one of {}",
            ids(work.scenes.iter().map(|s| &s.id))
        )));
    };
    let Some(reading) = one(a, "reading", &tags.reading)? else {
        return Err(Rejection::new(&a.id, "no reading:ID tag").help(format!(
            "tag it reading:ID, one of {}",
            ids(work.readings.iter().map(|r| &r.id))
        )));
    };
    let scene = work.scene_index(scene).ok_or_else(|| {
        Rejection::new(&a.id, format!("unknown scene {}", shown(scene))).help(did_you_mean(
            scene,
            &work.scene_names(),
            "scene",
        ))
    })?;
    let reading = work.reading_index(reading).ok_or_else(|| {
        Rejection::new(&a.id, format!("unknown reading {}", shown(reading))).help(did_you_mean(
            reading,
            &work.reading_names(),
            "reading",
        ))
    })?;
    let stance = match one(a, "stance", &tags.stance)? {
        None => Stance::Endorses,
        Some(s) => Stance::parse(&s.to_lowercase()).ok_or_else(|| {
            let names: Vec<&str> = Stance::ALL.iter().map(|s| s.name()).collect();
            Rejection::new(&a.id, format!("unknown stance {}", shown(s)))
                .help(did_you_mean(s, &names, "stance"))
        })?,
    };
    let attributed_to = person(work, a, one(a, "by", &tags.by)?)?;
    let kind = one(a, "kind", &tags.kind)?
        .map(|k| source_kind(a, k))
        .transpose()?;
    let text = if a.markdown {
        super::markdown::plain(&a.text)
    } else {
        a.text.trim().to_string()
    };
    let summary = Some(text).filter(|s| !s.is_empty());
    let quote = a
        .quote
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
    if summary.is_none() && quote.is_none() {
        return Err(Rejection::new(&a.id, "no text and no quote").help(
            "annotate a passage (its words become the quote) or write a comment (the summary)",
        ));
    }
    let claim = NewClaim {
        scene: work.scenes[scene].id.clone(),
        reading: work.readings[reading].id.clone(),
        stance: stance.name(),
        summary,
        quote,
        attributed_to,
        via: one(a, "via", &tags.via)?.map(str::to_string),
    };
    Ok((claim, kind))
}

/// The name a `by:` tag gives: with a people registry, the registry's name of the person
/// it names (an unknown one is a rejection); without one, the name as written.
fn person(work: &Work, a: &Annotation, by: Option<&str>) -> Result<Option<String>, Rejection> {
    let Some(name) = by else { return Ok(None) };
    if !work.registry {
        return Ok(Some(name.to_string()));
    }
    let p = work.person_index(name).ok_or_else(|| {
        Rejection::new(&a.id, format!("unknown person {}", shown(name))).help(did_you_mean(
            name,
            &work.person_names(),
            "person",
        ))
    })?;
    Ok(Some(work.people[p].name.clone()))
}

fn source_kind(a: &Annotation, k: &str) -> Result<SourceKind, Rejection> {
    SourceKind::parse(&k.to_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
        Rejection::new(&a.id, format!("unknown source kind {}", shown(k)))
            .help(did_you_mean(k, &names, "kind"))
    })
}

fn ids<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    crate::diagnostic::quote_list(&names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ignore_case_and_values_are_trimmed() {
        let tags = Tags::read(&[
            "Scene: the ring".into(),
            "reading:transaction".into(),
            "reading:transaction".into(),
            "interesting".into(),
            "by:".into(),
            "other:thing".into(),
        ]);
        assert_eq!(tags.scene, ["the ring"]);
        assert_eq!(tags.reading, ["transaction"], "a repeated tag counts once");
        assert!(tags.by.is_empty() && tags.stance.is_empty());
    }
}

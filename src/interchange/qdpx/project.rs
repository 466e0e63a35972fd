//! The `project.qde` document: a work and its plan written as QDA-XML 1.0, element by
//! element in the order the project schema (`Project-mrt2019.xsd`) requires, straight into
//! its destination.
//!
//! The mapping is documented in the README ("Interchange"); in short: the work's claim sets
//! and each coder's codings are users; readings are codes with a child code per stance,
//! scenes and reported people are codes too; a placed quote is one selection per code it
//! carries (its reading's stance first, then its scene, then its voice), each with the
//! summary as its description; a summary is also a note, and what cannot be placed is a note.

use std::io::{self, Write};

use super::codebook::{self, add_line};
use super::plan::{ClaimSet, Entry, SetPlan, SourcePlan, Why};
use super::xml::Xml;
use super::{Guids, WORK_USER};
use crate::corpus::{Claim, Source, Work};

/// Writes `project.qde` for `work` to `out`: `entries` are its sources, each planned by the
/// plan of the same index.
pub fn write<W: Write>(
    work: &Work,
    entries: &[Entry],
    plans: &[SourcePlan],
    ids: &Guids,
    out: W,
) -> io::Result<()> {
    let p = Project {
        work,
        entries,
        plans,
        ids,
    };
    let mut x = Xml::new(out)?;
    let user = ids.user(None);
    let origin = format!("parallax {}", env!("CARGO_PKG_VERSION"));
    x.open(
        "Project",
        &[
            ("xmlns", "urn:QDA-XML:project:1.0"),
            ("name", &work.title),
            ("origin", &origin),
            ("creatingUserGUID", &user),
        ],
    )?;
    p.users(&mut x)?;
    codebook::write(work, ids, &mut x)?;
    if p.with_text().next().is_some() {
        codebook::variables(ids, &mut x)?;
        x.open("Sources", &[])?;
        for (entry, plan) in p.with_text() {
            p.text_source(&mut x, entry, plan)?;
        }
        x.close("Sources")?;
    }
    p.notes(&mut x)?;
    p.sets(&mut x)?;
    x.text("Description", &p.description())?;
    x.close("Project")?;
    x.finish()?;
    Ok(())
}

struct Project<'a> {
    work: &'a Work,
    entries: &'a [Entry<'a>],
    plans: &'a [SourcePlan],
    ids: &'a Guids,
}

/// A claim set's element of the project: its user, source and claim.
struct At<'a> {
    set: ClaimSet<'a>,
    claim: usize,
}

impl At<'_> {
    fn claim(&self) -> &Claim {
        &self.set.claims.claims[self.claim]
    }

    /// The element's path under its claim set (`selection/SOURCE/N/…`).
    fn path(&self, what: &str) -> String {
        format!("{what}/{}/{}", self.set.claims.id, self.claim)
    }

    /// How the claim is named in the project: its source and its number there (from 1).
    fn name(&self) -> String {
        format!("{} claim {}", self.set.claims.id, self.claim + 1)
    }
}

impl<'a> Project<'a> {
    fn with_text(&self) -> impl Iterator<Item = (&'a Entry<'a>, &'a [SetPlan])> + 'a {
        self.entries
            .iter()
            .zip(self.plans)
            .filter_map(|(e, p)| match p {
                SourcePlan::Text(t) => Some((e, t.sets.as_slice())),
                SourcePlan::NoText => None,
            })
    }

    /// The user who made the work's claim sets, then each coder who coded a source.
    fn users<W: Write>(&self, x: &mut Xml<W>) -> io::Result<()> {
        x.open("Users", &[])?;
        x.empty(
            "User",
            &[("guid", &self.ids.user(None)), ("name", WORK_USER)],
        )?;
        for coder in self.work.coders.iter().filter(|c| !c.codings.is_empty()) {
            let guid = self.ids.user(Some(&coder.id));
            x.empty("User", &[("guid", &guid), ("name", &coder.id)])?;
        }
        x.close("Users")
    }

    fn description(&self) -> String {
        let w = self.work;
        let mut out = w.title.clone();
        if let Some(year) = w.year {
            out.push_str(&format!(" ({year})"));
        }
        if !w.creators.is_empty() {
            out.push_str(&format!(", {}", w.creators.join(", ")));
        }
        out.push_str(&format!(
            ": how {} sources read its scenes, exported by parallax from the work \"{}\".",
            self.entries.len(),
            w.id
        ));
        out
    }

    fn text_source<W: Write>(
        &self,
        x: &mut Xml<W>,
        entry: &Entry,
        sets: &[SetPlan],
    ) -> io::Result<()> {
        let source = entry.source;
        let guid = self.ids.source(&source.id);
        let path = format!("internal://{guid}.txt");
        let created = created_at(source);
        let user = self.ids.user(None);
        let attrs = [
            ("guid", guid.as_str()),
            ("name", source.title.as_str()),
            ("plainTextPath", path.as_str()),
            ("creatingUser", user.as_str()),
            ("creationDateTime", created.as_str()),
        ];
        x.open("TextSource", &attrs)?;
        x.text("Description", &source_description(source))?;
        for (set, plan) in entry.sets.iter().zip(sets) {
            for placed in &plan.placed {
                let at = At {
                    set: *set,
                    claim: placed.claim,
                };
                self.selections(x, &at, placed.start, placed.end)?;
            }
        }
        for (set, plan) in entry.sets.iter().zip(sets) {
            for u in &plan.unplaced {
                let at = At {
                    set: *set,
                    claim: u.claim,
                };
                let note = self.ids.in_set(set.coder, &at.path("note"));
                x.empty("NoteRef", &[("targetGUID", &note)])?;
            }
        }
        for (name, value) in variable_values(source) {
            let var = self.ids.of(&format!("variable/{name}"));
            x.open("VariableValue", &[])?;
            x.empty("VariableRef", &[("targetGUID", &var)])?;
            let element = if name == "published" {
                "DateValue"
            } else {
                "TextValue"
            };
            x.text(element, value)?;
            x.close("VariableValue")?;
        }
        x.close("TextSource")
    }

    /// A placed claim: one selection per code it carries, all at its place and named alike,
    /// each described by the summary. One code per selection, because some readers take
    /// only the first coding of a selection; the reading's stance comes first for the same
    /// reason. The first selection refers to the claim's note.
    fn selections<W: Write>(
        &self,
        x: &mut Xml<W>,
        at: &At,
        start: usize,
        end: usize,
    ) -> io::Result<()> {
        let claim = at.claim();
        let coder = at.set.coder;
        let user = self.ids.user(coder);
        let created = created_at(at.set.claims);
        let name = at.name();
        let (start, end) = (start.to_string(), end.to_string());
        for (i, (what, code)) in self.codes_of(claim).into_iter().enumerate() {
            let guid = self
                .ids
                .in_set(coder, &format!("{}/{what}", at.path("selection")));
            x.open(
                "PlainTextSelection",
                &[
                    ("guid", &guid),
                    ("name", &name),
                    ("startPosition", &start),
                    ("endPosition", &end),
                    ("creatingUser", &user),
                    ("creationDateTime", &created),
                ],
            )?;
            if let Some(summary) = claim.summary() {
                x.text("Description", summary)?;
            }
            let coding = self
                .ids
                .in_set(coder, &format!("{}/{what}", at.path("coding")));
            x.open(
                "Coding",
                &[
                    ("guid", &coding),
                    ("creatingUser", &user),
                    ("creationDateTime", &created),
                ],
            )?;
            x.empty("CodeRef", &[("targetGUID", &code)])?;
            x.close("Coding")?;
            if i == 0 && has_note(claim) {
                let note = self.ids.in_set(coder, &at.path("note"));
                x.empty("NoteRef", &[("targetGUID", &note)])?;
            }
            x.close("PlainTextSelection")?;
        }
        Ok(())
    }

    /// The codes a placed claim is coded with: its reading's stance, its scene and, when the
    /// claim reports someone's view, that person.
    fn codes_of(&self, claim: &Claim) -> Vec<(&'static str, String)> {
        let w = self.work;
        let reading = &w.readings[claim.reading()].id;
        let mut codes = vec![
            (
                "reading",
                codebook::stance_code(self.ids, reading, claim.stance),
            ),
            (
                "scene",
                self.ids
                    .of(&format!("code/scene/{}", w.scenes[claim.scene()].id)),
            ),
        ];
        if let Some(p) = claim.person() {
            let id = &w.people[p as usize].id;
            codes.push(("voice", self.ids.of(&format!("code/person/{id}"))));
        }
        codes
    }

    /// Every note: of each placed claim with a summary or an outlet, and of each claim that
    /// has no place. Written as they are met, so nothing is gathered first.
    fn notes<W: Write>(&self, x: &mut Xml<W>) -> io::Result<()> {
        let mut open = false;
        for (entry, plan) in self.entries.iter().zip(self.plans) {
            for (i, set) in entry.sets.iter().enumerate() {
                let notes: Vec<(usize, Option<&str>, bool)> = match plan {
                    SourcePlan::Text(t) => {
                        let p = &t.sets[i];
                        let placed = p
                            .placed
                            .iter()
                            .filter(|pl| has_note(&set.claims.claims[pl.claim]))
                            .map(|pl| (pl.claim, None, true));
                        let unplaced = p.unplaced.iter().map(|u| {
                            let why = match u.why {
                                Why::NoQuote => Some("the claim has no quote"),
                                Why::NotFound => Some("its quote was not found in the text"),
                            };
                            (u.claim, why, false)
                        });
                        placed.chain(unplaced).collect()
                    }
                    SourcePlan::NoText => (0..set.claims.claims.len())
                        .map(|c| (c, Some("the source's archived text was not found"), false))
                        .collect(),
                };
                for (claim, why, placed) in notes {
                    if !open {
                        x.open("Notes", &[])?;
                        open = true;
                    }
                    self.note(x, &At { set: *set, claim }, why, placed)?;
                }
            }
        }
        if open {
            x.close("Notes")?;
        }
        Ok(())
    }

    fn note<W: Write>(
        &self,
        x: &mut Xml<W>,
        at: &At,
        why: Option<&str>,
        placed: bool,
    ) -> io::Result<()> {
        let coder = at.set.coder;
        let guid = self.ids.in_set(coder, &at.path("note"));
        x.open(
            "Note",
            &[
                ("guid", &guid),
                ("name", &at.name()),
                ("creatingUser", &self.ids.user(coder)),
                ("creationDateTime", &created_at(at.set.claims)),
            ],
        )?;
        let claim = at.claim();
        let mut about = record(self.work, claim);
        if let Some(via) = claim.via() {
            add_line(&mut about, &format!("{VIA}{via}"));
        }
        if let Some(why) = why {
            add_line(&mut about, &format!("{KEPT_AS_NOTE}{why}"));
        }
        x.text("Description", &about)?;
        let content = if placed {
            claim.summary().unwrap_or_default().to_string()
        } else {
            unplaced_text(claim)
        };
        x.text("PlainTextContent", &content)?;
        x.close("Note")
    }

    /// A set per source without a text, gathering the notes its claims became.
    fn sets<W: Write>(&self, x: &mut Xml<W>) -> io::Result<()> {
        let mut open = false;
        for (entry, plan) in self.entries.iter().zip(self.plans) {
            let claims: usize = entry.sets.iter().map(|s| s.claims.claims.len()).sum();
            if *plan != SourcePlan::NoText || claims == 0 {
                continue;
            }
            if !open {
                x.open("Sets", &[])?;
                open = true;
            }
            let source = entry.source;
            let guid = self.ids.of(&format!("set/{}", source.id));
            x.open("Set", &[("guid", &guid), ("name", &source.title)])?;
            let mut about = source_description(source);
            add_line(
                &mut about,
                "Its archived text was not found, so its claims are kept as the notes of this set.",
            );
            x.text("Description", &about)?;
            for set in &entry.sets {
                for claim in 0..set.claims.claims.len() {
                    let at = At { set: *set, claim };
                    let note = self.ids.in_set(set.coder, &at.path("note"));
                    x.empty("MemberNote", &[("targetGUID", &note)])?;
                }
            }
            x.close("Set")?;
        }
        if open {
            x.close("Sets")?;
        }
        Ok(())
    }
}

/// The line of a note's description that gives the claim's `via`; `import qdpx` reads it.
pub const VIA: &str = "via: ";
/// The line of a note's description that says it is a claim without a place in a text;
/// `import qdpx` counts such notes.
pub const KEPT_AS_NOTE: &str = "kept as a note: ";

/// Whether a placed claim has a note: what its codes cannot say, its summary or its outlet.
fn has_note(claim: &Claim) -> bool {
    claim.summary().is_some() || claim.via().is_some()
}

/// A claim's scene, reading, stance and voice in one line, for a note's description.
pub(super) fn record(work: &Work, claim: &Claim) -> String {
    let reading = &work.readings[claim.reading()];
    let mut out = format!(
        "{} “{}” ({}) on scene {}",
        claim.stance.name(),
        reading.label,
        reading.id,
        work.scenes[claim.scene()].id
    );
    if let Some(name) = work.voice_name(claim) {
        out.push_str(&format!("; the view of {name}"));
    }
    out
}

/// The note text of a claim that is not a selection: its summary, then its quote.
fn unplaced_text(claim: &Claim) -> String {
    let mut out = claim.summary().map(str::to_owned).unwrap_or_default();
    if let Some(quote) = claim.quote() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&format!("“{quote}”"));
    }
    out
}

fn source_description(source: &Source) -> String {
    let mut out = String::new();
    let kind = source.kind.map_or("source", |k| k.name());
    let mut first = kind.to_string();
    if let Some(a) = &source.author {
        first.push_str(&format!(" by {a}"));
    }
    if let Some(p) = &source.publisher {
        first.push_str(&format!(", {p}"));
    }
    if let Some(d) = &source.published {
        first.push_str(&format!(", {d}"));
    }
    add_line(&mut out, &first);
    if let Some(url) = &source.url {
        add_line(&mut out, url);
    }
    add_line(&mut out, &format!("parallax source id: {}", source.id));
    out
}

/// The variable values of a text source, in the order of [`codebook::VARIABLES`].
fn variable_values(source: &Source) -> Vec<(&'static str, &str)> {
    let mut out = vec![("source id", source.id.as_str())];
    if let Some(k) = source.kind {
        out.push(("kind", k.name()));
    }
    for (name, value) in [
        ("author", &source.author),
        ("publisher", &source.publisher),
        ("url", &source.url),
    ] {
        if let Some(v) = value {
            out.push((name, v.as_str()));
        }
    }
    if let Some(d) = source.published.as_deref().and_then(xsd_date) {
        out.push(("published", d));
    }
    out
}

/// When a source's elements are said to be created: its `published` date, else the zip
/// epoch. Never the time of export, so that exports repeat; and always some date, since
/// importers (QualCoder's notes) expect one.
fn created_at(source: &Source) -> String {
    let day = source
        .published
        .as_deref()
        .and_then(xsd_date)
        .unwrap_or(UNDATED);
    format!("{day}T00:00:00Z")
}

/// The date of what has no date of its own: 1980-01-01, the earliest a zip entry can carry.
const UNDATED: &str = "1980-01-01";

/// `s` when it is a plain `YYYY-MM-DD` date (an `xsd:date`), else `None`.
fn xsd_date(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    ok.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_dates_are_xsd_dates() {
        assert_eq!(xsd_date("2025-03-05"), Some("2025-03-05"));
        assert_eq!(xsd_date("2025-03-05T10:00:00Z"), None);
        assert_eq!(xsd_date("March 5"), None);
    }
}

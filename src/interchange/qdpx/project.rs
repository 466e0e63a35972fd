//! The `project.qde` document: a work and its plan written as QDA-XML 1.0, element by
//! element in the order the project schema (`Project-mrt2019.xsd`) requires.
//!
//! The mapping is documented in the README ("Interchange"); in short: readings are codes
//! with a child code per stance, scenes and reported people are codes too, a placed quote
//! is a selection coded with its scene, its reading's stance and its voice, a summary is a
//! note, and what cannot be placed is a note.

use std::io;

use super::Guids;
use super::plan::{SourcePlan, TextPlan, Why};
use super::xml::Xml;
use crate::corpus::{Claim, Source, Stance, Work};

/// Colours of reading codes: Paul Tol's "light" scheme, made to stay distinct for colour-blind
/// readers and to carry black text when used as a highlight. Its pale grey is kept for
/// scenes; readings beyond eight cycle.
const READING_COLOURS: [&str; 8] = [
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
];
const SCENE_COLOUR: &str = "#DDDDDD";
const VOICE_COLOUR: &str = "#BBBBBB";

/// The source metadata kept as variables, by name and QDA-XML type.
const VARIABLES: [(&str, &str); 6] = [
    ("source id", "Text"),
    ("kind", "Text"),
    ("author", "Text"),
    ("publisher", "Text"),
    ("url", "Text"),
    ("published", "Date"),
];

/// Writes `project.qde` for `work`, whose sources are planned by `plans` (one per source).
pub fn write(work: &Work, plans: &[SourcePlan], ids: &Guids) -> io::Result<Vec<u8>> {
    let p = Project { work, plans, ids };
    let mut x = Xml::new()?;
    let user = ids.of("user");
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
    x.open("Users", &[])?;
    x.empty("User", &[("guid", &user), ("name", "parallax")])?;
    x.close("Users")?;
    p.codebook(&mut x)?;
    p.variables(&mut x)?;
    p.sources(&mut x)?;
    p.notes(&mut x)?;
    p.sets(&mut x)?;
    x.text("Description", &p.description())?;
    x.close("Project")?;
    Ok(x.finish())
}

struct Project<'a> {
    work: &'a Work,
    plans: &'a [SourcePlan],
    ids: &'a Guids,
}

/// The pairs of a source with its text plan.
type WithText<'a> = (&'a Source, &'a TextPlan);

impl<'a> Project<'a> {
    fn user(&self) -> String {
        self.ids.of("user")
    }

    fn with_text(&self) -> impl Iterator<Item = WithText<'a>> + 'a {
        let plans = self.plans;
        self.work
            .sources
            .iter()
            .zip(plans)
            .filter_map(|(s, p)| match p {
                SourcePlan::Text(t) => Some((s, t)),
                SourcePlan::NoText => None,
            })
    }

    fn without_text(&self) -> impl Iterator<Item = &'a Source> + 'a {
        let plans = self.plans;
        self.work
            .sources
            .iter()
            .zip(plans)
            .filter(|(_, p)| matches!(p, SourcePlan::NoText))
            .map(|(s, _)| s)
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
            w.sources.len(),
            w.id
        ));
        out
    }

    fn codebook(&self, x: &mut Xml) -> io::Result<()> {
        let w = self.work;
        if w.readings.is_empty() && w.scenes.is_empty() && w.people.is_empty() {
            return Ok(());
        }
        x.open("CodeBook", &[])?;
        x.open("Codes", &[])?;
        if !w.readings.is_empty() {
            self.group(
                x,
                "readings",
                "Readings",
                "The work's codebook. Each reading has a child code per stance: a selection \
                 is coded with the stance the source takes toward the reading there.",
            )?;
            for (i, r) in w.readings.iter().enumerate() {
                self.reading(x, i, r)?;
            }
            x.close("Code")?;
        }
        if !w.scenes.is_empty() {
            self.group(
                x,
                "scenes",
                "Scenes",
                "The work's scenes, numbered in narrative order. A selection is coded with \
                 the scene its claim is about.",
            )?;
            for (i, s) in w.scenes.iter().enumerate() {
                let mut about = s.description.clone().unwrap_or_default();
                add_line(&mut about, &format!("parallax scene id: {}", s.id));
                if !s.aliases.is_empty() {
                    add_line(&mut about, &format!("aliases: {}", s.aliases.join(", ")));
                }
                let guid = self.ids.of(&format!("code/scene/{}", s.id));
                let name = format!("{}. {}", i + 1, s.title);
                x.open("Code", &code_attrs(&guid, &name, true, SCENE_COLOUR))?;
                x.text("Description", &about)?;
                x.close("Code")?;
            }
            x.close("Code")?;
        }
        if !w.people.is_empty() {
            self.group(
                x,
                "voices",
                "Voices",
                "The people whose views the sources report. A selection coded with a person \
                 is that person's view as the source reports it, not the source's own; a \
                 selection without one is in the source's own voice.",
            )?;
            for p in &w.people {
                let mut about = p.role.clone().unwrap_or_default();
                add_line(&mut about, &format!("parallax person id: {}", p.id));
                if !p.aliases.is_empty() {
                    add_line(&mut about, &format!("aliases: {}", p.aliases.join(", ")));
                }
                let guid = self.ids.of(&format!("code/person/{}", p.id));
                x.open("Code", &code_attrs(&guid, &p.name, true, VOICE_COLOUR))?;
                x.text("Description", &about)?;
                x.close("Code")?;
            }
            x.close("Code")?;
        }
        x.close("Codes")?;
        x.close("CodeBook")
    }

    /// Opens a group code: a parent that holds codes and is not applied itself.
    fn group(&self, x: &mut Xml, key: &str, name: &str, about: &str) -> io::Result<()> {
        let guid = self.ids.of(&format!("code/{key}"));
        x.open(
            "Code",
            &[("guid", &guid), ("name", name), ("isCodable", "false")],
        )?;
        x.text("Description", about)
    }

    fn reading(&self, x: &mut Xml, i: usize, r: &crate::corpus::Reading) -> io::Result<()> {
        let colour = READING_COLOURS[i % READING_COLOURS.len()];
        let mut about = r.description.clone().unwrap_or_default();
        add_line(&mut about, &format!("parallax reading id: {}", r.id));
        if !r.aliases.is_empty() {
            add_line(&mut about, &format!("aliases: {}", r.aliases.join(", ")));
        }
        if !r.excludes.is_empty() {
            let names: Vec<&str> = r
                .excludes
                .iter()
                .map(|&e| self.work.readings[e].id.as_str())
                .collect();
            add_line(&mut about, &format!("excludes: {}", names.join(", ")));
        }
        let guid = self.ids.of(&format!("code/reading/{}", r.id));
        x.open("Code", &code_attrs(&guid, &r.label, true, colour))?;
        x.text("Description", &about)?;
        for stance in Stance::ALL {
            let guid = self
                .ids
                .of(&format!("code/reading/{}/{}", r.id, stance.name()));
            let name = format!("{}: {}", r.label, stance.name());
            x.open("Code", &code_attrs(&guid, &name, true, colour))?;
            x.text("Description", stance_meaning(stance))?;
            x.close("Code")?;
        }
        x.close("Code")
    }

    fn variables(&self, x: &mut Xml) -> io::Result<()> {
        if self.with_text().next().is_none() {
            return Ok(());
        }
        x.open("Variables", &[])?;
        for (name, kind) in VARIABLES {
            let guid = self.ids.of(&format!("variable/{name}"));
            x.open(
                "Variable",
                &[("guid", &guid), ("name", name), ("typeOfVariable", kind)],
            )?;
            x.text("Description", &format!("the source's {name} in parallax"))?;
            x.close("Variable")?;
        }
        x.close("Variables")
    }

    fn sources(&self, x: &mut Xml) -> io::Result<()> {
        if self.with_text().next().is_none() {
            return Ok(());
        }
        x.open("Sources", &[])?;
        for (source, plan) in self.with_text() {
            self.text_source(x, source, plan)?;
        }
        x.close("Sources")
    }

    fn text_source(&self, x: &mut Xml, source: &Source, plan: &TextPlan) -> io::Result<()> {
        let user = self.user();
        let guid = self.ids.of(&format!("source/{}", source.id));
        let path = format!("internal://{}.txt", self.ids.text_file(&source.id));
        let created = created_at(source);
        let attrs = [
            ("guid", guid.as_str()),
            ("name", source.title.as_str()),
            ("plainTextPath", path.as_str()),
            ("creatingUser", user.as_str()),
            ("creationDateTime", created.as_str()),
        ];
        x.open("TextSource", &attrs)?;
        x.text("Description", &source_description(source))?;
        for placed in &plan.placed {
            let claim = &source.claims[placed.claim];
            let key = format!("{}/{}", source.id, placed.claim);
            let guid = self.ids.of(&format!("selection/{key}"));
            let name = claim_name(source, placed.claim);
            let (start, end) = (placed.start.to_string(), placed.end.to_string());
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
            x.text("Description", &record(self.work, claim))?;
            for (what, code) in self.codes_of(claim) {
                let coding = self.ids.of(&format!("coding/{key}/{what}"));
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
            }
            if claim.summary().is_some() {
                x.empty(
                    "NoteRef",
                    &[("targetGUID", &self.ids.of(&format!("note/{key}")))],
                )?;
            }
            x.close("PlainTextSelection")?;
        }
        for u in &plan.unplaced {
            let note = self.ids.of(&format!("note/{}/{}", source.id, u.claim));
            x.empty("NoteRef", &[("targetGUID", &note)])?;
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

    /// The codes a placed claim is coded with: its scene, its reading's stance and, when the
    /// claim reports someone's view, that person.
    fn codes_of(&self, claim: &Claim) -> Vec<(&'static str, String)> {
        let w = self.work;
        let reading = &w.readings[claim.reading()].id;
        let mut codes = vec![
            (
                "scene",
                self.ids
                    .of(&format!("code/scene/{}", w.scenes[claim.scene()].id)),
            ),
            (
                "reading",
                self.ids
                    .of(&format!("code/reading/{reading}/{}", claim.stance.name())),
            ),
        ];
        if let Some(p) = claim.person() {
            let id = &w.people[p as usize].id;
            codes.push(("voice", self.ids.of(&format!("code/person/{id}"))));
        }
        codes
    }

    /// Every note: the summary of each placed claim, and each claim that has no place.
    fn notes(&self, x: &mut Xml) -> io::Result<()> {
        let mut notes = Vec::new();
        for (source, plan) in self.work.sources.iter().zip(self.plans) {
            match plan {
                SourcePlan::Text(t) => {
                    for p in &t.placed {
                        let claim = &source.claims[p.claim];
                        if let Some(summary) = claim.summary() {
                            notes.push((source, p.claim, summary.to_owned(), None));
                        }
                    }
                    for u in &t.unplaced {
                        let why = match u.why {
                            Why::NoQuote => None,
                            Why::NotFound => Some("its quote was not found in the text"),
                        };
                        notes.push((source, u.claim, unplaced_text(&source.claims[u.claim]), why));
                    }
                }
                SourcePlan::NoText => {
                    for (i, claim) in source.claims.iter().enumerate() {
                        let why = Some("the source's archived text was not found");
                        notes.push((source, i, unplaced_text(claim), why));
                    }
                }
            }
        }
        if notes.is_empty() {
            return Ok(());
        }
        let user = self.user();
        x.open("Notes", &[])?;
        for (source, i, content, why) in notes {
            let guid = self.ids.of(&format!("note/{}/{i}", source.id));
            let name = claim_name(source, i);
            x.open(
                "Note",
                &[
                    ("guid", &guid),
                    ("name", &name),
                    ("creatingUser", &user),
                    ("creationDateTime", &created_at(source)),
                ],
            )?;
            let mut about = record(self.work, &source.claims[i]);
            if let Some(why) = why {
                add_line(&mut about, &format!("kept as a note: {why}"));
            }
            x.text("Description", &about)?;
            x.text("PlainTextContent", &content)?;
            x.close("Note")?;
        }
        x.close("Notes")
    }

    /// A set per source without a text, gathering the notes its claims became.
    fn sets(&self, x: &mut Xml) -> io::Result<()> {
        let sources: Vec<&Source> = self
            .without_text()
            .filter(|s| !s.claims.is_empty())
            .collect();
        if sources.is_empty() {
            return Ok(());
        }
        x.open("Sets", &[])?;
        for source in sources {
            let guid = self.ids.of(&format!("set/{}", source.id));
            x.open("Set", &[("guid", &guid), ("name", &source.title)])?;
            let mut about = source_description(source);
            add_line(
                &mut about,
                "Its archived text was not found, so its claims are kept as the notes of this set.",
            );
            x.text("Description", &about)?;
            for i in 0..source.claims.len() {
                let note = self.ids.of(&format!("note/{}/{i}", source.id));
                x.empty("MemberNote", &[("targetGUID", &note)])?;
            }
            x.close("Set")?;
        }
        x.close("Sets")
    }
}

fn code_attrs<'a>(
    guid: &'a str,
    name: &'a str,
    codable: bool,
    colour: &'a str,
) -> [(&'a str, &'a str); 4] {
    [
        ("guid", guid),
        ("name", name),
        ("isCodable", if codable { "true" } else { "false" }),
        ("color", colour),
    ]
}

fn stance_meaning(stance: Stance) -> &'static str {
    match stance {
        Stance::Endorses => "The source holds this reading here.",
        Stance::Considers => "The source raises this reading here without taking a side.",
        Stance::Rejects => "The source names this reading here and argues against it.",
    }
}

fn add_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// How a claim is named in the project: its source and its number there (from 1).
fn claim_name(source: &Source, index: usize) -> String {
    format!("{} claim {}", source.id, index + 1)
}

/// A claim's scene, reading, stance and voice in one line, for a selection's or a note's
/// description.
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
    if let Some(via) = claim.via() {
        out.push_str(&format!(", via {via}"));
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

/// The variable values of a text source, in the order of [`VARIABLES`].
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

//! `parallax voices` (docs/rules.md): every person the sources report, what each source says
//! they hold scene by scene, where the sources contradict each other about them, and the
//! quotes that are one remark in different words.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::panic::AssertUnwindSafe;

use rayon::prelude::*;
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::View;
use super::compare::{diff_line, diff_ops};
use crate::corpus::{Claim, Stance, Work};
use crate::quotes::DiffPart;
use crate::quotes::remark::{
    RemarkClass, RemarkPair, RemarkQuote, same_remarks, same_remarks_rendered,
};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};

/// A claim as the person's view, with who reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceClaim {
    pub source: String,
    pub scene: String,
    pub reading: String,
    pub stance: Stance,
    pub via: Option<String>,
    pub summary: Option<String>,
    pub quote: Option<String>,
}

/// Readings that exclude the conflict's reading, and who says the person endorses them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Excluding {
    pub reading: String,
    pub endorsed_by: Vec<String>,
}

/// Sources disagreeing about what the person holds on one scene: some say the person
/// endorses the reading, others that they reject it or endorse a reading excluding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceConflict {
    pub scene: String,
    pub reading: String,
    pub endorsed_by: Vec<String>,
    pub rejected_by: Vec<String>,
    #[serde(default)]
    pub excluded_by: Vec<Excluding>,
}

/// One side of a pair of quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quoted {
    pub source: String,
    pub via: Option<String>,
    pub quote: String,
}

/// Two sources quoting what is one remark of the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SameRemark {
    pub left: Quoted,
    pub right: Quoted,
    /// `same`, `excerpt` or `reworded`
    pub class: RemarkClass,
    pub similarity: f64,
    /// word diff from the left quote to the right one: `[-left only-]{+right only+}`
    pub diff: String,
    /// the same diff as runs, for the formats that style it (not written in JSON)
    #[serde(skip)]
    pub diff_parts: Vec<DiffPart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonVoices {
    /// the person's name
    pub person: String,
    pub id: String,
    pub role: Option<String>,
    /// by scene (narrative order), then reading (codebook order), then source
    pub claims: Vec<VoiceClaim>,
    pub conflicts: Vec<VoiceConflict>,
    pub same_remark: Vec<SameRemark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Voices<'w> {
    pub work: String,
    pub people: People<'w>,
}

impl<'w> Voices<'w> {
    /// Every person of the work that some source reports (or only `person`). Their views
    /// are computed when the view is written.
    pub fn new(work: &'w Work, person: Option<usize>) -> Self {
        let mut by_person: Vec<Vec<(usize, &Claim)>> = vec![Vec::new(); work.people.len()];
        for (si, source) in work.sources.iter().enumerate() {
            for c in &source.claims {
                if let Some(p) = c.person() {
                    by_person[p as usize].push((si, c));
                }
            }
        }
        let claims = by_person
            .into_iter()
            .enumerate()
            .filter(|(p, claims)| !claims.is_empty() && person.is_none_or(|want| want == *p))
            .map(|(p, mut claims)| {
                claims.sort_by_key(|&(si, c)| (c.scene(), c.reading(), si));
                (p, claims)
            })
            .collect();
        Voices {
            work: work.id.clone(),
            people: People::Pending { work, claims },
        }
    }
}

/// The people of [`Voices`]: computed one by one as they are written, or as read back.
///
/// A person quoted thousands of times has hundreds of thousands of pairs of quotes, so the
/// people are not all held at once: when the view is written as JSON, the cores compute
/// the next few people while the writer writes out the ones before.
#[derive(Clone)]
pub enum People<'w> {
    /// Each person reported (by index), with the claims attributed to them in the order
    /// of [`PersonVoices::claims`].
    Pending {
        work: &'w Work,
        claims: Vec<(usize, Vec<(usize, &'w Claim)>)>,
    },
    Computed(Vec<PersonVoices>),
}

impl People<'_> {
    /// Every person, computed now if they are not yet (people are independent: each is
    /// matched on a thread of its own).
    pub fn list(&self) -> Cow<'_, [PersonVoices]> {
        match self {
            People::Pending { work, claims } => Cow::Owned(
                claims
                    .par_iter()
                    .map(|(p, claims)| person_ref(work, *p, claims, Diffs::Parts).into())
                    .collect(),
            ),
            People::Computed(people) => Cow::Borrowed(people),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            People::Pending { claims, .. } => claims.len(),
            People::Computed(people) => people.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the people as a sequence, as they are computed: each on a core of its own,
    /// in order, at most [`AHEAD_PER_THREAD`] per thread beyond the one being written,
    /// while this thread writes them out in order.
    fn serialize_pending<S: Serializer>(
        work: &Work,
        claims: &[(usize, Vec<(usize, &Claim)>)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        type Computed<'a> = std::thread::Result<PersonRef<'a>>;
        let ahead = AHEAD_PER_THREAD * rayon::current_num_threads();
        let mut seq = serializer.serialize_seq(Some(claims.len()))?;
        if claims.is_empty() {
            return seq.end();
        }
        rayon::in_place_scope_fifo(|scope| {
            let (done, finished) = std::sync::mpsc::channel::<(usize, Computed)>();
            let compute = |k: usize| {
                let done = done.clone();
                let (p, claims) = &claims[k];
                scope.spawn_fifo(move |_| {
                    let person = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        person_ref(work, *p, claims, Diffs::Rendered)
                    }));
                    // the writer stops early on a closed pipe: nothing is waiting then
                    let _ = done.send((k, person));
                });
            };
            for k in 0..claims.len().min(ahead) {
                compute(k);
            }
            let mut waiting: Vec<Option<PersonRef>> = claims.iter().map(|_| None).collect();
            let mut next = 0;
            for (k, person) in finished.iter() {
                waiting[k] = Some(person.unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
                while let Some(person) = waiting.get_mut(next).and_then(Option::take) {
                    seq.serialize_element(&person)?;
                    if next + ahead < claims.len() {
                        compute(next + ahead);
                    }
                    next += 1;
                }
                if next == claims.len() {
                    break;
                }
            }
            Ok(())
        })?;
        seq.end()
    }
}

/// How many people per thread are computed ahead of the one being written: enough to
/// keep every core busy while one person takes longer than the others, few enough that
/// memory holds a few people, not all.
const AHEAD_PER_THREAD: usize = 4;

impl Serialize for People<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            People::Pending { work, claims } => Self::serialize_pending(work, claims, serializer),
            People::Computed(people) => people.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for People<'_> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<PersonVoices>::deserialize(deserializer).map(People::Computed)
    }
}

impl PartialEq for People<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.list() == other.list()
    }
}

impl fmt::Debug for People<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.list().iter()).finish()
    }
}

/// One person's view with its texts borrowed from the work: what [`PersonVoices`] holds,
/// field for field, before the texts are copied. JSON is written straight from it.
#[derive(Serialize)]
struct PersonRef<'a> {
    person: &'a str,
    id: &'a str,
    role: Option<&'a str>,
    claims: Vec<ClaimRef<'a>>,
    conflicts: Vec<VoiceConflict>,
    same_remark: Vec<RemarkRef<'a>>,
}

/// A [`VoiceClaim`], borrowed.
#[derive(Serialize)]
struct ClaimRef<'a> {
    source: &'a str,
    scene: &'a str,
    reading: &'a str,
    stance: Stance,
    via: Option<&'a str>,
    summary: Option<&'a str>,
    quote: Option<&'a str>,
}

/// A [`Quoted`], borrowed; the quote is what the pair shows of it (a long one is cut).
#[derive(Clone, Serialize)]
struct QuotedRef<'a> {
    source: &'a str,
    via: Option<&'a str>,
    quote: Cow<'a, str>,
}

/// A [`SameRemark`], its quotes borrowed.
#[derive(Serialize)]
struct RemarkRef<'a> {
    left: QuotedRef<'a>,
    right: QuotedRef<'a>,
    class: RemarkClass,
    similarity: f64,
    diff: String,
    #[serde(skip)]
    diff_parts: Vec<DiffPart>,
}

/// What a person's pairs of quotes keep of their word diffs: JSON writes only the
/// rendered diff; the other formats style its parts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Diffs {
    Rendered,
    Parts,
}

fn person_ref<'a>(
    work: &'a Work,
    p: usize,
    claims: &[(usize, &'a Claim)],
    diffs: Diffs,
) -> PersonRef<'a> {
    let person = &work.people[p];
    PersonRef {
        person: &person.name,
        id: &person.id,
        role: person.role.as_deref(),
        claims: claims
            .iter()
            .map(|&(si, c)| ClaimRef {
                source: &work.sources[si].id,
                scene: &work.scenes[c.scene()].id,
                reading: &work.readings[c.reading()].id,
                stance: c.stance,
                via: c.via(),
                summary: c.summary(),
                quote: c.quote(),
            })
            .collect(),
        conflicts: conflicts(work, claims),
        same_remark: remarks(work, claims, diffs),
    }
}

impl From<PersonRef<'_>> for PersonVoices {
    fn from(p: PersonRef) -> Self {
        let quoted = |q: QuotedRef| Quoted {
            source: q.source.to_owned(),
            via: q.via.map(str::to_owned),
            quote: q.quote.into_owned(),
        };
        PersonVoices {
            person: p.person.to_owned(),
            id: p.id.to_owned(),
            role: p.role.map(str::to_owned),
            claims: p
                .claims
                .into_iter()
                .map(|c| VoiceClaim {
                    source: c.source.to_owned(),
                    scene: c.scene.to_owned(),
                    reading: c.reading.to_owned(),
                    stance: c.stance,
                    via: c.via.map(str::to_owned),
                    summary: c.summary.map(str::to_owned),
                    quote: c.quote.map(str::to_owned),
                })
                .collect(),
            conflicts: p.conflicts,
            same_remark: p
                .same_remark
                .into_iter()
                .map(|r| SameRemark {
                    left: quoted(r.left),
                    right: quoted(r.right),
                    class: r.class,
                    similarity: r.similarity,
                    diff: r.diff,
                    diff_parts: r.diff_parts,
                })
                .collect(),
        }
    }
}

/// Per scene, who says the person endorses and who says they reject each reading.
type Said = BTreeMap<usize, (Vec<usize>, Vec<usize>)>;

/// The contradictory attributions among one person's claims (sorted by scene).
fn conflicts(work: &Work, claims: &[(usize, &Claim)]) -> Vec<VoiceConflict> {
    let mut by_scene: BTreeMap<usize, Said> = BTreeMap::new();
    for &(si, c) in claims {
        let said = by_scene
            .entry(c.scene())
            .or_default()
            .entry(c.reading())
            .or_default();
        let list = match c.stance {
            Stance::Endorses => &mut said.0,
            Stance::Rejects => &mut said.1,
            Stance::Considers => continue,
        };
        if !list.contains(&si) {
            list.push(si);
        }
    }
    let names = |list: &[usize]| -> Vec<String> {
        list.iter().map(|&si| work.sources[si].id.clone()).collect()
    };
    let mut out = Vec::new();
    for (scene, said) in &by_scene {
        for (&reading, (endorsed, rejected)) in said {
            if endorsed.is_empty() {
                continue;
            }
            // one source saying both is that source's own muddle, not a contradiction
            let disputed =
                |others: &[usize]| others.iter().any(|o| endorsed.iter().any(|e| e != o));
            let rejected_by = if disputed(rejected) {
                names(rejected)
            } else {
                Vec::new()
            };
            let excluded_by: Vec<Excluding> = said
                .iter()
                .filter(|&(&other, (e, _))| {
                    other > reading && work.excludes(reading, other) && disputed(e)
                })
                .map(|(&other, (e, _))| Excluding {
                    reading: work.readings[other].id.clone(),
                    endorsed_by: names(e),
                })
                .collect();
            if rejected_by.is_empty() && excluded_by.is_empty() {
                continue;
            }
            out.push(VoiceConflict {
                scene: work.scenes[*scene].id.clone(),
                reading: work.readings[reading].id.clone(),
                endorsed_by: names(endorsed),
                rejected_by,
                excluded_by,
            });
        }
    }
    out
}

/// The pairs of quotes that are one remark, found through the shared quote matcher.
fn remarks<'a>(work: &'a Work, claims: &[(usize, &'a Claim)], diffs: Diffs) -> Vec<RemarkRef<'a>> {
    // one entry per distinct (source, quote): a source quoting a remark twice is one quote
    let mut quoted: Vec<(usize, &Claim)> = claims
        .iter()
        .copied()
        .filter(|(_, c)| c.quote().is_some())
        .collect();
    quoted.sort_by(|a, b| (a.0, &a.1.quote()).cmp(&(b.0, &b.1.quote())));
    quoted.dedup_by(|a, b| a.0 == b.0 && a.1.quote() == b.1.quote());
    let inputs: Vec<RemarkQuote<'_>> = quoted
        .iter()
        .map(|(si, c)| RemarkQuote {
            text: c.quote().unwrap_or_default(),
            group: *si as u32,
            outlet: c.via(),
        })
        .collect();
    // a pair shows each quote as far as the matcher shows it: a long quote is cut, and an
    // excerpt's longer quote is shown around the excerpt, so pairs print a bounded amount
    let side = |i: usize, shown: Option<String>| {
        let (si, c) = quoted[i];
        QuotedRef {
            source: &work.sources[si].id,
            via: c.via(),
            quote: shown.map_or(Cow::Borrowed(c.quote().unwrap_or_default()), Cow::Owned),
        }
    };
    let pair = |p: RemarkPair<()>, diff, diff_parts| RemarkRef {
        left: side(p.left, p.left_shown),
        right: side(p.right, p.right_shown),
        class: p.class,
        similarity: (p.similarity * 1000.0).round() / 1000.0,
        diff,
        diff_parts,
    };
    match diffs {
        Diffs::Rendered => same_remarks_rendered(&inputs)
            .into_iter()
            .map(|p| {
                let (p, diff) = p.split_diff();
                pair(p, diff, Vec::new())
            })
            .collect(),
        Diffs::Parts => same_remarks(&inputs)
            .into_iter()
            .map(|p| {
                let (p, parts) = p.split_diff();
                pair(p, crate::quotes::render_diff(&parts), parts)
            })
            .collect(),
    }
}

fn stance_tone(s: Stance) -> Tone {
    match s {
        Stance::Endorses => Tone::Endorses,
        Stance::Considers => Tone::Considers,
        Stance::Rejects => Tone::Rejects,
    }
}

impl PersonVoices {
    fn claims_table(&self) -> Table {
        let columns = ["scene", "view", "reported by", "claim"]
            .map(Column::left)
            .to_vec();
        let rows = self
            .claims
            .iter()
            .map(|c| {
                let mut text = Vec::new();
                if let Some(s) = &c.summary {
                    text.push(Line::plain(s.clone()));
                }
                if let Some(q) = &c.quote {
                    text.push(Line::quote(q.clone()));
                }
                let mut who = vec![Line::plain(c.source.clone())];
                if let Some(via) = &c.via {
                    who.push(Line::new(vec![Span::styled(
                        format!("via {via}"),
                        Tone::Muted,
                    )]));
                }
                vec![
                    Cell::plain(c.scene.clone()),
                    Cell::new(vec![Line::new(vec![Span::styled(
                        format!("{} {}", c.stance.mark(), c.reading),
                        stance_tone(c.stance),
                    )])]),
                    Cell::new(who),
                    Cell::new(text),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    fn conflicts_table(&self) -> Table {
        let columns = [
            "scene",
            "reading",
            "says the person endorses it",
            "says otherwise",
        ]
        .map(Column::left)
        .to_vec();
        let rows = self
            .conflicts
            .iter()
            .map(|c| {
                let mut otherwise = Vec::new();
                if !c.rejected_by.is_empty() {
                    otherwise.push(Line::new(vec![Span::styled(
                        format!("✗ rejects it: {}", c.rejected_by.join(", ")),
                        Tone::Rejects,
                    )]));
                }
                for x in &c.excluded_by {
                    otherwise.push(Line::new(vec![Span::styled(
                        format!(
                            "✓ {} (excludes it): {}",
                            x.reading,
                            x.endorsed_by.join(", ")
                        ),
                        Tone::Conflict,
                    )]));
                }
                vec![
                    Cell::plain(c.scene.clone()),
                    Cell::plain(c.reading.clone()),
                    Cell::styled(c.endorsed_by.join(", "), Tone::Endorses),
                    Cell::new(otherwise),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    fn remarks_table(&self) -> Table {
        let columns = vec![
            Column::left("left"),
            Column::left("right"),
            Column::left("class"),
            Column::right("similarity"),
            Column::left("word diff, left → right"),
        ];
        let side = |q: &Quoted| {
            let mut who = q.source.clone();
            if let Some(via) = &q.via {
                who.push_str(&format!(", via {via}"));
            }
            Cell::new(vec![Line::plain(who), Line::quote(q.quote.clone())])
        };
        let rows = self
            .same_remark
            .iter()
            .map(|r| {
                vec![
                    side(&r.left),
                    side(&r.right),
                    Cell::plain(r.class.name()),
                    Cell::plain(format!("{:.2}", r.similarity)),
                    Cell::new(vec![diff_line(&diff_ops(&r.diff_parts))]),
                ]
            })
            .collect();
        Table { columns, rows }
    }

    fn blocks(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        let heading = match &self.role {
            Some(role) => format!("{} — {role}", self.person),
            None => self.person.clone(),
        };
        blocks.push(Block::Heading(2, heading));
        blocks.push(Block::Table(self.claims_table()));
        if self.conflicts.is_empty() {
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                "no contradictory attributions",
                Tone::Muted,
            )])));
        } else {
            blocks.push(Block::Heading(3, "Contradictory attributions".into()));
            blocks.push(Block::Table(self.conflicts_table()));
        }
        if !self.same_remark.is_empty() {
            blocks.push(Block::Heading(
                3,
                "One remark, quoted in different words".into(),
            ));
            blocks.push(Block::Table(self.remarks_table()));
        }
        blocks
    }
}

impl View for Voices<'_> {
    fn document(&self) -> Document {
        let people = self.people.list();
        let mut blocks = Vec::new();
        if people.is_empty() {
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                "no claim is attributed to anyone",
                Tone::Muted,
            )])));
        }
        for p in people.iter() {
            blocks.extend(p.blocks());
        }
        Document {
            title: format!("{}: the views sources report", self.work),
            blocks,
            legend: Vec::new(),
            csv: Some(claims_csv(&people)),
        }
    }
}

/// CSV: one tidy row per attributed claim.
fn claims_csv(people: &[PersonVoices]) -> Table {
    let columns = [
        "person", "scene", "reading", "stance", "source", "via", "summary", "quote",
    ]
    .map(Column::left)
    .to_vec();
    let text = |s: &Option<String>| Cell::plain(s.clone().unwrap_or_default());
    let rows = people
        .iter()
        .flat_map(|p| {
            p.claims.iter().map(move |c| {
                vec![
                    Cell::plain(p.person.clone()),
                    Cell::plain(c.scene.clone()),
                    Cell::plain(c.reading.clone()),
                    Cell::plain(c.stance.name()),
                    Cell::plain(c.source.clone()),
                    text(&c.via),
                    text(&c.summary),
                    text(&c.quote),
                ]
            })
        })
        .collect();
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{LoadOptions, load};

    fn fixture(name: &str) -> Work {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
        let loaded = load(&LoadOptions {
            root,
            ..LoadOptions::default()
        });
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        loaded.corpus.works.into_iter().next().unwrap()
    }

    /// The people computed as they are written give the JSON of the people computed first.
    #[test]
    fn people_written_as_they_come_are_the_people_computed() {
        for name in ["tests/fixtures/voices", "interpretations"] {
            let work = fixture(name);
            let streamed = Voices::new(&work, None);
            let computed = Voices {
                work: streamed.work.clone(),
                people: People::Computed(streamed.people.list().into_owned()),
            };
            assert_eq!(
                serde_json::to_string_pretty(&streamed).unwrap(),
                serde_json::to_string_pretty(&computed).unwrap(),
                "{name}"
            );
        }
        let work = fixture("tests/fixtures/voices");
        let people = Voices::new(&work, None).people.list().into_owned();
        assert!(people.iter().any(|p| !p.same_remark.is_empty()));
        assert!(people.iter().any(|p| !p.conflicts.is_empty()));
    }
}

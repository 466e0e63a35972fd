//! `parallax scene S`: every source's claims on one scene, grouped by reading (named by its
//! label), and the consensus: the reading most sources endorse, and who rejects it, or the
//! readings that tie for it. Its CSV is the tidy one of `export`, for the one scene.

use std::io;

use serde::{Deserialize, Serialize};

use super::{ClaimOut, View, label_of, legend, stance_tone};
use crate::corpus::{Stance, Work};
use crate::render::{Cell, Collect, Column, Document, Head, Line, Sink, Span, Table, Tone};
use crate::voice::Voice;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneClaim {
    pub source: String,
    #[serde(flatten)]
    pub claim: ClaimOut,
}

/// Which sources take one reading of the scene, by stance, in the chosen voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingGroup {
    pub reading: String,
    pub endorses: Vec<String>,
    pub considers: Vec<String>,
    pub rejects: Vec<String>,
    /// sources that report someone else's view of the reading without holding it (under
    /// `--voice own`)
    #[serde(default)]
    pub reported_by: Vec<String>,
}

/// The reading most sources endorse (strictly more than any other), who rejects it, and
/// who endorses a reading that excludes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consensus {
    pub reading: String,
    pub endorsed_by: Vec<String>,
    pub rejected_by: Vec<String>,
    /// sources endorsing a reading that the codebook says excludes this one
    #[serde(default)]
    pub contradicted_by: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneReadings {
    pub work: String,
    pub scene: String,
    pub title: String,
    /// grouped by reading (codebook order), then by source
    pub claims: Vec<SceneClaim>,
    pub readings: Vec<ReadingGroup>,
    /// `null` when no reading is endorsed, or when two readings tie
    pub consensus: Option<Consensus>,
    /// the readings endorsed by equally many sources when they tie for the consensus
    #[serde(default)]
    pub tied: Vec<String>,
    /// the sources of the work that say nothing about the scene
    pub silent: Vec<String>,
    #[serde(skip)]
    pub legend: Vec<crate::render::LegendEntry>,
}

impl SceneReadings {
    pub fn new(work: &Work, scene: usize, voice: Voice) -> Self {
        let mut by_reading: Vec<Vec<(usize, &crate::corpus::Claim)>> =
            vec![Vec::new(); work.readings.len()];
        let mut silent = Vec::new();
        for (si, source) in work.sources.iter().enumerate() {
            let mut spoke = false;
            let shown = source
                .claims
                .iter()
                .filter(|c| c.scene() == scene && voice.shows(c));
            for c in shown {
                by_reading[c.reading()].push((si, c));
                spoke = true;
            }
            if !spoke {
                silent.push(source.id.clone());
            }
        }
        let mut claims = Vec::new();
        let mut readings = Vec::new();
        for (ri, list) in by_reading.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            let reading = &work.readings[ri].id;
            let mut group = ReadingGroup {
                reading: reading.clone(),
                endorses: Vec::new(),
                considers: Vec::new(),
                rejects: Vec::new(),
                reported_by: Vec::new(),
            };
            for &(si, c) in list {
                let source = &work.sources[si].id;
                let names = match c.stance {
                    _ if !voice.counts(c) => &mut group.reported_by,
                    Stance::Endorses => &mut group.endorses,
                    Stance::Considers => &mut group.considers,
                    Stance::Rejects => &mut group.rejects,
                };
                if names.last() != Some(source) {
                    names.push(source.clone());
                }
                claims.push(SceneClaim {
                    source: source.clone(),
                    claim: ClaimOut::of(work, c),
                });
            }
            readings.push(group);
        }
        let (consensus, tied) = consensus(work, &readings);
        SceneReadings {
            work: work.id.clone(),
            scene: work.scenes[scene].id.clone(),
            title: work.scenes[scene].title.clone(),
            claims,
            readings,
            consensus,
            tied,
            silent,
            legend: legend(work),
        }
    }
}

/// The consensus, or the readings that tie for it.
fn consensus(work: &Work, readings: &[ReadingGroup]) -> (Option<Consensus>, Vec<String>) {
    let Some(best) = readings
        .iter()
        .map(|g| g.endorses.len())
        .max()
        .filter(|&n| n > 0)
    else {
        return (None, Vec::new());
    };
    let top: Vec<&ReadingGroup> = readings
        .iter()
        .filter(|g| g.endorses.len() == best)
        .collect();
    if top.len() > 1 {
        return (None, top.iter().map(|g| g.reading.clone()).collect());
    }
    let winner = top[0];
    let index = work.reading_index(&winner.reading);
    let mut contradicted_by: Vec<String> = readings
        .iter()
        .filter(|g| {
            let other = work.reading_index(&g.reading);
            matches!((index, other), (Some(a), Some(b)) if work.excludes(a, b))
        })
        .flat_map(|g| g.endorses.iter().cloned())
        .collect();
    contradicted_by.sort();
    contradicted_by.dedup();
    let consensus = Consensus {
        reading: winner.reading.clone(),
        endorsed_by: winner.endorses.clone(),
        rejected_by: winner.rejects.clone(),
        contradicted_by,
    };
    (Some(consensus), Vec::new())
}

impl SceneReadings {
    /// The consensus sentence, the same in every format.
    pub fn consensus_line(&self) -> Line {
        let mut spans = vec![Span::styled("consensus: ", Tone::Strong)];
        match &self.consensus {
            Some(c) => {
                let index = self.legend.iter().position(|l| l.id == c.reading);
                let label = label_of(&self.legend, &c.reading);
                let mut reading = Span::styled(label.to_string(), Tone::Endorses);
                reading.reading = index;
                spans.push(reading);
                spans.push(Span::plain(format!(
                    ", endorsed by {} ({})",
                    count(c.endorsed_by.len(), "source"),
                    c.endorsed_by.join(", ")
                )));
                if c.rejected_by.is_empty() {
                    spans.push(Span::plain("; nobody rejects it"));
                } else {
                    spans.push(Span::plain("; rejected by "));
                    spans.push(Span::styled(c.rejected_by.join(", "), Tone::Rejects));
                }
                if !c.contradicted_by.is_empty() {
                    spans.push(Span::plain("; contradicted by "));
                    spans.push(Span::styled(c.contradicted_by.join(", "), Tone::Conflict));
                    spans.push(Span::plain(" (endorsing a reading that excludes it)"));
                }
            }
            None if !self.tied.is_empty() => {
                let tied: Vec<&str> = self
                    .tied
                    .iter()
                    .map(|r| label_of(&self.legend, r))
                    .collect();
                let most = self
                    .readings
                    .iter()
                    .map(|g| g.endorses.len())
                    .max()
                    .unwrap_or(0);
                spans.push(Span::styled(
                    format!(
                        "no consensus: {} tie, endorsed by {} each",
                        tied.join(", "),
                        count(most, "source")
                    ),
                    Tone::Diverge,
                ));
            }
            None => spans.push(Span::styled(
                "no consensus (no source endorses a reading)",
                Tone::Muted,
            )),
        }
        Line::new(spans)
    }

    fn columns() -> Vec<Column> {
        vec![
            Column::left("reading"),
            Column::left("source"),
            Column::left("stance"),
            Column::left("claim"),
            Column::left("attributed to"),
        ]
    }

    pub fn table(&self) -> Table {
        Table {
            columns: Self::columns(),
            rows: self.rows().collect(),
        }
    }

    /// The table's rows, made one at a time: a scene of a large corpus has a claim from
    /// most of its sources.
    fn rows(&self) -> impl Iterator<Item = Vec<Cell>> + '_ {
        let mut last: Option<&str> = None;
        self.claims.iter().map(move |sc| {
            let c = &sc.claim;
            let first_of_group = last != Some(c.reading.as_str());
            last = Some(c.reading.as_str());
            let index = self.legend.iter().position(|l| l.id == c.reading);
            let reading = if first_of_group {
                let mut span = Span::plain(label_of(&self.legend, &c.reading).to_string());
                span.reading = index;
                Cell::new(vec![Line::new(vec![span])])
            } else {
                Cell::empty()
            };
            let mut text = Vec::new();
            if let Some(s) = &c.summary {
                text.push(Line::plain(s.clone()));
            }
            if let Some(q) = &c.quote {
                text.push(Line::quote(q.clone()));
            }
            let attribution = match (&c.attributed_to, &c.via) {
                (Some(who), Some(via)) => Cell::new(vec![
                    Line::plain(who.clone()),
                    Line::new(vec![Span::styled(format!("via {via}"), Tone::Muted)]),
                ]),
                (Some(who), None) => Cell::plain(who.clone()),
                (None, Some(via)) => Cell::styled(format!("via {via}"), Tone::Muted),
                (None, None) => Cell::empty(),
            };
            vec![
                reading,
                Cell::plain(sc.source.clone()),
                Cell::styled(
                    format!("{} {}", c.stance.mark(), c.stance.name()),
                    stance_tone(c.stance),
                ),
                Cell::new(text),
                attribution,
            ]
        })
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

impl SceneReadings {
    fn title_line(&self) -> String {
        format!("{}: {} — {}", self.work, self.scene, self.title)
    }

    fn write_table(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.table_start(&Self::columns())?;
        for row in self.rows() {
            sink.row(row)?;
        }
        sink.table_end()
    }

    /// Everything but the title, the table a row at a time (a report writes each scene so).
    pub fn write_body(&self, sink: &mut dyn Sink) -> io::Result<()> {
        if self.claims.is_empty() {
            sink.paragraph(&muted("no source speaks of this scene"))?;
        } else {
            self.write_table(sink)?;
        }
        sink.paragraph(&self.consensus_line())?;
        if !self.silent.is_empty() {
            sink.paragraph(&muted(format!("silent: {}", self.silent.join(", "))))?;
        }
        Ok(())
    }
}

fn muted(text: impl Into<String>) -> Line {
    Line::new(vec![Span::styled(text, Tone::Muted)])
}

impl View for SceneReadings {
    fn document(&self) -> Document {
        let mut collect = Collect::default();
        // collecting into memory cannot fail
        let _ = self.write_body(&mut collect);
        Document {
            title: self.title_line(),
            blocks: collect.doc.blocks,
            legend: self.legend.clone(),
            csv: None,
        }
    }

    /// The document's blocks as they are made: a scene of a large corpus has a row for
    /// most of its sources.
    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let known = |reading: &str| self.legend.iter().any(|l| l.id == reading);
        // a reading's first row, and the consensus, name it in its colour
        let uses_legend = self.claims.iter().any(|c| known(&c.claim.reading))
            || self.consensus.as_ref().is_some_and(|c| known(&c.reading));
        sink.begin(&Head {
            title: &self.title_line(),
            legend: &self.legend,
            uses_legend,
            toc: &[],
        })?;
        if sink.data_only() {
            // one table: the claims, if any
            if !self.claims.is_empty() {
                self.write_table(sink)?;
            }
            return sink.finish();
        }
        self.write_body(sink)?;
        sink.finish()
    }
}

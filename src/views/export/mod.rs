//! `parallax export`: the complete comparison of a work in one file. It opens with the front
//! matter (the work, its sources, its codebook, its people), then the matrix, the agreement
//! figures with their charts, the pairs of sources, and every scene.
//!
//! A report of hundreds of sources is large, so it is never built whole: [`Report`] writes
//! each section to the sink as it computes it, and its JSON serialises the same sections
//! lazily (pairs and scenes one at a time). Its CSV is the tidy table of claims alone
//! ([`claims`]), which needs nothing else of the report. [`Export`] is the JSON's shape, for
//! reading a report back.
//!
//! Pairs: every pair of sources in full only with `--pairs all` or at most
//! [`FULL_PAIRS_UP_TO`] sources; otherwise the pair table and the heatmap of the agreement
//! section stand for them; `--pairs none` leaves pairs out altogether.

pub mod charts;
pub mod claims;
pub mod front;

use std::io;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::agreement::Agreement;
use super::compare::{CompareOptions, CompareStyle, Comparison};
use super::matrix::{Matrix, MatrixView};
use super::scene::SceneReadings;
use super::{Lazy, View};
use crate::corpus::Work;
use crate::render::{
    self, Block, Chart, Document, Head, Line, Sink, Span, TocEntry, Tone, write_table,
};
use crate::voice::Voice;

pub use claims::ClaimRow;
pub use front::{PersonInfo, ReadingInfo, SourceInfo};

/// Up to this many sources (66 pairs), `--pairs auto` shows every pair in full.
pub const FULL_PAIRS_UP_TO: usize = 12;
/// Up to this many pairs, the table of contents lists each pair.
const PAIRS_IN_CONTENTS: usize = 66;

/// Which pairs of sources a report shows (`--pairs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PairsMode {
    /// every pair in full up to 12 sources, else the pair table and heatmap
    #[default]
    Auto,
    /// every pair in full, however many
    All,
    /// no pairs: no pair table, no heatmap
    None,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    pub voice: Voice,
    pub pairs: PairsMode,
}

/// How the pairs are shown: `all` (each in full), `summary` (the pair table of the
/// agreement section) or `none`.
fn pairs_shown(work: &Work, mode: PairsMode) -> &'static str {
    match mode {
        PairsMode::None => "none",
        PairsMode::All => "all",
        PairsMode::Auto if work.sources.len() <= FULL_PAIRS_UP_TO => "all",
        PairsMode::Auto => "summary",
    }
}

/// A report as its JSON holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub work: String,
    pub title: String,
    pub year: Option<i64>,
    pub creators: Vec<String>,
    /// whose views make the sources' positions: `own`, `all` or a person's name
    pub voice: String,
    pub sources: Vec<SourceInfo>,
    pub codebook: Vec<ReadingInfo>,
    pub people: Vec<PersonInfo>,
    pub matrix: Matrix,
    pub agreement: Agreement,
    /// `all`, `summary` or `none` (see [`PairsMode`])
    pub pairs_shown: String,
    /// every pair of sources, in id order (a, b) with a < b, when shown in full
    pub pairs: Vec<Comparison>,
    /// every scene, in narrative order
    pub scenes: Vec<SceneReadings>,
    /// the claims as tidy rows (also the CSV form)
    pub claims: Vec<ClaimRow>,
}

/// A report on a work, written section by section.
pub struct Report<'w> {
    work: &'w Work,
    opts: ExportOptions,
}

impl<'w> Report<'w> {
    pub fn new(work: &'w Work, opts: ExportOptions) -> Self {
        Report { work, opts }
    }

    fn shown(&self) -> &'static str {
        pairs_shown(self.work, self.opts.pairs)
    }

    fn agreement(&self) -> Agreement {
        Agreement::new(
            self.work,
            self.opts.pairs != PairsMode::None,
            self.opts.voice,
        )
    }

    /// Every pair of sources (a, b), a before b, compared in brief, made one at a time.
    fn pairs(&self) -> impl Iterator<Item = Comparison> + '_ {
        let opts = CompareOptions {
            voice: self.opts.voice,
            style: CompareStyle {
                brief: true,
                quotes: false,
            },
            ..CompareOptions::default()
        };
        let sources = &self.work.sources;
        let full = self.shown() == "all";
        (0..sources.len())
            .filter(move |_| full)
            .flat_map(move |i| (i + 1..sources.len()).map(move |j| (i, j)))
            .map(move |(i, j)| Comparison::new(self.work, &sources[i], &sources[j], &opts))
    }

    fn scenes(&self) -> impl Iterator<Item = SceneReadings> + '_ {
        (0..self.work.scenes.len()).map(|i| SceneReadings::new(self.work, i, self.opts.voice))
    }

    /// The whole report, built in memory: for tests and small works.
    pub fn export(&self) -> Export {
        let work = self.work;
        Export {
            work: work.id.clone(),
            title: work.title.clone(),
            year: work.year,
            creators: work.creators.clone(),
            voice: self.opts.voice.name(work),
            sources: front::sources(work),
            codebook: front::codebook(work),
            people: front::people(work),
            matrix: Matrix::new(work, self.opts.voice),
            agreement: self.agreement(),
            pairs_shown: self.shown().to_string(),
            pairs: self.pairs().collect(),
            scenes: self.scenes().collect(),
            claims: claims::order(work, self.opts.voice, None)
                .map(|place| claims::row(work, place))
                .collect(),
        }
    }

    /// The tidy table of claims (the CSV of a report).
    pub fn write_claims(&self, sink: &mut dyn Sink) -> io::Result<()> {
        claims::write(self.work, self.opts.voice, None, sink)
    }

    /// The table of contents: the sections, each pair when there are few, each scene.
    fn contents(&self) -> Vec<TocEntry> {
        let entry = |level: u8, text: &str, anchor: &str| TocEntry {
            level,
            text: text.to_string(),
            anchor: anchor.to_string(),
        };
        let mut toc = vec![
            entry(2, "Sources", "sources"),
            entry(2, "Codebook", "codebook"),
        ];
        if !self.work.people.is_empty() {
            toc.push(entry(2, "People", "people"));
        }
        toc.push(entry(2, "Readings by scene and source", "matrix"));
        toc.push(entry(2, "Agreement", "agreement"));
        if self.shown() != "none" {
            toc.push(entry(2, "Pairs of sources", "pairs"));
        }
        let n = self.work.sources.len();
        if self.shown() == "all" && n * n.saturating_sub(1) / 2 <= PAIRS_IN_CONTENTS {
            for (i, a) in self.work.sources.iter().enumerate() {
                for b in &self.work.sources[i + 1..] {
                    let text = format!("{} vs {}", a.id, b.id);
                    toc.push(entry(3, &text, &pair_anchor(&a.id, &b.id)));
                }
            }
        }
        toc.push(entry(2, "Scenes", "scenes"));
        for scene in &self.work.scenes {
            let text = format!("{} — {}", scene.id, scene.title);
            toc.push(entry(3, &text, &format!("scene-{}", scene.id)));
        }
        toc
    }
}

fn pair_anchor(a: &str, b: &str) -> String {
    format!("pair-{a}--{b}")
}

/// Writes a document's blocks (not its title), headings `demote` levels deeper.
fn write_blocks(blocks: &[Block], demote: u8, sink: &mut dyn Sink) -> io::Result<()> {
    for block in blocks {
        match block {
            Block::Heading(level, text) => sink.heading(level + demote, text, None)?,
            Block::Paragraph(line) => sink.paragraph(line)?,
            Block::Table(table) => write_table(table, sink)?,
        }
    }
    Ok(())
}

fn muted(text: impl Into<String>) -> Line {
    Line::new(vec![Span::styled(text, Tone::Muted)])
}

impl Report<'_> {
    fn write_front(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let work = self.work;
        sink.paragraph(&front::work_line(work))?;
        sink.paragraph(&Line::plain(format!(
            "{} sources, {} scenes, {} readings, {} claims; positions in the {} voice.",
            work.sources.len(),
            work.scenes.len(),
            work.readings.len(),
            work.claim_count(),
            match self.opts.voice {
                Voice::Own => "sources' own".to_string(),
                Voice::All => "every".to_string(),
                Voice::Person(_) => format!("{}'s", self.opts.voice.name(work)),
            }
        )))?;
        sink.heading(2, "Sources", Some("sources"))?;
        front::write_sources_table(work, sink)?;
        sink.heading(2, "Codebook", Some("codebook"))?;
        write_table(&front::codebook_table(&front::codebook(work)), sink)?;
        if !work.people.is_empty() {
            sink.heading(2, "People", Some("people"))?;
            write_table(&front::people_table(&front::people(work)), sink)?;
        }
        Ok(())
    }

    fn write_pairs(&self, sink: &mut dyn Sink) -> io::Result<()> {
        match self.shown() {
            "none" => return Ok(()),
            "summary" => {
                sink.heading(2, "Pairs of sources", Some("pairs"))?;
                let n = self.work.sources.len();
                return sink.paragraph(&muted(format!(
                    "{} sources make {} pairs: their verdicts are counted in the table “By pair of sources” and drawn in the heatmap above. `--pairs all` writes each pair in full.",
                    n,
                    n * (n - 1) / 2
                )));
            }
            _ => {}
        }
        sink.heading(2, "Pairs of sources", Some("pairs"))?;
        if self.work.sources.len() < 2 {
            sink.paragraph(&muted("fewer than two sources: nothing to compare"))?;
        }
        for pair in self.pairs() {
            let title = format!("{} vs {}", pair.left, pair.right);
            sink.heading(3, &title, Some(&pair_anchor(&pair.left, &pair.right)))?;
            write_blocks(&pair.blocks(), 2, sink)?;
        }
        Ok(())
    }
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let work = self.work;
        let voice = self.opts.voice;
        let mut s = serializer.serialize_struct("Export", 14)?;
        s.serialize_field("work", &work.id)?;
        s.serialize_field("title", &work.title)?;
        s.serialize_field("year", &work.year)?;
        s.serialize_field("creators", &work.creators)?;
        s.serialize_field("voice", &voice.name(work))?;
        s.serialize_field("sources", &Lazy(|| work.sources.iter().map(SourceInfo::of)))?;
        s.serialize_field("codebook", &front::codebook(work))?;
        s.serialize_field("people", &front::people(work))?;
        s.serialize_field("matrix", &MatrixView::new(work, voice))?;
        s.serialize_field("agreement", &self.agreement())?;
        s.serialize_field("pairs_shown", self.shown())?;
        s.serialize_field("pairs", &Lazy(|| self.pairs()))?;
        s.serialize_field("scenes", &Lazy(|| self.scenes()))?;
        s.serialize_field(
            "claims",
            &Lazy(|| claims::order(work, voice, None).map(|place| claims::row(work, place))),
        )?;
        s.end()
    }
}

impl View for Report<'_> {
    /// The report in memory, for formats and callers that want a document.
    fn document(&self) -> Document {
        let mut collect = render::Collect::default();
        // collecting into memory cannot fail
        let _ = self.write(&mut collect);
        collect.doc
    }

    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        if sink.data_only() {
            return self.write_claims(sink);
        }
        let work = self.work;
        let legend = super::legend(work);
        let toc = self.contents();
        let title = format!("{}: how the sources read it", work.title);
        sink.begin(&Head {
            title: &title,
            legend: &legend,
            uses_legend: true,
            toc: &toc,
        })?;
        self.write_front(sink)?;

        sink.heading(2, "Readings by scene and source", Some("matrix"))?;
        super::matrix::write_grid(work, self.opts.voice, sink)?;

        // the charts first: an overview, then the figures they draw
        sink.heading(2, "Agreement", Some("agreement"))?;
        let agreement = self.agreement();
        let n = work.sources.len();
        let drawn = agreement.pairs.is_some() && n <= charts::HEATMAP_MAX_SOURCES;
        let ids: Vec<String> = (work.sources.iter())
            .filter(|_| drawn)
            .map(|s| s.id.clone())
            .collect();
        let rows = agreement.pairs.iter().flat_map(|p| p.rows());
        if let Some(map) = charts::heatmap(&ids, rows) {
            sink.chart(&Chart::Heatmap(map))?;
        } else if agreement.pairs.is_some() && n > charts::HEATMAP_MAX_SOURCES {
            sink.paragraph(&Line::new(vec![Span::styled(
                format!(
                    "The agreement heatmap is drawn for at most {} sources; the pair table below lists every pair.",
                    charts::HEATMAP_MAX_SOURCES
                ),
                Tone::Muted,
            )]))?;
        }
        sink.chart(&Chart::Bars(charts::scene_bars(&agreement)))?;
        // the tables of sources, scenes and pairs grow with the corpus: written a row at a time
        agreement.write_body(1, sink)?;
        drop(agreement); // the scenes that follow are written without it

        self.write_pairs(sink)?;

        sink.heading(2, "Scenes", Some("scenes"))?;
        sink.chart(&Chart::Stances(charts::stances(work, self.opts.voice)))?;
        for scene in self.scenes() {
            let title = format!("{} — {}", scene.scene, scene.title);
            sink.heading(3, &title, Some(&format!("scene-{}", scene.scene)))?;
            scene.write_body(sink)?;
        }
        sink.finish()
    }
}

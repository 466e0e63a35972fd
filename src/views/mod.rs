//! Views: plain structs computed from a validated work, one file per command. A view never
//! prints and never knows the output format; it serialises itself for JSON and describes
//! itself as blocks written to a [`Sink`] for every other format.

use std::io;

use serde::Serialize;

use crate::corpus::{Claim, Stance, Work};
use crate::render::{self, Document, Line, Sink, Span, Tone};

pub mod agreement;
pub mod check;
pub mod compare;
pub mod export;
pub mod list;
pub mod matrix;
pub mod reliability;
pub mod scene;
pub mod show;
pub mod voices;

/// What every view provides.
pub trait View: Serialize {
    fn document(&self) -> Document;

    /// Writes the view to a sink, from `begin` to `finish`. By default it is the document,
    /// block by block; a long report overrides this to write each section as it computes it.
    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        render::write_document(&self.document(), sink)
    }
}

/// A table written to a sink a row at a time, as the rows are made.
pub(crate) fn write_rows(
    columns: &[render::Column],
    rows: impl Iterator<Item = Vec<render::Cell>>,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    sink.table_start(columns)?;
    for row in rows {
        sink.row(row)?;
    }
    sink.table_end()
}

/// A report of figures written to a sink: its `body` block by block, or for a format that
/// holds one table (CSV) its `tidy` table of one figure a row (`agreement`, `reliability`).
pub(crate) fn write_figures(
    title: &str,
    sink: &mut dyn Sink,
    body: impl FnOnce(&mut dyn Sink) -> io::Result<()>,
    tidy: impl FnOnce(&mut dyn Sink) -> io::Result<()>,
) -> io::Result<()> {
    sink.begin(&render::Head {
        title,
        legend: &[],
        uses_legend: false,
        toc: &[],
    })?;
    if sink.data_only() {
        tidy(sink)?;
    } else {
        body(sink)?;
    }
    sink.finish()
}

/// A sequence serialised from an iterator made on demand: JSON writes its items one at a
/// time and never holds them all.
pub(crate) struct Lazy<F>(pub F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// A claim as views show it (docs/json.md): ids resolved to their names, absent fields `null`.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ClaimOut {
    pub reading: String,
    pub stance: crate::corpus::Stance,
    pub summary: Option<String>,
    pub quote: Option<String>,
    /// whose view the claim reports (the person's name); `null` for the source's own
    pub attributed_to: Option<String>,
    /// the person's id; `null` for the source's own voice
    #[serde(default)]
    pub person: Option<String>,
    pub via: Option<String>,
}

impl ClaimOut {
    pub fn of(work: &Work, c: &Claim) -> Self {
        ClaimOut {
            reading: work.readings[c.reading()].id.clone(),
            stance: c.stance,
            summary: c.summary().map(str::to_owned),
            quote: c.quote().map(str::to_owned),
            attributed_to: work.voice_name(c).map(str::to_string),
            person: c.person().map(|p| work.people[p as usize].id.clone()),
            via: c.via().map(str::to_owned),
        }
    }

    /// `— Sean Baker, via IndieWire`: whose view the claim reports and where it was said;
    /// `None` for a claim in the source's own voice with no outlet.
    pub fn attribution(&self) -> Option<String> {
        match (&self.attributed_to, &self.via) {
            (Some(who), Some(via)) => Some(format!("— {who}, via {via}")),
            (Some(who), None) => Some(format!("— {who}")),
            (None, Some(via)) => Some(format!("— via {via}")),
            (None, None) => None,
        }
    }
}

pub fn stance_tone(stance: Stance) -> Tone {
    match stance {
        Stance::Endorses => Tone::Endorses,
        Stance::Considers => Tone::Considers,
        Stance::Rejects => Tone::Rejects,
    }
}

/// `✓ transaction — Sean Baker`: a reading with its stance mark and, when the view is
/// someone else's, whose it is. The compact form, for grids (the matrix, `compare --brief`).
pub fn reading_line(claim: &ClaimOut, legend_index: Option<usize>) -> Line {
    let mut reading = Span::styled(
        format!("{} {}", claim.stance.mark(), claim.reading),
        stance_tone(claim.stance),
    );
    reading.reading = legend_index;
    let mut spans = vec![reading];
    if let Some(who) = &claim.attributed_to {
        spans.push(Span::styled(format!(" — {who}"), Tone::Muted));
    }
    Line::new(spans)
}

/// A claim in full: `✓ Transaction — Sean Baker, via IndieWire`, its summary, and its quote
/// when `quotes` is set. For tables with room for text (`compare`).
pub fn claim_lines(claim: &ClaimOut, legend: &[render::LegendEntry], quotes: bool) -> Vec<Line> {
    let index = legend.iter().position(|l| l.id == claim.reading);
    let label = index.map_or(claim.reading.as_str(), |i| legend[i].label.as_str());
    let mut reading = Span::styled(
        format!("{} {label}", claim.stance.mark()),
        stance_tone(claim.stance),
    );
    reading.reading = index;
    let mut first = vec![reading];
    if let Some(attribution) = claim.attribution() {
        first.push(Span::styled(format!(" {attribution}"), Tone::Muted));
    }
    let mut lines = vec![Line::new(first)];
    if let Some(summary) = &claim.summary {
        lines.push(Line::plain(summary.clone()));
    }
    if quotes && let Some(quote) = &claim.quote {
        lines.push(Line::quote(quote.clone()));
    }
    lines
}

/// The label of a reading id, or the id itself when the legend does not have it.
pub fn label_of<'a>(legend: &'a [render::LegendEntry], id: &'a str) -> &'a str {
    legend
        .iter()
        .find(|l| l.id == id)
        .map_or(id, |l| l.label.as_str())
}

/// The legend of a work's readings, indexed like `Work::readings`.
pub fn legend(work: &Work) -> Vec<crate::render::LegendEntry> {
    work.readings
        .iter()
        .map(|r| crate::render::LegendEntry {
            id: r.id.clone(),
            label: r.label.clone(),
        })
        .collect()
}

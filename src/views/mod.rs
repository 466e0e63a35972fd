//! Views: plain structs computed from a validated work, one file per command. A view never
//! prints and never knows the output format; it serialises itself for JSON and describes
//! itself as a [`Document`] for every other format.

use serde::Serialize;

use crate::corpus::{Claim, Work};
use crate::render::{Document, Line, Span, Tone};

pub mod agreement;
pub mod check;
pub mod compare;
pub mod export;
pub mod list;
pub mod matrix;
pub mod scene;
pub mod voices;

/// What every view provides.
pub trait View: Serialize {
    fn document(&self) -> Document;
}

/// A claim as views show it (SPEC §7): ids resolved to their names, absent fields `null`.
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
            reading: work.readings[c.reading].id.clone(),
            stance: c.stance,
            summary: c.summary.clone(),
            quote: c.quote.clone(),
            attributed_to: work.voice_name(c).map(str::to_string),
            person: c.person.map(|p| work.people[p as usize].id.clone()),
            via: c.via.clone(),
        }
    }
}

/// `✓ transaction — Sean Baker`: a reading with its stance mark and, when the view is
/// someone else's, whose it is.
pub fn reading_line(claim: &ClaimOut, legend_index: Option<usize>) -> Line {
    let tone = match claim.stance {
        crate::corpus::Stance::Endorses => Tone::Endorses,
        crate::corpus::Stance::Considers => Tone::Considers,
        crate::corpus::Stance::Rejects => Tone::Rejects,
    };
    let mut reading = Span::styled(format!("{} {}", claim.stance.mark(), claim.reading), tone);
    reading.reading = legend_index;
    let mut spans = vec![reading];
    if let Some(who) = &claim.attributed_to {
        spans.push(Span::styled(format!(" — {who}"), Tone::Muted));
    }
    Line::new(spans)
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

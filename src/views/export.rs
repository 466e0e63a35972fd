//! `parallax export`: the complete comparison of a work in one file: the matrix, every pair
//! of sources, every scene's readings and the agreement figures. CSV holds one table, so it
//! gets the tidy form instead: one row per claim.

use serde::{Deserialize, Serialize};

use super::agreement::Agreement;
use super::compare::{CompareOptions, Comparison};
use super::matrix::Matrix;
use super::scene::SceneReadings;
use super::{ClaimOut, View};
use crate::corpus::Work;
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};
use crate::voice::Voice;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub work: String,
    pub title: String,
    pub matrix: Matrix,
    /// every pair of sources, in id order (a, b) with a < b
    pub pairs: Vec<Comparison>,
    /// every scene, in narrative order
    pub scenes: Vec<SceneReadings>,
    pub agreement: Agreement,
    /// the claims as tidy rows (also the CSV form)
    pub claims: Vec<ClaimRow>,
}

/// One claim as a tidy row: what pandas, R and DuckDB read directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub work: String,
    pub scene: String,
    pub scene_order: usize,
    pub source: String,
    #[serde(flatten)]
    pub claim: ClaimOut,
}

impl Export {
    pub fn new(work: &Work, voice: Voice) -> Self {
        let opts = CompareOptions {
            voice,
            ..CompareOptions::default()
        };
        let mut pairs = Vec::new();
        for (i, a) in work.sources.iter().enumerate() {
            for b in &work.sources[i + 1..] {
                pairs.push(Comparison::new(work, a, b, &opts));
            }
        }
        let mut claims: Vec<ClaimRow> = work
            .sources
            .iter()
            .flat_map(|s| {
                s.claims
                    .iter()
                    .filter(|c| voice.shows(c))
                    .map(|c| ClaimRow {
                        work: work.id.clone(),
                        scene: work.scenes[c.scene].id.clone(),
                        scene_order: c.scene + 1,
                        source: s.id.clone(),
                        claim: ClaimOut::of(work, c),
                    })
            })
            .collect();
        claims.sort_by_key(|r| r.scene_order); // stable: by source within a scene
        Export {
            work: work.id.clone(),
            title: work.title.clone(),
            matrix: Matrix::new(work, voice),
            pairs,
            scenes: (0..work.scenes.len())
                .map(|i| SceneReadings::new(work, i, voice))
                .collect(),
            agreement: Agreement::new(work, true, voice),
            claims,
        }
    }

    fn claims_table(&self) -> Table {
        let columns = [
            "work",
            "scene",
            "scene_order",
            "source",
            "reading",
            "stance",
            "summary",
            "quote",
            "attributed_to",
            "via",
        ]
        .map(Column::left)
        .to_vec();
        let opt = |s: &Option<String>| Cell::plain(s.clone().unwrap_or_default());
        let rows = self
            .claims
            .iter()
            .map(|c| {
                vec![
                    Cell::plain(c.work.clone()),
                    Cell::plain(c.scene.clone()),
                    Cell::plain(c.scene_order.to_string()),
                    Cell::plain(c.source.clone()),
                    Cell::plain(c.claim.reading.clone()),
                    Cell::plain(c.claim.stance.name()),
                    opt(&c.claim.summary),
                    opt(&c.claim.quote),
                    opt(&c.claim.attributed_to),
                    opt(&c.claim.via),
                ]
            })
            .collect();
        Table { columns, rows }
    }
}

impl View for Export {
    fn document(&self) -> Document {
        let title = format!("{}: how the sources read it", self.title);
        let mut blocks = Vec::new();
        blocks.push(Block::Paragraph(Line::plain(format!(
            "{} sources, {} scenes, {} claims.",
            self.matrix.sources.len(),
            self.matrix.rows.len(),
            self.claims.len()
        ))));

        blocks.push(Block::Heading(2, "Readings by scene and source".into()));
        blocks.extend(self.matrix.document().blocks);

        blocks.push(Block::Heading(2, "Agreement".into()));
        blocks.extend(self.agreement.document().blocks);

        blocks.push(Block::Heading(2, "Pairs of sources".into()));
        if self.pairs.is_empty() {
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                "fewer than two sources: nothing to compare",
                Tone::Muted,
            )])));
        }
        for pair in &self.pairs {
            blocks.push(Block::Heading(
                3,
                format!("{} vs {}", pair.left, pair.right),
            ));
            blocks.extend(pair.document().blocks);
        }

        blocks.push(Block::Heading(2, "Scenes".into()));
        for scene in &self.scenes {
            blocks.push(Block::Heading(
                3,
                format!("{} — {}", scene.scene, scene.title),
            ));
            blocks.extend(scene.document().blocks);
        }
        Document {
            title,
            blocks,
            legend: self.matrix.legend.clone(),
            csv: Some(self.claims_table()),
        }
    }
}

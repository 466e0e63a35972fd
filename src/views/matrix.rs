//! `parallax matrix`: the whole work at a glance, scenes × sources, each cell the source's
//! readings of the scene with their stance marks (reading ids: the grid has no room for
//! labels; the codebook maps them). Sources are rows when they outnumber the scenes. Its CSV
//! is the tidy one of `export`: a row per claim (`export::claims`).

use std::io;

use serde::{Deserialize, Serialize};

use super::{View, legend};
use crate::align::by_scene;
use crate::corpus::{Claim, Stance, Work};
use crate::render::{
    Block, Cell, Column, Document, LegendEntry, Line, Sink, Span, Table, Tone, write_table,
};
use crate::voice::Voice;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixEntry {
    pub reading: String,
    pub stance: Stance,
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub scene: String,
    /// one cell per source, in the order of `Matrix::sources`; an empty cell is silence
    pub cells: Vec<Vec<MatrixEntry>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub work: String,
    pub sources: Vec<String>,
    pub rows: Vec<MatrixRow>,
    #[serde(skip)]
    pub legend: Vec<crate::render::LegendEntry>,
}

impl Matrix {
    pub fn new(work: &Work, voice: Voice) -> Self {
        let mut rows: Vec<MatrixRow> = work
            .scenes
            .iter()
            .map(|s| MatrixRow {
                scene: s.id.clone(),
                cells: vec![Vec::new(); work.sources.len()],
            })
            .collect();
        for (si, source) in work.sources.iter().enumerate() {
            for (scene, claims) in by_scene(source) {
                rows[scene].cells[si] = entries(work, voice, claims);
            }
        }
        Matrix {
            work: work.id.clone(),
            sources: work.sources.iter().map(|s| s.id.clone()).collect(),
            rows,
            legend: legend(work),
        }
    }

    fn cell(&self, entries: &[MatrixEntry]) -> Cell {
        cell(&self.legend, entries)
    }

    /// Whether the grid is shown with sources as rows: when they outnumber the scenes, so
    /// that a corpus of many sources grows downwards rather than sideways.
    pub fn sources_as_rows(&self) -> bool {
        self.sources.len() > self.rows.len()
    }

    /// The grid as shown: scenes as rows and sources as columns, or the other way round
    /// when the sources outnumber the scenes.
    pub fn shown_table(&self) -> Table {
        if self.sources_as_rows() {
            let mut columns = vec![Column::left("source").stub().transposable("scene")];
            columns.extend(self.rows.iter().map(|r| Column::left(r.scene.clone())));
            let rows = self
                .sources
                .iter()
                .enumerate()
                .map(|(si, source)| {
                    let mut row = vec![Cell::plain(source.clone())];
                    row.extend(self.rows.iter().map(|r| self.cell(&r.cells[si])));
                    row
                })
                .collect();
            return Table { columns, rows };
        }
        let mut columns = vec![Column::left("scene").stub().transposable("source")];
        columns.extend(self.sources.iter().map(|s| Column::left(s.clone())));
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![Cell::plain(r.scene.clone())];
                row.extend(r.cells.iter().map(|cell| self.cell(cell)));
                row
            })
            .collect();
        Table { columns, rows }
    }
}

/// A source's entries on a scene: its claims there that the voice shows, one entry for
/// several claims with one reading, stance and voice.
fn entries<'a>(
    work: &Work,
    voice: Voice,
    claims: impl IntoIterator<Item = &'a Claim>,
) -> Vec<MatrixEntry> {
    let mut cell: Vec<MatrixEntry> = Vec::new();
    for c in claims.into_iter().filter(|c| voice.shows(c)) {
        let entry = MatrixEntry {
            reading: work.readings[c.reading()].id.clone(),
            stance: c.stance,
            attributed_to: work.voice_name(c).map(str::to_string),
        };
        if !cell.contains(&entry) {
            cell.push(entry);
        }
    }
    cell
}

/// A cell: the source's readings of the scene, one line each.
fn cell(legend: &[LegendEntry], entries: &[MatrixEntry]) -> Cell {
    if entries.is_empty() {
        // silence is a muted dash, so an empty cell is never mistaken for a missing one
        return Cell::styled("—", Tone::Muted);
    }
    Cell::new(
        entries
            .iter()
            .map(|e| {
                let claim = super::ClaimOut {
                    reading: e.reading.clone(),
                    stance: e.stance,
                    summary: None,
                    quote: None,
                    attributed_to: e.attributed_to.clone(),
                    person: None,
                    via: None,
                };
                super::reading_line(&claim, legend.iter().position(|l| l.id == e.reading))
            })
            .collect(),
    )
}

/// The key under the grid.
fn key() -> Line {
    Line::new(vec![Span::styled(
        "✓ endorses · ? considers · ✗ rejects · — says nothing · “— name”: the view of the person named",
        Tone::Muted,
    )])
}

/// Writes the grid and its key a row at a time, as the report shows it. With sources as
/// rows (a corpus of many sources) each row is made from its source when it is written,
/// so no grid of the whole corpus is ever held.
pub fn write_grid(work: &Work, voice: Voice, sink: &mut dyn Sink) -> io::Result<()> {
    if work.sources.len() <= work.scenes.len() {
        let matrix = Matrix::new(work, voice);
        write_table(&matrix.shown_table(), sink)?;
        return sink.paragraph(&key());
    }
    let legend = legend(work);
    let mut columns = vec![Column::left("source").stub().transposable("scene")];
    columns.extend(work.scenes.iter().map(|s| Column::left(s.id.clone())));
    sink.table_start(&columns)?;
    for source in &work.sources {
        let mut cells = vec![Vec::new(); work.scenes.len()];
        for (scene, claims) in by_scene(source) {
            cells[scene] = entries(work, voice, claims);
        }
        let mut row = vec![Cell::plain(source.id.clone())];
        row.extend(cells.iter().map(|c| cell(&legend, c)));
        sink.row(row)?;
    }
    sink.table_end()?;
    sink.paragraph(&key())
}

impl View for Matrix {
    fn document(&self) -> Document {
        let title = format!("{}: readings by scene and source", self.work);
        let key = key();
        Document {
            title: title.clone(),
            blocks: vec![Block::Table(self.shown_table()), Block::Paragraph(key)],
            legend: self.legend.clone(),
            csv: None,
        }
    }
}

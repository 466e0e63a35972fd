//! `parallax matrix`: the whole work at a glance, scenes × sources, each cell the source's
//! readings of the scene with their stance marks (reading ids: the grid has no room for
//! labels; the codebook maps them). Sources are rows when they outnumber the scenes. Its CSV
//! is the tidy one of `export`: a row per claim (`export::claims`).

use std::io;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

use super::export::claims::Places;
use super::{Lazy, View, legend};
use crate::align::by_scene;
use crate::corpus::{Claim, Stance, Work};
use crate::render::{
    Block, Cell, Column, Document, Head, LegendEntry, Line, Sink, Span, Table, Tone, write_table,
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
        let key = key();
        Document {
            title: format!("{}: readings by scene and source", self.work),
            blocks: vec![Block::Table(self.shown_table()), Block::Paragraph(key)],
            legend: self.legend.clone(),
            csv: None,
        }
    }
}

/// The matrix of a work as `matrix` writes it: the whole [`Matrix`] is never built. Its
/// JSON has the shape of [`Matrix`], written a scene at a time from the corpus (each scene's
/// claims found through [`Places`]); the other formats get the grid a row at a time
/// ([`write_grid`]).
pub struct MatrixView<'w> {
    work: &'w Work,
    voice: Voice,
    places: Places,
}

impl<'w> MatrixView<'w> {
    pub fn new(work: &'w Work, voice: Voice) -> Self {
        MatrixView {
            work,
            voice,
            places: Places::new(work, voice, None),
        }
    }
}

impl Serialize for MatrixView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let work = self.work;
        let mut s = serializer.serialize_struct("Matrix", 3)?;
        s.serialize_field("work", &work.id)?;
        s.serialize_field("sources", &Lazy(|| work.sources.iter().map(|s| &s.id)))?;
        let rows = || (0..work.scenes.len()).map(|scene| RowJson { view: self, scene });
        s.serialize_field("rows", &Lazy(rows))?;
        s.end()
    }
}

/// A scene's row of [`MatrixView`]'s JSON, as a [`MatrixRow`].
struct RowJson<'v, 'w> {
    view: &'v MatrixView<'w>,
    scene: usize,
}

impl Serialize for RowJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let work = self.view.work;
        let places = self.view.places.of_scene(self.scene);
        let cells = || {
            // the scene's claims are by source: each source takes its run of them
            let mut rest = places;
            (0..work.sources.len() as u32).map(move |si| {
                let run = rest.iter().take_while(|(s, _)| *s == si).count();
                let (mine, after) = rest.split_at(run);
                rest = after;
                let claims = &work.sources[si as usize].claims;
                entries(
                    work,
                    self.view.voice,
                    mine.iter().map(|&(_, ci)| &claims[ci as usize]),
                )
            })
        };
        let mut s = serializer.serialize_struct("MatrixRow", 2)?;
        s.serialize_field("scene", &work.scenes[self.scene].id)?;
        s.serialize_field("cells", &Lazy(cells))?;
        s.end()
    }
}

impl View for MatrixView<'_> {
    fn document(&self) -> Document {
        Matrix::new(self.work, self.voice).document()
    }

    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let legend = legend(self.work);
        sink.begin(&Head {
            title: &title(self.work),
            legend: &legend,
            // a cell names its readings in their colours
            uses_legend: !self.places.is_empty(),
            toc: &[],
        })?;
        write_grid(self.work, self.voice, sink)?;
        sink.finish()
    }
}

fn title(work: &Work) -> String {
    format!("{}: readings by scene and source", work.id)
}

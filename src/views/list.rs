//! `parallax list works|sources|coders|scenes|readings`: what the corpus holds, with counts.

use serde::{Deserialize, Serialize};

use crate::corpus::{Corpus, Stance, Work};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};

use super::View;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkRow {
    pub id: String,
    pub title: String,
    pub year: Option<i64>,
    pub scenes: usize,
    pub readings: usize,
    pub sources: usize,
    pub claims: usize,
    /// coders with codings of the work's sources (docs/rules.md#reliability)
    #[serde(default)]
    pub coders: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkList {
    pub works: Vec<WorkRow>,
}

impl WorkList {
    pub fn new(corpus: &Corpus) -> Self {
        WorkList {
            works: corpus
                .works
                .iter()
                .map(|w| WorkRow {
                    id: w.id.clone(),
                    title: w.title.clone(),
                    year: w.year,
                    scenes: w.scenes.len(),
                    readings: w.readings.len(),
                    sources: w.sources.len(),
                    claims: w.claim_count(),
                    coders: w.coders.len(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    pub id: String,
    pub title: String,
    pub kind: Option<crate::corpus::SourceKind>,
    pub claims: usize,
    /// scenes the source speaks of
    pub scenes: usize,
    /// coders with a coding of the source (docs/rules.md#reliability)
    #[serde(default)]
    pub coders: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceList {
    pub work: String,
    pub sources: Vec<SourceRow>,
}

impl SourceList {
    pub fn new(work: &Work) -> Self {
        SourceList {
            work: work.id.clone(),
            sources: work
                .sources
                .iter()
                .map(|s| {
                    let mut scenes: Vec<usize> = s.claims.iter().map(|c| c.scene()).collect();
                    scenes.sort_unstable();
                    scenes.dedup();
                    SourceRow {
                        id: s.id.clone(),
                        title: s.title.clone(),
                        kind: s.kind,
                        claims: s.claims.len(),
                        scenes: scenes.len(),
                        coders: (work.coders.iter())
                            .filter(|c| c.coding(&s.id).is_some())
                            .count(),
                    }
                })
                .collect(),
        }
    }
}

/// One coder and what they coded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoderRow {
    pub coder: String,
    /// the sources they coded, by id
    pub sources: Vec<String>,
    pub claims: usize,
}

/// `list coders`: who coded which sources (docs/rules.md#reliability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoderList {
    pub work: String,
    pub coders: Vec<CoderRow>,
}

impl CoderList {
    pub fn new(work: &Work) -> Self {
        CoderList {
            work: work.id.clone(),
            coders: (work.coders.iter())
                .map(|c| CoderRow {
                    coder: c.id.clone(),
                    sources: c.codings.iter().map(|s| s.id.clone()).collect(),
                    claims: c.codings.iter().map(|s| s.claims.len()).sum(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneRow {
    /// 1-based narrative position
    pub order: usize,
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    /// sources with at least one claim on the scene
    pub sources: usize,
    pub claims: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneList {
    pub work: String,
    pub scenes: Vec<SceneRow>,
}

impl SceneList {
    pub fn new(work: &Work) -> Self {
        let mut sources = vec![0; work.scenes.len()];
        let mut claims = vec![0; work.scenes.len()];
        let mut seen = vec![false; work.scenes.len()];
        for s in &work.sources {
            seen.iter_mut().for_each(|x| *x = false);
            for c in &s.claims {
                claims[c.scene()] += 1;
                if !seen[c.scene()] {
                    seen[c.scene()] = true;
                    sources[c.scene()] += 1;
                }
            }
        }
        SceneList {
            work: work.id.clone(),
            scenes: work
                .scenes
                .iter()
                .enumerate()
                .map(|(i, s)| SceneRow {
                    order: i + 1,
                    id: s.id.clone(),
                    title: s.title.clone(),
                    aliases: s.aliases.clone(),
                    sources: sources[i],
                    claims: claims[i],
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingRow {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    /// the readings it cannot hold together with (either side may declare it)
    pub excludes: Vec<String>,
    /// claims taking the reading, whatever their stance
    pub uses: usize,
    pub endorses: usize,
    pub considers: usize,
    pub rejects: usize,
    /// sources with at least one claim taking the reading
    pub sources: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingList {
    pub work: String,
    pub readings: Vec<ReadingRow>,
}

impl ReadingList {
    pub fn new(work: &Work) -> Self {
        let n = work.readings.len();
        let mut by_stance = vec![[0usize; 3]; n];
        let mut sources = vec![0; n];
        let mut seen = vec![false; n];
        for s in &work.sources {
            seen.iter_mut().for_each(|x| *x = false);
            for c in &s.claims {
                let k = Stance::ALL
                    .iter()
                    .position(|st| *st == c.stance)
                    .unwrap_or(0);
                by_stance[c.reading()][k] += 1;
                if !seen[c.reading()] {
                    seen[c.reading()] = true;
                    sources[c.reading()] += 1;
                }
            }
        }
        ReadingList {
            work: work.id.clone(),
            readings: work
                .readings
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let [endorses, considers, rejects] = by_stance[i];
                    ReadingRow {
                        id: r.id.clone(),
                        label: r.label.clone(),
                        description: r.description.clone(),
                        aliases: r.aliases.clone(),
                        excludes: r
                            .excludes
                            .iter()
                            .map(|&x| work.readings[x].id.clone())
                            .collect(),
                        uses: endorses + considers + rejects,
                        endorses,
                        considers,
                        rejects,
                        sources: sources[i],
                    }
                })
                .collect(),
        }
    }
}

fn table_doc(title: String, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Document {
    Document {
        title: title.clone(),
        blocks: vec![Block::Table(Table { columns, rows })],
        ..Document::default()
    }
}

/// The table CSV writes: one value per cell, a list's items joined by "; ", nothing
/// (not a dash) where there is no value, and no cell of several lines.
fn tidy(columns: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Table {
    Table {
        columns: columns.iter().map(|c| Column::left(*c)).collect(),
        rows: rows
            .map(|row| {
                row.into_iter()
                    .map(|v| Cell::plain(v.split_whitespace().collect::<Vec<_>>().join(" ")))
                    .collect()
            })
            .collect(),
    }
}

/// A list in one cell: `car scene; the encounter`.
fn joined(items: &[String]) -> String {
    items.join("; ")
}

fn num(n: usize) -> Cell {
    Cell::plain(n.to_string())
}

impl View for WorkList {
    fn document(&self) -> Document {
        let rows = self
            .works
            .iter()
            .map(|w| {
                vec![
                    Cell::plain(&w.id),
                    Cell::plain(&w.title),
                    Cell::plain(w.year.map(|y| y.to_string()).unwrap_or_default()),
                    num(w.scenes),
                    num(w.readings),
                    num(w.sources),
                    num(w.claims),
                    num(w.coders),
                ]
            })
            .collect();
        let mut cols = vec![
            Column::left("work"),
            Column::left("title"),
            Column::right("year"),
        ];
        cols.extend(["scenes", "readings", "sources", "claims", "coders"].map(Column::right));
        table_doc("Works".to_string(), cols, rows)
    }
}

impl View for SourceList {
    fn document(&self) -> Document {
        let rows = self
            .sources
            .iter()
            .map(|s| {
                vec![
                    Cell::plain(&s.id),
                    Cell::plain(&s.title),
                    Cell::plain(s.kind.map(|k| k.name()).unwrap_or_default()),
                    num(s.claims),
                    num(s.scenes),
                    num(s.coders),
                ]
            })
            .collect();
        let mut cols = vec![
            Column::left("source"),
            Column::left("title"),
            Column::left("kind"),
        ];
        cols.extend(["claims", "scenes", "coders"].map(Column::right));
        table_doc(format!("Sources of {}", self.work), cols, rows)
    }
}

impl View for CoderList {
    fn document(&self) -> Document {
        let rows = (self.coders.iter())
            .map(|c| {
                vec![
                    Cell::plain(&c.coder),
                    num(c.sources.len()),
                    num(c.claims),
                    // ids hold no spaces: one cell, one line, a tidy CSV
                    Cell::plain(c.sources.join(" ")),
                ]
            })
            .collect();
        let cols = vec![
            Column::left("coder"),
            Column::right("codings"),
            Column::right("claims"),
            Column::left("sources coded"),
        ];
        let mut doc = table_doc(format!("Coders of {}", self.work), cols, rows);
        doc.csv = Some(tidy(
            &["coder", "codings", "claims", "sources"],
            self.coders.iter().map(|c| {
                vec![
                    c.coder.clone(),
                    c.sources.len().to_string(),
                    c.claims.to_string(),
                    joined(&c.sources),
                ]
            }),
        ));
        if self.coders.is_empty() {
            doc.blocks.push(Block::Paragraph(Line::plain(
                "no codings yet: a coder's coding of a source is codings/<coder>/<source>.toml (`parallax new coding SOURCE --coder NAME`)",
            )));
        }
        doc
    }
}

impl View for SceneList {
    fn document(&self) -> Document {
        let rows = self
            .scenes
            .iter()
            .map(|s| {
                vec![
                    num(s.order),
                    Cell::plain(&s.id),
                    Cell::plain(&s.title),
                    Cell::plain(s.aliases.join(", ")),
                    num(s.sources),
                    num(s.claims),
                ]
            })
            .collect();
        let mut cols = vec![
            Column::right("#"),
            Column::left("scene"),
            Column::left("title"),
            Column::left("aliases"),
        ];
        cols.extend(["sources", "claims"].map(Column::right));
        let mut doc = table_doc(format!("Scenes of {}", self.work), cols, rows);
        doc.csv = Some(tidy(
            &["order", "scene", "title", "aliases", "sources", "claims"],
            self.scenes.iter().map(|s| {
                vec![
                    s.order.to_string(),
                    s.id.clone(),
                    s.title.clone(),
                    joined(&s.aliases),
                    s.sources.to_string(),
                    s.claims.to_string(),
                ]
            }),
        ));
        doc
    }
}

impl View for ReadingList {
    fn document(&self) -> Document {
        let rows = self
            .readings
            .iter()
            .map(|r| {
                let mut reading = vec![Line::plain(&r.id), Line::plain(&r.label)];
                if !r.aliases.is_empty() {
                    reading.push(Line::new(vec![Span::styled(
                        format!("also: {}", r.aliases.join(", ")),
                        Tone::Muted,
                    )]));
                }
                let dash = || Cell::styled("—", Tone::Muted);
                vec![
                    Cell::new(reading),
                    r.description.as_ref().map_or_else(dash, Cell::plain),
                    if r.excludes.is_empty() {
                        dash()
                    } else {
                        Cell::new(r.excludes.iter().map(Line::plain).collect())
                    },
                    Cell::plain(format!(
                        "{} (✓{} ?{} ✗{})",
                        r.uses, r.endorses, r.considers, r.rejects
                    )),
                    num(r.sources),
                ]
            })
            .collect();
        let cols = vec![
            Column::left("reading").stub(),
            Column::left("description"),
            Column::left("excludes"),
            Column::left("claims"),
            Column::right("sources"),
        ];
        let mut doc = table_doc(format!("Readings of {}", self.work), cols, rows);
        doc.csv = Some(tidy(
            &[
                "reading",
                "label",
                "description",
                "aliases",
                "excludes",
                "claims",
                "endorses",
                "considers",
                "rejects",
                "sources",
            ],
            self.readings.iter().map(|r| {
                vec![
                    r.id.clone(),
                    r.label.clone(),
                    r.description.clone().unwrap_or_default(),
                    joined(&r.aliases),
                    joined(&r.excludes),
                    r.uses.to_string(),
                    r.endorses.to_string(),
                    r.considers.to_string(),
                    r.rejects.to_string(),
                    r.sources.to_string(),
                ]
            }),
        ));
        doc.blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
            "reading: its id, its label, the aliases claims may use · claims: all, then ✓ endorsing, ? considering, ✗ rejecting it",
            Tone::Muted,
        )])));
        doc
    }
}

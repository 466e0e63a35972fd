//! The front matter of a report: the work, its sources, its codebook and its people, so a
//! reader of the report (or of its JSON) knows what every id stands for.

use std::io;

use serde::{Deserialize, Serialize};

use crate::corpus::{Source, SourceKind, Work};
use crate::render::{Cell, Column, Line, Sink, Span, Table, Tone};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub id: String,
    pub title: String,
    pub kind: Option<SourceKind>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    /// a date, YYYY-MM-DD
    pub published: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadingInfo {
    pub id: String,
    pub label: String,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    /// the readings it cannot hold together with (either side may declare it)
    pub excludes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonInfo {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub aliases: Vec<String>,
}

impl SourceInfo {
    pub fn of(s: &Source) -> Self {
        SourceInfo {
            id: s.id.clone(),
            title: s.title.clone(),
            kind: s.kind,
            author: s.author.clone(),
            publisher: s.publisher.clone(),
            published: s.published.clone(),
            url: s.url.clone(),
        }
    }
}

pub fn sources(work: &Work) -> Vec<SourceInfo> {
    work.sources.iter().map(SourceInfo::of).collect()
}

pub fn codebook(work: &Work) -> Vec<ReadingInfo> {
    work.readings
        .iter()
        .map(|r| ReadingInfo {
            id: r.id.clone(),
            label: r.label.clone(),
            description: r.description.clone(),
            aliases: r.aliases.clone(),
            excludes: r
                .excludes
                .iter()
                .map(|&x| work.readings[x].id.clone())
                .collect(),
        })
        .collect()
}

pub fn people(work: &Work) -> Vec<PersonInfo> {
    work.people
        .iter()
        .map(|p| PersonInfo {
            id: p.id.clone(),
            name: p.name.clone(),
            role: p.role.clone(),
            aliases: p.aliases.clone(),
        })
        .collect()
}

/// What is not known is said to be unknown, the same way everywhere.
fn known(value: Option<&str>) -> Cell {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Cell::plain(v),
        None => Cell::styled("—", Tone::Muted),
    }
}

fn list(items: &[String]) -> Cell {
    if items.is_empty() {
        Cell::styled("—", Tone::Muted)
    } else {
        Cell::plain(items.join(", "))
    }
}

/// `Anora (2024), by Sean Baker.`
pub fn work_line(work: &Work) -> Line {
    let mut spans = vec![Span::styled(work.title.clone(), Tone::Strong)];
    if let Some(year) = work.year {
        spans.push(Span::plain(format!(" ({year})")));
    }
    if !work.creators.is_empty() {
        spans.push(Span::plain(format!(", by {}", work.creators.join(", "))));
    }
    spans.push(Span::plain("."));
    Line::new(spans)
}

/// The sources: id, title, kind, author, publisher, date and web address (a link where the
/// format links, and only for an `http`/`https` address), a row at a time.
pub fn write_sources_table(work: &Work, sink: &mut dyn Sink) -> io::Result<()> {
    sink.table_start(&[
        Column::left("source").stub(),
        Column::left("title"),
        Column::left("kind"),
        Column::left("author"),
        Column::left("publisher"),
        Column::left("date"),
        Column::left("address"),
    ])?;
    for s in &work.sources {
        let url = match s.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Cell::new(vec![Line::new(vec![Span::plain(url).link(url)])]),
            None => Cell::styled("—", Tone::Muted),
        };
        sink.row(vec![
            Cell::plain(&s.id),
            Cell::plain(&s.title),
            known(s.kind.map(SourceKind::name)),
            known(s.author.as_deref()),
            known(s.publisher.as_deref()),
            known(s.published.as_deref()),
            url,
        ])?;
    }
    sink.table_end()
}

/// The codebook: each reading's label (coloured as in the matrix) with the aliases claims
/// may use, its id, description and the readings it excludes.
pub fn codebook_table(codebook: &[ReadingInfo]) -> Table {
    let columns = vec![
        Column::left("label"),
        Column::left("reading"),
        Column::left("description"),
        Column::left("excludes"),
    ];
    let rows = codebook
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut label = vec![Line::new(vec![Span::plain(&r.label).reading(i)])];
            if !r.aliases.is_empty() {
                label.push(Line::new(vec![Span::styled(
                    format!("also: {}", r.aliases.join(", ")),
                    Tone::Muted,
                )]));
            }
            vec![
                Cell::new(label),
                Cell::plain(&r.id),
                known(r.description.as_deref()),
                list(&r.excludes),
            ]
        })
        .collect();
    Table { columns, rows }
}

pub fn people_table(people: &[PersonInfo]) -> Table {
    let columns = vec![
        Column::left("name"),
        Column::left("person"),
        Column::left("role"),
        Column::left("aliases"),
    ];
    let rows = people
        .iter()
        .map(|p| {
            vec![
                Cell::plain(&p.name),
                Cell::plain(&p.id),
                known(p.role.as_deref()),
                list(&p.aliases),
            ]
        })
        .collect();
    Table { columns, rows }
}

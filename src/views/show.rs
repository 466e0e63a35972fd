//! `parallax show source ID`: one source whole. Its metadata, who coded it, and each claim
//! with its scene, reading, stance, voice, summary and quote, and whether the quote is found
//! in the source's archived text. What the other views spread over rows of a grid, this
//! shows in one place, as a reader checking a source against its article wants it.

use serde::{Deserialize, Serialize};

use crate::corpus::{Source, SourceKind, Stance, Work};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};

use super::{View, legend, stance_tone};

/// The source's archived text: the file it names, and whether it was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextStatus {
    /// the file name the source gives (`text = "…"`)
    pub file: String,
    /// whether the file was found in the work's `texts/` folder and read
    pub found: bool,
    /// where it was found, or why it could not be read
    pub note: String,
}

/// What was found of a source's text and its quotes ([`SourceShown::new`]).
#[derive(Debug, Clone, Default)]
pub struct TextCheck {
    pub status: Option<TextStatus>,
    /// for each claim of the source, in file order: whether its quote occurs in the text;
    /// `None` for a claim without a quote, and for every claim when the text was not read
    pub quote_found: Vec<Option<bool>>,
}

/// One claim as `show source` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownClaim {
    pub scene: String,
    pub scene_title: String,
    pub reading: String,
    pub label: String,
    pub stance: Stance,
    /// whose view the claim reports (the person's name); `null` for the source's own
    pub attributed_to: Option<String>,
    /// the person's id; `null` for the source's own voice
    pub person: Option<String>,
    pub via: Option<String>,
    pub summary: Option<String>,
    pub quote: Option<String>,
    /// whether the quote occurs in the source's text; `null` without a quote or a text
    pub quote_found: Option<bool>,
    /// the line of the claim in its file
    pub line: u32,
}

/// `show source ID` (docs/json.md has the JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceShown {
    pub work: String,
    pub source: String,
    /// the coder whose coding is shown (`--coder`); `null` for the work's claim set
    pub coder: Option<String>,
    pub file: String,
    pub title: String,
    pub kind: Option<SourceKind>,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// `null` when the source names no text
    pub text: Option<TextStatus>,
    /// the coders with a coding of the source, by id
    pub coders: Vec<String>,
    /// in the work's scene order, then in file order
    pub claims: Vec<ShownClaim>,
}

impl SourceShown {
    /// `source` is a source of `work` (or, with `coder`, that coder's coding of it); `coders`
    /// are the coders who coded it; `text` what was found of its text.
    pub fn new(
        work: &Work,
        source: &Source,
        coder: Option<&str>,
        coders: Vec<String>,
        text: TextCheck,
    ) -> Self {
        let mut order: Vec<usize> = (0..source.claims.len()).collect();
        order.sort_by_key(|&i| source.claims[i].scene());
        let claims = order
            .into_iter()
            .map(|i| {
                let c = &source.claims[i];
                let (scene, reading) = (&work.scenes[c.scene()], &work.readings[c.reading()]);
                ShownClaim {
                    scene: scene.id.clone(),
                    scene_title: scene.title.clone(),
                    reading: reading.id.clone(),
                    label: reading.label.clone(),
                    stance: c.stance,
                    attributed_to: work.voice_name(c).map(str::to_string),
                    person: c.person().map(|p| work.people[p as usize].id.clone()),
                    via: c.via().map(str::to_string),
                    summary: c.summary().map(str::to_string),
                    quote: c.quote().map(str::to_string),
                    quote_found: text.quote_found.get(i).copied().flatten(),
                    line: c.pos.line,
                }
            })
            .collect();
        SourceShown {
            work: work.id.clone(),
            source: source.id.clone(),
            coder: coder.map(str::to_string),
            file: source.path().display().to_string(),
            title: source.title.clone(),
            kind: source.kind,
            author: source.author.clone(),
            publisher: source.publisher.clone(),
            url: source.url.clone(),
            published: source.published.clone(),
            text: text.status,
            coders,
            claims,
        }
    }

    /// The quotes found in the text, and those looked for.
    fn quotes_found(&self) -> (usize, usize) {
        let looked = self.claims.iter().filter_map(|c| c.quote_found);
        let (mut found, mut all) = (0, 0);
        for f in looked {
            all += 1;
            found += usize::from(f);
        }
        (found, all)
    }

    fn metadata(&self) -> Table {
        let mut rows = Vec::new();
        let mut field = |name: &str, value: Cell| {
            rows.push(vec![Cell::styled(name, Tone::Muted), value]);
        };
        field("title", Cell::styled(&self.title, Tone::Strong));
        field("kind", known(self.kind.map(|k| k.name())));
        field("author", known(self.author.as_deref()));
        field("publisher", known(self.publisher.as_deref()));
        field(
            "url",
            match &self.url {
                Some(url) => Cell::new(vec![Line::new(vec![Span::plain(url).link(url)])]),
                None => known(None),
            },
        );
        field("published", known(self.published.as_deref()));
        field("text", self.text_cell());
        field(
            "coders",
            if self.coders.is_empty() {
                Cell::styled("none", Tone::Muted)
            } else {
                Cell::plain(self.coders.join(", "))
            },
        );
        field("file", Cell::plain(&self.file));
        Table {
            columns: vec![Column::left("field").stub(), Column::left("value")],
            rows,
        }
    }

    fn text_cell(&self) -> Cell {
        let Some(text) = &self.text else {
            return Cell::styled("none named: quotes are not checked", Tone::Muted);
        };
        let (found, all) = self.quotes_found();
        let mut lines = vec![Line::plain(&text.file)];
        // short marks in a tone, the rest plain: formats that draw a tone as a badge
        // (HTML) keep badges small
        if text.found {
            lines.push(Line::new(vec![
                Span::styled("✓ found", Tone::Agree),
                Span::plain(format!(" {}", text.note)),
            ]));
            lines.push(Line::new(vec![Span::styled(
                format!("{found} of {all} quotes occur in it"),
                if found == all {
                    Tone::Agree
                } else {
                    Tone::Conflict
                },
            )]));
        } else {
            lines.push(Line::new(vec![
                Span::styled("✗ not found", Tone::Diverge),
                Span::plain(format!(" ({}): quotes are not checked", text.note)),
            ]));
        }
        Cell::new(lines)
    }

    fn claims_table(&self, work_legend: &[crate::render::LegendEntry]) -> Table {
        let rows = (self.claims.iter())
            .map(|c| {
                let index = work_legend.iter().position(|l| l.id == c.reading);
                let mut reading = Span::styled(
                    format!("{} {}", c.stance.mark(), c.label),
                    stance_tone(c.stance),
                );
                reading.reading = index;
                let mut first = vec![Line::new(vec![reading])];
                if let Some(who) = voice_of(c) {
                    first.push(Line::new(vec![Span::styled(who, Tone::Muted)]));
                }
                let mut claim = Vec::new();
                if let Some(summary) = &c.summary {
                    claim.push(Line::plain(summary));
                }
                if let Some(quote) = &c.quote {
                    claim.push(Line::quote(quote));
                }
                vec![
                    Cell::plain(&c.scene),
                    Cell::new(first),
                    Cell::new(claim),
                    found_cell(c.quote_found),
                ]
            })
            .collect();
        Table {
            columns: vec![
                Column::left("scene").stub(),
                Column::left("reading"),
                Column::left("claim"),
                Column::left("quote"),
            ],
            rows,
        }
    }

    /// The tidy table CSV writes: a row per claim, one value per cell.
    fn csv_table(&self) -> Table {
        let columns = [
            "source",
            "scene",
            "reading",
            "label",
            "stance",
            "attributed_to",
            "via",
            "summary",
            "quote",
            "quote_found",
            "line",
        ]
        .map(Column::left)
        .to_vec();
        let rows = (self.claims.iter())
            .map(|c| {
                let opt = |v: &Option<String>| Cell::plain(v.clone().unwrap_or_default());
                vec![
                    Cell::plain(&self.source),
                    Cell::plain(&c.scene),
                    Cell::plain(&c.reading),
                    Cell::plain(&c.label),
                    Cell::plain(c.stance.name()),
                    opt(&c.attributed_to),
                    opt(&c.via),
                    opt(&c.summary),
                    opt(&c.quote),
                    Cell::plain(match c.quote_found {
                        Some(true) => "yes",
                        Some(false) => "no",
                        None => "",
                    }),
                    Cell::plain(c.line.to_string()),
                ]
            })
            .collect();
        Table { columns, rows }
    }
}

/// `— Sean Baker, via IndieWire interview`: whose view a claim reports and where it was said.
fn voice_of(c: &ShownClaim) -> Option<String> {
    match (&c.attributed_to, &c.via) {
        (Some(who), Some(via)) => Some(format!("— {who}, via {via}")),
        (Some(who), None) => Some(format!("— {who}")),
        (None, Some(via)) => Some(format!("— via {via}")),
        (None, None) => None,
    }
}

fn found_cell(found: Option<bool>) -> Cell {
    match found {
        Some(true) => Cell::styled("✓ found", Tone::Agree),
        Some(false) => Cell::styled("✗ not found", Tone::Conflict),
        None => Cell::empty(),
    }
}

/// What is not known is said to be so, the same way in every format.
fn known(value: Option<&str>) -> Cell {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Cell::plain(v),
        None => Cell::styled("—", Tone::Muted),
    }
}

impl SourceShown {
    /// The document, with the work's reading legend (for formats that colour by reading).
    pub fn document_with(&self, work_legend: Vec<crate::render::LegendEntry>) -> Document {
        let whose = match &self.coder {
            Some(coder) => format!(" (coded by {coder})"),
            None => String::new(),
        };
        let (scenes, claims) = {
            let mut scenes: Vec<&str> = self.claims.iter().map(|c| c.scene.as_str()).collect();
            scenes.dedup();
            (scenes.len(), self.claims.len())
        };
        let mut blocks = vec![Block::Table(self.metadata())];
        blocks.push(Block::Heading(
            2,
            format!(
                "{claims} claim{} on {scenes} scene{}",
                plural(claims),
                plural(scenes)
            ),
        ));
        if self.claims.is_empty() {
            blocks.push(Block::Paragraph(Line::plain("no claims yet")));
        } else {
            blocks.push(Block::Table(self.claims_table(&work_legend)));
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                "✓ endorses · ? considers · ✗ rejects · “— name”: the view of the person named, as the source reports it · quote: whether it occurs in the source's text",
                Tone::Muted,
            )])));
        }
        Document {
            title: format!("{}: {}{whose}", self.work, self.source),
            blocks,
            legend: work_legend,
            csv: Some(self.csv_table()),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The view with its work's legend: what [`View`] renders.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ShowSource {
    pub shown: SourceShown,
    #[serde(skip)]
    pub legend: Vec<crate::render::LegendEntry>,
}

impl ShowSource {
    pub fn new(work: &Work, shown: SourceShown) -> Self {
        ShowSource {
            shown,
            legend: legend(work),
        }
    }
}

impl View for ShowSource {
    fn document(&self) -> Document {
        self.shown.document_with(self.legend.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::corpus::model::Pos;
    use crate::corpus::{Claim, ClaimTexts, Reading, Scene};
    use crate::render::{Format, RenderOptions, render};

    fn work() -> Work {
        let scene = |id: &str| Scene {
            id: id.into(),
            pos: Pos::default(),
            title: format!("The {id}"),
            aliases: vec![],
            description: None,
        };
        let reading = |id: &str| Reading {
            id: id.into(),
            pos: Pos::default(),
            label: id.to_uppercase(),
            description: None,
            aliases: vec![],
            excludes: vec![],
        };
        let mut source = Source::new("critic".into(), Arc::new(PathBuf::from("c/w/sources")));
        source.title = "A =HYPERLINK(\"x\") review".into();
        source.url = Some("https://example.com/a".into());
        let texts = |s, q| ClaimTexts::new(Some(s), q, None, None);
        source.claims = vec![
            Claim::new(
                1,
                0,
                Stance::Endorses,
                Pos { line: 7, column: 1 },
                texts("late", Some("q2")),
            ),
            Claim::new(
                0,
                1,
                Stance::Rejects,
                Pos { line: 3, column: 1 },
                texts("early", Some("q1")),
            ),
            Claim::new(
                0,
                0,
                Stance::Considers,
                Pos { line: 5, column: 1 },
                texts("no quote", None),
            ),
        ];
        Work {
            id: "w".into(),
            dir: PathBuf::from("c/w"),
            title: "W".into(),
            year: None,
            creators: vec![],
            scenes: vec![scene("ring"), scene("kiss")],
            readings: vec![reading("one"), reading("two")],
            people: vec![],
            registry: false,
            sources: vec![source],
            coders: vec![],
        }
    }

    fn shown() -> SourceShown {
        let work = work();
        let text = TextCheck {
            status: Some(TextStatus {
                file: "a.txt".into(),
                found: true,
                note: "c/w/texts/a.txt".into(),
            }),
            quote_found: vec![Some(true), Some(false), None],
        };
        SourceShown::new(&work, &work.sources[0], None, vec!["ana".into()], text)
    }

    #[test]
    fn claims_come_in_scene_order_with_their_own_quote_status() {
        let s = shown();
        let order: Vec<(&str, &str, Option<bool>)> = (s.claims.iter())
            .map(|c| {
                (
                    c.scene.as_str(),
                    c.summary.as_deref().unwrap(),
                    c.quote_found,
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                ("ring", "early", Some(false)),
                ("ring", "no quote", None),
                ("kiss", "late", Some(true)),
            ]
        );
        assert_eq!(s.quotes_found(), (1, 2));
    }

    #[test]
    fn every_format_shows_the_source() {
        let view = ShowSource::new(&work(), shown());
        let doc = view.document();
        for format in [Format::Table, Format::Markdown, Format::Html, Format::Latex] {
            let out = render(&doc, format, &RenderOptions::default());
            for text in ["critic", "early", "q1", "not found"] {
                assert!(out.contains(text), "{format:?} lacks {text}:\n{out}");
            }
            // LaTeX sets the address with break points of its own
            assert!(format == Format::Latex || out.contains("https://example.com/a"));
        }
        let csv = render(&doc, Format::Csv, &RenderOptions::default());
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "source,scene,reading,label,stance,attributed_to,via,summary,quote,quote_found,line"
            )
        );
        assert_eq!(
            lines.next(),
            Some("critic,ring,two,TWO,rejects,,,early,q1,no,3")
        );
        assert_eq!(lines.count(), 2);
    }
}

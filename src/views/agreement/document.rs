//! The agreement view as a [`Document`], for every format but JSON: alpha with its
//! interpretation and bootstrap, then per reading, leaving one source out, per scene and
//! per pair. CSV holds one table, so it gets a tidy one instead: a row per figure.

use super::{Agreement, PairAgreement, SourceList, figure};
use crate::agreement::{Distance, interpret};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};
use crate::views::View;

/// How many source names a table cell lists before it says "and N more".
const NAMES_SHOWN: usize = 6;

fn num(n: usize) -> Cell {
    Cell::plain(n.to_string())
}

fn muted(text: impl Into<String>) -> Block {
    Block::Paragraph(Line::new(vec![Span::styled(text, Tone::Muted)]))
}

impl View for Agreement {
    fn document(&self) -> Document {
        let mut blocks = vec![Block::Paragraph(Line::plain(format!(
            "Krippendorff's alpha over {} sources and {} scenes: {} pairable scenes, n = {} values.",
            self.sources, self.scenes, self.pairable_scenes, self.pairable_values
        )))];
        blocks.push(Block::Table(self.alpha_table()));
        blocks.push(self.interpretation_line());
        blocks.extend(self.warnings.iter().map(|w| {
            Block::Paragraph(Line::new(vec![Span::styled(
                format!("warning: {w}"),
                Tone::Conflict,
            )]))
        }));
        if let Some(b) = &self.bootstrap {
            blocks.push(muted(format!(
                "Bootstrap (Krippendorff's algorithm): {} samples of {} pairs of values each, seed {}; \
                 the 95% interval of the samples' alpha, and the share of samples below 0.667 and 0.800.",
                b.samples, b.pairs_per_sample, b.seed
            )));
        }
        blocks.push(Block::Heading(2, "By reading".into()));
        blocks.push(Block::Table(self.reading_table()));
        blocks.push(muted(
            "alpha (nominal) of the yes-or-no question “does the source endorse this reading here?”, \
             asked of every source that endorses something in a scene",
        ));
        blocks.push(Block::Heading(2, "Leaving one source out".into()));
        blocks.push(Block::Table(self.left_out_table()));
        blocks.push(muted(
            "change: MASI alpha without the source minus alpha with every source; \
             the sources whose coding pulls agreement down come first",
        ));
        blocks.push(Block::Heading(2, "By scene".into()));
        blocks.push(Block::Table(self.scene_table()));
        blocks.push(muted(
            "agreement: mean over pairs of sources of 1 − MASI distance between their endorsed sets",
        ));
        if let Some(pairs) = &self.pairs {
            blocks.push(Block::Heading(2, "By pair of sources".into()));
            blocks.push(Block::Table(pair_table(pairs.rows())));
        }
        Document {
            title: format!("{}: agreement between sources", self.work),
            blocks,
            csv: Some(self.tidy_table()),
            ..Document::default()
        }
    }
}

impl Agreement {
    fn alpha_table(&self) -> Table {
        let notes = [
            "each distinct set of readings is one category",
            "partial credit for overlapping sets (Passonneau 2006)",
            "1 − |A∩B| / |A∪B|",
        ];
        let mut columns = vec![Column::left("distance"), Column::right("alpha")];
        if self.bootstrap.is_some() {
            columns.extend([
                Column::right("95% interval"),
                Column::right("P(alpha < 0.667)"),
                Column::right("P(alpha < 0.800)"),
            ]);
        }
        columns.push(Column::left("meaning"));
        let rows = Distance::ALL
            .into_iter()
            .zip(notes)
            .map(|(d, note)| {
                let mut row = vec![
                    Cell::plain(d.name()),
                    Cell::styled(figure(self.alpha.get(d)), Tone::Strong),
                ];
                if let Some(b) = &self.bootstrap {
                    let i = b.get(d);
                    row.extend([
                        Cell::plain(
                            i.map_or("n/a".into(), |i| format!("{:.3} – {:.3}", i.low, i.high)),
                        ),
                        Cell::plain(figure(i.map(|i| i.q_below_0667))),
                        Cell::plain(figure(i.map(|i| i.q_below_0800))),
                    ]);
                }
                row.push(Cell::styled(note, Tone::Muted));
                row
            })
            .collect();
        Table { columns, rows }
    }

    /// The plain-language line. Where MASI alpha is undefined it gives no verdict at all.
    fn interpretation_line(&self) -> Block {
        let line = match self.interpretation {
            Some(i) => Line::new(vec![
                Span::plain(format!(
                    "Interpretation (MASI alpha = {}): ",
                    figure(self.alpha.masi)
                )),
                Span::styled(i.name(), Tone::Strong),
                Span::plain(format!(
                    " — {} (Krippendorff's thresholds: {:.3} and {:.3}).",
                    i.meaning(),
                    interpret::RELIABLE,
                    interpret::TENTATIVE
                )),
            ]),
            None => Line::new(vec![
                Span::plain("Interpretation: "),
                Span::styled("undefined", Tone::Strong),
                Span::plain(" — MASI alpha is n/a, so there is nothing to judge."),
            ]),
        };
        Block::Paragraph(line)
    }

    fn reading_table(&self) -> Table {
        let rows = self
            .per_reading
            .iter()
            .map(|r| {
                vec![
                    Cell::plain(r.reading.clone()),
                    Cell::styled(figure(r.alpha), Tone::Strong),
                    num(r.pairable_scenes),
                    num(r.n),
                ]
            })
            .collect();
        Table {
            columns: vec![
                Column::left("reading"),
                Column::right("alpha"),
                Column::right("pairable scenes"),
                Column::right("n"),
            ],
            rows,
        }
    }

    fn left_out_table(&self) -> Table {
        let rows = self
            .leave_one_out
            .iter()
            .map(|l| {
                let change = l.change.map_or("n/a".into(), |c| format!("{c:+.3}"));
                vec![
                    Cell::plain(l.source.clone()),
                    Cell::styled(figure(l.masi), Tone::Strong),
                    Cell::plain(change),
                ]
            })
            .collect();
        Table {
            columns: vec![
                Column::left("source"),
                Column::right("alpha without (MASI)"),
                Column::right("change"),
            ],
            rows,
        }
    }

    fn scene_table(&self) -> Table {
        let rows = self
            .per_scene
            .iter()
            .map(|s| {
                let held = if s.values.is_empty() {
                    Cell::styled("no source endorses a reading", Tone::Muted)
                } else {
                    Cell::new(
                        s.values
                            .iter()
                            .map(|v| held_line(&v.readings, &v.sources))
                            .collect(),
                    )
                };
                vec![
                    Cell::plain(s.scene.clone()),
                    num(s.sources),
                    num(s.distinct_values),
                    Cell::styled(figure(s.agreement), Tone::Strong),
                    held,
                ]
            })
            .collect();
        Table {
            columns: vec![
                Column::left("scene"),
                Column::right("sources"),
                Column::right("distinct"),
                Column::right("agreement"),
                Column::left("who endorses what"),
            ],
            rows,
        }
    }

    /// CSV's table: one row per figure, `section,item,measure,value`.
    fn tidy_table(&self) -> Table {
        let mut rows: Vec<[String; 4]> = Vec::new();
        let mut push = |section: &str, item: &str, measure: &str, value: String| {
            rows.push([section.into(), item.into(), measure.into(), value]);
        };
        for d in Distance::ALL {
            push("alpha", d.name(), "alpha", figure(self.alpha.get(d)));
            if let Some(i) = self.bootstrap.as_ref().map(|b| b.get(d)) {
                push("alpha", d.name(), "low", figure(i.map(|i| i.low)));
                push("alpha", d.name(), "high", figure(i.map(|i| i.high)));
                for (name, q) in [
                    ("q_below_0667", i.map(|i| i.q_below_0667)),
                    ("q_below_0800", i.map(|i| i.q_below_0800)),
                ] {
                    push("alpha", d.name(), name, figure(q));
                }
            }
        }
        let verdict = self.interpretation.map_or("undefined", |i| i.name());
        push("interpretation", "masi", "interpretation", verdict.into());
        for w in &self.warnings {
            push("warning", "", "message", w.clone());
        }
        for r in &self.per_reading {
            push("reading", &r.reading, "alpha", figure(r.alpha));
        }
        for l in &self.leave_one_out {
            push("leave-one-out", &l.source, "masi", figure(l.masi));
            push("leave-one-out", &l.source, "change", figure(l.change));
        }
        for s in &self.per_scene {
            push("scene", &s.scene, "agreement", figure(s.agreement));
        }
        Table {
            columns: ["section", "item", "measure", "value"]
                .map(Column::left)
                .to_vec(),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::plain).collect())
                .collect(),
        }
    }
}

/// `✓ transaction + tears — a, b and 3 more`
fn held_line(readings: &[String], sources: &SourceList) -> Line {
    let names: Vec<&str> = sources.iter().take(NAMES_SHOWN).collect();
    let more = sources.len().saturating_sub(NAMES_SHOWN);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Line::new(vec![
        Span::styled(format!("✓ {}", readings.join(" + ")), Tone::Endorses),
        Span::styled(format!(" — {}{more}", names.join(", ")), Tone::Muted),
    ])
}

fn pair_table(rows: impl Iterator<Item = PairAgreement>) -> Table {
    Table {
        columns: pair_columns(),
        rows: rows.map(pair_row).collect(),
    }
}

/// The columns of the table of pairs of sources.
pub fn pair_columns() -> Vec<Column> {
    let mut columns = vec![Column::left("left"), Column::left("right")];
    columns.extend(
        [
            "shared",
            "agree",
            "overlap",
            "diverge",
            "conflict",
            "mean jaccard",
        ]
        .map(Column::right),
    );
    columns
}

/// A row of the table of pairs of sources.
pub fn pair_row(p: PairAgreement) -> Vec<Cell> {
    vec![
        Cell::plain(p.left),
        Cell::plain(p.right),
        num(p.shared_scenes),
        num(p.agree),
        num(p.overlap),
        num(p.diverge),
        num(p.conflict),
        Cell::plain(figure(p.mean_jaccard)),
    ]
}

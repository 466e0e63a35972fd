//! The agreement view for every format but JSON: alpha with its interpretation and
//! bootstrap, then per reading, leaving one source out, per scene and per pair, written to
//! the sink as it is made (the tables of sources, scenes and pairs grow with the corpus).
//! CSV holds one table, so it gets a tidy one instead: a row per figure.

use std::io;

use super::{
    Agreement, AlphaOut, BootstrapOut, LeftOutSource, Resample, SceneAgreement, SourceList, figure,
};
use crate::agreement::Interpretation;
use crate::agreement::{Distance, interpret};
use crate::render::{
    Block, Cell, Collect, Column, Document, Line, Sink, Span, Table, Tone, write_table,
};
use crate::views::{View, write_figures, write_rows};

/// How many source names a table cell lists before it says "and N more".
const NAMES_SHOWN: usize = 6;

fn num(n: usize) -> Cell {
    Cell::plain(n.to_string())
}

fn muted(text: impl Into<String>) -> Line {
    Line::new(vec![Span::styled(text, Tone::Muted)])
}

fn left_out_columns() -> [Column; 3] {
    [
        Column::left("source"),
        Column::right("alpha without (MASI)"),
        Column::right("change"),
    ]
}

fn left_out_row(l: &LeftOutSource) -> Vec<Cell> {
    let change = l.change.map_or("n/a".into(), |c| format!("{c:+.3}"));
    vec![
        Cell::plain(l.source.clone()),
        Cell::styled(figure(l.masi), Tone::Strong),
        Cell::plain(change),
    ]
}

fn scene_columns() -> [Column; 5] {
    [
        Column::left("scene"),
        Column::right("sources"),
        Column::right("distinct"),
        Column::right("agreement"),
        Column::left("who endorses what"),
    ]
}

fn scene_row(s: &SceneAgreement) -> Vec<Cell> {
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
}

impl View for Agreement {
    fn document(&self) -> Document {
        let mut collect = Collect::default();
        // collecting into memory cannot fail
        let _ = self.write_body(0, &mut collect);
        Document {
            title: self.title(),
            blocks: collect.doc.blocks,
            csv: Some(self.tidy_table()),
            ..Document::default()
        }
    }

    /// The document's blocks as they are made: the tables of sources, scenes and pairs
    /// grow with the corpus, so their rows go to the sink one at a time.
    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        write_figures(
            &self.title(),
            sink,
            |sink| self.write_body(0, sink),
            |sink| self.write_tidy(sink),
        )
    }
}

impl Agreement {
    fn title(&self) -> String {
        format!("{}: agreement between sources", self.work)
    }

    /// Everything but the title, headings `demote` levels deeper (a report holds the view
    /// as one of its sections).
    pub fn write_body(&self, demote: u8, sink: &mut dyn Sink) -> io::Result<()> {
        sink.paragraph(&Line::plain(format!(
            "Krippendorff's alpha over {} sources and {} scenes: {} pairable scenes, n = {} values.",
            self.sources, self.scenes, self.pairable_scenes, self.pairable_values
        )))?;
        write_table(&alpha_table(&self.alpha, self.bootstrap.as_ref()), sink)?;
        sink.paragraph(&interpretation_line(self.interpretation, self.alpha.masi))?;
        for w in &self.warnings {
            let text = format!("warning: {w}");
            sink.paragraph(&Line::new(vec![Span::styled(text, Tone::Conflict)]))?;
        }
        if let Some(b) = &self.bootstrap {
            sink.paragraph(&bootstrap_line(b, "scenes"))?;
        }
        sink.heading(2 + demote, "By reading", None)?;
        write_table(&self.reading_table(), sink)?;
        sink.paragraph(&muted(
            "alpha (nominal) of the yes-or-no question “does the source endorse this reading here?”, \
             asked of every source that endorses something in a scene",
        ))?;
        sink.heading(2 + demote, "Leaving one source out", None)?;
        write_rows(
            &left_out_columns(),
            self.leave_one_out.iter().map(left_out_row),
            sink,
        )?;
        sink.paragraph(&muted(
            "change: MASI alpha without the source minus alpha with every source; \
             the sources whose coding pulls agreement down come first",
        ))?;
        sink.heading(2 + demote, "By scene", None)?;
        write_rows(&scene_columns(), self.per_scene.iter().map(scene_row), sink)?;
        sink.paragraph(&muted(
            "agreement: mean over pairs of sources of 1 − MASI distance between their endorsed sets",
        ))?;
        if let Some(pairs) = &self.pairs {
            sink.heading(2 + demote, "By pair of sources", None)?;
            sink.plain_table(&pair_columns(), pairs)?;
        }
        Ok(())
    }
}

/// The table of alpha under each distance, with the bootstrap's figures when there are
/// some: `agreement` and `reliability` show alpha alike.
pub(crate) fn alpha_table(alpha: &AlphaOut, bootstrap: Option<&BootstrapOut>) -> Table {
    let notes = [
        "each distinct set of readings is one category",
        "partial credit for overlapping sets (Passonneau 2006)",
        "1 − |A∩B| / |A∪B|",
    ];
    let mut columns = vec![Column::left("distance"), Column::right("alpha")];
    if bootstrap.is_some() {
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
                Cell::styled(figure(alpha.get(d)), Tone::Strong),
            ];
            if let Some(b) = bootstrap {
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

/// The plain-language line on the MASI alpha. Where it is undefined it gives no verdict.
pub(crate) fn interpretation_line(
    interpretation: Option<Interpretation>,
    masi: Option<f64>,
) -> Line {
    match interpretation {
        Some(i) => Line::new(vec![
            Span::plain(format!("Interpretation (MASI alpha = {}): ", figure(masi))),
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
    }
}

/// What the bootstrap drew, in a sentence; `units` names the units (scenes, units).
pub(crate) fn bootstrap_line(b: &BootstrapOut, units: &str) -> Line {
    let drawn = match b.resample {
        Resample::Pairs => format!(
            "Bootstrap (Krippendorff's algorithm): {} samples of {} pairs of values each, seed {}",
            b.samples, b.pairs_per_sample, b.seed
        ),
        Resample::Units => format!(
            "Bootstrap over {units}: {} samples of {} {units} each, drawn with replacement, seed {}",
            b.samples,
            b.units_per_sample.unwrap_or(0),
            b.seed
        ),
    };
    muted(format!(
        "{drawn}; the 95% interval of the samples' alpha, and the share of samples below 0.667 and 0.800."
    ))
}

/// CSV rows of alpha, the bootstrap and the verdict: `agreement` and `reliability` alike.
pub(crate) fn write_tidy_alpha(
    alpha: &AlphaOut,
    bootstrap: Option<&BootstrapOut>,
    interpretation: Option<Interpretation>,
    warnings: &[String],
    sink: &mut dyn Sink,
) -> io::Result<()> {
    for d in Distance::ALL {
        sink.plain_row(&["alpha", d.name(), "alpha", &figure(alpha.get(d))])?;
        if let Some(i) = bootstrap.map(|b| b.get(d)) {
            for (name, x) in [
                ("low", i.map(|i| i.low)),
                ("high", i.map(|i| i.high)),
                ("q_below_0667", i.map(|i| i.q_below_0667)),
                ("q_below_0800", i.map(|i| i.q_below_0800)),
            ] {
                sink.plain_row(&["alpha", d.name(), name, &figure(x)])?;
            }
        }
    }
    let verdict = interpretation.map_or("undefined", |i| i.name());
    sink.plain_row(&["interpretation", "masi", "interpretation", verdict])?;
    for w in warnings {
        sink.plain_row(&["warning", "", "message", w])?;
    }
    Ok(())
}

impl Agreement {
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

    /// CSV's table: one row per figure, `section,item,measure,value`.
    fn tidy_table(&self) -> Table {
        let mut collect = Collect::default();
        // collecting into memory cannot fail
        let _ = self.write_tidy(&mut collect);
        match collect.doc.blocks.pop() {
            Some(Block::Table(table)) => table,
            _ => Table::default(),
        }
    }

    /// CSV's table, a row at a time.
    fn write_tidy(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.table_start(&["section", "item", "measure", "value"].map(Column::left))?;
        write_tidy_alpha(
            &self.alpha,
            self.bootstrap.as_ref(),
            self.interpretation,
            &self.warnings,
            sink,
        )?;
        for r in &self.per_reading {
            sink.plain_row(&["reading", &r.reading, "alpha", &figure(r.alpha)])?;
        }
        for l in &self.leave_one_out {
            sink.plain_row(&["leave-one-out", &l.source, "masi", &figure(l.masi)])?;
            sink.plain_row(&["leave-one-out", &l.source, "change", &figure(l.change)])?;
        }
        for s in &self.per_scene {
            sink.plain_row(&["scene", &s.scene, "agreement", &figure(s.agreement)])?;
        }
        sink.table_end()
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

/// The columns of the table of pairs of sources.
fn pair_columns() -> Vec<Column> {
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

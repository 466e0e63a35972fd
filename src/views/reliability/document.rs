//! The reliability view for every format but JSON: alpha and its verdict, then per coder,
//! the coders × coders table (a heatmap in HTML), per source, per code, against the claim
//! sets, and every disagreement with each coder's claims. CSV holds one table: a tidy row
//! per figure, and a row per coder's value on each disputed unit.

use std::io;

use super::{CoderValue, Disagreement, Disagreements, Reliability, units::ValueKind};
use crate::render::chart::Heatmap;
use crate::render::{
    Block, Cell, Chart, Collect, Column, Document, LegendEntry, Line, Sink, Span, Tone, write_table,
};
use crate::views::agreement::{
    alpha_table, bootstrap_line, figure, interpretation_line, write_tidy_alpha,
};
use crate::views::{View, claim_lines, write_figures, write_rows};

fn num(n: usize) -> Cell {
    Cell::plain(n.to_string())
}

fn muted(text: impl Into<String>) -> Line {
    Line::new(vec![Span::styled(text, Tone::Muted)])
}

fn strong(x: Option<f64>) -> Cell {
    Cell::styled(figure(x), Tone::Strong)
}

fn change(x: Option<f64>) -> Cell {
    Cell::plain(x.map_or("n/a".into(), |c| format!("{c:+.3}")))
}

/// A value as tables show it: its codes, or ∅ when the coder found nothing.
fn value_text(value: &[String]) -> String {
    if value.is_empty() {
        "∅ (nothing)".to_string()
    } else {
        value.join(" ")
    }
}

impl View for Reliability<'_> {
    fn document(&self) -> Document {
        let mut collect = Collect::default();
        // collecting into memory cannot fail
        let _ = self.write_body(&mut collect);
        let mut tidy = Collect::default();
        let _ = self.write_tidy(&mut tidy);
        Document {
            title: self.title(),
            blocks: collect.doc.blocks,
            csv: tidy.doc.blocks.into_iter().find_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            }),
            ..Document::default()
        }
    }

    fn write(&self, sink: &mut dyn Sink) -> io::Result<()> {
        write_figures(
            &self.title(),
            sink,
            |sink| self.write_body(sink),
            |sink| self.write_tidy(sink),
        )
    }
}

impl Reliability<'_> {
    fn title(&self) -> String {
        format!("{}: reliability of the coding", self.work)
    }

    fn what_is_coded(&self) -> String {
        let voice = match self.voice.as_str() {
            "own" => "the source's own voice".to_string(),
            "all" => "every voice".to_string(),
            person => format!("the voice of {person}"),
        };
        match self.value {
            ValueKind::Readings => {
                format!("the readings each coder records as endorsed, in {voice}")
            }
            ValueKind::Positions => format!(
                "every claim each coder records, in {voice}: stance, reading and whose view it is must agree"
            ),
        }
    }

    fn write_body(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.paragraph(&Line::plain(format!(
            "Krippendorff's alpha between {} coders ({}) over {} sources: {} units (a source's scene where some coder found something), {} pairable, n = {} values.",
            self.coders.len(),
            self.coders.join(", "),
            self.sources,
            self.units,
            self.pairable_units,
            self.pairable_values
        )))?;
        sink.paragraph(&muted(format!(
            "Value: {}. A coder who coded the source and found nothing on a scene has the empty value ∅, which disagrees with any reading.",
            self.what_is_coded()
        )))?;
        write_table(&alpha_table(&self.alpha, self.bootstrap.as_ref()), sink)?;
        sink.paragraph(&interpretation_line(self.interpretation, self.alpha.masi))?;
        for w in &self.warnings {
            sink.paragraph(&Line::new(vec![Span::styled(
                format!("warning: {w}"),
                Tone::Conflict,
            )]))?;
        }
        if let Some(b) = &self.bootstrap {
            sink.paragraph(&bootstrap_line(b, "units"))?;
        }
        self.write_coders(sink)?;
        self.write_pairs(sink)?;
        self.write_sources(sink)?;
        self.write_codes(sink)?;
        self.write_gold(sink)?;
        self.write_disagreements(sink)
    }

    fn write_coders(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.heading(2, "By coder", None)?;
        let columns = [
            Column::left("coder"),
            Column::right("sources"),
            Column::right("alpha without (MASI)"),
            Column::right("change"),
            Column::right("mean agreement"),
        ];
        let rows = self.per_coder.iter().map(|c| {
            vec![
                Cell::plain(c.coder.clone()),
                num(c.sources),
                strong(c.alpha_without),
                change(c.change),
                Cell::plain(figure(c.mean_agreement)),
            ]
        });
        write_rows(&columns, rows, sink)?;
        sink.paragraph(&muted(
            "alpha without: MASI alpha of the other coders; change: that minus alpha with every coder (positive when the coder pulls agreement down); mean agreement: 1 − MASI distance with each other coder, over the units they share",
        ))
    }

    fn write_pairs(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.heading(2, "Coders × coders", None)?;
        let columns = [
            Column::left("coders"),
            Column::right("shared units"),
            Column::right("alpha (MASI)"),
            Column::right("identical"),
            Column::right("agreement"),
        ];
        let rows = self.pairs.iter().map(|p| {
            vec![
                Cell::plain(format!("{} · {}", p.left, p.right)),
                num(p.shared_units),
                strong(p.alpha),
                Cell::plain(figure(p.identical)),
                Cell::plain(figure(p.agreement)),
            ]
        });
        write_rows(&columns, rows, sink)?;
        sink.chart(&Chart::Heatmap(self.heatmap()))?;
        sink.paragraph(&muted(
            "over the units both coded (where both found nothing, left out): identical, the share with the same value; agreement, the mean 1 − MASI distance",
        ))
    }

    /// The coders × coders agreement as a heatmap, in report order.
    fn heatmap(&self) -> Heatmap {
        let n = self.coders.len();
        let mut values = vec![None; n * n];
        for (i, coder) in self.coders.iter().enumerate() {
            let shares = self
                .pairs
                .iter()
                .any(|p| (p.left == *coder || p.right == *coder) && p.shared_units > 0);
            values[i * n + i] = shares.then_some(1.0);
        }
        for p in &self.pairs {
            let i = self.coders.iter().position(|c| *c == p.left);
            let j = self.coders.iter().position(|c| *c == p.right);
            if let (Some(i), Some(j)) = (i, j) {
                values[i * n + j] = p.agreement;
                values[j * n + i] = p.agreement;
            }
        }
        Heatmap {
            title: "Agreement between coders".to_string(),
            caption: "mean 1 − MASI distance over the units two coders share".to_string(),
            labels: self.coders.clone(),
            values,
        }
    }

    fn write_sources(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.heading(2, "By source", None)?;
        let columns = [
            Column::left("source"),
            Column::right("coders"),
            Column::right("units"),
            Column::right("alpha (MASI)"),
            Column::right("agreement"),
        ];
        let rows = self.per_source.iter().map(|s| {
            vec![
                Cell::plain(s.source.clone()),
                num(s.coders),
                num(s.units),
                strong(s.alpha),
                Cell::plain(figure(s.agreement)),
            ]
        });
        write_rows(&columns, rows, sink)?;
        sink.paragraph(&muted(
            "which articles are hard to code: alpha over the source's units, and their mean agreement between coders",
        ))
    }

    fn write_codes(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let (heading, name, question) = match self.value {
            ValueKind::Readings => (
                "By reading",
                "reading",
                "“does the coder record this reading as endorsed here?”",
            ),
            ValueKind::Positions => (
                "By code",
                "code",
                "“does the coder record this stance, reading and voice here?”",
            ),
        };
        sink.heading(2, heading, None)?;
        let columns = [
            Column::left(name),
            Column::right("values coding it"),
            Column::right("alpha"),
        ];
        let rows = self.per_reading.iter().map(|r| {
            vec![
                Cell::plain(r.reading.clone()),
                num(r.coded),
                strong(r.alpha),
            ]
        });
        write_rows(&columns, rows, sink)?;
        sink.paragraph(&muted(format!(
            "alpha (nominal) of the yes-or-no question {question}, asked of every value alpha pairs"
        )))
    }

    fn write_gold(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let Some(gold) = &self.gold else {
            return Ok(());
        };
        sink.heading(2, "Against the claim sets", None)?;
        let columns = [
            Column::left("coder"),
            Column::right("sources"),
            Column::right("units"),
            Column::right("precision"),
            Column::right("recall"),
            Column::right("F1"),
            Column::right("alpha (MASI)"),
        ];
        let rows = gold.iter().map(|g| {
            vec![
                Cell::plain(g.coder.clone()),
                num(g.sources),
                num(g.units),
                Cell::plain(figure(g.precision)),
                Cell::plain(figure(g.recall)),
                strong(g.f1),
                strong(g.alpha),
            ]
        });
        write_rows(&columns, rows, sink)?;
        sink.paragraph(&muted(
            "the work's claim sets (sources/) as the reference, over the sources both coded: precision, the share of the coder's codes on a unit that the reference holds; recall, the share of the reference's that the coder holds",
        ))
    }

    fn write_disagreements(&self, sink: &mut dyn Sink) -> io::Result<()> {
        let Some(disagreements) = &self.disagreements else {
            return Ok(());
        };
        sink.heading(2, "Disagreements", None)?;
        if disagreements.is_empty() {
            return sink.paragraph(&Line::plain(
                "none: on every unit, the coders of the source recorded the same value",
            ));
        }
        sink.paragraph(&Line::plain(format!(
            "{} unit{} where the coders' values differ, with what each coder recorded there:",
            disagreements.len(),
            if disagreements.len() == 1 { "" } else { "s" }
        )))?;
        let columns = [
            Column::left("unit").stub(),
            Column::left("coder"),
            Column::left("value"),
            Column::left("claims"),
        ];
        sink.table_start(&columns)?;
        for d in disagreements.iter() {
            for (i, c) in d.coders.iter().enumerate() {
                sink.row(disagreement_row(&d, c, i == 0, &self.legend, self.quotes))?;
            }
        }
        sink.table_end()?;
        sink.paragraph(&muted(
            "agreement: mean 1 − MASI distance between the coders' values on the unit; claims: every claim of the coding on the scene, counted or not (quotes in every format but the terminal's, there with --quotes)",
        ))
    }

    /// CSV's table: one row per figure, `section,item,measure,value`.
    fn write_tidy(&self, sink: &mut dyn Sink) -> io::Result<()> {
        sink.table_start(&["section", "item", "measure", "value"].map(Column::left))?;
        write_tidy_alpha(
            &self.alpha,
            self.bootstrap.as_ref(),
            self.interpretation,
            &self.warnings,
            sink,
        )?;
        for c in &self.per_coder {
            sink.plain_row(&["coder", &c.coder, "alpha_without", &figure(c.alpha_without)])?;
            sink.plain_row(&["coder", &c.coder, "change", &figure(c.change)])?;
            sink.plain_row(&[
                "coder",
                &c.coder,
                "mean_agreement",
                &figure(c.mean_agreement),
            ])?;
        }
        for p in &self.pairs {
            let item = format!("{} {}", p.left, p.right);
            sink.plain_row(&["pair", &item, "shared_units", &p.shared_units.to_string()])?;
            sink.plain_row(&["pair", &item, "alpha", &figure(p.alpha)])?;
            sink.plain_row(&["pair", &item, "identical", &figure(p.identical)])?;
            sink.plain_row(&["pair", &item, "agreement", &figure(p.agreement)])?;
        }
        for s in &self.per_source {
            sink.plain_row(&["source", &s.source, "units", &s.units.to_string()])?;
            sink.plain_row(&["source", &s.source, "alpha", &figure(s.alpha)])?;
        }
        for r in &self.per_reading {
            sink.plain_row(&["reading", &r.reading, "alpha", &figure(r.alpha)])?;
        }
        for g in self.gold.iter().flatten() {
            for (measure, x) in [
                ("precision", g.precision),
                ("recall", g.recall),
                ("f1", g.f1),
                ("alpha", g.alpha),
            ] {
                sink.plain_row(&["gold", &g.coder, measure, &figure(x)])?;
            }
        }
        for d in self.disagreements.iter().flat_map(Disagreements::iter) {
            let item = format!("{} {}", d.source, d.scene);
            sink.plain_row(&["disagreement", &item, "agreement", &figure(d.agreement)])?;
            for c in &d.coders {
                sink.plain_row(&["disagreement", &item, &c.coder, &c.value.join(" ")])?;
            }
        }
        sink.table_end()
    }
}

/// One coder's row of a disputed unit; the unit is named on its first row.
fn disagreement_row(
    d: &Disagreement,
    c: &CoderValue,
    first: bool,
    legend: &[LegendEntry],
    quotes: bool,
) -> Vec<Cell> {
    let unit = if first {
        Cell::new(vec![
            Line::plain(d.source.clone()),
            Line::plain(d.scene.clone()),
            muted(format!("agreement {}", figure(d.agreement))),
        ])
    } else {
        Cell::plain("")
    };
    let claims = if c.claims.is_empty() {
        Cell::styled("no claim on the scene", Tone::Muted)
    } else {
        let mut lines = Vec::new();
        for (i, claim) in c.claims.iter().enumerate() {
            if i > 0 {
                lines.push(Line::plain(""));
            }
            lines.extend(claim_lines(claim, legend, quotes));
        }
        Cell::new(lines)
    };
    vec![
        unit,
        Cell::plain(c.coder.clone()),
        Cell::plain(value_text(&c.value)),
        claims,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_value_is_shown_as_nothing_found() {
        assert_eq!(value_text(&[]), "∅ (nothing)");
        assert_eq!(value_text(&["a".into(), "b".into()]), "a b");
    }
}

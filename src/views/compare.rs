//! `parallax compare A B`: two sources side by side, a row per scene, with the verdict of
//! docs/rules.md#verdicts. Each side shows its claims in full (stance, reading label, attribution, summary,
//! and the quote where the format has room), or with `--brief` only its readings; `--diff`
//! adds a word diff of what the two say about each reading they share.

use serde::{Deserialize, Serialize};

use super::{ClaimOut, View, claim_lines, label_of, legend, reading_line};
use crate::align::on_scene;
use crate::corpus::{Source, Work};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};
use crate::verdict::{Position, Verdict, verdict};
use crate::voice::Voice;

/// How many scenes got each verdict (docs/json.md `summary`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictCounts {
    pub agree: usize,
    pub overlap: usize,
    pub diverge: usize,
    pub conflict: usize,
    #[serde(rename = "only-left")]
    pub only_left: usize,
    #[serde(rename = "only-right")]
    pub only_right: usize,
}

impl VerdictCounts {
    pub fn add(&mut self, v: Verdict) {
        *self.get_mut(v) += 1;
    }

    pub fn get(&self, v: Verdict) -> usize {
        match v {
            Verdict::Agree => self.agree,
            Verdict::Overlap => self.overlap,
            Verdict::Diverge => self.diverge,
            Verdict::Conflict => self.conflict,
            Verdict::OnlyLeft => self.only_left,
            Verdict::OnlyRight => self.only_right,
        }
    }

    fn get_mut(&mut self, v: Verdict) -> &mut usize {
        match v {
            Verdict::Agree => &mut self.agree,
            Verdict::Overlap => &mut self.overlap,
            Verdict::Diverge => &mut self.diverge,
            Verdict::Conflict => &mut self.conflict,
            Verdict::OnlyLeft => &mut self.only_left,
            Verdict::OnlyRight => &mut self.only_right,
        }
    }

    /// `1 agree · 1 conflict · 3 only-left`, leaving out zeros.
    pub fn describe(&self) -> Vec<Span> {
        let mut spans = Vec::new();
        for v in Verdict::ALL {
            let n = self.get(v);
            if n > 0 {
                if !spans.is_empty() {
                    spans.push(Span::plain(" · "));
                }
                spans.push(Span::styled(format!("{n} {}", v.name()), verdict_tone(v)));
            }
        }
        if spans.is_empty() {
            spans.push(Span::styled("no scene in common", Tone::Muted));
        }
        spans
    }
}

pub fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::Agree => Tone::Agree,
        Verdict::Overlap => Tone::Overlap,
        Verdict::Diverge => Tone::Diverge,
        Verdict::Conflict => Tone::Conflict,
        Verdict::OnlyLeft => Tone::OnlyLeft,
        Verdict::OnlyRight => Tone::OnlyRight,
    }
}

/// One step of a word diff from the left text to the right one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOp {
    /// `equal`, `delete` (only on the left) or `insert` (only on the right)
    pub op: String,
    pub text: String,
}

/// A word diff of what the two sources say about one reading of one scene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingDiff {
    pub reading: String,
    /// what is compared: `quote` when both sources quote on the reading, else `summary`
    /// (a claim without a summary gives its quote)
    pub basis: String,
    pub left: String,
    pub right: String,
    pub ops: Vec<DiffOp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub scene: String,
    pub left: Vec<ClaimOut>,
    pub right: Vec<ClaimOut>,
    /// `null` for a scene neither source speaks of (shown with `--all-scenes`)
    pub verdict: Option<Verdict>,
    /// with `--diff`: one diff per reading both sources speak of on the scene
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<Vec<ReadingDiff>>,
}

/// How a comparison is shown; JSON always holds everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompareStyle {
    /// readings only (marks and ids), the compact table
    pub brief: bool,
    /// quotes under the summaries
    pub quotes: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub work: String,
    pub left: String,
    pub right: String,
    pub rows: Vec<CompareRow>,
    pub summary: VerdictCounts,
    /// the codebook's readings in order, for labels and colouring by reading
    #[serde(skip)]
    pub readings: Vec<crate::render::LegendEntry>,
    #[serde(skip)]
    pub style: CompareStyle,
}

/// What to compare.
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// only these scenes (indices); empty = every scene
    pub scenes: Vec<usize>,
    pub diff: bool,
    pub all_scenes: bool,
    /// whose views make each side's position; claims outside it are not shown
    pub voice: Voice,
    pub style: CompareStyle,
}

impl Comparison {
    pub fn new(work: &Work, left: &Source, right: &Source, opts: &CompareOptions) -> Self {
        let mut rows = Vec::new();
        let mut summary = VerdictCounts::default();
        for (i, scene) in work.scenes.iter().enumerate() {
            let asked = opts.scenes.contains(&i);
            if !opts.scenes.is_empty() && !asked {
                continue;
            }
            let l: Vec<_> = on_scene(left, i).filter(|c| opts.voice.shows(c)).collect();
            let r: Vec<_> = on_scene(right, i).filter(|c| opts.voice.shows(c)).collect();
            let v = verdict(
                &Position::of(l.iter().copied(), opts.voice),
                &Position::of(r.iter().copied(), opts.voice),
                &|a, b| work.excludes(a, b),
            );
            if v.is_none() && !opts.all_scenes && !asked {
                continue;
            }
            if let Some(v) = v {
                summary.add(v);
            }
            let left: Vec<ClaimOut> = l.iter().map(|c| ClaimOut::of(work, c)).collect();
            let right: Vec<ClaimOut> = r.iter().map(|c| ClaimOut::of(work, c)).collect();
            let diff = opts.diff.then(|| reading_diffs(work, &left, &right));
            rows.push(CompareRow {
                scene: scene.id.clone(),
                left,
                right,
                verdict: v,
                diff,
            });
        }
        Comparison {
            work: work.id.clone(),
            left: left.id.clone(),
            right: right.id.clone(),
            rows,
            summary,
            readings: legend(work),
            style: opts.style,
        }
    }

    /// The comparison seen from the other side.
    pub fn mirrored(&self) -> Comparison {
        let flip = |op: &DiffOp| DiffOp {
            op: match op.op.as_str() {
                "delete" => "insert".into(),
                "insert" => "delete".into(),
                o => o.into(),
            },
            text: op.text.clone(),
        };
        Comparison {
            work: self.work.clone(),
            left: self.right.clone(),
            right: self.left.clone(),
            rows: self
                .rows
                .iter()
                .map(|r| CompareRow {
                    scene: r.scene.clone(),
                    left: r.right.clone(),
                    right: r.left.clone(),
                    verdict: r.verdict.map(Verdict::mirror),
                    diff: r.diff.as_ref().map(|diffs| {
                        diffs
                            .iter()
                            .map(|d| ReadingDiff {
                                reading: d.reading.clone(),
                                basis: d.basis.clone(),
                                left: d.right.clone(),
                                right: d.left.clone(),
                                ops: d.ops.iter().map(flip).collect(),
                            })
                            .collect()
                    }),
                })
                .collect(),
            summary: VerdictCounts {
                only_left: self.summary.only_right,
                only_right: self.summary.only_left,
                ..self.summary
            },
            readings: self.readings.clone(),
            style: self.style,
        }
    }

    /// The table of the comparison: a row per scene, each side's claims, the verdict.
    pub fn table(&self) -> Table {
        // no stub column: a terminal too narrow for the table shows each scene as a record
        // (scene, left, right, verdict) rather than parting the verdict from the claims
        let columns = vec![
            Column::left("scene"),
            Column::left(self.left.clone()),
            Column::left(self.right.clone()),
            Column::left("verdict"),
        ];
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::plain(&r.scene),
                    self.side(&r.left),
                    self.side(&r.right),
                    match r.verdict {
                        Some(v) => Cell::styled(v.name(), verdict_tone(v)),
                        None => Cell::styled("—", Tone::Muted),
                    },
                ]
            })
            .collect();
        Table { columns, rows }
    }

    /// One side's claims on a scene: in full (label, attribution, summary, quote) or, brief,
    /// one line per reading, stance and voice.
    fn side(&self, claims: &[ClaimOut]) -> Cell {
        if claims.is_empty() {
            return Cell::styled("—", Tone::Muted);
        }
        let mut lines: Vec<Line> = Vec::new();
        if self.style.brief {
            let index = |id: &str| self.readings.iter().position(|r| r.id == id);
            for line in claims.iter().map(|c| reading_line(c, index(&c.reading))) {
                // several claims of one reading, stance and voice read as one line here
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
        } else {
            for (i, c) in claims.iter().enumerate() {
                if i > 0 {
                    // an empty line between claims: each starts with its reading
                    lines.push(Line::default());
                }
                lines.extend(claim_lines(c, &self.readings, self.style.quotes));
            }
        }
        Cell::new(lines)
    }

    /// The word diffs, a row per scene and reading, when `--diff` asked for them.
    fn diff_table(&self) -> Option<Table> {
        if self.rows.iter().all(|r| r.diff.is_none()) {
            return None;
        }
        let columns = vec![
            Column::left("scene").stub(),
            Column::left("reading"),
            Column::left("compared"),
            Column::left("word diff"),
        ];
        let rows = self
            .rows
            .iter()
            .flat_map(|r| r.diff.iter().flatten().map(move |d| (r, d)))
            .map(|(r, d)| {
                vec![
                    Cell::plain(&r.scene),
                    Cell::plain(label_of(&self.readings, &d.reading)),
                    Cell::styled(
                        if d.basis == "quote" {
                            "quotes"
                        } else {
                            "summaries"
                        },
                        Tone::Muted,
                    ),
                    Cell::new(vec![diff_line(&d.ops)]),
                ]
            })
            .collect();
        Some(Table { columns, rows })
    }
}

/// For each reading both sides speak of (in codebook order), a word diff of what they say.
fn reading_diffs(work: &Work, left: &[ClaimOut], right: &[ClaimOut]) -> Vec<ReadingDiff> {
    let mut out = Vec::new();
    for reading in &work.readings {
        let l: Vec<&ClaimOut> = left.iter().filter(|c| c.reading == reading.id).collect();
        let r: Vec<&ClaimOut> = right.iter().filter(|c| c.reading == reading.id).collect();
        if l.is_empty() || r.is_empty() {
            continue;
        }
        let quotes = |cs: &[&ClaimOut]| -> Vec<String> {
            cs.iter().filter_map(|c| c.quote.clone()).collect()
        };
        let (lq, rq) = (quotes(&l), quotes(&r));
        let (basis, lt, rt) = if !lq.is_empty() && !rq.is_empty() {
            ("quote", lq.join(" "), rq.join(" "))
        } else {
            let summaries = |cs: &[&ClaimOut]| -> String {
                cs.iter()
                    .filter_map(|c| c.summary.clone().or_else(|| c.quote.clone()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            ("summary", summaries(&l), summaries(&r))
        };
        out.push(ReadingDiff {
            reading: reading.id.clone(),
            basis: basis.to_string(),
            ops: word_diff(&lt, &rt),
            left: lt,
            right: rt,
        });
    }
    out
}

/// The diff as text that reads in any format: `[-only left-]` and `{+only right+}`.
pub fn diff_line(ops: &[DiffOp]) -> Line {
    Line::new(
        ops.iter()
            .map(|op| match op.op.as_str() {
                "delete" => Span::styled(format!("[-{}-]", op.text), Tone::Removed),
                "insert" => Span::styled(format!("{{+{}+}}", op.text), Tone::Added),
                _ => Span::plain(op.text.clone()),
            })
            .collect(),
    )
}

/// A word diff of two texts (the quote matcher's: words as white space separates them).
pub fn word_diff(left: &str, right: &str) -> Vec<DiffOp> {
    diff_ops(&crate::quotes::word_diff(left, right))
}

/// A word diff as the views write it: `equal`, `delete` (only on the left) and `insert`
/// (only on the right) runs.
pub fn diff_ops(parts: &[crate::quotes::DiffPart]) -> Vec<DiffOp> {
    use crate::quotes::DiffPart;
    parts
        .iter()
        .map(|p| {
            let (op, text) = match p {
                DiffPart::Same(t) => ("equal", t),
                DiffPart::Removed(t) => ("delete", t),
                DiffPart::Added(t) => ("insert", t),
            };
            DiffOp {
                op: op.into(),
                text: text.clone(),
            }
        })
        .collect()
}

impl Comparison {
    /// The blocks of the comparison without its title: the table, the verdict counts, the
    /// key to attributions, and the word diffs. `export` shows each pair with these.
    pub fn blocks(&self) -> Vec<Block> {
        let mut footer = vec![Span::styled("verdicts: ", Tone::Strong)];
        footer.extend(self.summary.describe());
        let mut blocks = vec![
            Block::Table(self.table()),
            Block::Paragraph(Line::new(footer)),
        ];
        let reported = self
            .rows
            .iter()
            .flat_map(|r| r.left.iter().chain(&r.right))
            .any(|c| c.attributed_to.is_some());
        if reported {
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                "“— name”: the view of the person named, as the source reports it",
                Tone::Muted,
            )])));
        }
        if let Some(diffs) = self.diff_table() {
            blocks.push(Block::Heading(2, "Word differences".into()));
            blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                format!(
                    "for each reading both sources speak of: [-only {}-] {{+only {}+}}; quotes where both quote, else summaries",
                    self.left, self.right
                ),
                Tone::Muted,
            )])));
            if diffs.rows.is_empty() {
                blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
                    "no reading of a scene that both sources speak of",
                    Tone::Muted,
                )])));
            } else {
                blocks.push(Block::Table(diffs));
            }
        }
        blocks
    }
}

impl Comparison {
    /// The comparison as tidy rows, for CSV: one row per claim of either side, with its
    /// scene's verdict.
    fn tidy_table(&self) -> Table {
        let columns = [
            "scene",
            "verdict",
            "side",
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
        let mut rows = Vec::new();
        for r in &self.rows {
            let verdict = r.verdict.map(|v| v.name()).unwrap_or_default();
            for (side, source, claims) in [
                ("left", &self.left, &r.left),
                ("right", &self.right, &r.right),
            ] {
                for c in claims {
                    rows.push(vec![
                        Cell::plain(&r.scene),
                        Cell::plain(verdict),
                        Cell::plain(side),
                        Cell::plain(source),
                        Cell::plain(&c.reading),
                        Cell::plain(c.stance.name()),
                        opt(&c.summary),
                        opt(&c.quote),
                        opt(&c.attributed_to),
                        opt(&c.via),
                    ]);
                }
            }
        }
        Table { columns, rows }
    }
}

impl View for Comparison {
    fn document(&self) -> Document {
        Document {
            title: format!("{}: {} vs {}", self.work, self.left, self.right),
            blocks: self.blocks(),
            legend: self.readings.clone(),
            csv: Some(self.tidy_table()),
        }
    }
}

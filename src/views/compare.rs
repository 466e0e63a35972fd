//! `parallax compare A B`: two sources side by side, a row per scene, with the verdict of
//! SPEC §3 and, on request, a word diff of their summaries.

use serde::{Deserialize, Serialize};

use super::{ClaimOut, View, legend, reading_line};
use crate::align::on_scene;
use crate::corpus::{Source, Work};
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};
use crate::verdict::{Position, Verdict, verdict};
use crate::voice::Voice;

/// How many scenes got each verdict (SPEC §7 `summary`).
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

/// One step of a word diff from the left summary to the right one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffOp {
    /// `equal`, `delete` (only on the left) or `insert` (only on the right)
    pub op: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub scene: String,
    pub left: Vec<ClaimOut>,
    pub right: Vec<ClaimOut>,
    /// `null` for a scene neither source speaks of (shown with `--all-scenes`)
    pub verdict: Option<Verdict>,
    /// with `--diff`, where both sources summarise the scene
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<Vec<DiffOp>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub work: String,
    pub left: String,
    pub right: String,
    pub rows: Vec<CompareRow>,
    pub summary: VerdictCounts,
    /// reading ids in codebook order, for colouring by reading
    #[serde(skip)]
    pub readings: Vec<crate::render::LegendEntry>,
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
            let summaries = |cs: &[&crate::corpus::Claim]| {
                cs.iter()
                    .filter_map(|c| c.summary.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let (ls, rs) = (summaries(&l), summaries(&r));
            let diff = (opts.diff && !ls.is_empty() && !rs.is_empty()).then(|| word_diff(&ls, &rs));
            rows.push(CompareRow {
                scene: scene.id.clone(),
                left: l.iter().map(|c| ClaimOut::of(work, c)).collect(),
                right: r.iter().map(|c| ClaimOut::of(work, c)).collect(),
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
        }
    }

    /// The comparison seen from the other side.
    pub fn mirrored(&self) -> Comparison {
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
                    diff: r.diff.as_ref().map(|d| {
                        d.iter()
                            .map(|op| DiffOp {
                                op: match op.op.as_str() {
                                    "delete" => "insert".into(),
                                    "insert" => "delete".into(),
                                    o => o.into(),
                                },
                                text: op.text.clone(),
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
        }
    }

    /// The table of the comparison, shared with `export`.
    pub fn table(&self) -> Table {
        let with_diff = self.rows.iter().any(|r| r.diff.is_some());
        let mut columns = vec![
            Column::left("scene"),
            Column::left(self.left.clone()),
            Column::left(self.right.clone()),
            Column::left("verdict"),
        ];
        if with_diff {
            columns.push(Column::left("summary diff"));
        }
        let index = |id: &str| self.readings.iter().position(|r| r.id == id);
        let side = |claims: &[ClaimOut]| {
            if claims.is_empty() {
                Cell::styled("—", Tone::Muted)
            } else {
                // several claims of one reading, stance and voice read as one line here
                let mut lines: Vec<Line> = Vec::new();
                for line in claims.iter().map(|c| reading_line(c, index(&c.reading))) {
                    if !lines.contains(&line) {
                        lines.push(line);
                    }
                }
                Cell::new(lines)
            }
        };
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::plain(&r.scene),
                    side(&r.left),
                    side(&r.right),
                    match r.verdict {
                        Some(v) => Cell::styled(v.name(), verdict_tone(v)),
                        None => Cell::styled("—", Tone::Muted),
                    },
                ];
                if with_diff {
                    row.push(match &r.diff {
                        Some(d) => Cell::new(vec![diff_line(d)]),
                        None => Cell::empty(),
                    });
                }
                row
            })
            .collect();
        Table { columns, rows }
    }
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

/// A word-level diff (Unicode word boundaries), adjacent changes of a kind merged.
pub fn word_diff(left: &str, right: &str) -> Vec<DiffOp> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_unicode_words(left, right);
    let mut ops: Vec<DiffOp> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            similar::ChangeTag::Equal => "equal",
            similar::ChangeTag::Delete => "delete",
            similar::ChangeTag::Insert => "insert",
        };
        let text = change.value();
        match ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => ops.push(DiffOp {
                op: op.to_string(),
                text: text.to_string(),
            }),
        }
    }
    ops
}

impl View for Comparison {
    fn document(&self) -> Document {
        let title = format!("{}: {} vs {}", self.work, self.left, self.right);
        let mut footer = vec![Span::styled("verdicts: ", Tone::Strong)];
        footer.extend(self.summary.describe());
        Document {
            title: title.clone(),
            blocks: vec![
                Block::Table(self.table()),
                Block::Paragraph(Line::new(footer)),
            ],
            legend: self.readings.clone(),
            csv: None,
        }
    }
}

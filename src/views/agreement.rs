//! `parallax agreement`: how much the sources agree (SPEC §6): Krippendorff's alpha over
//! the work three ways, each scene's agreement beside the values that make it, and a
//! source × source table of verdict counts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::View;
use crate::agreement::{self, Distance, UnitValues, Value};
use crate::align::by_scene;
use crate::corpus::Work;
use crate::render::{Block, Cell, Column, Document, Line, Span, Table, Tone};
use crate::verdict::{Position, Verdict, verdict};
use crate::voice::Voice;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlphaOut {
    pub nominal: Option<f64>,
    pub masi: Option<f64>,
    pub jaccard: Option<f64>,
}

/// One distinct value of a scene and the sources that hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldValue {
    pub readings: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneAgreement {
    pub scene: String,
    /// sources that endorse at least one reading of the scene
    pub sources: usize,
    pub distinct_values: usize,
    /// mean over pairs of those sources of 1 − MASI distance; `null` under two sources
    pub agreement: Option<f64>,
    /// the disagreement itself: which sources endorse which set of readings, most held first
    pub values: Vec<HeldValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairAgreement {
    pub left: String,
    pub right: String,
    /// scenes both sources speak of
    pub shared_scenes: usize,
    pub agree: usize,
    pub overlap: usize,
    pub diverge: usize,
    pub conflict: usize,
    /// mean Jaccard similarity of the endorsed sets where both endorse something
    pub mean_jaccard: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agreement {
    pub work: String,
    pub sources: usize,
    pub scenes: usize,
    pub pairable_scenes: usize,
    /// n: values in pairable scenes
    pub pairable_values: usize,
    pub alpha: AlphaOut,
    pub per_scene: Vec<SceneAgreement>,
    /// left out with `--no-pairs`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pairs: Option<Vec<PairAgreement>>,
}

impl Agreement {
    pub fn new(work: &Work, with_pairs: bool, voice: Voice) -> Self {
        let positions_of = |s: &crate::corpus::Source| -> Vec<(usize, Position)> {
            by_scene(s)
                .into_iter()
                .map(|(scene, claims)| (scene, Position::of(claims, voice)))
                .filter(|(_, p)| p.spoke)
                .collect()
        };
        // per scene, each distinct endorsed set and who holds it; a source's positions are
        // kept only when the pair table needs them again
        let mut holders: Vec<HashMap<Value, Vec<usize>>> = vec![HashMap::new(); work.scenes.len()];
        let mut positions: Vec<Vec<(usize, Position)>> = Vec::new();
        for (si, source) in work.sources.iter().enumerate() {
            let list = positions_of(source);
            for (scene, p) in &list {
                if !p.endorses.is_empty() {
                    let value: Value = p.endorses.iter().map(|&r| r as u32).collect();
                    holders[*scene].entry(value).or_default().push(si);
                }
            }
            if with_pairs {
                positions.push(list);
            }
        }
        let units: Vec<UnitValues> = holders
            .iter()
            .map(|h| UnitValues {
                values: {
                    let mut v: Vec<(Value, usize)> =
                        h.iter().map(|(k, s)| (k.clone(), s.len())).collect();
                    v.sort();
                    v
                },
            })
            .collect();
        let alpha = agreement::alpha(&units);

        let per_scene = work
            .scenes
            .iter()
            .zip(&units)
            .zip(&holders)
            .map(|((scene, unit), held)| {
                let mut values: Vec<HeldValue> = held
                    .iter()
                    .map(|(value, sources)| HeldValue {
                        readings: value
                            .iter()
                            .map(|&r| work.readings[r as usize].id.clone())
                            .collect(),
                        sources: sources
                            .iter()
                            .map(|&s| work.sources[s].id.clone())
                            .collect(),
                    })
                    .collect();
                values.sort_by(|a, b| {
                    b.sources
                        .len()
                        .cmp(&a.sources.len())
                        .then_with(|| a.readings.cmp(&b.readings))
                });
                SceneAgreement {
                    scene: scene.id.clone(),
                    sources: unit.count(),
                    distinct_values: unit.distinct(),
                    agreement: unit.mean_pairwise_agreement(),
                    values,
                }
            })
            .collect();

        let pairs = with_pairs.then(|| pair_table(work, &positions));
        Agreement {
            work: work.id.clone(),
            sources: work.sources.len(),
            scenes: work.scenes.len(),
            pairable_scenes: alpha.pairable_units,
            pairable_values: alpha.pairable_values,
            alpha: AlphaOut {
                nominal: alpha.nominal,
                masi: alpha.masi,
                jaccard: alpha.jaccard,
            },
            per_scene,
            pairs,
        }
    }
}

fn pair_table(work: &Work, positions: &[Vec<(usize, Position)>]) -> Vec<PairAgreement> {
    let mut out = Vec::new();
    for (i, a) in positions.iter().enumerate() {
        for (j, b) in positions.iter().enumerate().skip(i + 1) {
            let mut row = PairAgreement {
                left: work.sources[i].id.clone(),
                right: work.sources[j].id.clone(),
                shared_scenes: 0,
                agree: 0,
                overlap: 0,
                diverge: 0,
                conflict: 0,
                mean_jaccard: None,
            };
            let (mut jaccard_sum, mut jaccard_n) = (0.0, 0usize);
            // both lists are in scene order: walk them together
            let (mut x, mut y) = (0, 0);
            while x < a.len() && y < b.len() {
                match a[x].0.cmp(&b[y].0) {
                    std::cmp::Ordering::Less => x += 1,
                    std::cmp::Ordering::Greater => y += 1,
                    std::cmp::Ordering::Equal => {
                        let (pa, pb) = (&a[x].1, &b[y].1);
                        row.shared_scenes += 1;
                        match verdict(pa, pb, &|x, y| work.excludes(x, y)) {
                            Some(Verdict::Agree) => row.agree += 1,
                            Some(Verdict::Overlap) => row.overlap += 1,
                            Some(Verdict::Diverge) => row.diverge += 1,
                            Some(Verdict::Conflict) => row.conflict += 1,
                            _ => {}
                        }
                        if !pa.endorses.is_empty() && !pb.endorses.is_empty() {
                            let ea: Vec<u32> = pa.endorses.iter().map(|&r| r as u32).collect();
                            let eb: Vec<u32> = pb.endorses.iter().map(|&r| r as u32).collect();
                            jaccard_sum += 1.0 - Distance::Jaccard.between(&ea, &eb);
                            jaccard_n += 1;
                        }
                        x += 1;
                        y += 1;
                    }
                }
            }
            row.mean_jaccard = (jaccard_n > 0).then(|| jaccard_sum / jaccard_n as f64);
            out.push(row);
        }
    }
    out
}

/// A figure as tables show it: three decimals, or "n/a" where it is undefined.
pub fn figure(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{v:.3}"),
        None => "n/a".to_string(),
    }
}

fn num(n: usize) -> Cell {
    Cell::plain(n.to_string())
}

/// How many source names a table cell lists before it says "and N more".
const NAMES_SHOWN: usize = 6;

impl View for Agreement {
    fn document(&self) -> Document {
        let title = format!("{}: agreement between sources", self.work);
        let mut blocks = Vec::new();
        blocks.push(Block::Paragraph(Line::plain(format!(
            "Krippendorff's alpha over {} sources and {} scenes: {} pairable scenes, n = {} values.",
            self.sources, self.scenes, self.pairable_scenes, self.pairable_values
        ))));
        let alpha_rows = [
            (
                "nominal",
                self.alpha.nominal,
                "each distinct set of readings is one category",
            ),
            (
                "masi",
                self.alpha.masi,
                "partial credit for overlapping sets (Passonneau 2006)",
            ),
            ("jaccard", self.alpha.jaccard, "1 − |A∩B| / |A∪B|"),
        ]
        .into_iter()
        .map(|(name, value, note)| {
            vec![
                Cell::plain(name),
                Cell::styled(figure(value), Tone::Strong),
                Cell::styled(note, Tone::Muted),
            ]
        })
        .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::left("distance"),
                Column::right("alpha"),
                Column::left("meaning"),
            ],
            rows: alpha_rows,
        }));

        blocks.push(Block::Heading(2, "By scene".into()));
        let scene_rows = self
            .per_scene
            .iter()
            .map(|s| {
                let held = if s.values.is_empty() {
                    Cell::styled("no source endorses a reading", Tone::Muted)
                } else {
                    Cell::new(
                        s.values
                            .iter()
                            .map(|v| {
                                let mut names: Vec<&str> = v
                                    .sources
                                    .iter()
                                    .take(NAMES_SHOWN)
                                    .map(String::as_str)
                                    .collect();
                                let more = v.sources.len().saturating_sub(NAMES_SHOWN);
                                let more = if more > 0 {
                                    format!(" and {more} more")
                                } else {
                                    String::new()
                                };
                                names.dedup();
                                Line::new(vec![
                                    Span::styled(
                                        format!("✓ {}", v.readings.join(" + ")),
                                        Tone::Endorses,
                                    ),
                                    Span::styled(
                                        format!(" — {}{more}", names.join(", ")),
                                        Tone::Muted,
                                    ),
                                ])
                            })
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
        blocks.push(Block::Table(Table {
            columns: vec![
                Column::left("scene"),
                Column::right("sources"),
                Column::right("distinct"),
                Column::right("agreement"),
                Column::left("who endorses what"),
            ],
            rows: scene_rows,
        }));
        blocks.push(Block::Paragraph(Line::new(vec![Span::styled(
            "agreement: mean over pairs of sources of 1 − MASI distance between their endorsed sets",
            Tone::Muted,
        )])));

        if let Some(pairs) = &self.pairs {
            blocks.push(Block::Heading(2, "By pair of sources".into()));
            let rows = pairs
                .iter()
                .map(|p| {
                    vec![
                        Cell::plain(p.left.clone()),
                        Cell::plain(p.right.clone()),
                        num(p.shared_scenes),
                        num(p.agree),
                        num(p.overlap),
                        num(p.diverge),
                        num(p.conflict),
                        Cell::plain(figure(p.mean_jaccard)),
                    ]
                })
                .collect();
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
            blocks.push(Block::Table(Table { columns, rows }));
        }
        Document {
            title,
            blocks,
            ..Document::default()
        }
    }
}

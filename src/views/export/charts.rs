//! The figures a report draws: the source × source heatmap (its sources ordered so that
//! similar ones sit together), agreement by scene, and per scene how many sources endorse,
//! consider and reject each reading.

use std::collections::HashSet;

use crate::corpus::{Stance, Work};
use crate::render::chart::{Bar, Bars, Heatmap, StanceGroup, StanceRow, Stances};
use crate::views::agreement::{Agreement, PairAgreement};
use crate::voice::Voice;

/// The most sources a heatmap shows: beyond, its cells are too small to read and its
/// ordering (n³ steps) too slow; the pair table still lists every pair.
pub const HEATMAP_MAX_SOURCES: usize = 200;

/// The heatmap of the pairs' mean Jaccard similarity, `None` without a pair table.
pub fn heatmap(
    sources: &[String],
    pairs: impl IntoIterator<Item = PairAgreement>,
) -> Option<Heatmap> {
    let n = sources.len();
    if !(2..=HEATMAP_MAX_SOURCES).contains(&n) {
        return None;
    }
    let index = |id: &str| sources.binary_search_by(|s| s.as_str().cmp(id)).ok();
    let mut similarity: Vec<Option<f64>> = vec![None; n * n];
    for i in 0..n {
        similarity[i * n + i] = Some(1.0);
    }
    let mut any = false;
    for p in pairs {
        any = true;
        if let (Some(a), Some(b)) = (index(&p.left), index(&p.right)) {
            similarity[a * n + b] = p.mean_jaccard;
            similarity[b * n + a] = p.mean_jaccard;
        }
    }
    if !any {
        return None;
    }
    let order = seriate(n, &similarity);
    let mut values = Vec::with_capacity(n * n);
    for &a in &order {
        for &b in &order {
            values.push(similarity[a * n + b]);
        }
    }
    Some(Heatmap {
        title: "Agreement between sources".into(),
        caption: "Each cell: the mean Jaccard similarity of two sources' endorsed readings over the scenes where both endorse one (1 = the same readings). Sources are ordered by average-linkage clustering, so that sources that read alike sit together. Hatched: no scene where both endorse a reading.".into(),
        labels: order.iter().map(|&i| sources[i].clone()).collect(),
        values,
    })
}

/// An order of `n` items that puts similar ones together: the leaf order of average-linkage
/// hierarchical clustering on the distance 1 − similarity (an undefined similarity counts
/// as distance 1). Ties go to the lowest indices, so the order is the same on every run.
/// Cost: n² memory and about n³ steps, a fraction of a second for five hundred sources.
pub fn seriate(n: usize, similarity: &[Option<f64>]) -> Vec<usize> {
    let mut distance: Vec<f64> = similarity
        .iter()
        .map(|s| 1.0 - s.unwrap_or(0.0).clamp(0.0, 1.0))
        .collect();
    // each live cluster: its members in order, and its size
    let mut clusters: Vec<Option<Vec<usize>>> = (0..n).map(|i| Some(vec![i])).collect();
    let mut live: Vec<usize> = (0..n).collect();
    while live.len() > 1 {
        let mut best = (f64::INFINITY, 0, 0);
        for (x, &a) in live.iter().enumerate() {
            for &b in &live[x + 1..] {
                let d = distance[a * n + b];
                if d < best.0 {
                    best = (d, a, b);
                }
            }
        }
        let (_, a, b) = best;
        let (size_a, size_b) = (
            clusters[a].as_ref().map_or(0, Vec::len) as f64,
            clusters[b].as_ref().map_or(0, Vec::len) as f64,
        );
        for &c in &live {
            if c != a && c != b {
                let d = (distance[a * n + c] * size_a + distance[b * n + c] * size_b)
                    / (size_a + size_b);
                distance[a * n + c] = d;
                distance[c * n + a] = d;
            }
        }
        let merged_b = clusters[b].take().unwrap_or_default();
        if let Some(members) = clusters[a].as_mut() {
            members.extend(merged_b);
        }
        live.retain(|&c| c != b);
    }
    live.first()
        .and_then(|&c| clusters[c].take())
        .unwrap_or_default()
}

/// Agreement by scene, one bar per scene.
pub fn scene_bars(agreement: &Agreement) -> Bars {
    Bars {
        title: "Agreement by scene".into(),
        caption: "Mean over pairs of sources of 1 − MASI distance between their endorsed readings; n/a (hatched) where fewer than two sources endorse a reading.".into(),
        bars: agreement
            .per_scene
            .iter()
            .map(|s| Bar {
                label: s.scene.clone(),
                value: s.agreement,
                note: format!(
                    "({} source{})",
                    s.sources,
                    if s.sources == 1 { "" } else { "s" }
                ),
            })
            .collect(),
    }
}

/// Per scene and reading, how many sources endorse, consider and reject it, in the voice's
/// positions (a view a source only reports is not counted).
pub fn stances(work: &Work, voice: Voice) -> Stances {
    let (scenes, readings) = (work.scenes.len(), work.readings.len());
    // per scene × reading: sources per stance, counted once each
    let mut counts = vec![[0usize; 3]; scenes * readings];
    let mut seen: HashSet<(usize, usize, Stance)> = HashSet::new();
    for source in &work.sources {
        seen.clear();
        for c in source.claims.iter().filter(|c| voice.counts(c)) {
            if seen.insert((c.scene(), c.reading(), c.stance)) {
                let k = match c.stance {
                    Stance::Endorses => 0,
                    Stance::Considers => 1,
                    Stance::Rejects => 2,
                };
                counts[c.scene() * readings + c.reading()][k] += 1;
            }
        }
    }
    let groups = work
        .scenes
        .iter()
        .enumerate()
        .filter_map(|(s, scene)| {
            let rows: Vec<StanceRow> = work
                .readings
                .iter()
                .enumerate()
                .filter_map(|(r, reading)| {
                    let [endorse, consider, reject] = counts[s * readings + r];
                    (endorse + consider + reject > 0).then(|| StanceRow {
                        label: reading.label.clone(),
                        endorse,
                        consider,
                        reject,
                    })
                })
                .collect();
            (!rows.is_empty()).then(|| StanceGroup {
                label: format!("{} — {}", scene.id, scene.title),
                rows,
            })
        })
        .collect();
    Stances {
        title: "Readings by scene".into(),
        caption: "Per scene and reading, the number of sources that endorse it (✓, solid), consider it (?, dotted) and reject it (✗, hatched, to the left), in the sources' own positions.".into(),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seriation_puts_similar_items_together() {
        // items 0 and 2 are alike, 1 and 3 are alike, the two groups differ
        let s = |x: f64| Some(x);
        #[rustfmt::skip]
        let similarity = vec![
            s(1.0), s(0.0), s(0.9), s(0.1),
            s(0.0), s(1.0), s(0.1), s(0.8),
            s(0.9), s(0.1), s(1.0), None,
            s(0.1), s(0.8), None,   s(1.0),
        ];
        let order = seriate(4, &similarity);
        assert_eq!(order, vec![0, 2, 1, 3]);
        assert_eq!(seriate(4, &similarity), order, "the same every time");
        assert_eq!(seriate(1, &[s(1.0)]), vec![0]);
        assert_eq!(seriate(0, &[]), Vec::<usize>::new());
    }

    #[test]
    fn seriation_keeps_every_item_once() {
        let n: usize = 30;
        let similarity: Vec<Option<f64>> = (0..n * n)
            .map(|k| {
                let (a, b) = (k / n, k % n);
                Some(1.0 / (1.0 + (a % 7).abs_diff(b % 7) as f64))
            })
            .collect();
        let mut order = seriate(n, &similarity);
        order.sort_unstable();
        assert_eq!(order, (0..n).collect::<Vec<_>>());
    }
}

//! The closest passage to a quote that does not occur: where in the text it might be
//! (rare words vote), and which run of words there matches it best (an alignment of the
//! quote against each voted place, kept to a band around the expected path when the
//! quote is long, so that the cost grows with the quote's length, not with its square).

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::Haystack;
use super::diff::{DiffPart, ratio, word_diff};
use super::index::{WordHasher, is_unspaced, lower_key, tokenize};

/// How many word positions the closest-passage search may look at. Rare words are taken
/// first; common words (`the`, `and`) would add many positions and little information.
const ANCHOR_BUDGET: usize = 8_000;

/// How many voted places are aligned with the quote.
pub(super) const MAX_CANDIDATES: usize = 16;

/// How many of the best-voted places the candidates are picked from.
const WINDOWS_CONSIDERED: usize = 256;

/// An alignment of a quote with a region of at most this many cells (quote words × region
/// words) covers the whole region; a larger one is kept to a band around the expected path.
/// This is about a 350-word quote.
const FULL_ALIGNMENT_CELLS: usize = 1 << 18;

/// Words on each side of the expected path that a banded alignment also considers: room
/// for that many words inserted or dropped between two of the words that fix the path.
pub(super) const BAND: usize = 48;

/// The passage of a text that comes closest to a quote that does not occur in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    /// The best-matching passage of the original text (trimmed to word boundaries), or
    /// empty if the text or the quote is empty.
    pub passage: String,
    /// 1-based line of the passage start in the original text.
    pub line: usize,
    /// `similar`'s ratio between the normalised quote and passage, 0..=1.
    ///
    /// Over space-separated words, punctuation attached: 1 for equal texts, about 0.9
    /// for one word changed in ten.
    pub ratio: f32,
    /// Word-level diff from quote (old) to passage (new).
    ///
    /// Built from the normalised forms, so folding differences (curly quotes, line
    /// breaks) never show up as changes.
    pub diff: Vec<DiffPart>,
}

impl Closest {
    pub(super) fn nothing() -> Self {
        Closest {
            passage: String::new(),
            line: 1,
            ratio: 0.0,
            diff: Vec::new(),
        }
    }
}

/// Work done by a closest-passage search, for tests that check it stays proportionate.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct AlignWork {
    /// Alignment cells computed, over all candidates.
    pub(super) cells: usize,
}

impl Haystack {
    /// The passage that best matches the normalised quote `q`.
    pub(super) fn closest(&self, q: &str, work: &mut AlignWork) -> Closest {
        if q.is_empty() {
            return Closest::nothing();
        }
        let (start, end) = if self.index.tokens.is_empty() {
            (0, self.norm.len())
        } else {
            let quote = QuoteWords::new(q);
            let n = self.index.tokens.len();
            let m = quote.words.len();
            // Room around a voted start for inserted or dropped words.
            let slack = 2 + m / 2;
            let best = self
                .candidates(q)
                .into_iter()
                .filter_map(|s| {
                    let lo = s.min(n - 1).saturating_sub(slack);
                    let hi = (s + m + slack).min(n);
                    self.best_window(&quote, lo, hi, s.min(n - 1) - lo, work)
                })
                .fold(None, |best: Option<(Score, usize, usize)>, c| match best {
                    Some(b) if b.0 >= c.0 => Some(b),
                    _ => Some(c),
                });
            let (s, e) = best.map_or((0, 1), |(_, s, e)| (s, e));
            self.window_bytes(s, e)
        };
        let passage = &self.norm[start..end];
        if passage.is_empty() {
            return Closest {
                diff: word_diff(q, ""),
                ..Closest::nothing()
            };
        }
        let orig_start = self.map.start(start);
        Closest {
            passage: self.original[orig_start..self.map.end(end)].to_owned(),
            line: 1 + self.newlines.partition_point(|&nl| nl < orig_start),
            ratio: ratio(q, passage),
            diff: word_diff(q, passage),
        }
    }

    /// Word indices where a passage aligned with `q` might start, best first.
    ///
    /// Each occurrence of a quote word `j` at text word `i` votes for a passage starting
    /// at `i - j`; votes within a few words of each other add up (allowing for inserted
    /// or dropped words), each quote word counting once, weighted by its rarity.
    fn candidates(&self, q: &str) -> Vec<usize> {
        let words = tokenize(q);
        let m = words.len();
        let mut key = String::new();
        let mut anchors: Vec<(usize, &[usize])> = words
            .iter()
            .enumerate()
            .filter_map(|(j, w)| {
                let list = self.index.posting_list(&q[w.start..w.end], &mut key)?;
                Some((j, list))
            })
            .collect();
        anchors.sort_by_key(|&(j, list)| (list.len(), j));
        let mut used = 0;
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut weights = vec![0.0f64; m];
        let total = self.index.tokens.len() as f64;
        for (j, list) in anchors {
            if !hits.is_empty() && used + list.len() > ANCHOR_BUDGET {
                break;
            }
            used += list.len();
            weights[j] = (1.0 + total / list.len() as f64).ln();
            hits.extend(list.iter().map(|&i| (i.saturating_sub(j), j)));
        }
        if hits.is_empty() {
            return vec![0];
        }
        hits.sort_unstable_by_key(|&(start, _)| start);
        let tolerance = 2 + m / 8;
        let windows = vote(&hits, &weights, tolerance);
        pick_spread(windows, tolerance + m / 2)
    }

    /// The run of the text's words within `lo..hi` that best matches the quote: an
    /// edit-distance alignment of the whole quote against any part of the region (a
    /// "fitting" alignment), so the edges fall where the match does. `voted` is where in
    /// the region the votes put the quote's first word. `None` if no non-empty run
    /// qualifies (a quote without words).
    fn best_window(
        &self,
        quote: &QuoteWords,
        lo: usize,
        hi: usize,
        voted: usize,
        work: &mut AlignWork,
    ) -> Option<(Score, usize, usize)> {
        let region: Vec<&str> = self.index.tokens[lo..hi]
            .iter()
            .map(|t| &self.norm[t.start..t.end])
            .collect();
        let m = quote.words.len();
        let band = if m.saturating_mul(region.len()) <= FULL_ALIGNMENT_CELLS {
            vec![(1, region.len()); m]
        } else {
            band(m, region.len(), &quote.anchors(&region), voted)
        };
        let (score, start, end) = align(quote, &quote.number(&region), &band, work)?;
        Some((score, lo + start, lo + end))
    }

    /// The normalised byte range of words `s..e`, widened to the surrounding white space
    /// so that punctuation attached to the edge words is part of the passage.
    fn window_bytes(&self, s: usize, e: usize) -> (usize, usize) {
        let start = self.index.tokens[s].start;
        let end = self.index.tokens[e - 1].end;
        let widen = |c: char| !c.is_whitespace() && !is_unspaced(c);
        let before = self.norm[..start]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| widen(c))
            .last()
            .map_or(start, |(i, _)| i);
        let after = self.norm[end..]
            .char_indices()
            .take_while(|&(_, c)| widen(c))
            .last()
            .map_or(end, |(i, c)| end + i + c.len_utf8());
        (before, after)
    }
}

/// Sums the votes `hits` (voted start, quote word; sorted by start) over every run of
/// starts `tolerance` words long, each quote word counting once: (score, first start) per
/// distinct start.
fn vote(hits: &[(usize, usize)], weights: &[f64], tolerance: usize) -> Vec<(f64, usize)> {
    let mut counts = vec![0usize; weights.len()];
    let mut score = 0.0f64;
    let mut right = 0;
    let mut windows: Vec<(f64, usize)> = Vec::with_capacity(hits.len());
    for left in 0..hits.len() {
        while right < hits.len() && hits[right].0 <= hits[left].0 + tolerance {
            let j = hits[right].1;
            if counts[j] == 0 {
                score += weights[j];
            }
            counts[j] += 1;
            right += 1;
        }
        if left == 0 || hits[left - 1].0 != hits[left].0 {
            windows.push((score, hits[left].0));
        }
        let j = hits[left].1;
        counts[j] -= 1;
        if counts[j] == 0 {
            score -= weights[j];
        }
    }
    windows
}

/// The best-scored starts, at most [`MAX_CANDIDATES`], each more than `spacing` words
/// from those picked before it.
fn pick_spread(mut windows: Vec<(f64, usize)>, spacing: usize) -> Vec<usize> {
    // Spaced-out picks come from near the top; sorting all windows would be wasted.
    let by_score = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if windows.len() > WINDOWS_CONSIDERED {
        windows.select_nth_unstable_by(WINDOWS_CONSIDERED, by_score);
        windows.truncate(WINDOWS_CONSIDERED);
    }
    windows.sort_unstable_by(by_score);
    let mut picked: Vec<usize> = Vec::with_capacity(MAX_CANDIDATES);
    for (_, start) in windows {
        if picked.len() == MAX_CANDIDATES {
            break;
        }
        if picked.iter().all(|&p| p.abs_diff(start) > spacing) {
            picked.push(start);
        }
    }
    picked
}

/// A normalised quote's words, numbered so that an alignment compares numbers: each
/// distinct word has an id, and each distinct word once lower-cased a case id.
struct QuoteWords<'q> {
    words: Vec<&'q str>,
    ids: Vec<u32>,
    case_ids: Vec<u32>,
    by_word: HashMap<&'q str, u32, BuildHasherDefault<WordHasher>>,
    by_case: HashMap<String, u32, BuildHasherDefault<WordHasher>>,
    /// The words that occur once in the quote, by position: they can fix where a long
    /// quote's alignment runs.
    unique: HashMap<&'q str, usize, BuildHasherDefault<WordHasher>>,
}

/// The id of a word that is not in the quote.
const ELSEWHERE: u32 = u32::MAX;

impl<'q> QuoteWords<'q> {
    fn new(q: &'q str) -> Self {
        let words: Vec<&str> = tokenize(q).iter().map(|t| &q[t.start..t.end]).collect();
        let mut by_word: HashMap<&str, u32, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut by_case: HashMap<String, u32, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut seen: HashMap<&str, Option<usize>, BuildHasherDefault<WordHasher>> =
            HashMap::default();
        let (mut ids, mut case_ids) = (Vec::with_capacity(words.len()), Vec::new());
        let mut key = String::new();
        for (i, &w) in words.iter().enumerate() {
            let next = u32::try_from(by_word.len()).unwrap_or(ELSEWHERE - 1);
            ids.push(*by_word.entry(w).or_insert(next));
            let lower = lower_key(w, &mut key);
            let next = u32::try_from(by_case.len()).unwrap_or(ELSEWHERE - 1);
            case_ids.push(*by_case.entry(lower.to_owned()).or_insert(next));
            seen.entry(w).and_modify(|e| *e = None).or_insert(Some(i));
        }
        let unique = seen
            .into_iter()
            .filter_map(|(w, i)| Some((w, i?)))
            .collect();
        QuoteWords {
            words,
            ids,
            case_ids,
            by_word,
            by_case,
            unique,
        }
    }

    /// The ids and case ids of a region's words, [`ELSEWHERE`] for words not in the quote.
    fn number(&self, region: &[&str]) -> (Vec<u32>, Vec<u32>) {
        let mut key = String::new();
        region
            .iter()
            .map(|w| {
                let id = self.by_word.get(w).copied().unwrap_or(ELSEWHERE);
                let case = self.by_case.get(lower_key(w, &mut key)).copied();
                (id, case.unwrap_or(ELSEWHERE))
            })
            .unzip()
    }

    /// Pairs (quote index, region index) of words that occur once in the quote and once
    /// in the region: the longest chain of them that is in order in both (as in a
    /// patience diff), less the pairs that agree with neither neighbour.
    fn anchors(&self, region: &[&str]) -> Vec<(usize, usize)> {
        // quote index → (times seen in the region, region index)
        let mut seen: HashMap<usize, (u32, usize), BuildHasherDefault<WordHasher>> =
            HashMap::default();
        for (j, w) in region.iter().enumerate() {
            if let Some(&i) = self.unique.get(w) {
                seen.entry(i).and_modify(|e| e.0 += 1).or_insert((1, j));
            }
        }
        let mut pairs: Vec<(usize, usize)> = seen
            .into_iter()
            .filter(|&(_, (count, _))| count == 1)
            .map(|(i, (_, j))| (i, j))
            .collect();
        pairs.sort_unstable();
        consistent(&longest_increasing(&pairs))
    }
}

/// The longest subsequence of `pairs` (sorted by their first element, all distinct) whose
/// second elements increase too.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index in `pairs` of the smallest second element ending a chain of k + 1
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (p, &(_, j)) in pairs.iter().enumerate() {
        let k = tails.partition_point(|&t| pairs[t].1 < j);
        previous[p] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(p);
        } else {
            tails[k] = p;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(p) = at {
        chain.push(pairs[p]);
        at = previous[p];
    }
    chain.reverse();
    chain
}

/// The anchors of `chain` whose offset (region index less quote index) is within half a
/// band of a neighbour's: a word that the quote shares with some other sentence of the
/// region would otherwise pull the band off the passage. A real insertion or deletion
/// shifts every later anchor alike, so those keep their neighbours.
fn consistent(chain: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if chain.len() < 2 {
        return chain.to_vec();
    }
    let offset = |k: usize| chain[k].1 as isize - chain[k].0 as isize;
    let near = |k: usize, other: usize| offset(k).abs_diff(offset(other)) <= BAND / 2;
    (0..chain.len())
        .filter(|&k| (k > 0 && near(k, k - 1)) || (k + 1 < chain.len() && near(k, k + 1)))
        .map(|k| chain[k])
        .collect()
}

/// For each quote word, the range of alignment columns (1-based region words) its row
/// covers: the path the anchors fix (straight between anchors, diagonal beyond them, or
/// the voted diagonal when there is no anchor), widened by [`BAND`] on each side and to
/// meet the rows before and after it.
fn band(m: usize, r: usize, anchors: &[(usize, usize)], voted: usize) -> Vec<(usize, usize)> {
    let fixed: &[(usize, usize)] = if anchors.is_empty() {
        &[(0, voted)]
    } else {
        anchors
    };
    let (first, last) = (fixed[0], fixed[fixed.len() - 1]);
    let mut centre = Vec::with_capacity(m);
    let mut next = 0;
    for i in 0..m {
        while next + 1 < fixed.len() && fixed[next + 1].0 <= i {
            next += 1;
        }
        let c = if i <= first.0 {
            first.1.saturating_sub(first.0 - i)
        } else if i >= last.0 {
            last.1 + (i - last.0)
        } else {
            let ((i0, j0), (i1, j1)) = (fixed[next], fixed[next + 1]);
            j0 + (j1 - j0) * (i - i0) / (i1 - i0)
        };
        centre.push(c.min(r.saturating_sub(1)));
    }
    (0..m)
        .map(|i| {
            let low = centre[i].min(centre[i.saturating_sub(1)]);
            let high = centre[i].max(centre[(i + 1).min(m - 1)]);
            (low.saturating_sub(BAND) + 1, (high + BAND + 1).min(r))
        })
        .collect()
}

/// How well a window of the text matches a quote, better when greater: the lowest
/// edit cost, then the most words matched, then a length closest to the quote's.
///
/// An edit distance, unlike a diff ratio, counts a replaced word as one change rather
/// than a removal plus an addition, so the best window keeps the word that differs
/// (`when she cries` against `when she laughs`, not `when she`) and does not pad itself
/// with unrelated words.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Score {
    cost: Reverse<f32>,
    matched: usize,
    fit: Reverse<usize>,
}

/// A partial alignment in [`align`]. Inserting, deleting or replacing a word costs 1;
/// replacing it with the same word in another case costs 0.5.
#[derive(Debug, Clone, Copy)]
struct Cell {
    cost: f32,
    matched: usize,
    start: usize,
}

impl Cell {
    /// Outside the band: no alignment reaches it.
    const NONE: Cell = Cell {
        cost: f32::INFINITY,
        matched: 0,
        start: 0,
    };

    /// Lower cost, then more words matched, then a tighter window.
    fn better_than(&self, other: &Cell) -> bool {
        if self.cost != other.cost {
            self.cost < other.cost
        } else if self.matched != other.matched {
            self.matched > other.matched
        } else {
            self.start > other.start
        }
    }

    fn plus(self, cost: f32) -> Cell {
        Cell {
            cost: self.cost + cost,
            ..self
        }
    }
}

/// Row `index` of an alignment (after `index` quote words): the cells of columns
/// `first..first + cells.len()`. Column 0, before any region word, is reached only by
/// dropping every quote word so far; other columns outside the row are [`Cell::NONE`].
struct Row {
    index: usize,
    first: usize,
    cells: Vec<Cell>,
}

impl Row {
    fn get(&self, column: usize) -> Cell {
        if let Some(&cell) = column
            .checked_sub(self.first)
            .and_then(|k| self.cells.get(k))
        {
            return cell;
        }
        if column == 0 {
            return Cell {
                cost: self.index as f32,
                matched: 0,
                start: 0,
            };
        }
        Cell::NONE
    }
}

/// The fitting alignment of the quote against a region (its words' ids and case ids, as
/// [`QuoteWords::number`] gives them), row `i + 1` (quote word `i`) over the columns
/// `band[i]` only: the best (score, start, end) as region word indices.
fn align(
    quote: &QuoteWords,
    (ids, case_ids): &(Vec<u32>, Vec<u32>),
    band: &[(usize, usize)],
    work: &mut AlignWork,
) -> Option<(Score, usize, usize)> {
    let m = quote.ids.len();
    // Row 0: aligning nothing, starting anywhere, costs nothing.
    let mut previous = Row {
        index: 0,
        first: 0,
        cells: (0..=ids.len())
            .map(|j| Cell {
                cost: 0.0,
                matched: 0,
                start: j,
            })
            .collect(),
    };
    for (i, &(a, b)) in band.iter().enumerate() {
        let (q, q_case) = (quote.ids[i], quote.case_ids[i]);
        let mut row = Row {
            index: i + 1,
            first: a,
            cells: Vec::with_capacity(b + 1 - a),
        };
        let mut left = row.get(a - 1);
        for j in a..=b {
            let d = previous.get(j - 1);
            let diagonal = if q == ids[j - 1] {
                Cell {
                    matched: d.matched + 1,
                    ..d
                }
            } else if q_case == case_ids[j - 1] {
                d.plus(0.5)
            } else {
                d.plus(1.0)
            };
            let mut cell = diagonal;
            let inserted = left.plus(1.0);
            if inserted.better_than(&cell) {
                cell = inserted;
            }
            let dropped = previous.get(j).plus(1.0);
            if dropped.better_than(&cell) {
                cell = dropped;
            }
            row.cells.push(cell);
            left = cell;
        }
        work.cells += b + 1 - a;
        previous = row;
    }
    let mut best: Option<(Score, usize, usize)> = None;
    for (k, end) in previous.cells.iter().enumerate() {
        let j = previous.first + k;
        if end.cost.is_finite() && end.start < j {
            let score = Score {
                cost: Reverse(end.cost),
                matched: end.matched,
                fit: Reverse(m.abs_diff(j - end.start)),
            };
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, end.start, j));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::tests::{Rng, prose};

    /// Within its band, the alignment of a long quote with a region finds what the full
    /// alignment finds, despite changed, dropped and inserted words.
    #[test]
    fn banded_alignment_agrees_with_the_full_one() {
        let text = prose(5, 3_000);
        let words: Vec<&str> = text.split(' ').collect();
        let region = &words[1_000..1_500];
        let mut rng = Rng(6);
        for round in 0..5 {
            let from = 100 + rng.below(100);
            let mut quote: Vec<&str> = region[from..from + 250].to_vec();
            for _ in 0..12 {
                let i = rng.below(quote.len());
                quote[i] = "zebra";
            }
            let cut = rng.below(230);
            quote.drain(cut..cut + 2 + rng.below(12));
            let at = rng.below(quote.len());
            for _ in 0..rng.below(10) {
                quote.insert(at, words[rng.below(words.len())]);
            }
            let q = quote.join(" ");
            let quote = QuoteWords::new(&q);
            let numbered = quote.number(region);
            let m = quote.words.len();
            let full = vec![(1, region.len()); m];
            let banded = band(m, region.len(), &quote.anchors(region), from);
            let mut work = AlignWork::default();
            let expected = align(&quote, &numbered, &full, &mut AlignWork::default());
            assert_eq!(
                align(&quote, &numbered, &banded, &mut work),
                expected,
                "round {round}"
            );
            assert!(work.cells < m * (2 * BAND + 10), "{work:?}");
        }
    }

    #[test]
    fn longest_chain_of_pairs_in_order() {
        let pairs = [(0, 5), (1, 1), (2, 2), (3, 9), (4, 3), (5, 4), (6, 0)];
        assert_eq!(longest_increasing(&pairs), [(1, 1), (2, 2), (4, 3), (5, 4)]);
        assert_eq!(longest_increasing(&[]), []);
    }
}

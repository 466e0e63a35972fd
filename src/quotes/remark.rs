//! Remark matching (SPEC §3.1): among the quotes that different sources attribute to one
//! person, the pairs that are one remark worded differently. Pure: the caller gives the
//! quotes (with the reporting source as a group number and the outlet), [`same_remarks`]
//! gives the pairs.
//!
//! # Classes
//!
//! Quotes of one group (one reporting source) are never paired. A pair is:
//!
//! * `same` when the two are equal after the folding of SPEC §5 (case is kept). Of k equal
//!   quotes, each is paired with the first of them from another source, so they make
//!   fewer than k pairs rather than k²/2.
//! * `excerpt` when the shorter, of at least [`EXCERPT_MIN_WORDS`] words, occurs within the
//!   longer by the rules of quote checking, ellipses included; the case of its first letter
//!   does not count (a quoter capitalises an excerpt that starts a sentence of their own).
//! * `reworded` when the two share at least [`REWORDED_MIN_SHARED`] key words in the same
//!   order and their similarity reaches the threshold below.
//!
//! # Similarity
//!
//! A quote's *key words* are its folded, lower-cased words less two kinds of words that
//! two different remarks share all the time: English function words (articles, pronouns,
//! auxiliaries, prepositions, conjunctions, and the `s` and `t` that contractions leave),
//! and the person's recurring topics (words held by more than [`COMMON_MIN_QUOTES`] of the
//! quotes and by more than one in [`COMMON_SHARE`]; with few quotes, none is). A quote of
//! function words only keeps them all. The similarity of two quotes A and B is
//!
//! ```text
//! 2 × LCS(A, B) / (|A| + |B|)
//! ```
//!
//! over their key words, LCS being the longest run of key words the two have in common in
//! the same order (not necessarily adjacent): the share of their key words they have in
//! common, 1 for the same key words in the same order, 0 for none in common (and 1 for
//! `same` pairs). It is reported for every pair.
//!
//! # Thresholds
//!
//! | outlets (`via`, folded for case and space) | `reworded` when similarity ≥ |
//! |---|---|
//! | the same | [`REWORDED_SAME_OUTLET`] = 0.25 |
//! | different, or one or both unknown | [`REWORDED_OTHER_OUTLET`] = 0.5 |
//!
//! An outlet that rewords a remark often keeps well under half its words, so quotes through
//! one outlet are held to less. The figures come from the examples in the tests:
//!
//! * Sean Baker to IndieWire, in one source's words and in seed 001's ("I see the sex as
//!   being about her…" / "I perceive (the sex) as being about her…"): 0.67, a pair with or
//!   without a common outlet.
//! * His remark to Entertainment Weekly and a retelling that keeps fewer than half of its
//!   words ("I wanted to flip it on its head…" / "My idea was to upend the genre…"): 0.29,
//!   a pair only through the same outlet.
//! * Two remarks of Mikey Madison's to Interview Magazine, both on the final scene: 0.17,
//!   not a pair.
//! * Taken as one person's quotes through one outlet, the 98 sentences of the two seed
//!   articles, all about one film, make 2 pairs of 4,753: a photo caption and its longer
//!   repeat (`excerpt`), and a sentence on the Oscars retold by the other article
//!   (`reworded`, 0.29).
//!
//! A quote of fewer than four words pairs only when equal: "I love it." pairs with no
//! quote that merely contains those words.
//!
//! # Cost
//!
//! Quotes are not compared pair by pair. An inverted index maps each key word to the
//! quotes holding it (one quote of each source's equal quotes). Each quote probes its
//! rarest key words, rarest first, as long as they fit in a budget of postings, and is
//! compared only with the few quotes of other sources that share the most of them: at most
//! a fixed number of comparisons per quote ([`RemarkStats`] counts them). A comparison
//! costs |A| × |B| / 64 steps (a bit-parallel LCS); the elision-aware search runs only when
//! every key word of the shorter quote occurs, in order, in the longer.
//!
//! Not covered: a short reworded fragment of a long remark scores low, since the
//! similarity counts the words of both quotes; the function words are English ones, so
//! quotes in other languages are compared on all their words but their topics.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize};

use super::Haystack;
use super::diff::{DiffPart, word_diff};
use super::fold::normalize;
use super::index::{WordHasher, tokenize};

/// Least similarity of a `reworded` pair whose quotes came through a common outlet.
pub const REWORDED_SAME_OUTLET: f64 = 0.25;

/// Least similarity of a `reworded` pair whose quotes have no outlet in common.
pub const REWORDED_OTHER_OUTLET: f64 = 0.5;

/// Least number of key words, in order, that the quotes of a `reworded` pair share.
pub const REWORDED_MIN_SHARED: usize = 4;

/// Least number of words of the shorter quote of an `excerpt` pair.
pub const EXCERPT_MIN_WORDS: usize = 4;

/// A word held by more than this many quotes, and by more than one in [`COMMON_SHARE`] of
/// them, is a recurring topic and left out of the measure.
pub const COMMON_MIN_QUOTES: usize = 10;

/// See [`COMMON_MIN_QUOTES`].
pub const COMMON_SHARE: usize = 20;

/// How many postings (quote, word) a quote may visit when it looks for its candidates.
const PROBE_BUDGET: usize = 256;

/// How many candidates, most words shared first, a quote is compared with.
const MAX_CANDIDATES: usize = 16;

/// One quote attributed to the person.
#[derive(Debug, Clone, Copy)]
pub struct RemarkQuote<'a> {
    /// The quote, as a source gives it.
    pub text: &'a str,
    /// The reporting source (any number the caller likes): quotes of one group are never
    /// paired with each other.
    pub group: u32,
    /// Where the person said it (a claim's `via`), compared after folding case and space.
    pub outlet: Option<&'a str>,
}

/// How two quotes are one remark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RemarkClass {
    /// Equal after the folding of SPEC §5.
    Same,
    /// The shorter occurs within the longer, elisions allowed.
    Excerpt,
    /// Similar enough, by the measure in the module documentation.
    Reworded,
}

impl RemarkClass {
    pub fn name(self) -> &'static str {
        match self {
            RemarkClass::Same => "same",
            RemarkClass::Excerpt => "excerpt",
            RemarkClass::Reworded => "reworded",
        }
    }
}

/// Two quotes that are one remark.
#[derive(Debug, Clone, PartialEq)]
pub struct RemarkPair {
    /// Index of the earlier quote in the slice given to [`same_remarks`].
    pub left: usize,
    /// Index of the later quote; always greater than `left`.
    pub right: usize,
    pub class: RemarkClass,
    /// The share of their words the two quotes have in common, in order, 0..=1 (see the
    /// module documentation); 1 for `same`.
    pub similarity: f64,
    /// Word diff from the left quote to the right one, both folded.
    pub diff: Vec<DiffPart>,
}

/// Work done by [`same_remarks_counted`], to check that it stays near-linear.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RemarkStats {
    /// Postings (a word of a quote) visited while looking for candidates.
    pub postings_visited: usize,
    /// Pairs of quotes compared word by word.
    pub compared: usize,
}

/// The pairs of `quotes` that are one remark, ordered by `left` then `right`.
#[must_use]
pub fn same_remarks(quotes: &[RemarkQuote]) -> Vec<RemarkPair> {
    same_remarks_counted(quotes).0
}

/// [`same_remarks`], and the work it took.
#[must_use]
pub fn same_remarks_counted(quotes: &[RemarkQuote]) -> (Vec<RemarkPair>, RemarkStats) {
    let prepared = Prepared::new(quotes);
    let mut stats = RemarkStats::default();
    let mut pairs = prepared.identical_pairs();
    let index = RemarkIndex::new(&prepared);
    let mut seen: HashSet<(usize, usize), BuildHasherDefault<WordHasher>> = HashSet::default();
    let mut hits = vec![0u32; quotes.len()];
    for &i in &index.members {
        for j in index.candidates(&prepared, i, &mut hits, &mut stats) {
            let key = (i.min(j), i.max(j));
            if !seen.insert(key) {
                continue;
            }
            stats.compared += 1;
            if let Some(pair) = prepared.compare(key.0, key.1) {
                pairs.push(pair);
            }
        }
    }
    pairs.sort_unstable_by_key(|p| (p.left, p.right));
    (pairs, stats)
}

/// The quotes folded and split into words, with the words numbered.
struct Prepared<'a> {
    quotes: &'a [RemarkQuote<'a>],
    /// Each quote folded by [`normalize`].
    norm: Vec<String>,
    /// How many words each quote has.
    lengths: Vec<usize>,
    /// Each quote's key words, lower-cased, as word numbers.
    words: Vec<Vec<u32>>,
    /// Each quote's outlet, folded and lower-cased; `None` if it has none.
    outlet: Vec<Option<String>>,
    /// How many words are numbered.
    vocabulary: usize,
}

impl<'a> Prepared<'a> {
    fn new(quotes: &'a [RemarkQuote<'a>]) -> Self {
        let norm: Vec<String> = quotes.iter().map(|q| normalize(q.text)).collect();
        let mut ids: HashMap<String, u32, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut lengths = Vec::with_capacity(quotes.len());
        let mut words: Vec<Vec<u32>> = Vec::with_capacity(quotes.len());
        for n in &norm {
            let all: Vec<String> = tokenize(n)
                .iter()
                .map(|t| n[t.start..t.end].to_lowercase())
                .collect();
            lengths.push(all.len());
            let mut key: Vec<&String> = all.iter().filter(|w| !is_function_word(w)).collect();
            if key.is_empty() {
                key = all.iter().collect();
            }
            let numbered = key
                .into_iter()
                .map(|w| {
                    let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                    *ids.entry(w.clone()).or_insert(next)
                })
                .collect();
            words.push(numbered);
        }
        // The person's recurring topics say as little about which remark a quote is as
        // function words do.
        let mut quotes_holding = vec![0usize; ids.len()];
        for w in &words {
            for d in distinct(w) {
                quotes_holding[d as usize] += 1;
            }
        }
        let common = COMMON_MIN_QUOTES.max(quotes.len() / COMMON_SHARE);
        for w in &mut words {
            w.retain(|&d| quotes_holding[d as usize] <= common);
        }
        let outlet = quotes
            .iter()
            .map(|q| {
                let folded = normalize(q.outlet?).to_lowercase();
                (!folded.is_empty()).then_some(folded)
            })
            .collect();
        Prepared {
            quotes,
            norm,
            lengths,
            words,
            outlet,
            vocabulary: ids.len(),
        }
    }

    /// Pairs of equal quotes of different groups: each quote with the first equal quote
    /// of another group, so that k equal quotes make fewer than k pairs, not k².
    fn identical_pairs(&self) -> Vec<RemarkPair> {
        let mut classes: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, n) in self.norm.iter().enumerate() {
            if self.lengths[i] > 0 {
                classes.entry(n).or_default().push(i);
            }
        }
        let mut found: HashSet<(usize, usize)> = HashSet::new();
        for members in classes.values().filter(|m| m.len() > 1) {
            let first = members[0];
            let other = members
                .iter()
                .copied()
                .find(|&k| self.quotes[k].group != self.quotes[first].group);
            for &k in members {
                let partner = if self.quotes[k].group == self.quotes[first].group {
                    other
                } else {
                    Some(first)
                };
                if let Some(p) = partner {
                    found.insert((k.min(p), k.max(p)));
                }
            }
        }
        found
            .into_iter()
            .map(|(left, right)| RemarkPair {
                left,
                right,
                class: RemarkClass::Same,
                similarity: 1.0,
                diff: word_diff(&self.norm[left], &self.norm[right]),
            })
            .collect()
    }

    /// The pair `left`, `right` if the two quotes are one remark but not equal.
    fn compare(&self, left: usize, right: usize) -> Option<RemarkPair> {
        let (a, b) = (&self.words[left], &self.words[right]);
        if self.norm[left] == self.norm[right] {
            return None;
        }
        let shared = lcs_len(a, b);
        let similarity = if shared == 0 {
            0.0
        } else {
            2.0 * shared as f64 / (a.len() + b.len()) as f64
        };
        let class = if self.is_excerpt(left, right, shared) || self.is_excerpt(right, left, shared)
        {
            RemarkClass::Excerpt
        } else if shared >= REWORDED_MIN_SHARED && similarity >= self.threshold(left, right) {
            RemarkClass::Reworded
        } else {
            return None;
        };
        Some(RemarkPair {
            left,
            right,
            class,
            similarity,
            diff: word_diff(&self.norm[left], &self.norm[right]),
        })
    }

    /// Whether quote `short` occurs within quote `long`, given that they share `shared`
    /// key words in order.
    fn is_excerpt(&self, short: usize, long: usize, shared: usize) -> bool {
        // Every key word of an excerpt is in the longer quote, in order.
        self.lengths[short] <= self.lengths[long]
            && self.lengths[short] >= EXCERPT_MIN_WORDS
            && shared == self.words[short].len()
            && occurs_within(&self.norm[short], &self.norm[long])
    }

    fn threshold(&self, a: usize, b: usize) -> f64 {
        match (&self.outlet[a], &self.outlet[b]) {
            (Some(x), Some(y)) if x == y => REWORDED_SAME_OUTLET,
            _ => REWORDED_OTHER_OUTLET,
        }
    }
}

/// Whether the folded quote `short` occurs within `long` by the rules of quote checking,
/// ellipses included; a first letter capitalised (or not) because the excerpt starts a
/// sentence of its own does not count as a difference.
fn occurs_within(short: &str, long: &str) -> bool {
    let hay = Haystack::new(long);
    if hay.locate_quote(short).is_some() {
        return true;
    }
    let mut chars = short.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let swapped: String = if first.is_uppercase() {
        first.to_lowercase().chain(chars).collect()
    } else {
        first.to_uppercase().chain(chars).collect()
    };
    swapped != short && hay.locate_quote(&swapped).is_some()
}

/// An inverted index of the quotes' words: for each word, the quotes that hold it. Only
/// one quote of each group's equal quotes is a member; the others pair through
/// [`Prepared::identical_pairs`].
struct RemarkIndex {
    /// The member quotes, ascending.
    members: Vec<usize>,
    /// `postings[starts[w]..starts[w + 1]]`: the members holding word `w`, ascending.
    starts: Vec<usize>,
    postings: Vec<usize>,
}

impl RemarkIndex {
    fn new(p: &Prepared) -> Self {
        let mut seen: HashSet<(&str, u32)> = HashSet::new();
        let members: Vec<usize> = (0..p.norm.len())
            .filter(|&i| !p.words[i].is_empty() && seen.insert((&p.norm[i], p.quotes[i].group)))
            .collect();
        let distinct: Vec<Vec<u32>> = members.iter().map(|&i| distinct(&p.words[i])).collect();
        let mut starts = vec![0usize; p.vocabulary + 1];
        for words in &distinct {
            for &w in words {
                starts[w as usize + 1] += 1;
            }
        }
        for w in 1..starts.len() {
            starts[w] += starts[w - 1];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0; starts[p.vocabulary]];
        for (&i, words) in members.iter().zip(&distinct) {
            for &w in words {
                postings[fill[w as usize]] = i;
                fill[w as usize] += 1;
            }
        }
        RemarkIndex {
            members,
            starts,
            postings,
        }
    }

    fn holding(&self, w: u32) -> &[usize] {
        &self.postings[self.starts[w as usize]..self.starts[w as usize + 1]]
    }

    /// The quotes of other groups that share the most of `i`'s rarest words, at most
    /// [`MAX_CANDIDATES`] of them. The words are probed rarest first while they fit in
    /// [`PROBE_BUDGET`] postings, so a word every quote holds is never probed and a
    /// quote made only of common words has no candidates. `hits` is all zeros, and is
    /// left so.
    fn candidates(
        &self,
        p: &Prepared,
        i: usize,
        hits: &mut [u32],
        stats: &mut RemarkStats,
    ) -> Vec<usize> {
        let mut probes: Vec<(usize, u32)> = distinct(&p.words[i])
            .into_iter()
            .map(|w| (self.holding(w).len(), w))
            .filter(|&(n, _)| n > 1)
            .collect();
        probes.sort_unstable();
        let group = p.quotes[i].group;
        let mut budget = PROBE_BUDGET;
        let mut touched = Vec::new();
        for (n, w) in probes {
            if n > budget {
                break;
            }
            budget -= n;
            stats.postings_visited += n;
            for &j in self.holding(w) {
                if p.quotes[j].group != group {
                    if hits[j] == 0 {
                        touched.push(j);
                    }
                    hits[j] += 1;
                }
            }
        }
        touched.sort_unstable_by_key(|&j| (std::cmp::Reverse(hits[j]), j));
        for &j in &touched {
            hits[j] = 0;
        }
        touched.truncate(MAX_CANDIDATES);
        touched
    }
}

/// The distinct words of a quote, ascending.
fn distinct(words: &[u32]) -> Vec<u32> {
    let mut d = words.to_vec();
    d.sort_unstable();
    d.dedup();
    d
}

/// The length of the longest common subsequence of `a` and `b`, 64 positions of the
/// shorter at a time (Hyyrö's bit-vector algorithm): cheap enough to run on every
/// candidate pair.
fn lcs_len(a: &[u32], b: &[u32]) -> usize {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.is_empty() {
        return 0;
    }
    let blocks = a.len().div_ceil(64);
    // Each distinct word of `a`, ascending, with the bits of its positions at
    // `masks[k * blocks..(k + 1) * blocks]`.
    let mut positions: Vec<(u32, usize)> = a.iter().copied().zip(0..).collect();
    positions.sort_unstable();
    let mut symbols: Vec<u32> = Vec::new();
    let mut masks: Vec<u64> = Vec::new();
    for (w, i) in positions {
        if symbols.last() != Some(&w) {
            symbols.push(w);
            masks.resize(masks.len() + blocks, 0);
        }
        let k = symbols.len() - 1;
        masks[k * blocks + i / 64] |= 1 << (i % 64);
    }
    // A 0 bit at position i: a[..=i] has one more word in common with b so far than a[..i].
    let mut v = vec![u64::MAX; blocks];
    for w in b {
        let Ok(k) = symbols.binary_search(w) else {
            continue;
        };
        let m = &masks[k * blocks..(k + 1) * blocks];
        let mut carry = false;
        for (vk, &mk) in v.iter_mut().zip(m) {
            let u = *vk & mk;
            let (sum, c1) = vk.overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            *vk = sum | (*vk & !mk);
        }
    }
    let mut zeros = 0;
    for (k, vk) in v.iter().enumerate() {
        let bits = (a.len() - 64 * k).min(64);
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
        zeros += (!vk & mask).count_ones() as usize;
    }
    zeros
}

/// Words that say little about which remark a quote is: English articles, pronouns,
/// auxiliaries, prepositions and conjunctions, and the pieces contractions leave (`it's`
/// is `it` and `s`). Two unrelated remarks share many of these; leaving them out of the
/// measure keeps it to the words that carry the remark.
fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.binary_search(&word).is_ok()
}

/// Sorted, for [`is_function_word`].
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "couldn",
    "d",
    "did",
    "didn",
    "do",
    "does",
    "doesn",
    "doing",
    "don",
    "done",
    "down",
    "during",
    "each",
    "even",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "has",
    "hasn",
    "have",
    "haven",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "it",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "may",
    "me",
    "might",
    "mine",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shall",
    "she",
    "should",
    "shouldn",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "ve",
    "very",
    "was",
    "wasn",
    "we",
    "were",
    "weren",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "without",
    "won",
    "would",
    "wouldn",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::render_diff;

    /// Sean Baker to IndieWire, as one source gives it…
    const BAKER: &str = "I see the sex as being about her. It's not about something she's giving \
to him, it's a way for her to regain the power she lost along the way.";
    /// …and as seed 001 gives it, reworded.
    const BAKER_REWORDED: &str = "“I perceive (the sex) as being about her—it’s not about \
something she’s giving to him, but rather a way for her to regain the power she lost throughout \
her journey,”";
    /// Sean Baker to Entertainment Weekly, in seed 001…
    const BAKER_EW: &str = "I wanted to flip it on its head. We present a romantic comedy in the \
first half, even introducing a well-known song, Take That’s ‘The Greatest Day,’ that feels akin \
to a scene from a ‘Love, Actually’ type of film. But then we shift to 90 minutes of stark \
reality afterward.";
    /// …and retold in fewer, mostly other, words.
    const BAKER_EW_RETOLD: &str = "My idea was to upend the genre: you get a romcom for the \
first half, like Love Actually, then ninety minutes of harsh reality.";

    fn quote<'a>(text: &'a str, group: u32, outlet: Option<&'a str>) -> RemarkQuote<'a> {
        RemarkQuote {
            text,
            group,
            outlet,
        }
    }

    /// The (left, right, class) of every pair.
    fn classes(quotes: &[RemarkQuote]) -> Vec<(usize, usize, RemarkClass)> {
        same_remarks(quotes)
            .into_iter()
            .map(|p| (p.left, p.right, p.class))
            .collect()
    }

    fn words(s: &str) -> HashSet<String> {
        let n = normalize(s);
        tokenize(&n)
            .iter()
            .map(|t| n[t.start..t.end].to_lowercase())
            .collect()
    }

    /// Mikey Madison to Interview Magazine, on the final scene…
    const MADISON_TREMBLING: &str = "For the final scene, I was almost trembling as I \
approached the car, uncertain of how it would feel, having embodied my character’s feelings \
for so long.";
    /// …and on it again, another time.
    const MADISON_OPEN: &str = "The final scene is open on purpose, and I love hearing what \
people think about whether the two of them end up together.";

    /// The similarity of two quotes, paired or not.
    fn similarity(a: &str, b: &str) -> f64 {
        let quotes = [quote(a, 0, None), quote(b, 1, None)];
        let p = Prepared::new(&quotes);
        let shared = lcs_len(&p.words[0], &p.words[1]);
        2.0 * shared as f64 / (p.words[0].len() + p.words[1].len()) as f64
    }

    #[test]
    fn similarities_quoted_in_the_documentation() {
        let rounded = |a, b| (similarity(a, b) * 100.0).round() / 100.0;
        assert_eq!(rounded(BAKER, BAKER_REWORDED), 0.67);
        assert_eq!(rounded(BAKER_EW, BAKER_EW_RETOLD), 0.29);
        assert_eq!(rounded(MADISON_TREMBLING, MADISON_OPEN), 0.17);
    }

    #[test]
    fn verbatim_quotes_are_the_same_remark() {
        let straight = BAKER.replace('\'', "\u{2019}").replace(". ", ".\n");
        let quotes = [
            quote(BAKER, 0, None),
            quote(&straight, 1, Some("IndieWire")),
        ];
        let pairs = same_remarks(&quotes);
        assert_eq!(pairs.len(), 1);
        assert_eq!((pairs[0].left, pairs[0].right), (0, 1));
        assert_eq!(pairs[0].class, RemarkClass::Same);
        assert!((pairs[0].similarity - 1.0).abs() < f64::EPSILON);
        assert!(pairs[0].diff.iter().all(|p| matches!(p, DiffPart::Same(_))));
    }

    #[test]
    fn a_quoted_part_is_an_excerpt() {
        let quotes = [
            quote("it's a way for her to regain the power she lost", 0, None),
            quote(BAKER, 1, None),
        ];
        assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Excerpt)]);
        // Capitalised because the excerpt starts a sentence of the source's own.
        let quotes = [
            quote(BAKER, 1, None),
            quote("It's a way for her to regain the power she lost", 0, None),
        ];
        assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Excerpt)]);
    }

    #[test]
    fn an_elided_part_is_an_excerpt() {
        let quotes = [
            quote(BAKER, 0, Some("IndieWire")),
            quote(
                "I see the sex as being about her … a way for her to regain the power",
                1,
                None,
            ),
        ];
        let pairs = same_remarks(&quotes);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].class, RemarkClass::Excerpt);
        assert!(pairs[0].similarity < 1.0);
    }

    #[test]
    fn a_remark_reworded_by_an_outlet_is_paired() {
        let quotes = [
            quote(BAKER, 0, Some("IndieWire")),
            quote(BAKER_REWORDED, 1, Some(" indiewire ")),
        ];
        let pairs = same_remarks(&quotes);
        assert_eq!(pairs.len(), 1);
        let pair = &pairs[0];
        assert_eq!(pair.class, RemarkClass::Reworded);
        assert!(
            (0.6..0.75).contains(&pair.similarity),
            "similarity {}",
            pair.similarity
        );
        let diff = render_diff(&pair.diff);
        assert!(
            diff.starts_with("[-I see the sex-]{+\"I perceive (the sex)+} as being about"),
            "{diff}"
        );
        // Close enough to pair without an outlet in common too.
        let quotes = [
            quote(BAKER, 0, None),
            quote(BAKER_REWORDED, 1, Some("Vulture")),
        ];
        assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Reworded)]);
    }

    #[test]
    fn a_heavily_reworded_remark_pairs_only_through_its_outlet() {
        // Fewer than half the retold version's words are the original's.
        let (original, retold) = (words(BAKER_EW), words(BAKER_EW_RETOLD));
        let common = original.intersection(&retold).count();
        assert!(2 * common < retold.len(), "{common} of {}", retold.len());

        let quotes = [
            quote(BAKER_EW, 0, Some("Entertainment Weekly")),
            quote(BAKER_EW_RETOLD, 1, Some("entertainment weekly")),
        ];
        let pairs = same_remarks(&quotes);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].class, RemarkClass::Reworded);
        assert!(pairs[0].similarity < REWORDED_OTHER_OUTLET);

        let quotes = [
            quote(BAKER_EW, 0, Some("Entertainment Weekly")),
            quote(BAKER_EW_RETOLD, 1, None),
        ];
        assert_eq!(classes(&quotes), []);
    }

    #[test]
    fn two_remarks_on_one_topic_through_one_outlet_are_not_paired() {
        // Mikey Madison to Interview Magazine, both on the final scene.
        let quotes = [
            quote(MADISON_TREMBLING, 0, Some("Interview Magazine")),
            quote(MADISON_OPEN, 1, Some("Interview Magazine")),
            // Sean Baker to IndieWire, on the car scene, and the remark above.
            quote(
                "We shot the car scene over two nights in the snow, with a tiny crew and the \
actors finding much of it themselves.",
                2,
                Some("IndieWire"),
            ),
            quote(BAKER, 3, Some("IndieWire")),
        ];
        assert_eq!(classes(&quotes), []);
    }

    #[test]
    fn a_short_generic_quote_pairs_with_nothing() {
        let quotes = [
            quote("I love it.", 0, Some("Variety")),
            quote(
                "I love it when a film trusts its audience.",
                1,
                Some("Variety"),
            ),
            quote(
                "I love how the ending refuses to explain itself.",
                2,
                Some("Variety"),
            ),
            quote(
                "Honestly, I love it, and I think Ani would love it too.",
                3,
                None,
            ),
            quote(
                "Love it or not, it is the ending the film needs.",
                4,
                Some("Variety"),
            ),
            quote(BAKER, 5, Some("Variety")),
        ];
        assert_eq!(classes(&quotes), []);
    }

    #[test]
    fn quotes_of_one_source_are_never_paired() {
        let quotes = [
            quote(BAKER, 7, Some("IndieWire")),
            quote(BAKER_REWORDED, 7, Some("IndieWire")),
            quote(BAKER, 7, None),
            quote("it's a way for her to regain the power she lost", 7, None),
        ];
        assert_eq!(classes(&quotes), []);
    }

    #[test]
    fn equal_quotes_make_fewer_pairs_than_quotes() {
        // Three sources, five copies: each copy pairs with the first copy of another source.
        let groups = [0, 0, 1, 2, 1];
        let quotes: Vec<RemarkQuote> = groups.iter().map(|&g| quote(BAKER, g, None)).collect();
        assert_eq!(
            classes(&quotes),
            [
                (0, 2, RemarkClass::Same),
                (0, 3, RemarkClass::Same),
                (0, 4, RemarkClass::Same),
                (1, 2, RemarkClass::Same),
            ]
        );
    }

    #[test]
    fn pairs_come_in_order() {
        let quotes = [
            quote(BAKER_REWORDED, 2, Some("IndieWire")),
            quote(BAKER_EW, 0, None),
            quote(BAKER, 1, Some("IndieWire")),
            quote("a way for her to regain the power she lost", 3, None),
            quote(BAKER_EW, 4, None),
        ];
        assert_eq!(
            classes(&quotes),
            [
                (0, 2, RemarkClass::Reworded),
                (0, 3, RemarkClass::Excerpt),
                (1, 4, RemarkClass::Same),
                (2, 3, RemarkClass::Excerpt),
            ]
        );
    }

    /// A tiny deterministic generator (xorshift), for made-up quotes.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn thousands_of_quotes_are_compared_through_the_index() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        // Topic words shared by many quotes, rarer words, and function words.
        let topic = [
            "ani", "igor", "car", "scene", "ending", "film", "power", "tears",
        ];
        let vocabulary: Vec<String> = (0..4_000).map(|i| format!("w{i}")).collect();
        let mut texts: Vec<String> = (0..2_000)
            .map(|_| {
                (0..25 + rng.below(25))
                    .map(|_| match rng.below(10) {
                        0..=3 => FUNCTION_WORDS[rng.below(40)],
                        4..=5 => topic[rng.below(topic.len())],
                        _ => vocabulary[rng.below(vocabulary.len())].as_str(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        // Quote 1000 + k retells quote k: a fifth of its words replaced.
        for k in 0..50 {
            let retold: Vec<String> = texts[k]
                .split(' ')
                .map(|w| {
                    if rng.below(5) == 0 {
                        format!("x{}", rng.below(100_000))
                    } else {
                        w.to_owned()
                    }
                })
                .collect();
            texts[1_000 + k] = retold.join(" ");
        }
        let outlets = ["IndieWire", "Variety", "Vulture"];
        let quotes: Vec<RemarkQuote> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| quote(t, (i % 97) as u32, Some(outlets[i % 1_000 % 3])))
            .collect();
        let (pairs, stats) = same_remarks_counted(&quotes);
        // Every pair of quotes would be 1,999,000 comparisons.
        assert!(stats.compared <= 2_000 * MAX_CANDIDATES, "{stats:?}");
        assert!(stats.postings_visited <= 2_000 * PROBE_BUDGET, "{stats:?}");
        for k in 0..50 {
            assert!(
                pairs.iter().any(|p| (p.left, p.right) == (k, 1_000 + k)),
                "quote {k} and its retelling are not paired"
            );
        }
    }

    #[test]
    fn longest_common_subsequence_of_words() {
        fn plain(a: &[u32], b: &[u32]) -> usize {
            let mut row = vec![0; b.len() + 1];
            for &x in a {
                let mut diagonal = 0;
                for (j, &y) in b.iter().enumerate() {
                    let up = row[j + 1];
                    row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
                    diagonal = up;
                }
            }
            row[b.len()]
        }
        let mut rng = Rng(7);
        for round in 0..300 {
            let alphabet = 2 + round % 6;
            let a: Vec<u32> = (0..rng.below(150))
                .map(|_| rng.below(alphabet) as u32)
                .collect();
            let b: Vec<u32> = (0..rng.below(150))
                .map(|_| rng.below(alphabet) as u32)
                .collect();
            assert_eq!(lcs_len(&a, &b), plain(&a, &b), "{a:?} {b:?}");
        }
    }
}

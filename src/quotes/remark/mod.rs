//! Remark matching (docs/rules.md): among the quotes that different sources attribute to one
//! person, the pairs that are one remark worded differently. Pure: the caller gives the
//! quotes (with the reporting source as a group number and the outlet), [`same_remarks`]
//! gives the pairs.
//!
//! # Classes
//!
//! Quotes of one group (one reporting source) are never paired. A pair is:
//!
//! * `same` when the two are equal after the folding of docs/formats.md (case is kept). Of k equal
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

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize};

use super::Haystack;
mod candidates;
pub mod fuzzing;
mod measure;
pub mod shown;

use candidates::{Probe, RemarkIndex};
use measure::{is_function_word, lcs_len};

use super::diff::{
    DiffPart, WordLists, render_diff, rendered_diff_among, word_diff, word_diff_among,
};
use super::fold::normalize;
#[cfg(test)]
use super::index::tokenize;
use super::index::{WordHasher, tokenize_into};
use super::search::{SearchWork, occurs_in, split_elisions};
use shown::Shown;
pub use shown::{EXCERPT_CONTEXT_WORDS, MAX_SHOWN_WORDS};

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

/// A longer quote of at most this many bytes is scanned for an excerpt; a longer one is
/// indexed once and searched through its index.
const SCAN_BYTES: usize = 4096;

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
    /// Equal after the folding of docs/formats.md
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

/// Two quotes that are one remark, with the word diff from one to the other: as parts, or
/// (from [`same_remarks_rendered`]) as [`render_diff`](super::render_diff) writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct RemarkPair<D = Vec<DiffPart>> {
    /// Index of the earlier quote in the slice given to [`same_remarks`].
    pub left: usize,
    /// Index of the later quote; always greater than `left`.
    pub right: usize,
    pub class: RemarkClass,
    /// The share of their words the two quotes have in common, in order, 0..=1 (see the
    /// module documentation); 1 for `same`.
    pub similarity: f64,
    /// Word diff from the left quote to the right one, both folded, as far as they are
    /// shown.
    pub diff: D,
    /// What the pair shows of the left quote when it does not show all of it (see
    /// [`shown`]): the folded quote cut after [`MAX_SHOWN_WORDS`] words, or, for the longer
    /// quote of an excerpt pair, the excerpt located in it with a few words either side.
    pub left_shown: Option<String>,
    /// The same for the right quote.
    pub right_shown: Option<String>,
}

impl<D> RemarkPair<D> {
    /// The pair without its diff, and the diff.
    pub fn split_diff(self) -> (RemarkPair<()>, D) {
        let RemarkPair {
            left,
            right,
            class,
            similarity,
            diff,
            left_shown,
            right_shown,
        } = self;
        let pair = RemarkPair {
            left,
            right,
            class,
            similarity,
            diff: (),
            left_shown,
            right_shown,
        };
        (pair, diff)
    }
}

impl RemarkPair<()> {
    /// The pair with what it shows and its diff: over the whole folded quotes when both
    /// are shown whole (`among`, on the prepared words), else over what is shown.
    fn finish<D>(
        self,
        p: &Prepared,
        shown: &mut Shown,
        among: impl FnOnce(usize, usize) -> D,
        shown_diff: impl FnOnce(&str, &str) -> D,
    ) -> RemarkPair<D> {
        let (l, r) = (self.left, self.right);
        let (left_shown, right_shown) = if self.class == RemarkClass::Excerpt {
            let long_left = p.lengths[l] >= p.lengths[r];
            let (long, short) = if long_left { (l, r) } else { (r, l) };
            let around = shown.around_excerpt(long, short);
            let short_shown = shown.capped(short);
            if long_left {
                (around, short_shown)
            } else {
                (short_shown, around)
            }
        } else {
            (shown.capped(l), shown.capped(r))
        };
        let diff = if left_shown.is_none() && right_shown.is_none() {
            among(l, r)
        } else {
            shown_diff(
                left_shown.as_deref().unwrap_or(&p.norm[l]),
                right_shown.as_deref().unwrap_or(&p.norm[r]),
            )
        };
        RemarkPair {
            left: l,
            right: r,
            class: self.class,
            similarity: self.similarity,
            diff,
            left_shown,
            right_shown,
        }
    }
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
    let (pairs, stats) = prepared.pairs();
    let among = |l, r| word_diff_among(&prepared.norm, &prepared.words_spaced, l, r);
    let mut shown = Shown::new(&prepared.norm);
    let pairs = (pairs.into_iter())
        .map(|p| p.finish(&prepared, &mut shown, among, word_diff))
        .collect();
    (pairs, stats)
}

/// [`same_remarks`], each pair's diff rendered as [`render_diff`](super::render_diff)
/// renders it: for a caller that only writes the diffs out, and so needs no parts.
#[must_use]
pub fn same_remarks_rendered(quotes: &[RemarkQuote]) -> Vec<RemarkPair<String>> {
    let prepared = Prepared::new(quotes);
    let among = |l, r| rendered_diff_among(&prepared.norm, &prepared.words_spaced, l, r);
    let shown = |a: &str, b: &str| render_diff(&word_diff(a, b));
    let pairs = prepared.pairs().0;
    let mut cache = Shown::new(&prepared.norm);
    (pairs.into_iter())
        .map(|p| p.finish(&prepared, &mut cache, among, shown))
        .collect()
}

/// The quotes folded and split into words, with the words numbered.
struct Prepared<'a> {
    quotes: &'a [RemarkQuote<'a>],
    /// Each quote's group, apart from the rest of the quote for the loops that only
    /// compare groups.
    group: Vec<u32>,
    /// Each quote folded by [`normalize`].
    norm: Vec<String>,
    /// The words of each folded quote as white space separates them, for word diffs.
    words_spaced: WordLists,
    /// How many words each quote has.
    lengths: Vec<usize>,
    /// Each quote's key words, lower-cased, as word numbers.
    words: Vec<Vec<u32>>,
    /// Each quote's outlet, folded and lower-cased, as a number; `None` if it has none.
    outlet: Vec<Option<u32>>,
    /// How many words are numbered.
    vocabulary: usize,
}

/// A distinct lower-cased word met while numbering the words of the quotes.
struct Met {
    function: bool,
    /// Its number, once it is a key word of some quote.
    number: Option<u32>,
}

impl<'a> Prepared<'a> {
    fn new(quotes: &'a [RemarkQuote<'a>]) -> Self {
        let norm: Vec<String> = quotes.iter().map(|q| normalize(q.text)).collect();
        let (lengths, mut words, vocabulary) = number_words(&norm);
        // The person's recurring topics say as little about which remark a quote is as
        // function words do.
        let mut quotes_holding = vec![0usize; vocabulary];
        let mut once = Distinct::new(vocabulary);
        for (i, w) in words.iter().enumerate() {
            for d in once.words(i, w) {
                quotes_holding[d as usize] += 1;
            }
        }
        let common = COMMON_MIN_QUOTES.max(quotes.len() / COMMON_SHARE);
        for w in &mut words {
            w.retain(|&d| quotes_holding[d as usize] <= common);
        }
        Prepared {
            quotes,
            group: quotes.iter().map(|q| q.group).collect(),
            words_spaced: WordLists::new(&norm),
            norm,
            lengths,
            words,
            outlet: number_outlets(quotes),
            vocabulary,
        }
    }

    /// The pairs that are one remark, ordered by `left` then `right`, without their diffs.
    fn pairs(&self) -> (Vec<RemarkPair<()>>, RemarkStats) {
        let mut stats = RemarkStats::default();
        let mut pairs = self.identical_pairs();
        let index = RemarkIndex::new(self);
        let mut seen: HashSet<(usize, usize), BuildHasherDefault<WordHasher>> =
            HashSet::with_capacity_and_hasher(
                index.members.len() * MAX_CANDIDATES,
                BuildHasherDefault::default(),
            );
        let mut probe = Probe::new(self.quotes.len());
        let mut work = CompareWork::new(self);
        for &i in &index.members {
            for &j in index.candidates(self, i, &mut probe, &mut stats) {
                let key = (i.min(j), i.max(j));
                if !seen.insert(key) {
                    continue;
                }
                stats.compared += 1;
                if let Some(pair) = self.compare(key.0, key.1, &mut work) {
                    pairs.push(pair);
                }
            }
        }
        pairs.sort_unstable_by_key(|p| (p.left, p.right));
        (pairs, stats)
    }

    /// Pairs of equal quotes of different groups: each quote with the first equal quote
    /// of another group, so that k equal quotes make fewer than k pairs, not k².
    fn identical_pairs(&self) -> Vec<RemarkPair<()>> {
        let n = self.norm.len();
        // For each quote, the first of its equal quotes; for that first, the first of
        // them from another group.
        let mut first_of: HashMap<&str, usize, BuildHasherDefault<WordHasher>> =
            HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default());
        let mut first = vec![None; n];
        let mut other = vec![None; n];
        for (i, norm) in self.norm.iter().enumerate() {
            if self.lengths[i] > 0 {
                let f = *first_of.entry(norm).or_insert(i);
                first[i] = Some(f);
                if other[f].is_none() && self.group[i] != self.group[f] {
                    other[f] = Some(i);
                }
            }
        }
        let mut pairs = Vec::new();
        for (k, f) in first.into_iter().enumerate() {
            let Some(f) = f else { continue };
            let partner = if self.group[k] == self.group[f] {
                other[f]
            } else if other[f] == Some(k) {
                // the first paired with it already
                None
            } else {
                Some(f)
            };
            if let Some(p) = partner {
                pairs.push(RemarkPair {
                    left: k.min(p),
                    right: k.max(p),
                    class: RemarkClass::Same,
                    similarity: 1.0,
                    diff: (),
                    left_shown: None,
                    right_shown: None,
                });
            }
        }
        pairs
    }

    /// The pair `left`, `right` if the two quotes are one remark but not equal.
    fn compare(&self, left: usize, right: usize, work: &mut CompareWork) -> Option<RemarkPair<()>> {
        let (a, b) = (&self.words[left], &self.words[right]);
        if self.norm[left] == self.norm[right] {
            return None;
        }
        let threshold = self.threshold(left, right);
        let reaches = |shared: usize| {
            shared >= REWORDED_MIN_SHARED
                && 2.0 * shared as f64 / (a.len() + b.len()) as f64 >= threshold
        };
        let (short, long) = if self.lengths[left] <= self.lengths[right] {
            (left, right)
        } else {
            (right, left)
        };
        let may_excerpt = self.lengths[short] >= EXCERPT_MIN_WORDS;
        // The shorter quote's key words bound the LCS: a quote many times longer than the
        // other cannot be a rewording of it, only hold it as an excerpt, which the longer
        // quote's index finds without a pass over it. So a long quote and a thousand
        // excerpts of it cost the excerpts' length, not a thousand times its own.
        if !reaches(a.len().min(b.len())) {
            if !may_excerpt || !occurs_within(&self.norm[short], long, self, work) {
                return None;
            }
            let shared = self.words[short].len();
            return Some(RemarkPair {
                left,
                right,
                class: RemarkClass::Excerpt,
                similarity: 2.0 * shared as f64 / (a.len() + b.len()) as f64,
                diff: (),
                left_shown: None,
                right_shown: None,
            });
        }
        // The key words the two have in common, in any order, bound the LCS too: when even
        // that cannot make an excerpt or a rewording, the costlier comparison is skipped.
        let bound = work.shared_bound(a, b);
        let could_excerpt = may_excerpt && bound == self.words[short].len();
        if !(reaches(bound) || could_excerpt) {
            return None;
        }
        let shared = work.lcs_len(a, b);
        let similarity = if shared == 0 {
            0.0
        } else {
            2.0 * shared as f64 / (a.len() + b.len()) as f64
        };
        let class = if self.is_excerpt(left, right, shared, work)
            || self.is_excerpt(right, left, shared, work)
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
            diff: (),
            left_shown: None,
            right_shown: None,
        })
    }

    /// Whether quote `short` occurs within quote `long`, given that they share `shared`
    /// key words in order.
    fn is_excerpt(&self, short: usize, long: usize, shared: usize, work: &mut CompareWork) -> bool {
        // Every key word of an excerpt is in the longer quote, in order.
        self.lengths[short] <= self.lengths[long]
            && self.lengths[short] >= EXCERPT_MIN_WORDS
            && shared == self.words[short].len()
            && occurs_within(&self.norm[short], long, self, work)
    }

    fn threshold(&self, a: usize, b: usize) -> f64 {
        match (self.outlet[a], self.outlet[b]) {
            (Some(x), Some(y)) if x == y => REWORDED_SAME_OUTLET,
            _ => REWORDED_OTHER_OUTLET,
        }
    }
}

/// Each quote's number of words and key words (lower-cased, less function words unless
/// it has nothing else), the words numbered in the order they first occur as key words;
/// and how many are numbered.
fn number_words(norm: &[String]) -> (Vec<usize>, Vec<Vec<u32>>, usize) {
    // Each distinct lower-cased word is looked up once per occurrence but held once: most
    // words are lower-case already and borrowed from the quote.
    let mut met_at: HashMap<Cow<'_, str>, usize, BuildHasherDefault<WordHasher>> =
        HashMap::with_capacity_and_hasher(norm.len(), BuildHasherDefault::default());
    let mut met: Vec<Met> = Vec::new();
    let mut numbered = 0u32;
    let mut lengths = Vec::with_capacity(norm.len());
    let mut words = Vec::with_capacity(norm.len());
    let mut lower = String::new();
    let mut all: Vec<usize> = Vec::new();
    let mut tokens = Vec::new();
    for n in norm {
        all.clear();
        tokenize_into(n, &mut tokens);
        for t in &tokens {
            let word = &n[t.start..t.end];
            let key = if !word.is_ascii() {
                lower = word.to_lowercase();
                lower.as_str()
            } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                lower.as_str()
            } else {
                word
            };
            let slot = match met_at.get(key) {
                Some(&slot) => slot,
                None => {
                    met.push(Met {
                        function: is_function_word(key),
                        number: None,
                    });
                    let held = if key.len() == word.len() && key == word {
                        Cow::Borrowed(word)
                    } else {
                        Cow::Owned(key.to_owned())
                    };
                    met_at.insert(held, met.len() - 1);
                    met.len() - 1
                }
            };
            all.push(slot);
        }
        lengths.push(all.len());
        let only_function = all.iter().all(|&m| met[m].function);
        let mut key = Vec::with_capacity(all.len());
        for &m in &all {
            let met = &mut met[m];
            if only_function || !met.function {
                key.push(*met.number.get_or_insert_with(|| {
                    numbered += 1;
                    numbered - 1
                }));
            }
        }
        words.push(key);
    }
    (lengths, words, numbered as usize)
}

/// Each quote's outlet as a number, equal for outlets equal after folding and
/// lower-casing; `None` for none (or one that folds to nothing).
fn number_outlets(quotes: &[RemarkQuote]) -> Vec<Option<u32>> {
    let mut by_name: HashMap<&str, Option<u32>> = HashMap::new();
    let mut by_folded: HashMap<String, u32> = HashMap::new();
    quotes
        .iter()
        .map(|q| {
            let name = q.outlet?;
            *by_name.entry(name).or_insert_with(|| {
                let folded = normalize(name).to_lowercase();
                let next = u32::try_from(by_folded.len()).unwrap_or(u32::MAX);
                (!folded.is_empty()).then(|| *by_folded.entry(folded).or_insert(next))
            })
        })
        .collect()
}

/// What comparing two quotes works in, kept from one pair to the next.
struct CompareWork {
    /// Per word number, the positions in the shorter quote of a pair that hold the word,
    /// as bits; all zeros between pairs.
    masks: Vec<u64>,
    /// Per word number, a count; all zeros between pairs.
    counts: Vec<u32>,
    /// Each quote prepared for searching, once it is the longer quote of a pair whose
    /// shorter quote has an ellipsis.
    haystacks: Vec<Option<Haystack>>,
}

impl CompareWork {
    fn new(p: &Prepared) -> Self {
        CompareWork {
            masks: vec![0; p.vocabulary],
            counts: vec![0; p.vocabulary],
            haystacks: (0..p.norm.len()).map(|_| None).collect(),
        }
    }

    /// Whether `quote` occurs within quote `long`, as [`Haystack::locate_quote`] finds it.
    fn occurs(&mut self, quote: &str, long: usize, p: &Prepared) -> bool {
        let q = normalize(quote);
        match split_elisions(&q).as_slice() {
            [] => false,
            // a scan of a short quote costs less than indexing it; a long one is indexed
            // once and searched through its index by every excerpt
            [part] if p.norm[long].len() <= SCAN_BYTES => occurs_in(&p.norm[long], part),
            _ => self.haystacks[long]
                .get_or_insert_with(|| Haystack::new(&p.norm[long]))
                .locate_normalized(&q, &mut SearchWork::default())
                .is_some(),
        }
    }

    /// How many key words `a` and `b` have in common, counted with repeats, in any order:
    /// at least their LCS, found in time linear in their lengths.
    fn shared_bound(&mut self, a: &[u32], b: &[u32]) -> usize {
        for &w in a {
            self.counts[w as usize] += 1;
        }
        let mut shared = 0;
        for &w in b {
            let c = &mut self.counts[w as usize];
            if *c > 0 {
                *c -= 1;
                shared += 1;
            }
        }
        for &w in a {
            self.counts[w as usize] = 0;
        }
        shared
    }

    /// [`lcs_len`], for the usual pair whose shorter quote has at most 64 key words: the
    /// bits of each word's positions come from a table by word number, not a search.
    fn lcs_len(&mut self, a: &[u32], b: &[u32]) -> usize {
        let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if a.len() > 64 {
            return lcs_len(a, b);
        }
        for (i, &w) in a.iter().enumerate() {
            self.masks[w as usize] |= 1 << i;
        }
        // A 0 bit at position i: a[..=i] has one more word in common with b so far than a[..i].
        let mut v = u64::MAX;
        for &w in b {
            let m = self.masks[w as usize];
            let u = v & m;
            v = v.wrapping_add(u) | (v & !m);
        }
        for &w in a {
            self.masks[w as usize] = 0;
        }
        let bits = if a.len() == 64 {
            u64::MAX
        } else {
            (1 << a.len()) - 1
        };
        (!v & bits).count_ones() as usize
    }
}

/// Whether the folded quote `short` occurs within quote `long` by the rules of quote
/// checking, ellipses included; a first letter capitalised (or not) because the excerpt
/// starts a sentence of its own does not count as a difference.
fn occurs_within(short: &str, long: usize, p: &Prepared, work: &mut CompareWork) -> bool {
    if work.occurs(short, long, p) {
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
    swapped != short && work.occurs(&swapped, long, p)
}

/// The distinct words of quotes, each quote's met in turn.
pub(super) struct Distinct {
    /// For each word number, the last quote whose words included it.
    last: Vec<usize>,
}

impl Distinct {
    pub(super) fn new(vocabulary: usize) -> Self {
        Distinct {
            last: vec![usize::MAX; vocabulary],
        }
    }

    /// The words of quote `quote` (given as `words`) not met before in it, in order.
    /// Quotes are numbered apart: the next quote must have another number.
    pub(super) fn words<'w>(
        &'w mut self,
        quote: usize,
        words: &'w [u32],
    ) -> impl Iterator<Item = u32> + 'w {
        words.iter().copied().filter(move |&w| {
            let last = &mut self.last[w as usize];
            let new = *last != quote;
            *last = quote;
            new
        })
    }
}

#[cfg(test)]
mod tests;

//! Quote checking (SPEC §5): whether a claim's `quote` occurs in a source's archived
//! text and, when it does not, which passage of the text comes closest.
//!
//! This module owns the folding that makes a quote and a text comparable, the search for
//! a (possibly elided) quote, the search for the closest passage, and the word diff shown
//! in the error message. It does no I/O and never prints: callers read the text, build
//! one [`Haystack`] per text and ask it about each quote.
//!
//! # Matching rules
//!
//! Matching is tolerant of what copying does to text and strict about words. Both the
//! quote and the text are folded by [`normalize`]:
//!
//! * Unicode compatibility forms are folded (NFKC): ligatures, full-width letters,
//!   `…` becomes `...`.
//! * Single quotes, apostrophes and primes (`‘ ’ ‚ ‛ ′ ‵ ´ ʼ ‹ ›` and the backtick) become
//!   `'`; double quotes and double primes (`“ ” „ ‟ ″ ‶ « »`) become `"`.
//! * Dashes and the minus sign (`‐ ‑ ‒ – — ― −`) become `-`. A run of dashes (`--`)
//!   counts as one, and white space next to a dash is ignored, so `oligarch—only`,
//!   `oligarch -- only` and `oligarch - only` are the same.
//! * Every run of white space (line breaks, CRLF, tabs, no-break and other Unicode spaces)
//!   becomes one space; leading and trailing space is dropped. Invisible characters that
//!   copying leaves behind (soft hyphen, zero-width space, word joiner, byte-order mark)
//!   are dropped.
//! * Case is kept: `the ending` does not match `The ending`.
//!
//! A match must not begin or end inside a word: `nora` does not match `Anora`, and `film`
//! does not match `films`. (Letters, digits and combining marks make words; scripts written
//! without spaces, such as Chinese or Thai, have no such boundary.) Nor may it separate a
//! character from the accents that follow it.
//!
//! ## Ellipses
//!
//! An ellipsis in the quote (`…`, `...`, `. . .`, or one of these in square brackets or
//! parentheses, like `[…]`) marks an elision. The quote is split at its ellipses into
//! parts; each part must occur in the text, in order and without overlapping, and the
//! whole match (first part's start to last part's end) must span at most
//! [`ELISION_MIN_SPAN`] bytes of normalised text, or [`ELISION_FACTOR`] times the length
//! of the normalised quote if that is more. The limit keeps an elided quote to one
//! passage: two common phrases a chapter apart do not make a quote.
//!
//! Around an ellipsis, white space and the punctuation `. , ; : ! ? -` are trimmed from
//! the parts, because quoters adjust punctuation there (a four-dot `....` is a full stop
//! plus an ellipsis). A leading or trailing ellipsis only says that the quote starts or
//! ends mid-sentence. Outside ellipses, punctuation must match.
//!
//! A quote that is empty after folding, or that holds nothing but ellipses, is never
//! found: it is [`QuoteMatch::NotFound`] with an empty passage, ratio 0 and an empty diff
//! (an empty quote is a mistake, not a match). In an empty text nothing is found; the
//! passage is empty and the diff removes the whole quote.
//!
//! # Where a match is
//!
//! Matches are looked up through a word index built once per text: a match cannot cut a
//! word, so the quote's rarest word pins down the few places worth comparing byte for
//! byte. [`QuoteMatch::Found`] gives the first match as a byte range of the original
//! text. Where folding changed a sequence as a whole (a ligature, a letter with combining
//! accents, a run of white space) and a match starts or ends inside it, the range covers
//! the whole sequence.
//!
//! # Closest passage
//!
//! When a quote is not found, its rarest words (up to a budget of occurrences, so `the`
//! does not count) vote for where a passage aligned with it would start. At the best-voted
//! places, spread apart, the quote is aligned word by word with the text around the place
//! by an edit distance whose ends are free in the text, which decides the passage's first
//! and last words; the passage then extends to the white space around them, so attached
//! punctuation comes with it. This costs a few small alignments per quote, whatever the
//! length of the text. The passage's `ratio` and `diff` compare the normalised quote and
//! passage, so folding never shows up as a difference.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use similar::{ChangeTag, TextDiff};
use unicode_normalization::char::{
    canonical_combining_class, decompose_compatible, is_combining_mark,
};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Smallest span, in bytes of normalised text, that an elided quote may cover.
pub const ELISION_MIN_SPAN: usize = 2_000;

/// An elided quote may also span this many times its own normalised length, so that a
/// long quote with a short elision is not held to [`ELISION_MIN_SPAN`].
pub const ELISION_FACTOR: usize = 4;

/// How many word positions the closest-passage search may look at. Rare words are taken
/// first; common words (`the`, `and`) would add many positions and little information.
const ANCHOR_BUDGET: usize = 8_000;

/// How many voted places are aligned with the quote.
const MAX_CANDIDATES: usize = 16;

/// How many of the best-voted places the candidates are picked from.
const WINDOWS_CONSIDERED: usize = 256;

/// An archived text prepared for searching: normalised once, with a map back to the original.
pub struct Haystack {
    original: String,
    /// The text folded by the rules of [`normalize`].
    norm: String,
    /// Map from `norm` byte offsets to `original` byte offsets, in `norm` order.
    segments: Vec<Segment>,
    /// Byte offsets of the `\n`s of `original`, to turn an offset into a line number.
    newlines: Vec<usize>,
    /// The words of `norm`, in order.
    tokens: Vec<Token>,
    /// Lower-cased word → word id. Case-insensitive so that the closest-passage search
    /// still finds a passage whose only difference is case; exact checks follow.
    vocab: HashMap<String, usize, BuildHasherDefault<WordHasher>>,
    /// `postings[posting_starts[id]..posting_starts[id + 1]]` are the indices in `tokens`
    /// of the word `id`, ascending.
    posting_starts: Vec<usize>,
    postings: Vec<usize>,
}

/// A run of normalised bytes starting at `norm` and ending where the next segment starts.
#[derive(Debug, Clone, Copy)]
struct Segment {
    norm: usize,
    orig: usize,
    orig_end: usize,
    /// The normalised bytes are a copy of `orig..orig_end`, so offsets map one to one.
    /// Otherwise every byte of the run comes from the whole of `orig..orig_end` (a folded
    /// character, a composed sequence, a run of white space).
    linear: bool,
}

/// A word of the normalised text, by byte range.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
}

/// Where a quote occurs in a text, or the passage it comes closest to.
#[derive(Debug, Clone, PartialEq)]
pub enum QuoteMatch {
    /// Byte range in the original text covering the whole match (for an elided quote:
    /// from the first part's start to the last part's end).
    Found { start: usize, end: usize },
    /// The quote does not occur; what the text says instead.
    NotFound(Closest),
}

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
    fn nothing() -> Self {
        Closest {
            passage: String::new(),
            line: 1,
            ratio: 0.0,
            diff: Vec::new(),
        }
    }
}

/// One run of a word diff. Concatenating the `Same` and `Removed` parts gives the quote;
/// the `Same` and `Added` parts give the passage.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffPart {
    /// Text in both the quote and the passage.
    Same(String),
    /// Text of the quote that the passage lacks.
    Removed(String),
    /// Text of the passage that the quote lacks.
    Added(String),
}

impl Haystack {
    /// Folds `original` and indexes its words; do this once per text and reuse it for
    /// all of the text's quotes.
    #[must_use]
    pub fn new(original: &str) -> Self {
        let mut folder = Folder::new(true, original.len());
        folder.feed(original);
        let Folder {
            out: norm,
            segments,
            ..
        } = folder;

        let newlines = original
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();

        let tokens = tokenize(&norm);
        let mut vocab: HashMap<String, usize, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut ids = Vec::with_capacity(tokens.len());
        let mut key = String::new();
        for t in &tokens {
            let word = lower_key(&norm[t.start..t.end], &mut key);
            let next = vocab.len();
            let id = match vocab.get(word) {
                Some(&id) => id,
                None => {
                    vocab.insert(word.to_owned(), next);
                    next
                }
            };
            ids.push(id);
        }
        let mut posting_starts = vec![0; vocab.len() + 1];
        for &id in &ids {
            posting_starts[id + 1] += 1;
        }
        for i in 1..posting_starts.len() {
            posting_starts[i] += posting_starts[i - 1];
        }
        let mut fill = posting_starts.clone();
        let mut postings = vec![0; ids.len()];
        for (index, &id) in ids.iter().enumerate() {
            postings[fill[id]] = index;
            fill[id] += 1;
        }

        Haystack {
            original: original.to_owned(),
            norm,
            segments,
            newlines,
            tokens,
            vocab,
            posting_starts,
            postings,
        }
    }

    /// Looks for `quote` under the rules in the module documentation; where it occurs
    /// more than once, the first occurrence is returned.
    #[must_use]
    pub fn find(&self, quote: &str) -> QuoteMatch {
        let q = normalize(quote);
        let parts = split_elisions(&q);
        if parts.is_empty() {
            return QuoteMatch::NotFound(Closest::nothing());
        }
        let limit = (parts.len() > 1).then(|| ELISION_MIN_SPAN.max(ELISION_FACTOR * q.len()));
        match self.locate(&parts, limit) {
            Some((start, end)) => QuoteMatch::Found {
                start: self.orig_start(start),
                end: self.orig_end(end),
            },
            None => QuoteMatch::NotFound(self.closest(&q)),
        }
    }

    /// The earliest placement of `parts`, in order and without overlap, within `limit`
    /// bytes of normalised text (no limit for a single part), as a normalised byte range.
    fn locate(&self, parts: &[&str], limit: Option<usize>) -> Option<(usize, usize)> {
        let occurrences: Vec<Vec<usize>> = parts.iter().map(|p| self.occurrences(p)).collect();
        let (first, rest) = occurrences.split_first()?;
        'starts: for &start in first {
            let mut end = start + parts[0].len();
            for (part, occ) in parts[1..].iter().zip(rest) {
                let i = occ.partition_point(|&o| o < end);
                // Later starts only push `end` further, so no later start can succeed.
                let &at = occ.get(i)?;
                end = at + part.len();
                if limit.is_some_and(|l| end - start > l) {
                    continue 'starts;
                }
            }
            return Some((start, end));
        }
        None
    }

    /// Every normalised offset where `part` occurs on word boundaries, ascending.
    ///
    /// A match cannot cut a word, so each of the part's words is a whole word of the text
    /// at the match: the part's rarest word, from the index, pins down the few places
    /// worth comparing.
    fn occurrences(&self, part: &str) -> Vec<usize> {
        let words = tokenize(part);
        let mut key = String::new();
        let mut anchor: Option<(&[usize], usize)> = None;
        for w in &words {
            let Some(list) = self.posting_list(&part[w.start..w.end], &mut key) else {
                return Vec::new();
            };
            if anchor.is_none_or(|(best, _)| list.len() < best.len()) {
                anchor = Some((list, w.start));
            }
        }
        match anchor {
            Some((list, offset)) => list
                .iter()
                .filter_map(|&t| self.tokens[t].start.checked_sub(offset))
                .filter(|&start| self.occurs_at(part, start))
                .collect(),
            // Only punctuation: rare enough to scan for.
            None => {
                let mut found = Vec::new();
                let mut from = 0;
                while let Some(i) = self.norm[from..].find(part) {
                    let start = from + i;
                    if self.occurs_at(part, start) {
                        found.push(start);
                    }
                    from = start + part.chars().next().map_or(1, char::len_utf8);
                }
                found
            }
        }
    }

    fn occurs_at(&self, part: &str, start: usize) -> bool {
        let end = start + part.len();
        // Equal bytes starting with `part`'s first byte fall on character boundaries.
        if self.norm.as_bytes().get(start..end) != Some(part.as_bytes()) {
            return false;
        }
        let cuts_before = part.chars().next().is_some_and(is_word_char)
            && self.norm[..start]
                .chars()
                .next_back()
                .is_some_and(is_word_char);
        let next = self.norm[end..].chars().next();
        let cuts_after =
            part.chars().next_back().is_some_and(is_word_char) && next.is_some_and(is_word_char);
        // Nor may it separate a character from its accents.
        let cuts_marks = part.chars().next().is_some_and(is_combining_mark)
            || next.is_some_and(is_combining_mark);
        !cuts_before && !cuts_after && !cuts_marks
    }

    fn posting_list(&self, word: &str, key: &mut String) -> Option<&[usize]> {
        let &id = self.vocab.get(lower_key(word, key))?;
        Some(&self.postings[self.posting_starts[id]..self.posting_starts[id + 1]])
    }

    /// The passage that best matches the normalised quote `q`.
    fn closest(&self, q: &str) -> Closest {
        if q.is_empty() {
            return Closest::nothing();
        }
        let (start, end) = if self.tokens.is_empty() {
            (0, self.norm.len())
        } else {
            let words: Vec<&str> = tokenize(q).iter().map(|t| &q[t.start..t.end]).collect();
            let n = self.tokens.len();
            // Room around a voted start for inserted or dropped words.
            let slack = 2 + words.len() / 2;
            let best = self
                .candidates(q)
                .into_iter()
                .filter_map(|s| {
                    let lo = s.min(n - 1).saturating_sub(slack);
                    let hi = (s + words.len() + slack).min(n);
                    self.best_window(&words, lo, hi)
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
        let orig_start = self.orig_start(start);
        Closest {
            passage: self.original[orig_start..self.orig_end(end)].to_owned(),
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
            .filter_map(|(j, w)| Some((j, self.posting_list(&q[w.start..w.end], &mut key)?)))
            .collect();
        anchors.sort_by_key(|&(j, list)| (list.len(), j));
        let mut used = 0;
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut weights = vec![0.0f64; m];
        let total = self.tokens.len() as f64;
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
        let mut counts = vec![0usize; m];
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
        // Spaced-out picks come from near the top; sorting all windows would be wasted.
        let by_score = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if windows.len() > WINDOWS_CONSIDERED {
            windows.select_nth_unstable_by(WINDOWS_CONSIDERED, by_score);
            windows.truncate(WINDOWS_CONSIDERED);
        }
        windows.sort_unstable_by(by_score);

        let spacing = tolerance + m / 2;
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

    /// The run of the text's words within `lo..hi` that best matches the quote's
    /// `words`, as word indices: an edit-distance alignment of the whole quote against
    /// any part of the region (a "fitting" alignment), so the edges fall where the match
    /// does. `None` if no non-empty run qualifies (a quote without words).
    fn best_window(&self, words: &[&str], lo: usize, hi: usize) -> Option<(Score, usize, usize)> {
        let region: Vec<&str> = self.tokens[lo..hi]
            .iter()
            .map(|t| &self.norm[t.start..t.end])
            .collect();
        let m = words.len();
        // Column `j` holds, for each quote prefix, the best alignment ending before region
        // word `j`: (cost, words matched, region index where it starts).
        let mut column: Vec<Cell> = (0..=m)
            .map(|i| Cell {
                cost: i as f32,
                matched: 0,
                start: 0,
            })
            .collect();
        let mut next = column.clone();
        let mut best: Option<(Score, usize, usize)> = None;
        for (j, word) in region.iter().enumerate() {
            next[0] = Cell {
                cost: 0.0,
                matched: 0,
                start: j + 1,
            };
            for (i, q) in words.iter().enumerate() {
                let d = column[i];
                let diagonal = if q == word {
                    Cell {
                        matched: d.matched + 1,
                        ..d
                    }
                } else if same_ignoring_case(q, word) {
                    Cell {
                        cost: d.cost + 0.5,
                        ..d
                    }
                } else {
                    Cell {
                        cost: d.cost + 1.0,
                        ..d
                    }
                };
                let inserted = Cell {
                    cost: column[i + 1].cost + 1.0,
                    ..column[i + 1]
                };
                let dropped = Cell {
                    cost: next[i].cost + 1.0,
                    ..next[i]
                };
                next[i + 1] = [inserted, dropped]
                    .into_iter()
                    .fold(diagonal, |a, b| if b.better_than(&a) { b } else { a });
            }
            let end = &next[m];
            if end.start <= j {
                let score = Score {
                    cost: Reverse(end.cost),
                    matched: end.matched,
                    fit: Reverse(m.abs_diff(j + 1 - end.start)),
                };
                if best.is_none_or(|b| score > b.0) {
                    best = Some((score, lo + end.start, lo + j + 1));
                }
            }
            std::mem::swap(&mut column, &mut next);
        }
        best
    }

    /// The normalised byte range of words `s..e`, widened to the surrounding white space
    /// so that punctuation attached to the edge words is part of the passage.
    fn window_bytes(&self, s: usize, e: usize) -> (usize, usize) {
        let start = self.tokens[s].start;
        let end = self.tokens[e - 1].end;
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

    /// Original offset of the normalised byte at `n`, the start of a match.
    fn orig_start(&self, n: usize) -> usize {
        let seg = &self.segments[self.segments.partition_point(|s| s.norm <= n) - 1];
        if seg.linear {
            seg.orig + (n - seg.norm)
        } else {
            seg.orig
        }
    }

    /// Original offset just past the normalised byte at `n - 1`, the end of a match.
    fn orig_end(&self, n: usize) -> usize {
        let seg = &self.segments[self.segments.partition_point(|s| s.norm < n) - 1];
        if seg.linear {
            seg.orig + (n - seg.norm)
        } else {
            seg.orig_end
        }
    }
}

/// The folded form used for matching (exposed for tests and for callers that compare quotes).
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut folder = Folder::new(false, s.len());
    folder.feed(s);
    folder.out
}

/// Renders a diff compactly for a terminal/plain message: `same [-removed-] {+added+}`.
#[must_use]
pub fn render_diff(parts: &[DiffPart]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            DiffPart::Same(s) => out.push_str(s),
            DiffPart::Removed(s) => {
                out.push_str("[-");
                out.push_str(s);
                out.push_str("-]");
            }
            DiffPart::Added(s) => {
                out.push_str("{+");
                out.push_str(s);
                out.push_str("+}");
            }
        }
    }
    out
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

/// A partial alignment in [`Haystack::best_window`]. Inserting, deleting or replacing
/// a word costs 1; replacing it with the same word in another case costs 0.5.
#[derive(Debug, Clone, Copy)]
struct Cell {
    cost: f32,
    matched: usize,
    start: usize,
}

impl Cell {
    /// Lower cost, then more words matched, then a tighter window.
    fn better_than(&self, other: &Cell) -> bool {
        (self.cost, Reverse(self.matched), Reverse(self.start))
            < (other.cost, Reverse(other.matched), Reverse(other.start))
    }
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// `similar`'s ratio over the words alone: counting the spaces between words too, as a
/// word diff does, would give any two passages of similar length a ratio near 0.5.
fn ratio(q: &str, passage: &str) -> f32 {
    let a: Vec<&str> = q.split(' ').collect();
    let b: Vec<&str> = passage.split(' ').collect();
    TextDiff::from_slices(&a, &b).ratio()
}

/// Word diff from `old` to `new`, grouped into runs.
fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::from_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        match (change.tag(), parts.last_mut()) {
            (ChangeTag::Equal, Some(DiffPart::Same(s)))
            | (ChangeTag::Delete, Some(DiffPart::Removed(s)))
            | (ChangeTag::Insert, Some(DiffPart::Added(s))) => s.push_str(value),
            (ChangeTag::Equal, _) => parts.push(DiffPart::Same(value.to_owned())),
            (ChangeTag::Delete, _) => parts.push(DiffPart::Removed(value.to_owned())),
            (ChangeTag::Insert, _) => parts.push(DiffPart::Added(value.to_owned())),
        }
        join_replacements(&mut parts);
    }
    parts
}

/// Turns `[-a-]{+b+} [-c-]{+d+}` into `[-a c-]{+b d+}`: the diff matches the space
/// between two replaced words, which splits one change into two.
fn join_replacements(parts: &mut Vec<DiffPart>) {
    use DiffPart::{Added, Removed, Same};
    let n = parts.len();
    if let [.., Removed(a), Added(b), Same(space), Removed(c), Added(d)] = parts.as_mut_slice()
        && space.chars().all(char::is_whitespace)
    {
        a.push_str(space);
        a.push_str(c);
        b.push_str(space);
        b.push_str(d);
        parts.truncate(n - 3);
    }
}

/// The parts of a normalised quote between its ellipses, trimmed, without empty parts.
fn split_elisions(q: &str) -> Vec<&str> {
    const AROUND_ELLIPSIS: &[char] = &['.', ',', ';', ':', '!', '?', '-', ' '];
    let bytes = q.as_bytes();
    let mut parts = Vec::new();
    let mut part_start = 0;
    let mut after_ellipsis = false;
    let mut i = 0;
    while i < bytes.len() {
        let Some(end) = ellipsis_at(bytes, i) else {
            i += 1;
            continue;
        };
        let mut part = q[part_start..i].trim_end_matches(AROUND_ELLIPSIS);
        if after_ellipsis {
            part = part.trim_start_matches(AROUND_ELLIPSIS);
        }
        parts.push(part);
        part_start = end;
        after_ellipsis = true;
        i = end;
    }
    let mut last = &q[part_start..];
    if after_ellipsis {
        last = last.trim_start_matches(AROUND_ELLIPSIS);
    }
    parts.push(last);
    parts.retain(|p| !p.is_empty());
    parts
}

/// End of the ellipsis starting at byte `i` of a normalised quote, if one does: three or
/// more dots, perhaps spaced (`. . .`), perhaps in brackets (`[...]`, `(...)`).
fn ellipsis_at(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    let closer = match b[j] {
        b'[' => Some(b']'),
        b'(' => Some(b')'),
        _ => None,
    };
    if closer.is_some() {
        j += 1;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
    }
    let mut dots = 0;
    while b.get(j) == Some(&b'.') {
        dots += 1;
        j += 1;
        if b.get(j) == Some(&b' ') && b.get(j + 1) == Some(&b'.') {
            j += 1;
        }
    }
    if dots < 3 {
        return None;
    }
    if let Some(closer) = closer {
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        if b.get(j) != Some(&closer) {
            return None;
        }
        j += 1;
    }
    Some(j)
}

/// Lower-cases `word` into `buf` unless it is already lower-case ASCII.
fn lower_key<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        return word;
    }
    buf.clear();
    buf.extend(word.chars().flat_map(char::to_lowercase));
    buf
}

/// Characters that make up words whose edges a match must respect.
fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_unspaced(c)
}

/// Scripts written without spaces between words: each character is a word of its own.
fn is_unspaced(c: char) -> bool {
    matches!(c,
        // Thai, Lao; Myanmar; Khmer
        '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}'
        // CJK, kana, bopomofo, Yi; compatibility ideographs; extensions
        | '\u{2E80}'..='\u{A4CF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}'
    )
}

/// The words of a normalised string: runs of word characters, and single characters of
/// scripts written without spaces.
fn tokenize(s: &str) -> Vec<Token> {
    let bytes = s.as_bytes();
    let mut tokens = Vec::new();
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (word, unspaced, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), false, 1)
        } else {
            let c = s[i..].chars().next().unwrap_or_default();
            (
                is_word_char(c),
                c.is_alphanumeric() && is_unspaced(c),
                c.len_utf8(),
            )
        };
        if word {
            run.get_or_insert(i);
        } else {
            if let Some(start) = run.take() {
                tokens.push(Token { start, end: i });
            }
            if unspaced {
                tokens.push(Token {
                    start: i,
                    end: i + width,
                });
            }
        }
        i += width;
    }
    if let Some(start) = run {
        tokens.push(Token {
            start,
            end: s.len(),
        });
    }
    tokens
}

/// FNV-1a, for the word index: much faster than the default hasher on short words, and
/// the words come from the user's own files, so hash flooding is no concern.
struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The end of the longest run of text from `i` that folding copies unchanged: ASCII
/// other than white space, dashes and backticks, with single spaces between; empty if
/// none starts at `i`. This is the bulk of most texts, so it skips per-character work.
fn plain_run(text: &str, i: usize) -> usize {
    let plain = |b: u8| b.is_ascii_graphic() && b != b'-' && b != b'`';
    let bytes = text.as_bytes();
    if !plain(bytes[i]) {
        return i;
    }
    let mut j = i + 1;
    loop {
        match bytes.get(j) {
            Some(&b) if plain(b) => j += 1,
            Some(b' ') if bytes.get(j + 1).is_some_and(|&b| plain(b)) => j += 2,
            _ => break,
        }
    }
    // A following combining mark (or other character that joins what precedes it)
    // belongs with the run's last character.
    if j < bytes.len()
        && !bytes[j].is_ascii()
        && !text[j..].chars().next().is_some_and(opens_cluster)
    {
        j -= 1;
        if j > i && bytes[j - 1] == b' ' {
            j -= 1;
        }
    }
    j
}

/// Whether `c` can start a cluster wherever it stands (see [`starts_cluster`]).
fn opens_cluster(c: char) -> bool {
    match fold_char(c) {
        Fold::Char(f) => starts_cluster(f),
        Fold::Space => true,
        Fold::Drop => false,
    }
}

/// What folding does to one character before normalisation.
enum Fold {
    Char(char),
    Space,
    Drop,
}

fn fold_char(c: char) -> Fold {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}' | '`'
        | '\u{00B4}' | '\u{02BC}' | '\u{2039}' | '\u{203A}' => Fold::Char('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' => Fold::Char('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Fold::Char('-'),
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Fold::Drop,
        c if c.is_whitespace() => Fold::Space,
        c => Fold::Char(c),
    }
}

/// A character that NFKC leaves alone and that nothing before it can combine with.
fn is_stable(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Whether normalisation can start afresh at `c`: `c` is stable, or its compatibility
/// decomposition (`ﬁ` → `fi`) starts with a stable character. Normalisation never
/// crosses such a point, so the text can be normalised piece by piece, each piece mapped
/// back to where it came from.
fn starts_cluster(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    if canonical_combining_class(c) != 0 {
        return false;
    }
    match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => true,
        IsNormalized::Maybe => false,
        IsNormalized::No => {
            let mut first = None;
            decompose_compatible(c, |d| {
                first.get_or_insert(d);
            });
            first.is_some_and(is_stable)
        }
    }
}

/// Where an output character came from in the input.
#[derive(Debug, Clone, Copy)]
struct Source {
    start: usize,
    end: usize,
    /// The output character is exactly the input bytes `start..end`.
    linear: bool,
}

/// Folds a string, optionally recording where each output byte came from.
struct Folder {
    out: String,
    record: bool,
    segments: Vec<Segment>,
    /// White space seen since the last output character, not yet written: it is dropped
    /// at the end of the text and next to a dash.
    pending_space: Option<Source>,
    after_dash: bool,
    cluster: Vec<char>,
}

impl Folder {
    fn new(record: bool, capacity: usize) -> Self {
        Folder {
            out: String::with_capacity(capacity),
            record,
            segments: Vec::new(),
            pending_space: None,
            after_dash: false,
            cluster: Vec::new(),
        }
    }

    /// Splits `text` into clusters, each starting at a stable character (or white space)
    /// and holding the characters that may combine with it, and folds each cluster.
    fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut unchanged = true;
        let mut after_space = false;
        let mut i = 0;
        while i < bytes.len() {
            let run = plain_run(text, i);
            if run > i {
                self.flush(start, i, unchanged);
                self.emit_plain(&text[i..run], i);
                (start, unchanged, after_space) = (run, true, false);
                i = run;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            // Nothing combines with white space, so it ends a cluster as well as starting one.
            let (folded, boundary) = match fold_char(c) {
                Fold::Char(f) => (Some(f), after_space || starts_cluster(f)),
                Fold::Space => (Some(' '), true),
                Fold::Drop => (None, after_space),
            };
            after_space = matches!(folded, Some(' '));
            if boundary && i > start {
                self.flush(start, i, unchanged);
                start = i;
                unchanged = true;
            }
            match folded {
                Some(f) => {
                    unchanged &= f == c;
                    self.cluster.push(f);
                }
                None => unchanged = false,
            }
            i += c.len_utf8();
        }
        self.flush(start, text.len(), unchanged);
    }

    /// Writes a run found by [`plain_run`], which folding leaves as it is.
    fn emit_plain(&mut self, run: &str, orig: usize) {
        if let Some(space) = self.pending_space.take() {
            self.push(' ', space);
        }
        self.after_dash = false;
        let norm = self.out.len();
        self.out.push_str(run);
        if !self.record {
            return;
        }
        let end = orig + run.len();
        match self.segments.last_mut() {
            Some(last) if last.linear && last.orig_end == orig => last.orig_end = end,
            _ => self.segments.push(Segment {
                norm,
                orig,
                orig_end: end,
                linear: true,
            }),
        }
    }

    fn flush(&mut self, start: usize, end: usize, unchanged: bool) {
        let mut cluster = std::mem::take(&mut self.cluster);
        match cluster.as_slice() {
            [] => {}
            &[c] if c == ' ' || is_stable(c) => {
                let source = Source {
                    start,
                    end,
                    linear: unchanged,
                };
                self.emit(c, source);
            }
            chars => {
                let source = Source {
                    start,
                    end,
                    linear: false,
                };
                for c in chars.iter().copied().nfkc() {
                    match fold_char(c) {
                        Fold::Char(f) => self.emit(f, source),
                        Fold::Space => self.emit(' ', source),
                        Fold::Drop => {}
                    }
                }
            }
        }
        cluster.clear();
        self.cluster = cluster;
    }

    fn emit(&mut self, c: char, source: Source) {
        match c {
            ' ' => {
                if self.out.is_empty() || self.after_dash {
                    return;
                }
                match &mut self.pending_space {
                    Some(pending) => {
                        pending.end = source.end;
                        pending.linear = false;
                    }
                    None => self.pending_space = Some(source),
                }
            }
            '-' => {
                self.pending_space = None;
                if !self.after_dash {
                    self.after_dash = true;
                    self.push('-', source);
                }
            }
            _ => {
                if let Some(space) = self.pending_space.take() {
                    self.push(' ', space);
                }
                self.after_dash = false;
                self.push(c, source);
            }
        }
    }

    fn push(&mut self, c: char, source: Source) {
        let norm = self.out.len();
        self.out.push(c);
        if !self.record {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            if source.linear && last.linear && last.orig_end == source.start {
                last.orig_end = source.end;
                return;
            }
            if !source.linear
                && !last.linear
                && (last.orig, last.orig_end) == (source.start, source.end)
            {
                return;
            }
        }
        self.segments.push(Segment {
            norm,
            orig: source.start,
            orig_end: source.end,
            linear: source.linear,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Excerpts of seed 001, with its curly quotes, apostrophes and em dashes.
    const TEXT: &str = "In the film’s conclusion, Ani finds herself in a car with Igor—the one \
individual who has displayed genuine empathy toward her and not merely viewed her through a \
transactional lens—and two pivotal things happen: she breaks down and they begin to grow closer.

One interpretation suggests Ani engages in sex as a means of expressing gratitude toward Igor. \
However, when he leans in to kiss her, she turns away and starts to cry. This moment transcends \
mere transaction, striking a deeper emotional chord.

“I perceive (the sex) as being about her—it’s not about something she’s giving to him, but \
rather a way for her to regain the power she lost throughout her journey,” he articulated.

Yet, after everything has been stripped away and she’s in the presence of Igor, the one \
individual she feels a semblance of safety with, Ani finally releases the built-up tension, \
stress, adrenaline, and anger. And that’s when she cries.
";

    /// The part of `TEXT` where `hay`, built from `TEXT`, finds `quote`.
    fn found(hay: &Haystack, quote: &str) -> &'static str {
        match hay.find(quote) {
            QuoteMatch::Found { start, end } => &TEXT[start..end],
            QuoteMatch::NotFound(c) => panic!("{quote:?} not found; closest: {c:?}"),
        }
    }

    fn not_found(hay: &Haystack, quote: &str) -> Closest {
        match hay.find(quote) {
            QuoteMatch::NotFound(c) => c,
            QuoteMatch::Found { start, end } => panic!("{quote:?} found at {start}..{end}"),
        }
    }

    #[test]
    fn exact_match() {
        let hay = Haystack::new(TEXT);
        assert_eq!(
            found(&hay, "she turns away and starts to cry"),
            "she turns away and starts to cry"
        );
    }

    #[test]
    fn straight_quotes_match_curly_text() {
        let hay = Haystack::new(TEXT);
        assert_eq!(
            found(&hay, "\"I perceive (the sex) as being about her"),
            "“I perceive (the sex) as being about her"
        );
        assert_eq!(
            found(&hay, "And that's when she cries."),
            "And that’s when she cries."
        );
    }

    #[test]
    fn curly_quotes_match_straight_text() {
        let hay = Haystack::new("He said \"it's over\" and left.");
        assert!(matches!(
            hay.find("said “it’s over”"),
            QuoteMatch::Found { .. }
        ));
        assert!(matches!(
            hay.find("said «it‘s over»"),
            QuoteMatch::Found { .. }
        ));
    }

    #[test]
    fn dashes_fold_to_hyphen() {
        let hay = Haystack::new(TEXT);
        assert_eq!(found(&hay, "with Igor-the one"), "with Igor—the one");
        assert_eq!(found(&hay, "with Igor – the one"), "with Igor—the one");
        assert_eq!(found(&hay, "with Igor -- the one"), "with Igor—the one");
        let hay = Haystack::new("a well-known song");
        assert!(matches!(
            hay.find("a well–known song"),
            QuoteMatch::Found { .. }
        ));
    }

    #[test]
    fn no_break_space_is_a_space() {
        let hay = Haystack::new("the 97th\u{A0}Oscars and Mikey\u{202F}Madison");
        assert!(matches!(
            hay.find("the 97th Oscars"),
            QuoteMatch::Found { .. }
        ));
        let hay = Haystack::new("the 97th Oscars");
        assert!(matches!(
            hay.find("the 97th\u{A0}Oscars"),
            QuoteMatch::Found { .. }
        ));
    }

    #[test]
    fn quote_across_a_line_break() {
        let hay = Haystack::new(TEXT);
        assert_eq!(
            found(&hay, "deeper emotional chord. “I perceive"),
            "deeper emotional chord.\n\n“I perceive"
        );
        let crlf = TEXT.replace('\n', "\r\n");
        let hay = Haystack::new(&crlf);
        let QuoteMatch::Found { start, end } = hay.find("emotional chord. \"I perceive") else {
            panic!("not found across CRLF");
        };
        assert_eq!(&crlf[start..end], "emotional chord.\r\n\r\n“I perceive");
    }

    #[test]
    fn elided_quote_is_found() {
        let hay = Haystack::new(TEXT);
        assert_eq!(
            found(
                &hay,
                "Ani finds herself in a car with Igor … and two pivotal things happen"
            ),
            "Ani finds herself in a car with Igor—the one individual who has displayed genuine \
empathy toward her and not merely viewed her through a transactional lens—and two pivotal \
things happen"
        );
        assert_eq!(
            found(
                &hay,
                "she turns away and starts to cry... striking a deeper emotional chord"
            ),
            "she turns away and starts to cry. This moment transcends mere transaction, striking \
a deeper emotional chord"
        );
        assert_eq!(
            found(&hay, "releases the built-up tension [...] and anger."),
            "releases the built-up tension, stress, adrenaline, and anger."
        );
        assert_eq!(
            found(&hay, "…she turns away. . . to cry…"),
            "she turns away and starts to cry"
        );
    }

    #[test]
    fn elided_parts_out_of_order_are_not_found() {
        let hay = Haystack::new(TEXT);
        not_found(
            &hay,
            "she turns away and starts to cry … when he leans in to kiss her",
        );
    }

    #[test]
    fn elided_parts_too_far_apart_are_not_found() {
        let filler = "Nothing of note happens in this sentence at all. ".repeat(60);
        let text = format!("The car scene opens the film. {filler} Ani cries at the end.");
        let hay = Haystack::new(&text);
        not_found(&hay, "The car scene opens … Ani cries at the end");
        let near = "The car scene opens the film. Ani cries at the end.";
        let hay = Haystack::new(near);
        assert!(matches!(
            hay.find("The car scene opens … Ani cries at the end"),
            QuoteMatch::Found { .. }
        ));
    }

    #[test]
    fn one_word_changed_shows_the_passage_and_the_word() {
        let hay = Haystack::new(TEXT);
        let c = not_found(
            &hay,
            "However, when he leans in to kiss her, she turns away and begins to cry.",
        );
        assert_eq!(
            c.passage,
            "However, when he leans in to kiss her, she turns away and starts to cry."
        );
        assert_eq!(c.line, 3);
        assert!(c.ratio > 0.9, "ratio {}", c.ratio);
        let changes: Vec<&DiffPart> = c
            .diff
            .iter()
            .filter(|p| !matches!(p, DiffPart::Same(_)))
            .collect();
        assert_eq!(
            changes,
            [
                &DiffPart::Removed("begins".into()),
                &DiffPart::Added("starts".into())
            ]
        );
        assert_eq!(
            render_diff(&c.diff),
            "However, when he leans in to kiss her, she turns away and [-begins-]{+starts+} to cry."
        );
    }

    #[test]
    fn quote_from_another_text_has_a_low_ratio() {
        let hay = Haystack::new(TEXT);
        // From seed 000.
        let c = not_found(
            &hay,
            "But the illusion shatters when Vanya’s family intervenes, forcing an annulment and \
exposing the brutal hierarchies of wealth and power.",
        );
        assert!(c.ratio < 0.5, "ratio {}", c.ratio);
        assert!(!c.passage.is_empty());
    }

    #[test]
    fn empty_text_and_empty_quote() {
        let hay = Haystack::new("");
        let c = not_found(&hay, "she breaks down");
        assert_eq!((c.passage.as_str(), c.line, c.ratio), ("", 1, 0.0));
        assert_eq!(c.diff, [DiffPart::Removed("she breaks down".into())]);

        let hay = Haystack::new(TEXT);
        for quote in ["", " \n ", "…", "[...]"] {
            assert_eq!(not_found(&hay, quote), Closest::nothing());
        }
    }

    #[test]
    fn case_is_not_folded() {
        let hay = Haystack::new(TEXT);
        let c = not_found(&hay, "she Turns away");
        assert_eq!(c.passage, "she turns away");
        assert_eq!(render_diff(&c.diff), "she [-Turns-]{+turns+} away");
    }

    #[test]
    fn matches_do_not_cut_words() {
        let hay = Haystack::new("the film “Anora” won five awards");
        not_found(&hay, "nora");
        not_found(&hay, "Anora” wo");
        assert!(matches!(hay.find("Anora"), QuoteMatch::Found { .. }));
    }

    #[test]
    fn found_range_maps_back_through_multibyte_text() {
        let text = "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.";
        let hay = Haystack::new(text);
        let cases = [
            ("Café \"naïve\"", "Café «naïve»"),
            ("naïve\" - final scène", "naïve» — ﬁnal\u{A0}scène"),
            ("final", "ﬁnal"),
            ("été", "e\u{301}te\u{301}"),
            ("full width.", "ｆｕｌｌ width."),
        ];
        for (quote, expected) in cases {
            let QuoteMatch::Found { start, end } = hay.find(quote) else {
                panic!("{quote:?} not found");
            };
            assert_eq!(&text[start..end], expected, "quote {quote:?}");
        }
    }

    #[test]
    fn normalize_folds_copying_noise_only() {
        assert_eq!(
            normalize("  It’s “done”—over…\r\n\tnow\u{AD}  "),
            "It's \"done\"-over... now"
        );
        assert_eq!(normalize("Ａｎｏｒａ ﬁlm"), "Anora film");
        assert_eq!(normalize("The End"), "The End");
    }

    #[test]
    fn passage_line_counts_original_lines() {
        let hay = Haystack::new(TEXT);
        let c = not_found(&hay, "And that’s when she laughs.");
        assert_eq!(c.passage, "And that’s when she cries.");
        assert_eq!(c.line, 7);
    }

    #[test]
    fn more_ellipsis_forms() {
        let hay = Haystack::new(TEXT);
        assert_eq!(
            found(
                &hay,
                "she turns away and starts to cry.... This moment transcends"
            ),
            "she turns away and starts to cry. This moment transcends"
        );
        assert_eq!(
            found(&hay, "Ani finds herself (...) with Igor"),
            "Ani finds herself in a car with Igor"
        );
        assert_eq!(
            found(&hay, "Ani finds herself [ … ] with Igor"),
            "Ani finds herself in a car with Igor"
        );
        // Dots that are not an ellipsis stay literal.
        not_found(&hay, "Ani finds herself .. with Igor");
    }

    #[test]
    fn combining_marks_join_the_preceding_letter() {
        let text = "Cafe\u{301} au lait, and the sce\u{300}ne ends.";
        let hay = Haystack::new(text);
        for (quote, expected) in [
            ("Café au lait", "Cafe\u{301} au lait"),
            ("the scène ends.", "the sce\u{300}ne ends."),
        ] {
            let QuoteMatch::Found { start, end } = hay.find(quote) else {
                panic!("{quote:?} not found");
            };
            assert_eq!(&text[start..end], expected);
        }
        not_found(&hay, "Cafe au lait");
    }

    #[test]
    fn normalize_is_idempotent() {
        for s in [
            TEXT,
            "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.",
            " a -- b \u{AD}c\r\n\u{A8}d ‶e″ - ",
        ] {
            let once = normalize(s);
            assert_eq!(normalize(&once), once);
        }
    }

    /// Every span of up to a dozen words of the text is found, and the reported range
    /// folds to the same thing as the quote.
    #[test]
    fn every_span_maps_back_to_what_was_quoted() {
        let extra = "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.";
        let text = format!("{TEXT}\r\n{extra}");
        let hay = Haystack::new(&text);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices(' ').map(|(i, _)| i + 1))
            .collect();
        let ends: Vec<usize> = text
            .match_indices(' ')
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        for (k, &a) in starts.iter().enumerate() {
            for &b in ends.iter().skip(k).take(12) {
                let quote = &text[a..b];
                if normalize(quote).is_empty() {
                    continue;
                }
                match hay.find(quote) {
                    QuoteMatch::Found { start, end } => {
                        assert_eq!(normalize(&text[start..end]), normalize(quote), "{quote:?}");
                    }
                    QuoteMatch::NotFound(_) => panic!("{quote:?} not found"),
                }
            }
        }
    }

    #[test]
    fn replaced_phrase_is_one_change() {
        assert_eq!(
            render_diff(&word_diff("a big red car", "a small blue car")),
            "a [-big red-]{+small blue+} car"
        );
    }
}

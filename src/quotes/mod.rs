//! Quote matching: whether a claim's `quote` occurs in a source's archived text and, when
//! it does not, which passage of the text comes closest (docs/formats.md); and which quotes of one
//! person, reported by different sources, are one remark worded differently (docs/rules.md).
//!
//! Both share the folding that makes two texts comparable, the word index, the search for
//! a (possibly elided) quote and the word diff. The parts live in their own files:
//!
//! * `fold`: the folding of [`normalize`], and the map from folded offsets back to the
//!   original text;
//! * `index`: what a word is, and the index of where each word occurs;
//! * `search`: a quote's parts between ellipses, and where they occur;
//! * `closest`: the closest passage to a quote that does not occur ([`Closest`]);
//! * `diff`: the word diff ([`DiffPart`], [`render_diff`]);
//! * [`remark`]: pairs of quotes that are one remark ([`same_remarks`]), with the measure
//!   and thresholds it uses.
//!
//! Nothing here does I/O or prints: callers read the text, build one [`Haystack`] per text
//! and ask it about each quote.
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
//! punctuation comes with it. The passage's `ratio` and `diff` compare the normalised
//! quote and passage, so folding never shows up as a difference.
//!
//! # Cost
//!
//! Whatever the text or the quote, the work stays near-linear in their lengths and the
//! memory linear. The text is folded and indexed once. An exact or elided search visits
//! each occurrence of each part's rarest word at most once, keeping one cursor per part
//! (not the list of every occurrence). A closest-passage search aligns the quote with a
//! few places: a quote of up to about 700 words against the whole region around each, a
//! longer one within a band around the path fixed by the words that occur once in both
//! the quote and the region, so a 20,000-word quote costs some millions of steps rather
//! than billions.

mod closest;
mod diff;
mod fold;
mod index;
pub mod remark;
mod search;
#[cfg(test)]
mod tests;

pub use closest::Closest;
pub use diff::{DiffPart, render_diff, word_diff};
pub use fold::normalize;
pub use remark::{
    RemarkClass, RemarkPair, RemarkQuote, RemarkStats, same_remarks, same_remarks_counted,
    same_remarks_rendered,
};

use closest::AlignWork;
use fold::SegmentMap;
use index::WordIndex;
use search::{SearchWork, split_elisions};

/// Smallest span, in bytes of normalised text, that an elided quote may cover.
pub const ELISION_MIN_SPAN: usize = 2_000;

/// An elided quote may also span this many times its own normalised length, so that a
/// long quote with a short elision is not held to [`ELISION_MIN_SPAN`].
pub const ELISION_FACTOR: usize = 4;

/// An archived text prepared for searching: normalised once, with a map back to the original.
pub struct Haystack {
    original: String,
    /// The text folded by the rules of [`normalize`].
    norm: String,
    /// From `norm` byte offsets back to `original` byte offsets.
    map: SegmentMap,
    /// Byte offsets of the `\n`s of `original`, to turn an offset into a line number.
    newlines: Vec<usize>,
    /// The words of `norm` and where each occurs.
    index: WordIndex,
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

impl Haystack {
    /// Folds `original` and indexes its words; do this once per text and reuse it for
    /// all of the text's quotes.
    #[must_use]
    pub fn new(original: &str) -> Self {
        let (norm, map) = fold::fold_mapped(original);
        let newlines = original
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let index = WordIndex::new(&norm);
        Haystack {
            original: original.to_owned(),
            norm,
            map,
            newlines,
            index,
        }
    }

    /// Looks for `quote` under the rules in the module documentation; where it occurs
    /// more than once, the first occurrence is returned.
    #[must_use]
    pub fn find(&self, quote: &str) -> QuoteMatch {
        self.find_counted(quote, &mut SearchWork::default(), &mut AlignWork::default())
    }

    /// Like [`Haystack::find`], but without looking for the closest passage: the byte
    /// range of the original text where `quote` occurs, if it does.
    #[must_use]
    pub fn locate_quote(&self, quote: &str) -> Option<(usize, usize)> {
        let q = normalize(quote);
        self.locate_normalized(&q, &mut SearchWork::default())
    }

    fn find_counted(
        &self,
        quote: &str,
        search: &mut SearchWork,
        align: &mut AlignWork,
    ) -> QuoteMatch {
        let q = normalize(quote);
        if split_elisions(&q).is_empty() {
            return QuoteMatch::NotFound(Closest::nothing());
        }
        match self.locate_normalized(&q, search) {
            Some((start, end)) => QuoteMatch::Found { start, end },
            None => QuoteMatch::NotFound(self.closest(&q, align)),
        }
    }

    /// Where the normalised quote `q` occurs, as a byte range of the original text.
    fn locate_normalized(&self, q: &str, work: &mut SearchWork) -> Option<(usize, usize)> {
        let parts = split_elisions(q);
        if parts.is_empty() {
            return None;
        }
        let limit = (parts.len() > 1).then(|| ELISION_MIN_SPAN.max(ELISION_FACTOR * q.len()));
        let (start, end) = self.locate(&parts, limit, work)?;
        Some((self.map.start(start), self.map.end(end)))
    }
}

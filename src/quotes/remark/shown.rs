//! What a pair of quotes shows: never more than a bounded number of words a side, so that
//! what a person's pairs print grows with the number of pairs, not with pairs × the length
//! of the quotes. One long quote and a thousand excerpts of it make a thousand pairs; each
//! shows its excerpt located in the long quote, with a few words of context either side,
//! not the long quote again.

use crate::quotes::Haystack;

/// The most words one side of a pair shows; a longer side is cut, with `…` where it is.
pub const MAX_SHOWN_WORDS: usize = 80;

/// Words of the longer quote shown before and after an excerpt located in it.
pub const EXCERPT_CONTEXT_WORDS: usize = 12;

/// The byte ranges of the words (what white space separates) of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Words `from..to` of `text` (as `spans` gives them), with `…` where words were left out.
fn words(text: &str, spans: &[(usize, usize)], from: usize, to: usize) -> String {
    let to = to.min(from + MAX_SHOWN_WORDS).min(spans.len());
    let mut out = String::new();
    if from > 0 {
        out.push_str("… ");
    }
    if from < to {
        let words = spans[from..to].iter().map(|&(s, e)| &text[s..e]);
        out.push_str(&words.collect::<Vec<_>>().join(" "));
    }
    if to < spans.len() {
        out.push_str(" …");
    }
    out
}

/// What the pairs show of the quotes, with what was found of each quote kept for the next
/// pair: a long quote in a thousand pairs has its words split and its index built once.
pub(super) struct Shown<'a> {
    norm: &'a [String],
    spans: Vec<Option<Vec<(usize, usize)>>>,
    haystacks: Vec<Option<Haystack>>,
}

impl<'a> Shown<'a> {
    /// For the folded quotes `norm`.
    pub(super) fn new(norm: &'a [String]) -> Self {
        Shown {
            norm,
            spans: (0..norm.len()).map(|_| None).collect(),
            haystacks: (0..norm.len()).map(|_| None).collect(),
        }
    }

    fn spans(&mut self, i: usize) -> &[(usize, usize)] {
        let norm = &self.norm[i];
        self.spans[i].get_or_insert_with(|| word_spans(norm))
    }

    /// Quote `i` as a pair shows it: `None` when it is shown whole (it has at most
    /// [`MAX_SHOWN_WORDS`] words), else its first words.
    pub(super) fn capped(&mut self, i: usize) -> Option<String> {
        let text = self.norm[i].as_str();
        let spans = self.spans(i);
        (spans.len() > MAX_SHOWN_WORDS).then(|| words(text, spans, 0, MAX_SHOWN_WORDS))
    }

    /// Quote `long` as an excerpt pair shows it: quote `short` located in it, with
    /// [`EXCERPT_CONTEXT_WORDS`] words either side; `None` when that is all of it.
    pub(super) fn around_excerpt(&mut self, long: usize, short: usize) -> Option<String> {
        if self.spans(long).len() <= 2 * EXCERPT_CONTEXT_WORDS + 1 {
            return self.capped(long);
        }
        let norm = self.norm;
        let haystack = self.haystacks[long].get_or_insert_with(|| Haystack::new(&norm[long]));
        let Some((start, end)) = locate(haystack, &norm[short]) else {
            return self.capped(long);
        };
        let text = norm[long].as_str();
        let spans = self.spans(long);
        let first = spans.partition_point(|&(_, e)| e <= start);
        let last = spans.partition_point(|&(s, _)| s < end);
        let from = first.saturating_sub(EXCERPT_CONTEXT_WORDS);
        let to = (last + EXCERPT_CONTEXT_WORDS).min(spans.len());
        (from > 0 || to < spans.len() || last - first > MAX_SHOWN_WORDS)
            .then(|| words(text, spans, from, to))
    }
}

/// Where `short` occurs in the haystack's text; a first letter capitalised (or not) because
/// the excerpt starts a sentence of its own does not count.
fn locate(haystack: &Haystack, short: &str) -> Option<(usize, usize)> {
    haystack.locate_quote(short).or_else(|| {
        let mut chars = short.chars();
        let first = chars.next()?;
        let swapped: String = if first.is_uppercase() {
            first.to_lowercase().chain(chars).collect()
        } else {
            first.to_uppercase().chain(chars).collect()
        };
        haystack.locate_quote(&swapped)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> String {
        (0..n)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn an_excerpt_is_shown_in_its_context_and_no_more() {
        let norm = [
            numbered(1000),
            "w500 w501 w502 w503".to_string(),
            "W0 w1 w2 w3".to_string(),
        ];
        let mut shown = Shown::new(&norm);
        let around = shown.around_excerpt(0, 1).unwrap();
        let context: Vec<String> = (488..516).map(|i| format!("w{i}")).collect();
        assert_eq!(around, format!("… {} …", context.join(" ")));
        // at the start, nothing is cut before
        let around = shown.around_excerpt(0, 2).unwrap();
        assert!(
            around.starts_with("w0 w1") && around.ends_with(" …"),
            "{around}"
        );
    }

    #[test]
    fn short_quotes_are_shown_whole_and_long_ones_cut() {
        let norm = [
            "a few words".to_string(),
            "a few words here".to_string(),
            "few words".to_string(),
            numbered(500),
        ];
        let mut shown = Shown::new(&norm);
        assert_eq!(shown.capped(0), None);
        assert_eq!(shown.around_excerpt(1, 2), None);
        let cut = shown.capped(3).unwrap();
        assert_eq!(cut.split(' ').count(), MAX_SHOWN_WORDS + 1);
        assert!(cut.ends_with(" …"));
    }
}

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

/// `text` (a folded quote) as a pair shows it: `None` when it is shown whole (it has at most
/// [`MAX_SHOWN_WORDS`] words), else its first words.
pub(super) fn capped(text: &str) -> Option<String> {
    let spans = word_spans(text);
    (spans.len() > MAX_SHOWN_WORDS).then(|| words(text, &spans, 0, MAX_SHOWN_WORDS))
}

/// The folded quote `long` as an excerpt pair shows it: the excerpt `short` located in it,
/// with [`EXCERPT_CONTEXT_WORDS`] words either side; `None` when that is all of it.
pub(super) fn around_excerpt(long: &str, short: &str) -> Option<String> {
    let spans = word_spans(long);
    if spans.len() <= 2 * EXCERPT_CONTEXT_WORDS + 1 {
        return capped(long);
    }
    let haystack = Haystack::new(long);
    let located = haystack.locate_quote(short).or_else(|| {
        // a first letter capitalised because the excerpt starts a sentence of its own
        let mut chars = short.chars();
        let first = chars.next()?;
        let swapped: String = if first.is_uppercase() {
            first.to_lowercase().chain(chars).collect()
        } else {
            first.to_uppercase().chain(chars).collect()
        };
        haystack.locate_quote(&swapped)
    });
    let Some((start, end)) = located else {
        return capped(long);
    };
    let first = spans.partition_point(|&(_, e)| e <= start);
    let last = spans.partition_point(|&(s, _)| s < end);
    let from = first.saturating_sub(EXCERPT_CONTEXT_WORDS);
    let to = (last + EXCERPT_CONTEXT_WORDS).min(spans.len());
    (from > 0 || to < spans.len() || last - first > MAX_SHOWN_WORDS)
        .then(|| words(long, &spans, from, to))
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
        let long = numbered(1000);
        let shown = around_excerpt(&long, "w500 w501 w502 w503").unwrap();
        assert_eq!(
            shown,
            format!(
                "… {} …",
                (488..516)
                    .map(|i| format!("w{i}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        );
        // at the start, nothing is cut before
        let shown = around_excerpt(&long, "W0 w1 w2 w3").unwrap();
        assert!(
            shown.starts_with("w0 w1") && shown.ends_with(" …"),
            "{shown}"
        );
    }

    #[test]
    fn short_quotes_are_shown_whole_and_long_ones_cut() {
        assert_eq!(capped("a few words"), None);
        assert_eq!(around_excerpt("a few words here", "few words"), None);
        let cut = capped(&numbered(500)).unwrap();
        assert_eq!(cut.split(' ').count(), MAX_SHOWN_WORDS + 1);
        assert!(cut.ends_with(" …"));
    }
}

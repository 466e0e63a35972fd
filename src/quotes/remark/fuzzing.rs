//! The remark matcher driven from bytes, for the fuzz target and its regression tests: the
//! bytes are quotes separated by NUL bytes, each led by a byte giving its source (the low two
//! bits) and whether it came through an outlet (the next bit). Pairs must be in order, of
//! different sources, with a similarity between 0 and 1, and show a bounded number of words.

use super::{
    EXCERPT_CONTEXT_WORDS, MAX_SHOWN_WORDS, RemarkQuote, same_remarks, same_remarks_rendered,
};

/// Matches the quotes `data` holds (see the module documentation); returns the pairs found.
pub fn remarks_bytes(data: &[u8]) -> usize {
    let quotes: Vec<RemarkQuote> = data
        .split(|&b| b == 0)
        .filter_map(|chunk| {
            let (&head, text) = chunk.split_first()?;
            Some(RemarkQuote {
                text: std::str::from_utf8(text).ok()?,
                group: u32::from(head & 3),
                outlet: (head & 4 != 0).then_some("Outlet"),
            })
        })
        .collect();
    let pairs = same_remarks(&quotes);
    for p in &pairs {
        assert!(p.left < p.right && p.right < quotes.len());
        assert_ne!(quotes[p.left].group, quotes[p.right].group);
        assert!((0.0..=1.0).contains(&p.similarity), "{}", p.similarity);
        for shown in [&p.left_shown, &p.right_shown].into_iter().flatten() {
            let words = shown.split_whitespace().count();
            assert!(
                words <= MAX_SHOWN_WORDS + 2 * EXCERPT_CONTEXT_WORDS + 2,
                "{words}"
            );
        }
    }
    assert_eq!(same_remarks_rendered(&quotes).len(), pairs.len());
    pairs.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_excerpt_of_another_source_is_a_pair() {
        // sources 1 and 2 (`a` and `b`), no outlet
        let data = b"aI wanted the ending to stay open for everyone\x00bthe ending to stay open";
        assert_eq!(super::remarks_bytes(data), 1);
    }
}

//! Where each claim of a work goes in a REFI-QDA project: finds each source's archived
//! text (as `check` does, confined to its folder), places each quote in it at character
//! positions, and sets aside what cannot be placed.

use rayon::prelude::*;

use crate::corpus::Work;
use crate::corpus::texts::{Archived, TextsLookup, archived_text};
use crate::diagnostic::Diagnostic;
use crate::quotes::{Haystack, QuoteMatch};

/// What becomes of one source.
#[derive(Debug, Clone, PartialEq)]
pub enum SourcePlan {
    /// The source's archived text was found: it becomes a text source.
    Text(TextPlan),
    /// No text was named, or the one named was not found: its claims become notes.
    NoText,
}

/// A source whose text was found.
#[derive(Debug, Clone, PartialEq)]
pub struct TextPlan {
    /// The text as exported: as read (without a byte-order mark), with every line ending
    /// made a line feed, so that the positions hold for any reader of the file.
    pub text: String,
    /// Claims whose quote was found, in claim order.
    pub placed: Vec<Placed>,
    /// Claims that cannot be placed, in claim order.
    pub unplaced: Vec<Unplaced>,
}

/// A claim whose quote occurs in the text, at `start..end` in Unicode code points (the
/// REFI-QDA standard counts selections in code points from 0; the end is the position
/// just after the last character).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub claim: usize,
    pub start: usize,
    pub end: usize,
}

/// A claim of a source with a text that has no place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unplaced {
    pub claim: usize,
    pub why: Why,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The claim has a summary and no quote.
    NoQuote,
    /// The quote does not occur in the text.
    NotFound,
}

/// The plan of every source of the work, in the work's order. An archived text that lies
/// outside its folder, that is not a regular file or that is not UTF-8 fails the export,
/// with the claim file's line that names it: `check` reports it as an error too.
pub fn plan(work: &Work, dirs: &TextsLookup) -> Result<Vec<SourcePlan>, Diagnostic> {
    if let Some(d) = dirs.problems.first() {
        return Err(d.clone());
    }
    work.sources
        .par_iter()
        .map(|source| {
            let Some((name, pos)) = &source.text else {
                return Ok(SourcePlan::NoText);
            };
            let text = match archived_text(source, name, *pos, dirs) {
                Archived::Found(file) => unify_line_ends(&file.text),
                Archived::Missing(_) => return Ok(SourcePlan::NoText),
                Archived::Refused(d) => return Err(d),
            };
            let quotes: Vec<Option<&str>> = source.claims.iter().map(|c| c.quote()).collect();
            Ok(SourcePlan::Text(place(text, &quotes)))
        })
        .collect()
}

/// CRLF and lone CR become LF: readers of plain text commonly do this on reading, and a
/// position counted before it would then be off by one per line.
fn unify_line_ends(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

/// Places each claim's quote (`None`: the claim has none) in `text`.
pub fn place(text: String, quotes: &[Option<&str>]) -> TextPlan {
    let haystack = Haystack::new(&text);
    let mut found = Vec::new();
    let mut unplaced = Vec::new();
    for (claim, quote) in quotes.iter().enumerate() {
        match quote.map(|q| haystack.find(q)) {
            None => unplaced.push(Unplaced {
                claim,
                why: Why::NoQuote,
            }),
            Some(QuoteMatch::NotFound(_)) => unplaced.push(Unplaced {
                claim,
                why: Why::NotFound,
            }),
            Some(QuoteMatch::Found { start, end }) => found.push((claim, start, end)),
        }
    }
    let bytes: Vec<usize> = found.iter().flat_map(|&(_, s, e)| [s, e]).collect();
    let chars = code_point_offsets(&text, &bytes);
    let placed = found
        .iter()
        .zip(chars.chunks_exact(2))
        .map(|(&(claim, _, _), se)| Placed {
            claim,
            start: se[0],
            end: se[1],
        })
        .collect();
    TextPlan {
        text,
        placed,
        unplaced,
    }
}

/// The code-point offset of each byte offset of `text` (each on a character boundary), in
/// one pass over the text however many offsets there are.
pub fn code_point_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..bytes.len()).collect();
    order.sort_by_key(|&i| bytes[i]);
    let mut out = vec![0; bytes.len()];
    let (mut at_byte, mut at_char) = (0, 0);
    for i in order {
        let b = bytes[i].min(text.len());
        at_char += text[at_byte..b].chars().count();
        at_byte = b;
        out[i] = at_char;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_code_points_not_bytes_or_utf16_units() {
        let text = "🎬 é, the end";
        let start = text.find("the").unwrap();
        assert_eq!(
            code_point_offsets(text, &[start, 0, text.len()]),
            [5, 0, 12]
        );
    }

    #[test]
    fn a_quote_after_an_astral_character_is_placed_in_code_points() {
        let text = "Intro 🎬🎬 then: “She keeps the ring.” Later.".to_string();
        let plan = place(
            text.clone(),
            &[Some("She keeps the ring."), None, Some("absent words")],
        );
        let p = plan.placed[0];
        let chars: Vec<char> = text.chars().collect();
        let selected: String = chars[p.start..p.end].iter().collect();
        assert_eq!(selected, "She keeps the ring.");
        assert_eq!(p.start, 16, "🎬 is one code point (two UTF-16 units)");
        assert_eq!(
            plan.unplaced,
            [
                Unplaced {
                    claim: 1,
                    why: Why::NoQuote
                },
                Unplaced {
                    claim: 2,
                    why: Why::NotFound
                }
            ]
        );
    }

    #[test]
    fn an_elided_quote_spans_from_its_first_part_to_its_last() {
        let text = "One two three four five six.".to_string();
        let plan = place(text, &[Some("two three … five six")]);
        assert_eq!((plan.placed[0].start, plan.placed[0].end), (4, 27));
    }

    proptest::proptest! {
        #[test]
        fn offsets_are_the_count_of_characters_before(text in "\\PC{0,40}", picks in proptest::collection::vec(0usize..64, 0..8)) {
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let bytes: Vec<usize> = picks.iter().map(|p| bounds[p % bounds.len()]).collect();
            let expected: Vec<usize> = bytes.iter().map(|&b| text[..b].chars().count()).collect();
            proptest::prop_assert_eq!(code_point_offsets(&text, &bytes), expected);
        }
    }

    #[test]
    fn line_ends_become_line_feeds() {
        assert_eq!(unify_line_ends("a\r\nb\rc\n"), "a\nb\nc\n");
    }
}

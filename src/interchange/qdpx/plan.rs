//! Where each claim of a work goes in a REFI-QDA project: gathers, for each source, every
//! claim set about it (the work's own and each coder's), finds its archived text (as `check`
//! does, confined to its folder), places each quote in it at character positions, and sets
//! aside what cannot be placed.

use std::path::Path;

use crate::corpus::texts::{Archived, TextsLookup, archived_text};
use crate::corpus::{Source, Work};
use crate::diagnostic::Diagnostic;
use crate::quotes::Haystack;

/// One text source of the project: a source id, the source whose metadata it is exported
/// with, and every claim set about it, the work's own first and then each coder's.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// the work's claim set, else the first coding (in coder order): its metadata
    pub source: &'a Source,
    pub sets: Vec<ClaimSet<'a>>,
}

/// The claims one user made about a source: the work's claim set (`coder` is `None`) or a
/// coder's coding.
#[derive(Debug, Clone, Copy)]
pub struct ClaimSet<'a> {
    pub coder: Option<&'a str>,
    pub claims: &'a Source,
}

/// Every source of the work with its claim sets, in source id order: the work's sources and
/// the sources that only coders coded.
pub fn entries(work: &Work) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = work
        .sources
        .iter()
        .map(|s| Entry {
            source: s,
            sets: vec![ClaimSet {
                coder: None,
                claims: s,
            }],
        })
        .collect();
    let mut codings: Vec<(&str, &Source)> =
        work.codings().map(|(c, s)| (c.id.as_str(), s)).collect();
    // by source, coders in id order within each (`codings` is coder by coder)
    codings.sort_by(|a, b| (a.1.id.as_str(), a.0).cmp(&(b.1.id.as_str(), b.0)));
    for (coder, coding) in codings {
        let set = ClaimSet {
            coder: Some(coder),
            claims: coding,
        };
        match entries.binary_search_by(|e| e.source.id.as_str().cmp(&coding.id)) {
            Ok(i) => entries[i].sets.push(set),
            Err(i) => entries.insert(
                i,
                Entry {
                    source: coding,
                    sets: vec![set],
                },
            ),
        }
    }
    entries
}

/// What becomes of one source.
#[derive(Debug, Clone, PartialEq)]
pub enum SourcePlan {
    /// The source's archived text was found: it becomes a text source.
    Text(TextPlan),
    /// No text was named, or the one named was not found: its claims become notes.
    NoText,
}

/// The places of the claims of each claim set of a source whose text was found, one
/// [`SetPlan`] per claim set, in the entry's order. The text itself is not kept: it is
/// written into the project as soon as it is planned.
#[derive(Debug, Clone, PartialEq)]
pub struct TextPlan {
    pub sets: Vec<SetPlan>,
}

/// Where the claims of one claim set go in its source's text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SetPlan {
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

/// Where to look for archived texts, as `check` looks: the work's `texts/` folder, then
/// `extra`, each read through its gate.
pub fn text_dirs(work: &Work, extra: Option<&Path>) -> Result<TextsLookup, Diagnostic> {
    // the corpus folder holds the work's folder
    let root = work.dir.parent().unwrap_or(Path::new("."));
    let lookup = TextsLookup::new(&work.dir, root, extra);
    match lookup.problems.first() {
        Some(d) => Err(d.clone()),
        None => Ok(lookup),
    }
}

/// The plan of one source and its text as exported (`None` without one). An archived text
/// that lies outside its folder, or that is not UTF-8, fails the export: `check` reports it
/// as an error too.
pub fn plan(entry: &Entry, dirs: &TextsLookup) -> Result<(SourcePlan, Option<String>), Diagnostic> {
    let Some(text) = find_text(entry.source, dirs)? else {
        return Ok((SourcePlan::NoText, None));
    };
    let haystack = Haystack::new(&text);
    let sets = entry
        .sets
        .iter()
        .map(|set| {
            let quotes: Vec<Option<&str>> = set.claims.claims.iter().map(|c| c.quote()).collect();
            place(&text, &haystack, &quotes)
        })
        .collect();
    drop(haystack);
    Ok((SourcePlan::Text(TextPlan { sets }), Some(text)))
}

/// The archived text `source` names, found as `check` finds it, line ends made line feeds;
/// `None` when it names none or none is found. A text that may not be read (a link leading
/// out of its folder, a FIFO, not UTF-8) is an error at the claim file's `text`.
pub(crate) fn find_text(source: &Source, dirs: &TextsLookup) -> Result<Option<String>, Diagnostic> {
    let Some((name, pos)) = &source.text else {
        return Ok(None);
    };
    match archived_text(source, name, *pos, dirs) {
        Archived::Found(file) => Ok(Some(unify_line_ends(&file.text))),
        Archived::Missing(_) => Ok(None),
        Archived::Refused(d) => Err(d),
    }
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

/// Places each claim's quote (`None`: the claim has none) in `text`, searched through
/// `haystack` (made from `text`).
pub fn place(text: &str, haystack: &Haystack, quotes: &[Option<&str>]) -> SetPlan {
    let mut found = Vec::new();
    let mut unplaced = Vec::new();
    for (claim, quote) in quotes.iter().enumerate() {
        // where it is, not (as `check` does) the passage it comes closest to
        match quote.map(|q| haystack.locate_quote(q)) {
            None => unplaced.push(Unplaced {
                claim,
                why: Why::NoQuote,
            }),
            Some(None) => unplaced.push(Unplaced {
                claim,
                why: Why::NotFound,
            }),
            Some(Some((start, end))) => found.push((claim, start, end)),
        }
    }
    let bytes: Vec<usize> = found.iter().flat_map(|&(_, s, e)| [s, e]).collect();
    let chars = code_point_offsets(text, &bytes);
    let placed = found
        .iter()
        .zip(chars.chunks_exact(2))
        .map(|(&(claim, _, _), se)| Placed {
            claim,
            start: se[0],
            end: se[1],
        })
        .collect();
    SetPlan { placed, unplaced }
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

    fn place_in(text: &str, quotes: &[Option<&str>]) -> SetPlan {
        place(text, &Haystack::new(text), quotes)
    }

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
        let text = "Intro 🎬🎬 then: “She keeps the ring.” Later.";
        let plan = place_in(
            text,
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
        let plan = place_in(
            "One two three four five six.",
            &[Some("two three … five six")],
        );
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

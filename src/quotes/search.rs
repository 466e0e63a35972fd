//! Where a quote occurs: its parts between ellipses, each looked up through the word
//! index, and the earliest placement of all of them, in order, within one passage.
//!
//! The search for an elided quote keeps one cursor per part and one chain of placements,
//! never the list of every occurrence: a quote of a thousand parts that are each a common
//! word of a long text needs memory in the number of parts, not in parts × occurrences.

use unicode_normalization::char::is_combining_mark;

use super::Haystack;
use super::index::{is_word_char, tokenize};

/// Work done by a search, for tests that check it stays proportionate.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct SearchWork {
    /// Places compared byte for byte with a part.
    pub(super) checks: usize,
}

impl Haystack {
    /// The earliest placement of `parts`, in order and without overlap, within `limit`
    /// bytes of normalised text (no limit for a single part), as a normalised byte range.
    ///
    /// For each start (an occurrence of the first part), each next part is placed at its
    /// first occurrence after the previous part ends. These greedy placements only move
    /// forward as the start does, so every part's cursor only moves forward. Two more
    /// facts keep the walk short. When a start's chain reaches a placement the previous
    /// chain had, the rest of that chain is the same and is not walked again. When a chain
    /// overruns the limit at some part, ending at `e`, no start before `e - limit` can do
    /// better, so the next start is looked for from there.
    pub(super) fn locate(
        &self,
        parts: &[&str],
        limit: Option<usize>,
        work: &mut SearchWork,
    ) -> Option<(usize, usize)> {
        let mut cursors = parts
            .iter()
            .map(|p| Occurrences::new(self, p))
            .collect::<Option<Vec<_>>>()?;
        let limit = limit.unwrap_or(usize::MAX);
        let n = parts.len();
        // placed[k]: where part k starts in the chain of the latest start; the first
        // `known` entries are that chain's and end within its limit.
        let mut placed = vec![0; n];
        let mut known = 0;
        let mut from = 0;
        loop {
            let start = cursors[0].at_or_after(self, from, work)?;
            placed[0] = start;
            let mut k = 1;
            let overrun = loop {
                if k == n {
                    return Some((start, placed[n - 1] + parts[n - 1].len()));
                }
                let after = placed[k - 1] + parts[k - 1].len();
                // No occurrence after this one: later starts would need one even later.
                let at = cursors[k].at_or_after(self, after, work)?;
                if k < known && at == placed[k] {
                    // The rest of the previous chain fitted in the previous start's limit,
                    // so it fits in this later start's.
                    k = known;
                    continue;
                }
                placed[k] = at;
                let end = at + parts[k].len();
                if end - start > limit {
                    break end;
                }
                k += 1;
            };
            known = k;
            from = overrun - limit;
        }
    }

    pub(super) fn occurs_at(&self, part: &str, start: usize) -> bool {
        occurs_at(&self.norm, part, start)
    }
}

/// Whether `part` occurs in the folded `text` at byte `start`, not cutting a word nor
/// separating a character from its accents.
fn occurs_at(text: &str, part: &str, start: usize) -> bool {
    let end = start + part.len();
    // Equal bytes starting with `part`'s first byte fall on character boundaries.
    if text.as_bytes().get(start..end) != Some(part.as_bytes()) {
        return false;
    }
    let cuts_before = part.chars().next().is_some_and(is_word_char)
        && text[..start].chars().next_back().is_some_and(is_word_char);
    let next = text[end..].chars().next();
    let cuts_after =
        part.chars().next_back().is_some_and(is_word_char) && next.is_some_and(is_word_char);
    // Nor may it separate a character from its accents.
    let cuts_marks =
        part.chars().next().is_some_and(is_combining_mark) || next.is_some_and(is_combining_mark);
    !cuts_before && !cuts_after && !cuts_marks
}

/// Whether a quote of one part (no ellipsis) occurs in the folded `text`, as
/// [`Haystack::locate`] would find it there: for a short text searched once, a scan costs
/// less than folding and indexing it.
pub(super) fn occurs_in(text: &str, part: &str) -> bool {
    let mut i = 0;
    while let Some(k) = text[i..].find(part) {
        let at = i + k;
        if occurs_at(text, part, at) {
            return true;
        }
        i = at + part.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// The occurrences of one part of a quote, visited in ascending order as a search moves
/// forward.
///
/// A match cannot cut a word, so each of the part's words is a whole word of the text at
/// the match: the part's rarest word, from the index, pins down the few places worth
/// comparing. A part without words (only punctuation) is rare enough to scan for.
struct Occurrences<'a> {
    part: &'a str,
    place: Place<'a>,
}

enum Place<'a> {
    Anchored {
        /// Word indices of the part's rarest word, ascending.
        list: &'a [usize],
        /// Where that word starts within the part.
        offset: usize,
        /// The first entry of `list` not yet passed.
        next: usize,
        /// Whether `list[next]` is known to be an occurrence.
        confirmed: bool,
    },
    Scanned {
        /// The first occurrence at or after `from`, once looked for.
        found: Option<usize>,
        from: usize,
    },
}

impl<'a> Occurrences<'a> {
    /// `None` if one of the part's words is nowhere in the text.
    fn new(hay: &'a Haystack, part: &'a str) -> Option<Self> {
        let mut key = String::new();
        let mut anchor: Option<(&[usize], usize)> = None;
        for w in tokenize(part) {
            let list = hay.index.posting_list(&part[w.start..w.end], &mut key)?;
            if anchor.is_none_or(|(best, _)| list.len() < best.len()) {
                anchor = Some((list, w.start));
            }
        }
        let place = match anchor {
            Some((list, offset)) => Place::Anchored {
                list,
                offset,
                next: 0,
                confirmed: false,
            },
            None => Place::Scanned {
                found: None,
                from: 0,
            },
        };
        Some(Occurrences { part, place })
    }

    /// The first occurrence starting at or after `pos`. Calls must not go backwards.
    fn at_or_after(&mut self, hay: &Haystack, pos: usize, work: &mut SearchWork) -> Option<usize> {
        let part = self.part;
        match &mut self.place {
            Place::Anchored {
                list,
                offset,
                next,
                confirmed,
            } => {
                let tokens = &hay.index.tokens;
                let skip = list[*next..].partition_point(|&t| tokens[t].start < pos + *offset);
                if skip > 0 {
                    *next += skip;
                    *confirmed = false;
                }
                while let Some(&t) = list.get(*next) {
                    let start = tokens[t].start - *offset;
                    if *confirmed {
                        return Some(start);
                    }
                    work.checks += 1;
                    if hay.occurs_at(part, start) {
                        *confirmed = true;
                        return Some(start);
                    }
                    *next += 1;
                }
                None
            }
            Place::Scanned { found, from } => {
                if let Some(at) = *found
                    && at >= pos
                {
                    return Some(at);
                }
                let mut i = pos.max(*from);
                while !hay.norm.is_char_boundary(i) {
                    i += 1;
                }
                while let Some(k) = hay.norm[i..].find(part) {
                    let at = i + k;
                    work.checks += 1;
                    if hay.occurs_at(part, at) {
                        (*found, *from) = (Some(at), at);
                        return Some(at);
                    }
                    i = at + part.chars().next().map_or(1, char::len_utf8);
                }
                (*found, *from) = (None, hay.norm.len());
                None
            }
        }
    }
}

/// The parts of a normalised quote between its ellipses, trimmed, without empty parts.
pub(super) fn split_elisions(q: &str) -> Vec<&str> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quotes::normalize;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// The scan finds a quote of one part wherever the indexed search does.
        #[test]
        fn a_scan_finds_what_the_index_finds(
            text in "[abAé\u{301}\u{FB01}\u{4E00} .,;\\-\u{2019}']{0,40}",
            quote in "[abAé\u{301}\u{4E00} .,\\-']{1,8}",
        ) {
            let (text, quote) = (normalize(&text), normalize(&quote));
            let parts = split_elisions(&quote);
            prop_assume!(parts.len() == 1);
            let hay = Haystack::new(&text);
            let indexed = hay.locate_normalized(&quote, &mut SearchWork::default());
            prop_assert_eq!(occurs_in(&text, parts[0]), indexed.is_some());
        }
    }
}

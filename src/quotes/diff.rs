//! Word diffs: what a quote and the passage (or another quote) have in common and where
//! they differ, as runs of words, and the similarity ratio shown beside them.

use similar::{ChangeTag, TextDiff};

/// One run of a word diff from an old text (a quote) to a new one (the passage of the
/// text, or another quote). Concatenating the `Same` and `Removed` parts gives the old
/// text; the `Same` and `Added` parts give the new one.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffPart {
    /// Text in both.
    Same(String),
    /// Text of the old side that the new side lacks.
    Removed(String),
    /// Text of the new side that the old side lacks.
    Added(String),
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

/// `similar`'s ratio over the words alone: counting the spaces between words too, as a
/// word diff does, would give any two passages of similar length a ratio near 0.5.
pub(super) fn ratio(q: &str, passage: &str) -> f32 {
    let a: Vec<&str> = q.split(' ').collect();
    let b: Vec<&str> = passage.split(' ').collect();
    TextDiff::from_slices(&a, &b).ratio()
}

/// Word diff from `old` to `new`, grouped into runs.
pub(super) fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaced_phrase_is_one_change() {
        assert_eq!(
            render_diff(&word_diff("a big red car", "a small blue car")),
            "a [-big red-]{+small blue+} car"
        );
    }
}

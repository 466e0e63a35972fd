//! Word diffs: what a quote and the passage (or another quote) have in common and where
//! they differ, as runs of words, and the similarity ratio shown beside them.

use similar::{Algorithm, DiffTag, TextDiff};

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

/// Word diff from `old` to `new`, grouped into runs: `a [-big red-]{+small blue+} car`.
///
/// The texts are compared word by word (words are what white space separates), and the
/// runs keep the texts exact: the `Same` and `Removed` parts give `old`, the `Same` and
/// `Added` parts give `new`, each run of white space written as one space.
#[must_use]
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    if a == b {
        // one run, or none: the same remark quoted word for word is most pairs of remarks
        return if a.is_empty() {
            Vec::new()
        } else {
            vec![DiffPart::Same(a.join(" "))]
        };
    }
    let mut runs = Runs::default();
    if a.len() * b.len() <= SMALL_TABLE {
        for step in lcs_steps(&a, &b) {
            match step {
                Step::Same(i, j) => runs.same(a[i], i > 0, j > 0),
                Step::Removed(i) => runs.removed(a[i], i > 0),
                Step::Added(j) => runs.added(b[j], j > 0),
            }
        }
        return runs.finish();
    }
    for op in similar::capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for (i, j) in old_range.zip(new_range) {
                    runs.same(a[i], i > 0, j > 0);
                }
            }
            DiffTag::Delete | DiffTag::Insert | DiffTag::Replace => {
                for i in old_range {
                    runs.removed(a[i], i > 0);
                }
                for j in new_range {
                    runs.added(b[j], j > 0);
                }
            }
        }
    }
    runs.finish()
}

/// Texts whose word counts multiply to at most this (two quotes, say) are diffed with the
/// plain longest-common-subsequence table, which for short texts costs less than Myers'
/// bookkeeping; longer ones (a quote against a passage of a text) with Myers.
const SMALL_TABLE: usize = 64 * 64;

/// One word of a diff: in both texts (old index, new index), only in the old, only in the new.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// The words of `a` and `b` in order, by a longest common subsequence; within a change the
/// removed words come before the added ones.
fn lcs_steps(a: &[&str], b: &[&str]) -> Vec<Step> {
    // the runs both texts begin and end with need no table
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut steps: Vec<Step> = (0..head).map(|k| Step::Same(k, k)).collect();
    steps.extend(middle_steps(ma, mb, head));
    let (ta, tb) = (a.len() - tail, b.len() - tail);
    steps.extend((0..tail).map(|k| Step::Same(ta + k, tb + k)));
    steps
}

/// [`lcs_steps`] of what lies between the common head and tail, `offset` words in.
fn middle_steps(a: &[&str], b: &[&str], offset: usize) -> Vec<Step> {
    let (n, m) = (a.len(), b.len());
    // words compared by a hash first, by their text only when the hashes agree
    let hash = |w: &str| {
        w.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
            (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let (ha, hb): (Vec<u64>, Vec<u64>) = (
        a.iter().map(|w| hash(w)).collect(),
        b.iter().map(|w| hash(w)).collect(),
    );
    let equal = |i: usize, j: usize| ha[i] == hb[j] && a[i] == b[j];
    // suffix table: len[i][j] = LCS of a[i..] and b[j..]
    let mut len = vec![0u16; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[at(i, j)] = if equal(i, j) {
                len[at(i + 1, j + 1)] + 1
            } else {
                len[at(i + 1, j)].max(len[at(i, j + 1)])
            };
        }
    }
    let mut steps = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    // a word is skipped whenever skipping it loses nothing, so common words match as late
    // as they can: "[-When I shot the finale -]I wanted", not "[-When -]I[- shot…-] wanted"
    while i < n || j < m {
        let here = len[at(i, j)];
        if i < n && len[at(i + 1, j)] == here {
            removed.push(offset + i);
            i += 1;
        } else if j < m && len[at(i, j + 1)] == here {
            added.push(offset + j);
            j += 1;
        } else {
            steps.extend(removed.drain(..).map(Step::Removed));
            steps.extend(added.drain(..).map(Step::Added));
            steps.push(Step::Same(offset + i, offset + j));
            i += 1;
            j += 1;
        }
    }
    steps.extend(removed.drain(..).map(Step::Removed));
    steps.extend(added.drain(..).map(Step::Added));
    steps
}

/// Parts of a word diff as they are built, each word with the space before it in the texts
/// that have one.
#[derive(Default)]
struct Runs {
    parts: Vec<DiffPart>,
}

impl Runs {
    /// Appends to the last part if it is of this kind, else starts one.
    fn push(&mut self, make: fn(String) -> DiffPart, text: &str) {
        match (self.parts.last_mut(), make(String::new())) {
            (Some(DiffPart::Same(s)), DiffPart::Same(_))
            | (Some(DiffPart::Removed(s)), DiffPart::Removed(_))
            | (Some(DiffPart::Added(s)), DiffPart::Added(_)) => s.push_str(text),
            _ => self.parts.push(make(text.to_owned())),
        }
    }

    /// The space before the last part of a kind, which the other text lacks: appended to
    /// the last part of that kind (everything since it is of the other kind only).
    fn trailing_space(&mut self, removed: bool) {
        let found = self
            .parts
            .iter_mut()
            .rev()
            .find_map(|p| match (p, removed) {
                (DiffPart::Removed(s), true) | (DiffPart::Added(s), false) => Some(s),
                _ => None,
            });
        if let Some(s) = found {
            s.push(' ');
        }
    }

    fn same(&mut self, word: &str, old_space: bool, new_space: bool) {
        match (old_space, new_space) {
            (true, true) => {
                self.push(DiffPart::Same, " ");
            }
            (true, false) => self.trailing_space(true),
            (false, true) => self.trailing_space(false),
            (false, false) => {}
        }
        self.push(DiffPart::Same, word);
    }

    fn removed(&mut self, word: &str, space: bool) {
        if space {
            self.push(DiffPart::Removed, " ");
        }
        self.push(DiffPart::Removed, word);
    }

    fn added(&mut self, word: &str, space: bool) {
        if space {
            self.push(DiffPart::Added, " ");
        }
        self.push(DiffPart::Added, word);
    }

    /// `a[- b-]{+ c+} d` reads better as `a [-b-]{+c+} d`: where a change replaces words
    /// after a common run, the space both texts have there moves into that run.
    fn finish(mut self) -> Vec<DiffPart> {
        let mut i = 1;
        while i + 1 < self.parts.len() {
            if let [DiffPart::Same(s), DiffPart::Removed(r), DiffPart::Added(a)] =
                &mut self.parts[i - 1..=i + 1]
                && r.starts_with(' ')
                && a.starts_with(' ')
            {
                s.push(' ');
                r.remove(0);
                a.remove(0);
            }
            i += 1;
        }
        self.parts
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

    /// Concatenating the parts of each side gives back that side's text, spaces included.
    fn sides(parts: &[DiffPart]) -> (String, String) {
        let (mut old, mut new) = (String::new(), String::new());
        for p in parts {
            match p {
                DiffPart::Same(s) => {
                    old.push_str(s);
                    new.push_str(s);
                }
                DiffPart::Removed(s) => old.push_str(s),
                DiffPart::Added(s) => new.push_str(s),
            }
        }
        (old, new)
    }

    #[test]
    fn every_kind_of_change_keeps_both_texts() {
        let cases = [
            ("a b c", "a b c"),
            ("a b d", "a d"),
            ("a d", "a b d"),
            ("x b", "y b"),
            ("When I shot the finale I wanted", "I wanted"),
            ("I wanted", "When I shot the finale I wanted"),
            ("so much", "so much,"),
            ("a b c d e", "e d c b a"),
            ("", "a b"),
            ("a b", ""),
            ("", ""),
        ];
        for (old, new) in cases {
            let parts = word_diff(old, new);
            assert_eq!(
                sides(&parts),
                (old.to_string(), new.to_string()),
                "{old:?} → {new:?}"
            );
        }
        assert_eq!(
            render_diff(&word_diff("When I shot the finale I wanted", "I wanted")),
            "[-When I shot the finale -]I wanted"
        );
        assert_eq!(
            render_diff(&word_diff("so much", "so much,")),
            "so [-much-]{+much,+}"
        );
    }

    proptest::proptest! {
        #[test]
        fn the_parts_give_back_both_texts(
            old in proptest::collection::vec("[abc]{1,2}", 0..12),
            new in proptest::collection::vec("[abc]{1,2}", 0..12),
        ) {
            let (old, new) = (old.join(" "), new.join(" "));
            proptest::prop_assert_eq!(sides(&word_diff(&old, &new)), (old, new));
        }

        #[test]
        fn long_texts_too(
            old in proptest::collection::vec("[abcd]{1,2}", 65..90),
            new in proptest::collection::vec("[abcd]{1,2}", 65..90),
        ) {
            let (old, new) = (old.join(" "), new.join(" "));
            proptest::prop_assert_eq!(sides(&word_diff(&old, &new)), (old, new));
        }
    }
}

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
    // remark matching diffs hundreds of thousands of short pairs: the tables and runs of
    // one diff are kept for the next on the same thread
    thread_local! {
        static WORK: std::cell::RefCell<DiffWork> = std::cell::RefCell::default();
    }
    WORK.with(|work| match work.try_borrow_mut() {
        Ok(mut work) => work.diff(old, new),
        Err(_) => DiffWork::default().diff(old, new),
    })
}

/// Texts whose word counts multiply to at most this (two quotes, say) are diffed with the
/// plain longest-common-subsequence table, which for short texts costs less than Myers'
/// bookkeeping; longer ones (a quote against a passage of a text) with Myers.
const SMALL_TABLE: usize = 64 * 64;

/// What a word diff works in, kept from one diff to the next.
#[derive(Default)]
struct DiffWork {
    /// The words of the old and the new text, as byte ranges.
    a: Vec<(usize, usize)>,
    b: Vec<(usize, usize)>,
    /// The words between the common head and tail, hashed.
    ha: Vec<u64>,
    hb: Vec<u64>,
    /// Suffix table of the longest common subsequence: `len[i * (m + 1) + j]` is that of
    /// the middle words of old from `i` and of new from `j`.
    len: Vec<u16>,
    /// Words of a change, waiting for the next common word: removed ones come first.
    removed: Vec<usize>,
    added: Vec<usize>,
    runs: Runs,
}

/// The byte ranges of the words of `s` (as `split_whitespace` gives them) into `out`.
fn word_ranges(s: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let base = s.as_ptr() as usize;
    out.extend(s.split_whitespace().map(|w| {
        let start = w.as_ptr() as usize - base;
        (start, start + w.len())
    }));
}

impl DiffWork {
    fn diff(&mut self, old: &str, new: &str) -> Vec<DiffPart> {
        word_ranges(old, &mut self.a);
        word_ranges(new, &mut self.b);
        let wa = |i: usize| &old[self.a[i].0..self.a[i].1];
        let wb = |j: usize| &new[self.b[j].0..self.b[j].1];
        let (n, m) = (self.a.len(), self.b.len());
        if n == m && (0..n).all(|k| wa(k) == wb(k)) {
            // one run, or none: the same remark quoted word for word is most pairs of remarks
            return if n == 0 {
                Vec::new()
            } else {
                let mut same = String::with_capacity(old.len());
                for k in 0..n {
                    if k > 0 {
                        same.push(' ');
                    }
                    same.push_str(wa(k));
                }
                vec![DiffPart::Same(same)]
            };
        }
        self.runs.clear();
        if n * m > SMALL_TABLE {
            let a: Vec<&str> = (0..n).map(wa).collect();
            let b: Vec<&str> = (0..m).map(wb).collect();
            myers_runs(&a, &b, &mut self.runs);
            return self.runs.finish();
        }
        // the runs both texts begin and end with need no table
        let head = (0..n.min(m)).take_while(|&k| wa(k) == wb(k)).count();
        let tail = (0..(n - head).min(m - head))
            .take_while(|&k| wa(n - 1 - k) == wb(m - 1 - k))
            .count();
        for k in 0..head {
            self.runs.same(wa(k), k > 0, k > 0);
        }
        self.middle(old, new, head, (n - tail, m - tail));
        let wa = |i: usize| &old[self.a[i].0..self.a[i].1];
        for k in 0..tail {
            let (i, j) = (n - tail + k, m - tail + k);
            self.runs.same(wa(i), i > 0, j > 0);
        }
        self.runs.finish()
    }

    /// The words of a longest common subsequence of `old` and `new` between the common
    /// head (`head` words) and the common tail (from `ends`), into the runs; within a
    /// change the removed words come before the added ones.
    fn middle(&mut self, old: &str, new: &str, head: usize, ends: (usize, usize)) {
        let DiffWork {
            a,
            b,
            ha,
            hb,
            len,
            removed,
            added,
            runs,
        } = self;
        let (a, b) = (&a[head..ends.0], &b[head..ends.1]);
        let (n, m) = (a.len(), b.len());
        // words compared by a hash first, by their text only when the hashes agree
        let hash = |w: &str| {
            w.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
                (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
            })
        };
        let wa = |i: usize| &old[a[i].0..a[i].1];
        let wb = |j: usize| &new[b[j].0..b[j].1];
        ha.clear();
        ha.extend((0..n).map(|i| hash(wa(i))));
        hb.clear();
        hb.extend((0..m).map(|j| hash(wb(j))));
        let equal = |i: usize, j: usize| ha[i] == hb[j] && wa(i) == wb(j);
        len.clear();
        len.resize((n + 1) * (m + 1), 0);
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
        removed.clear();
        added.clear();
        let flush = |runs: &mut Runs, removed: &mut Vec<usize>, added: &mut Vec<usize>| {
            for i in removed.drain(..) {
                runs.removed(wa(i), head + i > 0);
            }
            for j in added.drain(..) {
                runs.added(wb(j), head + j > 0);
            }
        };
        let (mut i, mut j) = (0, 0);
        // a word is skipped whenever skipping it loses nothing, so common words match as late
        // as they can: "[-When I shot the finale -]I wanted", not "[-When -]I[- shot…-] wanted"
        while i < n || j < m {
            let here = len[at(i, j)];
            if i < n && len[at(i + 1, j)] == here {
                removed.push(i);
                i += 1;
            } else if j < m && len[at(i, j + 1)] == here {
                added.push(j);
                j += 1;
            } else {
                flush(runs, removed, added);
                runs.same(wa(i), head + i > 0, head + j > 0);
                i += 1;
                j += 1;
            }
        }
        flush(runs, removed, added);
    }
}

/// The runs of the diff of two long word lists, by Myers' algorithm.
fn myers_runs(a: &[&str], b: &[&str], runs: &mut Runs) {
    for op in similar::capture_diff_slices(Algorithm::Myers, a, b) {
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
}

/// Which text a run of a diff is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Same,
    Removed,
    Added,
}

/// Parts of a word diff as they are built, each word with the space before it in the texts
/// that have one. The first `used` parts are the diff's; the strings of the others are
/// kept to be filled again by the next diff.
#[derive(Default)]
struct Runs {
    parts: Vec<(Kind, String)>,
    used: usize,
}

impl Runs {
    fn clear(&mut self) {
        self.used = 0;
    }

    /// Appends to the last part if it is of this kind, else starts one.
    fn push(&mut self, kind: Kind, text: &str) {
        if let Some((k, s)) = self.used.checked_sub(1).map(|l| &mut self.parts[l])
            && *k == kind
        {
            s.push_str(text);
            return;
        }
        if let Some((k, s)) = self.parts.get_mut(self.used) {
            *k = kind;
            s.clear();
            s.push_str(text);
        } else {
            self.parts.push((kind, text.to_owned()));
        }
        self.used += 1;
    }

    /// The space before the last part of a kind, which the other text lacks: appended to
    /// the last part of that kind (everything since it is of the other kind only).
    fn trailing_space(&mut self, kind: Kind) {
        if let Some((_, s)) = self.parts[..self.used]
            .iter_mut()
            .rev()
            .find(|(k, _)| *k == kind)
        {
            s.push(' ');
        }
    }

    fn same(&mut self, word: &str, old_space: bool, new_space: bool) {
        match (old_space, new_space) {
            (true, true) => {
                self.push(Kind::Same, " ");
            }
            (true, false) => self.trailing_space(Kind::Removed),
            (false, true) => self.trailing_space(Kind::Added),
            (false, false) => {}
        }
        self.push(Kind::Same, word);
    }

    fn removed(&mut self, word: &str, space: bool) {
        if space {
            self.push(Kind::Removed, " ");
        }
        self.push(Kind::Removed, word);
    }

    fn added(&mut self, word: &str, space: bool) {
        if space {
            self.push(Kind::Added, " ");
        }
        self.push(Kind::Added, word);
    }

    /// The parts, each string its own copy. `a[- b-]{+ c+} d` reads better as
    /// `a [-b-]{+c+} d`: where a change replaces words after a common run, the space both
    /// texts have there moves into that run.
    fn finish(&mut self) -> Vec<DiffPart> {
        let parts = &mut self.parts[..self.used];
        let mut i = 1;
        while i + 1 < parts.len() {
            if let [(Kind::Same, s), (Kind::Removed, r), (Kind::Added, a)] =
                &mut parts[i - 1..=i + 1]
                && r.starts_with(' ')
                && a.starts_with(' ')
            {
                s.push(' ');
                r.remove(0);
                a.remove(0);
            }
            i += 1;
        }
        parts
            .iter()
            .map(|(kind, s)| {
                let s = s.as_str().to_owned();
                match kind {
                    Kind::Same => DiffPart::Same(s),
                    Kind::Removed => DiffPart::Removed(s),
                    Kind::Added => DiffPart::Added(s),
                }
            })
            .collect()
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

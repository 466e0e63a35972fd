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
    with_work(|work| work.diff(old, new))
}

/// Runs `f` with this thread's [`DiffWork`]: remark matching diffs hundreds of thousands
/// of short pairs, and the tables and runs of one diff are kept for the next.
fn with_work<T>(f: impl FnOnce(&mut DiffWork) -> T) -> T {
    thread_local! {
        static WORK: std::cell::RefCell<DiffWork> = std::cell::RefCell::default();
    }
    WORK.with(|work| match work.try_borrow_mut() {
        Ok(mut work) => f(&mut work),
        Err(_) => f(&mut DiffWork::default()),
    })
}

/// The words of texts diffed many times, as [`word_diff`] sees them (what white space
/// separates): each word's place and a hash of it, for all the texts in one list.
#[derive(Debug, Default, Clone)]
pub(super) struct WordLists {
    ranges: Vec<(usize, usize)>,
    hashes: Vec<u64>,
    /// Text `k`'s words are `starts[k]..starts[k + 1]`.
    starts: Vec<usize>,
}

impl WordLists {
    pub(super) fn new(texts: &[String]) -> Self {
        let mut lists = WordLists::default();
        for t in texts {
            lists.push(t);
        }
        lists
    }

    fn clear(&mut self) {
        self.ranges.clear();
        self.hashes.clear();
        self.starts.clear();
    }

    fn push(&mut self, text: &str) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let base = text.as_ptr() as usize;
        for w in text.split_whitespace() {
            let start = w.as_ptr() as usize - base;
            self.ranges.push((start, start + w.len()));
            // FNV-1a: words are compared by their hash first, by their text only when
            // the hashes agree
            self.hashes
                .push(w.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, c| {
                    (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)
                }));
        }
        self.starts.push(self.ranges.len());
    }

    /// Text `k` of the list, which is `text`, with its words.
    fn side<'a>(&'a self, k: usize, text: &'a str) -> Side<'a> {
        let words = self.starts[k]..self.starts[k + 1];
        Side {
            text,
            ranges: &self.ranges[words.clone()],
            hashes: &self.hashes[words],
        }
    }
}

/// A text with its words.
#[derive(Clone, Copy)]
struct Side<'a> {
    text: &'a str,
    ranges: &'a [(usize, usize)],
    hashes: &'a [u64],
}

impl<'a> Side<'a> {
    fn len(self) -> usize {
        self.ranges.len()
    }

    fn word(self, i: usize) -> &'a str {
        let (start, end) = self.ranges[i];
        &self.text[start..end]
    }

    /// Word `i` as bytes, for comparing: no character boundaries to check.
    fn bytes(self, i: usize) -> &'a [u8] {
        let (start, end) = self.ranges[i];
        &self.text.as_bytes()[start..end]
    }

    fn same_word(self, i: usize, other: Side, j: usize) -> bool {
        self.hashes[i] == other.hashes[j] && self.bytes(i) == other.bytes(j)
    }
}

/// [`word_diff`] from text `old` of `texts` to text `new`, their words listed in `words`.
pub(super) fn word_diff_among(
    texts: &[String],
    words: &WordLists,
    old: usize,
    new: usize,
) -> Vec<DiffPart> {
    let (a, b) = (words.side(old, &texts[old]), words.side(new, &texts[new]));
    with_work(|work| {
        work.diff_sides(a, b);
        work.runs.finish()
    })
}

/// [`render_diff`] of [`word_diff_among`], without the parts.
pub(super) fn rendered_diff_among(
    texts: &[String],
    words: &WordLists,
    old: usize,
    new: usize,
) -> String {
    let (a, b) = (words.side(old, &texts[old]), words.side(new, &texts[new]));
    with_work(|work| {
        work.diff_sides(a, b);
        work.runs.render()
    })
}

/// Texts whose word counts multiply to at most this (two quotes, say) are diffed with the
/// plain longest-common-subsequence table, which for short texts costs less than Myers'
/// bookkeeping; longer ones (a quote against a passage of a text) with Myers.
const SMALL_TABLE: usize = 64 * 64;

/// What a word diff works in, kept from one diff to the next.
#[derive(Default)]
struct DiffWork {
    /// The words of the old and the new text, when the caller has not split them.
    words: WordLists,
    /// The longest common subsequences of the middle words' suffixes.
    lcs: SuffixLcs,
    /// Words of a change, waiting for the next common word: removed ones come first.
    removed: Vec<usize>,
    added: Vec<usize>,
    /// The diff's runs.
    runs: Runs,
}

impl DiffWork {
    fn diff(&mut self, old: &str, new: &str) -> Vec<DiffPart> {
        let mut words = std::mem::take(&mut self.words);
        words.clear();
        words.push(old);
        words.push(new);
        self.diff_sides(words.side(0, old), words.side(1, new));
        self.words = words;
        self.runs.finish()
    }

    /// Diffs `a` to `b` into [`DiffWork::runs`].
    fn diff_sides(&mut self, a: Side, b: Side) {
        let (n, m) = (a.len(), b.len());
        self.runs.clear();
        if n * m > SMALL_TABLE {
            let a: Vec<&str> = (0..n).map(|i| a.word(i)).collect();
            let b: Vec<&str> = (0..m).map(|j| b.word(j)).collect();
            myers_runs(&a, &b, &mut self.runs);
            return;
        }
        // the runs both texts begin and end with need no table; the same remark quoted
        // word for word, most pairs of remarks, is all head
        let head = (0..n.min(m)).take_while(|&k| a.same_word(k, b, k)).count();
        let tail = (0..(n - head).min(m - head))
            .take_while(|&k| a.same_word(n - 1 - k, b, m - 1 - k))
            .count();
        for k in 0..head {
            self.runs.same(a.word(k), k > 0, k > 0);
        }
        if (head, head) != (n, m) {
            self.middle(a, b, head, (n - tail, m - tail));
        }
        for k in 0..tail {
            let (i, j) = (n - tail + k, m - tail + k);
            self.runs.same(a.word(i), i > 0, j > 0);
        }
    }

    /// The words of a longest common subsequence of `a` and `b` from `head` up to `ends`
    /// (between their common head and tail), into the runs; within a change the removed
    /// words come before the added ones.
    fn middle(&mut self, a: Side, b: Side, head: usize, ends: (usize, usize)) {
        let DiffWork {
            lcs,
            removed,
            added,
            runs,
            ..
        } = self;
        let (n, m) = (ends.0 - head, ends.1 - head);
        let suffix = |k: usize| k + head;
        lcs.build(a, b, head, ends);
        let len = |i: usize, j: usize| lcs.at(i, j);
        removed.clear();
        added.clear();
        let flush = |runs: &mut Runs, removed: &mut Vec<usize>, added: &mut Vec<usize>| {
            for i in removed.drain(..) {
                runs.removed(a.word(i), i > 0);
            }
            for j in added.drain(..) {
                runs.added(b.word(j), j > 0);
            }
        };
        let (mut i, mut j) = (0, 0);
        // a word is skipped whenever skipping it loses nothing, so common words match as late
        // as they can: "[-When I shot the finale -]I wanted", not "[-When -]I[- shot…-] wanted"
        while i < n || j < m {
            let here = len(i, j);
            if i < n && len(i + 1, j) == here {
                removed.push(suffix(i));
                i += 1;
            } else if j < m && len(i, j + 1) == here {
                added.push(suffix(j));
                j += 1;
            } else {
                flush(runs, removed, added);
                runs.same(a.word(suffix(i)), suffix(i) > 0, suffix(j) > 0);
                i += 1;
                j += 1;
            }
        }
        flush(runs, removed, added);
    }
}

/// The length of the longest common subsequence of the words of `a` from `i` and of `b`
/// from `j`, for every `i` and `j` of the words between a common head and tail, at most
/// 64 of them on one side (a diff takes that path only for `n × m` ≤ [`SMALL_TABLE`]).
///
/// Rather than the table of `(n + 1) × (m + 1)` lengths, each filled from its neighbours,
/// it keeps one bit vector per suffix of the longer side over the reversed shorter side
/// (Hyyrö's bit-parallel LCS): a zero bit says that one more word of the shorter side is
/// in common. A length is then a count of zero bits.
#[derive(Default)]
struct SuffixLcs {
    /// `columns[k]`: the bits after the last `k` words of the longer side.
    columns: Vec<u64>,
    /// The words of `b`, not of `a`, are the bits.
    b_bits: bool,
    n: usize,
    m: usize,
}

impl SuffixLcs {
    fn build(&mut self, a: Side, b: Side, head: usize, ends: (usize, usize)) {
        let (n, m) = (ends.0 - head, ends.1 - head);
        (self.n, self.m, self.b_bits) = (n, m, n > 64);
        let (bits, walked) = if self.b_bits {
            ((b, head..ends.1), (a, head..ends.0))
        } else {
            ((a, head..ends.0), (b, head..ends.1))
        };
        debug_assert!(bits.1.len() <= 64, "{n} × {m} words");
        let (bit_side, bit_range) = bits;
        let hashes = &bit_side.hashes[bit_range.clone()];
        self.columns.clear();
        self.columns.push(u64::MAX);
        let mut v = u64::MAX;
        let (walked_side, walked_range) = walked;
        for w in walked_range.rev() {
            let h = walked_side.hashes[w];
            // bit p: the word p places from the end of the bit side's range, the same
            // hash first (a loop without branches), then the same text
            let mut mask = 0u64;
            for (p, &x) in hashes.iter().rev().enumerate() {
                mask |= u64::from(x == h) << p;
            }
            let mut same_hash = mask;
            while same_hash != 0 {
                let p = same_hash.trailing_zeros() as usize;
                if bit_side.bytes(bit_range.end - 1 - p) != walked_side.bytes(w) {
                    mask &= !(1 << p);
                }
                same_hash &= same_hash - 1;
            }
            let u = v & mask;
            v = v.wrapping_add(u) | (v & !mask);
            self.columns.push(v);
        }
    }

    /// The length for the words of `a` from `i` and of `b` from `j` (counted from the
    /// start of the range given to [`SuffixLcs::build`]).
    fn at(&self, i: usize, j: usize) -> usize {
        let (column, bits) = if self.b_bits {
            (self.n - i, self.m - j)
        } else {
            (self.m - j, self.n - i)
        };
        let low = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
        (!self.columns[column] & low).count_ones() as usize
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

    /// The parts, each string its own copy.
    fn finish(&mut self) -> Vec<DiffPart> {
        self.space_into_common_runs();
        self.parts[..self.used]
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

    /// What [`render_diff`] makes of [`Runs::finish`].
    fn render(&mut self) -> String {
        self.space_into_common_runs();
        let parts = &self.parts[..self.used];
        let mut out = String::with_capacity(parts.iter().map(|(_, s)| s.len() + 4).sum());
        for (kind, s) in parts {
            let (open, close) = match kind {
                Kind::Same => ("", ""),
                Kind::Removed => ("[-", "-]"),
                Kind::Added => ("{+", "+}"),
            };
            out.push_str(open);
            out.push_str(s);
            out.push_str(close);
        }
        out
    }

    /// `a[- b-]{+ c+} d` reads better as `a [-b-]{+c+} d`: where a change replaces words
    /// after a common run, the space both texts have there moves into that run.
    fn space_into_common_runs(&mut self) {
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

    /// The table of longest common subsequences of every pair of suffixes, cell by cell.
    fn plain_suffix_table(a: &[&str], b: &[&str]) -> Vec<Vec<usize>> {
        let mut len = vec![vec![0; b.len() + 1]; a.len() + 1];
        for i in (0..a.len()).rev() {
            for j in (0..b.len()).rev() {
                len[i][j] = if a[i] == b[j] {
                    len[i + 1][j + 1] + 1
                } else {
                    len[i + 1][j].max(len[i][j + 1])
                };
            }
        }
        len
    }

    proptest::proptest! {
        #[test]
        fn bit_parallel_suffixes_match_the_table(
            old in proptest::collection::vec("[abcd]{1,2}", 0..70),
            new in proptest::collection::vec("[abcd]{1,2}", 0..70),
            head in 0usize..3,
        ) {
            let texts = [old.join(" "), new.join(" ")];
            let words = WordLists::new(&texts);
            let (a, b) = (words.side(0, &texts[0]), words.side(1, &texts[1]));
            let (n, m) = (a.len(), b.len());
            let head = head.min(n).min(m);
            proptest::prop_assume!((n - head).min(m - head) <= 64);
            let mut lcs = SuffixLcs::default();
            lcs.build(a, b, head, (n, m));
            let (ma, mb): (Vec<&str>, Vec<&str>) = (
                (head..n).map(|k| a.word(k)).collect(),
                (head..m).map(|k| b.word(k)).collect(),
            );
            let table = plain_suffix_table(&ma, &mb);
            for (i, row) in table.iter().enumerate() {
                for (j, &len) in row.iter().enumerate() {
                    proptest::prop_assert_eq!(lcs.at(i, j), len, "{} {}", i, j);
                }
            }
        }

        #[test]
        fn rendered_diffs_are_the_parts_rendered(
            old in proptest::collection::vec("[abc]{1,2}", 0..12),
            new in proptest::collection::vec("[abc]{1,2}", 0..12),
        ) {
            let texts = [old.join(" "), new.join(" ")];
            let words = WordLists::new(&texts);
            let parts = word_diff_among(&texts, &words, 0, 1);
            proptest::prop_assert_eq!(&parts, &word_diff(&texts[0], &texts[1]));
            proptest::prop_assert_eq!(
                rendered_diff_among(&texts, &words, 0, 1),
                render_diff(&parts)
            );
        }

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

//! Folding (docs/formats.md): turns a quote or a text into the form matching compares, and maps
//! offsets of the folded form back to the original, so that a match can be reported where
//! the user's text has it.

use unicode_normalization::char::{canonical_combining_class, decompose_compatible};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The folded form used for matching (exposed for tests and for callers that compare quotes).
#[must_use]
pub fn normalize(s: &str) -> String {
    let mut folder = Folder::new(false, s.len());
    folder.feed(s);
    folder.out
}

/// Folds `original`, recording where each folded byte came from.
pub(super) fn fold_mapped(original: &str) -> (String, SegmentMap) {
    let mut folder = Folder::new(true, original.len());
    folder.feed(original);
    (folder.out, SegmentMap(folder.segments))
}

/// Map from folded byte offsets to original byte offsets, as runs in folded order.
pub(super) struct SegmentMap(Vec<Segment>);

/// A run of folded bytes starting at `norm` and ending where the next segment starts.
#[derive(Debug, Clone, Copy)]
struct Segment {
    norm: usize,
    orig: usize,
    orig_end: usize,
    /// The normalised bytes are a copy of `orig..orig_end`, so offsets map one to one.
    /// Otherwise every byte of the run comes from the whole of `orig..orig_end` (a folded
    /// character, a composed sequence, a run of white space).
    linear: bool,
}

impl SegmentMap {
    /// Original offset of the folded byte at `n`, the start of a match.
    pub(super) fn start(&self, n: usize) -> usize {
        let seg = &self.0[self.0.partition_point(|s| s.norm <= n) - 1];
        if seg.linear {
            seg.orig + (n - seg.norm)
        } else {
            seg.orig
        }
    }

    /// Original offset just past the folded byte at `n - 1`, the end of a match.
    pub(super) fn end(&self, n: usize) -> usize {
        let seg = &self.0[self.0.partition_point(|s| s.norm < n) - 1];
        if seg.linear {
            seg.orig + (n - seg.norm)
        } else {
            seg.orig_end
        }
    }
}

/// The end of the longest run of text from `i` that folding copies unchanged: ASCII
/// other than white space, dashes and backticks, with single spaces between; empty if
/// none starts at `i`. This is the bulk of most texts, so it skips per-character work.
fn plain_run(text: &str, i: usize) -> usize {
    let plain = |b: u8| b.is_ascii_graphic() && b != b'-' && b != b'`';
    let bytes = text.as_bytes();
    if !plain(bytes[i]) {
        return i;
    }
    let mut j = i + 1;
    loop {
        match bytes.get(j) {
            Some(&b) if plain(b) => j += 1,
            Some(b' ') if bytes.get(j + 1).is_some_and(|&b| plain(b)) => j += 2,
            _ => break,
        }
    }
    // A following combining mark (or other character that joins what precedes it)
    // belongs with the run's last character.
    if j < bytes.len()
        && !bytes[j].is_ascii()
        && !text[j..].chars().next().is_some_and(opens_cluster)
    {
        j -= 1;
        if j > i && bytes[j - 1] == b' ' {
            j -= 1;
        }
    }
    j
}

/// Whether `c` can start a cluster wherever it stands (see [`starts_cluster`]).
fn opens_cluster(c: char) -> bool {
    match fold_char(c) {
        Fold::Char(f) => starts_cluster(f),
        Fold::Space => true,
        Fold::Drop => false,
    }
}

/// What folding does to one character before normalisation.
enum Fold {
    Char(char),
    Space,
    Drop,
}

fn fold_char(c: char) -> Fold {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}' | '`'
        | '\u{00B4}' | '\u{02BC}' | '\u{2039}' | '\u{203A}' => Fold::Char('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' => Fold::Char('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => Fold::Char('-'),
        '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Fold::Drop,
        c if c.is_whitespace() => Fold::Space,
        c => Fold::Char(c),
    }
}

/// A character that NFKC leaves alone and that nothing before it can combine with.
fn is_stable(c: char) -> bool {
    c.is_ascii()
        || (canonical_combining_class(c) == 0
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// Whether normalisation can start afresh at `c`: `c` is stable, or its compatibility
/// decomposition (`ﬁ` → `fi`) starts with a stable character. Normalisation never
/// crosses such a point, so the text can be normalised piece by piece, each piece mapped
/// back to where it came from.
fn starts_cluster(c: char) -> bool {
    if c.is_ascii() {
        return true;
    }
    if canonical_combining_class(c) != 0 {
        return false;
    }
    match is_nfkc_quick(std::iter::once(c)) {
        IsNormalized::Yes => true,
        IsNormalized::Maybe => false,
        IsNormalized::No => {
            let mut first = None;
            decompose_compatible(c, |d| {
                first.get_or_insert(d);
            });
            first.is_some_and(is_stable)
        }
    }
}

/// Where an output character came from in the input.
#[derive(Debug, Clone, Copy)]
struct Source {
    start: usize,
    end: usize,
    /// The output character is exactly the input bytes `start..end`.
    linear: bool,
}

/// Folds a string, optionally recording where each output byte came from.
struct Folder {
    out: String,
    record: bool,
    segments: Vec<Segment>,
    /// White space seen since the last output character, not yet written: it is dropped
    /// at the end of the text and next to a dash.
    pending_space: Option<Source>,
    after_dash: bool,
    cluster: Vec<char>,
}

impl Folder {
    fn new(record: bool, capacity: usize) -> Self {
        Folder {
            out: String::with_capacity(capacity),
            record,
            segments: Vec::new(),
            pending_space: None,
            after_dash: false,
            cluster: Vec::new(),
        }
    }

    /// Splits `text` into clusters, each starting at a stable character (or white space)
    /// and holding the characters that may combine with it, and folds each cluster.
    fn feed(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut unchanged = true;
        let mut after_space = false;
        let mut i = 0;
        while i < bytes.len() {
            let run = plain_run(text, i);
            if run > i {
                self.flush(start, i, unchanged);
                self.emit_plain(&text[i..run], i);
                (start, unchanged, after_space) = (run, true, false);
                i = run;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            // Nothing combines with white space, so it ends a cluster as well as starting one.
            let (folded, boundary) = match fold_char(c) {
                Fold::Char(f) => (Some(f), after_space || starts_cluster(f)),
                Fold::Space => (Some(' '), true),
                Fold::Drop => (None, after_space),
            };
            after_space = matches!(folded, Some(' '));
            if boundary && i > start {
                self.flush(start, i, unchanged);
                start = i;
                unchanged = true;
            }
            match folded {
                Some(f) => {
                    unchanged &= f == c;
                    self.cluster.push(f);
                }
                None => unchanged = false,
            }
            i += c.len_utf8();
        }
        self.flush(start, text.len(), unchanged);
    }

    /// Writes a run found by [`plain_run`], which folding leaves as it is.
    fn emit_plain(&mut self, run: &str, orig: usize) {
        if let Some(space) = self.pending_space.take() {
            self.push(' ', space);
        }
        self.after_dash = false;
        let norm = self.out.len();
        self.out.push_str(run);
        if !self.record {
            return;
        }
        let end = orig + run.len();
        match self.segments.last_mut() {
            Some(last) if last.linear && last.orig_end == orig => last.orig_end = end,
            _ => self.segments.push(Segment {
                norm,
                orig,
                orig_end: end,
                linear: true,
            }),
        }
    }

    fn flush(&mut self, start: usize, end: usize, unchanged: bool) {
        let mut cluster = std::mem::take(&mut self.cluster);
        match cluster.as_slice() {
            [] => {}
            &[c] if c == ' ' || is_stable(c) => {
                let source = Source {
                    start,
                    end,
                    linear: unchanged,
                };
                self.emit(c, source);
            }
            chars => {
                let source = Source {
                    start,
                    end,
                    linear: false,
                };
                for c in chars.iter().copied().nfkc() {
                    match fold_char(c) {
                        Fold::Char(f) => self.emit(f, source),
                        Fold::Space => self.emit(' ', source),
                        Fold::Drop => {}
                    }
                }
            }
        }
        cluster.clear();
        self.cluster = cluster;
    }

    fn emit(&mut self, c: char, source: Source) {
        match c {
            ' ' => {
                if self.out.is_empty() || self.after_dash {
                    return;
                }
                match &mut self.pending_space {
                    Some(pending) => {
                        pending.end = source.end;
                        pending.linear = false;
                    }
                    None => self.pending_space = Some(source),
                }
            }
            '-' => {
                self.pending_space = None;
                if !self.after_dash {
                    self.after_dash = true;
                    self.push('-', source);
                }
            }
            _ => {
                if let Some(space) = self.pending_space.take() {
                    self.push(' ', space);
                }
                self.after_dash = false;
                self.push(c, source);
            }
        }
    }

    fn push(&mut self, c: char, source: Source) {
        let norm = self.out.len();
        self.out.push(c);
        if !self.record {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            if source.linear && last.linear && last.orig_end == source.start {
                last.orig_end = source.end;
                return;
            }
            if !source.linear
                && !last.linear
                && (last.orig, last.orig_end) == (source.start, source.end)
            {
                return;
            }
        }
        self.segments.push(Segment {
            norm,
            orig: source.start,
            orig_end: source.end,
            linear: source.linear,
        });
    }
}

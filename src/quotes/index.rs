//! The words of a folded text and where each occurs: the tokenizer that decides what a word
//! is (and so where a match may begin and end), and the case-insensitive word index that
//! pins down the few places worth comparing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use unicode_normalization::char::is_combining_mark;

/// A word of a folded text, by byte range.
#[derive(Debug, Clone, Copy)]
pub(super) struct Token {
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Every word of a folded text, and for each distinct word (ignoring case) the positions
/// where it occurs.
pub(super) struct WordIndex {
    /// The words of the text, in order.
    pub(super) tokens: Vec<Token>,
    /// Lower-cased word → word id. Case-insensitive so that the closest-passage search
    /// still finds a passage whose only difference is case; exact checks follow.
    vocab: HashMap<String, usize, BuildHasherDefault<WordHasher>>,
    /// `postings[posting_starts[id]..posting_starts[id + 1]]` are the indices in `tokens`
    /// of the word `id`, ascending.
    posting_starts: Vec<usize>,
    postings: Vec<usize>,
}

impl WordIndex {
    pub(super) fn new(norm: &str) -> Self {
        let tokens = tokenize(norm);
        let mut vocab: HashMap<String, usize, BuildHasherDefault<WordHasher>> = HashMap::default();
        let mut ids = Vec::with_capacity(tokens.len());
        let mut key = String::new();
        for t in &tokens {
            let word = lower_key(&norm[t.start..t.end], &mut key);
            let next = vocab.len();
            let id = match vocab.get(word) {
                Some(&id) => id,
                None => {
                    vocab.insert(word.to_owned(), next);
                    next
                }
            };
            ids.push(id);
        }
        let mut posting_starts = vec![0; vocab.len() + 1];
        for &id in &ids {
            posting_starts[id + 1] += 1;
        }
        for i in 1..posting_starts.len() {
            posting_starts[i] += posting_starts[i - 1];
        }
        let mut fill = posting_starts.clone();
        let mut postings = vec![0; ids.len()];
        for (index, &id) in ids.iter().enumerate() {
            postings[fill[id]] = index;
            fill[id] += 1;
        }
        WordIndex {
            tokens,
            vocab,
            posting_starts,
            postings,
        }
    }

    /// The indices in `tokens` of `word`, in any case, ascending; `None` if the text lacks it.
    pub(super) fn posting_list(&self, word: &str, key: &mut String) -> Option<&[usize]> {
        let &id = self.vocab.get(lower_key(word, key))?;
        Some(&self.postings[self.posting_starts[id]..self.posting_starts[id + 1]])
    }
}

/// Lower-cases `word` into `buf` unless it is already lower-case ASCII.
pub(super) fn lower_key<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        return word;
    }
    buf.clear();
    buf.extend(word.chars().flat_map(char::to_lowercase));
    buf
}

/// Characters that make up words whose edges a match must respect.
pub(super) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || is_combining_mark(c)) && !is_unspaced(c)
}

/// Scripts written without spaces between words: each character is a word of its own.
pub(super) fn is_unspaced(c: char) -> bool {
    matches!(c,
        // Thai, Lao; Myanmar; Khmer
        '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}'
        // CJK, kana, bopomofo, Yi; compatibility ideographs; extensions
        | '\u{2E80}'..='\u{A4CF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}'
    )
}

/// The words of a normalised string: runs of word characters, and single characters of
/// scripts written without spaces.
pub(super) fn tokenize(s: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(s, &mut tokens);
    tokens
}

/// [`tokenize`] into `tokens`, which is cleared first: for a caller tokenizing many
/// short texts.
pub(super) fn tokenize_into(s: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = s.as_bytes();
    let mut run: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (word, unspaced, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric(), false, 1)
        } else {
            let c = s[i..].chars().next().unwrap_or_default();
            (
                is_word_char(c),
                c.is_alphanumeric() && is_unspaced(c),
                c.len_utf8(),
            )
        };
        if word {
            run.get_or_insert(i);
        } else {
            if let Some(start) = run.take() {
                tokens.push(Token { start, end: i });
            }
            if unspaced {
                tokens.push(Token {
                    start: i,
                    end: i + width,
                });
            }
        }
        i += width;
    }
    if let Some(start) = run {
        tokens.push(Token {
            start,
            end: s.len(),
        });
    }
}

/// FNV-1a, for the word index: much faster than the default hasher on short words, and
/// the words come from the user's own files, so hash flooding is no concern.
pub(super) struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

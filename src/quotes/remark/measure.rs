//! The measure of remark matching: which words of a quote are key words, and how many
//! key words two quotes share in order.

/// The length of the longest common subsequence of `a` and `b`, 64 positions of the
/// shorter at a time (Hyyrö's bit-vector algorithm): cheap enough to run on every
/// candidate pair.
///
/// Memory stays linear in the shorter quote: a word's bits (one per position of the shorter
/// quote) are kept only for the few words frequent enough to fill them (at most 64 words
/// hold as many positions as there are 64-bit blocks); any other word's bits are set from
/// its positions when the longer quote reaches it, which costs no more than the block loop
/// that follows.
pub(super) fn lcs_len(a: &[u32], b: &[u32]) -> usize {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.is_empty() {
        return 0;
    }
    let blocks = a.len().div_ceil(64);
    // Each distinct word of `a`, ascending, with its positions at `positions[start..end]`
    // and, for a frequent word, its bits at `kept[k * blocks..(k + 1) * blocks]`.
    let mut positions: Vec<(u32, u32)> = a.iter().copied().zip(0..).collect();
    positions.sort_unstable();
    let mut symbols: Vec<(u32, usize, usize, Option<usize>)> = Vec::new();
    let mut kept: Vec<u64> = Vec::new();
    let mut start = 0;
    while start < positions.len() {
        let w = positions[start].0;
        let end = start + positions[start..].partition_point(|&(x, _)| x == w);
        let bits = (end - start >= blocks).then(|| {
            let k = kept.len() / blocks;
            kept.resize(kept.len() + blocks, 0);
            for &(_, i) in &positions[start..end] {
                kept[k * blocks + i as usize / 64] |= 1 << (i % 64);
            }
            k
        });
        symbols.push((w, start, end, bits));
        start = end;
    }
    let mut scratch = vec![0u64; blocks];
    // A 0 bit at position i: a[..=i] has one more word in common with b so far than a[..i].
    let mut v = vec![u64::MAX; blocks];
    for w in b {
        let Ok(k) = symbols.binary_search_by_key(w, |s| s.0) else {
            continue;
        };
        let (_, from, to, bits) = symbols[k];
        let m: &[u64] = match bits {
            Some(k) => &kept[k * blocks..(k + 1) * blocks],
            None => {
                for &(_, i) in &positions[from..to] {
                    scratch[i as usize / 64] |= 1 << (i % 64);
                }
                &scratch
            }
        };
        let mut carry = false;
        for (vk, &mk) in v.iter_mut().zip(m) {
            let u = *vk & mk;
            let (sum, c1) = vk.overflowing_add(u);
            let (sum, c2) = sum.overflowing_add(u64::from(carry));
            carry = c1 || c2;
            *vk = sum | (*vk & !mk);
        }
        if bits.is_none() {
            for &(_, i) in &positions[from..to] {
                scratch[i as usize / 64] = 0;
            }
        }
    }
    let mut zeros = 0;
    for (k, vk) in v.iter().enumerate() {
        let bits = (a.len() - 64 * k).min(64);
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1 << bits) - 1
        };
        zeros += (!vk & mask).count_ones() as usize;
    }
    zeros
}

/// Words that say little about which remark a quote is: English articles, pronouns,
/// auxiliaries, prepositions and conjunctions, and the pieces contractions leave (`it's`
/// is `it` and `s`). Two unrelated remarks share many of these; leaving them out of the
/// measure keeps it to the words that carry the remark.
pub(super) fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.binary_search(&word).is_ok()
}

/// Sorted, for [`is_function_word`].
#[rustfmt::skip]
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "aren", "as", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "couldn", "d", "did", "didn", "do", "does", "doesn",
    "doing", "don", "done", "down", "during", "each", "even", "few", "for", "from", "further",
    "had", "hadn", "has", "hasn", "have", "haven", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "isn", "it",
    "its", "itself", "just", "ll", "m", "may", "me", "might", "mine", "more", "most", "must",
    "my", "myself", "no", "nor", "not", "of", "off", "on", "once", "only", "onto", "or",
    "other", "our", "ours", "ourselves", "out", "over", "own", "re", "s", "same", "shall",
    "she", "should", "shouldn", "so", "some", "such", "t", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "us", "ve", "very", "was", "wasn", "we",
    "were", "weren", "what", "when", "where", "which", "while", "who", "whom", "whose", "why",
    "will", "with", "without", "won", "would", "wouldn", "you", "your", "yours", "yourself",
    "yourselves",
];

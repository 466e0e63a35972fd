//! Remark matching on remarks from the seed articles and on made-up quotes.

use super::measure::FUNCTION_WORDS;
use super::*;
use crate::quotes::render_diff;

/// Sean Baker to IndieWire, as one source gives it…
const BAKER: &str = "I see the sex as being about her. It's not about something she's giving \
to him, it's a way for her to regain the power she lost along the way.";
/// …and as seed 001 gives it, reworded.
const BAKER_REWORDED: &str = "“I perceive (the sex) as being about her—it’s not about \
something she’s giving to him, but rather a way for her to regain the power she lost throughout \
her journey,”";
/// Sean Baker to Entertainment Weekly, in seed 001…
const BAKER_EW: &str = "I wanted to flip it on its head. We present a romantic comedy in the \
first half, even introducing a well-known song, Take That’s ‘The Greatest Day,’ that feels akin \
to a scene from a ‘Love, Actually’ type of film. But then we shift to 90 minutes of stark \
reality afterward.";
/// …and retold in fewer, mostly other, words.
const BAKER_EW_RETOLD: &str = "My idea was to upend the genre: you get a romcom for the \
first half, like Love Actually, then ninety minutes of harsh reality.";

fn quote<'a>(text: &'a str, group: u32, outlet: Option<&'a str>) -> RemarkQuote<'a> {
    RemarkQuote {
        text,
        group,
        outlet,
    }
}

/// The (left, right, class) of every pair.
fn classes(quotes: &[RemarkQuote]) -> Vec<(usize, usize, RemarkClass)> {
    same_remarks(quotes)
        .into_iter()
        .map(|p| (p.left, p.right, p.class))
        .collect()
}

fn words(s: &str) -> HashSet<String> {
    let n = normalize(s);
    tokenize(&n)
        .iter()
        .map(|t| n[t.start..t.end].to_lowercase())
        .collect()
}

/// Mikey Madison to Interview Magazine, on the final scene…
const MADISON_TREMBLING: &str = "For the final scene, I was almost trembling as I \
approached the car, uncertain of how it would feel, having embodied my character’s feelings \
for so long.";
/// …and on it again, another time.
const MADISON_OPEN: &str = "The final scene is open on purpose, and I love hearing what \
people think about whether the two of them end up together.";

/// The similarity of two quotes, paired or not.
fn similarity(a: &str, b: &str) -> f64 {
    let quotes = [quote(a, 0, None), quote(b, 1, None)];
    let p = Prepared::new(&quotes);
    let shared = lcs_len(&p.words[0], &p.words[1]);
    2.0 * shared as f64 / (p.words[0].len() + p.words[1].len()) as f64
}

#[test]
fn similarities_quoted_in_the_documentation() {
    let rounded = |a, b| (similarity(a, b) * 100.0).round() / 100.0;
    assert_eq!(rounded(BAKER, BAKER_REWORDED), 0.67);
    assert_eq!(rounded(BAKER_EW, BAKER_EW_RETOLD), 0.29);
    assert_eq!(rounded(MADISON_TREMBLING, MADISON_OPEN), 0.17);
}

#[test]
fn verbatim_quotes_are_the_same_remark() {
    let straight = BAKER.replace('\'', "\u{2019}").replace(". ", ".\n");
    let quotes = [
        quote(BAKER, 0, None),
        quote(&straight, 1, Some("IndieWire")),
    ];
    let pairs = same_remarks(&quotes);
    assert_eq!(pairs.len(), 1);
    assert_eq!((pairs[0].left, pairs[0].right), (0, 1));
    assert_eq!(pairs[0].class, RemarkClass::Same);
    assert!((pairs[0].similarity - 1.0).abs() < f64::EPSILON);
    assert!(pairs[0].diff.iter().all(|p| matches!(p, DiffPart::Same(_))));
}

#[test]
fn a_quoted_part_is_an_excerpt() {
    let quotes = [
        quote("it's a way for her to regain the power she lost", 0, None),
        quote(BAKER, 1, None),
    ];
    assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Excerpt)]);
    // Capitalised because the excerpt starts a sentence of the source's own.
    let quotes = [
        quote(BAKER, 1, None),
        quote("It's a way for her to regain the power she lost", 0, None),
    ];
    assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Excerpt)]);
}

#[test]
fn an_elided_part_is_an_excerpt() {
    let quotes = [
        quote(BAKER, 0, Some("IndieWire")),
        quote(
            "I see the sex as being about her … a way for her to regain the power",
            1,
            None,
        ),
    ];
    let pairs = same_remarks(&quotes);
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].class, RemarkClass::Excerpt);
    assert!(pairs[0].similarity < 1.0);
}

#[test]
fn a_remark_reworded_by_an_outlet_is_paired() {
    let quotes = [
        quote(BAKER, 0, Some("IndieWire")),
        quote(BAKER_REWORDED, 1, Some(" indiewire ")),
    ];
    let pairs = same_remarks(&quotes);
    assert_eq!(pairs.len(), 1);
    let pair = &pairs[0];
    assert_eq!(pair.class, RemarkClass::Reworded);
    assert!(
        (0.6..0.75).contains(&pair.similarity),
        "similarity {}",
        pair.similarity
    );
    let diff = render_diff(&pair.diff);
    assert!(
        diff.starts_with("[-I see the sex-]{+\"I perceive (the sex)+} as being about"),
        "{diff}"
    );
    // Close enough to pair without an outlet in common too.
    let quotes = [
        quote(BAKER, 0, None),
        quote(BAKER_REWORDED, 1, Some("Vulture")),
    ];
    assert_eq!(classes(&quotes), [(0, 1, RemarkClass::Reworded)]);
}

#[test]
fn a_heavily_reworded_remark_pairs_only_through_its_outlet() {
    // Fewer than half the retold version's words are the original's.
    let (original, retold) = (words(BAKER_EW), words(BAKER_EW_RETOLD));
    let common = original.intersection(&retold).count();
    assert!(2 * common < retold.len(), "{common} of {}", retold.len());

    let quotes = [
        quote(BAKER_EW, 0, Some("Entertainment Weekly")),
        quote(BAKER_EW_RETOLD, 1, Some("entertainment weekly")),
    ];
    let pairs = same_remarks(&quotes);
    assert_eq!(pairs.len(), 1);
    assert_eq!(pairs[0].class, RemarkClass::Reworded);
    assert!(pairs[0].similarity < REWORDED_OTHER_OUTLET);

    let quotes = [
        quote(BAKER_EW, 0, Some("Entertainment Weekly")),
        quote(BAKER_EW_RETOLD, 1, None),
    ];
    assert_eq!(classes(&quotes), []);
}

#[test]
fn two_remarks_on_one_topic_through_one_outlet_are_not_paired() {
    // Mikey Madison to Interview Magazine, both on the final scene.
    let quotes = [
        quote(MADISON_TREMBLING, 0, Some("Interview Magazine")),
        quote(MADISON_OPEN, 1, Some("Interview Magazine")),
        // Sean Baker to IndieWire, on the car scene, and the remark above.
        quote(
            "We shot the car scene over two nights in the snow, with a tiny crew and the \
actors finding much of it themselves.",
            2,
            Some("IndieWire"),
        ),
        quote(BAKER, 3, Some("IndieWire")),
    ];
    assert_eq!(classes(&quotes), []);
}

#[test]
fn a_short_generic_quote_pairs_with_nothing() {
    let quotes = [
        quote("I love it.", 0, Some("Variety")),
        quote(
            "I love it when a film trusts its audience.",
            1,
            Some("Variety"),
        ),
        quote(
            "I love how the ending refuses to explain itself.",
            2,
            Some("Variety"),
        ),
        quote(
            "Honestly, I love it, and I think Ani would love it too.",
            3,
            None,
        ),
        quote(
            "Love it or not, it is the ending the film needs.",
            4,
            Some("Variety"),
        ),
        quote(BAKER, 5, Some("Variety")),
    ];
    assert_eq!(classes(&quotes), []);
}

#[test]
fn quotes_of_one_source_are_never_paired() {
    let quotes = [
        quote(BAKER, 7, Some("IndieWire")),
        quote(BAKER_REWORDED, 7, Some("IndieWire")),
        quote(BAKER, 7, None),
        quote("it's a way for her to regain the power she lost", 7, None),
    ];
    assert_eq!(classes(&quotes), []);
}

#[test]
fn equal_quotes_make_fewer_pairs_than_quotes() {
    // Three sources, five copies: each copy pairs with the first copy of another source.
    let groups = [0, 0, 1, 2, 1];
    let quotes: Vec<RemarkQuote> = groups.iter().map(|&g| quote(BAKER, g, None)).collect();
    assert_eq!(
        classes(&quotes),
        [
            (0, 2, RemarkClass::Same),
            (0, 3, RemarkClass::Same),
            (0, 4, RemarkClass::Same),
            (1, 2, RemarkClass::Same),
        ]
    );
}

#[test]
fn pairs_come_in_order() {
    let quotes = [
        quote(BAKER_REWORDED, 2, Some("IndieWire")),
        quote(BAKER_EW, 0, None),
        quote(BAKER, 1, Some("IndieWire")),
        quote("a way for her to regain the power she lost", 3, None),
        quote(BAKER_EW, 4, None),
    ];
    assert_eq!(
        classes(&quotes),
        [
            (0, 2, RemarkClass::Reworded),
            (0, 3, RemarkClass::Excerpt),
            (1, 4, RemarkClass::Same),
            (2, 3, RemarkClass::Excerpt),
        ]
    );
}

/// A tiny deterministic generator (xorshift), for made-up quotes.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn thousands_of_quotes_are_compared_through_the_index() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    // Topic words shared by many quotes, rarer words, and function words.
    let topic = [
        "ani", "igor", "car", "scene", "ending", "film", "power", "tears",
    ];
    let vocabulary: Vec<String> = (0..4_000).map(|i| format!("w{i}")).collect();
    let mut texts: Vec<String> = (0..2_000)
        .map(|_| {
            (0..25 + rng.below(25))
                .map(|_| match rng.below(10) {
                    0..=3 => FUNCTION_WORDS[rng.below(40)],
                    4..=5 => topic[rng.below(topic.len())],
                    _ => vocabulary[rng.below(vocabulary.len())].as_str(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    // Quote 1000 + k retells quote k: a fifth of its words replaced.
    for k in 0..50 {
        let retold: Vec<String> = texts[k]
            .split(' ')
            .map(|w| {
                if rng.below(5) == 0 {
                    format!("x{}", rng.below(100_000))
                } else {
                    w.to_owned()
                }
            })
            .collect();
        texts[1_000 + k] = retold.join(" ");
    }
    let outlets = ["IndieWire", "Variety", "Vulture"];
    let quotes: Vec<RemarkQuote> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| quote(t, (i % 97) as u32, Some(outlets[i % 1_000 % 3])))
        .collect();
    let (pairs, stats) = same_remarks_counted(&quotes);
    // Every pair of quotes would be 1,999,000 comparisons.
    assert!(stats.compared <= 2_000 * MAX_CANDIDATES, "{stats:?}");
    assert!(stats.postings_visited <= 2_000 * PROBE_BUDGET, "{stats:?}");
    for k in 0..50 {
        assert!(
            pairs.iter().any(|p| (p.left, p.right) == (k, 1_000 + k)),
            "quote {k} and its retelling are not paired"
        );
    }
}

#[test]
fn longest_common_subsequence_of_words() {
    fn plain(a: &[u32], b: &[u32]) -> usize {
        let mut row = vec![0; b.len() + 1];
        for &x in a {
            let mut diagonal = 0;
            for (j, &y) in b.iter().enumerate() {
                let up = row[j + 1];
                row[j + 1] = if x == y { diagonal + 1 } else { up.max(row[j]) };
                diagonal = up;
            }
        }
        row[b.len()]
    }
    let mut rng = Rng(7);
    for round in 0..300 {
        let alphabet = 2 + round % 6;
        let a: Vec<u32> = (0..rng.below(150))
            .map(|_| rng.below(alphabet) as u32)
            .collect();
        let b: Vec<u32> = (0..rng.below(150))
            .map(|_| rng.below(alphabet) as u32)
            .collect();
        assert_eq!(lcs_len(&a, &b), plain(&a, &b), "{a:?} {b:?}");
    }
    // large alphabets: most words' bits are set as the longer quote reaches them
    for round in 0..100 {
        let alphabet = 20 + round * 7;
        let a: Vec<u32> = (0..rng.below(400))
            .map(|_| rng.below(alphabet) as u32)
            .collect();
        let b: Vec<u32> = (0..rng.below(400))
            .map(|_| rng.below(alphabet) as u32)
            .collect();
        assert_eq!(lcs_len(&a, &b), plain(&a, &b), "{a:?} {b:?}");
    }
}

#[test]
fn function_words_are_sorted_for_lookup() {
    assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    assert!(is_function_word("the") && is_function_word("s"));
    assert!(!is_function_word("power"));
}

//! Quote search and closest passages, on excerpts of the seed articles.

use super::*;

/// Excerpts of seed 001, with its curly quotes, apostrophes and em dashes.
const TEXT: &str = "In the film’s conclusion, Ani finds herself in a car with Igor—the one \
individual who has displayed genuine empathy toward her and not merely viewed her through a \
transactional lens—and two pivotal things happen: she breaks down and they begin to grow closer.

One interpretation suggests Ani engages in sex as a means of expressing gratitude toward Igor. \
However, when he leans in to kiss her, she turns away and starts to cry. This moment transcends \
mere transaction, striking a deeper emotional chord.

“I perceive (the sex) as being about her—it’s not about something she’s giving to him, but \
rather a way for her to regain the power she lost throughout her journey,” he articulated.

Yet, after everything has been stripped away and she’s in the presence of Igor, the one \
individual she feels a semblance of safety with, Ani finally releases the built-up tension, \
stress, adrenaline, and anger. And that’s when she cries.
";

/// The part of `TEXT` where `hay`, built from `TEXT`, finds `quote`.
fn found(hay: &Haystack, quote: &str) -> &'static str {
    match hay.find(quote) {
        QuoteMatch::Found { start, end } => &TEXT[start..end],
        QuoteMatch::NotFound(c) => panic!("{quote:?} not found; closest: {c:?}"),
    }
}

fn not_found(hay: &Haystack, quote: &str) -> Closest {
    match hay.find(quote) {
        QuoteMatch::NotFound(c) => c,
        QuoteMatch::Found { start, end } => panic!("{quote:?} found at {start}..{end}"),
    }
}

#[test]
fn exact_match() {
    let hay = Haystack::new(TEXT);
    assert_eq!(
        found(&hay, "she turns away and starts to cry"),
        "she turns away and starts to cry"
    );
}

#[test]
fn straight_quotes_match_curly_text() {
    let hay = Haystack::new(TEXT);
    assert_eq!(
        found(&hay, "\"I perceive (the sex) as being about her"),
        "“I perceive (the sex) as being about her"
    );
    assert_eq!(
        found(&hay, "And that's when she cries."),
        "And that’s when she cries."
    );
}

#[test]
fn curly_quotes_match_straight_text() {
    let hay = Haystack::new("He said \"it's over\" and left.");
    assert!(matches!(
        hay.find("said “it’s over”"),
        QuoteMatch::Found { .. }
    ));
    assert!(matches!(
        hay.find("said «it‘s over»"),
        QuoteMatch::Found { .. }
    ));
}

#[test]
fn dashes_fold_to_hyphen() {
    let hay = Haystack::new(TEXT);
    assert_eq!(found(&hay, "with Igor-the one"), "with Igor—the one");
    assert_eq!(found(&hay, "with Igor – the one"), "with Igor—the one");
    assert_eq!(found(&hay, "with Igor -- the one"), "with Igor—the one");
    let hay = Haystack::new("a well-known song");
    assert!(matches!(
        hay.find("a well–known song"),
        QuoteMatch::Found { .. }
    ));
}

#[test]
fn no_break_space_is_a_space() {
    let hay = Haystack::new("the 97th\u{A0}Oscars and Mikey\u{202F}Madison");
    assert!(matches!(
        hay.find("the 97th Oscars"),
        QuoteMatch::Found { .. }
    ));
    let hay = Haystack::new("the 97th Oscars");
    assert!(matches!(
        hay.find("the 97th\u{A0}Oscars"),
        QuoteMatch::Found { .. }
    ));
}

#[test]
fn quote_across_a_line_break() {
    let hay = Haystack::new(TEXT);
    assert_eq!(
        found(&hay, "deeper emotional chord. “I perceive"),
        "deeper emotional chord.\n\n“I perceive"
    );
    let crlf = TEXT.replace('\n', "\r\n");
    let hay = Haystack::new(&crlf);
    let QuoteMatch::Found { start, end } = hay.find("emotional chord. \"I perceive") else {
        panic!("not found across CRLF");
    };
    assert_eq!(&crlf[start..end], "emotional chord.\r\n\r\n“I perceive");
}

#[test]
fn elided_quote_is_found() {
    let hay = Haystack::new(TEXT);
    assert_eq!(
        found(
            &hay,
            "Ani finds herself in a car with Igor … and two pivotal things happen"
        ),
        "Ani finds herself in a car with Igor—the one individual who has displayed genuine \
empathy toward her and not merely viewed her through a transactional lens—and two pivotal \
things happen"
    );
    assert_eq!(
        found(
            &hay,
            "she turns away and starts to cry... striking a deeper emotional chord"
        ),
        "she turns away and starts to cry. This moment transcends mere transaction, striking \
a deeper emotional chord"
    );
    assert_eq!(
        found(&hay, "releases the built-up tension [...] and anger."),
        "releases the built-up tension, stress, adrenaline, and anger."
    );
    assert_eq!(
        found(&hay, "…she turns away. . . to cry…"),
        "she turns away and starts to cry"
    );
}

#[test]
fn elided_parts_out_of_order_are_not_found() {
    let hay = Haystack::new(TEXT);
    not_found(
        &hay,
        "she turns away and starts to cry … when he leans in to kiss her",
    );
}

#[test]
fn elided_parts_too_far_apart_are_not_found() {
    let filler = "Nothing of note happens in this sentence at all. ".repeat(60);
    let text = format!("The car scene opens the film. {filler} Ani cries at the end.");
    let hay = Haystack::new(&text);
    not_found(&hay, "The car scene opens … Ani cries at the end");
    let near = "The car scene opens the film. Ani cries at the end.";
    let hay = Haystack::new(near);
    assert!(matches!(
        hay.find("The car scene opens … Ani cries at the end"),
        QuoteMatch::Found { .. }
    ));
}

#[test]
fn one_word_changed_shows_the_passage_and_the_word() {
    let hay = Haystack::new(TEXT);
    let c = not_found(
        &hay,
        "However, when he leans in to kiss her, she turns away and begins to cry.",
    );
    assert_eq!(
        c.passage,
        "However, when he leans in to kiss her, she turns away and starts to cry."
    );
    assert_eq!(c.line, 3);
    assert!(c.ratio > 0.9, "ratio {}", c.ratio);
    let changes: Vec<&DiffPart> = c
        .diff
        .iter()
        .filter(|p| !matches!(p, DiffPart::Same(_)))
        .collect();
    assert_eq!(
        changes,
        [
            &DiffPart::Removed("begins".into()),
            &DiffPart::Added("starts".into())
        ]
    );
    assert_eq!(
        render_diff(&c.diff),
        "However, when he leans in to kiss her, she turns away and [-begins-]{+starts+} to cry."
    );
}

#[test]
fn quote_from_another_text_has_a_low_ratio() {
    let hay = Haystack::new(TEXT);
    // From seed 000.
    let c = not_found(
        &hay,
        "But the illusion shatters when Vanya’s family intervenes, forcing an annulment and \
exposing the brutal hierarchies of wealth and power.",
    );
    assert!(c.ratio < 0.5, "ratio {}", c.ratio);
    assert!(!c.passage.is_empty());
}

#[test]
fn empty_text_and_empty_quote() {
    let hay = Haystack::new("");
    let c = not_found(&hay, "she breaks down");
    assert_eq!((c.passage.as_str(), c.line, c.ratio), ("", 1, 0.0));
    assert_eq!(c.diff, [DiffPart::Removed("she breaks down".into())]);

    let hay = Haystack::new(TEXT);
    for quote in ["", " \n ", "…", "[...]"] {
        assert_eq!(not_found(&hay, quote), Closest::nothing());
    }
}

#[test]
fn case_is_not_folded() {
    let hay = Haystack::new(TEXT);
    let c = not_found(&hay, "she Turns away");
    assert_eq!(c.passage, "she turns away");
    assert_eq!(render_diff(&c.diff), "she [-Turns-]{+turns+} away");
}

#[test]
fn matches_do_not_cut_words() {
    let hay = Haystack::new("the film “Anora” won five awards");
    not_found(&hay, "nora");
    not_found(&hay, "Anora” wo");
    assert!(matches!(hay.find("Anora"), QuoteMatch::Found { .. }));
}

#[test]
fn found_range_maps_back_through_multibyte_text() {
    let text = "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.";
    let hay = Haystack::new(text);
    let cases = [
        ("Café \"naïve\"", "Café «naïve»"),
        ("naïve\" - final scène", "naïve» — ﬁnal\u{A0}scène"),
        ("final", "ﬁnal"),
        ("été", "e\u{301}te\u{301}"),
        ("full width.", "ｆｕｌｌ width."),
    ];
    for (quote, expected) in cases {
        let QuoteMatch::Found { start, end } = hay.find(quote) else {
            panic!("{quote:?} not found");
        };
        assert_eq!(&text[start..end], expected, "quote {quote:?}");
    }
}

#[test]
fn normalize_folds_copying_noise_only() {
    assert_eq!(
        normalize("  It’s “done”—over…\r\n\tnow\u{AD}  "),
        "It's \"done\"-over... now"
    );
    assert_eq!(normalize("Ａｎｏｒａ ﬁlm"), "Anora film");
    assert_eq!(normalize("The End"), "The End");
}

#[test]
fn passage_line_counts_original_lines() {
    let hay = Haystack::new(TEXT);
    let c = not_found(&hay, "And that’s when she laughs.");
    assert_eq!(c.passage, "And that’s when she cries.");
    assert_eq!(c.line, 7);
}

#[test]
fn more_ellipsis_forms() {
    let hay = Haystack::new(TEXT);
    assert_eq!(
        found(
            &hay,
            "she turns away and starts to cry.... This moment transcends"
        ),
        "she turns away and starts to cry. This moment transcends"
    );
    assert_eq!(
        found(&hay, "Ani finds herself (...) with Igor"),
        "Ani finds herself in a car with Igor"
    );
    assert_eq!(
        found(&hay, "Ani finds herself [ … ] with Igor"),
        "Ani finds herself in a car with Igor"
    );
    // Dots that are not an ellipsis stay literal.
    not_found(&hay, "Ani finds herself .. with Igor");
}

#[test]
fn combining_marks_join_the_preceding_letter() {
    let text = "Cafe\u{301} au lait, and the sce\u{300}ne ends.";
    let hay = Haystack::new(text);
    for (quote, expected) in [
        ("Café au lait", "Cafe\u{301} au lait"),
        ("the scène ends.", "the sce\u{300}ne ends."),
    ] {
        let QuoteMatch::Found { start, end } = hay.find(quote) else {
            panic!("{quote:?} not found");
        };
        assert_eq!(&text[start..end], expected);
    }
    not_found(&hay, "Cafe au lait");
}

#[test]
fn normalize_is_idempotent() {
    for s in [
        TEXT,
        "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.",
        " a -- b \u{AD}c\r\n\u{A8}d ‶e″ - ",
    ] {
        let once = normalize(s);
        assert_eq!(normalize(&once), once);
    }
}

/// Every span of up to a dozen words of the text is found, and the reported range
/// folds to the same thing as the quote.
#[test]
fn every_span_maps_back_to_what_was_quoted() {
    let extra = "Café «naïve» — ﬁnal\u{A0}scène: e\u{301}te\u{301}, ｆｕｌｌ width.";
    let text = format!("{TEXT}\r\n{extra}");
    let hay = Haystack::new(&text);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    let ends: Vec<usize> = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    for (k, &a) in starts.iter().enumerate() {
        for &b in ends.iter().skip(k).take(12) {
            let quote = &text[a..b];
            if normalize(quote).is_empty() {
                continue;
            }
            match hay.find(quote) {
                QuoteMatch::Found { start, end } => {
                    assert_eq!(normalize(&text[start..end]), normalize(quote), "{quote:?}");
                }
                QuoteMatch::NotFound(_) => panic!("{quote:?} not found"),
            }
        }
    }
}

/// A tiny deterministic generator (xorshift), for made-up texts.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `n` words of made-up prose: a vocabulary of 3,000 words of which a few are very
/// common, sentences of 6 to 24 words.
pub(super) fn prose(seed: u64, n: usize) -> String {
    let mut rng = Rng(seed);
    let syllables = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "ve", "do", "pa", "ri", "en",
    ];
    let vocabulary: Vec<String> = (0..3_000)
        .map(|_| {
            (0..1 + rng.below(4))
                .map(|_| syllables[rng.below(12)])
                .collect()
        })
        .collect();
    let mut words = Vec::with_capacity(n);
    let mut sentence = 0;
    for _ in 0..n {
        // the square favours the first words of the vocabulary, as in natural prose
        let r = rng.below(3_000);
        let mut word = vocabulary[r * r / 3_000].clone();
        if sentence == 0 {
            sentence = 6 + rng.below(19);
        }
        sentence -= 1;
        if sentence == 0 {
            word.push('.');
        }
        words.push(word);
    }
    words.join(" ")
}

/// `n` words drawn at random from `vocabulary`.
fn repetitive(seed: u64, vocabulary: &[&str], n: usize) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| vocabulary[rng.below(vocabulary.len())].to_owned())
        .collect()
}

/// An elided quote of 1,200 parts, each a word that occurs 50,000 times, in a text of
/// 100,000 words: keeping each part's occurrences would take 60 million positions. The
/// search compares a few places per part instead.
#[test]
fn an_elided_quote_of_many_common_parts_is_searched_in_one_pass() {
    let mut words = repetitive(1, &["la", "lo"], 100_000);
    words[75_000] = "lu".into();
    let text = words.join(" ");
    let hay = Haystack::new(&text);
    let mut rng = Rng(2);
    let parts: Vec<&str> = (0..1_199).map(|_| ["la", "lo"][rng.below(2)]).collect();
    let search = |last: &str| {
        let quote = format!("{} … {last}", parts.join(" … "));
        let q = normalize(&quote);
        let mut work = SearchWork::default();
        let found = hay.locate_normalized(&q, &mut work);
        (found, work.checks, q.len())
    };

    let (found, checks, _) = search("la");
    let first = text.find(parts[0]);
    assert_eq!(found.map(|(start, _)| start), first);
    assert!(checks <= 2 * 1_200, "{checks} places compared");

    // The last part occurs once, far beyond where the others first fit: the next start
    // worth trying is just before it.
    let (found, checks, length) = search("lu");
    let (start, end) = found.expect("found near the one `lu`");
    assert_eq!(&text[end - 2..end], "lu");
    assert!(end - start <= ELISION_FACTOR * length, "{start}..{end}");
    assert!(checks <= 4 * 1_200, "{checks} places compared");

    // A part that is nowhere in the text ends the search before it starts.
    assert_eq!(search("zu").0, None);
    assert_eq!(search("zu").1, 0);
}

/// The search for an elided quote finds what the plain definition finds: the earliest
/// start, each next part at its first occurrence after the previous one ends, within the
/// limit.
#[test]
fn elided_search_agrees_with_the_plain_definition() {
    fn plain(hay: &Haystack, parts: &[&str], limit: usize) -> Option<(usize, usize)> {
        let occurrences: Vec<Vec<usize>> = parts
            .iter()
            .map(|p| {
                (0..hay.norm.len())
                    .filter(|&i| hay.norm.is_char_boundary(i) && hay.occurs_at(p, i))
                    .collect()
            })
            .collect();
        'starts: for &start in &occurrences[0] {
            let mut end = start + parts[0].len();
            for (part, occ) in parts[1..].iter().zip(&occurrences[1..]) {
                let &at = occ.iter().find(|&&o| o >= end)?;
                end = at + part.len();
                if end - start > limit {
                    continue 'starts;
                }
            }
            return Some((start, end));
        }
        None
    }
    let mut rng = Rng(3);
    let pieces = ["la", "lo", "la lo", "lo, la", "li", ",", "la-lo", "é"];
    for round in 0..400 {
        let text = repetitive(
            round,
            &["la", "lo", "li", "la,", "lo-la", "é"],
            20 + rng.below(60),
        )
        .join(" ");
        let hay = Haystack::new(&text);
        let parts: Vec<&str> = (0..1 + rng.below(5))
            .map(|_| pieces[rng.below(pieces.len())])
            .collect();
        let limit = 4 + rng.below(60);
        let mut work = SearchWork::default();
        assert_eq!(
            hay.locate(&parts, Some(limit), &mut work),
            plain(&hay, &parts, limit),
            "{parts:?} within {limit} in {text:?}"
        );
        assert!(work.checks <= 2 * (text.len() + parts.len()), "{work:?}");
    }
}

/// A 600-word quote with one word in fifty changed and a sentence left out: aligning it
/// in full with each candidate region would take 16 × 600 × 1,200 cells; within a band it
/// takes about a hundred per word, however long the quote.
#[test]
fn a_long_missing_quote_is_aligned_within_a_band() {
    let text = prose(4, 12_000);
    let words: Vec<&str> = text.split(' ').collect();
    let passage = &words[5_000..5_600];
    let mut quote: Vec<&str> = passage.to_vec();
    for i in (25..quote.len()).step_by(50) {
        quote[i] = "zebra";
    }
    quote.drain(300..315);
    let hay = Haystack::new(&text);
    let mut align = AlignWork::default();
    let QuoteMatch::NotFound(c) =
        hay.find_counted(&quote.join(" "), &mut SearchWork::default(), &mut align)
    else {
        panic!("a changed quote is found");
    };
    assert_eq!(c.passage, passage.join(" "));
    assert!(c.ratio > 0.95, "ratio {}", c.ratio);
    assert!(
        align.cells <= closest::MAX_CANDIDATES * quote.len() * (2 * closest::BAND + 20),
        "{align:?}"
    );
}

mod properties {
    use super::*;
    use crate::quotes::remark::{RemarkQuote, same_remarks};
    use proptest::prelude::*;

    /// A class of characters that folding, word edges and ellipses treat specially.
    macro_rules! tricky {
        () => {
            "[abAé\u{301}\u{FB01} .\u{2026},;\\-\u{2014}\u{2019}'\"\u{A0}\n\\[\\]()]"
        };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_quote_in_any_text_is_answered(
            text in concat!(tricky!(), "{0,60}"),
            quote in concat!(tricky!(), "{0,24}"),
        ) {
            let hay = Haystack::new(&text);
            match hay.find(&quote) {
                QuoteMatch::Found { start, end } => {
                    prop_assert!(start < end && end <= text.len());
                    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                }
                QuoteMatch::NotFound(c) => {
                    prop_assert!((0.0..=1.0).contains(&c.ratio));
                    prop_assert!(text.contains(&c.passage));
                }
            }
        }

        #[test]
        fn remark_pairs_are_ordered_and_across_sources(
            quotes in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "she lost the power along the way",
                        "She lost the power … along the way.",
                        "the power she lost",
                        "I love it.",
                        "we shot the car scene in the snow over two nights",
                        "the car scene was shot in snow, over two long nights",
                        "",
                        "…",
                    ]),
                    0u32..3,
                    proptest::option::of(proptest::sample::select(vec!["IndieWire", " indiewire", "EW"])),
                ),
                0..10,
            ),
        ) {
            let quotes: Vec<RemarkQuote> = quotes
                .iter()
                .map(|&(text, group, outlet)| RemarkQuote { text, group, outlet })
                .collect();
            let pairs = same_remarks(&quotes);
            for (k, p) in pairs.iter().enumerate() {
                prop_assert!(p.left < p.right && p.right < quotes.len());
                prop_assert!(quotes[p.left].group != quotes[p.right].group);
                prop_assert!((0.0..=1.0).contains(&p.similarity));
                if k > 0 {
                    prop_assert!((pairs[k - 1].left, pairs[k - 1].right) < (p.left, p.right));
                }
            }
        }
    }
}

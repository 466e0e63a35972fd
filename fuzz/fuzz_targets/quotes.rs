//! An arbitrary quote against an arbitrary text: the search must never panic, and a match
//! it reports must be a valid range of the text, on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax::quotes::{Haystack, QuoteMatch};

fuzz_target!(|input: (&str, &str)| {
    let (text, quote) = input;
    let haystack = Haystack::new(text);
    check(text, haystack.find(quote));
    // a slice of the text itself, so matches are found and not only missed
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    if bounds.len() > 2 {
        let (a, b) = (bounds[bounds.len() / 3], bounds[2 * bounds.len() / 3]);
        check(text, haystack.find(&text[a..b]));
    }
});

fn check(text: &str, found: QuoteMatch) {
    match found {
        QuoteMatch::Found { start, end } => {
            assert!(
                start <= end && end <= text.len(),
                "{start}..{end} of {}",
                text.len()
            );
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
        }
        QuoteMatch::NotFound(closest) => {
            let _ = format!("{closest:?}");
        }
    }
}

//! The remark matcher of `voices` on arbitrary quotes: never a panic, pairs in order, of
//! different sources, a similarity between 0 and 1, and never more than a bounded number of
//! words shown of either quote.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax::quotes::remark::{
    EXCERPT_CONTEXT_WORDS, MAX_SHOWN_WORDS, RemarkQuote, same_remarks, same_remarks_rendered,
};

fuzz_target!(|input: Vec<(u8, bool, &str)>| {
    let quotes: Vec<RemarkQuote> = input
        .iter()
        .map(|&(group, outlet, text)| RemarkQuote {
            text,
            group: u32::from(group % 4),
            outlet: outlet.then_some("Outlet"),
        })
        .collect();
    let pairs = same_remarks(&quotes);
    for p in &pairs {
        assert!(p.left < p.right && p.right < quotes.len());
        assert_ne!(quotes[p.left].group, quotes[p.right].group);
        assert!((0.0..=1.0).contains(&p.similarity), "{}", p.similarity);
        for shown in [&p.left_shown, &p.right_shown].into_iter().flatten() {
            let words = shown.split_whitespace().count();
            assert!(words <= MAX_SHOWN_WORDS + 2 * EXCERPT_CONTEXT_WORDS + 2, "{words}");
        }
    }
    assert_eq!(same_remarks_rendered(&quotes).len(), pairs.len());
});

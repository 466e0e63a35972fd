//! An arbitrary Hypothesis export imported into the bundled corpus's work: never a panic,
//! and an export that is read gives claim sets that validate (`import` checks them and
//! fails only when one does not, which would be a bug).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use parallax::corpus::{LoadOptions, Work, load};
use parallax::interchange::hypothesis::{Coders, IdFrom, Options, import};

fn work() -> &'static Work {
    static WORK: OnceLock<Work> = OnceLock::new();
    WORK.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../interpretations");
        let mut loaded = load(&LoadOptions {
            root: root.into(),
            ..LoadOptions::default()
        });
        loaded.corpus.works.remove(0)
    })
}

fuzz_target!(|json: &str| {
    for from in [IdFrom::Title, IdFrom::Url] {
        if let Err(errors) = import(
            work(),
            json,
            &Options {
                id_from: from,
                include_hidden: true,
                coders: Coders::PerUser,
            },
        ) {
            assert!(
                errors.iter().all(|d| d.message.starts_with("not a Hypothesis export")),
                "{:?}",
                errors.iter().map(|d| &d.message).collect::<Vec<_>>()
            );
        }
    }
});

//! Any claim set that serialises from a valid model loads back to the same model.

use std::fs;

use parallax::corpus::{LoadOptions, Stance, load};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct GenClaim {
    scene: usize,
    reading: usize,
    stance: Stance,
    summary: String,
    quote: Option<String>,
    attributed_to: Option<String>,
    via: Option<String>,
}

/// Text as the loader keeps it: non-empty, no surrounding white space, any Unicode inside.
fn text() -> impl Strategy<Value = String> {
    "[^\\s\\u{0}]([^\\u{0}]{0,30}[^\\s\\u{0}])?"
}

fn claim(scenes: usize, readings: usize) -> impl Strategy<Value = GenClaim> {
    (
        0..scenes,
        0..readings,
        prop_oneof![
            Just(Stance::Endorses),
            Just(Stance::Considers),
            Just(Stance::Rejects)
        ],
        text(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_map(
            |(scene, reading, stance, summary, quote, attributed_to, via)| GenClaim {
                scene,
                reading,
                stance,
                summary,
                quote,
                attributed_to,
                via,
            },
        )
}

fn case() -> impl Strategy<Value = (usize, usize, Vec<GenClaim>)> {
    (1usize..5, 1usize..5).prop_flat_map(|(s, r)| {
        (
            Just(s),
            Just(r),
            proptest::collection::vec(claim(s, r), 0..8),
        )
    })
}

fn work_toml(scenes: usize, readings: usize) -> String {
    let mut t = toml::Table::new();
    let mut work = toml::Table::new();
    work.insert("title".into(), "Round trip".into());
    t.insert("work".into(), work.into());
    let scene: Vec<toml::Value> = (0..scenes)
        .map(|i| {
            toml::Value::Table(
                toml::toml! { id = (format!("scene-{i}")) title = (format!("Scene {i}")) },
            )
        })
        .collect();
    let reading: Vec<toml::Value> = (0..readings)
        .map(|i| {
            toml::Value::Table(
                toml::toml! { id = (format!("reading-{i}")) label = (format!("Reading {i}")) },
            )
        })
        .collect();
    t.insert("scene".into(), scene.into());
    t.insert("reading".into(), reading.into());
    toml::to_string(&t).unwrap()
}

fn source_toml(claims: &[GenClaim]) -> String {
    let mut t = toml::Table::new();
    t.insert(
        "source".into(),
        toml::Value::Table(toml::toml! { title = "A source" kind = "essay" }),
    );
    let list: Vec<toml::Value> = claims
        .iter()
        .map(|c| {
            let mut m = toml::Table::new();
            m.insert("scene".into(), format!("scene-{}", c.scene).into());
            m.insert("reading".into(), format!("reading-{}", c.reading).into());
            m.insert("stance".into(), c.stance.name().into());
            m.insert("summary".into(), c.summary.clone().into());
            for (k, v) in [
                ("quote", &c.quote),
                ("attributed_to", &c.attributed_to),
                ("via", &c.via),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v.clone().into());
                }
            }
            m.into()
        })
        .collect();
    t.insert("claim".into(), list.into());
    toml::to_string(&t).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_serialised_model_loads_back((scenes, readings, claims) in case()) {
        // duplicates are refused by design: keep the first of equal claims
        let mut unique: Vec<GenClaim> = Vec::new();
        for c in claims {
            let same = |u: &GenClaim| u.scene == c.scene && u.reading == c.reading && u.stance == c.stance
                && u.summary == c.summary && u.quote == c.quote && u.attributed_to == c.attributed_to && u.via == c.via;
            if !unique.iter().any(same) {
                unique.push(c);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("w");
        fs::create_dir_all(work.join("sources")).unwrap();
        fs::write(work.join("work.toml"), work_toml(scenes, readings)).unwrap();
        fs::write(work.join("sources/one.toml"), source_toml(&unique)).unwrap();

        let loaded = load(&LoadOptions { root: dir.path().to_path_buf(), work: None, ..LoadOptions::default() });
        prop_assert!(loaded.errors.is_empty(), "{:?}", loaded.errors.iter().map(|d| d.render(false)).collect::<Vec<_>>());
        let w = &loaded.corpus.works[0];
        prop_assert_eq!(w.scenes.len(), scenes);
        prop_assert_eq!(w.readings.len(), readings);
        let got = &w.sources[0].claims;
        prop_assert_eq!(got.len(), unique.len());
        for (g, c) in got.iter().zip(&unique) {
            prop_assert_eq!(g.scene(), c.scene);
            prop_assert_eq!(g.reading(), c.reading);
            prop_assert_eq!(g.stance, c.stance);
            prop_assert_eq!(g.summary(), Some(c.summary.as_str()));
            prop_assert_eq!(g.quote(), c.quote.as_deref());
            prop_assert_eq!(g.attributed_to(), c.attributed_to.as_deref());
            prop_assert_eq!(g.via(), c.via.as_deref());
        }
    }
}

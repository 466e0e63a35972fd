//! The reliability view against reliability data built by hand from the same codings: the
//! empty-set rule, units left out, single coders, identical and duplicated coders.

use std::path::PathBuf;
use std::sync::Arc;

use proptest::prelude::*;

use super::*;
use crate::agreement::testing::{close, naive_alpha};
use crate::agreement::{Distance, Value};
use crate::corpus::model::Pos;
use crate::corpus::{Claim, ClaimTexts, Coder, Reading, Scene, Source, Stance};

/// One coder's claims on one source: (scene, reading, stance).
type Coding = Vec<(usize, usize, Stance)>;

fn work(scenes: usize, readings: usize, coders: Vec<Vec<(String, Coding)>>) -> Work {
    let scene = |i: usize| Scene {
        id: format!("s{i}"),
        pos: Pos::default(),
        title: format!("Scene {i}"),
        aliases: Vec::new(),
        description: None,
    };
    let reading = |i: usize| Reading {
        id: format!("r{i}"),
        pos: Pos::default(),
        label: format!("Reading {i}"),
        description: None,
        aliases: Vec::new(),
        excludes: Vec::new(),
    };
    let coders = (coders.into_iter().enumerate())
        .map(|(k, codings)| Coder {
            id: format!("c{k}"),
            codings: (codings.into_iter())
                .map(|(id, claims)| {
                    let mut s = Source::new(id, Arc::new(PathBuf::from(format!("codings/c{k}"))));
                    s.title = "T".into();
                    s.claims = (claims.into_iter())
                        .map(|(scene, reading, stance)| {
                            let texts = ClaimTexts::new(Some("x"), None, None, None);
                            Claim::new(scene, reading, stance, Pos::default(), texts)
                        })
                        .collect();
                    s
                })
                .collect(),
        })
        .collect();
    Work {
        id: "w".into(),
        dir: PathBuf::from("w"),
        title: "W".into(),
        year: None,
        creators: Vec::new(),
        scenes: (0..scenes).map(scene).collect(),
        readings: (0..readings).map(reading).collect(),
        people: Vec::new(),
        registry: false,
        sources: Vec::new(),
        coders,
    }
}

fn options(work: &Work) -> ReliabilityOptions {
    ReliabilityOptions {
        value: ValueKind::Readings,
        voice: Voice::Own,
        coders: (0..work.coders.len()).collect(),
        sources: None,
        bootstrap: None,
        resample: Resample::Pairs,
        gold: false,
        disagreements: true,
        quotes: true,
        sort: SortBy::Name,
    }
}

/// The coders × units table of docs/rules.md built naively: for every source and scene, each
/// coder's endorsed set (∅ when it coded the source and endorses nothing there; missing when
/// it did not code the source), units where no coder found anything left out.
fn naive_table(work: &Work) -> Vec<Vec<Option<Value>>> {
    let mut sources: Vec<&str> = (work.coders.iter())
        .flat_map(|c| c.codings.iter().map(|s| s.id.as_str()))
        .collect();
    sources.sort();
    sources.dedup();
    let mut columns: Vec<Vec<Option<Value>>> = Vec::new();
    for id in sources {
        for scene in 0..work.scenes.len() {
            let column: Vec<Option<Value>> = (work.coders.iter())
                .map(|c| {
                    c.coding(id).map(|s| {
                        let mut v: Value = (s.claims.iter())
                            .filter(|cl| cl.scene() == scene && cl.stance == Stance::Endorses)
                            .map(|cl| cl.reading() as u32)
                            .collect();
                        v.sort();
                        v.dedup();
                        v
                    })
                })
                .collect();
            if column.iter().flatten().any(|v| !v.is_empty()) {
                columns.push(column);
            }
        }
    }
    // transpose to coders × units
    (0..work.coders.len())
        .map(|k| columns.iter().map(|c| c[k].clone()).collect())
        .collect()
}

fn coding_strategy() -> impl Strategy<Value = Coding> {
    let stance = prop_oneof![
        4 => Just(Stance::Endorses),
        1 => Just(Stance::Considers),
        1 => Just(Stance::Rejects)
    ];
    proptest::collection::vec((0..4usize, 0..4usize, stance), 0..6)
}

fn corpus_strategy() -> impl Strategy<Value = Vec<Vec<(String, Coding)>>> {
    // up to 4 coders, each coding some of 3 sources
    proptest::collection::vec(
        proptest::collection::vec(proptest::option::of(coding_strategy()), 3),
        2..=4,
    )
    .prop_map(|coders| {
        (coders.into_iter())
            .map(|sources| {
                (sources.into_iter().enumerate())
                    .filter_map(|(i, c)| Some((format!("src{i}"), c?)))
                    .collect()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn alpha_is_that_of_the_naive_table(coders in corpus_strategy()) {
        let work = work(4, 4, coders);
        let table = naive_table(&work);
        match Reliability::new(&work, &options(&work)) {
            Ok(view) => {
                for d in Distance::ALL {
                    let naive = naive_alpha(&table, d);
                    prop_assert!(close(view.alpha.get(d), naive, 1e-9), "{:?}: {:?} vs {:?}", d, view.alpha.get(d), naive);
                }
                prop_assert_eq!(view.units, table.first().map_or(0, Vec::len));
                // every disagreement is a unit whose values differ, and there is one for each
                let differing = (0..view.units)
                    .filter(|&u| {
                        let present: Vec<&Value> = table.iter().filter_map(|row| row[u].as_ref()).collect();
                        present.len() >= 2 && present.windows(2).any(|w| w[0] != w[1])
                    })
                    .count();
                prop_assert_eq!(view.disagreements.as_ref().unwrap().len(), differing);
            }
            Err(_) => {
                // no source coded by two coders
                prop_assert!(table.iter().all(|_| true));
                let shared = (0..3).any(|i| {
                    work.coders.iter().filter(|c| c.coding(&format!("src{i}")).is_some()).count() >= 2
                });
                prop_assert!(!shared);
            }
        }
    }

    #[test]
    fn identical_coders_agree_perfectly_where_alpha_is_defined(coding in proptest::collection::vec(coding_strategy(), 3)) {
        let sources: Vec<(String, Coding)> = (coding.into_iter().enumerate())
            .map(|(i, c)| (format!("src{i}"), c))
            .collect();
        let work = work(4, 4, vec![sources.clone(), sources.clone(), sources]);
        let view = Reliability::new(&work, &options(&work)).expect("three coders of every source");
        for d in Distance::ALL {
            prop_assert!(view.alpha.get(d).is_none_or(|a| (a - 1.0).abs() < 1e-12));
        }
        prop_assert!(view.disagreements.unwrap().is_empty());
        prop_assert!(view.pairs.iter().all(|p| p.identical.is_none_or(|x| x == 1.0)));
    }
}

#[test]
fn a_coder_who_found_nothing_disagrees_with_one_who_found_something() {
    use Stance::Endorses as E;
    // c0 finds r1 on s0 and s1; c1 coded the source and found r1 on s0 only: ∅ on s1
    let work = work(
        3,
        2,
        vec![
            vec![("a".into(), vec![(0, 1, E), (1, 1, E)])],
            vec![("a".into(), vec![(0, 1, E)])],
        ],
    );
    let view = Reliability::new(&work, &options(&work)).unwrap();
    // units (a, s0) and (a, s1); (a, s2) left out: nobody found anything there
    assert_eq!((view.units, view.pairable_values), (2, 4));
    // values r1 r1 | r1 ∅: D_o = 2/4, D_e = 2·3·1/(4·3) = 1/2: alpha 0
    assert_eq!(view.alpha.masi, Some(0.0));
    let d = view.disagreements.as_ref().unwrap().iter().next().unwrap();
    assert_eq!((d.source.as_str(), d.scene.as_str()), ("a", "s1"));
    assert_eq!(d.coders[1].value, Vec::<String>::new());
    assert_eq!(d.agreement, Some(0.0));
    // a coder without a coding of a source is missing there, not empty
    let work = self::work(
        2,
        2,
        vec![
            vec![("a".into(), vec![(0, 1, E)]), ("b".into(), vec![(0, 0, E)])],
            vec![("a".into(), vec![(0, 1, E)])],
        ],
    );
    let view = Reliability::new(&work, &options(&work)).unwrap();
    assert_eq!((view.units, view.pairable_units), (2, 1));
    assert!(
        view.warnings
            .iter()
            .any(|w| w.contains("1 of 2 sources is coded by one coder only"))
    );
}

#[test]
fn without_two_coders_of_a_source_there_is_nothing_to_measure() {
    use Stance::Endorses as E;
    let work = work(
        2,
        2,
        vec![
            vec![("a".into(), vec![(0, 1, E)])],
            vec![("b".into(), vec![(0, 1, E)])],
        ],
    );
    let err = Reliability::new(&work, &options(&work)).unwrap_err();
    assert!(
        err.contains("no source of work \"w\" was coded by two of the coders"),
        "{err}"
    );
    let mut one = options(&work);
    one.coders = vec![0];
    let err = Reliability::new(&work, &one).unwrap_err();
    assert!(err.contains("only \"c0\" was"), "{err}");
}

#[test]
fn a_duplicated_coder_is_left_out_alike() {
    use Stance::Endorses as E;
    let a: Vec<(String, Coding)> = vec![("a".into(), vec![(0, 0, E), (1, 1, E)])];
    let b: Vec<(String, Coding)> = vec![("a".into(), vec![(0, 0, E), (1, 0, E)])];
    let work = work(2, 2, vec![a.clone(), a, b]);
    let view = Reliability::new(&work, &options(&work)).unwrap();
    // leaving out either copy of the same coding leaves the same data
    assert_eq!(
        view.per_coder[0].alpha_without,
        view.per_coder[1].alpha_without
    );
    assert_eq!(view.pairs[0].identical, Some(1.0));
}

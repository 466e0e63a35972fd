//! Where the time of `parallax agreement` goes: loading the corpus, then the agreement
//! view without the pair table, then its parts on their own (alpha, per reading, leave one
//! out), and optionally the bootstrap and a walk over every row of the pair table.
//!
//! ```text
//! cargo run --release --example agreement_bench -- CORPUS_DIR [--bootstrap N] [--pairs]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use parallax::agreement::{
    self, BootstrapOptions, Distance, HeldUnit, UnitValues, bootstrap::DEFAULT_SEED,
};
use parallax::corpus::{LoadOptions, Stance, Work, load};
use parallax::views::agreement::{Agreement, AgreementOptions};
use parallax::voice::Voice;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// The reliability data straight from the claims (own voice, endorsements only).
fn held_units(work: &Work) -> Vec<HeldUnit> {
    let mut codings: Vec<Vec<(u32, Vec<u32>)>> = vec![Vec::new(); work.scenes.len()];
    for (si, source) in work.sources.iter().enumerate() {
        let mut by_scene: Vec<(usize, Vec<u32>)> = Vec::new();
        for c in source
            .claims
            .iter()
            .filter(|c| c.stance == Stance::Endorses && c.person().is_none())
        {
            match by_scene.iter_mut().find(|(s, _)| *s == c.scene()) {
                Some((_, v)) => v.push(c.reading() as u32),
                None => by_scene.push((c.scene(), vec![c.reading() as u32])),
            }
        }
        for (scene, value) in by_scene {
            codings[scene].push((si as u32, value));
        }
    }
    codings.into_iter().map(HeldUnit::from_codings).collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: agreement_bench CORPUS_DIR [--bootstrap N] [--pairs]");
        return ExitCode::from(2);
    };
    let samples: Option<usize> = args
        .iter()
        .position(|a| a == "--bootstrap")
        .and_then(|i| args.get(i + 1)?.parse().ok());
    let t = Instant::now();
    let loaded = load(&LoadOptions {
        root: PathBuf::from(dir),
        work: None,
        ..LoadOptions::default()
    });
    let load_ms = ms(t);
    if !loaded.errors.is_empty() || loaded.corpus.works.len() != 1 {
        eprintln!("agreement_bench: {dir} is not a valid one-work corpus");
        return ExitCode::from(1);
    }
    let work = &loaded.corpus.works[0];

    let t = Instant::now();
    let view = Agreement::with_options(work, Voice::Own, &AgreementOptions::default());
    let view_ms = ms(t);

    let held = held_units(work);
    let units: Vec<UnitValues> = held.iter().map(HeldUnit::counts).collect();
    let t = Instant::now();
    let a = agreement::alpha(&units);
    let alpha_ms = ms(t);
    assert_eq!(a.masi, view.alpha.masi);
    let t = Instant::now();
    let readings = agreement::per_reading(&units, work.readings.len());
    let reading_ms = ms(t);
    let t = Instant::now();
    let left = agreement::leave_one_out(&held, work.sources.len(), Distance::Masi);
    let left_ms = ms(t);
    println!(
        "{} sources × {} scenes: load {load_ms:.1} ms, agreement view {view_ms:.1} ms \
         (alone: alpha {alpha_ms:.1} ms, per reading {reading_ms:.1} ms over {}, \
         leave one out {left_ms:.1} ms over {}); n = {}, nominal {:?}, masi {:?}, jaccard {:?}",
        work.sources.len(),
        work.scenes.len(),
        readings.len(),
        left.without.len(),
        a.pairable_values,
        a.nominal,
        a.masi,
        a.jaccard
    );
    if let Some(samples) = samples {
        let t = Instant::now();
        let opts = BootstrapOptions {
            samples,
            seed: DEFAULT_SEED,
        };
        let b = agreement::bootstrap(&units, work.sources.len(), opts);
        println!(
            "bootstrap: {samples} samples of M = {} pairs in {:.1} ms; masi {:?}",
            b.pairs_per_sample,
            ms(t),
            b.masi
        );
    }
    if args.iter().any(|a| a == "--pairs") {
        let t = Instant::now();
        let opts = AgreementOptions {
            pairs: true,
            ..AgreementOptions::default()
        };
        let view = Agreement::with_options(work, Voice::Own, &opts);
        let pairs = view.pairs.expect("asked for");
        let conflicts: usize = pairs.rows().map(|p| p.conflict).sum();
        println!(
            "pair table: {} rows walked in {:.1} ms ({conflicts} conflicts)",
            pairs.len(),
            ms(t)
        );
    }
    ExitCode::SUCCESS
}

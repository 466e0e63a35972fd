//! Where the time of `parallax agreement` goes: loading the corpus, then computing the
//! agreement view (alpha three ways and the per-scene figures) without the pair table.
//!
//! ```text
//! cargo run --release --example agreement_bench -- CORPUS_DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use parallax::agreement::{UnitValues, alpha};
use parallax::corpus::{LoadOptions, load};
use parallax::views::agreement::Agreement;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: agreement_bench CORPUS_DIR");
        return ExitCode::from(2);
    };
    let t = Instant::now();
    let loaded = load(&LoadOptions {
        root: PathBuf::from(&dir),
        work: None,
        ..LoadOptions::default()
    });
    let load_ms = t.elapsed().as_secs_f64() * 1e3;
    if !loaded.errors.is_empty() || loaded.corpus.works.len() != 1 {
        eprintln!("agreement_bench: {dir} is not a valid one-work corpus");
        return ExitCode::from(1);
    }
    let work = &loaded.corpus.works[0];

    let t = Instant::now();
    let view = Agreement::new(work, false, parallax::voice::Voice::Own);
    let view_ms = t.elapsed().as_secs_f64() * 1e3;

    // alpha alone, from the reliability data already grouped by scene
    let mut units = vec![Vec::new(); work.scenes.len()];
    for source in &work.sources {
        let mut by_scene: Vec<(usize, Vec<u32>)> = Vec::new();
        for c in source
            .claims
            .iter()
            .filter(|c| c.stance == parallax::corpus::Stance::Endorses)
        {
            match by_scene.iter_mut().find(|(s, _)| *s == c.scene) {
                Some((_, v)) => v.push(c.reading as u32),
                None => by_scene.push((c.scene, vec![c.reading as u32])),
            }
        }
        for (scene, value) in by_scene {
            units[scene].push(value);
        }
    }
    let units: Vec<UnitValues> = units.into_iter().map(UnitValues::from_values).collect();
    let t = Instant::now();
    let a = alpha(&units);
    let alpha_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(a.masi, view.alpha.masi);

    println!(
        "{} sources × {} scenes: load {load_ms:.1} ms, agreement view {view_ms:.1} ms, alpha alone {alpha_ms:.2} ms (n = {}, nominal {:?}, masi {:?}, jaccard {:?})",
        work.sources.len(),
        work.scenes.len(),
        a.pairable_values,
        a.nominal,
        a.masi,
        a.jaccard
    );
    ExitCode::SUCCESS
}

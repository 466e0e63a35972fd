//! Alignment: a source's claims grouped by scene, in the work's scene order. Sparse on
//! purpose: a source speaks of few scenes, and a corpus may hold thousands of sources.

use crate::corpus::{Claim, Source};

/// The scenes a source speaks of, in scene order, each with its claims in file order.
pub fn by_scene(source: &Source) -> Vec<(usize, Vec<&Claim>)> {
    let mut claims: Vec<&Claim> = source.claims.iter().collect();
    claims.sort_by_key(|c| c.scene()); // stable: file order within a scene
    let mut out: Vec<(usize, Vec<&Claim>)> = Vec::new();
    for c in claims {
        match out.last_mut() {
            Some((scene, list)) if *scene == c.scene() => list.push(c),
            _ => out.push((c.scene(), vec![c])),
        }
    }
    out
}

/// The claims of one source on one scene, in file order.
pub fn on_scene(source: &Source, scene: usize) -> impl Iterator<Item = &Claim> {
    source.claims.iter().filter(move |c| c.scene() == scene)
}

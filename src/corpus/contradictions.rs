//! The warnings about a source contradicting itself (docs/formats.md#what-check-reports): on one scene, in one voice,
//! it endorses and rejects one reading, or it endorses two readings that exclude each
//! other. Voices are weighed apart by default: a critic rejecting the reading they report
//! the director holding is not contradicting themselves.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use super::model::{Claim, Stance, Work, alias_key};
use super::people::Registry;
use super::validate::WarnVoice;
use crate::diagnostic::{Diagnostic, SourceFile};

/// What one voice of a source says of one scene so far. Sets, so that a source with
/// thousands of claims on one scene costs a lookup per claim, not a scan of the claims
/// before it.
#[derive(Default)]
struct SceneVoice {
    endorsed: FxHashSet<usize>,
    rejected: FxHashSet<usize>,
    /// reading pairs already warned about
    warned: FxHashSet<(usize, usize)>,
}

/// The voice a claim is weighed in: `None` the source's own; a person's id (with a
/// registry) or folded name.
fn voice_key(claim: &Claim, registry: &Registry) -> Option<String> {
    match claim.person() {
        Some(p) => Some(registry.people[p as usize].id.clone()),
        None => claim.attributed_to().map(alias_key),
    }
}

/// Whether `warn` weighs this claim at all, and under which key.
fn weighed(claim: &Claim, registry: &Registry, warn: &WarnVoice) -> Option<Option<String>> {
    match warn {
        WarnVoice::PerVoice => Some(voice_key(claim, registry)),
        WarnVoice::All => Some(None),
        WarnVoice::Person(name) => {
            let key = voice_key(claim, registry)?;
            let wanted = alias_key(name);
            let matches = match claim.person() {
                Some(p) => {
                    let person = &registry.people[p as usize];
                    key == wanted
                        || alias_key(&person.name) == wanted
                        || person.aliases.iter().any(|a| alias_key(a) == wanted)
                }
                None => key == wanted,
            };
            matches.then_some(None)
        }
    }
}

/// How a warning names the voice it is about; nothing for the source's own.
fn in_voice(claim: &Claim, registry: &Registry, warn: &WarnVoice) -> String {
    match (warn, claim.person(), claim.attributed_to()) {
        (WarnVoice::All, _, _) => " (all voices weighed together)".into(),
        (_, Some(p), _) => format!(" in the voice of {}", registry.people[p as usize].name),
        (_, None, Some(name)) => format!(" in the voice of {name}"),
        _ => String::new(),
    }
}

/// Pushes a warning for each self-contradiction among `claims` (one source's claims with
/// the span of each claim's stance).
pub fn warnings<'a>(
    file: &SourceFile,
    work: &Work,
    registry: &Registry,
    warn: &WarnVoice,
    claims: impl Iterator<Item = (&'a Claim, &'a Range<usize>)>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut seen: FxHashMap<(usize, Option<String>), SceneVoice> = FxHashMap::default();
    for (claim, span) in claims {
        let Some(key) = weighed(claim, registry, warn) else {
            continue;
        };
        let state = seen.entry((claim.scene(), key)).or_default();
        let r = claim.reading();
        let (scene, reading) = (&work.scenes[claim.scene()].id, &work.readings[r].id);
        let voice = in_voice(claim, registry, warn);
        let both_ways = match claim.stance {
            Stance::Considers => continue,
            Stance::Endorses => state.rejected.contains(&r),
            Stance::Rejects => state.endorsed.contains(&r),
        };
        if both_ways && state.warned.insert((r, r)) {
            diags.push(
                file.warning(
                    format!(
                        "the source both endorses and rejects \"{reading}\" on scene \"{scene}\"{voice}"
                    ),
                    span.clone(),
                )
                .with_help(
                    "if the source weighs the reading without deciding, use stance = \"considers\"",
                ),
            );
        }
        if claim.stance == Stance::Rejects {
            state.rejected.insert(r);
            continue;
        }
        if !state.endorsed.insert(r) {
            // endorsed before: every clash it makes was looked for then
            continue;
        }
        // the readings this one excludes (the codebook's, not the claims'), in order
        for &e in &work.readings[r].excludes {
            if !state.endorsed.contains(&e) || !state.warned.insert((e.min(r), e.max(r))) {
                continue;
            }
            diags.push(
                file.warning(
                    format!(
                        "the source endorses \"{}\" and \"{reading}\" on scene \"{scene}\"{voice}, and the codebook says they exclude each other",
                        work.readings[e].id
                    ),
                    span.clone(),
                )
                .with_help("if the source only weighs one of them, use stance = \"considers\"; if both can hold, remove the pair from `excludes` in work.toml"),
            );
        }
    }
}

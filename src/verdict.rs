//! docs/rules.md#verdicts: how two sources' positions on one scene compare. Pure: no corpus, no output.

use serde::{Deserialize, Serialize};

use crate::corpus::{Claim, Stance};
use crate::voice::Voice;

/// The comparison of two sources on one scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Conflict,
    OnlyLeft,
    OnlyRight,
    Agree,
    Overlap,
    Diverge,
}

impl Verdict {
    /// In the order summaries list them.
    pub const ALL: [Verdict; 6] = [
        Verdict::Agree,
        Verdict::Overlap,
        Verdict::Diverge,
        Verdict::Conflict,
        Verdict::OnlyLeft,
        Verdict::OnlyRight,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Conflict => "conflict",
            Verdict::OnlyLeft => "only-left",
            Verdict::OnlyRight => "only-right",
            Verdict::Agree => "agree",
            Verdict::Overlap => "overlap",
            Verdict::Diverge => "diverge",
        }
    }

    /// The verdict seen from the other side: left and right swapped.
    pub fn mirror(self) -> Verdict {
        match self {
            Verdict::OnlyLeft => Verdict::OnlyRight,
            Verdict::OnlyRight => Verdict::OnlyLeft,
            v => v,
        }
    }
}

/// A source's position on a scene: the readings it endorses (E) and rejects (J) in the
/// chosen voice, sorted and without repeats, and whether it said anything at all there (a
/// `considers` claim, or under `own` a reported view, counts as speaking but is not part
/// of the position).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    pub endorses: Vec<usize>,
    pub rejects: Vec<usize>,
    pub spoke: bool,
}

impl Position {
    pub fn of<'a>(claims: impl IntoIterator<Item = &'a Claim>, voice: Voice) -> Position {
        let mut p = Position::default();
        for c in claims.into_iter().filter(|c| voice.shows(c)) {
            p.spoke = true;
            if !voice.counts(c) {
                continue;
            }
            match c.stance {
                Stance::Endorses => p.endorses.push(c.reading()),
                Stance::Rejects => p.rejects.push(c.reading()),
                Stance::Considers => {}
            }
        }
        for set in [&mut p.endorses, &mut p.rejects] {
            set.sort_unstable();
            set.dedup();
        }
        p
    }
}

fn intersects(a: &[usize], b: &[usize]) -> bool {
    // both sorted: a merge walk
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Whether some reading of `a` excludes some reading of `b`.
fn any_excludes(a: &[usize], b: &[usize], excludes: &impl Fn(usize, usize) -> bool) -> bool {
    a.iter().any(|&x| b.iter().any(|&y| excludes(x, y)))
}

/// The verdict for two positions, the first rule of docs/rules.md#verdicts that holds; `None` when neither
/// source speaks of the scene. `excludes` says whether two readings exclude each other
/// (symmetric; `Work::excludes`).
pub fn verdict(
    left: &Position,
    right: &Position,
    excludes: &impl Fn(usize, usize) -> bool,
) -> Option<Verdict> {
    let v = if intersects(&left.endorses, &right.rejects)
        || intersects(&left.rejects, &right.endorses)
        || any_excludes(&left.endorses, &right.endorses, excludes)
    {
        Verdict::Conflict
    } else if !right.spoke && left.spoke {
        Verdict::OnlyLeft
    } else if !left.spoke && right.spoke {
        Verdict::OnlyRight
    } else if !left.spoke {
        return None;
    } else if left.endorses == right.endorses && left.rejects == right.rejects {
        Verdict::Agree
    } else if intersects(&left.endorses, &right.endorses)
        || intersects(&left.rejects, &right.rejects)
    {
        Verdict::Overlap
    } else {
        Verdict::Diverge
    };
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn none(_: usize, _: usize) -> bool {
        false
    }

    fn verdict(l: &Position, r: &Position) -> Option<Verdict> {
        super::verdict(l, r, &none)
    }

    fn pos(e: &[usize], j: &[usize], spoke: bool) -> Position {
        Position {
            endorses: e.to_vec(),
            rejects: j.to_vec(),
            spoke,
        }
    }

    #[test]
    fn each_rule() {
        let none = Position::default();
        assert_eq!(
            verdict(&pos(&[1], &[], true), &pos(&[], &[1], true)),
            Some(Verdict::Conflict)
        );
        assert_eq!(
            verdict(&pos(&[], &[2], true), &pos(&[2], &[], true)),
            Some(Verdict::Conflict)
        );
        assert_eq!(
            verdict(&pos(&[1], &[], true), &none),
            Some(Verdict::OnlyLeft)
        );
        assert_eq!(
            verdict(&none, &pos(&[], &[], true)),
            Some(Verdict::OnlyRight)
        );
        assert_eq!(
            verdict(&pos(&[1, 2], &[3], true), &pos(&[1, 2], &[3], true)),
            Some(Verdict::Agree)
        );
        assert_eq!(
            verdict(&pos(&[1, 2], &[], true), &pos(&[2], &[], true)),
            Some(Verdict::Overlap)
        );
        assert_eq!(
            verdict(&pos(&[], &[4], true), &pos(&[1], &[4], true)),
            Some(Verdict::Overlap)
        );
        assert_eq!(
            verdict(&pos(&[1], &[], true), &pos(&[2], &[3], true)),
            Some(Verdict::Diverge)
        );
        assert_eq!(verdict(&none, &none), None);
        // only considered: both spoke, positions equal (empty)
        assert_eq!(
            verdict(&pos(&[], &[], true), &pos(&[], &[], true)),
            Some(Verdict::Agree)
        );
    }

    #[test]
    fn excluding_readings_conflict_both_ways() {
        // 1 and 2 exclude each other
        let excl = |a: usize, b: usize| (a, b) == (1, 2) || (a, b) == (2, 1);
        let (l, r) = (pos(&[1], &[], true), pos(&[2, 3], &[], true));
        assert_eq!(super::verdict(&l, &r, &excl), Some(Verdict::Conflict));
        assert_eq!(super::verdict(&r, &l, &excl), Some(Verdict::Conflict));
        // without the relation they merely diverge
        assert_eq!(verdict(&l, &r), Some(Verdict::Diverge));
        // rejecting an excluded reading is no conflict
        let r = pos(&[], &[2], true);
        assert_eq!(super::verdict(&l, &r, &excl), Some(Verdict::Diverge));
    }

    #[test]
    fn reported_views_are_no_position_under_own() {
        use crate::corpus::model::Pos;
        let claim = |reading, stance, person: Option<u32>| {
            let texts = crate::corpus::ClaimTexts::new(Some("s"), None, person.map(|_| "P"), None);
            let mut claim = Claim::new(0, reading, stance, Pos::default(), texts);
            claim.set_person(person);
            claim
        };
        // a critic reports the director's reading and rejects it
        let claims = [
            claim(1, Stance::Endorses, Some(0)),
            claim(1, Stance::Rejects, None),
        ];
        let own = Position::of(&claims, Voice::Own);
        assert_eq!(own, pos(&[], &[1], true));
        let all = Position::of(&claims, Voice::All);
        assert_eq!(all, pos(&[1], &[1], true));
        let baker = Position::of(&claims, Voice::Person(0));
        assert_eq!(baker, pos(&[1], &[], true));
        // only reported views: spoke, no position
        let only = Position::of(&claims[..1], Voice::Own);
        assert_eq!(only, pos(&[], &[], true));
        assert_eq!(
            Position::of(&claims[1..], Voice::Person(0)),
            Position::default()
        );
    }

    #[test]
    fn conflict_wins_over_overlap() {
        assert_eq!(
            verdict(&pos(&[1, 2], &[], true), &pos(&[1], &[2], true)),
            Some(Verdict::Conflict)
        );
    }

    fn position() -> impl Strategy<Value = Position> {
        (
            proptest::collection::btree_set(0usize..5, 0..4),
            proptest::collection::btree_set(0usize..5, 0..3),
            any::<bool>(),
        )
            .prop_map(|(e, j, spoke)| {
                let spoke = spoke || !e.is_empty() || !j.is_empty();
                pos(
                    &e.into_iter().collect::<Vec<_>>(),
                    &j.into_iter().collect::<Vec<_>>(),
                    spoke,
                )
            })
    }

    proptest! {
        #[test]
        fn mirrored(l in position(), r in position(), pairs in proptest::collection::vec((0usize..5, 0usize..5), 0..4)) {
            // any symmetric exclusion relation
            let excl = |a: usize, b: usize| pairs.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b));
            prop_assert_eq!(
                super::verdict(&r, &l, &excl),
                super::verdict(&l, &r, &excl).map(Verdict::mirror)
            );
        }

        #[test]
        fn self_agrees(p in position()) {
            let expected = if p.spoke { Some(Verdict::Agree) } else { None };
            // a source never conflicts with itself unless it endorses and rejects one reading
            if !intersects(&p.endorses, &p.rejects) {
                prop_assert_eq!(verdict(&p, &p), expected);
            }
        }
    }
}

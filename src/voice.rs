//! Voices (SPEC §3): whose view a claim is in, and which claims make a source's position.
//!
//! A claim without `attributed_to` is in the source's own voice; a claim with it reports
//! someone else's view. Reporting a view is not holding it, so by default (`own`) only a
//! source's own claims make its position; reported claims are still shown.

use crate::corpus::{Claim, Work};

/// Which claims count as a source's position (`--voice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Voice {
    /// the source's own claims; reported claims are shown but hold no position
    #[default]
    Own,
    /// every claim, whoever's voice it is in
    All,
    /// only the claims attributed to this person (an index into `Work::people`)
    Person(u32),
}

impl Voice {
    /// Resolves a `--voice` argument: `own`, `all`, or a person's id, name or alias.
    /// `Err` holds the names a person can be called by, for suggestions.
    pub fn parse<'w>(arg: &str, work: &'w Work) -> Result<Voice, Vec<&'w str>> {
        match arg.trim() {
            "own" => Ok(Voice::Own),
            "all" => Ok(Voice::All),
            name => work
                .person_index(name)
                .map(|i| Voice::Person(i as u32))
                .ok_or_else(|| work.person_names()),
        }
    }

    /// Whether a view shows the claim at all.
    pub fn shows(self, claim: &Claim) -> bool {
        match self {
            Voice::Own | Voice::All => true,
            Voice::Person(p) => claim.person() == Some(p),
        }
    }

    /// Whether the claim is part of the source's position.
    pub fn counts(self, claim: &Claim) -> bool {
        match self {
            Voice::Own => claim.person().is_none(),
            Voice::All => true,
            Voice::Person(p) => claim.person() == Some(p),
        }
    }

    /// How the voice is named in titles and JSON: `own`, `all` or the person's name.
    pub fn name(self, work: &Work) -> String {
        match self {
            Voice::Own => "own".into(),
            Voice::All => "all".into(),
            Voice::Person(p) => work.people[p as usize].name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Stance;
    use crate::corpus::model::Pos;

    fn claim(person: Option<u32>) -> Claim {
        let texts = crate::corpus::ClaimTexts::new(Some("s"), None, person.map(|_| "P"), None);
        let mut claim = Claim::new(0, 0, Stance::Endorses, Pos::default(), texts);
        claim.set_person(person);
        claim
    }

    #[test]
    fn own_shows_reported_claims_but_does_not_count_them() {
        let (own, reported) = (claim(None), claim(Some(0)));
        assert!(Voice::Own.shows(&reported) && !Voice::Own.counts(&reported));
        assert!(Voice::Own.counts(&own));
        assert!(Voice::All.counts(&reported) && Voice::All.counts(&own));
        assert!(Voice::Person(0).counts(&reported) && !Voice::Person(0).shows(&own));
        assert!(!Voice::Person(1).shows(&reported));
    }
}

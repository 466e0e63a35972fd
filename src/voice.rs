//! Voices (docs/rules.md#voices): whose view a claim is in, and which claims make a source's position.
//!
//! A claim without `attributed_to` is in the source's own voice; a claim with it reports
//! someone else's view. Reporting a view is not holding it, so by default (`own`) only a
//! source's own claims make its position; reported claims are still shown.

use crate::corpus::{Claim, PersonLookup, Work};

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
    /// Resolves a `--voice` argument: `own`, `all`, or a person's id, name or alias (or,
    /// without a registry, surname: [`Work::lookup_person`]). `Err` holds the names to
    /// suggest: the people a surname could mean, else every name a person is called by.
    pub fn parse<'w>(arg: &str, work: &'w Work) -> Result<Voice, Vec<&'w str>> {
        Voice::resolve(arg, work).map_err(|e| match e {
            UnknownVoice::Ambiguous(names) => names,
            UnknownVoice::Unknown => work.person_names(),
        })
    }

    /// [`parse`](Self::parse), telling an unknown name from a surname several people share.
    pub fn resolve<'w>(arg: &str, work: &'w Work) -> Result<Voice, UnknownVoice<'w>> {
        match arg.trim() {
            "own" => Ok(Voice::Own),
            "all" => Ok(Voice::All),
            name => person(work, name).map(|i| Voice::Person(i as u32)),
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

/// Why a `--voice` or `--person` argument names nobody.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnknownVoice<'w> {
    /// a surname several people share: their names
    Ambiguous(Vec<&'w str>),
    Unknown,
}

/// The person a `--person` or `--voice` argument names ([`Work::lookup_person`]).
pub fn person<'w>(work: &'w Work, name: &str) -> Result<usize, UnknownVoice<'w>> {
    match work.lookup_person(name) {
        PersonLookup::Found(i) => Ok(i),
        PersonLookup::Ambiguous(people) => Err(UnknownVoice::Ambiguous(
            people
                .iter()
                .map(|&i| work.people[i].name.as_str())
                .collect(),
        )),
        PersonLookup::Unknown => Err(UnknownVoice::Unknown),
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

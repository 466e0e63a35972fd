//! Finding the few quotes worth comparing with each quote: an inverted index of key words,
//! probed with each quote's rarest words under a budget.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use super::{Distinct, MAX_CANDIDATES, PROBE_BUDGET, Prepared, RemarkStats};
use crate::quotes::index::WordHasher;

/// An inverted index of the quotes' words: for each word, the quotes that hold it. Only
/// one quote of each group's equal quotes is a member; the others pair through
/// [`Prepared::identical_pairs`].
pub(super) struct RemarkIndex {
    /// The member quotes, ascending.
    pub(super) members: Vec<usize>,
    /// `postings[starts[w]..starts[w + 1]]`: the members holding word `w`, ascending.
    starts: Vec<usize>,
    postings: Vec<usize>,
}

impl RemarkIndex {
    pub(super) fn new(p: &Prepared) -> Self {
        let mut seen: HashSet<(&str, u32), BuildHasherDefault<WordHasher>> = HashSet::default();
        let members: Vec<usize> = (0..p.norm.len())
            .filter(|&i| !p.words[i].is_empty() && seen.insert((&p.norm[i], p.group[i])))
            .collect();
        // each member once in the postings of each of its words
        let mut starts = vec![0usize; p.vocabulary + 1];
        let mut once = Distinct::new(p.vocabulary);
        for &i in &members {
            for w in once.words(i, &p.words[i]) {
                starts[w as usize + 1] += 1;
            }
        }
        for w in 1..starts.len() {
            starts[w] += starts[w - 1];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0; starts[p.vocabulary]];
        let mut once = Distinct::new(p.vocabulary);
        for &i in &members {
            for w in once.words(i, &p.words[i]) {
                postings[fill[w as usize]] = i;
                fill[w as usize] += 1;
            }
        }
        RemarkIndex {
            members,
            starts,
            postings,
        }
    }

    fn holding(&self, w: u32) -> &[usize] {
        &self.postings[self.starts[w as usize]..self.starts[w as usize + 1]]
    }

    /// The quotes of other groups that share the most of `i`'s rarest words, at most
    /// [`MAX_CANDIDATES`] of them, most shared words first. The words are probed rarest
    /// first while they fit in [`PROBE_BUDGET`] postings, so a word every quote holds is
    /// never probed and a quote made only of common words has no candidates.
    pub(super) fn candidates<'w>(
        &self,
        p: &Prepared,
        i: usize,
        work: &'w mut Probe,
        stats: &mut RemarkStats,
    ) -> &'w [usize] {
        let Probe {
            hits,
            probes,
            touched,
        } = work;
        probes.clear();
        probes.extend(p.words[i].iter().map(|&w| (self.holding(w).len(), w)));
        probes.sort_unstable();
        probes.dedup();
        let group = p.group[i];
        let mut budget = PROBE_BUDGET;
        // at most one entry per posting visited, written without a branch: whether a
        // quote is met for the first time is too random to predict
        touched.clear();
        touched.resize(PROBE_BUDGET, 0);
        let mut met = 0;
        for &(n, w) in probes.iter().filter(|&&(n, _)| n > 1) {
            if n > budget {
                break;
            }
            budget -= n;
            stats.postings_visited += n;
            for &j in self.holding(w) {
                let other = u32::from(p.group[j] != group);
                touched[met] = j;
                met += usize::from((hits[j] == 0) & (other == 1));
                hits[j] += other;
            }
        }
        touched.truncate(met);
        let rank = |&j: &usize| (std::cmp::Reverse(hits[j]), j);
        let kept = touched.len().min(MAX_CANDIDATES);
        if touched.len() > kept {
            touched.select_nth_unstable_by_key(kept, rank);
        }
        touched[..kept].sort_unstable_by_key(rank);
        for &j in touched.iter() {
            hits[j] = 0;
        }
        touched.truncate(kept);
        touched
    }
}

/// What looking for candidates works in, kept from one quote to the next.
pub(super) struct Probe {
    /// Per quote, how many of the probed words it holds; all zeros between quotes.
    hits: Vec<u32>,
    /// The probing quote's words with how many quotes hold each, fewest first.
    probes: Vec<(usize, u32)>,
    /// The quotes met, then the candidates among them.
    touched: Vec<usize>,
}

impl Probe {
    pub(super) fn new(quotes: usize) -> Self {
        Probe {
            hits: vec![0; quotes],
            probes: Vec::new(),
            touched: Vec::new(),
        }
    }
}

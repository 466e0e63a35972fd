//! How the pair table judges two positions on one scene from their bit sets (docs/rules.md#verdicts),
//! and the bit arithmetic a row needs: ranks of scenes among a source's scenes, and the
//! ratios of Jaccard similarity, read from tables rather than counted or divided.

/// The ones of each byte value.
const ONES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u32).count_ones() as u8;
        b += 1;
    }
    table
};

/// Per byte k of `word`, the ones of the bytes below it, in byte k: a bit's rank is then
/// one table lookup away (the baseline x86-64 target counts the ones of a word in a dozen
/// instructions).
pub(super) fn byte_ranks(word: u64) -> u64 {
    let (mut ranks, mut below) = (0u64, 0u64);
    for k in 0..8 {
        ranks |= below << (8 * k);
        below += u64::from(ONES[(word >> (8 * k) & 0xff) as usize]);
    }
    ranks
}

/// The ones of `word` below bit `bit`, from its [`byte_ranks`].
#[inline(always)]
pub(super) fn rank(word: u64, ranks: u64, bit: u32) -> usize {
    let shift = bit & !7;
    let below = (word >> shift) as u8 & ((1u16 << (bit & 7)) - 1) as u8;
    usize::from((ranks >> shift) as u8) + usize::from(ONES[usize::from(below)])
}

/// How two positions on one scene relate, from their bit sets.
pub(super) struct Shared {
    /// the verdict as an index into the counts ([`verdict`])
    pub(super) verdict: usize,
    /// whether both endorse something
    pub(super) both_endorse: bool,
    /// |E(L) ∩ E(R)| / |E(L) ∪ E(R)| where both endorse something, else 0
    pub(super) jaccard: f64,
}

/// The verdict of two sources that both speak of a scene (docs/rules.md#verdicts), as an index into the
/// counts, without a branch: agree 0 (E(L) = E(R) and J(L) = J(R)), overlap 1 (E(L) ∩
/// E(R) or J(L) ∩ J(R) is non-empty), diverge 2, conflict 3 (E(L) ∩ J(R) or J(L) ∩ E(R)
/// is non-empty, or an endorsement of one excludes one of the other).
#[inline(always)]
fn verdict(conflict: bool, same: bool, share: bool) -> usize {
    let rest = usize::from(!same) * (2 - usize::from(share));
    // 3 is both bits: or-ing it in makes any verdict a conflict
    rest | (usize::from(conflict) * 3)
}

impl Shared {
    /// Positions `l` and `r` (endorsed, rejected, excluded by the endorsed: `w` words each).
    pub(super) fn of(l: &[u64], r: &[u64], w: usize) -> Self {
        let (el, jl, xl) = (&l[..w], &l[w..2 * w], &l[2 * w..]);
        let (er, jr) = (&r[..w], &r[w..2 * w]);
        let any = |a: &[u64], b: &[u64]| a.iter().zip(b).any(|(x, y)| x & y != 0);
        // word by word: a slice comparison would call memcmp for one or two words
        let equal = |a: &[u64], b: &[u64]| a.iter().zip(b).all(|(x, y)| x == y);
        let (mut inter, mut union, mut endorse_l, mut endorse_r) = (0u32, 0u32, false, false);
        for (x, y) in el.iter().zip(er) {
            inter += (x & y).count_ones();
            union += (x | y).count_ones();
            endorse_l |= *x != 0;
            endorse_r |= *y != 0;
        }
        let both_endorse = endorse_l && endorse_r;
        Shared {
            verdict: verdict(
                any(el, jr) || any(jl, er) || any(xl, er),
                equal(el, er) && equal(jl, jr),
                inter > 0 || any(jl, jr),
            ),
            both_endorse,
            jaccard: if both_endorse {
                f64::from(inter) / f64::from(union)
            } else {
                0.0
            },
        }
    }

    /// [`of`](Self::of) for sets of one word, each with the number of readings it
    /// endorses.
    #[inline(always)]
    pub(super) fn of_word((l, l_endorsed): (&[u64], u32), (r, r_endorsed): (&[u64], u32)) -> Self {
        let (el, jl, xl, er, jr) = (l[0], l[1], l[2], r[0], r[1]);
        let inter = el & er;
        // the readings both endorse: mostly none or one, of the first few
        let common = if inter >> 16 == 0 {
            u32::from(ONES[(inter & 0xff) as usize] + ONES[(inter >> 8) as usize])
        } else {
            inter.count_ones()
        };
        Shared {
            verdict: verdict(
                (el & jr) | (jl & er) | (xl & er) != 0,
                el == er && jl == jr,
                inter | (jl & jr) != 0,
            ),
            both_endorse: el != 0 && er != 0,
            // 0 / 0 is 0 in the table: nothing is divided by an empty union
            jaccard: ratio(common, l_endorsed + r_endorsed - common),
        }
    }
}

/// The ratios n / u of small numbers, `RATIOS[u][n]`, divided once: a division takes as
/// long as the rest of judging a scene.
const RATIOS: [[f64; 17]; 17] = {
    let mut table = [[0.0; 17]; 17];
    let mut u = 1;
    while u < 17 {
        let mut n = 0;
        while n <= u {
            table[u][n] = n as f64 / u as f64;
            n += 1;
        }
        u += 1;
    }
    table
};

/// n / u, for n ≤ u (0 where u is 0).
#[inline(always)]
fn ratio(n: u32, u: u32) -> f64 {
    match RATIOS.get(u as usize) {
        Some(row) => row[n as usize],
        None => f64::from(n) / f64::from(u),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A rank from the byte table is the count of the ones below the bit.
        #[test]
        fn ranks_count_the_ones_below(word: u64, bit in 0u32..64) {
            let want = (word & ((1u64 << bit) - 1)).count_ones() as usize;
            prop_assert_eq!(rank(word, byte_ranks(word), bit), want);
        }

        /// A ratio from the table is the division, to the bit.
        #[test]
        fn ratios_are_the_divisions(u in 1u32..40, n in 0u32..40) {
            let n = n.min(u);
            prop_assert_eq!(ratio(n, u).to_bits(), (f64::from(n) / f64::from(u)).to_bits());
        }
    }

    #[test]
    fn verdicts_are_indices_into_the_counts() {
        // agree, overlap, diverge, conflict
        assert_eq!(verdict(false, true, true), 0);
        assert_eq!(verdict(false, true, false), 0);
        assert_eq!(verdict(false, false, true), 1);
        assert_eq!(verdict(false, false, false), 2);
        for (same, share) in [(true, true), (true, false), (false, true), (false, false)] {
            assert_eq!(verdict(true, same, share), 3);
        }
    }
}

//! Agreement statistics (docs/rules.md#agreement): Krippendorff's alpha over set-valued codings, with
//! nominal, MASI and Jaccard distances, and what a publication reports beside it.
//!
//! This module owns the arithmetic only. Its callers decide what a unit, a coder and a
//! value are (for parallax: scenes, sources and the set of readings a source endorses in a
//! scene, as reading indices) and hand it one [`UnitValues`] per unit (or one [`HeldUnit`]
//! when it must know who holds what). Everything here works from counts of distinct values,
//! never from pairs of coders, so the cost grows with the number of (unit, distinct value)
//! pairs and a corpus with thousands of sources stays cheap.
//!
//! Undefined results are `None`, never NaN and never a made-up 1: alpha is undefined when
//! no unit is pairable or when the pairable values show no variation at all.
//!
//! The parts, one file each:
//! - [`distance`]: the three distances between two sets;
//! - [`unit`]: a unit's distinct values and counts, and its mean pairwise agreement;
//! - [`alpha`](mod@alpha): the coincidence sums D_o and D_e, and alpha;
//! - [`per_reading`]: alpha of the binary question "is this reading endorsed?";
//! - [`leave_one_out`](mod@leave_one_out): alpha without each coder, from per-coder
//!   contributions rather than one recomputation per coder;
//! - [`bootstrap`](mod@bootstrap): Krippendorff's bootstrap of alpha's distribution;
//! - [`resample_units`]: the bootstrap over units, each replicate with its own D_e;
//! - [`interpret`]: Krippendorff's thresholds in plain words.

pub mod alpha;
pub mod bootstrap;
pub mod distance;
pub mod interpret;
pub mod leave_one_out;
pub mod per_reading;
pub mod resample_units;
pub mod unit;

#[cfg(test)]
pub(crate) mod testing;

pub use alpha::{Alpha, alpha, alpha_of_pairs, alpha_with};
pub use bootstrap::{Bootstrap, BootstrapOptions, Interval, bootstrap};
pub use distance::Distance;
pub use interpret::{Interpretation, MIN_PAIRABLE_VALUES};
pub use leave_one_out::{HeldUnit, leave_one_out};
pub use per_reading::{ReadingAlpha, per_reading};
pub use resample_units::bootstrap_units;
pub use unit::UnitValues;

/// A coded value: the sorted, deduplicated set of codes (reading indices) a coder gives a
/// unit. The empty set is a value, ∅ (a coder who coded the source and found nothing
/// there, docs/rules.md#reliability); a coder with no value in a unit is simply not passed.
pub type Value = Vec<u32>;

//! Krippendorff's thresholds in plain words: data are reliable from alpha = 0.800, good
//! for tentative conclusions from 0.667, and not reliable below (Krippendorff, *Content
//! Analysis: An Introduction to Its Methodology*, 2004). The thresholds judge an alpha that
//! exists: where alpha is undefined there is nothing to judge, and no verdict is given.

use serde::{Deserialize, Serialize};

/// Below this many pairable values alpha rests on too little data to be judged.
pub const MIN_PAIRABLE_VALUES: usize = 10;

/// The lowest alpha of reliable data.
pub const RELIABLE: f64 = 0.800;
/// The lowest alpha from which tentative conclusions may be drawn.
pub const TENTATIVE: f64 = 0.667;

/// What an alpha says about the data, by Krippendorff's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Interpretation {
    /// alpha ≥ 0.800
    #[serde(rename = "reliable")]
    Reliable,
    /// 0.667 ≤ alpha < 0.800
    #[serde(rename = "tentative")]
    Tentative,
    /// alpha < 0.667
    #[serde(rename = "not reliable")]
    NotReliable,
}

impl Interpretation {
    /// The verdict for an alpha; `None` (no verdict) where alpha is undefined.
    pub fn of(alpha: Option<f64>) -> Option<Interpretation> {
        let a = alpha.filter(|a| a.is_finite())?;
        Some(if a >= RELIABLE {
            Interpretation::Reliable
        } else if a >= TENTATIVE {
            Interpretation::Tentative
        } else {
            Interpretation::NotReliable
        })
    }

    /// The stable name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Interpretation::Reliable => "reliable",
            Interpretation::Tentative => "tentative",
            Interpretation::NotReliable => "not reliable",
        }
    }

    /// What the verdict lets a reader do, in one clause.
    pub fn meaning(self) -> &'static str {
        match self {
            Interpretation::Reliable => "at or above 0.800: the coding can be relied on",
            Interpretation::Tentative => {
                "between 0.667 and 0.800: good for tentative conclusions only"
            }
            Interpretation::NotReliable => "below 0.667: the coding should not be relied on",
        }
    }
}

/// The warning for too few pairable values, if there are too few.
pub fn too_few_values(pairable_values: usize) -> Option<String> {
    (pairable_values < MIN_PAIRABLE_VALUES).then(|| {
        format!(
            "only {pairable_values} value{} pairable (fewer than {MIN_PAIRABLE_VALUES}): alpha rests on too little data to be trusted",
            if pairable_values == 1 { " is" } else { "s are" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_krippendorffs() {
        let of = |a: f64| Interpretation::of(Some(a));
        assert_eq!(of(1.0), Some(Interpretation::Reliable));
        assert_eq!(of(0.800), Some(Interpretation::Reliable));
        assert_eq!(of(0.7999), Some(Interpretation::Tentative));
        assert_eq!(of(0.667), Some(Interpretation::Tentative));
        assert_eq!(of(0.6669), Some(Interpretation::NotReliable));
        assert_eq!(of(-0.5), Some(Interpretation::NotReliable));
    }

    #[test]
    fn undefined_alpha_gets_no_verdict() {
        assert_eq!(Interpretation::of(None), None);
        assert_eq!(Interpretation::of(Some(f64::NAN)), None);
    }

    #[test]
    fn names_are_stable() {
        for (i, name) in [
            (Interpretation::Reliable, "\"reliable\""),
            (Interpretation::Tentative, "\"tentative\""),
            (Interpretation::NotReliable, "\"not reliable\""),
        ] {
            assert_eq!(serde_json::to_string(&i).unwrap(), name);
            assert_eq!(format!("\"{}\"", i.name()), name);
        }
    }

    #[test]
    fn warns_under_ten_pairable_values() {
        assert!(
            too_few_values(9)
                .unwrap()
                .contains("only 9 values are pairable")
        );
        assert!(
            too_few_values(1)
                .unwrap()
                .contains("only 1 value is pairable")
        );
        assert_eq!(too_few_values(10), None);
    }
}

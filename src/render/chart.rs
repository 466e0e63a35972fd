//! Charts: the figures a report draws, as plain data. The HTML format draws them as inline
//! SVG (`svg.rs`); the other formats leave them out, since every chart's figures are also in
//! a table of the report. Nothing here knows the corpus: the views fill these in.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Chart {
    Heatmap(Heatmap),
    Bars(Bars),
    Stances(Stances),
}

/// A square grid of similarities between items, in the order given (the caller orders them
/// so that similar items sit together).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heatmap {
    pub title: String,
    /// what a cell's value is, in a sentence
    pub caption: String,
    pub labels: Vec<String>,
    /// `labels.len()`² values in [0, 1], row by row; `None` where the figure is undefined
    pub values: Vec<Option<f64>>,
}

impl Heatmap {
    pub fn get(&self, row: usize, column: usize) -> Option<f64> {
        self.values
            .get(row * self.labels.len() + column)
            .copied()
            .flatten()
    }
}

/// One horizontal bar per item, each a value in [0, 1] or undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bars {
    pub title: String,
    pub caption: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// shown after the value (`4 sources`)
    pub note: String,
}

/// Per group (a scene), per reading: how many sources endorse, consider and reject it,
/// drawn as bars that diverge from a middle line (rejections to the left).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stances {
    pub title: String,
    pub caption: String,
    pub groups: Vec<StanceGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceGroup {
    pub label: String,
    pub rows: Vec<StanceRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceRow {
    pub label: String,
    pub endorse: usize,
    pub consider: usize,
    pub reject: usize,
}

//! The tidy form of a work: one row per claim (source × scene × claim), each field in its own
//! column, what pandas, R and DuckDB read directly. It is the CSV of `export`, `matrix` and
//! `scene`, written row by row from the corpus: nothing else of a report is computed for it.

use std::io;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::super::ClaimOut;
use crate::corpus::Work;
use crate::render::{Column, Head, Sink};
use crate::voice::Voice;

/// One claim as a tidy row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub work: String,
    pub scene: String,
    pub scene_order: usize,
    pub source: String,
    #[serde(flatten)]
    pub claim: ClaimOut,
}

/// The columns of the tidy table. The first ten are fixed (docs/formats.md, README); later ones are
/// added at the end.
pub const COLUMNS: [&str; 12] = [
    "work",
    "scene",
    "scene_order",
    "source",
    "reading",
    "stance",
    "summary",
    "quote",
    "attributed_to",
    "via",
    "person",
    "reading_label",
];

/// Every claim the voice shows (of one scene, when given), placed by scene: a scene's claims
/// by source (id order), then in file order, as (source index, claim index). Placed by
/// counting the claims of each scene, so it costs eight bytes a claim and no sorting buffer.
pub struct Places {
    /// where each scene's claims start in `places`, and where the last one ends
    starts: Vec<usize>,
    places: Vec<(u32, u32)>,
}

impl Places {
    pub fn new(work: &Work, voice: Voice, scene: Option<usize>) -> Self {
        let shown = || {
            work.sources.iter().enumerate().flat_map(move |(si, s)| {
                (s.claims.iter().enumerate())
                    .filter(move |(_, c)| voice.shows(c) && scene.is_none_or(|x| x == c.scene()))
                    .map(move |(ci, c)| (c.scene(), si as u32, ci as u32))
            })
        };
        let mut starts = vec![0usize; work.scenes.len() + 1];
        for (scene, _, _) in shown() {
            starts[scene + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut places = vec![(0u32, 0u32); starts[work.scenes.len()]];
        let mut next = starts.clone();
        for (scene, si, ci) in shown() {
            places[next[scene]] = (si, ci);
            next[scene] += 1;
        }
        Places { starts, places }
    }

    /// The claims of scene `scene`, by source, then in file order.
    pub fn of_scene(&self, scene: usize) -> &[(u32, u32)] {
        &self.places[self.starts[scene]..self.starts[scene + 1]]
    }

    /// Whether the voice shows no claim at all.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

/// Every claim the voice shows, by scene (narrative order), then source (id order), then
/// file order: (scene, source index, claim index), made one at a time from [`Places`].
pub fn order(
    work: &Work,
    voice: Voice,
    scene: Option<usize>,
) -> impl Iterator<Item = (usize, u32, u32)> + use<> {
    let Places { starts, places } = Places::new(work, voice, scene);
    let mut scene = 0;
    places.into_iter().enumerate().map(move |(i, (si, ci))| {
        while starts[scene + 1] <= i {
            scene += 1;
        }
        (scene, si, ci)
    })
}

/// The claim at a place of [`order`], as a row.
pub fn row(work: &Work, (scene, si, ci): (usize, u32, u32)) -> ClaimRow {
    let source = &work.sources[si as usize];
    ClaimRow {
        work: work.id.clone(),
        scene: work.scenes[scene].id.clone(),
        scene_order: scene + 1,
        source: source.id.clone(),
        claim: ClaimOut::of(work, &source.claims[ci as usize]),
    }
}

/// Rows handed to the sink at once: enough to share among the cores, few enough to hold.
const ROWS_AT_ONCE: usize = 4096;

/// Writes the tidy table of the work's claims (of one scene, when given) to a sink, from
/// `begin` to `finish`.
pub fn write(
    work: &Work,
    voice: Voice,
    scene: Option<usize>,
    sink: &mut dyn Sink,
) -> io::Result<()> {
    sink.begin(&Head {
        title: &work.title,
        ..Head::default()
    })?;
    sink.table_start(&COLUMNS.map(Column::left))?;
    let orders: Vec<String> = (1..=work.scenes.len()).map(|i| i.to_string()).collect();
    let fields = |(scene, si, ci): (usize, u32, u32)| {
        let source = &work.sources[si as usize];
        let claim = &source.claims[ci as usize];
        let reading = &work.readings[claim.reading()];
        [
            work.id.as_str(),
            &work.scenes[scene].id,
            &orders[scene],
            &source.id,
            &reading.id,
            claim.stance.name(),
            claim.summary().unwrap_or_default(),
            claim.quote().unwrap_or_default(),
            work.voice_name(claim).unwrap_or_default(),
            claim.via().unwrap_or_default(),
            claim
                .person()
                .map(|p| work.people[p as usize].id.as_str())
                .unwrap_or_default(),
            &reading.label,
        ]
    };
    // a chunk of rows at a time, their fields gathered in parallel (each claim is read
    // from wherever its source lies), which a format may also write in parallel
    let mut places = order(work, voice, scene).peekable();
    while places.peek().is_some() {
        let chunk: Vec<(usize, u32, u32)> = places.by_ref().take(ROWS_AT_ONCE).collect();
        let rows: Vec<[&str; COLUMNS.len()]> = chunk.into_par_iter().map(fields).collect();
        let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
        sink.plain_rows(&rows)?;
    }
    sink.table_end()?;
    sink.finish()
}

//! REFI-QDA projects (QDA-XML 1.0), the `.qdpx` zip that ATLAS.ti, MAXQDA, NVivo and
//! QualCoder read and write: `export --format qdpx` writes a work as one ([`export`]), and
//! `import qdpx` reads one coded with the work's codebook back into claim sets
//! ([`import()`]).
//!
//! The export is a pure function of the corpus and its texts: every GUID is a UUID v5 of
//! the work's and the element's ids, no timestamp is "now", and the zip's entries carry a
//! fixed date, so exporting the same corpus twice gives the same bytes and a QDA program
//! sees the same project, not a new one. It streams: each text goes into the zip as soon as
//! its quotes are placed, and the project document is written into the zip as it is made,
//! so memory holds the corpus and the places of its quotes, not the project.

mod codebook;
mod import;
pub(crate) mod plan;
mod project;
mod xml;

use std::io::{self, Write};
use std::path::Path;

use rayon::prelude::*;
use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub use import::{
    ClaimSetFile, Destination as ImportDestination, Import, ImportOptions, Rejection, TextFile,
    import,
};
pub use plan::{
    ClaimSet, Entry, Placed, SetPlan, SourcePlan, TextPlan, Unplaced, Why, code_point_offsets,
};
pub use xml::xml_chars;

use crate::corpus::Work;
use crate::diagnostic::Diagnostic;

/// The namespace of every GUID parallax writes into a project (a UUID v5 of a URL naming
/// this use), so that GUIDs depend only on ids.
const GUID_NAMESPACE: Uuid = Uuid::from_u128(0xafa4bae1_e994_5c99_89d9_2067affdcc0a);

/// The name of the user who made the work's own claim sets (`sources/`); each coder is a
/// user named by their id.
pub const WORK_USER: &str = "parallax";

/// Stable GUIDs for the elements of one work's project.
pub struct Guids {
    prefix: String,
}

impl Guids {
    pub fn new(work: &Work) -> Self {
        Guids {
            prefix: format!("parallax/{}/", work.id),
        }
    }

    /// The GUID of the element named `path` (`source/ID`, `code/reading/ID`, …). Ids are
    /// kebab-case, so `/` cannot make two paths alike.
    pub fn of(&self, path: &str) -> String {
        let name = format!("{}{path}", self.prefix);
        Uuid::new_v5(&GUID_NAMESPACE, name.as_bytes())
            .hyphenated()
            .to_string()
    }

    /// The GUID of a source's `TextSource`, which also names its text file in `sources/`.
    pub fn source(&self, source: &str) -> String {
        self.of(&format!("source/{source}"))
    }

    /// The GUID of the user who made a claim set: the work (`None`) or a coder.
    pub fn user(&self, coder: Option<&str>) -> String {
        match coder {
            None => self.of("user"),
            Some(c) => self.of(&format!("user/{c}")),
        }
    }

    /// The GUID of an element of a claim set (`selection/SOURCE/N/scene`, `note/SOURCE/N`):
    /// a coder's elements are under the coder's name, the work's as they always were.
    pub fn in_set(&self, coder: Option<&str>, path: &str) -> String {
        match coder {
            None => self.of(path),
            Some(c) => self.of(&format!("coder/{c}/{path}")),
        }
    }
}

/// What an export placed, and what it had to keep as notes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// quotes coded at their place in a text
    pub selections: usize,
    /// quotes of sources with a text that do not occur in it
    pub quotes_not_found: usize,
    /// sources whose archived text is not named or not found
    pub sources_without_text: usize,
}

impl Counts {
    /// The warning for what is kept as notes rather than coded, if anything is:
    /// "3 quotes not found and 1 source without a text are kept as notes".
    pub fn warning(&self) -> Option<String> {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.quotes_not_found > 0 {
            parts.push(plural(
                self.quotes_not_found,
                "quote not found",
                "quotes not found",
            ));
        }
        if self.sources_without_text > 0 {
            parts.push(plural(
                self.sources_without_text,
                "source without a text",
                "sources without a text",
            ));
        }
        if parts.is_empty() {
            return None;
        }
        let kept = if self.quotes_not_found + self.sources_without_text == 1 {
            "is kept as a note"
        } else {
            "are kept as notes"
        };
        Some(format!("{} {kept}", parts.join(" and ")))
    }
}

/// Why an export stopped.
#[derive(Debug)]
pub enum ExportError {
    /// a text of the corpus cannot be exported (it links out of its folder, it is not UTF-8)
    Corpus(Diagnostic),
    /// the destination could not be written
    Io(io::Error),
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Io(e)
    }
}

impl From<zip::result::ZipError> for ExportError {
    fn from(e: zip::result::ZipError) -> Self {
        ExportError::Io(e.into())
    }
}

/// Sources planned at once: enough to keep both cores busy, few enough that their texts
/// never add up to much memory.
const CHUNK: usize = 64;

/// Writes `work` as a `.qdpx` project to `out`, reading archived texts from the work's
/// `texts/` folder and from `extra_texts`. The zip is written as a stream (each entry's
/// sizes after its data), so `out` need not seek.
pub fn export(
    work: &Work,
    extra_texts: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Counts, ExportError> {
    let dirs = plan::text_dirs(work, extra_texts).map_err(ExportError::Corpus)?;
    let entries = plan::entries(work);
    let ids = Guids::new(work);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new_stream(out);
    let mut plans = Vec::with_capacity(entries.len());
    for chunk in entries.chunks(CHUNK) {
        let planned: Vec<_> = chunk
            .par_iter()
            .map(|e| plan::plan(e, &dirs))
            .collect::<Result<_, _>>()
            .map_err(ExportError::Corpus)?;
        for (entry, (plan, text)) in chunk.iter().zip(planned) {
            if let Some(text) = text {
                let name = format!("sources/{}.txt", ids.source(&entry.source.id));
                zip.start_file(name, options)?;
                zip.write_all(text.as_bytes())?;
            }
            plans.push(plan);
        }
    }
    zip.start_file("project.qde", options)?;
    {
        let mut qde = io::BufWriter::with_capacity(1 << 16, &mut zip);
        project::write(work, &entries, &plans, &ids, &mut qde)?;
        qde.flush()?;
    }
    zip.finish()?;
    Ok(counts(&entries, &plans))
}

fn counts(entries: &[Entry], plans: &[SourcePlan]) -> Counts {
    let mut out = Counts::default();
    for (_, plan) in entries.iter().zip(plans) {
        match plan {
            SourcePlan::Text(t) => {
                for set in &t.sets {
                    out.selections += set.placed.len();
                    out.quotes_not_found += set
                        .unplaced
                        .iter()
                        .filter(|u| u.why == Why::NotFound)
                        .count();
                }
            }
            SourcePlan::NoText => out.sources_without_text += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(q: usize, s: usize) -> Option<String> {
        Counts {
            selections: 0,
            quotes_not_found: q,
            sources_without_text: s,
        }
        .warning()
    }

    #[test]
    fn the_warning_counts_what_is_kept_as_notes() {
        assert_eq!(report(0, 0), None);
        assert_eq!(
            report(3, 1).as_deref(),
            Some("3 quotes not found and 1 source without a text are kept as notes")
        );
        assert_eq!(
            report(1, 0).as_deref(),
            Some("1 quote not found is kept as a note")
        );
        assert_eq!(
            report(0, 2).as_deref(),
            Some("2 sources without a text are kept as notes")
        );
    }
}

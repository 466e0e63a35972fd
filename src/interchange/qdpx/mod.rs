//! `export --format qdpx`: a work as a REFI-QDA project (QDA-XML 1.0), the `.qdpx` zip that
//! ATLAS.ti, MAXQDA, NVivo and QualCoder read: `project.qde` and, under `sources/`, each
//! archived text a source quotes.
//!
//! The export is a pure function of the corpus and its texts: every GUID is a UUID v5 of
//! the work's and the element's ids, no timestamp is "now", and the zip's entries carry a
//! fixed date, so exporting the same corpus twice gives the same bytes and a QDA program
//! sees the same project, not a new one.

mod plan;
mod project;
mod xml;

use crate::corpus::texts::TextsLookup;
use std::io::{Cursor, Write};
use std::path::Path;

use uuid::Uuid;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub use plan::{Placed, SourcePlan, TextPlan, Unplaced, Why, code_point_offsets};
pub use xml::xml_chars;

use crate::corpus::Work;
use crate::diagnostic::Diagnostic;

/// The namespace of every GUID parallax writes into a project (a UUID v5 of a URL naming
/// this use), so that GUIDs depend only on ids.
const GUID_NAMESPACE: Uuid = Uuid::from_u128(0xafa4bae1_e994_5c99_89d9_2067affdcc0a);

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

    /// The GUID that names a source's text file in `sources/`.
    pub fn text_file(&self, source: &str) -> String {
        self.of(&format!("source/{source}/text"))
    }
}

/// An exported project and what had to be kept as notes.
#[derive(Debug)]
pub struct Qdpx {
    /// the `.qdpx` file
    pub bytes: Vec<u8>,
    /// quotes coded at their place in a text
    pub selections: usize,
    /// quotes of sources with a text that do not occur in it
    pub quotes_not_found: usize,
    /// sources whose archived text is not named or not found
    pub sources_without_text: usize,
}

impl Qdpx {
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

/// Exports `work` as a `.qdpx` project, reading archived texts from the work's `texts/`
/// folder and from `extra_texts`.
pub fn export(work: &Work, extra_texts: Option<&Path>) -> Result<Qdpx, Diagnostic> {
    // the corpus folder holds the work's folder
    let root = work.dir.parent().unwrap_or(Path::new("."));
    let plans = plan::plan(work, &TextsLookup::new(&work.dir, root, extra_texts))?;
    let ids = Guids::new(work);
    let fail = |e: std::io::Error| Diagnostic::error(format!("cannot build the project: {e}"));
    let qde = project::write(work, &plans, &ids).map_err(fail)?;
    let bytes = archive(work, &plans, &ids, &qde).map_err(|e| fail(e.into()))?;
    let mut out = Qdpx {
        bytes,
        selections: 0,
        quotes_not_found: 0,
        sources_without_text: 0,
    };
    for plan in &plans {
        match plan {
            SourcePlan::Text(t) => {
                out.selections += t.placed.len();
                out.quotes_not_found +=
                    t.unplaced.iter().filter(|u| u.why == Why::NotFound).count();
            }
            SourcePlan::NoText => out.sources_without_text += 1,
        }
    }
    Ok(out)
}

/// The zip: `project.qde`, then each text as `sources/<guid>.txt`, deflated, every entry
/// dated 1980-01-01 (the zip epoch) with mode 644, so the bytes depend only on the content.
fn archive(
    work: &Work,
    plans: &[SourcePlan],
    ids: &Guids,
    qde: &[u8],
) -> zip::result::ZipResult<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("project.qde", options)?;
    zip.write_all(qde)?;
    for (source, plan) in work.sources.iter().zip(plans) {
        if let SourcePlan::Text(t) = plan {
            zip.start_file(
                format!("sources/{}.txt", ids.text_file(&source.id)),
                options,
            )?;
            zip.write_all(t.text.as_bytes())?;
        }
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(q: usize, s: usize) -> Option<String> {
        Qdpx {
            bytes: Vec::new(),
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

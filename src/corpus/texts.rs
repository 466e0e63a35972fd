//! Quote checking against archived texts (SPEC §5): finds each source's `text` in the
//! work's `texts/` folder or in `check --texts DIR`, refuses a file that lies outside its
//! folder, and reports each quote that does not occur with the closest passage and a word
//! diff.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::load::read_text;
use super::model::{Pos, Source, Work};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::quotes::{Closest, Haystack, QuoteMatch, render_diff};

/// What checking the quotes of a work found.
#[derive(Debug, Default)]
pub struct QuoteReport {
    pub diagnostics: Vec<Diagnostic>,
    /// quotes compared with a text
    pub checked: usize,
}

/// Checks every quote of every source whose archived text can be found.
pub fn check_quotes(work: &Work, extra_dir: Option<&Path>) -> QuoteReport {
    let dirs: Vec<PathBuf> = std::iter::once(work.dir.join("texts"))
        .chain(extra_dir.map(Path::to_path_buf))
        .collect();
    let results: Vec<QuoteReport> = work
        .sources
        .par_iter()
        .filter_map(|source| {
            let (name, pos) = source.text.as_ref()?;
            Some(check_source(source, name, *pos, &dirs))
        })
        .collect();
    let mut report = QuoteReport::default();
    for r in results {
        report.checked += r.checked;
        report.diagnostics.extend(r.diagnostics);
    }
    report
}

/// Where a claim file's value sits, for pointing at it.
fn located(source: &Source, pos: Pos) -> Option<(SourceFile, usize)> {
    let file = read_text(&source.path).ok()?;
    let offset = file.offset(pos);
    Some((file, offset))
}

/// An error or warning at `pos` of the source's claim file, underlining the value there.
fn at(source: &Source, pos: Pos, warning: bool, message: String) -> Diagnostic {
    match located(source, pos) {
        Some((file, offset)) => {
            let end = value_end(&file.text, offset);
            if warning {
                file.warning(message, offset..end)
            } else {
                file.error(message, offset..end)
            }
        }
        None => {
            let mut d = if warning {
                Diagnostic::warning(message)
            } else {
                Diagnostic::error(message)
            }
            .at_path(&source.path);
            d.line = Some(pos.line as usize);
            d.column = Some(pos.column as usize);
            d
        }
    }
}

/// The end of the TOML value starting at `offset`, or of its first line.
fn value_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset..];
    let line_end = rest.find('\n').map_or(text.len(), |i| offset + i);
    line_end.max(offset)
}

fn check_source(source: &Source, name: &str, pos: Pos, dirs: &[PathBuf]) -> QuoteReport {
    let mut report = QuoteReport::default();
    let Some((dir, path)) = dirs
        .iter()
        .map(|d| (d, d.join(name)))
        .find(|(_, p)| p.exists())
    else {
        let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        report.diagnostics.push(
            at(
                source,
                pos,
                true,
                format!("archived text \"{name}\" not found; its quotes are not checked"),
            )
            .with_note(format!("looked in {}", looked.join(" and ")))
            .with_help("put the text in the work's texts/ folder, or pass check --texts DIR"),
        );
        return report;
    };
    // a link may lead out of the folder: the file must really live inside it
    let inside = match (fs::canonicalize(dir), fs::canonicalize(&path)) {
        (Ok(d), Ok(p)) => p.starts_with(&d) && p.is_file(),
        _ => false,
    };
    if !inside {
        report.diagnostics.push(
            at(
                source,
                pos,
                false,
                format!(
                    "archived text \"{name}\" resolves outside {}",
                    dir.display()
                ),
            )
            .with_label("a link to a file outside the texts folder")
            .with_help("copy the text into the folder instead of linking to it"),
        );
        return report;
    }
    let text = match read_text(&path) {
        Ok(file) => file,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let haystack = Haystack::new(&text.text);
    for claim in &source.claims {
        let (Some(quote), Some(qpos)) = (&claim.quote, claim.quote_pos) else {
            continue;
        };
        report.checked += 1;
        if let QuoteMatch::NotFound(closest) = haystack.find(quote) {
            report
                .diagnostics
                .push(not_found(source, qpos, &path, &closest));
        }
    }
    report
}

/// The error for a quote that does not occur in the text at `path`, with the closest
/// passage and a word diff.
fn not_found(source: &Source, qpos: Pos, path: &Path, closest: &Closest) -> Diagnostic {
    let mut d = at(
        source,
        qpos,
        false,
        format!("quote not found in {}", path.display()),
    );
    d.label = Some("these words are not in the text".into());
    if closest.passage.is_empty() {
        d = d.with_note("the text has no passage like it");
    } else {
        d = d
            .with_note(format!(
                "closest passage ({}:{}, {:.0}% similar):\n“{}”",
                path.display(),
                closest.line,
                closest.ratio * 100.0,
                closest
                    .passage
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
            .with_note(format!(
                "word diff, quote → text:\n{}",
                render_diff(&closest.diff)
            ));
    }
    d.with_help(
        "copy the words exactly as the text has them; mark left-out words with … (curly or straight quotes, dashes and line breaks may differ)",
    )
}

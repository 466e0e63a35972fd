//! Quote checking against archived texts: finds each source's `text` in the work's `texts/`
//! folder or in `check --texts DIR`, reads it through the gate of that folder (a link that
//! leads out of it, a FIFO or a device is refused, never opened), and reports each quote
//! that does not occur with the closest passage and a word diff. Every reader of archived
//! texts goes through [`TextsLookup`]: quote checking, the QDPX export and the language
//! server.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::load::{MAX_FILE_BYTES, outside_corpus, read_text, text_from_bytes};
use super::model::{Pos, Source, Work};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::gate::{Confined, Gate, Kind, Refused, confine};
use crate::quotes::{Closest, Haystack, QuoteMatch, render_diff};

/// What checking the quotes of a work found.
#[derive(Debug, Default)]
pub struct QuoteReport {
    pub diagnostics: Vec<Diagnostic>,
    /// quotes compared with a text
    pub checked: usize,
}

/// A folder texts are looked for in: as named, and the gate of the folder resolved, which
/// every text found there must stay in.
#[derive(Debug)]
struct TextDir {
    shown: PathBuf,
    gate: Gate,
}

/// Where a work's archived texts are looked for: its `texts/` folder (when it lies inside
/// the corpus) and `check --texts DIR`. Every reader of archived texts (quote checking,
/// the language server's completion of `text` names and its links to texts) goes through
/// it, so a text is found, and refused, the same way everywhere.
#[derive(Debug)]
pub struct TextsLookup {
    dirs: Vec<TextDir>,
    looked: Vec<PathBuf>,
    /// a `texts/` folder that leads outside the corpus
    pub problems: Vec<Diagnostic>,
}

/// An archived text found for a `text` name: as named, and resolved inside its folder.
#[derive(Debug, Clone)]
pub struct FoundText {
    pub shown: PathBuf,
    pub real: PathBuf,
    /// the gate of the folder it was found in, which reads it
    gate: Gate,
}

/// Why a `text` name gives no text to check quotes against.
enum Missing {
    NotFound,
    /// a link that leads out of the folder it was found in (shown)
    Outside(PathBuf),
    /// a folder, a FIFO, a socket or a device (what it is)
    NotAFile(String),
}

impl TextsLookup {
    /// The folders of `work_dir`'s texts; `root` is the corpus folder, `extra_dir` the
    /// `--texts` folder.
    pub fn new(work_dir: &Path, root: &Path, extra_dir: Option<&Path>) -> Self {
        let mut lookup = TextsLookup {
            dirs: Vec::new(),
            looked: Vec::new(),
            problems: Vec::new(),
        };
        let texts = work_dir.join("texts");
        lookup.looked = std::iter::once(texts.clone())
            .chain(extra_dir.map(Path::to_path_buf))
            .collect();
        let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if fs::symlink_metadata(&texts).is_ok() {
            match confine(&real_root, &texts) {
                Confined::Inside(real) if real.is_dir() => lookup.dirs.push(TextDir {
                    shown: texts,
                    gate: Gate::resolved(real),
                }),
                Confined::Inside(_) | Confined::Missing => {}
                Confined::Outside => lookup.problems.push(outside_corpus(&texts, "folder")),
            }
        }
        if let Some(dir) = extra_dir
            && let Ok(gate) = Gate::new(dir)
        {
            lookup.dirs.push(TextDir {
                shown: dir.to_path_buf(),
                gate,
            });
        }
        lookup
    }

    /// The text a `text` value names, when it is a regular file inside its folder.
    pub fn find(&self, name: &str) -> Option<FoundText> {
        self.locate(name).ok()
    }

    fn locate(&self, name: &str) -> Result<FoundText, Missing> {
        // the first folder with anything by that name (a dangling link is nothing)
        let Some((dir, path)) = (self.dirs.iter())
            .map(|d| (d, d.shown.join(name)))
            .find(|(d, _)| fs::symlink_metadata(d.gate.real_root().join(name)).is_ok())
        else {
            return Err(Missing::NotFound);
        };
        match dir.gate.kind(&dir.gate.real_root().join(name)) {
            Ok((Kind::File, real)) => Ok(FoundText {
                shown: path,
                real,
                gate: dir.gate.clone(),
            }),
            Ok((Kind::Folder, _)) => Err(Missing::NotAFile("a folder".into())),
            Ok((Kind::Special(kind), _)) => Err(Missing::NotAFile(format!("a {kind}"))),
            Err(Refused::Outside) => Err(Missing::Outside(dir.shown.clone())),
            Err(_) => Err(Missing::NotFound),
        }
    }

    /// The names of the regular files in the texts folders that stay inside them, sorted:
    /// what a `text` value may name.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for dir in &self.dirs {
            let Ok(entries) = dir.gate.list(dir.gate.real_root()) else {
                continue;
            };
            for entry in entries {
                let name = entry.name.to_string_lossy().into_owned();
                if name.starts_with('.') || names.contains(&name) {
                    continue;
                }
                if matches!(entry.found, Ok((Kind::File, _))) {
                    names.push(name);
                }
            }
        }
        names.sort();
        names
    }
}

/// Reads an archived text found by [`TextsLookup::find`] through the gate of its folder
/// (what was checked, not the link; a FIFO put there since is refused, never waited on).
pub fn read_found(found: &FoundText) -> Result<SourceFile, Diagnostic> {
    found
        .gate
        .read(&found.real, MAX_FILE_BYTES)
        .map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", found.shown.display()))
                .at_path(&found.shown)
        })
        .and_then(|bytes| text_from_bytes(&found.shown, &bytes))
}

/// What looking for a source's archived text found (the QDPX export stores it).
pub enum Archived {
    /// the text, named by its path in the folder it was found in
    Found(SourceFile),
    /// in none of the folders: a warning at the claim file's `text`
    Missing(Diagnostic),
    /// there, but it may not or cannot be read: an error at the claim file's `text`
    Refused(Diagnostic),
}

/// Finds and reads the archived text `name` that `source` names at `pos`.
pub fn archived_text(source: &Source, name: &str, pos: Pos, lookup: &TextsLookup) -> Archived {
    let claim_file = ClaimFile::new(source, None);
    match lookup.locate(name) {
        Ok(found) => match read_found(&found) {
            Ok(text) => Archived::Found(text),
            Err(d) => Archived::Refused(d),
        },
        Err(missing) => {
            let d = text_problem(&claim_file, lookup, name, pos, missing);
            if d.is_error() {
                Archived::Refused(d)
            } else {
                Archived::Missing(d)
            }
        }
    }
}

/// Checks every quote of every source whose archived text can be found. The work's `texts/`
/// folder must lie inside the corpus folder `root`; a text found in `texts/` or in
/// `extra_dir` (`check --texts DIR`) must lie inside that folder once every link is followed.
pub fn check_quotes(work: &Work, root: &Path, extra_dir: Option<&Path>) -> QuoteReport {
    let mut report = QuoteReport::default();
    let lookup = TextsLookup::new(&work.dir, root, extra_dir);
    report.diagnostics.extend(lookup.problems.iter().cloned());
    // the work's claim sets and its coders' codings
    let sets: Vec<&Source> = work.claim_sets().collect();
    let results: Vec<QuoteReport> = sets
        .par_iter()
        .filter(|source| source.text.is_some())
        .map(|source| {
            check_source(source, None, &lookup, |found| {
                read_found(found).map(|text| std::sync::Arc::new(Haystack::new(&text.text)))
            })
        })
        .collect();
    for r in results {
        report.checked += r.checked;
        report.diagnostics.extend(r.diagnostics);
    }
    report
}

/// A source's claim file, read once however many diagnostics point into it.
struct ClaimFile<'a> {
    source: &'a Source,
    file: OnceLock<Option<SourceFile>>,
}

impl<'a> ClaimFile<'a> {
    fn new(source: &'a Source, text: Option<&SourceFile>) -> Self {
        let file = OnceLock::new();
        if let Some(text) = text {
            let _ = file.set(Some(text.clone()));
        }
        ClaimFile { source, file }
    }

    /// An error or warning at `pos` of the claim file, underlining the value there.
    fn at(&self, pos: Pos, warning: bool, message: String) -> Diagnostic {
        let file = self
            .file
            .get_or_init(|| read_text(&self.source.path()).ok());
        match file {
            Some(file) => {
                let offset = file.offset(pos);
                // the value, or its first line
                let end = file.line_end(offset).max(offset);
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
                .at_path(&self.source.path());
                d.line = Some(pos.line as usize);
                d.column = Some(pos.column as usize);
                d
            }
        }
    }
}

/// Checks the quotes of one source against its archived text, found through `lookup` and
/// prepared by `haystack` (which may keep it for the next check). `claim_file` is the
/// text of the source's claim file when the caller holds it (an editor's buffer), which
/// the diagnostics then point into; without it the file is read from disk when a
/// diagnostic needs it.
pub fn check_source(
    source: &Source,
    claim_file: Option<&SourceFile>,
    lookup: &TextsLookup,
    haystack: impl FnOnce(&FoundText) -> Result<std::sync::Arc<Haystack>, Diagnostic>,
) -> QuoteReport {
    let mut report = QuoteReport::default();
    let Some((name, pos)) = &source.text else {
        return report;
    };
    let (name, pos) = (name.as_str(), *pos);
    // a coding that takes its source's metadata names the text at no place of its own: what
    // is wrong with the text itself is reported where the text is named
    let named_here = pos.line > 0;
    let claim_file = ClaimFile::new(source, claim_file);
    let found = match lookup.locate(name) {
        Ok(found) => found,
        Err(_) if !named_here => return report,
        Err(missing) => {
            (report.diagnostics).push(text_problem(&claim_file, lookup, name, pos, missing));
            return report;
        }
    };
    let haystack = match haystack(&found) {
        Ok(h) => h,
        Err(d) => {
            if named_here {
                report.diagnostics.push(d);
            }
            return report;
        }
    };
    for claim in &source.claims {
        let (Some(quote), Some(qpos)) = (claim.quote(), claim.quote_pos()) else {
            continue;
        };
        report.checked += 1;
        if let QuoteMatch::NotFound(closest) = haystack.find(quote) {
            report
                .diagnostics
                .push(not_found(&claim_file, qpos, &found.shown, &closest));
        }
    }
    report
}

/// What is wrong with a `text` name that gives no text, at the claim file's `text`: a text
/// not found is a warning (published articles often cannot be shared), one that may not be
/// read an error.
fn text_problem(
    claim_file: &ClaimFile<'_>,
    lookup: &TextsLookup,
    name: &str,
    pos: Pos,
    missing: Missing,
) -> Diagnostic {
    match missing {
        Missing::NotFound => {
            let looked: Vec<String> = (lookup.looked.iter())
                .map(|d| d.display().to_string())
                .collect();
            claim_file
                .at(
                    pos,
                    true,
                    format!("archived text \"{name}\" not found; its quotes are not checked"),
                )
                .with_note(format!("looked in {}", looked.join(" and ")))
                .with_help("put the text in the work's texts/ folder, or pass check --texts DIR")
        }
        Missing::Outside(dir) => claim_file
            .at(
                pos,
                false,
                format!(
                    "archived text \"{name}\" resolves outside {}",
                    dir.display()
                ),
            )
            .with_label("a link that leads outside the texts folder")
            .with_help("copy the text into the folder instead of linking to it"),
        Missing::NotAFile(what) => claim_file
            .at(
                pos,
                false,
                format!("archived text \"{name}\" is not a regular file: it is {what}"),
            )
            .with_help("name a text file in the texts folder"),
    }
}

/// The error for a quote that does not occur in the text at `path`, with the closest
/// passage and a word diff.
fn not_found(claim_file: &ClaimFile<'_>, qpos: Pos, path: &Path, closest: &Closest) -> Diagnostic {
    let mut d = claim_file.at(
        qpos,
        false,
        format!("quote not found in {}", path.display()),
    );
    d.label = Some("these words are not in the text".into());
    if closest.passage.is_empty() {
        d = d.with_note("the text has no passage like it");
    } else {
        let passage = closest
            .passage
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        d = d
            .with_note_lines([
                format!(
                    "closest passage ({}:{}, {:.0}% similar):",
                    path.display(),
                    closest.line,
                    closest.ratio * 100.0
                ),
                format!("“{passage}”"),
            ])
            .with_note_lines([
                "word diff, quote → text:".to_string(),
                render_diff(&closest.diff),
            ]);
    }
    d.with_help(
        "copy the words exactly as the text has them; mark left-out words with … (curly or straight quotes, dashes and line breaks may differ)",
    )
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::corpus::{LoadOptions, load};

    /// Thousands of failing quotes in one claim file once read the file again for each: every
    /// diagnostic must point into one copy of it.
    #[test]
    fn diagnostics_of_one_claim_file_share_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("w");
        fs::create_dir_all(work.join("sources")).unwrap();
        fs::create_dir_all(work.join("texts")).unwrap();
        fs::write(
            work.join("work.toml"),
            "[work]\ntitle = \"W\"\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n",
        )
        .unwrap();
        fs::write(work.join("texts/t.txt"), "The ring comes back to her hand.").unwrap();
        let claims: String = (0..50)
            .map(|i| {
                format!(
                    "[[claim]]\nscene = \"s\"\nreading = \"r\"\nquote = \"zebra {i} lanterns\"\n"
                )
            })
            .collect();
        fs::write(
            work.join("sources/a.toml"),
            format!("[source]\ntitle = \"A\"\ntext = \"t.txt\"\n{claims}"),
        )
        .unwrap();
        let loaded = load(&LoadOptions {
            root: dir.path().to_path_buf(),
            work: None,
            ..LoadOptions::default()
        });
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let report = check_quotes(&loaded.corpus.works[0], dir.path(), None);
        assert_eq!(report.checked, 50);
        let [first, rest @ ..] = report.diagnostics.as_slice() else {
            panic!("no diagnostics");
        };
        assert_eq!(rest.len(), 49);
        assert!(rest.iter().all(|d| d.shares_text_with(first)));
    }
}

//! Quote checking against archived texts (SPEC §5): finds each source's `text` in the
//! work's `texts/` folder or in `check --texts DIR`, refuses a file or folder that leads
//! outside where it must stay (SPEC §8), and reports each quote that does not occur with the
//! closest passage and a word diff.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::load::{Confined, MAX_FILE_BYTES, confine, outside_corpus, read_text, text_from_bytes};
use super::model::{Pos, Source, Work};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::gate::{Gate, Refused};
use crate::quotes::{Closest, Haystack, QuoteMatch, render_diff};

/// What checking the quotes of a work found.
#[derive(Debug, Default)]
pub struct QuoteReport {
    pub diagnostics: Vec<Diagnostic>,
    /// quotes compared with a text
    pub checked: usize,
}

/// A folder texts are looked for in: as named, and the gate of its resolved path (every
/// link followed), where each text found there must stay.
#[derive(Debug)]
struct TextDir {
    shown: PathBuf,
    gate: Gate,
}

/// Where a work's archived texts are looked for: its `texts/` folder (which must lie inside
/// the corpus), then the folder of `check --texts DIR`.
#[derive(Debug)]
pub struct TextDirs {
    dirs: Vec<TextDir>,
    looked: Vec<PathBuf>,
    /// a `texts/` folder leading outside the corpus
    pub problems: Vec<Diagnostic>,
}

impl TextDirs {
    /// The text folders of `work` in the corpus `root`, and `extra_dir`.
    pub fn new(work: &Work, root: &Path, extra_dir: Option<&Path>) -> TextDirs {
        let texts = work.dir.join("texts");
        let looked: Vec<PathBuf> = std::iter::once(texts.clone())
            .chain(extra_dir.map(Path::to_path_buf))
            .collect();
        let mut out = TextDirs {
            dirs: Vec::new(),
            looked,
            problems: Vec::new(),
        };
        let real_root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        if fs::symlink_metadata(&texts).is_ok() {
            match confine(&real_root, &texts) {
                Confined::Inside(real) if real.is_dir() => out.dirs.push(TextDir {
                    shown: texts,
                    gate: Gate::resolved(real),
                }),
                Confined::Inside(_) | Confined::Missing => {}
                Confined::Outside => out.problems.push(outside_corpus(&texts, "folder")),
            }
        }
        if let Some(dir) = extra_dir
            && let Ok(gate) = Gate::new(dir)
        {
            out.dirs.push(TextDir {
                shown: dir.to_path_buf(),
                gate,
            });
        }
        out
    }
}

/// What looking for a source's archived text found.
pub enum Archived {
    /// the text, named by its path in the folder it was found in
    Found(SourceFile),
    /// in none of the folders: a warning at the claim file's `text`
    Missing(Diagnostic),
    /// there, but it may not or cannot be read: an error at the claim file's `text`
    Refused(Diagnostic),
}

/// Finds and reads the archived text `name` that `source` names at `pos`, through the gate
/// of the folder it is found in.
pub fn archived_text(source: &Source, name: &str, pos: Pos, dirs: &TextDirs) -> Archived {
    let claim_file = ClaimFile::new(source);
    archived_in(&claim_file, name, pos, dirs)
}

fn archived_in(claim_file: &ClaimFile<'_>, name: &str, pos: Pos, dirs: &TextDirs) -> Archived {
    let Some((dir, path)) = dirs
        .dirs
        .iter()
        .map(|d| (d, d.shown.join(name)))
        .find(|(_, p)| p.exists() || fs::symlink_metadata(p).is_ok_and(|m| !m.is_symlink()))
    else {
        let looked: Vec<String> = dirs
            .looked
            .iter()
            .map(|d| d.display().to_string())
            .collect();
        return Archived::Missing(
            claim_file
                .at(
                    pos,
                    true,
                    format!("archived text \"{name}\" not found; its quotes are not checked"),
                )
                .with_note(format!("looked in {}", looked.join(" and ")))
                .with_help("put the text in the work's texts/ folder, or pass check --texts DIR"),
        );
    };
    let refused = |message: String| Archived::Refused(claim_file.at(pos, false, message));
    match dir
        .gate
        .read(&dir.gate.real_root().join(name), MAX_FILE_BYTES)
    {
        Ok(bytes) => match text_from_bytes(&path, &bytes) {
            Ok(file) => Archived::Found(file),
            Err(d) => Archived::Refused(d),
        },
        Err(Refused::Outside) => Archived::Refused(
            claim_file
                .at(
                    pos,
                    false,
                    format!(
                        "archived text \"{name}\" resolves outside {}",
                        dir.shown.display()
                    ),
                )
                .with_label("a link that leads outside the texts folder")
                .with_help("copy the text into the folder instead of linking to it"),
        ),
        Err(r @ (Refused::Special(_) | Refused::Folder)) => {
            let what = match r {
                Refused::Special(kind) => format!("a {kind}"),
                _ => "a folder".to_string(),
            };
            Archived::Refused(
                claim_file
                    .at(
                        pos,
                        false,
                        format!("archived text \"{name}\" is not a regular file: it is {what}"),
                    )
                    .with_help("name a text file in the texts folder"),
            )
        }
        Err(r) => refused(format!("cannot read archived text \"{name}\": {r}")),
    }
}

/// Checks every quote of every source whose archived text can be found. The work's `texts/`
/// folder must lie inside the corpus folder `root`; a text found in `texts/` or in
/// `extra_dir` (`check --texts DIR`) must lie inside that folder once every link is followed.
pub fn check_quotes(work: &Work, root: &Path, extra_dir: Option<&Path>) -> QuoteReport {
    let mut dirs = TextDirs::new(work, root, extra_dir);
    let mut report = QuoteReport {
        diagnostics: std::mem::take(&mut dirs.problems),
        ..QuoteReport::default()
    };
    let results: Vec<QuoteReport> = work
        .sources
        .par_iter()
        .filter_map(|source| {
            let (name, pos) = source.text.as_ref()?;
            Some(check_source(source, name, *pos, &dirs))
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
    fn new(source: &'a Source) -> Self {
        ClaimFile {
            source,
            file: OnceLock::new(),
        }
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

fn check_source(source: &Source, name: &str, pos: Pos, dirs: &TextDirs) -> QuoteReport {
    let mut report = QuoteReport::default();
    let claim_file = ClaimFile::new(source);
    let text = match archived_in(&claim_file, name, pos, dirs) {
        Archived::Found(text) => text,
        Archived::Missing(d) | Archived::Refused(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let path = text.path.clone();
    let haystack = Haystack::new(&text.text);
    for claim in &source.claims {
        let (Some(quote), Some(qpos)) = (claim.quote(), claim.quote_pos()) else {
            continue;
        };
        report.checked += 1;
        if let QuoteMatch::NotFound(closest) = haystack.find(quote) {
            report
                .diagnostics
                .push(not_found(&claim_file, qpos, &path, &closest));
        }
    }
    report
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

//! Changing the corpus files: `new` writes a commented template, `rename` and `merge`
//! change an id across every file of a work.
//!
//! An edit is a [`Plan`]: the new text of every file it touches, built in memory. A rename
//! or merge is validated in memory (the corpus as it would be) before anything is written,
//! and then written all or nothing (`write`). Files are rewritten with `toml_edit`, so
//! comments, order and layout survive (`doc`).

mod doc;
pub mod new;
pub mod rename;
mod write;

use std::fs;
use std::path::{Path, PathBuf};

use crate::corpus::load::{Loaded, text_from_bytes, validate_texts};
use crate::corpus::model::{is_kebab, to_kebab};
use crate::corpus::validate::WarnVoice;
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};

pub use write::FileChange;

/// What an edit will do: the files it changes and a line saying what it did.
#[derive(Debug)]
pub struct Plan {
    /// folders to create first (those that do not exist yet)
    pub create_dirs: Vec<PathBuf>,
    pub changes: Vec<FileChange>,
    /// e.g. `renamed scene "a" to "b" in 3 files`
    pub summary: String,
}

impl Plan {
    /// Writes the plan, all files or none; returns what to tell the user.
    pub fn apply(&self) -> Result<String, Diagnostic> {
        let mut created: Vec<&Path> = Vec::new();
        let mut result = Ok(());
        for dir in &self.create_dirs {
            if dir.is_dir() {
                continue;
            }
            if let Err(e) = fs::create_dir_all(dir) {
                result = Err((dir.clone(), e));
                break;
            }
            created.push(dir);
        }
        if result.is_ok() {
            result = write::write_all(&self.changes);
        }
        result.map_err(|(path, e)| {
            // a folder made for a file that could not be written goes too
            for dir in created.iter().rev() {
                let _ = fs::remove_dir(dir);
            }
            Diagnostic::error(format!("cannot write {}: {e}", path.display()))
                .with_note("nothing was changed: files already written were restored")
        })?;
        Ok(format!("{}\n", self.summary))
    }

    /// The plan as a unified diff, changing nothing.
    pub fn diff(&self) -> String {
        write::unified_diff(&self.changes)
    }
}

/// One file of a work as read: its text without a byte-order mark, and whether it had one.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub path: PathBuf,
    pub bom: bool,
    pub body: String,
}

impl Text {
    fn read(path: &Path) -> Result<Text, Diagnostic> {
        let meta = fs::symlink_metadata(path).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", path.display())).at_path(path)
        })?;
        if !meta.is_file() {
            return Err(Diagnostic::error(format!(
                "{} is not a regular file (a link?): parallax edits only regular files",
                path.display()
            ))
            .at_path(path));
        }
        let bytes = fs::read(path).map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", path.display())).at_path(path)
        })?;
        let file = text_from_bytes(path, &bytes)?;
        Ok(Text {
            path: path.to_path_buf(),
            bom: bytes.starts_with(b"\xEF\xBB\xBF"),
            body: file.text.to_string(),
        })
    }

    /// The text as it goes back to disk.
    fn with_bom(&self, body: &str) -> String {
        if self.bom {
            format!("\u{FEFF}{body}")
        } else {
            body.to_string()
        }
    }

    fn source_file(&self) -> SourceFile {
        SourceFile::new(self.path.clone(), self.body.as_str())
    }
}

/// The files of one work: `work.toml` and `sources/*.toml`, as the loader finds them.
#[derive(Debug)]
pub(crate) struct WorkFiles {
    pub root: PathBuf,
    pub id: String,
    pub dir: PathBuf,
    pub work: Text,
    pub sources: Vec<Text>,
}

impl WorkFiles {
    fn read(root: &Path, work: Option<&str>) -> Result<WorkFiles, Vec<Diagnostic>> {
        let (id, dir) = locate_work(root, work).map_err(|d| vec![d])?;
        let work_path = dir.join("work.toml");
        let mut errors = Vec::new();
        let work = Text::read(&work_path).map_err(|d| errors.push(d)).ok();
        let mut sources = Vec::new();
        for path in source_paths(&dir.join("sources")) {
            match Text::read(&path) {
                Ok(t) => sources.push(t),
                Err(d) => errors.push(d),
            }
        }
        match work {
            Some(work) if errors.is_empty() => Ok(WorkFiles {
                root: root.to_path_buf(),
                id,
                dir,
                work,
                sources,
            }),
            _ => Err(errors),
        }
    }

    /// Validates the work as these texts would make it (nothing is read from disk).
    fn validate(&self, work: &Text, sources: &[Text]) -> Loaded {
        let sources: Vec<SourceFile> = sources.iter().map(Text::source_file).collect();
        validate_texts(
            &self.root,
            &self.id,
            &work.source_file(),
            &sources,
            &WarnVoice::default(),
        )
    }
}

/// The work an edit is about: `--work`, or the corpus's only work.
pub(crate) fn locate_work(
    root: &Path,
    work: Option<&str>,
) -> Result<(String, PathBuf), Diagnostic> {
    let names = work_names(root)?;
    match work {
        Some(wanted) if names.iter().any(|n| n == wanted) => {
            Ok((wanted.to_string(), root.join(wanted)))
        }
        Some(wanted) => {
            let list: Vec<&str> = names.iter().map(String::as_str).collect();
            Err(Diagnostic::error(format!(
                "unknown work \"{wanted}\" in corpus {}",
                root.display()
            ))
            .with_help(did_you_mean(wanted, &list, "work")))
        }
        None => match names.as_slice() {
            [one] => Ok((one.clone(), root.join(one))),
            [] => Err(
                Diagnostic::error(format!("the corpus {} holds no works", root.display()))
                    .with_help("start one with `parallax new work ID`"),
            ),
            many => Err(Diagnostic::error(format!(
                "the corpus {} holds {} works; choose one with --work",
                root.display(),
                many.len()
            ))
            .with_help(format!("works: {}", many.join(", ")))),
        },
    }
}

/// The corpus's work folders (not hidden), sorted.
fn work_names(root: &Path) -> Result<Vec<String>, Diagnostic> {
    let entries = fs::read_dir(root).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the corpus folder {}: {e}",
            root.display()
        ))
        .with_help("pass --corpus DIR or set PARALLAX_CORPUS to the folder that holds the works")
    })?;
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

/// The claim files of a work, as the loader lists them: `sources/*.toml`, not hidden,
/// sorted.
pub(crate) fn source_paths(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml")
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                && p.is_file()
        })
        .collect();
    files.sort();
    files
}

/// An id given on the command line: lowercase kebab-case, or an error with the fix.
pub(crate) fn check_new_id(id: &str, what: &str) -> Result<(), Diagnostic> {
    if is_kebab(id) {
        return Ok(());
    }
    let fixed = to_kebab(id);
    Err(
        Diagnostic::error(format!("{what} id \"{id}\" is not lowercase kebab-case")).with_help(
            if fixed.is_empty() {
                "ids are lowercase kebab-case: [a-z0-9]+(-[a-z0-9]+)*".to_string()
            } else {
                format!("write it as \"{fixed}\"")
            },
        ),
    )
}

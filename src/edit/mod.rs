//! Changing the corpus files: `new` writes a commented template, `rename` and `merge`
//! change an id across every file of a work.
//!
//! An edit is a [`Plan`]: the new text of every file it touches, built in memory. A rename
//! or merge is validated in memory (the corpus as it would be) before anything is written,
//! and then written all or nothing (`write`). Files are rewritten with `toml_edit`, so
//! comments, order and layout survive (`doc`).

mod doc;
pub mod fuzzing;
mod journal;
pub mod new;
pub mod rename;
mod write;

use std::path::{Path, PathBuf};

use crate::corpus::load::{Loaded, MAX_FILE_BYTES, text_from_bytes, validate_texts};
use crate::corpus::model::{is_kebab, to_kebab};
use crate::corpus::validate::WarnVoice;
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};
use crate::gate::{Gate, Kind, Refused};

pub use write::FileChange;

/// What an edit will do: the files it changes and a line saying what it did.
#[derive(Debug)]
pub struct Plan {
    /// the corpus folder: every file written lies inside it
    pub root: PathBuf,
    /// the work folder, where an edit of several files keeps its journal
    pub work_dir: Option<PathBuf>,
    /// folders to create first (those that do not exist yet)
    pub create_dirs: Vec<PathBuf>,
    pub changes: Vec<FileChange>,
    /// e.g. `renamed scene "a" to "b" in 3 files`
    pub summary: String,
    /// notes for the user from reading the work (an interrupted edit finished)
    pub notes: Vec<String>,
}

impl Plan {
    /// Writes the plan, all files or none; returns what to tell the user.
    pub fn apply(&self) -> Result<String, Diagnostic> {
        let mut created: Vec<&Path> = Vec::new();
        // the corpus folder is the user's (`--corpus`): `new work` makes it when it is not
        // there yet
        if std::fs::symlink_metadata(&self.root).is_err() {
            std::fs::create_dir_all(&self.root).map_err(|e| {
                Diagnostic::error(format!("cannot write {}: {e}", self.root.display()))
            })?;
            created.push(&self.root);
        }
        let gate = gate(&self.root).map_err(|d| *d)?;
        let mut result = Ok(());
        for dir in &self.create_dirs {
            match gate.create_folder(dir) {
                Ok(true) => created.push(dir),
                Ok(false) => {}
                Err(r) => {
                    result = Err((dir.clone(), std::io::Error::other(r.to_string())));
                    break;
                }
            }
        }
        if result.is_ok() {
            result = write::write_all(&gate, &self.changes, self.work_dir.as_deref());
        }
        result.map_err(|(path, e)| {
            // a folder made for a file that could not be written goes too
            for dir in created.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
            let d = Diagnostic::error(format!("cannot write {}: {e}", path.display()));
            let d = d.with_note("nothing was changed: files already written were restored");
            if e.kind() == std::io::ErrorKind::Interrupted {
                d.with_help("the edit was interrupted; run it again")
            } else {
                d
            }
        })?;
        Ok(format!("{}\n", self.summary))
    }

    /// The plan as a unified diff, changing nothing.
    pub fn diff(&self) -> String {
        write::unified_diff(&self.changes)
    }
}

/// The gate of the corpus folder `root`.
fn gate(root: &Path) -> Result<Gate, Box<Diagnostic>> {
    Gate::new(root).map_err(|e| {
        Box::new(
            Diagnostic::error(format!(
                "cannot read the corpus folder {}: {e}",
                root.display()
            ))
            .with_help(
                "pass --corpus DIR or set PARALLAX_CORPUS to the folder that holds the works",
            ),
        )
    })
}

/// The error for a file of the corpus the gate refused.
fn refused(path: &Path, r: &Refused) -> Diagnostic {
    match r {
        Refused::Outside => crate::corpus::load::outside_corpus(path, "file or folder"),
        r => Diagnostic::error(format!("cannot read {}: {r}", path.display())).at_path(path),
    }
}

/// A plan that writes whole files into the work folder `work_dir` of the corpus `root` (an
/// import): each replaces the regular file there or is created, all or none, through the
/// gate like every edit.
pub fn write_files(
    root: &Path,
    work_dir: &Path,
    files: Vec<(PathBuf, String)>,
    summary: String,
) -> Result<Plan, Vec<Diagnostic>> {
    let gate = gate(root).map_err(|d| vec![*d])?;
    let notes: Vec<String> = journal::finish_interrupted(&gate, work_dir)
        .map_err(|d| vec![d])?
        .into_iter()
        .collect();
    let mut changes = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    let mut create_dirs = Vec::new();
    for (path, new) in files {
        // the file's folder and every folder above it inside the corpus (a new coder's
        // `codings/NAME/` may need `codings/` first), outermost first
        let mut dirs: Vec<&Path> = (path.ancestors().skip(1))
            .take_while(|d| d.starts_with(root) && *d != root)
            .collect();
        if dirs.is_empty() {
            dirs.extend(path.parent());
        }
        dirs.reverse();
        for dir in dirs {
            if !create_dirs.iter().any(|d: &PathBuf| d == dir) {
                create_dirs.push(dir.to_path_buf());
            }
        }
        let old = match gate.writable(&path) {
            Ok((_, false)) | Err(Refused::Missing) => None,
            Ok((_, true)) => match Text::read(&gate, &path) {
                Ok(text) => Some(text.with_bom(&text.body)),
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            },
            Err(r) => {
                errors.push(
                    Diagnostic::error(format!("cannot write {}: {r}", path.display()))
                        .at_path(&path),
                );
                continue;
            }
        };
        changes.push(FileChange {
            path,
            old,
            new: Some(new),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Plan {
        root: root.to_path_buf(),
        work_dir: Some(work_dir.to_path_buf()),
        create_dirs,
        changes,
        summary,
        notes,
    })
}

/// One file of a work as read: its text without a byte-order mark, and whether it had one.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub path: PathBuf,
    pub bom: bool,
    pub body: String,
}

impl Text {
    fn read(gate: &Gate, path: &Path) -> Result<Text, Diagnostic> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::error(format!(
                "{} is a link: parallax edits only regular files",
                path.display()
            ))
            .at_path(path)
            .with_help("replace the link by the file it leads to, then run the edit again"));
        }
        let bytes = gate
            .read(path, MAX_FILE_BYTES)
            .map_err(|r| refused(path, &r))?;
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
    pub notes: Vec<String>,
}

impl WorkFiles {
    fn read(root: &Path, work: Option<&str>) -> Result<WorkFiles, Vec<Diagnostic>> {
        let gate = gate(root).map_err(|d| vec![*d])?;
        let (id, dir) = locate_work(root, work).map_err(|d| vec![d])?;
        let notes: Vec<String> = journal::finish_interrupted(&gate, &dir)
            .map_err(|d| vec![d])?
            .into_iter()
            .collect();
        let work_path = dir.join("work.toml");
        let mut errors = Vec::new();
        let work = Text::read(&gate, &work_path)
            .map_err(|d| errors.push(d))
            .ok();
        let mut sources = Vec::new();
        let (paths, refusals) = source_paths(&gate, &dir.join("sources"));
        errors.extend(refusals);
        for path in paths {
            match Text::read(&gate, &path) {
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
                notes,
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

/// The work an edit is about: `--work`, or the corpus's only work. Its folder must lie
/// inside the corpus.
pub(crate) fn locate_work(
    root: &Path,
    work: Option<&str>,
) -> Result<(String, PathBuf), Diagnostic> {
    let gate = gate(root).map_err(|d| *d)?;
    let names = work_names(&gate, root)?;
    let found = match work {
        Some(wanted) if names.iter().any(|n| n == wanted) => wanted.to_string(),
        Some(wanted) => {
            let list: Vec<&str> = names.iter().map(String::as_str).collect();
            return Err(Diagnostic::error(format!(
                "unknown work \"{wanted}\" in corpus {}",
                root.display()
            ))
            .with_help(did_you_mean(wanted, &list, "work")));
        }
        None => match names.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(Diagnostic::error(format!(
                    "the corpus {} holds no works",
                    root.display()
                ))
                .with_help("start one with `parallax new work ID`"));
            }
            many => {
                return Err(Diagnostic::error(format!(
                    "the corpus {} holds {} works; choose one with --work",
                    root.display(),
                    many.len()
                ))
                .with_help(format!("works: {}", many.join(", "))));
            }
        },
    };
    let dir = root.join(&found);
    match gate.folder(&dir) {
        Ok(_) => Ok((found, dir)),
        Err(r) => Err(refused(&dir, &r)),
    }
}

/// The corpus's work folders (not hidden), sorted: folders, and links to folders, that the
/// gate lets through or refuses (a refused one is named, then refused when it is used).
fn work_names(gate: &Gate, root: &Path) -> Result<Vec<String>, Diagnostic> {
    let entries = gate.list(root).map_err(|r| {
        Diagnostic::error(format!(
            "cannot read the corpus folder {}: {r}",
            root.display()
        ))
        .with_help("pass --corpus DIR or set PARALLAX_CORPUS to the folder that holds the works")
    })?;
    let mut names: Vec<String> = entries
        .into_iter()
        .filter(|e| matches!(e.found, Ok((Kind::Folder, _)) | Err(Refused::Outside)))
        .map(|e| e.name.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

/// The claim files of a work, as the loader lists them: `sources/*.toml`, not hidden,
/// sorted; and an error for each that leads outside the corpus (or a `sources/` that does).
pub(crate) fn source_paths(gate: &Gate, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let entries = match gate.list(dir) {
        Ok(entries) => entries,
        Err(Refused::Missing) => return (Vec::new(), Vec::new()),
        Err(r) => return (Vec::new(), vec![refused(dir, &r)]),
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for e in entries {
        let name = e.name.to_string_lossy();
        if name.starts_with('.') || !name.ends_with(".toml") {
            continue;
        }
        match e.found {
            Ok((Kind::File, _)) => files.push(e.path),
            Err(Refused::Outside) => errors.push(refused(&e.path, &Refused::Outside)),
            _ => {}
        }
    }
    files.sort();
    (files, errors)
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

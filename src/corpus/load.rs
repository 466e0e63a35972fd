//! Finding and reading the corpus on disk: the corpus root, its work folders, each work's
//! `work.toml` and `sources/*.toml`. Claim files are read, parsed and validated in parallel;
//! every problem found on the way is collected, never only the first.
//!
//! Nothing outside the corpus folder is read (SECURITY.md): a work folder, `work.toml`, the
//! `sources/` folder or a claim file that is a link leading out of the corpus is an error that
//! names it, and what it leads to is never opened, so its content cannot appear in a message.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::model::{Corpus, Source, Work, is_kebab, to_kebab};
use super::validate;
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};
use crate::gate::{self, Follow, Gate, Kind, Refused};

/// What to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub root: PathBuf,
    /// load only this work
    pub work: Option<String>,
    /// which claims the self-contradiction warnings weigh together
    pub warn_voice: validate::WarnVoice,
    /// keep only what positions are made of, not the claims' texts
    /// ([`Source::positions_only`]): for the views that never show a text
    pub positions_only: bool,
}

/// A loaded corpus with everything that was found wrong with it. When `errors` is not empty
/// the corpus holds only what could be validated and must not be shown as a result.
#[derive(Debug, Default)]
pub struct Loaded {
    pub corpus: Corpus,
    /// work folders looked at, valid or not
    pub works_read: usize,
    /// claim files read, valid or not
    pub sources_read: usize,
    /// coders' codings read, valid or not
    pub codings_read: usize,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// works that have errors, with only their valid sources: never a result to show, but
    /// what can be checked source by source (quotes) is still checked
    pub partial: Vec<Work>,
}

impl Loaded {
    fn push(&mut self, d: Diagnostic) {
        if d.is_error() {
            self.errors.push(d);
        } else {
            self.warnings.push(d);
        }
    }

    fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }
}

/// Loads the works of a corpus (or the one asked for).
pub fn load(opts: &LoadOptions) -> Loaded {
    let mut out = Loaded {
        corpus: Corpus {
            root: opts.root.clone(),
            works: Vec::new(),
        },
        ..Loaded::default()
    };
    let dirs = match work_dirs(&opts.root) {
        Ok(dirs) => dirs,
        Err(d) => {
            out.push(d);
            return out;
        }
    };
    // the folder every file read must lie in, once every link is followed
    let root = match fs::canonicalize(&opts.root) {
        Ok(root) => root,
        Err(e) => {
            out.push(Diagnostic::error(format!(
                "cannot read the corpus folder {}: {e}",
                opts.root.display()
            )));
            return out;
        }
    };
    let chosen: Vec<(String, PathBuf)> = match &opts.work {
        Some(wanted) => match dirs.iter().find(|(id, _)| id == wanted) {
            Some(found) => vec![found.clone()],
            None => {
                let names: Vec<&str> = dirs.iter().map(|(id, _)| id.as_str()).collect();
                out.push(
                    Diagnostic::error(format!(
                        "unknown work \"{wanted}\" in corpus {}",
                        opts.root.display()
                    ))
                    .with_help(did_you_mean(wanted, &names, "work")),
                );
                return out;
            }
        },
        None => dirs,
    };
    if chosen.is_empty() {
        out.push(
            Diagnostic::error(format!("the corpus {} holds no works", opts.root.display()))
                .at_path(&opts.root)
                .with_help("a work is a folder holding work.toml and sources/*.toml (see README)"),
        );
        return out;
    }
    for (id, dir) in chosen {
        if let Some(work) = load_work(&id, &dir, &root, opts, &mut out) {
            out.corpus.works.push(work);
        }
    }
    // a stable order, file by file and top to bottom, whatever order the threads finished in
    for list in [&mut out.errors, &mut out.warnings] {
        crate::diagnostic::sort_by_place(list);
    }
    out
}

/// The corpus's work folders, sorted by name; hidden folders are not works.
fn work_dirs(root: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let entries = fs::read_dir(root).map_err(|e| {
        let what = if e.kind() == std::io::ErrorKind::NotFound {
            "not found".to_string()
        } else {
            e.to_string()
        };
        Diagnostic::error(format!(
            "cannot read the corpus folder {}: {what}",
            root.display()
        ))
        .with_help("pass --corpus DIR or set PARALLAX_CORPUS to the folder that holds the works")
    })?;
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry
            .file_type()
            .is_ok_and(|t| t.is_dir() || (t.is_symlink() && path.is_dir()));
        if name.starts_with('.') || !is_dir {
            continue;
        }
        dirs.push((name, path));
    }
    dirs.sort();
    Ok(dirs)
}

pub use crate::gate::{Confined, confine};

/// The error for a path of the corpus that is a link leading out of it. Only the path is
/// named: neither where it leads nor what is there is shown.
pub(crate) fn outside_corpus(path: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "{} leads outside the corpus: it is a link to a {what} outside the corpus folder",
        path.display()
    ))
    .at_path(path)
    .with_help(
        "parallax reads nothing outside the corpus folder: copy it into the corpus instead of linking to it",
    )
}

/// The largest corpus file read: offsets within a file are kept as 32-bit numbers.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// Reads a file as UTF-8 text. A byte-order mark is dropped; CRLF line endings are kept (TOML
/// accepts them). Invalid UTF-8 is an error at the first bad byte.
pub fn read_text(path: &Path) -> Result<SourceFile, Diagnostic> {
    read_with(path, path, Follow::Yes)
}

/// Reads the file at `real` (a path already resolved and confined) as [`read_text`] does,
/// naming it `path` in the text and in every message.
pub fn read_text_from(path: &Path, real: &Path) -> Result<SourceFile, Diagnostic> {
    // resolved already: a link there now was put there since
    read_with(path, real, Follow::No)
}

/// [`read_text_from`], following a link at `real` or not.
fn read_with(path: &Path, real: &Path, follow: Follow) -> Result<SourceFile, Diagnostic> {
    let too_big = |size: u64| {
        Diagnostic::error(format!(
            "{} is too large: {size} bytes, over the 4 GiB a corpus file may hold",
            path.display()
        ))
        .at_path(path)
        .with_help("split it: one claim file per source, archived texts under 4 GiB")
    };
    let read = |e: Refused| {
        Diagnostic::error(format!("cannot read {}: {e}", path.display())).at_path(path)
    };
    // one open and one stat: a FIFO or a device is refused without waiting on it, and the
    // size both refuses a file too large and sizes the buffer
    let bytes = gate::read_regular(real, MAX_FILE_BYTES, follow).map_err(|r| match r {
        Refused::TooLarge { size, .. } => too_big(size),
        r => read(r),
    })?;
    text_from_vec(path, bytes)
}

/// A file's bytes as text, as [`read_text`] reads them (for callers that hold the bytes).
pub fn text_from_bytes(path: &Path, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
    text_from_vec(path, bytes.to_vec())
}

/// [`text_from_bytes`] for bytes the caller gives away: valid UTF-8 becomes the text without
/// a copy.
fn text_from_vec(path: &Path, mut bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path.to_path_buf(), text)),
        Err(e) => {
            // up to the bad byte the lossy text is the file itself, so offsets agree
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let file = SourceFile::new(path.to_path_buf(), String::from_utf8_lossy(bytes));
            let bad = file.text[at..].chars().next().map_or(0, char::len_utf8);
            let d = file
                .error(
                    format!(
                        "{} is not valid UTF-8 (byte 0x{:02X} at byte offset {at})",
                        path.display(),
                        bytes[at],
                    ),
                    at..at + bad,
                )
                .with_label("not UTF-8")
                .with_help("save the file as UTF-8");
            Err(d)
        }
    }
}

fn load_work(
    id: &str,
    dir: &Path,
    root: &Path,
    opts: &LoadOptions,
    out: &mut Loaded,
) -> Option<Work> {
    if confine(root, dir) == Confined::Outside {
        out.works_read += 1;
        out.push(outside_corpus(dir, "folder"));
        return None;
    }
    let mut ok = true;
    if !is_kebab(id) {
        out.push(
            Diagnostic::error(format!("work folder name \"{id}\" is not a valid id"))
                .at_path(dir)
                .with_help(format!(
                    "ids are lowercase kebab-case ([a-z0-9]+(-[a-z0-9]+)*): rename the folder to \"{}\"",
                    to_kebab(id)
                )),
        );
        ok = false;
    }
    let work_path = dir.join("work.toml");
    let work_file = match confine(root, &work_path) {
        Confined::Outside => {
            out.push(outside_corpus(&work_path, "file"));
            return None;
        }
        Confined::Inside(real) if real.is_file() => Some(real),
        // a FIFO or a device is never opened: reading it could wait for ever
        Confined::Inside(real) if real.exists() && !real.is_dir() => {
            out.push(
                Diagnostic::error(format!("{} is not a regular file", work_path.display()))
                    .at_path(&work_path)
                    .with_help("work.toml must be a plain TOML file"),
            );
            return None;
        }
        _ => None,
    };
    let codebook = if let Some(real) = work_file {
        match read_text_from(&work_path, &real) {
            Ok(file) => {
                let (mut codebook, diags) = validate::work_file(id, dir, &file);
                if let Some(cb) = &mut codebook {
                    cb.warn_voice = opts.warn_voice.clone();
                }
                ok &= !diags.iter().any(Diagnostic::is_error);
                out.extend(diags);
                codebook
            }
            Err(d) => {
                out.push(d);
                None
            }
        }
    } else {
        let empty = fs::read_dir(dir)
            .map(|mut e| e.next().is_none())
            .unwrap_or(false);
        let message = if empty {
            format!(
                "the work folder {} is empty: it has no work.toml",
                dir.display()
            )
        } else {
            format!("the work folder {} has no work.toml", dir.display())
        };
        out.push(
            Diagnostic::error(message)
                .at_path(&work_path)
                .with_help("every work folder needs a work.toml with [work], [[scene]] and [[reading]] tables (see README)"),
        );
        None
    };
    ok &= codebook.is_some();

    if fs::symlink_metadata(dir.join(".parallax-edit.journal")).is_ok() {
        out.push(
            Diagnostic::warning(format!(
                "an edit of {} was interrupted before it finished",
                dir.display()
            ))
            .at_path(&dir.join(".parallax-edit.journal"))
            .with_help("run the edit again (or any rename, merge or new source of this work): it finishes the interrupted one first"),
        );
    }
    let (files, stray) = source_files(&dir.join("sources"), root);
    out.works_read += 1;
    out.sources_read += files.len();
    ok &= !stray.iter().any(Diagnostic::is_error);
    out.extend(stray);
    let bar = crate::progress::Bar::new("reading claim sets", files.len() as u64);
    let results: Vec<_> = files
        .par_iter()
        .inspect(|_| bar.inc(1))
        .map(|(path, real)| match read_text_from(path, real) {
            Ok(file) => {
                let (mut source, diags) = validate::source_file(&file, codebook.as_ref());
                if opts.positions_only {
                    source.iter_mut().for_each(Source::positions_and_names_only);
                }
                (source, diags)
            }
            Err(d) => (None, vec![d]),
        })
        .collect();
    drop(files); // two paths per claim file: not held while the work is assembled
    let codings = load_codings(&dir.join("codings"), root, codebook.as_ref(), opts, out);
    let mut work = assemble(codebook, results, codings, ok, out)?;
    if opts.positions_only {
        // once people are gathered from the names the claims write
        work.sources.iter_mut().for_each(Source::positions_only);
    }
    Some(work)
}

/// What reading the codings of a work gave: per coder, each coding or its problems.
type CodingResults = Vec<(String, Vec<(Option<validate::Coding>, Vec<Diagnostic>)>)>;

/// Reads and validates the codings of a work (`codings/<coder>/<source>.toml`, docs/rules.md#reliability),
/// every file of every coder in parallel. A coder folder that is not a valid id, or that
/// leads outside the corpus, is an error; anything else in `codings/` is ignored with a
/// warning.
fn load_codings(
    dir: &Path,
    root: &Path,
    codebook: Option<&validate::Codebook>,
    opts: &LoadOptions,
    out: &mut Loaded,
) -> CodingResults {
    let (coders, stray) = coder_dirs(dir, root);
    out.extend(stray);
    let mut files = Vec::new();
    for (coder, (_, coder_dir)) in coders.iter().enumerate() {
        let (found, stray) = source_files(coder_dir, root);
        out.extend(stray);
        out.codings_read += found.len();
        files.extend(found.into_iter().map(|(path, real)| (coder, path, real)));
    }
    let mut results: CodingResults = coders.into_iter().map(|(id, _)| (id, Vec::new())).collect();
    let bar = crate::progress::Bar::new("reading codings", files.len() as u64);
    let read: Vec<_> = files
        .par_iter()
        .inspect(|_| bar.inc(1))
        .map(|(coder, path, real)| {
            let result = match read_text_from(path, real) {
                Ok(file) => {
                    let (mut coding, diags) = validate::coding_file(&file, codebook);
                    if opts.positions_only {
                        coding
                            .iter_mut()
                            .for_each(|c| c.source.positions_and_names_only());
                    }
                    (coding, diags)
                }
                Err(d) => (None, vec![d]),
            };
            (*coder, result)
        })
        .collect();
    for (coder, result) in read {
        results[coder].1.push(result);
    }
    results
}

/// The coder folders of a work's `codings/`, sorted by name, and the problems of what else
/// is there: a folder that is not a coder's id, or a link leading out of the corpus, is an
/// error; a file is ignored with a warning.
fn coder_dirs(dir: &Path, root: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let gate = Gate::resolved(root.to_path_buf());
    let entries = match gate.list(dir) {
        Ok(entries) => entries,
        // a work that no coder has coded yet
        Err(Refused::Missing) => return (Vec::new(), Vec::new()),
        Err(Refused::Outside) => return (Vec::new(), vec![outside_corpus(dir, "folder")]),
        Err(e) => {
            let d = Diagnostic::error(format!("cannot read {}: {e}", dir.display()))
                .at_path(dir)
                .with_help(
                    "codings/ holds one folder per coder, each with <source-id>.toml codings",
                );
            return (Vec::new(), vec![d]);
        }
    };
    let mut coders = Vec::new();
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.path;
        let name = entry.name.to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        match entry.found {
            Ok((Kind::Folder, _)) => match validate::check_coder_name(&path, &name) {
                Some(d) => problems.push(d),
                None => coders.push((name, path)),
            },
            Err(Refused::Outside) => problems.push(outside_corpus(&path, "folder")),
            _ => problems.push(
                Diagnostic::warning(format!("ignored {}: not a coder's folder", path.display()))
                    .at_path(&path)
                    .with_help(
                        "codings/ holds one folder per coder (codings/<coder>/<source-id>.toml)",
                    ),
            ),
        }
    }
    coders.sort();
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    (coders, problems)
}

/// The work from its validated parts, when nothing was wrong. With errors, the work keeps
/// only its valid sources and codings and goes to [`Loaded::partial`], where their quotes
/// can still be checked.
fn assemble(
    codebook: Option<validate::Codebook>,
    results: Vec<(Option<Source>, Vec<Diagnostic>)>,
    codings: CodingResults,
    mut ok: bool,
    out: &mut Loaded,
) -> Option<Work> {
    // collected in place, in the buffer of the results: a corpus's sources are not held twice
    let sources: Vec<Source> = results
        .into_iter()
        .filter_map(|(source, diags)| {
            if diags.iter().any(Diagnostic::is_error) {
                ok = false;
            }
            out.extend(diags);
            source
        })
        .collect();
    let codings = codings
        .into_iter()
        .map(|(coder, results)| {
            let codings = (results.into_iter())
                .filter_map(|(coding, diags)| {
                    ok &= !diags.iter().any(Diagnostic::is_error);
                    out.extend(diags);
                    coding
                })
                .collect();
            (coder, codings)
        })
        .collect();
    let (work, found, coverage) = codebook?.into_work(sources, codings);
    ok &= !found.iter().any(Diagnostic::is_error);
    out.extend(found);
    if !ok {
        // with errors, sources were dropped and "nobody reads this scene" may be false
        out.partial.push(work);
        return None;
    }
    out.extend(coverage);
    Some(work)
}

/// Validates one work from texts held in memory: `work.toml` and the claim files, each
/// with the path it has (or would have) on disk. Nothing is read from disk; this is how an
/// edit checks the corpus it is about to write.
pub fn validate_texts(
    root: &Path,
    id: &str,
    work: &SourceFile,
    sources: &[SourceFile],
    warn_voice: &validate::WarnVoice,
) -> Loaded {
    let mut out = Loaded {
        corpus: Corpus {
            root: root.to_path_buf(),
            works: Vec::new(),
        },
        works_read: 1,
        sources_read: sources.len(),
        ..Loaded::default()
    };
    let dir = work.path.parent().unwrap_or(root);
    let (mut codebook, diags) = validate::work_file(id, dir, work);
    if let Some(cb) = &mut codebook {
        cb.warn_voice = warn_voice.clone();
    }
    let ok = codebook.is_some() && !diags.iter().any(Diagnostic::is_error);
    out.extend(diags);
    let results: Vec<_> = sources
        .par_iter()
        .map(|file| validate::source_file(file, codebook.as_ref()))
        .collect();
    if let Some(work) = assemble(codebook, results, Vec::new(), ok, &mut out) {
        out.corpus.works.push(work);
    }
    for list in [&mut out.errors, &mut out.warnings] {
        crate::diagnostic::sort_by_place(list);
    }
    out
}

/// The claim files of a work (`sources/*.toml`, sorted), each with the path to read it from,
/// and warnings for anything else in the folder, which is ignored. A folder or claim file
/// that leads outside the corpus is an error. `root` is the corpus folder resolved with
/// [`fs::canonicalize`]. Codings (`codings/<coder>/`) are listed the same way.
pub fn source_files(dir: &Path, root: &Path) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    let gate = Gate::resolved(root.to_path_buf());
    let entries = match gate.list(dir) {
        Ok(entries) => entries,
        Err(Refused::Outside) => return (Vec::new(), vec![outside_corpus(dir, "folder")]),
        // a work without sources yet is a work with no claims
        Err(Refused::Missing) => return (Vec::new(), Vec::new()),
        Err(e) => {
            let d = Diagnostic::error(format!("cannot read {}: {e}", dir.display()))
                .at_path(dir)
                .with_help("sources/ must be a folder of <source-id>.toml claim files");
            return (Vec::new(), vec![d]);
        }
    };
    let mut files = Vec::new();
    let mut stray = Vec::new();
    for entry in entries {
        let path = entry.path;
        if entry.name.to_string_lossy().starts_with('.') {
            continue;
        }
        // the folder entry knows its type: no extra stat per file, and only a link is
        // resolved (a file in a folder inside the corpus is inside it)
        let real = match entry.found {
            Ok((Kind::File, real)) => Some(real),
            Err(Refused::Outside) => {
                stray.push(outside_corpus(&path, "file"));
                continue;
            }
            _ => None,
        };
        if let Some(real) = real.filter(|_| path.extension().is_some_and(|e| e == "toml")) {
            files.push((path, real));
        } else {
            stray.push(
                Diagnostic::warning(format!(
                    "ignored {}: not a .toml claim file",
                    path.display()
                ))
                .at_path(&path)
                .with_help(
                    "sources/ holds one <source-id>.toml per source; move other files elsewhere",
                ),
            );
        }
    }
    // one folder: the names decide, compared as bytes rather than path components
    files.sort_unstable_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
    stray.sort_by(|a, b| a.file.cmp(&b.file));
    (files, stray)
}

//! What the server holds: the open buffers, and an index of each work they belong to.
//! Every change of a buffer updates the buffer, its line index and its scan, the index
//! entry of its file, and its diagnostics, once; requests only read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::diagnostics;
use super::files::{self, CorpusFile, Kind};
use super::index::WorkIndex;
use super::position::{Encoding, LineIndex};
use super::syntax::Scan;
use crate::corpus::load::{Confined, confine, read_text_from};
use crate::diagnostic::SourceFile;
use crate::quotes::Haystack;

/// An open buffer (or a corpus file read from disk for a request about a file that is not
/// open).
#[derive(Debug)]
pub struct Document {
    pub uri: Uri,
    pub path: PathBuf,
    pub version: i32,
    pub text: String,
    pub lines: LineIndex,
    pub scan: Scan,
    pub file: CorpusFile,
    /// what was last published for it
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

impl Document {
    fn new(uri: Uri, path: PathBuf, version: i32, text: String, file: CorpusFile) -> Self {
        Document {
            lines: LineIndex::new(&text),
            scan: Scan::new(&text),
            uri,
            path,
            version,
            text,
            file,
            diagnostics: Vec::new(),
        }
    }

    /// The buffer as the loader's validator takes it.
    pub fn source_file(&self) -> SourceFile {
        SourceFile::new(self.path.clone(), self.text.as_str())
    }

    /// Applies the editor's changes (ranges in `enc`; a change without a range replaces
    /// the whole text), then indexes the new text.
    fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start, enc);
                    let end = self.lines.offset(&self.text, range.end, enc).max(start);
                    self.text.replace_range(start..end, &change.text);
                    // the next change's range is in this text's positions
                    self.lines = LineIndex::new(&self.text);
                }
                None => {
                    self.text = change.text;
                    self.lines = LineIndex::new(&self.text);
                }
            }
        }
        self.scan = Scan::new(&self.text);
    }
}

/// Archived texts prepared for quote checking, kept while they are unchanged on disk.
#[derive(Default)]
pub struct Haystacks {
    held: HashMap<PathBuf, (u64, Option<SystemTime>, Arc<Haystack>)>,
}

/// How many archived texts are kept prepared.
const HAYSTACKS_KEPT: usize = 64;

impl Haystacks {
    /// The prepared text at `real`, built with `build` when it is not held or has changed.
    pub fn get(
        &mut self,
        real: &Path,
        build: impl FnOnce() -> Result<Haystack, crate::diagnostic::Diagnostic>,
    ) -> Result<Arc<Haystack>, crate::diagnostic::Diagnostic> {
        let stamp = std::fs::metadata(real)
            .map(|m| (m.len(), m.modified().ok()))
            .ok();
        if let (Some((len, modified)), Some((l, m, h))) = (stamp, self.held.get(real))
            && len == *l
            && modified == *m
        {
            return Ok(Arc::clone(h));
        }
        let built = Arc::new(build()?);
        if self.held.len() >= HAYSTACKS_KEPT {
            self.held.clear();
        }
        if let Some((len, modified)) = stamp {
            self.held
                .insert(real.to_path_buf(), (len, modified, Arc::clone(&built)));
        }
        Ok(built)
    }
}

/// Diagnostics to send: for which buffer, at which version.
pub struct Publish {
    pub uri: Uri,
    pub version: Option<i32>,
    pub diagnostics: Vec<lsp_types::Diagnostic>,
}

pub struct State {
    pub encoding: Encoding,
    pub docs: HashMap<PathBuf, Document>,
    /// by work folder
    pub works: HashMap<PathBuf, WorkIndex>,
    pub haystacks: Haystacks,
}

impl State {
    pub fn new(encoding: Encoding) -> Self {
        State {
            encoding,
            docs: HashMap::new(),
            works: HashMap::new(),
            haystacks: Haystacks::default(),
        }
    }

    /// Indexes the work of a corpus file, the first time one of its files is asked about.
    pub fn ensure_work(&mut self, file: &CorpusFile) -> bool {
        if !self.works.contains_key(&file.work_dir) {
            match WorkIndex::load(&file.work_dir, self.encoding) {
                Some(index) => {
                    self.works.insert(file.work_dir.clone(), index);
                }
                None => return false,
            }
        }
        true
    }

    /// A buffer opened: indexed, checked, and the diagnostics to publish.
    pub fn open(&mut self, uri: Uri, version: i32, text: String) -> Vec<Publish> {
        let Some(path) = files::uri_to_path(&uri) else {
            return Vec::new();
        };
        let Some(file) = files::classify(&path) else {
            return Vec::new();
        };
        if !self.ensure_work(&file) {
            return Vec::new();
        }
        let doc = Document::new(uri, path.clone(), version, text, file);
        self.docs.insert(path.clone(), doc);
        self.changed(&path)
    }

    /// A buffer changed.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) -> Vec<Publish> {
        let Some(path) = files::uri_to_path(uri) else {
            return Vec::new();
        };
        let enc = self.encoding;
        let Some(doc) = self.docs.get_mut(&path) else {
            return Vec::new();
        };
        doc.version = version;
        doc.apply(changes, enc);
        self.changed(&path)
    }

    /// A buffer closed: the file on disk is what counts again, and its diagnostics go.
    pub fn close(&mut self, uri: &Uri) -> Vec<Publish> {
        let Some(path) = files::uri_to_path(uri) else {
            return Vec::new();
        };
        let Some(doc) = self.docs.remove(&path) else {
            return Vec::new();
        };
        let mut out = vec![Publish {
            uri: doc.uri.clone(),
            version: None,
            diagnostics: Vec::new(),
        }];
        if let Some(index) = self.works.get_mut(&doc.file.work_dir) {
            match &doc.file.kind {
                Kind::Work => {
                    index.reload_work();
                    out.extend(self.recheck_work(&doc.file.work_dir, &path, true));
                }
                kind => index.reload_claims(&path, kind.clone()),
            }
        }
        out
    }

    /// Files changed on disk (the editor watches them: a checkout, another program): the
    /// index reads those that are not open again, and the open files of their works are
    /// checked again.
    pub fn files_changed(&mut self, uris: &[Uri]) -> Vec<Publish> {
        let mut works: Vec<PathBuf> = Vec::new();
        for uri in uris {
            let Some(path) = files::uri_to_path(uri) else {
                continue;
            };
            let Some(file) = files::classify(&path) else {
                continue;
            };
            let open = self.docs.contains_key(&path);
            let Some(index) = self.works.get_mut(&file.work_dir) else {
                continue;
            };
            if !open {
                match &file.kind {
                    Kind::Work => index.reload_work(),
                    kind => index.reload_claims(&path, kind.clone()),
                }
            }
            if !works.contains(&file.work_dir) {
                works.push(file.work_dir);
            }
        }
        let mut out = Vec::new();
        for work_dir in works {
            out.extend(self.recheck_work(&work_dir, Path::new(""), true));
        }
        out
    }

    /// After a buffer's text changed: its index entry, then its diagnostics (and, for
    /// `work.toml`, those of every open file of the work, which the codebook resolves).
    fn changed(&mut self, path: &Path) -> Vec<Publish> {
        let Some(doc) = self.docs.get(path) else {
            return Vec::new();
        };
        let work_dir = doc.file.work_dir.clone();
        let Some(index) = self.works.get_mut(&work_dir) else {
            return Vec::new();
        };
        let all = match &doc.file.kind {
            Kind::Work => {
                index.set_work(doc.source_file());
                true
            }
            kind => {
                index.set_claims(&doc.source_file(), kind.clone());
                false
            }
        };
        self.recheck_work(&work_dir, path, all)
    }

    /// Diagnostics for the open files of a work: the file that `changed`, `work.toml`
    /// (whether a scene is read depends on every file), and with `all` every other open
    /// file of the work. The changed file's are always published, the others' only when
    /// they differ from what was.
    fn recheck_work(&mut self, work_dir: &Path, changed: &Path, all: bool) -> Vec<Publish> {
        let mut out = Vec::new();
        let Some(index) = self.works.get(work_dir) else {
            return out;
        };
        let enc = self.encoding;
        for doc in self.docs.values_mut() {
            let is_changed = doc.path == changed;
            let wanted = all || is_changed || doc.file.kind == Kind::Work;
            if doc.file.work_dir != work_dir || !wanted {
                continue;
            }
            let diags = diagnostics::compute(index, doc, enc, &mut self.haystacks);
            if !is_changed && diags == doc.diagnostics {
                continue;
            }
            doc.diagnostics = diags.clone();
            out.push(Publish {
                uri: doc.uri.clone(),
                version: Some(doc.version),
                diagnostics: diags,
            });
        }
        out
    }

    /// The document a request is about: the open buffer, or the corpus file read from disk
    /// (inside the corpus, a regular file) when it is not open.
    pub fn document(&mut self, uri: &Uri) -> Option<DocRef> {
        let path = files::uri_to_path(uri)?;
        let file = files::classify(&path)?;
        if !self.ensure_work(&file) {
            return None;
        }
        if self.docs.contains_key(&path) {
            return Some(DocRef::Open(path));
        }
        let index = self.works.get(&file.work_dir)?;
        let text = match confine(&index.real_root, &path) {
            Confined::Inside(real) if real.is_file() => read_text_from(&path, &real).ok()?,
            _ => return None,
        };
        Some(DocRef::Disk(Box::new(Document::new(
            uri.clone(),
            path,
            0,
            text.text.to_string(),
            file,
        ))))
    }

    /// The document a [`DocRef`] names, with the index of its work.
    pub fn get<'s>(&'s self, doc: &'s DocRef) -> Option<(&'s Document, &'s WorkIndex)> {
        let doc = match doc {
            DocRef::Open(path) => self.docs.get(path)?,
            DocRef::Disk(doc) => doc,
        };
        Some((doc, self.works.get(&doc.file.work_dir)?))
    }

    /// The text of a claim file or `work.toml` as the server sees it: the buffer when open,
    /// else the file on disk (confined to the corpus).
    pub fn text_of(&self, index: &WorkIndex, path: &Path) -> Option<String> {
        if let Some(doc) = self.docs.get(path) {
            return Some(doc.text.clone());
        }
        match confine(&index.real_root, path) {
            Confined::Inside(real) if real.is_file() => {
                read_text_from(path, &real).ok().map(|f| f.text.to_string())
            }
            _ => None,
        }
    }
}

/// A document for a request: an open buffer (by path), or one read from disk.
pub enum DocRef {
    Open(PathBuf),
    Disk(Box<Document>),
}

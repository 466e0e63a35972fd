//! The index of one work: its codebook (from `work.toml`, the editor's buffer when it is
//! open) and, for every claim set and coding, where it names a scene, a reading or a person.
//! It is built once, when the first file of the work is opened, by the loader's own
//! functions (the listing of claim files, confined reads, the claim-set reader), and each
//! change of a buffer updates the entry of that one file.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use lsp_types::Range;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::files::Kind;
use super::position::{Encoding, LineIndex};
use super::recovery;
use super::syntax::Scan;
use crate::corpus::load::{Confined, confine, outside_corpus, read_text_from, source_files};
use crate::corpus::model::alias_key;
use crate::corpus::texts::TextsLookup;
use crate::corpus::validate::{self, Codebook};
use crate::diagnostic::{Diagnostic, SourceFile};

/// What a claim's value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Scene,
    Reading,
    Person,
}

impl Field {
    /// The claim key that holds it.
    pub fn key(self) -> &'static str {
        match self {
            Field::Scene => "scene",
            Field::Reading => "reading",
            Field::Person => "attributed_to",
        }
    }

    pub fn of_key(key: &str) -> Option<Field> {
        match key {
            "scene" => Some(Field::Scene),
            "reading" => Some(Field::Reading),
            "attributed_to" => Some(Field::Person),
            _ => None,
        }
    }
}

/// One value of a claim that names a codebook entry: which field, the name as written (an
/// index into the work's names) and where it is (one line; characters in the negotiated
/// encoding). A corpus holds a few per claim, so it is kept to 20 bytes.
#[derive(Debug, Clone, Copy)]
pub struct Use {
    pub field: Field,
    pub name: u32,
    line: u32,
    start: u32,
    end: u32,
}

impl Use {
    fn new(field: Field, name: u32, range: Range) -> Use {
        let end = if range.end.line == range.start.line {
            range.end.character
        } else {
            range.start.character
        };
        Use {
            field,
            name,
            line: range.start.line,
            start: range.start.character,
            end,
        }
    }

    pub fn range(&self) -> Range {
        let at = |character| lsp_types::Position {
            line: self.line,
            character,
        };
        Range {
            start: at(self.start),
            end: at(self.end),
        }
    }
}

/// The names a claim file writes, as found: each distinct name once, and each use with the
/// number of its name in that list.
#[derive(Debug, Default)]
pub struct Found {
    names: Vec<String>,
    uses: Vec<Use>,
}

/// A claim set or coding as the index knows it.
#[derive(Debug)]
pub struct ClaimFile {
    pub kind: Kind,
    pub uses: Vec<Use>,
}

/// The names claims write, each kept once.
#[derive(Debug, Default)]
struct Names {
    ids: FxHashMap<String, u32>,
    list: Vec<String>,
}

impl Names {
    /// A file's uses, their names (numbered in the file) numbered as the work's.
    fn number(&mut self, found: Found) -> Vec<Use> {
        let ids: Vec<u32> = found.names.iter().map(|n| self.intern(n)).collect();
        let mut uses = found.uses;
        for u in &mut uses {
            u.name = ids[u.name as usize];
        }
        uses.shrink_to_fit();
        uses
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.list.len() as u32;
        self.list.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// One work of the corpus.
#[derive(Debug)]
pub struct WorkIndex {
    pub id: String,
    /// `ROOT/WORK`
    pub dir: PathBuf,
    /// the corpus folder, resolved: nothing outside it is read
    pub real_root: PathBuf,
    /// `work.toml` as the index reads it (the buffer when open), when there is one
    pub work_file: Option<SourceFile>,
    /// the codebook `work.toml` defines (also from a `work.toml` with errors, as `check`
    /// resolves claims against it)
    pub codebook: Option<Codebook>,
    /// what validating `work.toml` found
    pub work_diags: Vec<Diagnostic>,
    /// claim sets and codings by path
    pub files: BTreeMap<PathBuf, ClaimFile>,
    /// problems found listing the work's folders (a link out of the corpus, a stray file)
    pub listing: Vec<Diagnostic>,
    /// where archived texts are looked for
    pub texts: TextsLookup,
    names: Names,
    encoding: Encoding,
}

impl WorkIndex {
    /// Indexes the work in `dir` from disk. `None` when the folder is not a work folder of a
    /// readable corpus (it has no parent, or the corpus cannot be resolved).
    pub fn load(dir: &Path, encoding: Encoding) -> Option<WorkIndex> {
        let root = dir.parent()?;
        let real_root = fs::canonicalize(root).ok()?;
        let id = dir.file_name()?.to_string_lossy().into_owned();
        let mut index = WorkIndex {
            id,
            dir: dir.to_path_buf(),
            texts: TextsLookup::new(dir, root, None),
            real_root,
            work_file: None,
            codebook: None,
            work_diags: Vec::new(),
            files: BTreeMap::new(),
            listing: Vec::new(),
            names: Names::default(),
            encoding,
        };
        if confine(&index.real_root, dir) == Confined::Outside {
            index.listing.push(outside_corpus(dir, "folder"));
            return Some(index);
        }
        let work_path = dir.join("work.toml");
        match confine(&index.real_root, &work_path) {
            Confined::Outside => index.listing.push(outside_corpus(&work_path, "file")),
            Confined::Inside(real) if real.is_file() => match read_text_from(&work_path, &real) {
                Ok(file) => index.set_work(file),
                Err(d) => index.work_diags.push(d),
            },
            _ => {}
        }
        let mut listed = Vec::new();
        let (sources, stray) = source_files(&dir.join("sources"), &index.real_root);
        index.listing.extend(stray);
        listed.extend(sources.into_iter().map(|(p, r)| (p, r, Kind::Source)));
        for (coder, coder_dir) in
            coder_dirs(&dir.join("codings"), &index.real_root, &mut index.listing)
        {
            let (codings, stray) = source_files(&coder_dir, &index.real_root);
            index.listing.extend(stray);
            listed.extend(codings.into_iter().map(|(p, r)| {
                (
                    p,
                    r,
                    Kind::Coding {
                        coder: coder.clone(),
                    },
                )
            }));
        }
        // each file's names are numbered as the work's as soon as it is read (under a lock
        // taken once a file), so no more than a file's names wait to be numbered
        let names = std::sync::Mutex::new(std::mem::take(&mut index.names));
        let files: Vec<(PathBuf, ClaimFile)> = listed
            .into_par_iter()
            .map(|(path, real, kind)| {
                let found = match read_text_from(&path, &real) {
                    Ok(file) => extract(&file, encoding),
                    Err(_) => Found::default(),
                };
                let uses = match names.lock() {
                    Ok(mut names) => names.number(found),
                    Err(_) => Vec::new(),
                };
                (path, ClaimFile { kind, uses })
            })
            .collect();
        index.names = names.into_inner().unwrap_or_default();
        // sorted runs (sources, each coder's codings) are built into the map without a search
        index.files = files.into_iter().collect();
        Some(index)
    }

    /// The uses of a file, their names numbered as the work's.
    fn intern(&mut self, found: Found) -> Vec<Use> {
        self.names.number(found)
    }

    /// Sets the text of `work.toml` (read from disk, or an editor's buffer) and validates it.
    pub fn set_work(&mut self, file: SourceFile) {
        let (codebook, diags) =
            recovery::validate(&file, |f| validate::work_file(&self.id, &self.dir, f));
        self.codebook = codebook;
        self.work_diags = diags;
        self.work_file = Some(file);
    }

    /// Sets the text of a claim set or coding (an editor's buffer, or the file on disk once
    /// the buffer is closed).
    pub fn set_claims(&mut self, file: &SourceFile, kind: Kind) {
        let uses = extract(file, self.encoding);
        let uses = self.intern(uses);
        self.files
            .insert(file.path.clone(), ClaimFile { kind, uses });
    }

    /// Re-reads a claim file from disk (after its buffer is closed); forgets it when it is
    /// gone or cannot be read.
    pub fn reload_claims(&mut self, path: &Path, kind: Kind) {
        let read = match confine(&self.real_root, path) {
            Confined::Inside(real) if real.is_file() => read_text_from(path, &real).ok(),
            _ => None,
        };
        match read {
            Some(file) => self.set_claims(&file, kind),
            None => {
                self.files.remove(path);
            }
        }
    }

    /// The archived text the claim set of source `id` names (`sources/ID.toml`, read from
    /// disk): the text a coding without a `[source]` table of its own is checked against.
    pub fn source_text(&self, id: &str) -> Option<String> {
        let path = crate::corpus::Source::path_in(&self.dir.join("sources"), id);
        let file = match confine(&self.real_root, &path) {
            Confined::Inside(real) if real.is_file() => read_text_from(&path, &real).ok()?,
            _ => return None,
        };
        let set = validate::read_claim_set(&file)?;
        let text = set.source?.into_inner().text?.into_inner();
        validate::is_plain_file_name(&text).then_some(text)
    }

    /// Re-reads `work.toml` from disk (after its buffer is closed), and looks for the
    /// texts folder again.
    pub fn reload_work(&mut self) {
        if let Some(root) = self.dir.parent() {
            self.texts = TextsLookup::new(&self.dir, root, None);
        }
        let path = self.dir.join("work.toml");
        match confine(&self.real_root, &path) {
            Confined::Inside(real) if real.is_file() => match read_text_from(&path, &real) {
                Ok(file) => self.set_work(file),
                Err(d) => {
                    self.codebook = None;
                    self.work_diags = vec![d];
                }
            },
            _ => {
                self.codebook = None;
                self.work_diags.clear();
                self.work_file = None;
            }
        }
    }

    pub fn name(&self, id: u32) -> &str {
        self.names.list.get(id as usize).map_or("", String::as_str)
    }

    /// The codebook entry a name of `field` resolves to: a scene or reading index, a
    /// declared person's index, or, in a work without `[[person]]`, the index of the folded
    /// name among the names claims attribute views to.
    pub fn resolve(&self, field: Field, name: &str) -> Option<usize> {
        let cb = self.codebook.as_ref()?;
        match field {
            Field::Scene => cb.scene_index(name),
            Field::Reading => cb.reading_index(name),
            Field::Person if !cb.people().is_empty() => cb.person_index(name),
            Field::Person => {
                let key = alias_key(name);
                (!key.is_empty()).then(|| folded_person(&key))
            }
        }
    }

    /// Every use of the entry `entry` of `field`, with the file it is in.
    pub fn uses_of(&self, field: Field, entry: usize) -> Vec<(&Path, &ClaimFile, Use)> {
        let resolved = self.resolved(field);
        let mut out = Vec::new();
        for (path, file) in &self.files {
            for u in file.uses.iter().filter(|u| u.field == field) {
                if resolved.get(&u.name) == Some(&Some(entry)) {
                    out.push((path.as_path(), file, *u));
                }
            }
        }
        out
    }

    /// What each name written in `field` resolves to.
    fn resolved(&self, field: Field) -> HashMap<u32, Option<usize>> {
        let mut map = HashMap::new();
        for file in self.files.values() {
            for u in file.uses.iter().filter(|u| u.field == field) {
                map.entry(u.name)
                    .or_insert_with(|| self.resolve(field, self.name(u.name)));
            }
        }
        map
    }

    /// Which scenes some claim reads and which readings some claim takes.
    pub fn coverage(&self) -> (Vec<bool>, Vec<bool>) {
        let Some(cb) = &self.codebook else {
            return (Vec::new(), Vec::new());
        };
        let mut read = vec![false; cb.work().scenes.len()];
        let mut used = vec![false; cb.work().readings.len()];
        for (field, flags) in [(Field::Scene, &mut read), (Field::Reading, &mut used)] {
            for found in self.resolved(field).into_values().flatten() {
                if let Some(flag) = flags.get_mut(found) {
                    *flag = true;
                }
            }
        }
        (read, used)
    }

    /// In a work without `[[person]]`: the pairs of names claims attribute views to that
    /// look like one person (shorter, longer), with the claim file where the shorter is
    /// first written.
    pub fn look_alikes(&self) -> Vec<(&str, &str, &Path)> {
        if self
            .codebook
            .as_ref()
            .is_none_or(|cb| !cb.people().is_empty())
        {
            return Vec::new();
        }
        let mut seen = std::collections::HashSet::new();
        let mut names: Vec<(&str, &Path)> = Vec::new();
        // claim sets first, then codings coder by coder, as `check` gathers names
        let sets = self.files.iter().filter(|(_, f)| f.kind == Kind::Source);
        let codings = self.files.iter().filter(|(_, f)| f.kind != Kind::Source);
        for (path, file) in sets.chain(codings) {
            for u in file.uses.iter().filter(|u| u.field == Field::Person) {
                let name = self.name(u.name);
                if seen.insert(alias_key(name)) {
                    names.push((name, path));
                }
            }
        }
        let plain: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        crate::corpus::people::look_alike_names(&plain)
            .into_iter()
            .map(|(short, long)| (names[short].0, names[long].0, names[short].1))
            .collect()
    }

    /// The names claims attribute views to, each folded name once (first spelling), sorted.
    pub fn attributed_names(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        let mut names: Vec<&str> = Vec::new();
        for file in self.files.values() {
            for u in file.uses.iter().filter(|u| u.field == Field::Person) {
                let name = self.name(u.name);
                if seen.insert(alias_key(name)) {
                    names.push(name);
                }
            }
        }
        names.sort_unstable();
        names
    }
}

/// In a work without `[[person]]`, a person is a name folded (case, spacing): the number
/// that stands for one, the same for every spelling that folds to it.
fn folded_person(key: &str) -> usize {
    use std::hash::{Hash, Hasher};
    // fixed keys: the same number for the same name for as long as the server runs
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish() as usize
}

/// The coders' folders of a work (`codings/<coder>/`), sorted, each inside the corpus.
fn coder_dirs(
    dir: &Path,
    real_root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if confine(real_root, dir) == Confined::Outside {
        problems.push(outside_corpus(dir, "folder"));
        return Vec::new();
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut dirs = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.') {
            continue;
        }
        match confine(real_root, &path) {
            Confined::Outside => problems.push(outside_corpus(&path, "folder")),
            Confined::Inside(real) if real.is_dir() => dirs.push((name, path)),
            _ => {}
        }
    }
    dirs.sort();
    dirs
}

/// Where a claim file names scenes, readings and people: read by the loader's claim-set
/// reader, or, for a buffer that does not parse, line by line.
pub fn extract(file: &SourceFile, encoding: Encoding) -> Found {
    let text = file.text.as_str();
    let raw = validate::read_claim_set(file);
    let scan;
    // (field, name, span), borrowed from what was read
    let mut written: Vec<(Field, &str, std::ops::Range<usize>)> = Vec::new();
    if let Some(raw) = &raw {
        for claim in raw.claim.iter().map(toml::Spanned::get_ref) {
            for (field, value) in [
                (Field::Scene, &claim.scene),
                (Field::Reading, &claim.reading),
                (Field::Person, &claim.attributed_to),
            ] {
                if let Some(v) = value {
                    written.push((field, v.get_ref(), v.span()));
                }
            }
        }
    } else {
        scan = Scan::new(text);
        for table in scan.tables.iter().filter(|t| t.name == "claim") {
            for entry in &table.entries {
                if let (Some(field), Some(v)) = (Field::of_key(&entry.key), entry.values.first()) {
                    written.push((field, &v.text, v.span.clone()));
                }
            }
        }
    }
    let lines = LineIndex::new(text);
    let mut found = Found::default();
    let mut local: FxHashMap<&str, u32> = FxHashMap::default();
    for (field, name, span) in written {
        let id = *local.entry(name).or_insert_with(|| {
            found.names.push(name.to_string());
            (found.names.len() - 1) as u32
        });
        let range = lines.range(text, inner(text, span), encoding);
        found.uses.push(Use::new(field, id, range));
    }
    found
}

/// A string token's span without its quotes (a lexical span is already without them).
fn inner(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let token = text.get(span.clone()).unwrap_or("");
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if token.len() >= 2 * q.len() && token.starts_with(q) && token.ends_with(q) {
            return span.start + q.len()..span.end - q.len();
        }
    }
    span
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_use_stays_small() {
        // a corpus holds a few per claim: they are most of what the index holds
        assert!(
            std::mem::size_of::<Use>() <= 20,
            "{}",
            std::mem::size_of::<Use>()
        );
    }

    #[test]
    fn names_are_found_once_per_file_with_their_places() {
        let file = SourceFile::new(
            "w/sources/a.toml".into(),
            "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\"\nreading = 'r'\n\n[[claim]]\nscene = \"s\"\nreading = \"😀\"\nattributed_to = \"\"\"Baker\"\"\"\n",
        );
        let found = extract(&file, Encoding::Utf16);
        assert_eq!(found.names, ["s", "r", "😀", "Baker"]);
        let places: Vec<(u32, u32, u32, u32)> = found
            .uses
            .iter()
            .map(|u| (u.name, u.line, u.start, u.end))
            .collect();
        assert_eq!(
            places,
            [
                (0, 4, 9, 10),
                (1, 5, 11, 12),
                (0, 8, 9, 10),
                (2, 9, 11, 13),
                (3, 10, 19, 24)
            ]
        );
        // a buffer that does not parse is read line by line
        let broken = SourceFile::new(
            "w/sources/a.toml".into(),
            "[[claim]]\nscene = \"s\nreading = \"r\"\n",
        );
        assert_eq!(extract(&broken, Encoding::Utf16).names, ["s", "r"]);
    }
}

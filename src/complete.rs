//! Shell completion of the corpus's ids: sources, scenes, readings, people and works, read
//! from the corpus the command line names (`--corpus`, else `$PARALLAX_CORPUS`, else the
//! nearest corpus from the current folder upward, as [`crate::discover`] finds it) while the
//! user presses Tab.
//!
//! The shell calls `COMPLETE=<shell> parallax -- <the words typed so far>` (clap_complete's
//! dynamic completion); these functions read the words from the process's arguments to
//! find the corpus and the work, and read as little as they can: file names for sources,
//! `work.toml` alone for scenes, readings and people, never a claim file's content unless
//! the work declares no people.
//!
//! A corpus may be hostile, and Tab must never hang the shell: every file is read through
//! the [`Gate`] as the loader reads it (no link leading out of the corpus, no FIFO or
//! device, at most [`MAX_FILE_BYTES`] a file and [`MAX_TOTAL_BYTES`] in all), and a
//! candidate that holds a control or invisible character is left out (help text is shown
//! sanitised), so nothing from the corpus reaches the shell raw.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use std::cell::Cell;

use clap_complete::engine::CompletionCandidate;

use crate::corpus::model::SourceKind;
use crate::gate::{Gate, Kind};
use crate::render::{Breaks, sanitize_with};

/// The largest file completion reads: a `work.toml` or a claim file is far smaller.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// What completion reads in all, whatever the corpus holds.
pub const MAX_TOTAL_BYTES: u64 = 32 << 20;

/// A candidate from the corpus, if its value is safe to give the shell: one that would
/// show differently on a terminal (a control, an invisible character) is left out.
fn candidate(value: String, help: Option<&str>) -> Option<CompletionCandidate> {
    if sanitize_with(&value, Breaks::Show) != value || value.is_empty() {
        return None;
    }
    let help = help.map(|h| sanitize_with(h, Breaks::Show).into());
    Some(CompletionCandidate::new(value).help(help))
}

/// Reads the corpus's files through its gate, within a budget of bytes.
struct Reader {
    gate: Option<Gate>,
    left: Cell<u64>,
}

impl Reader {
    fn new(root: &Path) -> Reader {
        Reader {
            gate: Gate::new(root).ok(),
            left: Cell::new(MAX_TOTAL_BYTES),
        }
    }

    /// A file's text, if the gate lets it through and the budget holds it.
    fn read(&self, path: &Path) -> Option<String> {
        let gate = self.gate.as_ref()?;
        let limit = MAX_FILE_BYTES.min(self.left.get());
        let bytes = gate.read(path, limit).ok()?;
        self.left.set(self.left.get() - bytes.len() as u64);
        String::from_utf8(bytes).ok()
    }

    /// The names of the entries of a folder inside that are `kind`, not hidden.
    fn names(&self, dir: &Path, kind: Kind) -> Vec<String> {
        let Some(entries) = self.gate.as_ref().and_then(|g| g.list(dir).ok()) else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter(|e| matches!(e.found, Ok((k, _)) if k == kind))
            .map(|e| e.name.to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect()
    }
}

/// Where the command line being completed points: its corpus, its work, and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub root: PathBuf,
    pub work: Option<String>,
    pub words: Vec<String>,
}

impl Context {
    /// The context of this process: the words after `--` (as the shell passes them).
    pub fn current() -> Context {
        Context::from_args(std::env::args_os(), std::env::var_os("PARALLAX_CORPUS"))
    }

    /// The context of a command line. `args` is the completer's own command line; the words
    /// being completed follow its first `--`.
    pub fn from_args(
        args: impl IntoIterator<Item = OsString>,
        env_corpus: Option<OsString>,
    ) -> Context {
        let args: Vec<String> = args
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let words: Vec<String> = match args.iter().position(|a| a == "--") {
            Some(i) => args[i + 1..].to_vec(),
            None => args,
        };
        let option = |name: &str| -> Option<String> {
            let flag = format!("--{name}");
            let with_eq = format!("--{name}=");
            let mut found = None;
            for (i, w) in words.iter().enumerate() {
                if *w == flag {
                    found = words.get(i + 1).cloned();
                } else if let Some(v) = w.strip_prefix(&with_eq) {
                    found = Some(v.to_string());
                }
            }
            found.filter(|v| !v.is_empty())
        };
        // as the command will find it: the flag, the variable, else from here upward
        let flag = option("corpus").map(PathBuf::from);
        let env = env_corpus.map(PathBuf::from);
        let cwd = std::env::current_dir().unwrap_or_default();
        let found = crate::discover::locate(flag.as_deref(), env.as_deref(), &cwd);
        Context {
            root: found.root,
            work: option("work").or(found.work),
            words,
        }
    }

    /// The work folders to look in: `--work`, or every work of the corpus.
    fn work_dirs(&self, reader: &Reader) -> Vec<PathBuf> {
        if let Some(w) = &self.work {
            return vec![self.root.join(w)];
        }
        work_names(reader, &self.root)
            .into_iter()
            .map(|n| self.root.join(n))
            .collect()
    }

    pub fn works(&self) -> Vec<CompletionCandidate> {
        let reader = Reader::new(&self.root);
        work_names(&reader, &self.root)
            .into_iter()
            .filter_map(|n| candidate(n, None))
            .collect()
    }

    pub fn sources(&self) -> Vec<CompletionCandidate> {
        let reader = Reader::new(&self.root);
        let mut ids: Vec<String> = self
            .work_dirs(&reader)
            .iter()
            .flat_map(|d| source_ids(&reader, &d.join("sources")))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().filter_map(|n| candidate(n, None)).collect()
    }

    /// The coders of the work: the folders of its `codings/`.
    pub fn coders(&self) -> Vec<CompletionCandidate> {
        let reader = Reader::new(&self.root);
        let mut ids: Vec<String> = self
            .work_dirs(&reader)
            .iter()
            .flat_map(|d| reader.names(&d.join("codings"), Kind::Folder))
            .filter(|name| crate::corpus::model::is_kebab(name))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().filter_map(|n| candidate(n, None)).collect()
    }

    pub fn scenes(&self) -> Vec<CompletionCandidate> {
        self.codebook("scene", "title")
    }

    pub fn readings(&self) -> Vec<CompletionCandidate> {
        self.codebook("reading", "label")
    }

    /// `own`, `all`, and the people: the registry's ids and names, or, in a work without
    /// one, the names the claims attribute views to.
    pub fn voices(&self) -> Vec<CompletionCandidate> {
        let mut out = vec![
            CompletionCandidate::new("own").help(Some("the source's own claims".into())),
            CompletionCandidate::new("all").help(Some("every claim, whoever's view".into())),
        ];
        let reader = Reader::new(&self.root);
        let mut names: Vec<String> = Vec::new();
        for dir in self.work_dirs(&reader) {
            let people = people_of(&reader, &dir);
            if people.is_empty() {
                names.extend(attributed_names(&reader, &dir.join("sources")));
            } else {
                for (id, name) in people {
                    names.push(id);
                    names.extend(name);
                }
            }
        }
        names.sort();
        names.dedup();
        out.extend(names.into_iter().filter_map(|n| candidate(n, None)));
        out
    }

    /// The people a `--person` may name: the voices less `own` and `all`.
    pub fn persons(&self) -> Vec<CompletionCandidate> {
        self.voices().into_iter().skip(2).collect()
    }

    /// The people of the registries: ids, with the name as help.
    pub fn people(&self) -> Vec<CompletionCandidate> {
        let reader = Reader::new(&self.root);
        let mut out: Vec<CompletionCandidate> = self
            .work_dirs(&reader)
            .iter()
            .flat_map(|d| people_of(&reader, d))
            .filter_map(|(id, name)| candidate(id, name.as_deref()))
            .collect();
        out.sort_by(|a, b| a.get_value().cmp(b.get_value()));
        out.dedup_by(|a, b| a.get_value() == b.get_value());
        out
    }

    pub fn kinds(&self) -> Vec<CompletionCandidate> {
        SourceKind::ALL
            .iter()
            .map(|k| CompletionCandidate::new(k.name()))
            .collect()
    }

    /// The ids `rename KIND OLD` and `merge reading FROM INTO` can take: the kind is the
    /// word after `rename` (or `merge`).
    pub fn renamable(&self) -> Vec<CompletionCandidate> {
        let kind = self
            .words
            .iter()
            .position(|w| w == "rename" || w == "merge")
            .and_then(|i| self.words.get(i + 1));
        match kind.map(String::as_str) {
            Some("scene") => self.scenes(),
            Some("reading") => self.readings(),
            Some("source") => self.sources(),
            Some("person") => self.people(),
            _ => Vec::new(),
        }
    }

    /// Ids of `[[scene]]` or `[[reading]]` tables, with their title or label as help.
    fn codebook(&self, table: &str, shown: &str) -> Vec<CompletionCandidate> {
        let reader = Reader::new(&self.root);
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<CompletionCandidate> = Vec::new();
        for dir in self.work_dirs(&reader) {
            let Some(doc) = work_toml(&reader, &dir) else {
                continue;
            };
            for entry in tables(&doc, table) {
                let Some(id) = entry.get("id").and_then(toml::Value::as_str) else {
                    continue;
                };
                if !seen.insert(id.to_string()) {
                    continue;
                }
                let help = entry.get(shown).and_then(toml::Value::as_str);
                out.extend(candidate(id.to_string(), help));
            }
        }
        out
    }
}

/// The people of a work's registry: ids and names.
fn people_of(reader: &Reader, dir: &Path) -> Vec<(String, Option<String>)> {
    let Some(doc) = work_toml(reader, dir) else {
        return Vec::new();
    };
    tables(&doc, "person")
        .filter_map(|p| {
            let id = p.get("id")?.as_str()?.to_string();
            let name = p
                .get("name")
                .and_then(toml::Value::as_str)
                .map(str::to_string);
            Some((id, name))
        })
        .collect()
}

fn work_names(reader: &Reader, root: &Path) -> Vec<String> {
    let mut names = reader.names(root, Kind::Folder);
    names.sort();
    names
}

fn source_ids(reader: &Reader, dir: &Path) -> Vec<String> {
    reader
        .names(dir, Kind::File)
        .into_iter()
        .filter_map(|name| {
            let id = name.strip_suffix(".toml")?;
            (!id.is_empty()).then(|| id.to_string())
        })
        .collect()
}

/// `work.toml` as a plain table: a file with problems still gives the ids it has.
fn work_toml(reader: &Reader, dir: &Path) -> Option<toml::Table> {
    let text = reader.read(&dir.join("work.toml"))?;
    toml::from_str(text.trim_start_matches('\u{FEFF}')).ok()
}

fn tables<'a>(doc: &'a toml::Table, key: &str) -> impl Iterator<Item = &'a toml::Table> {
    doc.get(key)
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
}

/// The `attributed_to` names of a work's claims, read line by line (no TOML parse): only
/// for works without a registry.
fn attributed_names(reader: &Reader, dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for id in source_ids(reader, dir) {
        let Some(text) = reader.read(&dir.join(format!("{id}.toml"))) else {
            continue;
        };
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("attributed_to") else {
                continue;
            };
            let Some(value) = rest.trim_start().strip_prefix('=') else {
                continue;
            };
            // the value alone, as TOML (a comment after it is fine)
            let parsed = toml::from_str::<toml::Table>(&format!("v = {}", value.trim()));
            if let Some(name) = parsed.ok().as_ref().and_then(|t| t.get("v")?.as_str()) {
                names.push(name.to_string());
            }
        }
    }
    names
}

/// The candidates of this process's command line (what the `add = …` attributes call).
macro_rules! candidates {
    ($($name:ident),*) => {$(
        pub fn $name() -> Vec<CompletionCandidate> {
            Context::current().$name()
        }
    )*};
}

/// Completers for `#[arg(add = ArgValueCandidates::new(…))]`.
pub mod from_args {
    use super::{CompletionCandidate, Context};
    candidates!(
        works, sources, coders, scenes, readings, voices, persons, people, kinds, renamable
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(words: &[&str]) -> Context {
        let args = ["parallax", "--"].iter().chain(words).map(OsString::from);
        Context::from_args(args, None)
    }

    #[test]
    fn the_corpus_comes_from_the_words_then_the_environment() {
        assert_eq!(
            ctx(&["parallax", "--corpus", "c", "compare"]).root,
            Path::new("c")
        );
        assert_eq!(
            ctx(&["parallax", "--corpus=d", "--work", "w"]).root,
            Path::new("d")
        );
        assert_eq!(ctx(&["parallax", "--work", "w"]).work.as_deref(), Some("w"));
        let env = Context::from_args(
            ["parallax", "--", "parallax"].map(OsString::from),
            Some("e".into()),
        );
        assert_eq!(env.root, Path::new("e"));
        assert_eq!(ctx(&["parallax"]).root, Path::new("interpretations"));
    }

    #[test]
    fn ids_come_from_the_corpus() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ok/base");
        let c = ctx(&["parallax", "--corpus", root, "compare"]);
        let values = |v: Vec<CompletionCandidate>| -> Vec<String> {
            v.iter()
                .map(|c| c.get_value().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(values(c.sources()), ["alpha", "beta"]);
        assert_eq!(values(c.scenes()), ["opening", "finale"]);
        assert_eq!(values(c.readings()), ["hope", "despair"]);
        assert_eq!(values(c.works()), ["tiny"]);
        let r = ctx(&["parallax", "--corpus", root, "rename", "reading", ""]);
        assert_eq!(values(r.renamable()), ["hope", "despair"]);
    }
}

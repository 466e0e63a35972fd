//! From the files as written (`raw`) to the validated model: required fields, ids, aliases,
//! references from claims to the codebook, duplicates. Each function returns every problem
//! it finds, so one run of `parallax check` shows them all.
//!
//! `work` validates `work.toml` into a [`Codebook`], `source` validates a claim set against
//! it, and `errors` turns what the TOML parser and serde report into diagnostics.

mod coding;
mod errors;
mod events;
mod recover;
mod source;
mod work;

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use toml::Spanned;

use super::model::{Source, Work, alias_key, is_kebab, to_kebab};
use super::people::{self, Registry};
use crate::diagnostic::{Diagnostic, SourceFile};

pub use coding::{Coding, RESERVED_CODERS, check_coder_name, coding_file};
pub use events::agrees_with_serde;
pub use source::{is_plain_file_name, partial_date, source_file};
pub use work::work_file;
pub(super) use work::{Names, aliases};

/// A validated `work.toml`: the work without its sources yet, and the file, for warnings
/// that point into it.
#[derive(Debug)]
pub struct Codebook {
    work: Work,
    file: SourceFile,
    registry: Registry,
    /// which claims the endorse-and-reject warning weighs together (`check --voice`)
    pub warn_voice: WarnVoice,
    scene_lookup: HashMap<String, usize>,
    reading_lookup: HashMap<String, usize>,
    scene_spans: Vec<Range<usize>>,
    reading_spans: Vec<Range<usize>>,
    /// the work's `sources/` folder, which every source of the work shares
    sources_folder: Arc<PathBuf>,
}

/// Which claims of a source the endorse-and-reject and excluding-readings warnings weigh
/// together (docs/rules.md#voices, `check --voice`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum WarnVoice {
    /// each voice on its own: the source's own claims, and each reported person's
    #[default]
    PerVoice,
    /// every claim together, whoever's voice it is in
    All,
    /// only the claims attributed to this name (folded, or resolved by the registry)
    Person(String),
}

impl Codebook {
    /// The work with its sources and its coders' codings, and what assembling them finds:
    /// first, what holds whatever else is wrong with the corpus (a coding of a source with no
    /// metadata anywhere, an error of docs/rules.md#reliability; a coding whose metadata differs from its
    /// source's); then warnings that are true only of a corpus read whole (scenes and
    /// readings no claim set uses and, without a registry, names that look like one person).
    pub fn into_work(
        self,
        mut sources: Vec<Source>,
        codings: Vec<(String, Vec<Coding>)>,
    ) -> (Work, Vec<Diagnostic>, Vec<Diagnostic>) {
        // ids are unique, so an unstable sort is the same and needs no scratch buffer
        sources.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let (mut coders, found) = coding::coders(&sources, codings);
        let mut diags = Vec::new();
        let mut work = self.work;
        if self.registry.is_empty() {
            let all = sources
                .iter_mut()
                .chain(coders.iter_mut().flat_map(|c| c.codings.iter_mut()));
            let (people, look_alikes) = people::gather(all);
            work.people = people;
            diags.extend(look_alikes);
        } else {
            work.people = self.registry.people;
            work.registry = true;
        }
        work.sources = sources;
        work.coders = coders;
        let mut read = vec![false; work.scenes.len()];
        let mut used = vec![false; work.readings.len()];
        for claim in work.claim_sets().flat_map(|s| &s.claims) {
            read[claim.scene()] = true;
            used[claim.reading()] = true;
        }
        diags.extend(coverage(
            &self.file,
            &work,
            &self.scene_spans,
            &self.reading_spans,
            &read,
            &used,
        ));
        (work, found, diags)
    }

    /// The work as `work.toml` defines it, without sources.
    pub fn work(&self) -> &Work {
        &self.work
    }

    /// The scene a claim's `scene` value names (an id, or an alias ignoring case and spacing).
    pub fn scene_index(&self, name: &str) -> Option<usize> {
        lookup(&self.scene_lookup, name)
    }

    /// The reading a claim's `reading` value (or an `excludes` entry) names.
    pub fn reading_index(&self, name: &str) -> Option<usize> {
        lookup(&self.reading_lookup, name)
    }

    /// The declared person (`[[person]]`) a claim's `attributed_to` names; `None` without a
    /// registry or for an unknown name.
    pub fn person_index(&self, name: &str) -> Option<usize> {
        self.registry.index(name)
    }

    /// The people `work.toml` declares (empty without a registry).
    pub fn people(&self) -> &[crate::corpus::model::Person] {
        &self.registry.people
    }

    /// The warnings about scenes no claim reads and readings no claim takes, given which
    /// scenes are read and which readings used (indexed as the work's): for a caller that
    /// knows the claims without holding them as sources (the language server's index).
    pub fn coverage(&self, read: &[bool], used: &[bool]) -> Vec<Diagnostic> {
        coverage(
            &self.file,
            &self.work,
            &self.scene_spans,
            &self.reading_spans,
            read,
            used,
        )
    }
}

/// "no source reads scene", "no source uses reading", at the entries' ids.
fn coverage(
    file: &SourceFile,
    work: &Work,
    scene_spans: &[Range<usize>],
    reading_spans: &[Range<usize>],
    read: &[bool],
    used: &[bool],
) -> Vec<Diagnostic> {
    let unread = |i: &usize| !read.get(*i).copied().unwrap_or(false);
    let unused = |i: &usize| !used.get(*i).copied().unwrap_or(false);
    let mut warnings = Vec::new();
    for (i, scene) in work.scenes.iter().enumerate().filter(|(i, _)| unread(i)) {
        warnings.push(
            file.warning(
                format!("no source reads scene \"{}\"", scene.id),
                scene_spans[i].clone(),
            )
            .with_label("no claim names this scene"),
        );
    }
    for (i, reading) in work.readings.iter().enumerate().filter(|(i, _)| unused(i)) {
        warnings.push(
            file.warning(
                format!("no source uses reading \"{}\"", reading.id),
                reading_spans[i].clone(),
            )
            .with_label("no claim takes this reading"),
        );
    }
    warnings
}

/// A claim set's fields as written, with the span of every value, read by the loader's own
/// reader (the fast path for the common shape, else table by table, leaving out what it
/// cannot read); `None` on a TOML syntax error. What an index of the corpus reads without
/// validating.
pub fn read_claim_set(file: &SourceFile) -> Option<crate::corpus::raw::SourceFile> {
    recover::read::<crate::corpus::raw::SourceFile>(file)
        .ok()
        .map(|r| r.value)
}

/// The field names a table of a corpus file takes, as the loader's types declare them:
/// `table` is `source`, `claim`, `work`, `scene`, `reading` or `person`.
pub fn field_names(table: &str) -> &'static [&'static str] {
    use crate::corpus::raw;
    match table {
        "source" => recover::fields_of::<raw::SourceMeta>(),
        "claim" => recover::fields_of::<raw::ClaimDef>(),
        "work" => recover::fields_of::<raw::WorkMeta>(),
        "scene" => recover::fields_of::<raw::SceneDef>(),
        "reading" => recover::fields_of::<raw::ReadingDef>(),
        "person" => recover::fields_of::<raw::PersonDef>(),
        _ => &[],
    }
}

/// The text of a required string field, or an error at `parent` saying it is missing.
pub(super) fn required<'a>(
    file: &SourceFile,
    field: &'a Option<Spanned<String>>,
    name: &str,
    table: &str,
    parent: Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'a Spanned<String>> {
    match field {
        Some(v) if is_placeholder(v.get_ref()) => {
            errors.push(placeholder_error(file, v, name, table));
            None
        }
        Some(v) if !v.get_ref().trim().is_empty() => Some(v),
        Some(v) => {
            errors.push(
                file.error(format!("`{name}` in {table} is empty"), v.span())
                    .with_help(format!("give {table} a non-empty `{name}`")),
            );
            None
        }
        None => {
            errors.push(
                file.error(
                    format!("missing field `{name}` in {table}"),
                    header_span(file, parent),
                )
                .with_label(format!("this {table} has no `{name}`"))
                .with_help(format!("add `{name} = \"…\"` to the table")),
            );
            None
        }
    }
}

/// Whether a value is still the "…" that `parallax new` writes where a value is needed.
pub(super) fn is_placeholder(value: &str) -> bool {
    matches!(value.trim(), "…" | "...")
}

/// The error for a value left as the placeholder "…".
pub(super) fn placeholder_error(
    file: &SourceFile,
    value: &Spanned<String>,
    name: &str,
    table: &str,
) -> Diagnostic {
    file.error(
        format!("`{name}` in {table} is still the placeholder \"…\""),
        value.span(),
    )
    .with_label("fill this in")
    .with_help(format!(
        "write the {name} here (a template from `parallax new` has \"…\" where a value is needed)"
    ))
}

/// The span of a table's first line, so a "missing field" caret sits on its header.
fn header_span(file: &SourceFile, span: Range<usize>) -> Range<usize> {
    // from the file's line index: a claim on a line of megabytes costs no scan of the line
    let start = span.start.min(file.text.len());
    let mut end = file.line_end(start);
    if end > start && file.text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    start..end
}

pub(super) fn check_id(
    file: &SourceFile,
    id: &Spanned<String>,
    what: &str,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    if is_kebab(id.get_ref()) {
        return true;
    }
    errors.push(
        file.error(
            format!("{what} id \"{}\" is not lowercase kebab-case", id.get_ref()),
            id.span(),
        )
        .with_label("not [a-z0-9]+(-[a-z0-9]+)*")
        .with_help(format!("write it as \"{}\"", to_kebab(id.get_ref()))),
    );
    false
}

/// A field's text, trimmed; `None` when it is absent or blank.
fn opt_str(v: Option<&Spanned<String>>) -> Option<&str> {
    v.map(|s| s.get_ref().trim()).filter(|s| !s.is_empty())
}

/// A scene or reading by id, or by alias ignoring case and spacing.
fn lookup(map: &HashMap<String, usize>, name: &str) -> Option<usize> {
    map.get(name).or_else(|| map.get(&alias_key(name))).copied()
}

//! `rename scene|reading|source|person OLD NEW` and `merge reading FROM INTO`: an id
//! changed in every file of a work that names it, validated in memory before anything is
//! written.
//!
//! A claim that names a scene or reading by an alias keeps the alias (it still resolves);
//! a claim that names it by its id gets the new id. With `--keep-alias` the old id stays
//! a name of the scene, reading or person, so text written elsewhere keeps working.

use std::collections::HashSet;
use std::path::Path;

use super::doc::{self, Doc};
use super::{FileChange, Plan, Text, WorkFiles, check_new_id};
use crate::corpus::Work;
use crate::corpus::model::alias_key;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// What a rename changes the id of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Scene,
    Reading,
    Source,
    Person,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Scene => "scene",
            Target::Reading => "reading",
            Target::Source => "source",
            Target::Person => "person",
        }
    }

    /// The claim field that names it.
    fn claim_field(self) -> Option<&'static str> {
        match self {
            Target::Scene => Some("scene"),
            Target::Reading => Some("reading"),
            Target::Person => Some("attributed_to"),
            Target::Source => None,
        }
    }
}

/// A rename asked for on the command line.
#[derive(Debug, Clone)]
pub struct Rename {
    pub target: Target,
    pub old: String,
    pub new: String,
    pub keep_alias: bool,
}

/// Plans a rename: every file of the work that names `old`, with `new` instead.
pub fn rename(root: &Path, work: Option<&str>, r: &Rename) -> Result<Plan, Vec<Diagnostic>> {
    rename_files(WorkFiles::read(root, work)?, r)
}

/// [`rename`] of a work whose files the caller holds (as read, or the language server's
/// buffers over the files on disk): the plan's changes carry each file's new text.
pub(crate) fn rename_files(files: WorkFiles, r: &Rename) -> Result<Plan, Vec<Diagnostic>> {
    let (files, model) = open(files)?;
    let what = r.target.name();
    check_new_id(&r.new, what).map_err(|d| vec![d])?;
    if r.old == r.new {
        return Err(vec![Diagnostic::error(format!(
            "{what} \"{}\" already has that id: nothing to do",
            r.old
        ))]);
    }
    if r.target == Target::Source {
        return rename_source(&files, &model, r);
    }
    check_rename(&model, r).map_err(|d| vec![d])?;

    let mut work_doc = Doc::parse(&files.work).map_err(|d| vec![d])?;
    let table = what;
    for entry in work_doc.entries_mut(table) {
        if doc::replace_str(entry, "id", &r.old, &r.new) && r.keep_alias {
            doc::append_strings(entry, "aliases", std::slice::from_ref(&r.old));
        }
    }
    if r.target == Target::Reading {
        for entry in work_doc.entries_mut("reading") {
            doc::replace_in_array(entry, "excludes", &r.old, &r.new);
        }
    }
    let field = r.target.claim_field().unwrap_or_default();
    let mut sources = Vec::with_capacity(files.sources.len());
    for text in &files.sources {
        let mut d = Doc::parse(text).map_err(|d| vec![d])?;
        for claim in d.entries_mut("claim") {
            doc::replace_str(claim, field, &r.old, &r.new);
        }
        sources.push((text, d.render(text)));
    }
    let mut summary = format!("renamed {what} \"{}\" to \"{}\"", r.old, r.new);
    if r.keep_alias {
        summary.push_str(&format!(" (\"{}\" stays an alias)", r.old));
    }
    finish(
        &files,
        (&files.work, work_doc.render(&files.work)),
        sources,
        summary,
    )
}

/// Plans `merge reading FROM INTO`: FROM's claims point at INTO, FROM's table goes, its
/// `excludes` join INTO's, and claims that become equal in every field are kept once.
pub fn merge_reading(
    root: &Path,
    work: Option<&str>,
    from: &str,
    into: &str,
    keep_alias: bool,
) -> Result<Plan, Vec<Diagnostic>> {
    merge_reading_in(WorkFiles::read(root, work)?, from, into, keep_alias)
}

/// [`merge_reading`] of the work's files as read.
pub(crate) fn merge_reading_in(
    files: WorkFiles,
    from: &str,
    into: &str,
    keep_alias: bool,
) -> Result<Plan, Vec<Diagnostic>> {
    let (files, model) = open(files)?;
    let f = reading_by_id(&model, from).map_err(|d| vec![d])?;
    let t = reading_by_id(&model, into).map_err(|d| vec![d])?;
    if f == t {
        return Err(vec![Diagnostic::error(format!(
            "cannot merge reading \"{from}\" into itself"
        ))]);
    }
    let work_doc = merge_codebook(&files, &model, f, t, keep_alias)?;

    let mut moved = 0;
    let mut removed = 0;
    let mut sources = Vec::with_capacity(files.sources.len());
    for text in &files.sources {
        let Some(source) = model.sources.iter().find(|s| s.path() == text.path) else {
            sources.push((text, None));
            continue;
        };
        let mut d = Doc::parse(text).map_err(|d| vec![d])?;
        // the claims of the file are the validated claims, in the same order
        for (claim, entry) in source.claims.iter().zip(d.entries_mut("claim")) {
            let written = doc::get_str(entry, "reading")
                .unwrap_or_default()
                .to_string();
            if claim.reading() == f && (written == from || !keep_alias) {
                doc::replace_str(entry, "reading", &written, into);
            }
            moved += usize::from(claim.reading() == f);
        }
        let mut seen = HashSet::new();
        let duplicates: Vec<usize> = (source.claims.iter().enumerate())
            .filter(|(_, c)| {
                let reading = if c.reading() == f { t } else { c.reading() };
                !seen.insert((c.scene(), reading, c.stance, &c.texts))
            })
            .map(|(i, _)| i)
            .collect();
        for &i in duplicates.iter().rev() {
            d.remove_entry("claim", i);
        }
        removed += duplicates.len();
        sources.push((text, d.render(text)));
    }
    let mut summary = format!(
        "merged reading \"{from}\" into \"{into}\": {moved} claim{} moved",
        if moved == 1 { "" } else { "s" }
    );
    if removed > 0 {
        summary.push_str(&format!(
            ", {removed} that became duplicates removed (one of each is kept)"
        ));
    }
    if keep_alias {
        summary.push_str(&format!("; \"{from}\" is now an alias of \"{into}\""));
    }
    let rendered = work_doc.render(&files.work);
    finish(&files, (&files.work, rendered), sources, summary)
}

/// work.toml after a merge: FROM's table removed, its excludes (and with `keep_alias`
/// its id and aliases) given to INTO, and every `excludes` entry naming FROM naming INTO.
fn merge_codebook(
    files: &WorkFiles,
    model: &Work,
    f: usize,
    t: usize,
    keep_alias: bool,
) -> Result<Doc, Vec<Diagnostic>> {
    let from = &model.readings[f];
    let into = &model.readings[t];
    let mut d = Doc::parse(&files.work).map_err(|d| vec![d])?;
    let mut from_index = None;
    let mut from_excludes = Vec::new();
    for (i, entry) in d.entries_mut("reading").into_iter().enumerate() {
        if doc::get_str(entry, "id") == Some(from.id.as_str()) {
            from_index = Some(i);
            from_excludes = doc::strings(entry, "excludes");
        }
    }
    let mut to_add: Vec<String> = Vec::new();
    for name in &from_excludes {
        if let Some(r) = model.reading_index(name).filter(|r| *r != f && *r != t) {
            let id = model.readings[r].id.clone();
            if !to_add.contains(&id) {
                to_add.push(id);
            }
        }
    }
    for entry in d.entries_mut("reading") {
        let me = doc::get_str(entry, "id").and_then(|id| model.reading_index(id));
        if me == Some(f) {
            continue;
        }
        let names = doc::strings(entry, "excludes");
        let mut kept: Vec<String> = Vec::new();
        let mut changed = false;
        for name in names {
            let points = model.reading_index(&name);
            let target = if points == Some(f) { Some(t) } else { points };
            // a reading that would exclude itself, or twice the same, drops the entry
            let already = kept.iter().any(|k| model.reading_index(k) == target);
            if target == me || already {
                changed = true;
            } else if points == Some(f) && !(keep_alias && name != from.id) {
                kept.push(into.id.clone());
                changed = true;
            } else {
                kept.push(name);
            }
        }
        if me == Some(t) {
            for id in &to_add {
                if !kept
                    .iter()
                    .any(|k| model.reading_index(k) == model.reading_index(id))
                {
                    kept.push(id.clone());
                    changed = true;
                }
            }
            if keep_alias {
                let own: Vec<String> = std::iter::once(into.id.clone())
                    .chain(into.aliases.iter().cloned())
                    .map(|a| alias_key(&a))
                    .collect();
                let names: Vec<String> = std::iter::once(from.id.clone())
                    .chain(from.aliases.iter().cloned())
                    .filter(|a| !own.contains(&alias_key(a)))
                    .collect();
                doc::append_strings(entry, "aliases", &names);
            }
        }
        if changed {
            set_excludes(entry, &kept);
        }
    }
    if let Some(i) = from_index {
        d.remove_entry("reading", i);
    }
    Ok(d)
}

/// Rewrites an `excludes` list: its entries replaced in place where they can be (so their
/// layout stays), removed or appended where the count changes.
fn set_excludes(entry: &mut dyn toml_edit::TableLike, names: &[String]) {
    let Some(array) = doc::array_mut(entry, "excludes") else {
        doc::append_strings(entry, "excludes", names);
        return;
    };
    while array.len() > names.len() {
        array.remove(array.len() - 1);
    }
    for (i, name) in names.iter().enumerate() {
        match array.get_mut(i) {
            Some(v) if v.as_str() == Some(name.as_str()) => {}
            Some(v) => doc::set_str(v, name),
            None => array.push(name.as_str()),
        }
    }
}

/// Renaming a source is renaming its file.
fn rename_source(files: &WorkFiles, model: &Work, r: &Rename) -> Result<Plan, Vec<Diagnostic>> {
    if r.keep_alias {
        return Err(vec![
            Diagnostic::error("--keep-alias: a source has no aliases")
                .with_help("leave out --keep-alias; a source's id is its file name"),
        ]);
    }
    let Some(text) = files
        .sources
        .iter()
        .find(|t| t.path.file_stem().is_some_and(|s| s == r.old.as_str()))
    else {
        let names: Vec<&str> = model.sources.iter().map(|s| s.id.as_str()).collect();
        return Err(vec![
            Diagnostic::error(format!(
                "unknown source \"{}\" in work \"{}\"",
                r.old, files.id
            ))
            .with_help(did_you_mean(&r.old, &names, "source")),
        ]);
    };
    let target = files.dir.join("sources").join(format!("{}.toml", r.new));
    if target.exists() || std::fs::symlink_metadata(&target).is_ok() {
        return Err(vec![
            Diagnostic::error(format!("{} already exists", target.display()))
                .at_path(&target)
                .with_help("choose another id, or merge the two claim sets by hand"),
        ]);
    }
    let mut moved = text.clone();
    moved.path = target.clone();
    let others: Vec<Text> = files
        .sources
        .iter()
        .filter(|t| t.path != text.path)
        .cloned()
        .chain(std::iter::once(moved))
        .collect();
    validate(files, &files.work, &others)?;
    let old = text.with_bom(&text.body);
    Ok(Plan {
        root: files.root.clone(),
        work_dir: Some(files.dir.clone()),
        notes: files.notes.clone(),
        create_dirs: Vec::new(),
        changes: vec![
            FileChange {
                path: text.path.clone(),
                old: Some(old.clone()),
                new: None,
            },
            FileChange {
                path: target.clone(),
                old: None,
                new: Some(old),
            },
        ],
        summary: format!(
            "renamed source \"{}\" to \"{}\": {} → {}",
            r.old,
            r.new,
            text.path.display(),
            target.display()
        ),
    })
}

/// Whether [`rename_files`] would rename `old` at all, whatever the new id: the work is
/// valid and `old` is the id (not an alias) of a scene, reading or person. What an editor
/// asks before it asks for the new id.
pub(crate) fn prepare(files: &WorkFiles, target: Target, old: &str) -> Result<(), Vec<Diagnostic>> {
    let model = validated(files)?;
    let items = namespace(&model, target).map_err(|d| vec![d])?;
    find_old(&model, &items, target, old, None)
        .map(|_| ())
        .map_err(|d| vec![d])
}

/// Reads the work and validates it as it is: an edit starts from a valid corpus.
fn open(files: WorkFiles) -> Result<(WorkFiles, Work), Vec<Diagnostic>> {
    let model = validated(&files)?;
    Ok((files, model))
}

/// The work the files make, when it is valid; its errors otherwise.
fn validated(files: &WorkFiles) -> Result<Work, Vec<Diagnostic>> {
    let mut loaded = files.validate(&files.work, &files.sources);
    if !loaded.errors.is_empty() {
        let n = loaded.errors.len();
        let mut errors = loaded.errors;
        errors.push(
            Diagnostic::error(format!(
                "nothing was changed: the work has {n} error{}; fix {} first",
                if n == 1 { "" } else { "s" },
                if n == 1 { "it" } else { "them" }
            ))
            .with_help("`parallax check` lists every problem"),
        );
        return Err(errors);
    }
    loaded.corpus.works.pop().ok_or_else(|| {
        vec![Diagnostic::error(format!(
            "cannot read work \"{}\"",
            files.id
        ))]
    })
}

/// The ids of a namespace, each with its other names (aliases; a person's name too).
fn namespace(model: &Work, target: Target) -> Result<Vec<(&str, Vec<&str>)>, Diagnostic> {
    Ok(match target {
        Target::Scene => (model.scenes.iter())
            .map(|s| (s.id.as_str(), strs(&s.aliases)))
            .collect(),
        Target::Reading => (model.readings.iter())
            .map(|r| (r.id.as_str(), strs(&r.aliases)))
            .collect(),
        Target::Person if !model.registry => {
            return Err(Diagnostic::error(format!(
                "work \"{}\" declares no [[person]]: there is no person id to rename",
                model.id
            ))
            .with_help("declare the people in work.toml ([[person]] with id and name); a claim's attributed_to is then checked against them"));
        }
        Target::Person => (model.people.iter())
            .map(|p| {
                let mut names = strs(&p.aliases);
                names.insert(0, p.name.as_str());
                (p.id.as_str(), names)
            })
            .collect(),
        Target::Source => Vec::new(),
    })
}

/// OLD names an existing scene, reading or person by its id, and NEW is not a name of
/// another one (ids and aliases alike: a claim naming NEW would become ambiguous).
fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn check_rename(model: &Work, r: &Rename) -> Result<(), Diagnostic> {
    let what = r.target.name();
    let items = namespace(model, r.target)?;
    let me = find_old(model, &items, r.target, &r.old, Some(&r.new))?;
    let key = alias_key(&r.new);
    for (_, (id, names)) in items.iter().enumerate().filter(|(i, _)| *i != me) {
        if *id == r.new || alias_key(id) == key {
            return Err(Diagnostic::error(format!(
                "cannot rename {what} \"{}\" to \"{}\": {what} \"{id}\" already has that id",
                r.old, r.new
            ))
            .with_note("nothing was changed")
            .with_help(if r.target == Target::Reading {
                format!(
                    "choose another id, or merge the two: parallax merge reading {} {id}",
                    r.old
                )
            } else {
                "choose another id".to_string()
            }));
        }
        if let Some(n) = names.iter().find(|n| alias_key(n) == key) {
            return Err(Diagnostic::error(format!(
                "cannot rename {what} \"{}\" to \"{}\": it is a name of {what} \"{id}\" (\"{n}\")",
                r.old, r.new
            ))
            .with_note("nothing was changed")
            .with_help(format!(
                "choose another id, or remove \"{n}\" from the aliases of \"{id}\" first"
            )));
        }
    }
    Ok(())
}

/// Which entry of the namespace `old` is the id of; an error when it is an alias, or no name.
fn find_old(
    model: &Work,
    items: &[(&str, Vec<&str>)],
    target: Target,
    old: &str,
    new: Option<&str>,
) -> Result<usize, Diagnostic> {
    let what = target.name();
    if let Some(me) = items.iter().position(|(id, _)| *id == old) {
        return Ok(me);
    }
    let key = alias_key(old);
    if let Some((id, _)) = items
        .iter()
        .find(|(_, names)| names.iter().any(|n| alias_key(n) == key))
    {
        return Err(Diagnostic::error(format!(
            "\"{old}\" is an alias of {what} \"{id}\", not its id"
        ))
        .with_help(format!(
            "rename the id: parallax rename {what} {id} {}",
            new.unwrap_or("NEW")
        )));
    }
    let ids: Vec<&str> = items.iter().map(|(id, _)| *id).collect();
    Err(
        Diagnostic::error(format!("unknown {what} \"{old}\" in work \"{}\"", model.id))
            .with_help(did_you_mean(old, &ids, what)),
    )
}

/// The index of the reading whose id is `id`.
fn reading_by_id(model: &Work, id: &str) -> Result<usize, Diagnostic> {
    if let Some(i) = model.readings.iter().position(|r| r.id == id) {
        return Ok(i);
    }
    let ids: Vec<&str> = model.readings.iter().map(|r| r.id.as_str()).collect();
    let help = match model.reading_index(id) {
        Some(i) => format!(
            "\"{id}\" is an alias of \"{}\": use the id",
            model.readings[i].id
        ),
        None => did_you_mean(id, &ids, "reading"),
    };
    Err(
        Diagnostic::error(format!("unknown reading \"{id}\" in work \"{}\"", model.id))
            .with_help(help),
    )
}

/// The plan from the new texts, once the corpus they make is valid.
fn finish(
    files: &WorkFiles,
    work: (&Text, Option<String>),
    sources: Vec<(&Text, Option<String>)>,
    summary: String,
) -> Result<Plan, Vec<Diagnostic>> {
    let after = |text: &Text, new: &Option<String>| -> Text {
        let mut t = text.clone();
        if let Some(new) = new {
            t.body = new.strip_prefix('\u{FEFF}').unwrap_or(new).to_string();
        }
        t
    };
    let new_work = after(work.0, &work.1);
    let new_sources: Vec<Text> = sources.iter().map(|(t, n)| after(t, n)).collect();
    validate(files, &new_work, &new_sources)?;
    let changes: Vec<FileChange> = std::iter::once(work)
        .chain(sources)
        .filter_map(|(text, new)| {
            new.map(|new| FileChange {
                path: text.path.clone(),
                old: Some(text.with_bom(&text.body)),
                new: Some(new),
            })
        })
        .collect();
    let n = changes.len();
    let summary = format!(
        "{summary}: {n} file{} changed",
        if n == 1 { "" } else { "s" }
    );
    Ok(Plan {
        root: files.root.clone(),
        work_dir: Some(files.dir.clone()),
        notes: files.notes.clone(),
        create_dirs: Vec::new(),
        changes,
        summary,
    })
}

/// The corpus the new texts make must be valid; its errors otherwise.
fn validate(files: &WorkFiles, work: &Text, sources: &[Text]) -> Result<(), Vec<Diagnostic>> {
    let loaded = files.validate(work, sources);
    if loaded.errors.is_empty() {
        return Ok(());
    }
    let mut errors = loaded.errors;
    errors.push(Diagnostic::error(
        "nothing was changed: the files after this change would not be valid",
    ));
    Err(errors)
}

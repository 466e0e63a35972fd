//! `work.toml`: the work, its scenes, its readings and their `excludes`, its people; ids
//! and aliases unique in each namespace.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use toml::Spanned;

use super::recover;
use super::{Codebook, WarnVoice, check_id, required};
use crate::corpus::model::{Reading, Scene, Work, alias_key};
use crate::corpus::people::Registry;
use crate::corpus::raw;
use crate::diagnostic::{Diagnostic, SourceFile, did_you_mean};

/// Names (ids and aliases) in one namespace, to catch collisions between them.
pub(in crate::corpus) struct Names<'f> {
    file: &'f SourceFile,
    what: &'static str,
    seen: HashMap<String, (String, Range<usize>)>,
}

impl<'f> Names<'f> {
    pub(in crate::corpus) fn new(file: &'f SourceFile, what: &'static str) -> Self {
        Names {
            file,
            what,
            seen: HashMap::new(),
        }
    }

    pub(in crate::corpus) fn add(
        &mut self,
        key: String,
        shown: &str,
        span: Range<usize>,
        errors: &mut Vec<Diagnostic>,
    ) {
        if let Some((first, first_span)) = self.seen.get(&key) {
            let first_pos = self.file.pos(first_span.start);
            errors.push(
                self.file
                    .error(format!("duplicate {} name \"{shown}\"", self.what), span)
                    .with_label(format!("already used by {} \"{first}\"", self.what))
                    .with_note(format!(
                        "first used at line {}, column {}",
                        first_pos.line, first_pos.column
                    ))
                    .with_help(format!(
                        "every {} id and alias must be unique in the work (aliases ignore case)",
                        self.what
                    )),
            );
        } else {
            self.seen.insert(key, (shown.to_string(), span));
        }
    }
}

pub(in crate::corpus) fn aliases(
    file: &SourceFile,
    own_id: Option<&str>,
    list: &Option<Vec<Spanned<String>>>,
    names: &mut Names<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // the keys of `out`, so a repeated alias is found in constant time, not by a scan
    let mut own: HashSet<String> = HashSet::new();
    for alias in list.iter().flatten() {
        let key = alias_key(alias.get_ref());
        // naming a scene by its own id, or twice by one alias, is redundant, not ambiguous
        if own_id == Some(key.as_str()) || own.contains(&key) {
            continue;
        }
        if key.is_empty() {
            errors.push(
                file.error("empty alias", alias.span())
                    .with_help("remove it or give it text"),
            );
            continue;
        }
        own.insert(key.clone());
        names.add(key, alias.get_ref(), alias.span(), errors);
        out.push(alias.get_ref().trim().to_string());
    }
    out
}

/// Validates `work.toml`.
pub fn work_file(id: &str, dir: &Path, file: &SourceFile) -> (Option<Codebook>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut read = match recover::read::<raw::WorkFile>(file) {
        Ok(read) => read,
        Err(syntax) => return (None, vec![syntax]),
    };
    errors.append(&mut read.diags);
    let parsed = &read.value;
    let mut work = work_meta(id, dir, file, parsed.work.as_ref(), &mut errors);
    let (scenes, scene_spans) = scenes(file, &parsed.scene, &mut errors);
    let (mut readings, reading_spans) = readings(file, &parsed.reading, &mut errors);

    let scene_lookup = lookup_table(scenes.iter().map(|s| (s.id.as_str(), s.aliases.as_slice())));
    let reading_lookup = lookup_table(
        readings
            .iter()
            .map(|r| (r.id.as_str(), r.aliases.as_slice())),
    );
    excludes(
        file,
        &parsed.reading,
        &mut readings,
        &reading_lookup,
        &mut errors,
    );
    let registry = Registry::read(file, &parsed.person, &mut errors);
    read.drop_consequences(&mut errors);
    work.scenes = scenes;
    work.readings = readings;
    let codebook = Codebook {
        work,
        file: file.clone(),
        registry,
        warn_voice: WarnVoice::default(),
        scene_lookup,
        reading_lookup,
        scene_spans,
        reading_spans,
        sources_folder: Arc::new(dir.join("sources")),
    };
    // A codebook with errors still resolves claims, so their own problems are reported too.
    (Some(codebook), errors)
}

/// The `[work]` table: the work without scenes, readings or sources yet.
fn work_meta(
    id: &str,
    dir: &Path,
    file: &SourceFile,
    meta: Option<&Spanned<raw::WorkMeta>>,
    errors: &mut Vec<Diagnostic>,
) -> Work {
    let mut work = Work {
        id: id.to_string(),
        dir: dir.to_path_buf(),
        title: String::new(),
        year: None,
        creators: Vec::new(),
        scenes: Vec::new(),
        readings: Vec::new(),
        people: Vec::new(),
        registry: false,
        sources: Vec::new(),
        coders: Vec::new(),
    };
    let Some(meta) = meta else {
        errors.push(
            file.error("work.toml has no [work] table", 0..0)
                .with_help("add a [work] table with at least `title = \"…\"`"),
        );
        return work;
    };
    let m = meta.get_ref();
    if let Some(t) = required(file, &m.title, "title", "[work]", meta.span(), errors) {
        work.title = t.get_ref().trim().to_string();
    }
    work.year = m.year.as_ref().map(|y| *y.get_ref());
    work.creators = m.creators.clone().unwrap_or_default();
    work
}

/// The `[[scene]]` tables, in order, and the span of each scene's id.
fn scenes(
    file: &SourceFile,
    defs: &[Spanned<raw::SceneDef>],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Scene>, Vec<Range<usize>>) {
    let mut scene_names = Names::new(file, "scene");
    let mut scenes = Vec::new();
    let mut scene_spans = Vec::new();
    for entry in defs {
        let def = entry.get_ref();
        let id = required(file, &def.id, "id", "[[scene]]", entry.span(), errors);
        let t = required(file, &def.title, "title", "[[scene]]", entry.span(), errors);
        let aliases = aliases(
            file,
            def.id.as_ref().map(|i| i.get_ref().as_str()),
            &def.aliases,
            &mut scene_names,
            errors,
        );
        // a scene without a title is still a scene: claims naming it are not "unknown"
        let Some(id) = id else {
            continue;
        };
        let title = t.map_or_else(|| id.get_ref().clone(), |t| t.get_ref().trim().to_string());
        if check_id(file, id, "scene", errors) {
            scene_names.add(id.get_ref().clone(), id.get_ref(), id.span(), errors);
        }
        scenes.push(Scene {
            id: id.get_ref().clone(),
            pos: file.pos(id.span().start),
            title,
            aliases,
            description: def.description.clone(),
        });
        scene_spans.push(id.span());
    }
    if defs.is_empty() {
        errors.push(
            file.error("work.toml defines no scenes", 0..0)
                .with_help("add at least one [[scene]] table with `id` and `title`"),
        );
    }
    (scenes, scene_spans)
}

/// The `[[reading]]` tables (the codebook), in order, and the span of each reading's id;
/// `excludes` is resolved later, once every id is known.
fn readings(
    file: &SourceFile,
    defs: &[Spanned<raw::ReadingDef>],
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Reading>, Vec<Range<usize>>) {
    let mut reading_names = Names::new(file, "reading");
    let mut readings = Vec::new();
    let mut reading_spans = Vec::new();
    for entry in defs {
        let def = entry.get_ref();
        let id = required(file, &def.id, "id", "[[reading]]", entry.span(), errors);
        let label = required(
            file,
            &def.label,
            "label",
            "[[reading]]",
            entry.span(),
            errors,
        );
        let aliases = aliases(
            file,
            def.id.as_ref().map(|i| i.get_ref().as_str()),
            &def.aliases,
            &mut reading_names,
            errors,
        );
        let Some(id) = id else {
            continue;
        };
        let label = label.map_or_else(|| id.get_ref().clone(), |l| l.get_ref().trim().to_string());
        if check_id(file, id, "reading", errors) {
            reading_names.add(id.get_ref().clone(), id.get_ref(), id.span(), errors);
        }
        readings.push(Reading {
            id: id.get_ref().clone(),
            pos: file.pos(id.span().start),
            label,
            description: def.description.clone(),
            aliases,
            excludes: Vec::new(),
        });
        reading_spans.push(id.span());
    }
    if defs.is_empty() {
        errors.push(
            file.error("work.toml defines no readings", 0..0)
                .with_help("add at least one [[reading]] table with `id` and `label`"),
        );
    }
    (readings, reading_spans)
}

/// Resolves each reading's `excludes` to reading indices and makes the relation symmetric.
/// An entry naming no reading of the work, or the reading itself, is an error at its line.
fn excludes(
    file: &SourceFile,
    defs: &[Spanned<raw::ReadingDef>],
    readings: &mut [Reading],
    lookup: &FxHashMap<String, usize>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for def in defs.iter().map(Spanned::get_ref) {
        let Some(me) = def
            .id
            .as_ref()
            .and_then(|id| lookup.get(id.get_ref().as_str()))
        else {
            continue;
        };
        for entry in def.excludes.iter().flatten() {
            match lookup.get(entry.get_ref().as_str()).or_else(|| lookup.get(&alias_key(entry.get_ref()))) {
                Some(other) if other == me => errors.push(
                    file.error(format!("reading \"{}\" excludes itself", readings[*me].id), entry.span())
                        .with_label("a reading cannot exclude itself")
                        .with_help("remove this entry: `excludes` names the other readings that cannot hold together with this one"),
                ),
                Some(other) => pairs.push((*me, *other)),
                None => {
                    let names: Vec<&str> = readings.iter().map(|r| r.id.as_str()).collect();
                    errors.push(
                        file.error(format!("`excludes` names an unknown reading \"{}\"", entry.get_ref()), entry.span())
                            .with_label("not a reading of this work")
                            .with_help(did_you_mean(entry.get_ref(), &names, "reading")),
                    );
                }
            }
        }
    }
    for (a, b) in pairs {
        readings[a].excludes.push(b);
        readings[b].excludes.push(a);
    }
    for r in readings.iter_mut() {
        r.excludes.sort_unstable();
        r.excludes.dedup();
    }
}

/// Every id and alias key of a namespace, first definition winning.
fn lookup_table<'a>(
    items: impl Iterator<Item = (&'a str, &'a [String])>,
) -> FxHashMap<String, usize> {
    let mut map = FxHashMap::default();
    for (i, (id, aliases)) in items.enumerate() {
        map.entry(id.to_string()).or_insert(i);
        for alias in aliases {
            map.entry(alias_key(alias)).or_insert(i);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::super::lookup;
    use super::*;

    fn work(text: &str) -> (Option<Codebook>, Vec<Diagnostic>) {
        let file = SourceFile::new("w/work.toml".into(), text);
        work_file("w", Path::new("w"), &file)
    }

    const BASE: &str = "[work]\ntitle = \"W\"\n\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n\n";

    #[test]
    fn an_alias_equal_to_its_own_id_is_redundant_not_an_error() {
        let (cb, errors) = work(&format!(
            "{BASE}[[scene]]\nid = \"ring\"\ntitle = \"Ring\"\naliases = [\"Ring\", \"the ring\", \"The  Ring\"]\n"
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cb.unwrap().work.scenes[0].aliases, ["the ring"]);
    }

    #[test]
    fn an_alias_naming_another_scene_is_an_error() {
        let (_, errors) = work(&format!(
            "{BASE}[[scene]]\nid = \"a\"\ntitle = \"A\"\n\n[[scene]]\nid = \"b\"\ntitle = \"B\"\naliases = [\"A\"]\n"
        ));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.contains("duplicate scene name"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn claims_resolve_ids_and_aliases_ignoring_case() {
        let (cb, _) = work(&format!(
            "{BASE}[[scene]]\nid = \"car-scene\"\ntitle = \"Car\"\naliases = [\"The Car\"]\n"
        ));
        let cb = cb.unwrap();
        assert_eq!(lookup(&cb.scene_lookup, "car-scene"), Some(0));
        assert_eq!(lookup(&cb.scene_lookup, "the  car"), Some(0));
        assert_eq!(lookup(&cb.scene_lookup, "Car-Scene"), Some(0));
        assert_eq!(lookup(&cb.scene_lookup, "car"), None);
    }
}

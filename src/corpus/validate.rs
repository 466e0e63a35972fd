//! From the files as written (`raw`) to the validated model: required fields, ids, aliases,
//! references from claims to the codebook, duplicates. Each function returns every problem
//! it finds, so one run of `parallax check` shows them all.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::model::{
    Claim, Reading, Scene, Source, SourceKind, Stance, Work, alias_key, is_kebab, to_kebab,
};
use super::raw;
use crate::diagnostic::{Diagnostic, SourceFile, Suggestions, did_you_mean};

/// A validated `work.toml`: the work without its sources yet, and the file, for warnings
/// that point into it.
#[derive(Debug)]
pub struct Codebook {
    work: Work,
    file: SourceFile,
    scene_lookup: HashMap<String, usize>,
    reading_lookup: HashMap<String, usize>,
    scene_spans: Vec<Range<usize>>,
    reading_spans: Vec<Range<usize>>,
}

impl Codebook {
    /// The work with its sources, and the warnings about scenes and readings no source uses.
    pub fn into_work(self, mut sources: Vec<Source>) -> (Work, Vec<Diagnostic>) {
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        let mut work = self.work;
        work.sources = sources;
        let mut read = vec![false; work.scenes.len()];
        let mut used = vec![false; work.readings.len()];
        for claim in work.sources.iter().flat_map(|s| &s.claims) {
            read[claim.scene] = true;
            used[claim.reading] = true;
        }
        let mut warnings = Vec::new();
        for (i, scene) in work.scenes.iter().enumerate().filter(|(i, _)| !read[*i]) {
            warnings.push(
                self.file
                    .warning(
                        format!("no source reads scene \"{}\"", scene.id),
                        self.scene_spans[i].clone(),
                    )
                    .with_label("no claim names this scene"),
            );
        }
        for (i, reading) in work.readings.iter().enumerate().filter(|(i, _)| !used[*i]) {
            warnings.push(
                self.file
                    .warning(
                        format!("no source uses reading \"{}\"", reading.id),
                        self.reading_spans[i].clone(),
                    )
                    .with_label("no claim takes this reading"),
            );
        }
        (work, warnings)
    }
}

/// Turns a TOML or serde error into a diagnostic at its span.
fn toml_error(file: &SourceFile, err: &toml::de::Error, what: &str) -> Diagnostic {
    // a syntax error's span may run to the end of the file; the caret belongs at its start
    let span = err.span().map_or(0..0, |s| {
        s.start..s.end.min(header_span(file, s.clone()).end).max(s.start)
    });
    let message = err.message().trim().to_string();
    let table = enclosing_table(&file.text, span.start).unwrap_or(what);
    let (title, help) = if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        (
            format!("unknown field {field} in {table}"),
            if expected.is_empty() {
                "remove the field".to_string()
            } else {
                format!("remove it, or use {expected}")
            },
        )
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let key = key_at(&file.text, span.start);
        let plain = plain_types(&message);
        (
            match key {
                Some(key) => format!("wrong type for `{key}` in {table}: {plain}"),
                None => format!("wrong type in {table}: {plain}"),
            },
            "see the README for each field's type".to_string(),
        )
    } else {
        (
            format!("TOML syntax error: {message}"),
            "see https://toml.io for the syntax".to_string(),
        )
    };
    file.error(title, span).with_help(help)
}

/// The header (`[source]`, `[[claim]]`) of the table that holds byte `offset`.
fn enclosing_table(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset.min(text.len()))?;
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split('#').next().unwrap_or(l).trim())
}

/// The key of the `key = value` line that holds byte `offset`, when the offset is in its value.
fn key_at(text: &str, offset: usize) -> Option<&str> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let (key, _) = text[start..offset].split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty()).then_some(key)
}

/// serde's type names, in the words of a TOML file.
fn plain_types(message: &str) -> String {
    message
        .replace("expected i64", "expected an integer")
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table")
        .replace("expected a datetime", "expected a date")
}

/// The text of a required string field, or an error at `parent` saying it is missing.
fn required<'a>(
    file: &SourceFile,
    field: &'a Option<Spanned<String>>,
    name: &str,
    table: &str,
    parent: Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'a Spanned<String>> {
    match field {
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

/// The span of a table's first line, so a "missing field" caret sits on its header. Found
/// from the file's line index: a claim on a line of megabytes costs no scan of the line.
fn header_span(file: &SourceFile, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(file.text.len());
    let mut end = file.line_end(start);
    if end > start && file.text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    start..end
}

fn check_id(
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

fn opt_text(v: Option<&Spanned<String>>) -> Option<String> {
    v.map(|s| s.get_ref().trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Names (ids and aliases) in one namespace, to catch collisions between them.
struct Names<'f> {
    file: &'f SourceFile,
    what: &'static str,
    seen: HashMap<String, (String, Range<usize>)>,
}

impl Names<'_> {
    fn add(&mut self, key: String, shown: &str, span: Range<usize>, errors: &mut Vec<Diagnostic>) {
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

fn aliases(
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
    let parsed: raw::WorkFile = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => return (None, vec![toml_error(file, &e, "work.toml")]),
    };
    let mut title = String::new();
    let mut year = None;
    let mut creators = Vec::new();
    match &parsed.work {
        Some(meta) => {
            if let Some(t) = required(
                file,
                &meta.get_ref().title,
                "title",
                "[work]",
                meta.span(),
                &mut errors,
            ) {
                title = t.get_ref().trim().to_string();
            }
            year = meta.get_ref().year.as_ref().map(|y| *y.get_ref());
            creators = meta.get_ref().creators.clone().unwrap_or_default();
        }
        None => errors.push(
            file.error("work.toml has no [work] table", 0..0)
                .with_help("add a [work] table with at least `title = \"…\"`"),
        ),
    }

    let mut scene_names = Names {
        file,
        what: "scene",
        seen: HashMap::new(),
    };
    let mut scenes = Vec::new();
    let mut scene_spans = Vec::new();
    for entry in &parsed.scene {
        let def = entry.get_ref();
        let id = required(file, &def.id, "id", "[[scene]]", entry.span(), &mut errors);
        let t = required(
            file,
            &def.title,
            "title",
            "[[scene]]",
            entry.span(),
            &mut errors,
        );
        let aliases = aliases(
            file,
            def.id.as_ref().map(|i| i.get_ref().as_str()),
            &def.aliases,
            &mut scene_names,
            &mut errors,
        );
        // a scene without a title is still a scene: claims naming it are not "unknown"
        let Some(id) = id else {
            continue;
        };
        let title = t.map_or_else(|| id.get_ref().clone(), |t| t.get_ref().trim().to_string());
        if check_id(file, id, "scene", &mut errors) {
            scene_names.add(id.get_ref().clone(), id.get_ref(), id.span(), &mut errors);
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
    if parsed.scene.is_empty() {
        errors.push(
            file.error("work.toml defines no scenes", 0..0)
                .with_help("add at least one [[scene]] table with `id` and `title`"),
        );
    }

    let mut reading_names = Names {
        file,
        what: "reading",
        seen: HashMap::new(),
    };
    let mut readings = Vec::new();
    let mut reading_spans = Vec::new();
    for entry in &parsed.reading {
        let def = entry.get_ref();
        let id = required(
            file,
            &def.id,
            "id",
            "[[reading]]",
            entry.span(),
            &mut errors,
        );
        let label = required(
            file,
            &def.label,
            "label",
            "[[reading]]",
            entry.span(),
            &mut errors,
        );
        let aliases = aliases(
            file,
            def.id.as_ref().map(|i| i.get_ref().as_str()),
            &def.aliases,
            &mut reading_names,
            &mut errors,
        );
        let Some(id) = id else {
            continue;
        };
        let label = label.map_or_else(|| id.get_ref().clone(), |l| l.get_ref().trim().to_string());
        if check_id(file, id, "reading", &mut errors) {
            reading_names.add(id.get_ref().clone(), id.get_ref(), id.span(), &mut errors);
        }
        readings.push(Reading {
            id: id.get_ref().clone(),
            pos: file.pos(id.span().start),
            label,
            description: def.description.clone(),
            aliases,
        });
        reading_spans.push(id.span());
    }
    if parsed.reading.is_empty() {
        errors.push(
            file.error("work.toml defines no readings", 0..0)
                .with_help("add at least one [[reading]] table with `id` and `label`"),
        );
    }

    let scene_lookup = lookup_table(scenes.iter().map(|s| (s.id.as_str(), s.aliases.as_slice())));
    let reading_lookup = lookup_table(
        readings
            .iter()
            .map(|r| (r.id.as_str(), r.aliases.as_slice())),
    );
    let codebook = Codebook {
        work: Work {
            id: id.to_string(),
            dir: dir.to_path_buf(),
            title,
            year,
            creators,
            scenes,
            readings,
            sources: Vec::new(),
        },
        file: file.clone(),
        scene_lookup,
        reading_lookup,
        scene_spans,
        reading_spans,
    };
    // A codebook with errors still resolves claims, so their own problems are reported too.
    (Some(codebook), errors)
}

/// Validates one claim set against the work's codebook (when `work.toml` could be read).
pub fn source_file(
    file: &SourceFile,
    codebook: Option<&Codebook>,
) -> (Option<Source>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let stem = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !is_kebab(&stem) {
        diags.push(
            Diagnostic::error(format!(
                "source id \"{stem}\" (the file name) is not lowercase kebab-case"
            ))
            .at_path(&file.path)
            .with_help(format!("rename the file to \"{}.toml\"", to_kebab(&stem))),
        );
    }
    let parsed: raw::SourceFile = match toml::from_str(&file.text) {
        Ok(p) => p,
        Err(e) => {
            diags.push(toml_error(file, &e, "a claim set"));
            return (None, diags);
        }
    };

    let mut source = Source {
        id: stem,
        path: file.path.clone(),
        title: String::new(),
        kind: None,
        author: None,
        publisher: None,
        url: None,
        published: None,
        text: None,
        claims: Vec::new(),
    };
    match &parsed.source {
        Some(meta) => read_source_meta(file, meta, &mut source, &mut diags),
        None => diags.push(
            file.error("the claim set has no [source] table", 0..0)
                .with_help("add a [source] table with at least `title = \"…\"`"),
        ),
    }

    let mut hints = Suggestions::default();
    let read: Vec<(Claim, Range<usize>, Range<usize>)> = parsed
        .claim
        .iter()
        .filter_map(|entry| {
            let (claim, stance_span) = read_claim(file, entry, codebook, &mut hints, &mut diags)?;
            Some((claim, stance_span, header_span(file, entry.span())))
        })
        .collect();
    let mut kept = vec![true; read.len()];
    {
        // duplicates: equal in every field; the keys borrow, nothing is copied
        let mut seen: HashMap<ClaimKey<'_>, usize> = HashMap::with_capacity(read.len());
        for (i, (claim, _, header)) in read.iter().enumerate() {
            if let Some(&first) = seen.get(&ClaimKey::of(claim)) {
                kept[i] = false;
                let first_pos = file.pos(read[first].2.start);
                diags.push(
                    file.error("duplicate claim: equal in every field to an earlier claim", header.clone())
                        .with_note(format!("the first is at line {}, column {}", first_pos.line, first_pos.column))
                        .with_help("remove one of them (claims with the same scene and reading but other words are fine)"),
                );
            } else {
                seen.insert(ClaimKey::of(claim), i);
            }
        }
    }
    if let Some(cb) = codebook {
        both_ways_warnings(
            file,
            cb,
            read.iter()
                .zip(&kept)
                .filter(|(_, k)| **k)
                .map(|(r, _)| (&r.0, &r.1)),
            &mut diags,
        );
    }
    source.claims = read
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|((c, _, _), _)| c)
        .collect();
    // the collect reuses the buffer of the larger (claim, span, span) tuples: give back the rest
    source.claims.shrink_to_fit();
    let ok = !diags.iter().any(Diagnostic::is_error) && codebook.is_some();
    (ok.then_some(source), diags)
}

fn read_source_meta(
    file: &SourceFile,
    meta: &Spanned<raw::SourceMeta>,
    source: &mut Source,
    diags: &mut Vec<Diagnostic>,
) {
    let m = meta.get_ref();
    if let Some(t) = required(file, &m.title, "title", "[source]", meta.span(), diags) {
        source.title = t.get_ref().trim().to_string();
    }
    if let Some(kind) = &m.kind {
        match SourceKind::parse(kind.get_ref()) {
            Some(k) => source.kind = Some(k),
            None => {
                let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
                diags.push(
                    file.error(
                        format!("unknown source kind \"{}\"", kind.get_ref()),
                        kind.span(),
                    )
                    .with_label("not a source kind")
                    .with_help(format!(
                        "{} (one of {})",
                        did_you_mean(kind.get_ref(), &names, "kind"),
                        names.join(", ")
                    )),
                );
            }
        }
    }
    source.author = m.author.clone();
    source.publisher = m.publisher.clone();
    source.url = m.url.clone();
    if let Some(date) = &m.published {
        let d = date.get_ref();
        if d.date.is_some() && d.time.is_none() {
            source.published = Some(d.to_string());
        } else {
            diags.push(
                file.error(
                    format!("`published` must be a date, not \"{d}\""),
                    date.span(),
                )
                .with_help("write a TOML date such as published = 2025-03-05"),
            );
        }
    }
    if let Some(text) = &m.text {
        let name = text.get_ref();
        if is_plain_file_name(name) {
            source.text = Some((name.clone(), file.pos(text.span().start)));
        } else {
            diags.push(
                file.error(format!("`text` must be a plain file name, not \"{name}\""), text.span())
                    .with_label("a path that could leave the texts folder")
                    .with_help("name a file in the work's texts/ folder (or in check --texts DIR), without folders, `..` or a leading `/`"),
            );
        }
    }
}

/// Whether a `text` value is a bare file name that cannot leave its folder.
pub fn is_plain_file_name(name: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !(name.len() >= 2 && name.as_bytes()[1] == b':')
}

/// Resolves one `[[claim]]`; returns it with the span of its stance (or its header).
fn read_claim(
    file: &SourceFile,
    entry: &Spanned<raw::ClaimDef>,
    codebook: Option<&Codebook>,
    hints: &mut Suggestions,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Claim, Range<usize>)> {
    let def = entry.get_ref();
    let before = diags.len();
    let scene = required(file, &def.scene, "scene", "[[claim]]", entry.span(), diags);
    let reading = required(
        file,
        &def.reading,
        "reading",
        "[[claim]]",
        entry.span(),
        diags,
    );
    let stance = match &def.stance {
        None => Some(Stance::Endorses),
        Some(s) => Stance::parse(s.get_ref()).or_else(|| {
            let names: Vec<&str> = Stance::ALL.iter().map(|s| s.name()).collect();
            let hint = did_you_mean(&s.get_ref().to_lowercase(), &names, "stance");
            diags.push(
                file.error(format!("unknown stance \"{}\"", s.get_ref()), s.span())
                    .with_label("not a stance")
                    .with_help(format!(
                        "{hint} (a stance is endorses, considers or rejects)"
                    )),
            );
            None
        }),
    };
    let summary = opt_text(def.summary.as_ref());
    let quote = opt_text(def.quote.as_ref());
    if summary.is_none() && quote.is_none() {
        diags.push(
            file.error("a claim needs a `summary` or a `quote`", header_span(file, entry.span()))
                .with_label("this claim has neither")
                .with_help("add `summary = \"…\"` (the source's point in your words) or `quote = \"…\"` (its exact words)"),
        );
    }
    let scene_idx = match (scene, codebook) {
        (Some(s), Some(cb)) => resolve(
            file,
            s,
            "scene",
            || hints.help(s.get_ref(), "scene", || cb.work.scene_names()),
            lookup(&cb.scene_lookup, s.get_ref()),
            diags,
        ),
        _ => None,
    };
    let reading_idx = match (reading, codebook) {
        (Some(r), Some(cb)) => resolve(
            file,
            r,
            "reading",
            || hints.help(r.get_ref(), "reading", || cb.work.reading_names()),
            lookup(&cb.reading_lookup, r.get_ref()),
            diags,
        ),
        _ => None,
    };
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let stance_span = def
        .stance
        .as_ref()
        .map_or_else(|| header_span(file, entry.span()), |s| s.span());
    Some((
        Claim {
            scene: scene_idx?,
            reading: reading_idx?,
            stance: stance?,
            summary,
            quote,
            attributed_to: opt_text(def.attributed_to.as_ref()),
            via: opt_text(def.via.as_ref()),
            pos: file.pos(entry.span().start),
            quote_pos: def.quote.as_ref().map(|q| file.pos(q.span().start)),
        },
        stance_span,
    ))
}

/// A scene or reading by id, or by alias ignoring case and spacing.
fn lookup(map: &HashMap<String, usize>, name: &str) -> Option<usize> {
    map.get(name).or_else(|| map.get(&alias_key(name))).copied()
}

/// Every id and alias key of a namespace, first definition winning.
fn lookup_table<'a>(
    items: impl Iterator<Item = (&'a str, &'a [String])>,
) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, (id, aliases)) in items.enumerate() {
        map.entry(id.to_string()).or_insert(i);
        for alias in aliases {
            map.entry(alias_key(alias)).or_insert(i);
        }
    }
    map
}

fn resolve(
    file: &SourceFile,
    name: &Spanned<String>,
    what: &str,
    help: impl FnOnce() -> String,
    found: Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    if found.is_none() {
        diags.push(
            file.error(
                format!("unknown {what} \"{}\"", name.get_ref()),
                name.span(),
            )
            .with_label(format!("not a {what} of this work's work.toml"))
            .with_help(help()),
        );
    }
    found
}

/// Warns once for each scene and reading that a source both endorses and rejects.
fn both_ways_warnings<'a>(
    file: &SourceFile,
    cb: &Codebook,
    claims: impl Iterator<Item = (&'a Claim, &'a Range<usize>)>,
    diags: &mut Vec<Diagnostic>,
) {
    // per (scene, reading): endorsed?, rejected?, warned?
    let mut seen: HashMap<(usize, usize), (bool, bool, bool)> = HashMap::new();
    for (claim, stance_span) in claims {
        let state = seen.entry((claim.scene, claim.reading)).or_default();
        match claim.stance {
            Stance::Endorses => state.0 = true,
            Stance::Rejects => state.1 = true,
            Stance::Considers => continue,
        }
        if state.0 && state.1 && !state.2 {
            state.2 = true;
            diags.push(
                file.warning(
                    format!(
                        "the source both endorses and rejects \"{}\" on scene \"{}\"",
                        cb.work.readings[claim.reading].id, cb.work.scenes[claim.scene].id
                    ),
                    stance_span.clone(),
                )
                .with_help(
                    "if the source weighs the reading without deciding, use stance = \"considers\"",
                ),
            );
        }
    }
}

/// Everything a claim says, for finding duplicates.
#[derive(PartialEq, Eq, Hash)]
struct ClaimKey<'a> {
    scene: usize,
    reading: usize,
    stance: Stance,
    summary: Option<&'a str>,
    quote: Option<&'a str>,
    attributed_to: Option<&'a str>,
    via: Option<&'a str>,
}

impl<'a> ClaimKey<'a> {
    fn of(c: &'a Claim) -> Self {
        ClaimKey {
            scene: c.scene,
            reading: c.reading,
            stance: c.stance,
            summary: c.summary.as_deref(),
            quote: c.quote.as_deref(),
            attributed_to: c.attributed_to.as_deref(),
            via: c.via.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
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
    fn many_aliases_are_checked_once_each() {
        let aliases: Vec<String> = (0..5000).map(|i| format!("\"alias {i}\"")).collect();
        let (cb, errors) = work(&format!(
            "{BASE}[[scene]]\nid = \"s\"\ntitle = \"S\"\naliases = [{}, \"ALIAS  7\"]\n",
            aliases.join(", ")
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(cb.unwrap().work.scenes[0].aliases.len(), 5000);
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

//! A claim set: its `[source]` table and its claims, resolved against the codebook;
//! duplicate claims.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use toml::Spanned;

use super::recover;
use super::{Codebook, header_span, is_placeholder, lookup, opt_str, placeholder_error, required};
use crate::corpus::model::{
    Claim, ClaimTexts, FileTexts, Source, SourceKind, Stance, is_kebab, to_kebab,
};
use crate::corpus::raw;
use crate::diagnostic::{Diagnostic, SourceFile, Suggestions, did_you_mean};

/// The error of a claim with neither summary nor quote.
pub(super) const NEEDS_TEXT: &str = "a claim needs a `summary` or a `quote`";

/// Validates one claim set against the work's codebook (when `work.toml` could be read).
pub fn source_file(
    file: &SourceFile,
    codebook: Option<&Codebook>,
) -> (Option<Source>, Vec<Diagnostic>) {
    let (read, diags) = claim_file(file, codebook, Meta::Required);
    (read.map(|(source, _)| source), diags)
}

/// Whether a claim file must have a `[source]` table: a claim set must, a coding need not
/// (it takes the source's metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Meta {
    Required,
    Optional,
}

/// A validated claim file: the source, and where its `[source]` table is (`None` when it
/// has none).
pub(super) type ClaimFile = (Source, Option<Range<usize>>);

/// Validates a claim file.
pub(super) fn claim_file(
    file: &SourceFile,
    codebook: Option<&Codebook>,
    meta_rule: Meta,
) -> (Option<ClaimFile>, Vec<Diagnostic>) {
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
    let mut read = match recover::read::<raw::SourceFile>(file) {
        Ok(read) => read,
        Err(syntax) => {
            diags.push(syntax);
            return (None, diags);
        }
    };
    diags.append(&mut read.diags);
    let parsed = &read.value;

    let mut source = Source::new(stem, folder_of(file, codebook));
    match &parsed.source {
        Some(meta) => read_source_meta(file, meta, &mut source, &mut diags),
        None if meta_rule == Meta::Optional => {}
        None => diags.push(
            file.error("the claim set has no [source] table", 0..0)
                .with_help("add a [source] table with at least `title = \"…\"`"),
        ),
    }
    let meta_span = parsed.source.as_ref().map(|m| header_span(file, m.span()));

    let mut hints = Suggestions::default();
    // every claim's texts go into one text, shared by the claims once they are all read
    let len = |t: &Option<Spanned<String>>| t.as_ref().map_or(0, |t| t.get_ref().len());
    let mut arena = FileTexts::with_capacity(
        parsed.claim.len(),
        (parsed.claim.iter().map(Spanned::get_ref))
            .map(|c| len(&c.summary) + len(&c.quote) + len(&c.attributed_to) + len(&c.via))
            .sum(),
    );
    let mut claims: Vec<(Claim, Range<usize>, Range<usize>)> = parsed
        .claim
        .iter()
        .filter_map(|entry| {
            let read = read_claim(file, entry, codebook, &mut arena, &mut hints, &mut diags);
            let (claim, stance_span) = read?;
            Some((claim, stance_span, header_span(file, entry.span())))
        })
        .collect();
    arena.shrink_to_fit(); // texts are trimmed: a little may be left over
    let arena = Arc::new(arena);
    for (claim, _, _) in &mut claims {
        claim.texts.share(&arena);
    }
    let kept = duplicates(file, &claims, &mut diags);
    if let Some(cb) = codebook {
        crate::corpus::contradictions::warnings(
            file,
            &cb.work,
            &cb.registry,
            &cb.warn_voice,
            claims
                .iter()
                .zip(&kept)
                .filter(|(_, k)| **k)
                .map(|(r, _)| (&r.0, &r.1)),
            &mut diags,
        );
    }
    source.claims = claims
        .into_iter()
        .zip(kept)
        .filter(|(_, k)| *k)
        .map(|((c, _, _), _)| c)
        .collect();
    // the collect reuses the buffer of the larger (claim, span, span) tuples: give back the rest
    source.claims.shrink_to_fit();
    read.drop_consequences(&mut diags);
    let ok = !diags.iter().any(Diagnostic::is_error) && codebook.is_some();
    (ok.then_some((source, meta_span)), diags)
}

/// The folder of a claim file, shared with the other sources of its work.
fn folder_of(file: &SourceFile, codebook: Option<&Codebook>) -> Arc<PathBuf> {
    let folder = file.path.parent().unwrap_or(Path::new(""));
    match codebook {
        Some(cb) if cb.sources_folder.as_path() == folder => Arc::clone(&cb.sources_folder),
        _ => Arc::new(folder.to_path_buf()),
    }
}

/// Which claims to keep: an error for each claim equal in every field to an earlier one,
/// which is left out.
fn duplicates(
    file: &SourceFile,
    claims: &[(Claim, Range<usize>, Range<usize>)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<bool> {
    let mut kept = vec![true; claims.len()];
    // the keys borrow, nothing is copied
    let mut seen: FxHashMap<ClaimKey<'_>, usize> = FxHashMap::default();
    seen.reserve(claims.len());
    for (i, (claim, _, header)) in claims.iter().enumerate() {
        if let Some(&first) = seen.get(&ClaimKey::of(claim)) {
            kept[i] = false;
            let first_pos = file.pos(claims[first].2.start);
            diags.push(
                file.error("duplicate claim: equal in every field to an earlier claim", header.clone())
                    .with_note(format!("the first is at line {}, column {}", first_pos.line, first_pos.column))
                    .with_help("remove one of them (claims with the same scene and reading but other words are fine)"),
            );
        } else {
            seen.insert(ClaimKey::of(claim), i);
        }
    }
    kept
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
    if let Some(kind) = m.kind.as_ref().filter(|k| is_placeholder(k.get_ref())) {
        diags.push(placeholder_error(file, kind, "kind", "[source]"));
    } else if let Some(kind) = &m.kind {
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
        match published(date.get_ref()) {
            Ok(written) => source.published = Some(written),
            Err((shown, why)) => diags.push(
                file.error(
                    format!("`published` must be a date, not {shown}"),
                    date.span(),
                )
                .with_label(why)
                .with_help(PUBLISHED_HELP),
            ),
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

pub(super) const PUBLISHED_HELP: &str = "write a TOML date (published = 2025-03-05) or, when only the year or month is known, a string: published = \"2025\" or \"2025-03\"";

/// A `published` value in its written form, or the value as shown and what is wrong.
fn published(value: &raw::Published) -> Result<String, (String, &'static str)> {
    match value {
        raw::Published::Date(d) if d.date.is_some() && d.time.is_none() => Ok(d.to_string()),
        raw::Published::Date(d) => Err((format!("\"{d}\""), "a date with a time of day")),
        raw::Published::Text(t) => match partial_date(t) {
            Ok(()) => Ok(t.clone()),
            Err(why) => Err((format!("\"{t}\""), why)),
        },
    }
}

/// Checks a date written as a string: "YYYY", "YYYY-MM" or "YYYY-MM-DD", with a month
/// from 1 to 12 and a day that the month has.
pub fn partial_date(text: &str) -> Result<(), &'static str> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    if parts.len() > 3
        || parts
            .iter()
            .zip([4, 2, 2])
            .any(|(p, n)| number(p, n).is_none())
    {
        return Err("not YYYY, YYYY-MM or YYYY-MM-DD");
    }
    let year = number(parts[0], 4).unwrap_or(0);
    let Some(month) = parts.get(1).and_then(|m| number(m, 2)) else {
        return Ok(());
    };
    if !(1..=12).contains(&month) {
        return Err("the month must be 01 to 12");
    }
    let Some(day) = parts.get(2).and_then(|d| number(d, 2)) else {
        return Ok(());
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days).contains(&day) {
        return Err("the month has no such day");
    }
    Ok(())
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
    arena: &mut FileTexts,
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
    let stance = read_stance(file, def, diags);
    let summary = opt_str(def.summary.as_ref());
    let quote = opt_str(def.quote.as_ref());
    if summary.is_none() && quote.is_none() {
        diags.push(
            file.error(NEEDS_TEXT, header_span(file, entry.span()))
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
    let person = codebook.and_then(|cb| read_person(file, def, cb, diags));
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    let stance_span = def
        .stance
        .as_ref()
        .map_or_else(|| header_span(file, entry.span()), |s| s.span());
    Some((
        {
            let texts = ClaimTexts::append(
                arena,
                [
                    summary,
                    quote,
                    opt_str(def.attributed_to.as_ref()),
                    opt_str(def.via.as_ref()),
                ],
                def.quote.as_ref().map(|q| file.pos(q.span().start)),
            );
            let pos = file.pos(entry.span().start);
            let mut claim = Claim::new(scene_idx?, reading_idx?, stance?, pos, texts);
            claim.set_person(person);
            claim
        },
        stance_span,
    ))
}

/// A claim's stance; `endorses` when it names none.
fn read_stance(
    file: &SourceFile,
    def: &raw::ClaimDef,
    diags: &mut Vec<Diagnostic>,
) -> Option<Stance> {
    let Some(s) = &def.stance else {
        return Some(Stance::Endorses);
    };
    Stance::parse(s.get_ref()).or_else(|| {
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
    })
}

/// The person of the registry a claim's `attributed_to` names (none without a registry).
fn read_person(
    file: &SourceFile,
    def: &raw::ClaimDef,
    cb: &Codebook,
    diags: &mut Vec<Diagnostic>,
) -> Option<u32> {
    let name = def.attributed_to.as_ref()?;
    if cb.registry.is_empty() || name.get_ref().trim().is_empty() {
        return None;
    }
    cb.registry
        .resolve(file, name)
        .map_err(|d| diags.push(d))
        .ok()
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
            scene: c.scene(),
            reading: c.reading(),
            stance: c.stance,
            summary: c.summary(),
            quote: c.quote(),
            attributed_to: c.attributed_to(),
            via: c.via(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        for ok in ["2025", "2025-03", "2025-03-05", "2024-02-29", "0999-12-31"] {
            assert_eq!(partial_date(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "25",
            "2025-3",
            "2025-13",
            "2025-00",
            "2025-02-29",
            "2025-04-31",
            "2025-03-05-01",
            "2025/03",
            " 2025",
            "2025-03-5",
            "２０２５",
        ] {
            assert!(partial_date(bad).is_err(), "{bad}");
        }
    }
}

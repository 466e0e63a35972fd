//! Codings (docs/rules.md#reliability): a coder's claim set of one source, `codings/<coder>/<source>.toml`.
//! A coding is validated as a claim set, except that its `[source]` table is optional: a
//! source's metadata is that of its claim set in `sources/` when there is one, else that of
//! the first coding (coders in id order) that has a `[source]` table. A coding whose own
//! table says otherwise is warned about; a source with no title anywhere is an error.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use super::Codebook;
use super::source::{Meta, claim_file};
use crate::corpus::model::{Coder, Source, is_kebab, to_kebab};
use crate::diagnostic::{Diagnostic, SourceFile};

/// Folder names a coder may not take: the folders of a work, whose names a reader would
/// take for the work's own.
pub const RESERVED_CODERS: [&str; 4] = ["sources", "texts", "codings", "gold"];

/// One coder's claim set of one source, validated; its metadata is filled in when the work
/// is assembled ([`coders`]).
#[derive(Debug)]
pub struct Coding {
    pub source: Source,
    /// where its `[source]` table is, as line and column of the header (`None`: it has none)
    meta_at: Option<(usize, usize)>,
}

impl Coding {
    /// Whether the coding has a `[source]` table of its own.
    pub fn has_metadata(&self) -> bool {
        self.meta_at.is_some()
    }
}

/// Validates one coding against the work's codebook.
pub fn coding_file(
    file: &SourceFile,
    codebook: Option<&Codebook>,
) -> (Option<Coding>, Vec<Diagnostic>) {
    let (read, diags) = claim_file(file, codebook, Meta::Optional);
    let coding = read.map(|(source, span)| Coding {
        source,
        meta_at: span.map(|s: Range<usize>| {
            let pos = file.pos(s.start);
            (pos.line as usize, pos.column as usize)
        }),
    });
    (coding, diags)
}

/// The error for a coder folder whose name cannot be a coder's id, or `None` when it can.
pub fn check_coder_name(dir: &Path, name: &str) -> Option<Diagnostic> {
    if RESERVED_CODERS.contains(&name) {
        return Some(
            Diagnostic::error(format!(
                "coder folder name \"{name}\" is reserved: it names a folder of the work"
            ))
            .at_path(dir)
            .with_help(format!(
                "name the folder after the coder (\"{name}-coder\", or the person's name); reserved: {}",
                RESERVED_CODERS.join(", ")
            )),
        );
    }
    if is_kebab(name) {
        return None;
    }
    let fixed = match to_kebab(name) {
        k if k.is_empty() => "the coder's name in lowercase kebab-case".to_string(),
        k => format!("\"{k}\""),
    };
    Some(
        Diagnostic::error(format!(
            "coder folder name \"{name}\" is not a valid id"
        ))
        .at_path(dir)
        .with_help(format!(
            "a coder's id is its folder's name, lowercase kebab-case ([a-z0-9]+(-[a-z0-9]+)*): rename the folder to {fixed}"
        )),
    )
}

/// The coders of a work with their codings sorted, each coding given its source's
/// metadata; errors for a source with no metadata anywhere, warnings for a coding whose own
/// `[source]` table differs from the source's metadata.
pub fn coders(
    sources: &[Source],
    mut read: Vec<(String, Vec<Coding>)>,
) -> (Vec<Coder>, Vec<Diagnostic>) {
    read.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, codings) in &mut read {
        codings.sort_unstable_by(|a, b| a.source.id.cmp(&b.source.id));
    }
    // each source's metadata: its claim set's, else the first coding's with a [source] table
    let mut canonical: BTreeMap<&str, &Source> =
        sources.iter().map(|s| (s.id.as_str(), s)).collect();
    for (_, codings) in &read {
        for coding in codings.iter().filter(|c| c.meta_at.is_some()) {
            canonical
                .entry(coding.source.id.as_str())
                .or_insert(&coding.source);
        }
    }
    let canonical: BTreeMap<String, Source> = canonical
        .into_iter()
        .map(|(id, s)| (id.to_string(), metadata_of(s)))
        .collect();
    let mut diags = Vec::new();
    let coders = read
        .into_iter()
        .map(|(id, codings)| Coder {
            id,
            codings: codings
                .into_iter()
                .filter_map(|coding| with_metadata(coding, &canonical, &mut diags))
                .collect(),
        })
        .collect();
    (coders, diags)
}

/// A source's metadata without its claims.
fn metadata_of(s: &Source) -> Source {
    Source {
        claims: Vec::new(),
        ..s.clone()
    }
}

/// A coding with its source's metadata; `None`, with an error, when there is none.
fn with_metadata(
    coding: Coding,
    canonical: &BTreeMap<String, Source>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Source> {
    let Coding {
        mut source,
        meta_at,
    } = coding;
    let Some(meta) = canonical.get(&source.id) else {
        diags.push(
            Diagnostic::error(format!(
                "no title for source \"{}\": its coding has no [source] table, and the work has no claim set or other coding of it that gives one",
                source.id
            ))
            .at_path(&source.path())
            .with_help(format!(
                "add a [source] table with `title = \"…\"` to this coding, or write sources/{}.toml",
                source.id
            )),
        );
        return None;
    };
    match meta_at {
        None => {
            let claims = std::mem::take(&mut source.claims);
            let folder = source.folder.clone();
            source = Source {
                claims,
                folder,
                ..meta.clone()
            };
            // the text's place is in another file: a coding points at none
            if let Some((_, pos)) = &mut source.text {
                *pos = Default::default();
            }
        }
        Some((line, column)) if meta.path() != source.path() => {
            if let Some(field) = first_difference(&source, meta) {
                let mut d = Diagnostic::warning(format!(
                    "the [source] table of this coding differs from the metadata of source \"{}\" ({field})",
                    source.id
                ))
                .at_path(&source.path())
                .with_note(format!("the source's metadata is that of {}", meta.path().display()))
                .with_help("leave the [source] table out of a coding (it takes the source's metadata), or make the two agree");
                d.line = Some(line);
                d.column = Some(column);
                diags.push(d);
            }
        }
        Some(_) => {}
    }
    Some(source)
}

/// The first field in which two sources' metadata differ, as "`field`: A here, B there".
fn first_difference(coding: &Source, meta: &Source) -> Option<String> {
    let show = |v: Option<&str>| v.map_or("none".to_string(), |v| format!("\"{v}\""));
    let fields: [(&str, Option<&str>, Option<&str>); 7] = [
        ("title", Some(&coding.title), Some(&meta.title)),
        (
            "kind",
            coding.kind.map(|k| k.name()),
            meta.kind.map(|k| k.name()),
        ),
        ("author", coding.author.as_deref(), meta.author.as_deref()),
        (
            "publisher",
            coding.publisher.as_deref(),
            meta.publisher.as_deref(),
        ),
        ("url", coding.url.as_deref(), meta.url.as_deref()),
        (
            "published",
            coding.published.as_deref(),
            meta.published.as_deref(),
        ),
        (
            "text",
            coding.text.as_ref().map(|t| t.0.as_str()),
            meta.text.as_ref().map(|t| t.0.as_str()),
        ),
    ];
    fields
        .into_iter()
        .find(|(_, a, b)| a != b)
        .map(|(name, a, b)| format!("`{name}`: {} here, {} there", show(a), show(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn source(folder: &str, id: &str, title: &str) -> Source {
        let mut s = Source::new(id.into(), Arc::new(PathBuf::from(folder)));
        s.title = title.into();
        s
    }

    fn coding(folder: &str, id: &str, title: Option<&str>) -> Coding {
        Coding {
            source: source(folder, id, title.unwrap_or("")),
            meta_at: title.map(|_| (1, 1)),
        }
    }

    #[test]
    fn a_coding_takes_the_metadata_of_the_claim_set_then_of_the_first_coder() {
        let sources = vec![source("w/sources", "a", "A")];
        let read = vec![
            (
                "bob".to_string(),
                vec![
                    coding("w/codings/bob", "a", None),
                    coding("w/codings/bob", "b", Some("B by bob")),
                ],
            ),
            (
                "al".to_string(),
                vec![
                    coding("w/codings/al", "b", None),
                    coding("w/codings/al", "a", Some("A")),
                ],
            ),
        ];
        let (coders, diags) = coders(&sources, read);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            coders.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["al", "bob"]
        );
        // al has no [source] for b: bob's (the first coder with one) gives it
        assert_eq!(coders[0].coding("b").unwrap().title, "B by bob");
        assert_eq!(coders[1].coding("a").unwrap().title, "A");
        // a coding keeps its own folder
        assert_eq!(
            coders[0].coding("b").unwrap().path(),
            PathBuf::from("w/codings/al/b.toml")
        );
    }

    #[test]
    fn differing_metadata_is_a_warning_and_no_metadata_an_error() {
        let sources = vec![source("w/sources", "a", "A")];
        let read = vec![(
            "al".to_string(),
            vec![
                coding("w/codings/al", "a", Some("Another")),
                coding("w/codings/al", "c", None),
            ],
        )];
        let (coders, diags) = coders(&sources, read);
        assert_eq!(coders[0].codings.len(), 1);
        assert_eq!(diags.len(), 2);
        assert!(!diags[0].is_error());
        assert!(
            diags[0]
                .message
                .contains("`title`: \"Another\" here, \"A\" there"),
            "{}",
            diags[0].message
        );
        assert!(diags[1].is_error());
        assert!(diags[1].message.contains("no title for source \"c\""));
    }

    #[test]
    fn coder_names() {
        assert!(check_coder_name(Path::new("x"), "ana-b").is_none());
        assert!(
            check_coder_name(Path::new("x"), "Ana")
                .unwrap()
                .help
                .as_deref()
                .unwrap()
                .contains("\"ana\"")
        );
        assert!(
            check_coder_name(Path::new("x"), "sources")
                .unwrap()
                .message
                .contains("reserved")
        );
    }
}

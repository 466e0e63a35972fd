//! `import hypothesis`: annotations made with Hypothesis (hypothes.is) turned into claim
//! sets, one per annotated document, one claim per annotation (the README, "Interchange").
//!
//! [`import`] reads the export, groups its annotations by document, turns each into a
//! claim or a [`Rejection`], names each document's source, renders each claim set as TOML
//! and validates it against the work's codebook in memory, exactly as `check` will. It
//! writes nothing: the caller decides whether to print, refuse or write.

mod claims;
mod markdown;
mod parse;
pub mod url;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

pub use claims::{NewClaim, Rejection};
pub use parse::{Annotation, annotations};

use crate::corpus::load::read_text;
use crate::corpus::model::to_kebab;
use crate::corpus::{SourceKind, Work, validate};
use crate::diagnostic::{Diagnostic, SourceFile};

/// What a source's id is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum IdFrom {
    /// the document's title, in kebab-case (the URL when the title gives nothing)
    #[default]
    Title,
    /// the document's host and path
    Url,
}

/// Whose claim sets the annotations become.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Coders {
    /// the work's claim sets, `sources/`
    #[default]
    None,
    /// one coder's codings, `codings/NAME/`
    One(String),
    /// each annotation's user's codings (`acct:NAME@host` → NAME in kebab-case)
    PerUser,
}

/// How annotations are read.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub id_from: IdFrom,
    /// take hidden and flagged annotations too
    pub include_hidden: bool,
    pub coders: Coders,
}

/// One claim set to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimSet {
    pub id: String,
    /// `sources/<id>.toml` of the work, or `codings/<coder>/<id>.toml`
    pub path: PathBuf,
    /// the annotated document
    pub uri: String,
    pub toml: String,
    pub claims: usize,
    /// a file is already at `path` (the same document imported before)
    pub replaces: bool,
}

/// The result of reading an export against a work.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// annotations in the file
    pub annotations: usize,
    pub claim_sets: Vec<ClaimSet>,
    /// annotations that did not become claims, in file order
    pub rejected: Vec<Rejection>,
    /// annotations imported with something to say (a claim without a quote)
    pub warnings: Vec<Rejection>,
}

/// Reads a Hypothesis export (`json`) into claim sets for `work`. Fails when the file is
/// not an export, or (which would be a bug) when a claim set made from it does not
/// validate.
pub fn import(work: &Work, json: &str, options: &Options) -> Result<Import, Vec<Diagnostic>> {
    let rows = annotations(json).map_err(|e| {
        vec![
            Diagnostic::error(format!("not a Hypothesis export: {e}")).with_help(
                "pass the JSON of the Hypothesis API's search (`{\"rows\": [...]}`) or a list of annotations",
            ),
        ]
    })?;
    let mut out = Import {
        annotations: rows.len(),
        claim_sets: Vec::new(),
        rejected: Vec::new(),
        warnings: Vec::new(),
    };
    let mut documents: Vec<Document> = Vec::new();
    let mut by_uri: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let a = match row {
            Ok(a) => a,
            Err(m) => {
                out.rejected.push(Rejection::new(&m.id, m.reason));
                continue;
            }
        };
        let Some(uri) = a.uri.clone().filter(|u| !u.trim().is_empty()) else {
            out.rejected.push(Rejection::new(&a.id, "no document uri"));
            continue;
        };
        let (claim, kind) = match claims::claim(work, &a, options.include_hidden) {
            Ok(c) => c,
            Err(r) => {
                out.rejected.push(r);
                continue;
            }
        };
        let coder = match coder_of(&options.coders, &a) {
            Ok(c) => c,
            Err(r) => {
                out.rejected.push(r);
                continue;
            }
        };
        let at = *by_uri.entry(url::normalise(&uri)).or_insert_with(|| {
            documents.push(Document::new(url::clean(&uri)));
            documents.len() - 1
        });
        let doc = &mut documents[at];
        if doc.title.is_none() {
            doc.title = a.title.clone();
        }
        if doc.kind.is_none() {
            doc.kind = kind;
        }
        let key = (coder, claim);
        if let Some(first) = doc.seen.get(&key) {
            out.rejected.push(Rejection::new(
                &a.id,
                format!(
                    "the same claim as annotation {}",
                    crate::interchange::shown(first)
                ),
            ));
            continue;
        }
        if key.1.quote.is_none() {
            out.warnings.push(Rejection::new(
                &a.id,
                "imported without a quote: it annotates the page, not a passage",
            ));
        }
        doc.seen.insert(key.clone(), a.id.clone());
        doc.claims.push((a.id, key.0, key.1));
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut suffixes: HashMap<String, usize> = HashMap::new();
    for doc in documents {
        let id = source_id(work, &doc, options.id_from, &mut taken, &mut suffixes);
        out.claim_sets.extend(doc.into_claim_sets(work, &id));
    }
    validate_all(work, &out.claim_sets)?;
    Ok(out)
}

/// The coder an annotation's claim goes to (`None`: the work's claim sets).
fn coder_of(coders: &Coders, a: &Annotation) -> Result<Option<String>, Rejection> {
    match coders {
        Coders::None => Ok(None),
        Coders::One(c) => Ok(Some(c.clone())),
        Coders::PerUser => {
            let user = a.user.as_deref().unwrap_or_default();
            let name = user.strip_prefix("acct:").unwrap_or(user);
            let name = name.split('@').next().unwrap_or(name);
            let id = to_kebab(name);
            if id.is_empty() || crate::corpus::validate::RESERVED_CODERS.contains(&id.as_str()) {
                return Err(Rejection::new(
                    &a.id,
                    format!(
                        "its user {} gives no coder id",
                        crate::interchange::shown(user)
                    ),
                ));
            }
            Ok(Some(id))
        }
    }
}

/// The annotations of one document.
struct Document {
    /// its address as the first annotation gives it
    uri: String,
    title: Option<String>,
    kind: Option<SourceKind>,
    /// (annotation id, coder, claim), in file order
    claims: Vec<(String, Option<String>, NewClaim)>,
    /// each claim's first annotation, to refuse a second identical claim of one coder
    seen: HashMap<(Option<String>, NewClaim), String>,
}

impl Document {
    fn new(uri: String) -> Self {
        Document {
            uri,
            title: None,
            kind: None,
            claims: Vec::new(),
            seen: HashMap::new(),
        }
    }

    /// The document's kind: its `kind:` tag, a video site, else an article.
    fn kind(&self) -> SourceKind {
        self.kind.unwrap_or_else(|| {
            let host = host_and_path(&self.uri).0;
            let video = ["youtube.com", "youtu.be", "vimeo.com"];
            if video
                .iter()
                .any(|v| host == *v || host.ends_with(&format!(".{v}")))
            {
                SourceKind::Video
            } else {
                SourceKind::Article
            }
        })
    }

    /// A claim set per coder of the document (the work's first). A coding of a source the
    /// work already has takes its metadata from it, so it has no `[source]` table.
    fn into_claim_sets(self, work: &Work, id: &str) -> Vec<ClaimSet> {
        let title = self.title.clone().unwrap_or_else(|| self.uri.clone());
        let kind = self.kind();
        let mut by_coder: BTreeMap<Option<String>, Vec<(String, NewClaim)>> = BTreeMap::new();
        for (annotation, coder, claim) in self.claims {
            by_coder.entry(coder).or_default().push((annotation, claim));
        }
        by_coder
            .into_iter()
            .map(|(coder, claims)| {
                let known = work.source_index(id).map(|i| &work.sources[i]);
                let (path, head) = match (&coder, known) {
                    (None, Some(s)) => (s.path(), Some(SourceTable::of(s))),
                    (None, None) => (
                        work.dir.join("sources").join(format!("{id}.toml")),
                        Some(SourceTable::new(&title, kind, &self.uri)),
                    ),
                    (Some(c), known) => (
                        work.dir.join("codings").join(c).join(format!("{id}.toml")),
                        known
                            .is_none()
                            .then(|| SourceTable::new(&title, kind, &self.uri)),
                    ),
                };
                ClaimSet {
                    // a link (even a dangling one) is something there: never written through
                    replaces: std::fs::symlink_metadata(&path).is_ok(),
                    toml: render(head, &claims),
                    path,
                    uri: self.uri.clone(),
                    claims: claims.len(),
                    id: id.to_string(),
                }
            })
            .collect()
    }
}

/// A source id for the document, unique among the ids of this import and the work's
/// files. A source whose `url` is the document's uri (both normalised), or that the uri
/// names (`export --format annotations`), keeps its id, whatever `from` says: that is a
/// re-import, which `--force` allows to replace.
fn source_id(
    work: &Work,
    doc: &Document,
    from: IdFrom,
    taken: &mut HashSet<String>,
    suffixes: &mut HashMap<String, usize>,
) -> String {
    if let Some(same) = url::known_source(work, &doc.uri).filter(|s| !taken.contains(&s.id)) {
        taken.insert(same.id.clone());
        return same.id.clone();
    }
    let from_url = || {
        let (host, path) = host_and_path(&doc.uri);
        let host = host.strip_prefix("www.").unwrap_or(host);
        to_kebab(&format!("{host} {path}"))
    };
    let base = match from {
        IdFrom::Title => doc
            .title
            .as_deref()
            .map(to_kebab)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(from_url),
        IdFrom::Url => from_url(),
    };
    let base = shorten(if base.is_empty() {
        "source".into()
    } else {
        base
    });
    let free = |id: &str| {
        !taken.contains(id)
            && work.source_index(id).is_none()
            && std::fs::symlink_metadata(work.dir.join("sources").join(format!("{id}.toml")))
                .is_err()
    };
    // documents sharing a title go on from the last suffix given to that title, not from 1
    let next = suffixes.entry(base.clone()).or_insert(1);
    let id = (*next..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .zip(*next..)
        .find(|(id, _)| free(id))
        .map(|(id, n)| {
            *next = n + 1;
            id
        })
        .expect("some suffix is free");
    taken.insert(id.clone());
    id
}

/// Ids are file names: long titles are cut at a word, to at most 60 characters.
fn shorten(id: String) -> String {
    const MAX: usize = 60;
    if id.len() <= MAX {
        return id;
    }
    let cut = id[..MAX].rfind('-').unwrap_or(MAX);
    id[..cut].to_string()
}

/// The host and path of a URL (`https://host/path?query` → `host`, `/path`), or of another
/// URI (`urn:x-pdf:abc` → `x-pdf:abc`, ``).
fn host_and_path(uri: &str) -> (&str, &str) {
    let rest = match uri.split_once("://") {
        Some((_, rest)) => rest,
        None => uri.split_once(':').map_or(uri, |(_, rest)| rest),
    };
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    }
}

#[derive(Serialize)]
struct Head<'a> {
    source: SourceTable<'a>,
}

#[derive(Serialize)]
struct SourceTable<'a> {
    title: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

impl<'a> SourceTable<'a> {
    fn new(title: &'a str, kind: SourceKind, url: &'a str) -> Self {
        SourceTable {
            title,
            kind: kind.name(),
            author: None,
            publisher: None,
            url: Some(url),
            published: None,
            text: None,
        }
    }

    /// The metadata of a source the work has, kept as it is when its claims are imported
    /// again.
    fn of(s: &'a crate::corpus::Source) -> Self {
        SourceTable {
            title: &s.title,
            kind: s.kind.unwrap_or(SourceKind::Article).name(),
            author: s.author.as_deref(),
            publisher: s.publisher.as_deref(),
            url: s.url.as_deref(),
            published: s.published.as_deref().map(|d| match d.parse() {
                Ok(date) if d.len() == 10 => toml::Value::Datetime(date),
                _ => toml::Value::String(d.to_string()),
            }),
            text: s.text.as_ref().map(|(t, _)| t.as_str()),
        }
    }
}

#[derive(Serialize)]
struct OneClaim<'a> {
    claim: [&'a NewClaim; 1],
}

/// A claim set as TOML, with a `[source]` table from `head` (title, kind, uri) when it has
/// one. The `toml` crate writes every value, so quotes, newlines, `"""` and control
/// characters in an annotation are escaped by construction; comments hold only what cannot
/// break them.
fn render(head: Option<SourceTable>, claims: &[(String, NewClaim)]) -> String {
    let mut out =
        String::from("# Imported from Hypothesis annotations by `parallax import hypothesis`.\n\n");
    if let Some(source) = head {
        let head = Head { source };
        out.push_str(&toml::to_string(&head).expect("a claim set serialises"));
    }
    for (id, claim) in claims {
        out.push_str(&format!("\n# annotation {}\n", comment_safe(id)));
        out.push_str(&toml::to_string(&OneClaim { claim: [claim] }).expect("a claim serialises"));
    }
    out
}

/// Text fit for a TOML comment: one line, no control characters.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Each claim set, validated as `check` would read it from its file.
fn validate_all(work: &Work, sets: &[ClaimSet]) -> Result<(), Vec<Diagnostic>> {
    let work_toml = work.dir.join("work.toml");
    let file = read_text(&work_toml).map_err(|d| vec![d])?;
    let (codebook, diags) = validate::work_file(&work.id, &work.dir, &file);
    let Some(codebook) = codebook else {
        return Err(diags);
    };
    let mut errors = Vec::new();
    for set in sets {
        let file = SourceFile::new(set.path.clone(), set.toml.as_str());
        let diags = if set.path.parent() == Some(work.dir.join("sources").as_path()) {
            validate::source_file(&file, Some(&codebook)).1
        } else {
            validate::coding_file(&file, Some(&codebook)).1
        };
        errors.extend(diags.into_iter().filter(Diagnostic::is_error));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_paths() {
        assert_eq!(
            host_and_path("https://www.example.com/anora/ending/?a=1#x"),
            ("www.example.com", "/anora/ending/")
        );
        assert_eq!(host_and_path("urn:x-pdf:abc123"), ("x-pdf:abc123", ""));
    }

    #[test]
    fn long_ids_are_cut_at_a_word() {
        let long = "a-very-long-title-".repeat(6);
        let short = shorten(to_kebab(&long));
        assert!(short.len() <= 60 && !short.ends_with('-'), "{short}");
        assert!(crate::corpus::model::is_kebab(&short));
    }

    proptest::proptest! {
        #[test]
        fn any_text_round_trips_through_the_toml(
            title in proptest::prelude::any::<String>(),
            summary in proptest::prelude::any::<String>(),
            id in proptest::prelude::any::<String>(),
        ) {
            let claim = NewClaim {
                scene: "s".into(),
                reading: "r".into(),
                stance: "endorses",
                summary: Some(summary.clone()),
                quote: None,
                attributed_to: Some(title.clone()),
                via: None,
            };
            let text = render(Some(SourceTable::new(&title, SourceKind::Article, &summary)), &[(id, claim)]);
            let table: toml::Table = text.parse().expect("valid TOML");
            proptest::prop_assert_eq!(table["source"]["title"].as_str(), Some(title.as_str()));
            let claim = &table["claim"].as_array().unwrap()[0];
            proptest::prop_assert_eq!(claim["summary"].as_str(), Some(summary.as_str()));
            proptest::prop_assert_eq!(claim["attributed_to"].as_str(), Some(title.as_str()));
        }
    }

    #[test]
    fn hostile_text_is_escaped_in_the_toml() {
        let hostile = "He said \"\"\" then\nleft\u{1}\u{7f} 'x' \\ end";
        let claim = NewClaim {
            scene: "s".into(),
            reading: "r".into(),
            stance: "endorses",
            summary: Some(hostile.into()),
            quote: Some("'''\n\"\"\"".into()),
            attributed_to: None,
            via: None,
        };
        let text = render(
            Some(SourceTable::new(
                hostile,
                SourceKind::Article,
                "https://x\n# y",
            )),
            &[("id\n[x]".into(), claim)],
        );
        let table: toml::Table = text.parse().expect("valid TOML");
        assert_eq!(table["source"]["title"].as_str(), Some(hostile));
        assert_eq!(table["source"]["url"].as_str(), Some("https://x\n# y"));
        let claim = &table["claim"].as_array().unwrap()[0];
        assert_eq!(claim["summary"].as_str(), Some(hostile));
        assert_eq!(claim["quote"].as_str(), Some("'''\n\"\"\""));
    }
}

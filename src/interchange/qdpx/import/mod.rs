//! `import qdpx`: a REFI-QDA project coded with the work's codebook (exported by parallax,
//! then coded further in a QDA program) read back into claim sets.
//!
//! [`import`] opens the zip within its bounds ([`archive`]), reads `project.qde`
//! ([`project`]), finds what each code stands for ([`codes`]), follows each text source to
//! its text, turns its selections into claims ([`claims`]) and renders each claim set as
//! TOML, validated against the codebook as `check` will read it. It writes nothing: the
//! caller shows, refuses or writes the files, all or none.

mod archive;
mod claims;
mod codes;
mod project;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use serde::Serialize;

pub use claims::Rejection;

use crate::corpus::load::read_text;
use crate::corpus::model::{is_kebab, to_kebab};
use crate::corpus::validate::{RESERVED_CODERS, coding_file};
use crate::corpus::{Source, SourceKind, Work, validate};
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::interchange::hypothesis::NewClaim;
use crate::interchange::qdpx::WORK_USER;
use crate::interchange::qdpx::project::KEPT_AS_NOTE;
use crate::interchange::shown;

/// Where the claims go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// the work's claim sets, `sources/<id>.toml`
    Sources,
    /// one coder's codings, `codings/<coder>/<id>.toml`
    Coder(String),
    /// each selection's user's codings, the user's name in kebab-case; the user named
    /// `parallax` (who made the work's claim sets) to `sources/`
    PerUser,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub destination: Destination,
}

/// A claim set to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimSetFile {
    pub path: PathBuf,
    pub toml: String,
    pub claims: usize,
    /// the file's text now, when it exists
    pub old: Option<String>,
}

/// An archived text to copy into the work's `texts/`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
    /// the file's text now, when it exists and differs
    pub old: Option<String>,
}

/// The result of reading a project against a work.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Import {
    /// the project's coded passages (groups of selections of one place)
    pub passages: usize,
    pub claim_sets: Vec<ClaimSetFile>,
    /// texts that are not yet in `texts/` as they are in the project
    pub texts: Vec<TextFile>,
    /// passages that did not become claims, in project order
    pub rejected: Vec<Rejection>,
    /// notes the export made of claims without a place in a text (no quote, a quote or a
    /// text not found): a note is not coded, so it is not read back
    pub notes_not_imported: usize,
}

/// A source of the import: its id, its text source and where its text goes.
struct Target<'p> {
    id: String,
    source: &'p project::TextSource,
    text_name: String,
    text: String,
}

/// Reads the project in `bytes` into claim sets for `work`. Fails, naming the element,
/// when the archive or the project is unsafe or malformed; a passage that cannot be a claim
/// is a rejection instead.
pub fn import(work: &Work, bytes: Vec<u8>, options: &ImportOptions) -> Result<Import, Diagnostic> {
    let fail = |m: String| Diagnostic::error(m);
    if let Destination::Coder(name) = &options.destination {
        check_coder(name)?;
    }
    let mut zip = archive::Archive::open(bytes).map_err(fail)?;
    let xml = zip.text("project.qde").map_err(fail)?.ok_or_else(|| {
        fail("the archive holds no project.qde: it is not a REFI-QDA project".into())
    })?;
    let project = project::read(&xml).map_err(fail)?;
    drop(xml);
    let meanings = codes::meanings(work, &project);
    let mut out = Import {
        notes_not_imported: project
            .notes
            .values()
            .filter(|n| n.description.lines().any(|l| l.starts_with(KEPT_AS_NOTE)))
            .count(),
        ..Import::default()
    };
    let mut taken: HashSet<String> = HashSet::new();
    let mut sets: BTreeMap<(Option<String>, String), SetBuild> = BTreeMap::new();
    let mut targets: Vec<Target> = Vec::new();
    for source in project.sources.iter().filter(|s| !s.selections.is_empty()) {
        let text = read_source_text(&mut zip, source).map_err(fail)?;
        let (found, rejected) =
            claims::of_source(work, &project, &meanings, source, &text).map_err(fail)?;
        out.passages += found.len() + rejected.len();
        out.rejected.extend(rejected);
        let id = source_id(source, &mut taken);
        for f in found {
            let Some(coder) = coder_of(&options.destination, &project, f.user.as_deref()) else {
                out.rejected.push(Rejection {
                    source: source.name.clone(),
                    selection: f.selection,
                    reason: "its user's name gives no coder id (letters or digits)".into(),
                });
                continue;
            };
            let set = sets.entry((coder, id.clone())).or_default();
            if let Some(first) = set.seen.get(&f.claim) {
                out.rejected.push(Rejection {
                    source: source.name.clone(),
                    selection: f.selection,
                    reason: format!("the same claim as selection {}", shown(first)),
                });
                continue;
            }
            set.seen.insert(f.claim.clone(), f.selection.clone());
            set.claims.push((f.selection, f.claim));
        }
        let text_name = work
            .source_index(&id)
            .and_then(|i| work.sources[i].text.as_ref())
            .map_or_else(|| format!("{id}.txt"), |(n, _)| n.clone());
        targets.push(Target {
            id,
            source,
            text_name,
            text,
        });
    }
    let by_id: HashMap<&str, &Target> = targets.iter().map(|t| (t.id.as_str(), t)).collect();
    for ((coder, id), set) in &sets {
        out.claim_sets.push(claim_set_file(
            work,
            coder.as_deref(),
            by_id[id.as_str()],
            set,
        )?);
    }
    let used: HashSet<&str> = sets.keys().map(|(_, id)| id.as_str()).collect();
    for t in targets.iter().filter(|t| used.contains(t.id.as_str())) {
        let path = work.dir.join("texts").join(&t.text_name);
        confined(work, &path)?;
        let old = match fs::read(&path) {
            Ok(bytes) if same_text(&bytes, &t.text) => continue,
            Ok(_) => Some(existing(&path)?),
            Err(_) => None,
        };
        out.texts.push(TextFile {
            path,
            text: t.text.clone(),
            old,
        });
    }
    for path in out
        .claim_sets
        .iter()
        .map(|s| &s.path)
        .chain(out.texts.iter().map(|t| &t.path))
    {
        confined(work, path)?;
    }
    validate_all(work, &out.claim_sets)?;
    Ok(out)
}

/// A file the import writes must be a regular file, or none yet, in a folder that really is
/// inside the work: a link (the file's, or a folder's on the way) never leads a write out.
fn confined(work: &Work, path: &std::path::Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "{} {why}: parallax writes only inside the work",
            path.display()
        ))
        .with_help("replace the link with a folder or file of the work"))
    };
    if let Ok(m) = fs::symlink_metadata(path)
        && !m.is_file()
    {
        return refuse("is not a regular file (a link?)");
    }
    let root = fs::canonicalize(&work.dir).unwrap_or_else(|_| work.dir.clone());
    let mut dir = path.parent();
    while let Some(d) = dir {
        if let Ok(real) = fs::canonicalize(d) {
            if !real.starts_with(&root) {
                return refuse("is in a folder that leads outside the work");
            }
            return Ok(());
        }
        dir = d.parent();
    }
    Ok(())
}

/// A file the import would replace, exactly as it is (a byte-order mark included), so that
/// the edit can tell whether it changed meanwhile; one that is not UTF-8 is not replaced.
fn existing(path: &std::path::Path) -> Result<String, Diagnostic> {
    let bytes = fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(format!(
            "{} exists and is not UTF-8 text: parallax does not replace it",
            path.display()
        ))
        .with_help("move it away, then import again")
    })
}

/// Whether the archived text already in `texts/` is the project's text, as the export
/// writes it: without a byte-order mark, every line end a line feed. Such a text is kept as
/// it is.
fn same_text(old: &[u8], new: &str) -> bool {
    let old = old.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(old);
    match std::str::from_utf8(old) {
        Ok(o) if o.contains('\r') => o.replace("\r\n", "\n").replace('\r', "\n") == new,
        Ok(o) => o == new,
        Err(_) => false,
    }
}

/// A coder named on the command line must be one a folder can hold.
fn check_coder(name: &str) -> Result<(), Diagnostic> {
    if !is_kebab(name) || RESERVED_CODERS.contains(&name) {
        return Err(Diagnostic::error(format!(
            "--coder {}: a coder's id is lowercase kebab-case and not one of {}",
            shown(name),
            RESERVED_CODERS.join(", ")
        ))
        .with_help(format!("for example --coder {}", {
            let k = to_kebab(name);
            if k.is_empty() {
                "alice".to_string()
            } else {
                format!("{k}-coder")
            }
        })));
    }
    Ok(())
}

/// The text of a text source, from the `sources/` folder of the archive.
fn read_source_text(
    zip: &mut archive::Archive,
    source: &project::TextSource,
) -> Result<String, String> {
    let at = || {
        format!(
            "<TextSource guid={}> ({})",
            shown(&source.guid),
            shown(&source.name)
        )
    };
    let path = source
        .path
        .as_deref()
        .ok_or_else(|| format!("{} has no plainTextPath: its text cannot be found", at()))?;
    let name = path
        .strip_prefix("internal://")
        .filter(|n| validate::is_plain_file_name(n))
        .ok_or_else(|| {
            format!(
                "{}: plainTextPath {} is not a file inside the project (internal://NAME)",
                at(),
                shown(path)
            )
        })?;
    zip.text(&format!("sources/{name}"))?
        .ok_or_else(|| format!("{}: its text sources/{name} is not in the archive", at()))
}

/// The coder a passage made by `user` goes to: `Some(None)` for the work's claim sets,
/// `Some(Some(coder))` for a coder's codings, `None` when the user's name gives no id.
fn coder_of(
    dest: &Destination,
    project: &project::Project,
    user: Option<&str>,
) -> Option<Option<String>> {
    match dest {
        Destination::Sources => Some(None),
        Destination::Coder(c) => Some(Some(c.clone())),
        Destination::PerUser => {
            let name = user
                .and_then(|u| project.users.get(u))
                .map_or("", String::as_str);
            if name == WORK_USER {
                return Some(None);
            }
            let id = to_kebab(name);
            if id.is_empty() || RESERVED_CODERS.contains(&id.as_str()) {
                None
            } else {
                Some(Some(id))
            }
        }
    }
}

/// The id of a text source's source: its `source id` variable or the `parallax source id:`
/// line the export writes, else its name in kebab-case, made unique within the import.
fn source_id(source: &project::TextSource, taken: &mut HashSet<String>) -> String {
    let given = source
        .variables
        .iter()
        .find(|(n, _)| n == "source id")
        .map(|(_, v)| v.clone())
        .or_else(|| {
            source
                .description
                .lines()
                .find_map(|l| l.trim().strip_prefix("parallax source id: "))
                .map(|v| v.trim().to_string())
        })
        .filter(|id| is_kebab(id));
    let base = given.unwrap_or_else(|| {
        let k = to_kebab(&source.name);
        let k = if k.len() > 60 {
            k[..k[..60].rfind('-').unwrap_or(60)].to_string()
        } else {
            k
        };
        if k.is_empty() { "source".into() } else { k }
    });
    let mut id = base.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// The claims of one claim set, as they are gathered.
#[derive(Default)]
struct SetBuild {
    /// (first selection's GUID, claim), in project order
    claims: Vec<(String, NewClaim)>,
    seen: HashMap<NewClaim, String>,
}

#[derive(Serialize)]
struct Head {
    source: SourceTable,
}

#[derive(Serialize)]
struct SourceTable {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<toml::Value>,
    text: String,
}

#[derive(Serialize)]
struct OneClaim<'a> {
    claim: [&'a NewClaim; 1],
}

/// A claim set as TOML: a `[source]` table (left out of a coding whose source the work
/// already describes), then each claim under the GUID of the selection it came from.
fn claim_set_file(
    work: &Work,
    coder: Option<&str>,
    target: &Target,
    set: &SetBuild,
) -> Result<ClaimSetFile, Diagnostic> {
    let known = work
        .source_index(&target.id)
        .map(|i| &work.sources[i])
        .or_else(|| work.codings().map(|(_, s)| s).find(|s| s.id == target.id));
    let dir = match coder {
        None => work.dir.join("sources"),
        Some(c) => work.dir.join("codings").join(c),
    };
    let path = dir.join(format!("{}.toml", target.id));
    confined(work, &path)?;
    let mut toml =
        String::from("# Imported from a REFI-QDA project by `parallax import qdpx`.\n\n");
    let in_sources = work.source_index(&target.id).is_some();
    if coder.is_none() || !in_sources {
        let head = Head {
            source: match known {
                Some(s) => table_of(s, &target.text_name),
                None => table_from_project(target),
            },
        };
        toml.push_str(&toml::to_string(&head).expect("a [source] table serialises"));
    }
    for (guid, claim) in &set.claims {
        toml.push_str(&format!("\n# selection {}\n", comment_safe(guid)));
        toml.push_str(&toml::to_string(&OneClaim { claim: [claim] }).expect("a claim serialises"));
    }
    let old = match fs::symlink_metadata(&path) {
        Ok(m) if !m.is_file() => {
            return Err(Diagnostic::error(format!(
                "{} is not a regular file (a link?): parallax writes only regular files",
                path.display()
            )));
        }
        Ok(_) => Some(existing(&path)?),
        Err(_) => None,
    };
    Ok(ClaimSetFile {
        path,
        toml,
        claims: set.claims.len(),
        old,
    })
}

/// The `[source]` table of a source the work already has.
fn table_of(s: &Source, text_name: &str) -> SourceTable {
    SourceTable {
        title: s.title.clone(),
        kind: s.kind.map(|k| k.name().to_string()),
        author: s.author.clone(),
        publisher: s.publisher.clone(),
        url: s.url.clone(),
        published: s.published.as_deref().map(published),
        text: s
            .text
            .as_ref()
            .map_or_else(|| text_name.to_string(), |(n, _)| n.clone()),
    }
}

/// The `[source]` table of a new source: its text source's name and variables.
fn table_from_project(t: &Target) -> SourceTable {
    let var = |name: &str| {
        t.source
            .variables
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let title = Some(t.source.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| t.id.clone());
    SourceTable {
        title,
        kind: var("kind").filter(|k| SourceKind::parse(k).is_some()),
        author: var("author"),
        publisher: var("publisher"),
        url: var("url"),
        published: var("published")
            .filter(|d| validate::partial_date(d).is_ok())
            .map(|d| published(&d)),
        text: t.text_name.clone(),
    }
}

/// A full date as a TOML date, a year or a month as the string `check` accepts.
fn published(d: &str) -> toml::Value {
    match d.parse::<toml::value::Datetime>() {
        Ok(date) if d.len() == 10 => toml::Value::Datetime(date),
        _ => toml::Value::String(d.to_string()),
    }
}

/// Text fit for a TOML comment: one line, no control characters.
fn comment_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Each claim set, validated as `check` would read it from its file: a claim set of
/// `sources/` as one, a coding as one.
fn validate_all(work: &Work, sets: &[ClaimSetFile]) -> Result<(), Diagnostic> {
    let file = read_text(&work.dir.join("work.toml"))?;
    let (codebook, diags) = validate::work_file(&work.id, &work.dir, &file);
    let Some(codebook) = codebook else {
        return Err(diags
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::error("the work's codebook cannot be read")));
    };
    let sources = work.dir.join("sources");
    for set in sets {
        let file = SourceFile::new(set.path.clone(), set.toml.as_str());
        let diags = if set.path.parent() == Some(sources.as_path()) {
            validate::source_file(&file, Some(&codebook)).1
        } else {
            coding_file(&file, Some(&codebook)).1
        };
        if let Some(d) = diags.into_iter().find(Diagnostic::is_error) {
            return Err(d);
        }
    }
    Ok(())
}

//! `parallax new source ID` and `parallax new work ID`: a commented template, ready to
//! fill in. Where a value is needed the template has "…" (or, for a claim's summary, an
//! empty string), which `check` refuses, so a forgotten placeholder never passes as data;
//! optional fields are commented out.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::{FileChange, Plan, check_new_id, locate_work};
use crate::corpus::load::MAX_FILE_BYTES;
use crate::corpus::model::SourceKind;
use crate::corpus::raw;
use crate::corpus::validate::{is_plain_file_name, partial_date};
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::gate::{Gate, Refused};

/// The values `new source` can fill in from the command line.
#[derive(Debug, Clone, Default)]
pub struct SourceFields {
    pub title: Option<String>,
    pub kind: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    pub text: Option<String>,
    pub published: Option<String>,
}

/// Plans `sources/ID.toml` in the work: a `[source]` table and one example claim.
pub fn new_source(
    root: &Path,
    work: Option<&str>,
    id: &str,
    fields: &SourceFields,
) -> Result<Plan, Vec<Diagnostic>> {
    check_new_id(id, "source").map_err(|d| vec![d])?;
    let errors = check_fields(fields);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (work_id, dir) = locate_work(root, work).map_err(|d| vec![d])?;
    let gate = super::gate(root).map_err(|d| vec![*d])?;
    let notes: Vec<String> = super::journal::finish_interrupted(&gate, &dir)
        .map_err(|d| vec![d])?
        .into_iter()
        .collect();
    let work_path = dir.join("work.toml");
    let codebook: Option<raw::WorkFile> = match gate.read(&work_path, MAX_FILE_BYTES) {
        Ok(bytes) => String::from_utf8(bytes)
            .ok()
            .and_then(|t| toml::from_str(t.trim_start_matches('\u{FEFF}')).ok()),
        Err(Refused::Missing) => {
            return Err(vec![
                Diagnostic::error(format!(
                    "the work folder {} has no work.toml",
                    dir.display()
                ))
                .at_path(&work_path)
                .with_help(format!("start the work first: parallax new work {work_id}")),
            ]);
        }
        Err(r) => return Err(vec![super::refused(&work_path, &r)]),
    };
    let sources = dir.join("sources");
    let path = sources.join(format!("{id}.toml"));
    refuse_existing(&gate, &path)?;
    let text = source_template(&path, &work_id, codebook.as_ref(), fields);
    Ok(Plan {
        root: root.to_path_buf(),
        work_dir: Some(dir),
        notes,
        create_dirs: vec![sources],
        changes: vec![FileChange {
            path: path.clone(),
            old: None,
            new: Some(text),
        }],
        summary: format!(
            "wrote {}: fill in each \"…\", then run `parallax check`",
            path.display()
        ),
    })
}

/// Plans `ID/work.toml` (and an empty `ID/sources/`) in the corpus.
pub fn new_work(root: &Path, id: &str, title: Option<&str>) -> Result<Plan, Vec<Diagnostic>> {
    check_new_id(id, "work").map_err(|d| vec![d])?;
    let dir = root.join(id);
    let path = dir.join("work.toml");
    if std::fs::symlink_metadata(root).is_ok() {
        let gate = super::gate(root).map_err(|d| vec![*d])?;
        refuse_existing(&gate, &path)?;
    }
    let text = work_template(&path, title);
    Ok(Plan {
        root: root.to_path_buf(),
        work_dir: None,
        notes: Vec::new(),
        create_dirs: vec![dir.clone(), dir.join("sources")],
        changes: vec![FileChange {
            path: path.clone(),
            old: None,
            new: Some(text),
        }],
        summary: format!(
            "wrote {}: fill in each \"…\", rename the example ids, then run `parallax check`; \
             claim sets go in {} (`parallax new source ID`)",
            path.display(),
            dir.join("sources").display()
        ),
    })
}

/// A new file goes where nothing is yet, in a folder inside the corpus: never over a file,
/// never through a link (a dangling one included), never out of the corpus.
fn refuse_existing(gate: &Gate, path: &Path) -> Result<(), Vec<Diagnostic>> {
    let exists = || {
        vec![
            Diagnostic::error(format!("{} already exists", path.display()))
                .at_path(path)
                .with_help(
                    "parallax new never overwrites a file: choose another id, or edit that file",
                ),
        ]
    };
    // the folders may not exist yet: the nearest that does must lie inside
    let mut dir = path.parent();
    while let Some(d) = dir {
        if std::fs::symlink_metadata(d).is_ok() {
            break;
        }
        dir = d.parent();
    }
    if let Some(d) = dir.filter(|d| !d.as_os_str().is_empty())
        && let Err(r) = gate.folder(d)
    {
        return Err(vec![super::refused(d, &r)]);
    }
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Ok(m) if m.file_type().is_symlink() => {
            return Err(vec![super::refused(path, &Refused::Link)]);
        }
        _ => return Err(exists()),
    }
    match gate.writable(path) {
        Ok(_) | Err(Refused::Missing) => Ok(()),
        Err(r) => Err(vec![super::refused(path, &r)]),
    }
}

/// The command-line values, checked as `check` would check them in the file.
fn check_fields(f: &SourceFields) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if let Some(kind) = f.kind.as_deref().filter(|k| SourceKind::parse(k).is_none()) {
        let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.name()).collect();
        errors.push(
            Diagnostic::error(format!("--kind: unknown source kind \"{kind}\"")).with_help(
                format!(
                    "{} (one of {})",
                    did_you_mean(kind, &names, "kind"),
                    names.join(", ")
                ),
            ),
        );
    }
    if let Some(date) = &f.published
        && let Err(why) = partial_date(date)
    {
        errors.push(
            Diagnostic::error(format!("--published: \"{date}\" is not a date ({why})"))
                .with_help("write 2025-03-05, or 2025-03 or 2025 when that is all that is known"),
        );
    }
    if let Some(text) = f.text.as_deref().filter(|t| !is_plain_file_name(t)) {
        errors.push(
            Diagnostic::error(format!("--text: \"{text}\" is not a plain file name"))
                .with_help("name a file in the work's texts/ folder, without folders"),
        );
    }
    if f.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
        errors.push(Diagnostic::error("--title is empty"));
    }
    errors
}

/// A TOML string (quoted and escaped).
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML basic string on one line, every control character escaped (`toml` writes a
/// string holding a line break as a multi-line string, which cannot stand in a comment).
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One line of a template: `key = value` with its comment in a column. A field without
/// a value is written commented out, as `placeholder` or else `# key = "…"`.
struct Line<'a> {
    key: &'a str,
    value: Option<String>,
    placeholder: &'a str,
    comment: &'a str,
}

/// A field with a value.
fn set<'a>(key: &'a str, value: String, comment: &'a str) -> Line<'a> {
    Line {
        key,
        value: Some(value),
        placeholder: "",
        comment,
    }
}

/// An optional field: its value when given, else commented out.
fn opt<'a>(
    key: &'a str,
    value: Option<String>,
    placeholder: &'a str,
    comment: &'a str,
) -> Line<'a> {
    Line {
        key,
        value,
        placeholder,
        comment,
    }
}

fn write_lines(out: &mut String, lines: Vec<Line<'_>>) {
    for l in lines {
        let field = match l.value {
            Some(v) => format!("{} = {v}", l.key),
            None if l.placeholder.is_empty() => format!("# {} = \"…\"", l.key),
            None => l.placeholder.to_string(),
        };
        let _ = if l.comment.is_empty() {
            writeln!(out, "{field}")
        } else {
            writeln!(out, "{field:<32} # {}", l.comment)
        };
    }
}

/// A few names, for a comment: ": opening, finale, …", or nothing.
fn some_names<'a>(names: impl Iterator<Item = Cow<'a, str>>) -> String {
    let names: Vec<Cow<'a, str>> = names.collect();
    if names.is_empty() {
        return String::new();
    }
    let mut shown = names
        .iter()
        .take(8)
        .map(|n| n.as_ref())
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 8 {
        shown.push_str(", …");
    }
    format!(": {shown}")
}

fn source_template(
    path: &Path,
    work_id: &str,
    codebook: Option<&raw::WorkFile>,
    f: &SourceFields,
) -> String {
    let mut out = schema_line(path, "source");
    let work_title = codebook
        .and_then(|c| c.work.as_ref())
        .and_then(|w| w.get_ref().title.as_ref())
        .map_or(work_id.to_string(), |t| t.get_ref().clone());
    // from the corpus, into a comment: quoted and escaped, so no line break ends the comment
    let work_title = one_line(&work_title);
    let _ = write!(
        out,
        "# The claim set of one source on {work_title}: what it says about the work's scenes.\n\
         # Fill in each \"…\" (uncomment the optional fields you need), then run `parallax check`:\n\
         # it points at whatever is still missing.\n\n[source]\n"
    );
    write_lines(&mut out, source_lines(f));
    out.push_str(
        "\n# One claim is one reading of one scene: copy the table for each claim. Claims with the\n\
         # same scene, reading and stance but other words are more evidence, not duplicates.\n\
         [[claim]]\n",
    );
    let scenes = codebook.map(|c| ids(&c.scene, |s| &s.id));
    let readings = codebook.map(|c| ids(&c.reading, |r| &r.id));
    let scene_help = format!("a scene id or alias{}", scenes.unwrap_or_default());
    let reading_help = format!("a reading id or alias{}", readings.unwrap_or_default());
    write_lines(&mut out, claim_lines(&scene_help, &reading_help));
    out
}

/// The `[source]` fields, with the values given on the command line.
fn source_lines(f: &SourceFields) -> Vec<Line<'static>> {
    // a full date is a TOML date; a year or a month is a string
    let date = (f.published.as_deref()).map(|d| {
        if d.len() == 10 {
            d.to_string()
        } else {
            quoted(d)
        }
    });
    let value = |v: &Option<String>| v.as_deref().map(quoted);
    let title = quoted(f.title.as_deref().unwrap_or("…"));
    let kind = quoted(f.kind.as_deref().unwrap_or("…"));
    vec![
        set("title", title, "the source's title, as it gives it"),
        set(
            "kind",
            kind,
            "article | review | essay | interview | video | podcast | book | other",
        ),
        opt(
            "author",
            value(&f.author),
            "",
            "optional: who wrote or made it",
        ),
        opt("publisher", None, "", "optional: where it appeared"),
        opt("url", value(&f.url), "", "optional: where it can be read"),
        opt("published", date, "# published = 2025-03-05", PUBLISHED),
        opt("text", value(&f.text), "", TEXT),
    ]
}

const PUBLISHED: &str = "optional: a TOML date, or \"2025\" / \"2025-03\"";
const TEXT: &str = "optional: an archived copy in texts/; quotes are checked against it";

/// The fields of the example claim.
fn claim_lines<'a>(scene_help: &'a str, reading_help: &'a str) -> Vec<Line<'a>> {
    vec![
        set("scene", quoted("…"), scene_help),
        set("reading", quoted("…"), reading_help),
        set(
            "stance",
            quoted("endorses"),
            "endorses (the default) | considers | rejects",
        ),
        // empty, not "…": a summary may be any text, but a claim needs a summary or a quote
        set("summary", quoted(""), "the source's point, in your words"),
        opt(
            "quote",
            None,
            "",
            "optional: its exact words (checked against `text`)",
        ),
        opt(
            "attributed_to",
            None,
            "",
            "optional: whose view it reports, if not its own",
        ),
        opt("via", None, "", "optional: where that person said it"),
    ]
}

/// ": a, b, …": the ids of a work's scenes or readings, for a comment.
fn ids<T>(
    tables: &[toml::Spanned<T>],
    id: impl Fn(&T) -> &Option<toml::Spanned<String>>,
) -> String {
    some_names(
        tables
            .iter()
            .filter_map(|t| id(t.get_ref()).as_ref())
            .map(|i| in_comment(i.get_ref())),
    )
}

/// A name from the corpus as it may stand in a `#` comment: as it is when it holds no
/// control character (a line break would end the comment and start TOML of its own), else
/// as a quoted TOML string, whose escapes show them.
fn in_comment(name: &str) -> Cow<'_, str> {
    if name
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        Cow::Owned(quoted(name))
    } else {
        Cow::Borrowed(name)
    }
}

/// The end of a work template: the people registry, commented out.
const PEOPLE: &str = "
# The people whose views sources report (optional). Once there is a [[person]], every
# claim's attributed_to must name one of them, by id, name or alias.
# [[person]]
# id = \"sean-baker\"
# name = \"Sean Baker\"
# aliases = [\"Baker\"]
# role = \"director\"
";

fn work_template(path: &Path, title: Option<&str>) -> String {
    let mut out = schema_line(path, "work");
    out.push_str(
        "# A work and its codebook. Fill in each \"…\", rename the example ids (lowercase\n\
         # kebab-case: ring-return, reclaimed-power), then run `parallax check`.\n\n[work]\n",
    );
    let aliases = "# aliases = [\"…\"]";
    let other_names = "optional: other names for it (any case)";
    write_lines(
        &mut out,
        vec![
            set("title", quoted(title.unwrap_or("…")), "the work's title"),
            opt("year", None, "# year = 2024", "optional: year of release"),
            opt(
                "creators",
                None,
                "# creators = [\"…\"]",
                "optional: directors, writers or authors",
            ),
        ],
    );
    out.push_str(
        "\n# The scenes, in narrative order: tables list them in this order.\n[[scene]]\n",
    );
    write_lines(
        &mut out,
        vec![
            set(
                "id",
                quoted("first-scene"),
                "unique among the scenes; claims name the scene by it",
            ),
            set("title", quoted("…"), "a short human title"),
            opt("aliases", None, aliases, other_names),
            opt("description", None, "", "optional: what happens in it"),
        ],
    );
    out.push_str("\n[[scene]]\n");
    write_lines(
        &mut out,
        vec![
            set("id", quoted("second-scene"), ""),
            set("title", quoted("…"), ""),
        ],
    );
    out.push_str("\n# The codebook: the readings a source may take of a scene.\n[[reading]]\n");
    write_lines(
        &mut out,
        vec![
            set("id", quoted("first-reading"), "unique among the readings"),
            set("label", quoted("…"), "a short human label"),
            opt(
                "description",
                None,
                "",
                "optional: what taking this reading means",
            ),
            opt("aliases", None, aliases, other_names),
            set(
                "excludes",
                "[\"second-reading\"]".into(),
                "optional: readings that cannot hold with this one",
            ),
        ],
    );
    out.push_str("\n[[reading]]\n");
    write_lines(
        &mut out,
        vec![
            set("id", quoted("second-reading"), ""),
            set("label", quoted("…"), ""),
        ],
    );
    out.push_str(PEOPLE);
    out
}

/// The `#:schema` line: the relative path to `schemas/<of>.schema.json` when the file
/// lies inside a folder that has them (this repository, or a project that copied them),
/// else a note on how to get the schema.
fn schema_line(path: &Path, of: &str) -> String {
    let name = format!("{of}.schema.json");
    match relative_schema(path, &name) {
        Some(rel) => format!("#:schema {rel}\n"),
        None => format!(
            "# Editors can check this file as you type: `parallax schema {of} -o {name}`, then\n\
             # make the first line `#:schema` followed by the path to {name}.\n"
        ),
    }
}

fn relative_schema(path: &Path, name: &str) -> Option<String> {
    let dir = absolute(path.parent()?)?;
    let mut up = 0;
    let mut at: &Path = &dir;
    loop {
        if at.join("schemas").join(name).is_file() {
            let mut rel = "../".repeat(up);
            rel.push_str("schemas/");
            rel.push_str(name);
            return Some(rel);
        }
        at = at.parent()?;
        up += 1;
    }
}

/// `dir` as an absolute path, links resolved in the part that exists (the folders a new
/// file goes into may not exist yet).
fn absolute(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    let mut existing = dir.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(found) = existing.canonicalize() {
            return Some(rest.iter().rev().fold(found, |path, part| path.join(part)));
        }
        rest.push(existing.file_name()?);
        existing = existing.parent()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_line_is_relative_inside_this_repository() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = root.join("interpretations/new-work/sources/x.toml");
        assert_eq!(
            schema_line(&path, "source"),
            "#:schema ../../../schemas/source.schema.json\n"
        );
        let outside = tempfile::tempdir().unwrap();
        let line = schema_line(&outside.path().join("c/w/work.toml"), "work");
        assert!(line.contains("parallax schema work"), "{line}");
    }

    #[test]
    fn the_templates_parse_as_their_file_types() {
        let fields = SourceFields {
            title: Some("A \"quoted\" title".into()),
            published: Some("2025-03".into()),
            ..SourceFields::default()
        };
        let source = source_template(Path::new("x/sources/a.toml"), "w", None, &fields);
        let parsed: raw::SourceFile = toml::from_str(&source).unwrap();
        let meta = parsed.source.unwrap().into_inner();
        assert_eq!(meta.title.unwrap().into_inner(), "A \"quoted\" title");
        assert_eq!(
            meta.published.unwrap().into_inner(),
            raw::Published::Text("2025-03".into())
        );
        let work: raw::WorkFile =
            toml::from_str(&work_template(Path::new("x/work.toml"), None)).unwrap();
        assert_eq!(work.scene.len(), 2);
        assert_eq!(work.reading.len(), 2);
    }
}

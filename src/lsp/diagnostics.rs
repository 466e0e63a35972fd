//! What `check` says about a buffer, as the editor shows it: the loader's validator and the
//! quote checker run on the buffer's text (not the file on disk), and each problem becomes
//! an LSP diagnostic at the range of the offending value, with the same message, its label,
//! notes and help, its severity, and related locations (the first definition of a duplicate,
//! the closest passage of an archived text). A "did you mean" becomes a fix, carried in the
//! diagnostic's `data` for the code action that applies it.

use std::path::Path;

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, Position, Range};
use serde_json::json;

use super::files::{Kind, path_to_uri};
use super::index::WorkIndex;
use super::position::Encoding;
use super::recovery;
use super::state::{Document, Haystacks};
use crate::corpus::model::{Pos, alias_key};
use crate::corpus::people::look_alike_message;
use crate::corpus::texts::{check_source, read_found};
use crate::corpus::validate;
use crate::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::quotes::Haystack;

/// The diagnostics of a document, computed from its text.
pub fn compute(
    index: &WorkIndex,
    doc: &Document,
    enc: Encoding,
    haystacks: &mut Haystacks,
) -> Vec<lsp_types::Diagnostic> {
    let file = doc.source_file();
    let found = match &doc.file.kind {
        Kind::Work => {
            let mut found = index.work_diags.clone();
            if let Some(cb) = &index.codebook
                && !found.iter().any(Diagnostic::is_error)
            {
                let (read, used) = index.coverage();
                found.extend(cb.coverage(&read, &used));
            }
            found
        }
        kind => claims(index, &file, kind, haystacks),
    };
    found
        .iter()
        .filter(|d| d.file.as_deref().is_none_or(|f| f == doc.path))
        .map(|d| to_lsp(d, doc, &file, enc))
        .collect()
}

/// A claim set or coding: validated against the work's codebook, then, when it is valid,
/// its quotes checked against its archived text.
fn claims(
    index: &WorkIndex,
    file: &SourceFile,
    kind: &Kind,
    haystacks: &mut Haystacks,
) -> Vec<Diagnostic> {
    let codebook = index.codebook.as_ref();
    let (source, mut diags) = if kind.source_table_optional() {
        recovery::validate(file, |f| {
            let (coding, diags) = validate::coding_file(f, codebook);
            let coding = coding.map(|c| {
                let own = c.has_metadata();
                let mut source = c.source;
                // a coding without a `[source]` table of its own is checked against the
                // text its source's claim set names; what is wrong with that text is
                // reported there
                if !own {
                    source.text = index.source_text(&source.id).map(|t| (t, Pos::default()));
                }
                source
            });
            (coding, diags)
        })
    } else {
        recovery::validate(file, |f| validate::source_file(f, codebook))
    };
    if !index.work_diags.iter().any(Diagnostic::is_error) {
        diags.extend(look_alikes(index, file));
    }
    if let Some(source) = source {
        let report = check_source(&source, Some(file), &index.texts, |found| {
            haystacks.get(&found.real, || {
                read_found(found).map(|text| Haystack::new(&text.text))
            })
        });
        diags.extend(report.diagnostics);
    }
    crate::diagnostic::sort_by_place(&mut diags);
    diags
}

/// The warnings about names that look like one person ("Baker", "Sean Baker") whose
/// shorter name is first written in this claim file, at that name.
fn look_alikes(index: &WorkIndex, file: &SourceFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let scan = super::syntax::Scan::new(&file.text);
    for (short, long, path) in index.look_alikes() {
        if path != file.path {
            continue;
        }
        let key = alias_key(short);
        let written = (scan.tables.iter().filter(|t| t.name == "claim"))
            .flat_map(|t| &t.entries)
            .filter(|e| e.key == "attributed_to")
            .filter_map(|e| e.values.first())
            .find(|v| alias_key(&v.text) == key);
        let Some(value) = written else { continue };
        let (message, help) = look_alike_message(short, long);
        out.push(file.warning(message, value.span.clone()).with_help(help));
    }
    out
}

/// One problem as the editor shows it.
fn to_lsp(
    d: &Diagnostic,
    doc: &Document,
    file: &SourceFile,
    enc: Encoding,
) -> lsp_types::Diagnostic {
    let text = doc.text.as_str();
    let span = match (&d.snippet, d.line, d.column) {
        (Some(snippet), _, _) => snippet.span().clone(),
        (None, Some(line), Some(column)) => {
            let at = file.offset(pos(line, column));
            at..at
        }
        _ => 0..0,
    };
    let range = doc.lines.range(text, span.clone(), enc);
    let mut message = d.message.clone();
    if let Some(label) = &d.label {
        message.push_str(&format!("\n{label}"));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related = related(d, doc, file, enc);
    let fixes = fixes(d, text, span, doc, enc);
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: None,
        code_description: None,
        source: Some("parallax".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: (!fixes.is_empty()).then(|| json!({ "fixes": fixes })),
    }
}

fn pos(line: usize, column: usize) -> Pos {
    let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos {
        line: small(line),
        column: small(column),
    }
}

/// The places a diagnostic's notes name: "first used at line 3, column 6" in the same file,
/// "closest passage (texts/a.txt:12, …)" in an archived text.
fn related(
    d: &Diagnostic,
    doc: &Document,
    file: &SourceFile,
    enc: Encoding,
) -> Vec<DiagnosticRelatedInformation> {
    let mut out = Vec::new();
    for note in &d.notes {
        let note = note.to_string();
        let first_line = note.lines().next().unwrap_or("");
        if let Some((line, column)) = line_and_column(first_line) {
            let at = file.offset(pos(line, column));
            let p = doc.lines.position(&doc.text, at, enc);
            out.push(DiagnosticRelatedInformation {
                location: Location {
                    uri: doc.uri.clone(),
                    range: Range { start: p, end: p },
                },
                message: first_line.to_string(),
            });
        } else if let Some((path, line)) = closest_passage(first_line)
            && let Some(uri) = path_to_uri(Path::new(path))
        {
            let p = Position {
                line: line.saturating_sub(1) as u32,
                character: 0,
            };
            let passage = note.lines().nth(1).unwrap_or(first_line);
            out.push(DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: Range { start: p, end: p },
                },
                message: format!("closest passage: {passage}"),
            });
        }
    }
    out
}

/// `(line, column)` from a note ending "at line 3, column 6".
fn line_and_column(note: &str) -> Option<(usize, usize)> {
    let rest = &note[note.rfind("at line ")? + "at line ".len()..];
    let (line, column) = rest.split_once(", column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// `(path, line)` from "closest passage (PATH:LINE, 80% similar):".
fn closest_passage(note: &str) -> Option<(&str, usize)> {
    let rest = note.strip_prefix("closest passage (")?;
    let (place, _) = rest.rsplit_once(", ")?;
    let (path, line) = place.rsplit_once(':')?;
    Some((path, line.parse().ok()?))
}

/// The fixes a diagnostic's help offers: each name of a "did you mean", or the kebab-case
/// id of "write it as", as the new text of the offending value (or key).
fn fixes(
    d: &Diagnostic,
    text: &str,
    span: std::ops::Range<usize>,
    doc: &Document,
    enc: Encoding,
) -> Vec<serde_json::Value> {
    let Some(help) = &d.help else {
        return Vec::new();
    };
    let names = suggested(help);
    let written = text.get(span.clone()).unwrap_or("");
    if names.is_empty() || written.is_empty() || span.end - span.start > 4096 {
        return Vec::new();
    }
    let quoted = written.starts_with(['"', '\'']);
    let range = doc.lines.range(text, span, enc);
    names
        .into_iter()
        .map(|name| {
            let new_text = if quoted {
                toml_edit::Value::from(name.as_str()).to_string()
            } else {
                name.clone()
            };
            json!({
                "title": format!("Replace with {new_text}"),
                "range": range,
                "newText": new_text,
            })
        })
        .collect()
}

/// The names a help suggests: `did you mean "a", "b" or "c"?`, ``did you mean `field`?``,
/// `write it as "id"`.
pub fn suggested(help: &str) -> Vec<String> {
    let rest = if let Some(at) = help.find("did you mean ") {
        let rest = &help[at + "did you mean ".len()..];
        &rest[..rest.find('?').unwrap_or(rest.len())]
    } else if let Some(at) = help.find("write it as ") {
        &help[at + "write it as ".len()..]
    } else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if (c == '"' || c == '`')
            && let Some(end) = rest[i + 1..].find(c)
        {
            names.push(rest[i + 1..i + 1 + end].to_string());
            while chars.peek().is_some_and(|&(j, _)| j <= i + 1 + end) {
                chars.next();
            }
        }
    }
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helps_give_their_names() {
        assert_eq!(
            suggested("did you mean \"car-encounter\"?"),
            ["car-encounter"]
        );
        assert_eq!(
            suggested("did you mean \"a\", \"b b\" or \"c\"? Or add it"),
            ["a", "b b", "c"]
        );
        assert_eq!(
            suggested("did you mean `summary`? Otherwise remove it, or use one of `a`"),
            ["summary"]
        );
        assert_eq!(suggested("write it as \"ring-return\""), ["ring-return"]);
        assert!(suggested("valid scenes: \"a\", \"b\"").is_empty());
    }

    #[test]
    fn notes_give_their_places() {
        assert_eq!(
            line_and_column("first used at line 3, column 6"),
            Some((3, 6))
        );
        assert_eq!(
            line_and_column("the first is at line 10, column 1"),
            Some((10, 1))
        );
        assert_eq!(
            closest_passage("closest passage (/c/w/texts/a:b.txt:12, 80% similar):"),
            Some(("/c/w/texts/a:b.txt", 12))
        );
    }
}

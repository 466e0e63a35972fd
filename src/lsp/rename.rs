//! Rename of a scene, reading or person id: the plan of `parallax rename`, made by the same
//! engine (`edit::rename`) from the files as the editor has them (open buffers over the
//! files on disk), returned as a workspace edit for the editor to apply. The server
//! writes nothing; what `rename` refuses (a work with errors, an alias rather than an id,
//! a new id that is already a name) is refused with its message.

use std::collections::HashMap;

use lsp_types::{TextEdit, Uri, WorkspaceEdit};

use super::files::{Kind, path_to_uri};
use super::index::{Field, WorkIndex};
use super::position::{Encoding, LineIndex};
use super::state::State;
use crate::diagnostic::Diagnostic;
use crate::edit::rename::{Rename, Target, prepare, rename_files};
use crate::edit::{Text, WorkFiles};

/// The rename target of a field.
pub fn target(field: Field) -> Target {
    match field {
        Field::Scene => Target::Scene,
        Field::Reading => Target::Reading,
        Field::Person => Target::Person,
    }
}

/// The work's files as the server sees them: `work.toml` and every claim set, each the
/// open buffer or else the file on disk.
fn work_files(state: &State, index: &WorkIndex) -> Result<WorkFiles, String> {
    let root = index
        .dir
        .parent()
        .ok_or("the work folder has no corpus folder")?;
    let text = |path: &std::path::Path| -> Result<Text, String> {
        let body = state
            .text_of(index, path)
            .ok_or_else(|| format!("cannot read {}", path.display()))?;
        Ok(Text {
            path: path.to_path_buf(),
            bom: false,
            body,
        })
    };
    let work = text(&index.dir.join("work.toml"))?;
    let sources = (index.files.iter())
        .filter(|(_, f)| f.kind == Kind::Source)
        .map(|(path, _)| text(path))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WorkFiles {
        root: root.to_path_buf(),
        id: index.id.clone(),
        dir: index.dir.clone(),
        work,
        sources,
        notes: Vec::new(),
    })
}

/// Whether `old` can be renamed at all; the refusal's message otherwise.
pub fn check(state: &State, index: &WorkIndex, field: Field, old: &str) -> Result<(), String> {
    let files = work_files(state, index)?;
    prepare(&files, target(field), old).map_err(|d| messages(&d))
}

/// The edits of renaming `old` to `new`.
pub fn edits(
    state: &State,
    index: &WorkIndex,
    field: Field,
    old: &str,
    new: &str,
    enc: Encoding,
) -> Result<WorkspaceEdit, String> {
    let files = work_files(state, index)?;
    let r = Rename {
        target: target(field),
        old: old.to_string(),
        new: new.to_string(),
        keep_alias: false,
    };
    let plan = rename_files(files, &r).map_err(|d| messages(&d))?;
    // the protocol's map is keyed by URI, whose parsed form caches; it is never mutated here
    #[allow(clippy::mutable_key_type)]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for change in &plan.changes {
        let (Some(old), Some(new)) = (&change.old, &change.new) else {
            continue;
        };
        let Some(uri) = path_to_uri(&change.path) else {
            continue;
        };
        changes.insert(uri, line_edits(old, new, enc));
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    })
}

/// The errors of a refused edit, one line each (the last says nothing was changed).
fn messages(diags: &[Diagnostic]) -> String {
    let lines: Vec<String> = diags
        .iter()
        .map(|d| match (&d.help, d.location()) {
            (Some(help), Some(at)) => format!("{}: {} (help: {help})", at, d.message),
            (Some(help), None) => format!("{} (help: {help})", d.message),
            (None, Some(at)) => format!("{at}: {}", d.message),
            (None, None) => d.message.clone(),
        })
        .collect();
    lines.join("\n")
}

/// The edits that turn `old` into `new`, a run of changed lines at a time, so the editor
/// keeps its marks and cursor on the lines that stay.
pub fn line_edits(old: &str, new: &str, enc: Encoding) -> Vec<TextEdit> {
    let diff = similar::TextDiff::from_lines(old, new);
    let starts = |text: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    };
    let (old_starts, new_starts) = (starts(old), starts(new));
    let at = |starts: &[usize], line: usize, len: usize| {
        starts.get(line).copied().unwrap_or(len).min(len)
    };
    let lines = LineIndex::new(old);
    let mut edits = Vec::new();
    for op in diff.ops() {
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let from = at(&old_starts, o.start, old.len());
        let to = at(&old_starts, o.end, old.len());
        let new_text = &new[at(&new_starts, n.start, new.len())..at(&new_starts, n.end, new.len())];
        edits.push(TextEdit {
            range: lines.range(old, from..to, enc),
            new_text: new_text.to_string(),
        });
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies edits (in UTF-8 positions, from the end) to a text.
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let lines = LineIndex::new(text);
        let mut out = text.to_string();
        let mut spans: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    lines.offset(text, e.range.start, Encoding::Utf8),
                    lines.offset(text, e.range.end, Encoding::Utf8),
                    e.new_text.as_str(),
                )
            })
            .collect();
        spans.sort_by_key(|s| std::cmp::Reverse(s.0));
        for (a, b, t) in spans {
            out.replace_range(a..b, t);
        }
        out
    }

    #[test]
    fn line_edits_turn_old_into_new() {
        for (old, new) in [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb", "a\nb\nc"),
            ("x = \"old\" # é😀\ny\n", "x = \"new\" # é😀\ny\n"),
            ("", "a\n"),
            ("a\nb\n", ""),
        ] {
            let edits = line_edits(old, new, Encoding::Utf8);
            assert_eq!(apply(old, &edits), new, "{old:?} → {new:?}");
        }
    }
}

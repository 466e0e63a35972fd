//! Code actions: each fix a diagnostic carries (a "did you mean" of `check`, the kebab-case
//! form of an id) as a quick fix that replaces the offending value.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit,
    WorkspaceEdit,
};
use serde::Deserialize;

use super::state::Document;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fix {
    title: String,
    range: Range,
    new_text: String,
}

#[derive(Deserialize)]
struct Fixes {
    fixes: Vec<Fix>,
}

/// The quick fixes of the diagnostics the client sends (or, for a client that does not
/// send back a diagnostic's data, of the published diagnostics in the asked range).
pub fn actions(doc: &Document, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let asked = &params.context.diagnostics;
    let overlaps = |r: &Range| r.start <= params.range.end && params.range.start <= r.end;
    let diagnostics: Vec<&lsp_types::Diagnostic> = if asked.iter().any(|d| d.data.is_some()) {
        asked.iter().collect()
    } else if asked.is_empty() {
        doc.diagnostics
            .iter()
            .filter(|d| overlaps(&d.range))
            .collect()
    } else {
        doc.diagnostics
            .iter()
            .filter(|d| {
                asked
                    .iter()
                    .any(|a| a.range == d.range && a.message == d.message)
            })
            .collect()
    };
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(data) = &d.data else { continue };
        let Ok(fixes) = Fixes::deserialize(data) else {
            continue;
        };
        let preferred = fixes.fixes.len() == 1;
        for fix in fixes.fixes {
            let edit = TextEdit {
                range: fix.range,
                new_text: fix.new_text,
            };
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(preferred),
                ..CodeAction::default()
            }));
        }
    }
    out
}

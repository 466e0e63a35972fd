//! Document symbols: a claim set's claims (scene · reading · stance) under its `[source]`;
//! the work, its scenes, readings and people in `work.toml`. Read from the buffer line by
//! line, so a file that does not parse still has its outline.

use lsp_types::{DocumentSymbol, SymbolKind};

use super::position::Encoding;
use super::state::Document;
use super::syntax::Table;

pub fn symbols(doc: &Document, enc: Encoding) -> Vec<DocumentSymbol> {
    let text = doc.text.as_str();
    let value = |t: &Table, key: &str| {
        t.entries
            .iter()
            .find(|e| e.key == key)
            .and_then(|e| e.values.first())
            .map(|v| v.text.clone())
    };
    let mut out = Vec::new();
    for table in doc.scan.tables.iter().filter(|t| !t.name.is_empty()) {
        let (name, detail, kind) = match table.name.as_str() {
            "claim" => {
                let scene = value(table, "scene").unwrap_or_else(|| "?".into());
                let reading = value(table, "reading").unwrap_or_else(|| "?".into());
                let stance = value(table, "stance").unwrap_or_else(|| "endorses".into());
                let detail = value(table, "attributed_to").map(|p| format!("in the voice of {p}"));
                (
                    format!("{scene} · {reading} · {stance}"),
                    detail,
                    SymbolKind::EVENT,
                )
            }
            "source" | "work" => (
                value(table, "title").unwrap_or_else(|| format!("[{}]", table.name)),
                Some(table.name.clone()),
                SymbolKind::MODULE,
            ),
            "scene" => (
                value(table, "id").unwrap_or_else(|| "?".into()),
                value(table, "title"),
                SymbolKind::ENUM_MEMBER,
            ),
            "reading" => (
                value(table, "id").unwrap_or_else(|| "?".into()),
                value(table, "label"),
                SymbolKind::CONSTANT,
            ),
            "person" => (
                value(table, "id").unwrap_or_else(|| "?".into()),
                value(table, "name"),
                SymbolKind::VARIABLE,
            ),
            other => (format!("[{other}]"), None, SymbolKind::OBJECT),
        };
        // the table without the blank lines and comments that lead to the next header
        let end = table
            .entries
            .last()
            .map_or(table.header.end, |e| e.span.end)
            .max(table.header.end);
        #[allow(deprecated)]
        out.push(DocumentSymbol {
            name: one_line(&name),
            detail: detail.map(|d| one_line(&d)),
            kind,
            tags: None,
            deprecated: None,
            range: doc.lines.range(text, table.header.start..end, enc),
            selection_range: doc.lines.range(text, table.header.clone(), enc),
            children: None,
        });
    }
    out
}

/// A name shown in an outline: on one line, without control characters.
fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.trim().is_empty() { "?".into() } else { s }
}

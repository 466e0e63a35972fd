//! What the TOML parser and serde report, as diagnostics in the words of a TOML file.

use super::header_span;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, SourceFile};

/// Turns a TOML or serde error into a diagnostic at its span.
pub(super) fn toml_error(file: &SourceFile, err: &toml::de::Error, what: &str) -> Diagnostic {
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
pub(super) fn plain_types(message: &str) -> String {
    message
        .replace("expected i64", "expected an integer")
        .replace("expected a sequence", "expected an array")
        .replace("invalid type: sequence", "invalid type: array")
        .replace("invalid type: map", "invalid type: table")
        .replace("expected a datetime", "expected a date")
}

/// A field no table of this kind has, with the closest name when there is one.
pub(super) fn unknown_field(
    file: &SourceFile,
    key: &str,
    span: Range<usize>,
    fields: &[&str],
    table: &str,
) -> Diagnostic {
    let list: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
    let list = list.join(", ");
    // stricter than for ids: a short field name is "close" to too many others (`note`, `quote`)
    let close = similar::get_close_matches(key.to_lowercase().as_str(), fields, 1, 0.75);
    let help = match close.first() {
        Some(close) => format!("did you mean `{close}`? Otherwise remove it, or use one of {list}"),
        None => format!("remove it, or use one of {list}"),
    };
    file.error(format!("unknown field `{key}` in {table}"), span)
        .with_help(help)
}

/// A value of the wrong type; `message` says what was expected and what was found.
pub(super) fn wrong_type(
    file: &SourceFile,
    key: &str,
    span: Range<usize>,
    table: &str,
    message: &str,
) -> Diagnostic {
    let help = match key {
        "published" => super::source::PUBLISHED_HELP,
        _ => "see the README for each field's type",
    };
    file.error(
        format!("wrong type for `{key}` in {table}: {message}"),
        span,
    )
    .with_help(help)
}

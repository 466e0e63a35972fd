//! Completion: after `scene =`, `reading =`, `attributed_to =`, `stance =`, `kind =`,
//! `text =` and in `excludes = [...]`, the names the work allows (ids and aliases, with
//! their titles, labels and descriptions as documentation); at the start of a line, the
//! field names the table takes.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, Documentation, MarkupContent,
    MarkupKind, Position, Range, TextEdit,
};

use super::files::Kind;
use super::index::WorkIndex;
use super::position::Encoding;
use super::state::Document;
use crate::corpus::model::{SourceKind, Stance};
use crate::corpus::validate::field_names;

/// A name to offer: what is inserted, how it is shown, and what it is.
struct Offer {
    name: String,
    detail: Option<String>,
    doc: Option<String>,
    kind: CompletionItemKind,
}

impl Offer {
    fn new(name: &str, kind: CompletionItemKind) -> Self {
        Offer {
            name: name.to_string(),
            detail: None,
            doc: None,
            kind,
        }
    }
}

/// The completions at `pos`.
pub fn complete(
    index: &WorkIndex,
    doc: &Document,
    pos: Position,
    enc: Encoding,
) -> Vec<CompletionItem> {
    let text = doc.text.as_str();
    let offset = doc.lines.offset(text, pos, enc);
    let Some(at) = doc.scan.at(text, offset) else {
        return Vec::new();
    };
    let table = at.table.name.as_str();
    if at.in_key {
        let present: Vec<&str> = at.table.entries.iter().map(|e| e.key.as_str()).collect();
        let start = at.entry.map_or(offset, |e| e.key_span.start.min(offset));
        let range = doc.lines.range(text, start..offset, enc);
        return fields(&doc.file.kind, table)
            .iter()
            .filter(|f| !present.contains(f) || at.entry.is_some_and(|e| e.key == **f))
            .map(|f| {
                item(
                    Offer {
                        name: f.to_string(),
                        detail: Some(format!("field of [{table}]")),
                        doc: None,
                        kind: CompletionItemKind::FIELD,
                    },
                    range,
                    format!("{f} = "),
                )
            })
            .collect();
    }
    let Some(entry) = at.entry.filter(|e| offset >= e.value_start) else {
        return Vec::new();
    };
    let offers = match (table, entry.key.as_str()) {
        ("claim", "scene") => scenes(index),
        ("claim", "reading") => readings(index, None),
        ("claim", "attributed_to") => people(index),
        ("claim", "stance") => Stance::ALL
            .iter()
            .map(|s| Offer::new(s.name(), CompletionItemKind::ENUM_MEMBER))
            .collect(),
        ("source", "kind") => SourceKind::ALL
            .iter()
            .map(|k| Offer::new(k.name(), CompletionItemKind::ENUM_MEMBER))
            .collect(),
        ("source", "text") => (index.texts.names().iter())
            .map(|n| Offer::new(n, CompletionItemKind::FILE))
            .collect(),
        ("reading", "excludes") => {
            let own = at
                .table
                .entries
                .iter()
                .find(|e| e.key == "id")
                .and_then(|e| e.values.first())
                .map(|v| v.text.clone());
            readings(index, own.as_deref())
                .into_iter()
                .filter(|o| o.kind == CompletionItemKind::ENUM_MEMBER)
                .collect()
        }
        _ => return Vec::new(),
    };
    // inside a string the name replaces what is typed there; elsewhere it comes quoted,
    // where the value has no string yet (or is an array, which takes another)
    let (range, quoted) = match at.value {
        Some(v) => (doc.lines.range(text, v.span.clone(), enc), false),
        None if entry.values.is_empty() || entry.key == "excludes" => (
            Range {
                start: pos,
                end: pos,
            },
            true,
        ),
        None => return Vec::new(),
    };
    offers
        .into_iter()
        .map(|o| {
            let insert = if quoted {
                toml_edit::Value::from(o.name.as_str()).to_string()
            } else {
                escape_basic(&o.name)
            };
            item(o, range, insert)
        })
        .collect()
}

/// The fields of a table, as the loader's types declare them.
fn fields(kind: &Kind, table: &str) -> &'static [&'static str] {
    match (kind, table) {
        (Kind::Work, "work" | "scene" | "reading" | "person") => field_names(table),
        (Kind::Source | Kind::Coding { .. }, "source" | "claim") => field_names(table),
        _ => &[],
    }
}

fn item(o: Offer, range: Range, insert: String) -> CompletionItem {
    CompletionItem {
        label: o.name.clone(),
        label_details: o.detail.as_ref().map(|d| CompletionItemLabelDetails {
            detail: None,
            description: Some(d.clone()),
        }),
        kind: Some(o.kind),
        detail: o.detail,
        documentation: o.doc.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        filter_text: Some(o.name),
        text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit {
            range,
            new_text: insert,
        })),
        ..CompletionItem::default()
    }
}

/// Text for inside a basic string.
fn escape_basic(name: &str) -> String {
    let quoted = toml_edit::Value::from(name).to_string();
    match quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
        Some(inner) => inner.to_string(),
        None => name.to_string(),
    }
}

fn scenes(index: &WorkIndex) -> Vec<Offer> {
    let Some(cb) = &index.codebook else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in &cb.work().scenes {
        let doc = describe(&s.title, s.description.as_deref(), &s.aliases);
        out.push(Offer {
            name: s.id.clone(),
            detail: Some(s.title.clone()),
            doc: Some(doc.clone()),
            kind: CompletionItemKind::ENUM_MEMBER,
        });
        for alias in &s.aliases {
            out.push(Offer {
                name: alias.clone(),
                detail: Some(format!("alias of {}", s.id)),
                doc: Some(doc.clone()),
                kind: CompletionItemKind::VALUE,
            });
        }
    }
    out
}

fn readings(index: &WorkIndex, except: Option<&str>) -> Vec<Offer> {
    let Some(cb) = &index.codebook else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in cb
        .work()
        .readings
        .iter()
        .filter(|r| Some(r.id.as_str()) != except)
    {
        let doc = describe(&r.label, r.description.as_deref(), &r.aliases);
        out.push(Offer {
            name: r.id.clone(),
            detail: Some(r.label.clone()),
            doc: Some(doc.clone()),
            kind: CompletionItemKind::ENUM_MEMBER,
        });
        for alias in &r.aliases {
            out.push(Offer {
                name: alias.clone(),
                detail: Some(format!("alias of {}", r.id)),
                doc: Some(doc.clone()),
                kind: CompletionItemKind::VALUE,
            });
        }
    }
    out
}

/// The declared people (ids, names, aliases), or, in a work without `[[person]]`, the
/// names claims already attribute views to.
fn people(index: &WorkIndex) -> Vec<Offer> {
    let Some(cb) = &index.codebook else {
        return Vec::new();
    };
    if cb.people().is_empty() {
        return (index.attributed_names().into_iter())
            .map(|n| Offer::new(n, CompletionItemKind::VALUE))
            .collect();
    }
    let mut out = Vec::new();
    for p in cb.people() {
        let mut doc = format!("**{}**", p.name);
        if let Some(role) = &p.role {
            doc.push_str(&format!(", {role}"));
        }
        for (name, kind) in std::iter::once((&p.name, CompletionItemKind::ENUM_MEMBER))
            .chain(std::iter::once((&p.id, CompletionItemKind::VALUE)))
            .chain(p.aliases.iter().map(|a| (a, CompletionItemKind::VALUE)))
        {
            out.push(Offer {
                name: name.clone(),
                detail: Some(if *name == p.name {
                    p.role.clone().unwrap_or_else(|| "person".into())
                } else {
                    format!("{} ({})", p.name, p.id)
                }),
                doc: Some(doc.clone()),
                kind,
            });
        }
    }
    out
}

/// Markdown for an entry: its title or label, description and aliases.
pub fn describe(title: &str, description: Option<&str>, aliases: &[String]) -> String {
    let mut out = format!("**{}**", markdown_text(title));
    if let Some(d) = description.filter(|d| !d.trim().is_empty()) {
        out.push_str(&format!("\n\n{}", markdown_text(d.trim())));
    }
    if !aliases.is_empty() {
        let list: Vec<String> = aliases
            .iter()
            .map(|a| format!("`{}`", a.replace('`', "'")))
            .collect();
        out.push_str(&format!("\n\naliases: {}", list.join(", ")));
    }
    out
}

/// Corpus text made plain in Markdown: markup characters escaped, so a title cannot turn
/// into a link or an image in the editor's hover.
pub fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '#' | '|' | '(' | ')'
        ) {
            out.push('\\');
        }
        if c.is_control() && c != '\n' {
            out.push('\u{FFFD}');
        } else {
            out.push(c);
        }
    }
    out
}

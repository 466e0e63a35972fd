//! Hover on a scene, reading or person name: its title or label, description, aliases, the
//! readings it excludes, and how many sources (and codings) use it.

use std::collections::HashSet;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::completion::{describe, markdown_text};
use super::files::Kind;
use super::index::{Field, WorkIndex};
use super::navigation::{EntryAt, cb_id};
use super::position::Encoding;
use super::state::Document;

pub fn hover(index: &WorkIndex, doc: &Document, at: &EntryAt, enc: Encoding) -> Option<Hover> {
    let range = doc.lines.range(&doc.text, at.span.clone(), enc);
    let mut text = match at.entry {
        Some(entry) => entry_text(index, at.field, entry)?,
        None => format!(
            "`{}` is not a {} of this work",
            markdown_text(&at.name).replace('`', "'"),
            at.field.key().replace("attributed_to", "person")
        ),
    };
    if let Some(entry) = at.entry {
        text.push_str(&format!("\n\n{}", usage(index, at.field, entry)));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range),
    })
}

fn entry_text(index: &WorkIndex, field: Field, entry: usize) -> Option<String> {
    let cb = index.codebook.as_ref()?;
    let work = cb.work();
    let id = cb_id(index, field, entry);
    Some(match field {
        Field::Scene => {
            let s = work.scenes.get(entry)?;
            format!(
                "scene `{}` · {}",
                s.id,
                describe(&s.title, s.description.as_deref(), &s.aliases)
            )
        }
        Field::Reading => {
            let r = work.readings.get(entry)?;
            let mut out = format!(
                "reading `{}` · {}",
                r.id,
                describe(&r.label, r.description.as_deref(), &r.aliases)
            );
            if !r.excludes.is_empty() {
                let names: Vec<String> = (r.excludes.iter())
                    .filter_map(|&i| work.readings.get(i))
                    .map(|x| format!("`{}`", x.id))
                    .collect();
                out.push_str(&format!("\n\nexcludes: {}", names.join(", ")));
            }
            out
        }
        Field::Person if id.is_some() => {
            let p = cb.people().get(entry)?;
            format!(
                "person `{}` · {}",
                p.id,
                describe(&p.name, p.role.as_deref(), &p.aliases)
            )
        }
        // a work without [[person]]: the name as claims write it
        Field::Person => {
            "a person named in `attributed_to` (the work declares no `[[person]]`)".to_string()
        }
    })
}

/// "used by 3 sources (5 claims) and 2 codings (2 claims)".
fn usage(index: &WorkIndex, field: Field, entry: usize) -> String {
    let uses = index.uses_of(field, entry);
    let mut sources = HashSet::new();
    let mut codings = HashSet::new();
    let (mut source_claims, mut coding_claims) = (0, 0);
    for (path, file, _) in &uses {
        match file.kind {
            Kind::Coding { .. } => {
                codings.insert(*path);
                coding_claims += 1;
            }
            _ => {
                sources.insert(*path);
                source_claims += 1;
            }
        }
    }
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let mut out = format!(
        "used by {} ({})",
        plural(sources.len(), "source"),
        plural(source_claims, "claim")
    );
    if !codings.is_empty() {
        out.push_str(&format!(
            " and {} ({})",
            plural(codings.len(), "coding"),
            plural(coding_claims, "claim")
        ));
    }
    out
}

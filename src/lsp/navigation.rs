//! Which codebook entry the cursor is on, where it is defined (`work.toml`), and where the
//! claims of the work's sources and codings use it; from `text = "…"`, the archived text.

use std::ops::Range;

use lsp_types::{Location, Position};

use super::files::{Kind, path_to_uri};
use super::index::{Field, WorkIndex};
use super::position::{Encoding, LineIndex};
use super::state::Document;
use crate::corpus::model::Pos;

/// A name under the cursor that stands for a codebook entry.
#[derive(Debug, Clone)]
pub struct EntryAt {
    pub field: Field,
    /// the entry it resolves to, when it resolves
    pub entry: Option<usize>,
    /// the name as written
    pub name: String,
    /// where the name is written (inside its quotes)
    pub span: Range<usize>,
}

/// The codebook name at `offset` of a document: a claim's `scene`, `reading` or
/// `attributed_to`; in `work.toml` an `id`, alias or person's name, or an `excludes` entry.
pub fn entry_at(index: &WorkIndex, doc: &Document, offset: usize) -> Option<EntryAt> {
    let at = doc.scan.at(&doc.text, offset)?;
    let entry = at.entry?;
    let value = at.value?;
    let field = match (&doc.file.kind, at.table.name.as_str(), entry.key.as_str()) {
        (Kind::Work, "scene", "id" | "aliases") => Field::Scene,
        (Kind::Work, "reading", "id" | "aliases" | "excludes") => Field::Reading,
        (Kind::Work, "person", "id" | "aliases" | "name") => Field::Person,
        (Kind::Source | Kind::Coding { .. }, "claim", key) => Field::of_key(key)?,
        _ => return None,
    };
    Some(EntryAt {
        field,
        entry: index.resolve(field, &value.text),
        name: value.text.clone(),
        span: value.span.clone(),
    })
}

/// Where an entry's id is written in `work.toml`.
pub fn definition(
    index: &WorkIndex,
    field: Field,
    entry: usize,
    enc: Encoding,
) -> Option<Location> {
    let cb = index.codebook.as_ref()?;
    let work = index.work_file.as_ref()?;
    let pos: Pos = match field {
        Field::Scene => cb.work().scenes.get(entry)?.pos,
        Field::Reading => cb.work().readings.get(entry)?.pos,
        Field::Person => cb.people().get(entry)?.pos?,
    };
    let offset = work.offset(pos);
    let id = cb_id(index, field, entry)?;
    // the id's value: its quotes, then the id
    let text = work.text.as_str();
    let lines = LineIndex::new(text);
    let start = offset + usize::from(text[offset..].starts_with(['"', '\'']));
    let end = (start + id.len()).min(text.len());
    Some(Location {
        uri: path_to_uri(&work.path)?,
        range: lines.range(text, start..end, enc),
    })
}

/// The id of an entry.
pub fn cb_id(index: &WorkIndex, field: Field, entry: usize) -> Option<&str> {
    let cb = index.codebook.as_ref()?;
    Some(match field {
        Field::Scene => cb.work().scenes.get(entry)?.id.as_str(),
        Field::Reading => cb.work().readings.get(entry)?.id.as_str(),
        Field::Person => cb.people().get(entry)?.id.as_str(),
    })
}

/// Every claim that names an entry, in the work's sources and codings.
pub fn references(index: &WorkIndex, field: Field, entry: usize) -> Vec<Location> {
    index
        .uses_of(field, entry)
        .into_iter()
        .filter_map(|(path, _, u)| {
            Some(Location {
                uri: path_to_uri(path)?,
                range: u.range(),
            })
        })
        .collect()
}

/// The archived text a `text = "…"` value at `offset` names, when it is found inside the
/// texts folder.
pub fn text_file(index: &WorkIndex, doc: &Document, offset: usize) -> Option<Location> {
    let at = doc.scan.at(&doc.text, offset)?;
    let (entry, value) = (at.entry?, at.value?);
    if at.table.name != "source" || entry.key != "text" || !doc.file.kind.has_claims() {
        return None;
    }
    let found = index.texts.find(&value.text)?;
    let start = Position::default();
    Some(Location {
        uri: path_to_uri(&found.shown)?,
        range: lsp_types::Range { start, end: start },
    })
}

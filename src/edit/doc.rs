//! A corpus file opened with `toml_edit`, so an edit changes values and leaves everything
//! else as it was: comments, order, spacing, quoting, a byte-order mark, CRLF line endings.

use toml_edit::{Array, DocumentMut, Item, TableLike, Value};

use super::Text;
use crate::diagnostic::Diagnostic;

/// A TOML file being edited.
pub(super) struct Doc {
    pub doc: DocumentMut,
    /// the file ends its lines with CRLF (toml_edit would write LF)
    crlf: bool,
}

impl Doc {
    pub fn parse(text: &Text) -> Result<Doc, Diagnostic> {
        let body = &text.body;
        let crlf =
            body.contains("\r\n") && body.matches('\n').count() == body.matches("\r\n").count();
        let parsed = if crlf {
            body.replace("\r\n", "\n").parse::<DocumentMut>()
        } else {
            body.parse::<DocumentMut>()
        };
        let doc = parsed.map_err(|e| {
            Diagnostic::error(format!(
                "cannot edit {}: {}",
                text.path.display(),
                e.message()
            ))
            .at_path(&text.path)
            .with_help("run `parallax check` and fix the file first")
        })?;
        Ok(Doc { doc, crlf })
    }

    /// The file's new text (with its byte-order mark and line endings), or `None` when the
    /// edit left it as it was.
    pub fn render(&self, text: &Text) -> Option<String> {
        let mut body = self.doc.to_string();
        // toml_edit ends a last key-value line with a newline the file may not have had
        if !text.body.ends_with('\n') && body.ends_with('\n') {
            body.pop();
        }
        if self.crlf {
            body = body.replace('\n', "\r\n");
        }
        (body != text.body).then(|| text.with_bom(&body))
    }

    /// The tables of an array of tables (`[[claim]]`), or of an array of inline tables
    /// (`claim = [{…}]`), in order.
    pub fn entries_mut(&mut self, key: &str) -> Vec<&mut dyn TableLike> {
        entries_mut(self.doc.as_item_mut().get_mut(key))
    }

    /// Removes the `index`-th entry of an array of tables (or of inline tables).
    pub fn remove_entry(&mut self, key: &str, index: usize) {
        match self.doc.as_item_mut().get_mut(key) {
            Some(Item::ArrayOfTables(aot)) => {
                aot.remove(index);
            }
            Some(Item::Value(Value::Array(array))) => remove_from_array(array, index),
            _ => {}
        }
    }
}

/// Removes an element of an inline array with the comments that are its own. In the text
/// before an element, what stands up to the first line break (`{…}, # about it`) is the
/// comment of the element before; the rest (lines above it) is its own. So the removed
/// element's trailing comment, which opens the next element's text, goes with it, and the
/// trailing comment of the element before stays.
fn remove_from_array(array: &mut Array, index: usize) {
    if index >= array.len() {
        return;
    }
    let removed = array.remove(index);
    let prefix = raw(removed.decor().prefix());
    // the previous element's comment, up to and with its line break
    let before = prefix.find('\n').map_or("", |i| &prefix[..=i]).to_string();
    let own_line_end = |text: &str| text.find('\n').map(|i| text[i + 1..].to_string());
    if let Some(next) = array.get_mut(index) {
        let next_prefix = raw(next.decor().prefix());
        if let Some(rest) = own_line_end(&next_prefix) {
            next.decor_mut().set_prefix(format!("{before}{rest}"));
        }
    } else {
        let trailing = array.trailing().as_str().unwrap_or_default().to_string();
        if let Some(rest) = own_line_end(&trailing) {
            array.set_trailing(format!("{before}{rest}"));
        }
    }
}

/// The text of a piece of decoration, empty if there is none.
fn raw(s: Option<&toml_edit::RawString>) -> String {
    s.and_then(|r| r.as_str()).unwrap_or_default().to_string()
}

fn entries_mut(item: Option<&mut Item>) -> Vec<&mut dyn TableLike> {
    match item {
        Some(Item::ArrayOfTables(aot)) => aot.iter_mut().map(|t| t as &mut dyn TableLike).collect(),
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .map(|t| t as &mut dyn TableLike)
            .collect(),
        _ => Vec::new(),
    }
}

/// The string value of `key`, if it is a string.
pub(super) fn get_str<'a>(table: &'a dyn TableLike, key: &str) -> Option<&'a str> {
    table.get(key).and_then(Item::as_str)
}

/// Sets the string value of `key` to `new` when it is `old`, keeping the comments and
/// spaces around the value; returns whether it did.
pub(super) fn replace_str(table: &mut dyn TableLike, key: &str, old: &str, new: &str) -> bool {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(v) if v.as_str() == Some(old) => {
            set_str(v, new);
            true
        }
        _ => false,
    }
}

/// Replaces a string value, keeping its decoration (the spaces and comment around it).
pub(super) fn set_str(value: &mut Value, new: &str) {
    let decor = value.decor().clone();
    *value = Value::from(new);
    *value.decor_mut() = decor;
}

/// The array of strings under `key` (e.g. `aliases`), if there is one.
pub(super) fn array_mut<'a>(table: &'a mut dyn TableLike, key: &str) -> Option<&'a mut Array> {
    table.get_mut(key).and_then(Item::as_array_mut)
}

/// The strings of the array under `key`.
pub(super) fn strings(table: &dyn TableLike, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces every element of the array under `key` equal to `old` by `new`; returns how
/// many it replaced.
pub(super) fn replace_in_array(
    table: &mut dyn TableLike,
    key: &str,
    old: &str,
    new: &str,
) -> usize {
    let Some(array) = array_mut(table, key) else {
        return 0;
    };
    let mut n = 0;
    for v in array.iter_mut().filter(|v| v.as_str() == Some(old)) {
        set_str(v, new);
        n += 1;
    }
    n
}

/// Appends `values` to the array of strings under `key`, creating it after the table's
/// last field when there is none.
pub(super) fn append_strings(table: &mut dyn TableLike, key: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    match array_mut(table, key) {
        Some(array) => {
            for v in values {
                array.push(v.as_str());
            }
        }
        None => {
            let mut array = Array::new();
            for v in values {
                array.push(v.as_str());
            }
            table.insert(key, Item::Value(Value::Array(array)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn text(body: &str) -> Text {
        Text {
            path: PathBuf::from("x.toml"),
            bom: false,
            body: body.to_string(),
        }
    }

    #[test]
    fn a_replaced_value_keeps_its_comment_and_spacing() {
        let t = text("[[scene]]\nid   =  \"old\"   # the first\ntitle = \"T\"\n");
        let mut d = Doc::parse(&t).unwrap();
        for e in d.entries_mut("scene") {
            assert!(replace_str(e, "id", "old", "new"));
        }
        assert_eq!(
            d.render(&t).unwrap(),
            "[[scene]]\nid   =  \"new\"   # the first\ntitle = \"T\"\n"
        );
    }

    #[test]
    fn crlf_and_byte_order_mark_survive() {
        let mut t = text("[[scene]]\r\nid = \"old\"\r\n# note\r\ntitle = \"T\"\r\n");
        t.bom = true;
        let mut d = Doc::parse(&t).unwrap();
        for e in d.entries_mut("scene") {
            replace_str(e, "id", "old", "new");
        }
        assert_eq!(
            d.render(&t).unwrap(),
            "\u{FEFF}[[scene]]\r\nid = \"new\"\r\n# note\r\ntitle = \"T\"\r\n"
        );
    }

    #[test]
    fn removing_an_inline_claim_takes_its_own_comments_and_leaves_the_others() {
        let t = text(
            "claim = [\n  # first\n  { scene = \"a\" }, # about a\n  # second\n  { scene = \"b\" }, # about b\n  # third\n  { scene = \"c\" }, # about c\n]\n",
        );
        let mut d = Doc::parse(&t).unwrap();
        d.remove_entry("claim", 1);
        assert_eq!(
            d.render(&t).unwrap(),
            "claim = [\n  # first\n  { scene = \"a\" }, # about a\n  # third\n  { scene = \"c\" }, # about c\n]\n"
        );
        let mut d = Doc::parse(&t).unwrap();
        d.remove_entry("claim", 2);
        assert_eq!(
            d.render(&t).unwrap(),
            "claim = [\n  # first\n  { scene = \"a\" }, # about a\n  # second\n  { scene = \"b\" }, # about b\n]\n"
        );
    }

    #[test]
    fn a_file_without_a_last_newline_keeps_it_that_way() {
        let t = text("[[claim]]\nscene = \"old\"");
        let mut d = Doc::parse(&t).unwrap();
        for e in d.entries_mut("claim") {
            replace_str(e, "scene", "old", "new");
        }
        assert_eq!(d.render(&t).unwrap(), "[[claim]]\nscene = \"new\"");
    }

    #[test]
    fn an_unchanged_file_renders_as_none() {
        let t = text("[source]\ntitle = \"A\"  # x\n");
        let d = Doc::parse(&t).unwrap();
        assert_eq!(d.render(&t), None);
    }

    #[test]
    fn aliases_are_appended_or_created() {
        let t = text(
            "[[scene]]\nid = \"a\"\naliases = [\"x\"]\n\n# next\n[[scene]]\nid = \"b\"\n\n[[scene]]\nid = \"c\"\n",
        );
        let mut d = Doc::parse(&t).unwrap();
        let mut entries = d.entries_mut("scene");
        append_strings(&mut *entries[0], "aliases", &["y".to_string()]);
        append_strings(&mut *entries[1], "aliases", &["z".to_string()]);
        assert_eq!(
            d.render(&t).unwrap(),
            "[[scene]]\nid = \"a\"\naliases = [\"x\", \"y\"]\n\n# next\n[[scene]]\nid = \"b\"\naliases = [\"z\"]\n\n[[scene]]\nid = \"c\"\n"
        );
    }

    #[test]
    fn inline_tables_are_entries_too() {
        let t = text("claim = [{ scene = \"old\", reading = \"r\" }, { scene = \"s\" }]\n");
        let mut d = Doc::parse(&t).unwrap();
        let mut n = 0;
        for e in d.entries_mut("claim") {
            n += usize::from(replace_str(e, "scene", "old", "new"));
        }
        assert_eq!(n, 1);
        assert_eq!(
            d.render(&t).unwrap(),
            "claim = [{ scene = \"new\", reading = \"r\" }, { scene = \"s\" }]\n"
        );
    }
}

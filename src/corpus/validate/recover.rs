//! Reading a file into its `raw` types so that one run reports every problem of the file.
//!
//! A valid file takes the direct path: a claim set of the common shape is read from the
//! parser's events (`events`), any other valid file by one typed deserialisation.
//! Only when that fails is the file parsed again into a spanned table (`toml::de::DeTable`)
//! and read table by table: an unknown field is reported and left out, a value of the wrong
//! type is reported and left out, and the rest of the table, of the other tables and of the
//! other claims is read as usual, so validation still finds their problems. A TOML syntax
//! error stops the file: past it, the parser cannot tell what belongs where.

use std::ops::Range;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue, ValueDeserializer};

use super::errors::{plain_types, toml_error, unknown_field, wrong_type};
use crate::corpus::raw;
use crate::diagnostic::{Diagnostic, SourceFile};

/// A file as far as it could be read, with a diagnostic for each field that could not.
pub(super) struct Recovered<T> {
    pub value: T,
    pub diags: Vec<Diagnostic>,
    /// fields left out because their value had the wrong type
    dropped: Vec<Dropped>,
}

/// A field present in the file but left out, so that validation does not also call it
/// missing.
struct Dropped {
    /// where its table starts (where "missing field" points), `None` at the top level
    table: Option<usize>,
    key: String,
}

/// A document type that can be read table by table.
pub(super) trait Document: DeserializeOwned {
    /// how messages name the file's top level: "a claim set", "work.toml"
    const WHAT: &'static str;
    fn recover(doc: DeTable<'_>, r: &mut Recovery<'_>) -> Self;
    /// The file read without serde, when it has a shape this reads; `None` otherwise.
    fn direct(_text: &str) -> Option<Self> {
        None
    }
}

/// Reads `file` as `T`: directly when it is valid, else table by table. `Err` is a syntax
/// error, which stops the file.
pub(super) fn read<T: Document>(file: &SourceFile) -> Result<Recovered<T>, Diagnostic> {
    if let Some(value) = T::direct(&file.text) {
        return Ok(Recovered {
            value,
            diags: Vec::new(),
            dropped: Vec::new(),
        });
    }
    let first = match toml::from_str::<T>(&file.text) {
        Ok(value) => {
            return Ok(Recovered {
                value,
                diags: Vec::new(),
                dropped: Vec::new(),
            });
        }
        Err(e) => e,
    };
    let doc = DeTable::parse(&file.text).map_err(|e| toml_error(file, &e, T::WHAT))?;
    let mut r = Recovery {
        file,
        diags: Vec::new(),
        dropped: Vec::new(),
    };
    let value = T::recover(doc.into_inner(), &mut r);
    if r.diags.is_empty() {
        // the direct path saw something this one did not: report it as it was found
        r.diags.push(toml_error(file, &first, T::WHAT));
    }
    Ok(Recovered {
        value,
        diags: r.diags,
        dropped: r.dropped,
    })
}

impl<T> Recovered<T> {
    /// Removes from `diags` what validation said about the fields left out: a `scene` of
    /// the wrong type is reported once, as a wrong type, not a second time as missing.
    pub fn drop_consequences(&self, diags: &mut Vec<Diagnostic>) {
        if self.dropped.is_empty() {
            return;
        }
        diags.retain(|d| !self.dropped.iter().any(|x| x.explains(d)));
    }
}

impl Dropped {
    fn explains(&self, d: &Diagnostic) -> bool {
        let Some(span) = d.snippet.as_ref().map(|e| e.span()) else {
            return false;
        };
        match self.table {
            Some(start) => {
                span.start == start
                    && (d
                        .message
                        .starts_with(&format!("missing field `{}` in ", self.key))
                        || (matches!(self.key.as_str(), "summary" | "quote")
                            && d.message == super::source::NEEDS_TEXT))
            }
            None => {
                span.start == 0
                    && (d.message.contains(&format!("[{}]", self.key))
                        || d.message.contains(&format!("no {}s", self.key)))
            }
        }
    }
}

/// The state of one table-by-table read: the file and what was found so far.
pub(super) struct Recovery<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
    dropped: Vec<Dropped>,
}

impl Recovery<'_> {
    /// An unknown field at any level: reported with the closest known name.
    fn unknown(&mut self, key: &Spanned<DeString<'_>>, fields: &[&str], table: &str) {
        self.diags.push(unknown_field(
            self.file,
            key.get_ref(),
            key.span(),
            fields,
            table,
        ));
    }

    /// One table (`[source]`, `[work]`, one `[[claim]]`), read as `T`. Unknown fields and
    /// fields of the wrong type are reported and left out; `None` when `value` is no table.
    fn table<T: DeserializeOwned>(
        &mut self,
        value: Spanned<DeValue<'_>>,
        header: &str,
    ) -> Option<Spanned<T>> {
        let span = value.span();
        let DeValue::Table(mut table) = value.into_inner() else {
            return None;
        };
        let fields = fields_of::<T>();
        let unknown: Vec<Spanned<DeString<'_>>> = table
            .keys()
            .filter(|k| !fields.contains(&k.get_ref().as_ref()))
            .cloned()
            .collect();
        for key in unknown {
            self.unknown(&key, fields, header);
            table.remove(&key);
        }
        // each pass leaves out one field, so this ends after at most `fields.len()` passes
        loop {
            let attempt = Spanned::new(span.clone(), DeValue::Table(table.clone()));
            let err = match <Spanned<T>>::deserialize(ValueDeserializer::from(attempt)) {
                Ok(v) => return Some(v),
                Err(e) => e,
            };
            let at = err.span().unwrap_or(span.clone());
            let Some(key) = table
                .iter()
                .find(|(k, v)| contains(&k.span(), &at) || contains(&v.span(), &at))
                .map(|(k, _)| k.clone())
            else {
                self.diags.push(toml_error(self.file, &err, header));
                return None;
            };
            let message = plain_types(err.message().trim());
            self.diags
                .push(wrong_type(self.file, key.get_ref(), at, header, &message));
            self.dropped.push(Dropped {
                table: Some(span.start),
                key: key.get_ref().to_string(),
            });
            table.remove(&key);
        }
    }

    /// An array of tables (`[[claim]]`, `[[scene]]`…), each element read on its own.
    fn tables<T: DeserializeOwned>(
        &mut self,
        key: &Spanned<DeString<'_>>,
        value: Spanned<DeValue<'_>>,
        header: &str,
        top: &str,
    ) -> Vec<Spanned<T>> {
        let name = key.get_ref().as_ref();
        match value.get_ref() {
            DeValue::Array(_) => {}
            DeValue::Table(_) => {
                // `[claim]` for `[[claim]]`: say so, and still read the table as one element
                self.diags.push(
                    wrong_type(
                        self.file,
                        name,
                        key.span(),
                        top,
                        "expected an array of tables, found a table",
                    )
                    .with_help(format!("write {header} (two brackets) above each one")),
                );
                return self.table(value, header).into_iter().collect();
            }
            other => {
                let message = format!(
                    "expected an array of tables, found {}",
                    article(other.type_str())
                );
                self.diags.push(
                    wrong_type(self.file, name, value.span(), top, &message)
                        .with_help(format!("write each one as a table under a {header} header")),
                );
                self.dropped.push(Dropped {
                    table: None,
                    key: name.to_string(),
                });
                return Vec::new();
            }
        }
        let DeValue::Array(items) = value.into_inner() else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter().cloned() {
            if !item.get_ref().is_table() {
                let message = format!(
                    "expected a table, found {}",
                    article(item.get_ref().type_str())
                );
                self.diags.push(
                    wrong_type(self.file, name, item.span(), top, &message)
                        .with_help(format!("write each one as a table under a {header} header")),
                );
                continue;
            }
            out.extend(self.table(item, header));
        }
        out
    }

    /// A single top-level table (`[source]`, `[work]`).
    fn single<T: DeserializeOwned>(
        &mut self,
        key: &Spanned<DeString<'_>>,
        value: Spanned<DeValue<'_>>,
        header: &str,
        top: &str,
    ) -> Option<Spanned<T>> {
        let name = key.get_ref().as_ref();
        if !value.get_ref().is_table() {
            let message = format!(
                "expected a table, found {}",
                article(value.get_ref().type_str())
            );
            self.diags.push(
                wrong_type(self.file, name, value.span(), top, &message)
                    .with_help(format!("write the fields under a {header} header")),
            );
            self.dropped.push(Dropped {
                table: None,
                key: name.to_string(),
            });
            return None;
        }
        self.table(value, header)
    }
}

impl Document for raw::SourceFile {
    const WHAT: &'static str = "a claim set";

    fn direct(text: &str) -> Option<Self> {
        super::events::claim_set(text)
    }

    fn recover(doc: DeTable<'_>, r: &mut Recovery<'_>) -> Self {
        let mut out = raw::SourceFile {
            source: None,
            claim: Vec::new(),
        };
        for (key, value) in doc {
            match key.get_ref().as_ref() {
                "source" => out.source = r.single(&key, value, "[source]", Self::WHAT),
                "claim" => out.claim = r.tables(&key, value, "[[claim]]", Self::WHAT),
                _ => r.unknown(&key, fields_of::<Self>(), Self::WHAT),
            }
        }
        out
    }
}

impl Document for raw::WorkFile {
    const WHAT: &'static str = "work.toml";

    fn recover(doc: DeTable<'_>, r: &mut Recovery<'_>) -> Self {
        let mut out = raw::WorkFile {
            work: None,
            scene: Vec::new(),
            reading: Vec::new(),
            person: Vec::new(),
        };
        for (key, value) in doc {
            match key.get_ref().as_ref() {
                "work" => out.work = r.single(&key, value, "[work]", Self::WHAT),
                "scene" => out.scene = r.tables(&key, value, "[[scene]]", Self::WHAT),
                "reading" => out.reading = r.tables(&key, value, "[[reading]]", Self::WHAT),
                "person" => out.person = r.tables(&key, value, "[[person]]", Self::WHAT),
                _ => r.unknown(&key, fields_of::<Self>(), Self::WHAT),
            }
        }
        out
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.start < outer.end.max(outer.start + 1)
}

/// "a string", "an integer", "an array".
fn article(type_name: &str) -> String {
    let an = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if an { "an" } else { "a" })
}

/// The field names a serde struct accepts, as its derived `Deserialize` declares them.
pub(super) fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    use serde::de::{self, Visitor};

    /// A deserializer that only records the field list it is asked for.
    struct Probe<'a>(&'a mut &'static [&'static str]);

    impl<'de> de::Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("fields recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(text: &str) -> Result<Recovered<raw::SourceFile>, Diagnostic> {
        read(&SourceFile::new("w/sources/a.toml".into(), text))
    }

    #[test]
    fn a_valid_file_takes_the_direct_path() {
        let r = claims("[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\"\n").unwrap();
        assert!(r.diags.is_empty());
        assert_eq!(r.value.claim.len(), 1);
    }

    #[test]
    fn a_syntax_error_stops_the_file() {
        let d = claims("[source]\ntitle = \"A\n\n[[claim]]\nnote = 1\n")
            .err()
            .unwrap();
        assert!(d.message.starts_with("TOML syntax error"), "{}", d.message);
    }

    #[test]
    fn every_bad_field_is_reported_and_the_rest_is_read() {
        let r = claims(
            "[source]\ntitle = \"A\"\nautor = \"B\"\n\n[[claim]]\nscene = 1\nreading = \"r\"\nnote = 2\n\n[[claim]]\nscene = \"s\"\nvia = []\n",
        )
        .unwrap();
        let messages: Vec<&str> = r.diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages.contains(&"unknown field `autor` in [source]"));
        assert!(messages.contains(&"unknown field `note` in [[claim]]"));
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("wrong type for `scene` in [[claim]]"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with("wrong type for `via` in [[claim]]"))
        );
        // both claims are kept, without their bad fields
        assert_eq!(r.value.claim.len(), 2);
        assert!(r.value.claim[0].get_ref().scene.is_none());
        assert_eq!(
            r.value.claim[0]
                .get_ref()
                .reading
                .as_ref()
                .unwrap()
                .get_ref(),
            "r"
        );
        assert_eq!(
            r.value
                .source
                .as_ref()
                .unwrap()
                .get_ref()
                .title
                .as_ref()
                .unwrap()
                .get_ref(),
            "A"
        );
    }

    #[test]
    fn a_field_of_the_wrong_type_is_not_also_missing() {
        let file = SourceFile::new("w/sources/a.toml".into(), "[source]\ntitle = 3\n");
        let r = read::<raw::SourceFile>(&file).unwrap();
        let mut diags = vec![file.error("missing field `title` in [source]", 0..8)];
        r.drop_consequences(&mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let mut diags = vec![file.error("missing field `kind` in [source]", 0..8)];
        r.drop_consequences(&mut diags);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn field_lists_come_from_the_raw_types() {
        assert_eq!(fields_of::<raw::SourceFile>(), ["source", "claim"]);
        assert!(fields_of::<raw::ClaimDef>().contains(&"attributed_to"));
        assert!(fields_of::<raw::SourceMeta>().contains(&"published"));
    }
}

//! A claim set read straight from the TOML parser's events, without building the parsed
//! table first. Loading spends most of its time in claim files, and nearly every claim file
//! has one shape: a `[source]` table and `[[claim]]` tables of string fields. This reader
//! takes exactly that shape, with the spans serde would give, and gives up (`None`) on
//! anything else: a syntax error, an unknown or repeated field, a dotted key, an array, an
//! inline table, a value of another type. The file is then read by the general path, which
//! says what is wrong, so a file read here and one read there cannot differ (the tests below
//! compare the two on every shape they know).

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{EventReceiver, RecursionGuard, ValidateWhitespace, parse_document};
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

use crate::corpus::raw::{ClaimDef, Published, SourceFile, SourceMeta};

/// How deep arrays and inline tables may nest before the parser stops (as the `toml` crate).
const DEPTH: u32 = 80;

/// `text` as a claim set, when it has the common shape; `None` sends it to the general path.
pub(super) fn claim_set(text: &str) -> Option<SourceFile> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut reader = Reader {
        source,
        file: SourceFile {
            source: None,
            claim: Vec::new(),
        },
        table: Table::Root,
        header: None,
        key: None,
        gave_up: false,
    };
    let mut failed = Failed(false);
    {
        let mut checked = ValidateWhitespace::new(&mut reader, source);
        let mut guarded = RecursionGuard::new(&mut checked, DEPTH);
        parse_document(&tokens, &mut guarded, &mut failed);
    }
    reader.close_table();
    (!failed.0 && !reader.gave_up).then_some(reader.file)
}

/// Whether this reader and serde read `text` alike (or this one gives up): the fuzz target
/// asserts it on every input.
pub fn agrees_with_serde(text: &str) -> bool {
    claim_set(text).is_none_or(|direct| {
        toml::from_str::<SourceFile>(text)
            .is_ok_and(|serde| format!("{direct:?}") == format!("{serde:?}"))
    })
}

/// An error sink that only remembers that there was an error.
struct Failed(bool);

impl ErrorSink for Failed {
    fn report_error(&mut self, _: ParseError) {
        self.0 = true;
    }
}

/// The table the next key-value pair belongs to.
enum Table {
    Root,
    Source(Spanned<SourceMeta>),
    Claim(Spanned<ClaimDef>),
}

/// A table header being read: `[` or `[[`, where it starts, the names in it.
struct Header<'i> {
    array: bool,
    start: usize,
    name: Option<Cow<'i, str>>,
    names: usize,
}

/// A field of `[source]` or `[[claim]]`.
#[derive(Clone, Copy)]
enum Field {
    Title,
    Kind,
    Author,
    Publisher,
    Url,
    Published,
    Text,
    Scene,
    Reading,
    Stance,
    Summary,
    Quote,
    AttributedTo,
    Via,
}

struct Reader<'i> {
    source: Source<'i>,
    file: SourceFile,
    table: Table,
    header: Option<Header<'i>>,
    /// the field whose value comes next
    key: Option<Field>,
    gave_up: bool,
}

impl<'i> Reader<'i> {
    fn close_table(&mut self) {
        match std::mem::replace(&mut self.table, Table::Root) {
            Table::Root => {}
            Table::Source(meta) => self.file.source = Some(meta),
            Table::Claim(claim) => self.file.claim.push(claim),
        }
    }

    /// The token at `span` as written, with how it is quoted.
    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Option<Raw<'i>> {
        let text = self.source.input().get(span.start()..span.end())?;
        Some(Raw::new_unchecked(text, encoding, span))
    }

    fn decode_key(
        &mut self,
        span: Span,
        encoding: Option<Encoding>,
        error: &mut dyn ErrorSink,
    ) -> Option<Cow<'i, str>> {
        let raw = self.raw(span, encoding)?;
        let mut name = Cow::Borrowed("");
        raw.decode_key(&mut name, error);
        Some(name)
    }

    /// The field a key names in the current table, when it is one and not yet set.
    fn field(&mut self, name: &str) -> Option<Field> {
        let field = match (&self.table, name) {
            (Table::Source(_), "title") => Field::Title,
            (Table::Source(_), "kind") => Field::Kind,
            (Table::Source(_), "author") => Field::Author,
            (Table::Source(_), "publisher") => Field::Publisher,
            (Table::Source(_), "url") => Field::Url,
            (Table::Source(_), "published") => Field::Published,
            (Table::Source(_), "text") => Field::Text,
            (Table::Claim(_), "scene") => Field::Scene,
            (Table::Claim(_), "reading") => Field::Reading,
            (Table::Claim(_), "stance") => Field::Stance,
            (Table::Claim(_), "summary") => Field::Summary,
            (Table::Claim(_), "quote") => Field::Quote,
            (Table::Claim(_), "attributed_to") => Field::AttributedTo,
            (Table::Claim(_), "via") => Field::Via,
            _ => return None,
        };
        (!self.is_set(field)).then_some(field)
    }

    fn is_set(&mut self, field: Field) -> bool {
        match &mut self.table {
            Table::Source(meta) => {
                let m = meta.get_ref();
                match field {
                    Field::Title => m.title.is_some(),
                    Field::Kind => m.kind.is_some(),
                    Field::Author => m.author.is_some(),
                    Field::Publisher => m.publisher.is_some(),
                    Field::Url => m.url.is_some(),
                    Field::Published => m.published.is_some(),
                    Field::Text => m.text.is_some(),
                    _ => true,
                }
            }
            Table::Claim(claim) => {
                claim_slot(claim.get_mut(), field).is_none_or(|slot| slot.is_some())
            }
            Table::Root => true,
        }
    }

    /// Sets `field` to a scalar; `false` when the scalar is not what the field takes.
    fn set(
        &mut self,
        field: Field,
        span: Range<usize>,
        kind: ScalarKind,
        value: Cow<'_, str>,
    ) -> bool {
        let published = match (field, kind) {
            (Field::Published, ScalarKind::DateTime) => match value.parse() {
                Ok(date) => Some(Published::Date(date)),
                Err(_) => return false,
            },
            (_, ScalarKind::String) => None,
            _ => return false,
        };
        let text = || Some(Spanned::new(span.clone(), value.to_string()));
        match &mut self.table {
            Table::Source(meta) => {
                let m = meta.get_mut();
                match field {
                    Field::Title => m.title = text(),
                    Field::Kind => m.kind = text(),
                    Field::Author => m.author = Some(value.to_string()),
                    Field::Publisher => m.publisher = Some(value.to_string()),
                    Field::Url => m.url = Some(value.to_string()),
                    Field::Published => {
                        let p = published.unwrap_or_else(|| Published::Text(value.to_string()));
                        m.published = Some(Spanned::new(span, p));
                    }
                    Field::Text => m.text = text(),
                    _ => return false,
                }
            }
            Table::Claim(claim) => {
                let Some(slot) = claim_slot(claim.get_mut(), field) else {
                    return false;
                };
                *slot = text();
            }
            Table::Root => return false,
        }
        true
    }

    /// The end of a header: `[source]` or `[[claim]]` opens its table, anything else gives up.
    fn open_table(&mut self, end: usize) {
        let Some(header) = self.header.take() else {
            self.gave_up = true;
            return;
        };
        let span = header.start..end;
        let table = match (header.array, header.names, header.name.as_deref()) {
            (false, 1, Some("source")) if self.file.source.is_none() => {
                Table::Source(Spanned::new(span, empty_meta()))
            }
            (true, 1, Some("claim")) => Table::Claim(Spanned::new(span, empty_claim())),
            _ => {
                self.gave_up = true;
                return;
            }
        };
        self.table = table;
    }

    fn open_header(&mut self, array: bool, span: Span) {
        self.close_table();
        if matches!(self.table, Table::Root) && self.header.is_none() {
            self.header = Some(Header {
                array,
                start: span.start(),
                name: None,
                names: 0,
            });
        } else {
            self.gave_up = true;
        }
    }
}

impl EventReceiver for Reader<'_> {
    fn std_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_header(false, span);
    }

    fn std_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_table(span.end());
    }

    fn array_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_header(true, span);
    }

    fn array_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_table(span.end());
    }

    fn inline_table_open(&mut self, _: Span, _: &mut dyn ErrorSink) -> bool {
        self.gave_up = true;
        true
    }

    fn array_open(&mut self, _: Span, _: &mut dyn ErrorSink) -> bool {
        self.gave_up = true;
        true
    }

    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        if self.gave_up {
            return;
        }
        let Some(name) = self.decode_key(span, encoding, error) else {
            self.gave_up = true;
            return;
        };
        if let Some(header) = &mut self.header {
            header.names += 1;
            header.name = Some(name);
            return;
        }
        match (self.key, self.field(&name)) {
            (None, Some(field)) => self.key = Some(field),
            _ => self.gave_up = true,
        }
    }

    fn key_sep(&mut self, _: Span, _: &mut dyn ErrorSink) {
        // a dotted key: `source.title = …` or `[claim.extra]`
        self.gave_up = true;
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        if self.gave_up {
            return;
        }
        let (Some(field), Some(raw)) = (self.key.take(), self.raw(span, encoding)) else {
            self.gave_up = true;
            return;
        };
        let mut value = Cow::Borrowed("");
        let kind = raw.decode_scalar(&mut value, error);
        if !self.set(field, span.start()..span.end(), kind, value) {
            self.gave_up = true;
        }
    }

    fn value_sep(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.gave_up = true;
    }

    fn error(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.gave_up = true;
    }
}

/// The field of a claim that `field` names; `None` for a field of `[source]`.
fn claim_slot(c: &mut ClaimDef, field: Field) -> Option<&mut Option<Spanned<String>>> {
    Some(match field {
        Field::Scene => &mut c.scene,
        Field::Reading => &mut c.reading,
        Field::Stance => &mut c.stance,
        Field::Summary => &mut c.summary,
        Field::Quote => &mut c.quote,
        Field::AttributedTo => &mut c.attributed_to,
        Field::Via => &mut c.via,
        _ => return None,
    })
}

fn empty_meta() -> SourceMeta {
    SourceMeta {
        title: None,
        kind: None,
        author: None,
        publisher: None,
        url: None,
        published: None,
        text: None,
    }
}

fn empty_claim() -> ClaimDef {
    ClaimDef {
        scene: None,
        reading: None,
        stance: None,
        summary: None,
        quote: None,
        attributed_to: None,
        via: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general path's reading of `text`, printed with every span.
    fn by_serde(text: &str) -> Option<String> {
        toml::from_str::<SourceFile>(text)
            .ok()
            .map(|f| format!("{f:?}"))
    }

    fn by_events(text: &str) -> Option<String> {
        claim_set(text).map(|f| format!("{f:?}"))
    }

    /// Either path reads `text` the same, or this one gives up.
    fn agrees(text: &str) {
        if let Some(events) = by_events(text) {
            assert_eq!(Some(events), by_serde(text), "{text}");
        }
    }

    const FULL: &str = r#"# a claim set
[source]
title = "A \"review\"" # comment
kind = 'review'
author = "A. Critic"
publisher = """The
Paper"""
url = "https://example.org/a"
published = 2025-03-05
text = "a.txt"

[[claim]]
scene = "ending"
reading = "transaction"
stance = "rejects"
summary = "It is not a sale."
quote = '''exact
words'''
attributed_to = "Sean Baker"
via = "Interview"

[[ claim ]]
"scene" = "ending"
'reading' = "power"
"#;

    #[test]
    fn the_common_shape_is_read_as_serde_reads_it() {
        assert!(by_events(FULL).is_some());
        agrees(FULL);
        agrees("");
        agrees("# nothing\n\n");
        agrees("[source]\ntitle = \"t\"\npublished = \"2025-03\"\n");
        agrees("[[claim]]\nscene = \"a\"\r\n[[claim]]\n[source]\ntitle = \"x\"\n");
        agrees("[source]\n\n[[claim]]\n");
        agrees("\u{FEFF}[source]\ntitle = \"bom\"\n");
    }

    #[test]
    fn anything_else_goes_to_the_general_path() {
        for text in [
            "title = \"at the top\"\n",
            "[source]\ntitle = 3\n",
            "[source]\ntitle = \"a\"\ntitle = \"b\"\n",
            "[source]\n[source]\n",
            "[source]\nextra = \"x\"\n",
            "[source]\npublished = 2025-03-05T10:00:00\nkind = true\n",
            "[source.inner]\n",
            "[claim]\nscene = \"a\"\n",
            "[[source]]\n",
            "[[claim]]\nscene = [\"a\"]\n",
            "[[claim]]\nscene = { id = \"a\" }\n",
            "[[claim]]\nscene.id = \"a\"\n",
            "[[claim]]\nscene = \"a\n",
            "[[claim]]\nscene = \"\\q\"\n",
            "[[claim]]\nscene = \"a\" reading = \"b\"\n",
            "[[claim]]\n# \u{7} bell\n",
            "[[claim]\n",
            "[[claim.x]]\n",
            "[[claim]]\nstance = 1979-05-27\n",
        ] {
            assert_eq!(by_events(text), None, "{text}");
            agrees(text);
        }
    }

    #[test]
    fn a_date_for_published_is_kept_as_a_date() {
        let file = claim_set("[source]\npublished = 2025-03-05\n").unwrap();
        let published = file.source.unwrap().into_inner().published.unwrap();
        assert!(matches!(published.get_ref(), Published::Date(_)));
        assert_eq!(published.span(), 21..31);
    }

    /// One line of a generated claim file: mostly the common shape, some of everything else.
    fn line() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let header = prop::sample::select(vec![
            "[source]",
            "[[claim]]",
            "[[ claim ]]",
            "[claim]",
            "[[source]]",
            "[source.x]",
            "['source']",
            "[[\"claim\"]]",
        ])
        .prop_map(str::to_string);
        let key = prop::sample::select(vec![
            "title",
            "kind",
            "author",
            "publisher",
            "url",
            "published",
            "text",
            "scene",
            "reading",
            "stance",
            "summary",
            "quote",
            "attributed_to",
            "via",
            "\"scene\"",
            "'quote'",
            "extra",
            "scene.id",
        ]);
        let value = prop_oneof![
            "[a-z é\"]{0,12}".prop_map(|s| format!("{s:?}")),
            "[a-z ]{0,12}".prop_map(|s| format!("'{s}'")),
            "[a-z \n]{0,12}".prop_map(|s| format!("\"\"\"{s}\"\"\"")),
            Just("2025-03-05".to_string()),
            Just("2025-03-05T10:00:00Z".to_string()),
            Just("3".to_string()),
            Just("true".to_string()),
            Just("[\"a\"]".to_string()),
            Just("{ id = \"a\" }".to_string()),
            Just("\"\\q\"".to_string()),
            Just("\"open".to_string()),
        ];
        let pair = (key, value, "[ ]{0,2}").prop_map(|(k, v, ws)| format!("{k}{ws}={ws}{v}"));
        prop_oneof![
            2 => header,
            6 => pair,
            1 => "# [a-z ]{0,8}".prop_map(|s| s.to_string()),
            1 => Just(String::new()),
            1 => "[ -~]{0,10}",
        ]
    }

    proptest::proptest! {
        #[test]
        fn a_file_read_from_events_is_read_as_serde_reads_it(
            lines in proptest::collection::vec(line(), 0..24),
            crlf in proptest::bool::ANY,
        ) {
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            agrees(&text);
        }
    }

    /// A claim file of the common shape: a `[source]` and claims, each field at most once.
    fn common_file() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let string = prop_oneof![
            "[a-zé \"\\\\]{0,12}".prop_map(|s| format!("{s:?}")),
            "[a-z ]{0,12}".prop_map(|s| format!("'{s}'")),
            "[a-z \n]{0,12}".prop_map(|s| format!("\"\"\"{s}\"\"\"")),
            "[a-z \n]{0,12}".prop_map(|s| format!("'''{s}'''")),
        ];
        let table = move |fields: &'static [&'static str]| {
            let string = string.clone();
            proptest::sample::subsequence(fields, 0..=fields.len())
                .prop_flat_map(move |keys| {
                    let n = keys.len();
                    (Just(keys), proptest::collection::vec(string.clone(), n))
                })
                .prop_map(|(keys, values)| {
                    let pairs = keys.iter().zip(values).map(|(k, v)| format!("{k} = {v}\n"));
                    pairs.collect::<String>()
                })
        };
        let source = table(&["title", "kind", "author", "publisher", "url", "text"]);
        let claim = table(&[
            "scene",
            "reading",
            "stance",
            "summary",
            "quote",
            "attributed_to",
            "via",
        ]);
        (
            proptest::option::of(source),
            proptest::collection::vec(claim, 0..6),
            proptest::option::of(Just("published = 2025-03-05\n")),
        )
            .prop_map(|(source, claims, date)| {
                let mut text = String::new();
                if let Some(fields) = source {
                    text += "[source]\n";
                    text += &fields;
                    text += date.unwrap_or("");
                }
                for fields in claims {
                    text += "\n[[claim]]  # one reading\n";
                    text += &fields;
                }
                text
            })
    }

    proptest::proptest! {
        #[test]
        fn the_common_shape_is_always_read_from_events(text in common_file()) {
            proptest::prop_assert!(by_events(&text).is_some(), "{}", text);
            agrees(&text);
        }
    }
}

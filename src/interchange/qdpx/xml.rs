//! A thin layer over quick-xml's writer, writing as it goes: elements opened and closed by name, attributes and
//! text escaped by quick-xml, and characters that XML 1.0 cannot hold at all replaced, so
//! that whatever a claim says, the document stays well-formed.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML document being written to `W`.
pub struct Xml<W: Write> {
    w: Writer<W>,
}

impl<W: Write> Xml<W> {
    /// A document with its declaration, indented by two spaces.
    pub fn new(out: W) -> io::Result<Self> {
        let mut w = Writer::new_with_indent(out, b' ', 2);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        Ok(Xml { w })
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(start(name, attrs)))
    }

    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Empty(start(name, attrs)))
    }

    /// `<name>text</name>`, the text exactly as given: `<`, `>`, `&` and carriage returns
    /// escaped, nothing added around it.
    pub fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        self.w
            .create_element(name)
            .write_text_content(BytesText::from_escaped(partial_escape(xml_chars(text))))?;
        Ok(())
    }

    /// Ends the document with a line feed; the destination back.
    pub fn finish(self) -> io::Result<W> {
        let mut out = self.w.into_inner();
        out.write_all(b"\n")?;
        Ok(out)
    }
}

fn start<'a>(name: &'a str, attrs: &[(&str, &str)]) -> BytesStart<'a> {
    let mut start = BytesStart::new(name);
    for (key, value) in attrs {
        start.push_attribute((*key, xml_chars(value).as_ref()));
    }
    start
}

/// `s` with every character XML 1.0 does not allow (C0 controls other than tab, line feed
/// and carriage return; U+FFFE and U+FFFF) replaced by U+FFFD. Escaping cannot save these:
/// even `&#1;` is not well-formed XML 1.0.
pub fn xml_chars(s: &str) -> Cow<'_, str> {
    let bad = |c: char| matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if s.chars().any(bad) {
        Cow::Owned(
            s.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_well_formed_and_round_trips() {
        let hostile = "a </Description><x> & \"q\" 'a' ]]> \u{1}\u{1b}\u{fffe} \r\n\tend";
        let mut xml = Xml::new(Vec::new()).unwrap();
        xml.open("Root", &[("name", hostile)]).unwrap();
        xml.text("Description", hostile).unwrap();
        xml.close("Root").unwrap();
        let bytes = xml.finish().unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        let root = doc.root_element();
        let expected = xml_chars(hostile);
        assert_eq!(root.attribute("name"), Some(expected.as_ref()));
        let description = root.first_element_child().unwrap();
        assert_eq!(description.text(), Some(expected.as_ref()));
        assert!(expected.contains("\u{fffd}") && !expected.contains('\u{1}'));
    }

    proptest::proptest! {
        #[test]
        fn any_text_round_trips_less_what_xml_cannot_hold(s in proptest::prelude::any::<String>()) {
            let mut xml = Xml::new(Vec::new()).unwrap();
            xml.open("Root", &[("name", &s)]).unwrap();
            xml.text("Description", &s).unwrap();
            xml.close("Root").unwrap();
            let text = String::from_utf8(xml.finish().unwrap()).unwrap();
            let doc = roxmltree::Document::parse(&text).expect("well-formed");
            let expected = xml_chars(&s);
            proptest::prop_assert_eq!(doc.root_element().attribute("name"), Some(expected.as_ref()));
            let description = doc.root_element().first_element_child().unwrap();
            proptest::prop_assert_eq!(description.text().unwrap_or(""), expected.as_ref());
        }
    }
}

//! `project.qde` read into what an import needs: users, codes, text sources with their
//! selections, and notes, each with its GUID. The document is read as a stream of events
//! (quick-xml), keeping only what the import uses, never a tree of the whole document. A DTD
//! is refused, so no entity is ever defined or resolved (only XML's own five and character
//! references are); every GUID must be declared once and every reference must name a
//! declared element; a problem is an error naming the element. Nothing here recurses: a code
//! tree nested a million deep costs a stack of GUIDs, not of calls.

use std::collections::{HashMap, HashSet};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::interchange::shown;

/// A code of the codebook.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    pub name: String,
    pub description: String,
    /// the GUID of the code it is nested in
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSource {
    pub guid: String,
    pub name: String,
    /// `plainTextPath`
    pub path: Option<String>,
    pub description: String,
    /// (variable name, value)
    pub variables: Vec<(String, String)>,
    pub selections: Vec<Selection>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    pub guid: String,
    pub name: String,
    pub start: usize,
    pub end: usize,
    /// the creating user's GUID
    pub user: Option<String>,
    pub description: String,
    /// the GUIDs of the codes its codings refer to
    pub codes: Vec<String>,
    /// the GUIDs of the notes it refers to
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Note {
    pub description: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Project {
    /// user name by GUID
    pub users: HashMap<String, String>,
    pub codes: HashMap<String, Code>,
    pub sources: Vec<TextSource>,
    pub notes: HashMap<String, Note>,
}

/// Reads `project.qde`.
pub fn read(xml: &str) -> Result<Project, String> {
    let mut r = Reading {
        xml,
        ..Reading::default()
    };
    let mut reader = Reader::from_str(xml);
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            format!(
                "project.qde is not well-formed XML: {e} (line {})",
                line_of(xml, reader.buffer_position() as usize)
            )
        })?;
        match event {
            Event::DocType(_) => {
                return Err("project.qde declares a DTD: entities are never read from a project, so it is refused".into());
            }
            Event::Start(e) => {
                r.open(&e, at)?;
                r.path.push(name(&e));
            }
            Event::Empty(e) => {
                r.open(&e, at)?;
                r.close(&name(&e));
            }
            Event::End(e) => {
                let n = e.local_name().into_inner().to_string();
                r.path.pop();
                r.close(&n);
            }
            Event::Text(t) => r.push_text(&t.xml10_content()),
            Event::CData(t) => r.push_text(&t.xml10_content()),
            Event::GeneralRef(e) => {
                let c = if e.is_char_ref() {
                    e.resolve_char_ref().ok().flatten()
                } else {
                    match &*e {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    }
                };
                let Some(c) = c else {
                    return Err(format!(
                        "project.qde refers to the entity &{};, which XML does not define (line {})",
                        shown(&e),
                        line_of(xml, at)
                    ));
                };
                r.push_text(c.encode_utf8(&mut [0; 4]));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !r.root_seen {
        return Err("project.qde holds no element: not a REFI-QDA <Project>".into());
    }
    check_references(&r.p)?;
    Ok(r.p)
}

/// What is being read: the project so far and the elements open now.
#[derive(Default)]
struct Reading<'x> {
    xml: &'x str,
    p: Project,
    guids: Guids,
    root_seen: bool,
    /// the names of the open elements
    path: Vec<String>,
    /// variable names by GUID
    variables: HashMap<String, String>,
    /// the GUIDs of the open codes, and the same as a set (a code nested in itself)
    codes: Vec<String>,
    open_codes: HashSet<String>,
    source: Option<TextSource>,
    selection: Option<Selection>,
    note: Option<(String, Note)>,
    /// a `VariableValue` being read: its variable's name and its value
    value: Option<(Option<String>, String)>,
    /// the text of the element being collected (`Description`, `PlainTextContent`, a
    /// value), and which one it is
    text: Option<(String, String)>,
}

impl Reading<'_> {
    /// The element that encloses the one being opened.
    fn parent(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    fn open(&mut self, e: &BytesStart, at: usize) -> Result<(), String> {
        let n = name(e);
        let el = || element(self.xml, e, at);
        if !self.root_seen {
            self.root_seen = true;
            if n != "Project" {
                return Err(format!(
                    "project.qde: the root element is <{}>, not a REFI-QDA <Project>",
                    shown(&n)
                ));
            }
            return Ok(());
        }
        let parent = self.parent().to_string();
        match (parent.as_str(), n.as_str()) {
            ("Users", "User") => {
                let guid = self.guids.declare(e, &el)?;
                self.p
                    .users
                    .insert(guid, attr(e, "name").unwrap_or_default());
            }
            ("Codes" | "Code", "Code") if self.path.iter().any(|p| p == "CodeBook") => {
                if let Some(g) = attr(e, "guid").map(|g| g.to_lowercase())
                    && self.open_codes.contains(&g)
                {
                    return Err(format!(
                        "{} is nested inside itself: the code tree has a cycle",
                        el()
                    ));
                }
                let guid = self.guids.declare(e, &el)?;
                self.p.codes.insert(
                    guid.clone(),
                    Code {
                        name: attr(e, "name").unwrap_or_default(),
                        description: String::new(),
                        parent: self.codes.last().cloned(),
                    },
                );
                self.codes.push(guid.clone());
                self.open_codes.insert(guid);
            }
            ("Variables", "Variable") => {
                let guid = self.guids.declare(e, &el)?;
                self.variables
                    .insert(guid, attr(e, "name").unwrap_or_default());
            }
            ("Sources", "TextSource") => {
                self.source = Some(TextSource {
                    guid: self.guids.declare(e, &el)?,
                    name: attr(e, "name").unwrap_or_default(),
                    path: attr(e, "plainTextPath"),
                    ..TextSource::default()
                });
            }
            ("TextSource", "VariableValue") if self.source.is_some() => {
                self.value = Some((None, String::new()));
            }
            ("VariableValue", "VariableRef") if self.value.is_some() => {
                let target = reference(e, &el)?;
                let var = self.variables.get(&target).ok_or_else(|| {
                    format!(
                        "{} refers to a variable that the project does not declare",
                        el()
                    )
                })?;
                if let Some(v) = &mut self.value {
                    v.0 = Some(var.clone());
                }
            }
            ("VariableValue", value) if value.ends_with("Value") => {
                self.text = Some((n.clone(), String::new()));
            }
            ("TextSource", "PlainTextSelection") if self.source.is_some() => {
                let position = |key: &str| -> Result<usize, String> {
                    let value = attr(e, key).ok_or_else(|| format!("{} has no {key}", el()))?;
                    value.trim().parse().map_err(|_| {
                        format!(
                            "{}: {key} {} is not a position (a whole number of characters from 0)",
                            el(),
                            shown(&value)
                        )
                    })
                };
                self.selection = Some(Selection {
                    guid: self.guids.declare(e, &el)?,
                    name: attr(e, "name").unwrap_or_default(),
                    start: position("startPosition")?,
                    end: position("endPosition")?,
                    user: attr(e, "creatingUser").map(|u| u.to_lowercase()),
                    ..Selection::default()
                });
            }
            // a coding's GUID may be left out; declared when it is there
            ("PlainTextSelection", "Coding")
                if self.selection.is_some() && attr(e, "guid").is_some() =>
            {
                self.guids.declare(e, &el)?;
            }
            ("Coding", "CodeRef") if self.selection.is_some() => {
                let target = reference(e, &el)?;
                if let Some(s) = &mut self.selection {
                    s.codes.push(target);
                }
            }
            ("PlainTextSelection", "NoteRef") if self.selection.is_some() => {
                let target = reference(e, &el)?;
                if let Some(s) = &mut self.selection {
                    s.notes.push(target);
                }
            }
            ("Notes", "Note") => {
                let guid = self.guids.declare(e, &el)?;
                self.note = Some((guid, Note::default()));
            }
            ("Code" | "TextSource" | "PlainTextSelection" | "Note", "Description")
            | ("Note", "PlainTextContent") => {
                self.text = Some((n.clone(), String::new()));
            }
            _ => {}
        }
        Ok(())
    }

    fn push_text(&mut self, s: &str) {
        if let Some((_, text)) = &mut self.text {
            text.push_str(s);
        }
    }

    /// An element ends: what it held goes where it belongs.
    fn close(&mut self, n: &str) {
        if self.text.as_ref().is_some_and(|(open, _)| open == n) {
            let (_, text) = self.text.take().unwrap_or_default();
            self.collected(n, text);
            return;
        }
        match n {
            "Code" if !self.codes.is_empty() && self.path.iter().any(|p| p == "CodeBook") => {
                if let Some(g) = self.codes.pop() {
                    self.open_codes.remove(&g);
                }
            }
            "VariableValue" => {
                if let (Some((Some(name), value)), Some(source)) =
                    (self.value.take(), &mut self.source)
                {
                    source.variables.push((name, value.trim().to_string()));
                }
            }
            "PlainTextSelection" => {
                if let (Some(sel), Some(source)) = (self.selection.take(), &mut self.source) {
                    source.selections.push(sel);
                }
            }
            "TextSource" => {
                if let Some(source) = self.source.take() {
                    self.p.sources.push(source);
                }
            }
            "Note" => {
                if let Some((guid, note)) = self.note.take() {
                    self.p.notes.insert(guid, note);
                }
            }
            _ => {}
        }
    }

    /// The text of a `Description`, `PlainTextContent` or value, given to its element (the
    /// first of each kind counts).
    fn collected(&mut self, n: &str, text: String) {
        let first = |slot: &mut String| {
            if slot.is_empty() {
                *slot = text.clone();
            }
        };
        match (self.parent(), n) {
            ("Code", "Description") => {
                if let Some(code) = self.codes.last().and_then(|g| self.p.codes.get_mut(g)) {
                    first(&mut code.description);
                }
            }
            ("TextSource", "Description") => {
                if let Some(s) = &mut self.source {
                    first(&mut s.description);
                }
            }
            ("PlainTextSelection", "Description") => {
                if let Some(s) = &mut self.selection {
                    first(&mut s.description);
                }
            }
            ("Note", "Description") => {
                if let Some((_, note)) = &mut self.note {
                    first(&mut note.description);
                }
            }
            ("Note", "PlainTextContent") => {
                if let Some((_, note)) = &mut self.note {
                    first(&mut note.content);
                }
            }
            ("VariableValue", _) => {
                if let Some((_, value)) = &mut self.value {
                    first(value);
                }
            }
            _ => {}
        }
    }
}

/// The GUIDs declared so far, to refuse one declared twice.
#[derive(Default)]
struct Guids(HashSet<String>);

impl Guids {
    fn declare(&mut self, e: &BytesStart, el: &dyn Fn() -> String) -> Result<String, String> {
        let guid = attr(e, "guid")
            .ok_or_else(|| format!("{} has no guid", el()))?
            .to_lowercase();
        if !self.0.insert(guid.clone()) {
            return Err(format!(
                "{} declares a GUID already declared: GUIDs name one element each",
                el()
            ));
        }
        Ok(guid)
    }
}

/// Every reference names something the project declares.
fn check_references(p: &Project) -> Result<(), String> {
    for source in &p.sources {
        for s in &source.selections {
            let at = || format!("<PlainTextSelection guid={}>", shown(&s.guid));
            if let Some(code) = s.codes.iter().find(|c| !p.codes.contains_key(*c)) {
                return Err(format!(
                    "{} is coded with code {}, which the project's codebook does not declare",
                    at(),
                    shown(code)
                ));
            }
            if let Some(note) = s.notes.iter().find(|n| !p.notes.contains_key(*n)) {
                return Err(format!(
                    "{} refers to note {}, which the project does not declare",
                    at(),
                    shown(note)
                ));
            }
            if let Some(user) = s.user.as_ref().filter(|u| !p.users.contains_key(*u)) {
                return Err(format!(
                    "{} names creatingUser {}, which the project's <Users> do not declare",
                    at(),
                    shown(user)
                ));
            }
        }
    }
    Ok(())
}

/// The GUID a reference (`CodeRef`, `NoteRef`, `VariableRef`) targets.
fn reference(e: &BytesStart, el: &dyn Fn() -> String) -> Result<String, String> {
    attr(e, "targetGUID")
        .map(|g| g.to_lowercase())
        .ok_or_else(|| format!("{} has no targetGUID", el()))
}

/// An element's name without its namespace prefix.
fn name(e: &BytesStart) -> String {
    e.local_name().into_inner().to_string()
}

/// An attribute's value, its references resolved and its white space normalised as XML
/// does; `None` when it is missing or malformed.
fn attr(e: &BytesStart, key: &str) -> Option<String> {
    let a = e.try_get_attribute(key).ok().flatten()?;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// An element as a message names it: `<PlainTextSelection guid="…"> (line N)`.
fn element(xml: &str, e: &BytesStart, at: usize) -> String {
    match attr(e, "guid") {
        Some(g) => format!(
            "<{} guid={}> (line {})",
            name(e),
            shown(&g),
            line_of(xml, at)
        ),
        None => format!("<{}> (line {})", name(e), line_of(xml, at)),
    }
}

/// The line of a byte offset, counted from 1: worked out only for a message.
fn line_of(xml: &str, at: usize) -> usize {
    let at = at.min(xml.len());
    xml.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">"#;

    #[test]
    fn a_dtd_is_refused_and_no_entity_is_resolved() {
        let xml = r#"<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>"#;
        let e = read(xml).unwrap_err();
        assert!(e.contains("declares a DTD"), "{e}");
    }

    #[test]
    fn xml_s_own_entities_are_read_and_no_other() {
        let xml = format!(
            r#"{HEAD}<Notes><Note guid="n" name="&lt;x&gt;"><Description>a &amp; b &#x1F3AC; &quot;c&quot;</Description><PlainTextContent><![CDATA[<raw> & ]]>more</PlainTextContent></Note></Notes></Project>"#
        );
        let p = read(&xml).unwrap();
        assert_eq!(p.notes["n"].description, "a & b 🎬 \"c\"");
        assert_eq!(p.notes["n"].content, "<raw> & more");
        let xml = format!(
            r#"{HEAD}<Notes><Note guid="n"><Description>&leak;</Description></Note></Notes></Project>"#
        );
        let e = read(&xml).unwrap_err();
        assert!(e.contains("&\"leak\";"), "{e}");
    }

    #[test]
    fn a_reference_to_nothing_names_the_element() {
        let xml = format!(
            r#"{HEAD}<Users><User guid="u" name="a"/></Users>
<Sources><TextSource guid="s" name="S" plainTextPath="internal://s.txt">
<PlainTextSelection guid="sel" startPosition="0" endPosition="1" creatingUser="u">
<Coding guid="c"><CodeRef targetGUID="nothing"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"#
        );
        let e = read(&xml).unwrap_err();
        assert!(e.contains("<PlainTextSelection guid=\"sel\">"), "{e}");
        assert!(e.contains("\"nothing\""), "{e}");
    }

    #[test]
    fn a_guid_declared_twice_or_a_code_inside_itself_is_refused() {
        let xml = format!(
            r#"{HEAD}<CodeBook><Codes><Code guid="a" name="A"><Code guid="a" name="A again"/></Code></Codes></CodeBook></Project>"#
        );
        let e = read(&xml).unwrap_err();
        assert!(e.contains("cycle"), "{e}");
        let xml = format!(
            r#"{HEAD}<Users><User guid="a" name="x"/></Users><CodeBook><Codes><Code guid="A" name="A"/></Codes></CodeBook></Project>"#
        );
        let e = read(&xml).unwrap_err();
        assert!(e.contains("already declared"), "{e}");
    }

    #[test]
    fn a_deep_code_tree_is_read_without_recursion() {
        let depth = 20_000;
        let mut xml = format!("{HEAD}<CodeBook><Codes>");
        for i in 0..depth {
            xml.push_str(&format!(r#"<Code guid="g{i}" name="c{i}">"#));
        }
        xml.push_str(&"</Code>".repeat(depth));
        xml.push_str("</Codes></CodeBook></Project>");
        match read(&xml) {
            Ok(p) => assert_eq!(p.codes.len(), depth),
            // the parser may refuse such nesting itself; it must not overflow the stack
            Err(e) => assert!(e.contains("not well-formed"), "{e}"),
        }
    }
}

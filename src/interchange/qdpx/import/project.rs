//! `project.qde` read into what an import needs: users, codes, text sources with their
//! selections, and notes, each with its GUID. The document is parsed without a DTD (one is
//! refused, so no entity is ever defined or resolved), every GUID must be declared once and
//! every reference must name a declared element; a problem is an error naming the element.
//! Nothing here recurses: a code tree nested a million deep costs a stack of GUIDs, not of
//! calls.

use std::collections::{HashMap, HashSet};

use roxmltree::{Document, Node, ParsingOptions};

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
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(xml, options).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            "project.qde declares a DTD: entities are never read from a project, so it is refused"
                .to_string()
        }
        e => format!("project.qde is not well-formed XML: {e}"),
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "Project" {
        return Err(format!(
            "project.qde: the root element is <{}>, not a REFI-QDA <Project>",
            shown(root.tag_name().name())
        ));
    }
    let mut p = Project::default();
    let mut guids = Guids::default();
    let mut variables: HashMap<String, String> = HashMap::new();
    for section in root.children().filter(Node::is_element) {
        match section.tag_name().name() {
            "Users" => {
                for u in children(section, "User") {
                    let guid = guids.declare(u)?;
                    p.users.insert(guid, attr(u, "name").unwrap_or_default());
                }
            }
            "CodeBook" => codebook(section, &mut p, &mut guids)?,
            "Variables" => {
                for v in children(section, "Variable") {
                    let guid = guids.declare(v)?;
                    variables.insert(guid, attr(v, "name").unwrap_or_default());
                }
            }
            "Sources" => {
                for s in children(section, "TextSource") {
                    p.sources.push(text_source(s, &mut guids, &variables)?);
                }
            }
            "Notes" => {
                for n in children(section, "Note") {
                    let guid = guids.declare(n)?;
                    let note = Note {
                        description: child_text(n, "Description"),
                        content: child_text(n, "PlainTextContent"),
                    };
                    p.notes.insert(guid, note);
                }
            }
            _ => {}
        }
    }
    check_references(&p)?;
    Ok(p)
}

/// The GUIDs declared so far, to refuse one declared twice.
#[derive(Default)]
struct Guids(HashSet<String>);

impl Guids {
    fn declare(&mut self, node: Node) -> Result<String, String> {
        let guid = attr(node, "guid").ok_or_else(|| format!("{} has no guid", element(node)))?;
        if !self.0.insert(guid.to_lowercase()) {
            return Err(format!(
                "{} declares a GUID already declared: GUIDs name one element each",
                element(node)
            ));
        }
        Ok(guid.to_lowercase())
    }
}

/// The codes, walked with a stack of their own: each code with the GUID of its parent. A
/// code nested inside a code of its own GUID (a cycle, as a tool that follows GUIDs would
/// see it) is refused like any GUID declared twice.
fn codebook(section: Node, p: &mut Project, guids: &mut Guids) -> Result<(), String> {
    let mut stack: Vec<(Node, Option<String>)> = Vec::new();
    for codes in children(section, "Codes") {
        stack.extend(children(codes, "Code").map(|c| (c, None)));
    }
    while let Some((node, parent)) = stack.pop() {
        if let Some(g) = attr(node, "guid").map(|g| g.to_lowercase()) {
            // a GUID met again: inside itself is a cycle (walked once, for the message)
            let mut up = parent.clone();
            while let Some(a) = up.filter(|_| p.codes.contains_key(&g)) {
                if a == g {
                    return Err(format!(
                        "{} is nested inside itself: the code tree has a cycle",
                        element(node)
                    ));
                }
                up = p.codes.get(&a).and_then(|c| c.parent.clone());
            }
        }
        let guid = guids.declare(node)?;
        p.codes.insert(
            guid.clone(),
            Code {
                name: attr(node, "name").unwrap_or_default(),
                description: child_text(node, "Description"),
                parent,
            },
        );
        stack.extend(children(node, "Code").map(|c| (c, Some(guid.clone()))));
    }
    Ok(())
}

fn text_source(
    node: Node,
    guids: &mut Guids,
    variables: &HashMap<String, String>,
) -> Result<TextSource, String> {
    let mut source = TextSource {
        guid: guids.declare(node)?,
        name: attr(node, "name").unwrap_or_default(),
        path: attr(node, "plainTextPath"),
        description: child_text(node, "Description"),
        ..TextSource::default()
    };
    for value in children(node, "VariableValue") {
        let Some(var) = children(value, "VariableRef").next() else {
            continue;
        };
        let target = reference(var)?;
        let name = variables.get(&target).ok_or_else(|| {
            format!(
                "{} refers to a variable that the project does not declare",
                element(var)
            )
        })?;
        let text = value
            .children()
            .filter(Node::is_element)
            .find(|n| n.tag_name().name().ends_with("Value"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        source
            .variables
            .push((name.clone(), text.trim().to_string()));
    }
    for sel in children(node, "PlainTextSelection") {
        let position = |name: &str| -> Result<usize, String> {
            let value = attr(sel, name).ok_or_else(|| format!("{} has no {name}", element(sel)))?;
            value.trim().parse().map_err(|_| {
                format!(
                    "{}: {name} {} is not a position (a whole number of characters from 0)",
                    element(sel),
                    shown(&value)
                )
            })
        };
        let mut s = Selection {
            guid: guids.declare(sel)?,
            name: attr(sel, "name").unwrap_or_default(),
            start: position("startPosition")?,
            end: position("endPosition")?,
            user: attr(sel, "creatingUser").map(|u| u.to_lowercase()),
            description: child_text(sel, "Description"),
            ..Selection::default()
        };
        for coding in children(sel, "Coding") {
            guids.declare_optional(coding)?;
            for code in children(coding, "CodeRef") {
                s.codes.push(reference(code)?);
            }
        }
        for note in children(sel, "NoteRef") {
            s.notes.push(reference(note)?);
        }
        source.selections.push(s);
    }
    Ok(source)
}

impl Guids {
    /// A GUID that may be left out (a coding's), declared when it is there.
    fn declare_optional(&mut self, node: Node) -> Result<(), String> {
        if attr(node, "guid").is_some() {
            self.declare(node)?;
        }
        Ok(())
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
fn reference(node: Node) -> Result<String, String> {
    attr(node, "targetGUID")
        .map(|g| g.to_lowercase())
        .ok_or_else(|| format!("{} has no targetGUID", element(node)))
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

fn attr(node: Node, name: &str) -> Option<String> {
    node.attribute(name).map(str::to_string)
}

/// The text of the first child element `name` (every text node inside it), or "".
fn child_text(node: Node, name: &'static str) -> String {
    children(node, name)
        .next()
        .map(|n| {
            n.descendants()
                .filter(Node::is_text)
                .filter_map(|t| t.text())
                .collect()
        })
        .unwrap_or_default()
}

/// An element as a message names it: `<PlainTextSelection guid="…">` (line N).
fn element(node: Node) -> String {
    let pos = node.document().text_pos_at(node.range().start);
    match node.attribute("guid") {
        Some(g) => format!(
            "<{} guid={}> (line {})",
            node.tag_name().name(),
            shown(g),
            pos.row
        ),
        None => format!("<{}> (line {})", node.tag_name().name(), pos.row),
    }
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

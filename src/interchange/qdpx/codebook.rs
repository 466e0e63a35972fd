//! The project's codebook and variables: readings (a child code per stance), scenes and the
//! people sources report, each code's description carrying the parallax id it stands for
//! (`parallax reading id: …`), so that `import qdpx` finds it again whatever the QDA
//! program did to its name.

use std::io::{self, Write};

use super::Guids;
use super::xml::Xml;
use crate::corpus::{Reading, Stance, Work};

/// Colours of reading codes: Paul Tol's "light" scheme, made to stay distinct for colour-blind
/// readers and to carry black text when used as a highlight. Its pale grey is kept for
/// scenes; readings beyond eight cycle.
const READING_COLOURS: [&str; 8] = [
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
];
const SCENE_COLOUR: &str = "#DDDDDD";
const VOICE_COLOUR: &str = "#BBBBBB";

/// The source metadata kept as variables, by name and QDA-XML type.
pub const VARIABLES: [(&str, &str); 6] = [
    ("source id", "Text"),
    ("kind", "Text"),
    ("author", "Text"),
    ("publisher", "Text"),
    ("url", "Text"),
    ("published", "Date"),
];

/// The lines of a code's description that name what it stands for in parallax; `import
/// qdpx` reads them (see `import::codes`).
pub const SCENE_ID: &str = "parallax scene id: ";
pub const READING_ID: &str = "parallax reading id: ";
pub const STANCE: &str = "parallax stance: ";
pub const PERSON_ID: &str = "parallax person id: ";

/// The `<CodeBook>`: readings, scenes and voices, each a group of codes.
pub fn write<W: Write>(work: &Work, ids: &Guids, x: &mut Xml<W>) -> io::Result<()> {
    let w = work;
    if w.readings.is_empty() && w.scenes.is_empty() && w.people.is_empty() {
        return Ok(());
    }
    x.open("CodeBook", &[])?;
    x.open("Codes", &[])?;
    if !w.readings.is_empty() {
        group(
            ids,
            x,
            "readings",
            "Readings",
            "The work's codebook. Each reading has a child code per stance: a selection \
             is coded with the stance the source takes toward the reading there.",
        )?;
        for (i, r) in w.readings.iter().enumerate() {
            reading(work, ids, x, i, r)?;
        }
        x.close("Code")?;
    }
    if !w.scenes.is_empty() {
        group(
            ids,
            x,
            "scenes",
            "Scenes",
            "The work's scenes, numbered in narrative order. A selection is coded with \
             the scene its claim is about.",
        )?;
        for (i, s) in w.scenes.iter().enumerate() {
            let mut about = s.description.clone().unwrap_or_default();
            add_line(&mut about, &format!("{SCENE_ID}{}", s.id));
            if !s.aliases.is_empty() {
                add_line(&mut about, &format!("aliases: {}", s.aliases.join(", ")));
            }
            let guid = ids.of(&format!("code/scene/{}", s.id));
            let name = format!("{}. {}", i + 1, s.title);
            x.open("Code", &code_attrs(&guid, &name, SCENE_COLOUR))?;
            x.text("Description", &about)?;
            x.close("Code")?;
        }
        x.close("Code")?;
    }
    if !w.people.is_empty() {
        group(
            ids,
            x,
            "voices",
            "Voices",
            "The people whose views the sources report. A selection coded with a person \
             is that person's view as the source reports it, not the source's own; a \
             selection without one is in the source's own voice.",
        )?;
        for p in &w.people {
            let mut about = p.role.clone().unwrap_or_default();
            add_line(&mut about, &format!("{PERSON_ID}{}", p.id));
            if !p.aliases.is_empty() {
                add_line(&mut about, &format!("aliases: {}", p.aliases.join(", ")));
            }
            let guid = ids.of(&format!("code/person/{}", p.id));
            x.open("Code", &code_attrs(&guid, &p.name, VOICE_COLOUR))?;
            x.text("Description", &about)?;
            x.close("Code")?;
        }
        x.close("Code")?;
    }
    x.close("Codes")?;
    x.close("CodeBook")
}

/// Opens a group code: a parent that holds codes and is not applied itself.
fn group<W: Write>(
    ids: &Guids,
    x: &mut Xml<W>,
    key: &str,
    name: &str,
    about: &str,
) -> io::Result<()> {
    let guid = ids.of(&format!("code/{key}"));
    x.open(
        "Code",
        &[("guid", &guid), ("name", name), ("isCodable", "false")],
    )?;
    x.text("Description", about)
}

fn reading<W: Write>(
    work: &Work,
    ids: &Guids,
    x: &mut Xml<W>,
    i: usize,
    r: &Reading,
) -> io::Result<()> {
    let colour = READING_COLOURS[i % READING_COLOURS.len()];
    let mut about = r.description.clone().unwrap_or_default();
    add_line(&mut about, &format!("{READING_ID}{}", r.id));
    if !r.aliases.is_empty() {
        add_line(&mut about, &format!("aliases: {}", r.aliases.join(", ")));
    }
    if !r.excludes.is_empty() {
        let names: Vec<&str> = r
            .excludes
            .iter()
            .map(|&e| work.readings[e].id.as_str())
            .collect();
        add_line(&mut about, &format!("excludes: {}", names.join(", ")));
    }
    let guid = ids.of(&format!("code/reading/{}", r.id));
    x.open("Code", &code_attrs(&guid, &r.label, colour))?;
    x.text("Description", &about)?;
    for stance in Stance::ALL {
        let guid = stance_code(ids, &r.id, stance);
        let name = format!("{}: {}", r.label, stance.name());
        let about = format!(
            "{}\n{READING_ID}{}\n{STANCE}{}",
            stance_meaning(stance),
            r.id,
            stance.name()
        );
        x.open("Code", &code_attrs(&guid, &name, colour))?;
        x.text("Description", &about)?;
        x.close("Code")?;
    }
    x.close("Code")
}

/// The GUID of the code of a reading taken with a stance.
pub fn stance_code(ids: &Guids, reading: &str, stance: Stance) -> String {
    ids.of(&format!("code/reading/{reading}/{}", stance.name()))
}

/// The `<Variables>` the text sources' metadata is kept in.
pub fn variables<W: Write>(ids: &Guids, x: &mut Xml<W>) -> io::Result<()> {
    x.open("Variables", &[])?;
    for (name, kind) in VARIABLES {
        let guid = ids.of(&format!("variable/{name}"));
        x.open(
            "Variable",
            &[("guid", &guid), ("name", name), ("typeOfVariable", kind)],
        )?;
        x.text("Description", &format!("the source's {name} in parallax"))?;
        x.close("Variable")?;
    }
    x.close("Variables")
}

fn code_attrs<'a>(guid: &'a str, name: &'a str, colour: &'a str) -> [(&'a str, &'a str); 4] {
    [
        ("guid", guid),
        ("name", name),
        ("isCodable", "true"),
        ("color", colour),
    ]
}

fn stance_meaning(stance: Stance) -> &'static str {
    match stance {
        Stance::Endorses => "The source holds this reading here.",
        Stance::Considers => "The source raises this reading here without taking a side.",
        Stance::Rejects => "The source names this reading here and argues against it.",
    }
}

pub fn add_line(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

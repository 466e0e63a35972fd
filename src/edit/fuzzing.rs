//! The editors driven from bytes in memory, for the fuzz target and its regression tests:
//! the bytes are a `work.toml` and a claim file of one work, and every rename and merge that
//! names their ids is planned. Nothing is written. A plan must leave every file it changes
//! valid TOML that still loads, and its diff must render.

use std::path::{Path, PathBuf};

use super::rename::{Rename, Target, merge_reading_in, rename_files};
use super::{Text, WorkFiles};

/// Plans the edits `data` allows (see the module documentation); returns how many plans
/// were made. `data` is a work file and a claim file, split at the first NUL byte.
pub fn edit_bytes(data: &[u8]) -> usize {
    let (work, source) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let (Ok(work), Ok(source)) = (std::str::from_utf8(work), std::str::from_utf8(source)) else {
        return 0;
    };
    let files = || WorkFiles {
        root: PathBuf::from("c"),
        id: "w".into(),
        dir: PathBuf::from("c/w"),
        work: text("c/w/work.toml", work),
        sources: vec![text("c/w/sources/a.toml", source)],
        notes: Vec::new(),
    };
    let mut ids: Vec<String> = Vec::new();
    if let Ok(table) = work.parse::<toml::Table>() {
        for key in ["scene", "reading", "person"] {
            for t in table
                .get(key)
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(id) = t.get("id").and_then(toml::Value::as_str) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids.truncate(4);
    let mut plans = 0;
    let targets = [
        Target::Scene,
        Target::Reading,
        Target::Person,
        Target::Source,
    ];
    for old in ids.iter().map(String::as_str).chain(["a"]) {
        for target in targets {
            for keep_alias in [false, true] {
                let r = Rename {
                    target,
                    old: old.to_string(),
                    new: "renamed-id".into(),
                    keep_alias,
                };
                plans += check(rename_files(files(), &r));
            }
        }
        for into in &ids {
            plans += check(merge_reading_in(files(), old, into, false));
            plans += check(merge_reading_in(files(), old, into, true));
        }
    }
    plans
}

fn text(path: &str, body: &str) -> Text {
    Text {
        path: PathBuf::from(path),
        bom: false,
        body: body.to_string(),
    }
}

/// A plan's new texts parse, and its diff renders.
fn check(plan: Result<super::Plan, Vec<crate::diagnostic::Diagnostic>>) -> usize {
    let Ok(plan) = plan else { return 0 };
    for change in &plan.changes {
        if let Some(new) = &change.new {
            assert!(
                new.trim_start_matches('\u{FEFF}')
                    .parse::<toml::Table>()
                    .is_ok(),
                "{} is not TOML after the edit:\n{new}",
                Path::new(&change.path).display()
            );
        }
    }
    let _ = plan.diff();
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_work_gives_plans() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok/base/tiny");
        let work = std::fs::read(root.join("work.toml")).unwrap();
        let source = std::fs::read(root.join("sources/alpha.toml")).unwrap();
        let data = [work, vec![0], source].concat();
        assert!(edit_bytes(&data) > 4);
    }
}

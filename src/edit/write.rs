//! Writing an edit all or nothing: every new text goes to a temporary file in its folder
//! first; only when all are written are they renamed into place, and if one rename fails
//! the files already replaced get their old text back.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// One file an edit touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// its text now; `None` for a file the edit creates
    pub old: Option<String>,
    /// its text after; `None` for a file the edit removes
    pub new: Option<String>,
}

/// What has been done so far, to undo it.
enum Done<'a> {
    Replaced(&'a Path, &'a str),
    Created(&'a Path),
    Removed(&'a Path, &'a str),
}

/// Writes every change or none. On failure, returns the file that failed and why; the
/// files already changed are back as they were (as far as the file system lets us).
pub(super) fn write_all(changes: &[FileChange]) -> Result<(), (PathBuf, io::Error)> {
    // 1. every new text in a temporary file beside its target: nothing visible changes yet
    let mut staged: Vec<(&FileChange, NamedTempFile)> = Vec::new();
    for change in changes {
        if let Some(old) = &change.old {
            // a file changed since it was read would lose that change: refuse
            let now = fs::read(&change.path).map_err(|e| (change.path.clone(), e))?;
            if now != old.as_bytes() {
                let e = io::Error::other("it changed while parallax was working: run again");
                return Err((change.path.clone(), e));
            }
        }
        if let Some(new) = &change.new {
            let tmp = stage(&change.path, new).map_err(|e| (change.path.clone(), e))?;
            staged.push((change, tmp));
        }
    }
    // 2. into place, remembering how to undo each step
    let mut done: Vec<Done<'_>> = Vec::new();
    for (change, tmp) in staged {
        let result = match &change.old {
            Some(old) => {
                if let Ok(m) = fs::metadata(&change.path) {
                    let _ = fs::set_permissions(tmp.path(), m.permissions());
                }
                tmp.persist(&change.path)
                    .map(|_| done.push(Done::Replaced(&change.path, old)))
            }
            None => tmp
                .persist_noclobber(&change.path)
                .map(|_| done.push(Done::Created(&change.path))),
        };
        if let Err(e) = result {
            undo(&done);
            return Err((change.path.clone(), e.error));
        }
    }
    // 3. removals last: until now, an undo never has to recreate a file
    for change in changes.iter().filter(|c| c.new.is_none()) {
        if let Err(e) = fs::remove_file(&change.path) {
            undo(&done);
            return Err((change.path.clone(), e));
        }
        done.push(Done::Removed(
            &change.path,
            change.old.as_deref().unwrap_or_default(),
        ));
    }
    Ok(())
}

/// A temporary file beside `path` holding `text`, flushed to disk.
fn stage(path: &Path, text: &str) -> io::Result<NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // hidden, so a run that dies here leaves nothing the loader would read
    let mut tmp = tempfile::Builder::new()
        .prefix(".parallax-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Undoes what was done, last step first.
fn undo(done: &[Done<'_>]) {
    for step in done.iter().rev() {
        let _ = match step {
            Done::Replaced(path, old) | Done::Removed(path, old) => {
                stage(path, old).and_then(|tmp| tmp.persist(path).map(|_| ()).map_err(|e| e.error))
            }
            Done::Created(path) => fs::remove_file(path),
        };
    }
}

/// The changes as a unified diff (what `--dry-run` prints). A file that moves is shown
/// as a rename, with its changes if it has any.
pub(super) fn unified_diff(changes: &[FileChange]) -> String {
    let mut out = String::new();
    let mut moved: Vec<usize> = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        if moved.contains(&i) {
            continue;
        }
        let (from, to) = match (&change.old, &change.new) {
            (Some(_), None) => {
                // a removal paired with a creation of the same text is a rename
                let target = changes
                    .iter()
                    .enumerate()
                    .find(|(j, c)| !moved.contains(j) && c.old.is_none() && c.new == change.old);
                match target {
                    Some((j, c)) => {
                        moved.push(j);
                        out.push_str(&format!(
                            "rename {} → {}\n",
                            change.path.display(),
                            c.path.display()
                        ));
                        continue;
                    }
                    None => (change.path.display().to_string(), "/dev/null".to_string()),
                }
            }
            (None, _) => ("/dev/null".to_string(), change.path.display().to_string()),
            _ => {
                let p = change.path.display().to_string();
                (p.clone(), p)
            }
        };
        let old = change.old.as_deref().unwrap_or_default();
        let new = change.new.as_deref().unwrap_or_default();
        let diff = similar::TextDiff::from_lines(old, new);
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&from, &to)
                .to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &Path, old: Option<&str>, new: Option<&str>) -> FileChange {
        FileChange {
            path: path.to_path_buf(),
            old: old.map(str::to_string),
            new: new.map(str::to_string),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn writes_every_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        fs::write(&a, "a1").unwrap();
        fs::write(&b, "b1").unwrap();
        write_all(&[
            change(&a, Some("a1"), Some("a2")),
            change(&b, Some("b1"), None),
            change(&c, None, Some("c2")),
        ])
        .unwrap();
        assert_eq!(fs::read_to_string(&a).unwrap(), "a2");
        assert_eq!(fs::read_to_string(&c).unwrap(), "c2");
        assert_eq!(names(dir.path()), ["a", "c"]);
    }

    #[test]
    fn a_failed_write_restores_the_files_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "a1").unwrap();
        fs::write(&b, "exists").unwrap();
        // creating `b` fails: it exists, and a new file never replaces one
        let err = write_all(&[
            change(&a, Some("a1"), Some("a2")),
            change(&b, None, Some("b2")),
        ])
        .unwrap_err();
        assert_eq!(err.0, b);
        assert_eq!(fs::read_to_string(&a).unwrap(), "a1");
        assert_eq!(fs::read_to_string(&b).unwrap(), "exists");
        assert_eq!(names(dir.path()), ["a", "b"]);
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        fs::write(&a, "edited meanwhile").unwrap();
        assert!(write_all(&[change(&a, Some("a1"), Some("a2"))]).is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "edited meanwhile");
    }

    #[test]
    fn a_move_shows_as_a_rename() {
        let diff = unified_diff(&[
            change(Path::new("s/old.toml"), Some("x\n"), None),
            change(Path::new("s/new.toml"), None, Some("x\n")),
            change(
                Path::new("w.toml"),
                Some("id = \"a\"\n"),
                Some("id = \"b\"\n"),
            ),
        ]);
        assert!(
            diff.starts_with("rename s/old.toml → s/new.toml\n"),
            "{diff}"
        );
        assert!(diff.contains("--- w.toml\n+++ w.toml\n"), "{diff}");
        assert!(diff.contains("-id = \"a\"\n+id = \"b\"\n"), "{diff}");
    }
}

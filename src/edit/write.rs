//! Writing an edit all or nothing, the way git updates its refs: every new text is staged
//! in a temporary file beside its target (closed once written, so a work of thousands of
//! files keeps a few open), a journal of the renames to come is written, and only then is
//! each file checked against what was read and renamed into place. A file changed since it
//! was read, a failed rename or an interruption (Ctrl-C) rolls back what was renamed and
//! removes every temporary file. Every path goes through the [`Gate`]: nothing is written
//! through a link or outside the corpus. A replaced file keeps its permission bits; a new
//! file gets those the umask gives.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::journal::{self, Journal};
use crate::corpus::load::MAX_FILE_BYTES;
use crate::gate::{self, Follow, Gate, Refused};
use crate::output::{existing_mode, interrupts};

/// One file an edit touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: PathBuf,
    /// its text now; `None` for a file the edit creates
    pub old: Option<String>,
    /// its text after; `None` for a file the edit removes
    pub new: Option<String>,
}

/// A change ready to be put in place: the path to write (resolved through the gate), its
/// permission bits, and its new text staged in a temporary file.
struct Staged<'a> {
    change: &'a FileChange,
    real: PathBuf,
    mode: Option<u32>,
    tmp: Option<TempPath>,
}

/// What has been done so far (to the staged change at an index), to undo it.
enum Done {
    Replaced(usize),
    Created(usize),
    Removed(usize),
}

/// Why an edit was not written: the file it failed on and why. Nothing was changed.
pub(super) type Failed = (PathBuf, io::Error);

fn refused(path: &Path, r: Refused) -> Failed {
    (path.to_path_buf(), io::Error::other(r.to_string()))
}

/// Writes every change or none. `journal_dir` is the folder of the journal (the work's),
/// for an edit of more than one file. On failure, returns the file that failed and why;
/// the files already changed are back as they were (as far as the file system lets us).
pub(super) fn write_all(
    gate: &Gate,
    changes: &[FileChange],
    journal_dir: Option<&Path>,
) -> Result<(), Failed> {
    // 1. every path checked, every new text in a temporary file: nothing visible changes yet
    let removals: Vec<&FileChange> = changes.iter().filter(|c| c.new.is_none()).collect();
    let mut staged: Vec<Staged<'_>> = Vec::with_capacity(changes.len());
    for change in changes {
        staged.push(stage(gate, change, moved_from(&removals, change))?);
    }
    // 2. the journal: from here on an interrupted run is finished by the next edit
    let journal = match journal_dir.filter(|_| changes.len() > 1) {
        Some(dir) => Journal::write(gate, dir, &staged_paths(&staged))
            .map_err(|r| refused(&dir.join(journal::NAME), r))?,
        None => None,
    };
    // 3. into place, each file checked just before its rename, interruptions waiting
    let result = interrupts::critical(|| {
        let mut done: Vec<Done> = Vec::new();
        let result = commit(&mut staged, &mut done);
        if result.is_err() {
            undo(&staged, &done);
        }
        if let Some(j) = &journal {
            j.remove();
        }
        if result.is_ok() {
            // every file is in place: an interruption now ends the run with success
            interrupts::committed();
        }
        result
    });
    sync_folders(&staged);
    result
}

/// Each staged change's temporary file and target, for the journal.
fn staged_paths<'a>(staged: &'a [Staged<'_>]) -> Vec<(Option<&'a Path>, &'a Path)> {
    staged
        .iter()
        .map(|s| (s.tmp.as_deref(), s.real.as_path()))
        .collect()
}

/// For a file the edit creates, the file it removes with the same text (a file that
/// moves), whose mode the new one keeps.
fn moved_from<'a>(removals: &[&'a FileChange], change: &FileChange) -> Option<&'a Path> {
    if change.old.is_some() {
        return None;
    }
    removals
        .iter()
        .find(|c| c.old == change.new)
        .map(|c| c.path.as_path())
}

/// Checks where `change` goes and stages its new text; a new file takes the mode of the
/// file at `moved_from`, if any.
fn stage<'a>(
    gate: &Gate,
    change: &'a FileChange,
    moved_from: Option<&Path>,
) -> Result<Staged<'a>, Failed> {
    let (real, exists) = gate
        .writable(&change.path)
        .map_err(|r| refused(&change.path, r))?;
    match (&change.old, exists) {
        (Some(_), false) => {
            let e = io::Error::new(io::ErrorKind::NotFound, "it is gone");
            return Err((change.path.clone(), e));
        }
        (None, true) => {
            let e = io::Error::new(io::ErrorKind::AlreadyExists, "it already exists");
            return Err((change.path.clone(), e));
        }
        _ => {}
    }
    if let Some(old) = &change.old {
        unchanged(&real, old).map_err(|e| (change.path.clone(), e))?;
    }
    let mode = existing_mode(&real).or_else(|| moved_from.and_then(existing_mode));
    let tmp = match &change.new {
        Some(new) => Some(write_temp(&real, new, mode).map_err(|e| (change.path.clone(), e))?),
        None => None,
    };
    Ok(Staged {
        change,
        real,
        mode,
        tmp,
    })
}

/// Renames each staged file into place (removals last: until then an undo never has to
/// recreate a file), refusing a file changed since it was read.
fn commit(staged: &mut [Staged<'_>], done: &mut Vec<Done>) -> Result<(), Failed> {
    let order: Vec<usize> = (0..staged.len())
        .filter(|&i| staged[i].change.new.is_some())
        .chain((0..staged.len()).filter(|&i| staged[i].change.new.is_none()))
        .collect();
    for i in order {
        let s = &mut staged[i];
        let path = &s.change.path;
        if let Some(signal) = interrupts::interrupted() {
            return Err((path.clone(), interrupts::interruption(signal)));
        }
        if let Some(old) = &s.change.old {
            unchanged(&s.real, old).map_err(|e| (path.clone(), e))?;
        }
        match (s.tmp.take(), &s.change.old) {
            (Some(tmp), old) => {
                let create = old.is_none();
                interrupts::persist(tmp, &s.real, create).map_err(|e| (path.clone(), e))?;
                done.push(if create {
                    Done::Created(i)
                } else {
                    Done::Replaced(i)
                });
            }
            (None, _) => {
                fs::remove_file(&s.real).map_err(|e| (path.clone(), e))?;
                done.push(Done::Removed(i));
            }
        }
    }
    Ok(())
}

/// Fails unless the file at `real` holds `old` (it was not changed since it was read).
fn unchanged(real: &Path, old: &str) -> io::Result<()> {
    let now = gate::read_regular(real, MAX_FILE_BYTES, Follow::No)
        .map_err(|r| io::Error::other(r.to_string()))?;
    if now != old.as_bytes() {
        return Err(io::Error::other(
            "it changed while parallax was working: nothing was changed; run again",
        ));
    }
    Ok(())
}

/// A temporary file beside `real` holding `text`, flushed to disk and closed, registered
/// for removal on an interruption.
fn write_temp(real: &Path, text: &str, mode: Option<u32>) -> io::Result<TempPath> {
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = interrupts::create_in(dir, mode)?;
    let written = tmp
        .write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all());
    if let Err(e) = written {
        interrupts::forget(tmp.path());
        return Err(e);
    }
    Ok(tmp.into_temp_path())
}

/// Undoes what was done, last step first: each file back with its old text and mode.
fn undo(staged: &[Staged<'_>], done: &[Done]) {
    for step in done.iter().rev() {
        let _ = match *step {
            Done::Replaced(i) | Done::Removed(i) => {
                let s = &staged[i];
                write_temp(&s.real, s.change.old.as_deref().unwrap_or_default(), s.mode)
                    .and_then(|tmp| interrupts::persist(tmp, &s.real, false))
            }
            Done::Created(i) => fs::remove_file(&staged[i].real),
        };
    }
}

/// Flushes the folders whose entries changed, so the renames survive a power loss.
fn sync_folders(staged: &[Staged<'_>]) {
    let mut dirs: Vec<&Path> = staged.iter().filter_map(|s| s.real.parent()).collect();
    dirs.sort_unstable();
    dirs.dedup();
    for dir in dirs {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
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
        write_all(
            &gate(dir.path()),
            &[
                change(&a, Some("a1"), Some("a2")),
                change(&b, Some("b1"), None),
                change(&c, None, Some("c2")),
            ],
            Some(dir.path()),
        )
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
        let err = write_all(
            &gate(dir.path()),
            &[
                change(&a, Some("a1"), Some("a2")),
                change(&b, None, Some("b2")),
            ],
            Some(dir.path()),
        )
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
        let g = gate(dir.path());
        assert!(write_all(&g, &[change(&a, Some("a1"), Some("a2"))], None).is_err());
        assert_eq!(fs::read_to_string(&a).unwrap(), "edited meanwhile");
    }

    fn gate(dir: &Path) -> Gate {
        Gate::new(dir).unwrap()
    }

    /// A file edited after it was staged (here: the second file, changed while the first
    /// is renamed) is not overwritten, and the first goes back as it was.
    #[test]
    fn a_file_changed_after_staging_rolls_the_edit_back() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, "a1").unwrap();
        fs::write(&b, "b1").unwrap();
        let g = gate(dir.path());
        let changes = [
            change(&a, Some("a1"), Some("a2")),
            change(&b, Some("b1"), Some("b2")),
        ];
        let mut staged: Vec<Staged<'_>> = changes
            .iter()
            .map(|c| stage(&g, c, None).unwrap())
            .collect();
        fs::write(&b, "edited meanwhile").unwrap();
        let mut done = Vec::new();
        let err = commit(&mut staged, &mut done).unwrap_err();
        undo(&staged, &done);
        assert_eq!(err.0, b);
        assert_eq!(fs::read_to_string(&a).unwrap(), "a1");
        assert_eq!(fs::read_to_string(&b).unwrap(), "edited meanwhile");
        drop(staged);
        assert_eq!(names(dir.path()), ["a", "b"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_edited_file_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        fs::write(&a, "a1").unwrap();
        fs::set_permissions(&a, fs::Permissions::from_mode(0o664)).unwrap();
        write_all(
            &gate(dir.path()),
            &[change(&a, Some("a1"), Some("a2"))],
            None,
        )
        .unwrap();
        let mode = fs::metadata(&a).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let link = dir.path().join("planted.toml");
        std::os::unix::fs::symlink(outside.path().join("made"), &link).unwrap();
        let err =
            write_all(&gate(dir.path()), &[change(&link, None, Some("x"))], None).unwrap_err();
        assert!(err.1.to_string().contains("link"), "{}", err.1);
        assert!(!outside.path().join("made").exists());
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

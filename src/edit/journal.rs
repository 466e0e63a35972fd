//! The journal of an edit of several files: written (and flushed to disk) once every new
//! text is staged and before the first rename, removed once the last rename is done. A run
//! killed in between (SIGKILL, a power loss) leaves it in the work folder with the staged
//! files it names; the next edit of that work finishes the renames it lists before doing
//! anything else, so the work is never left half renamed.
//!
//! The journal lies in the corpus, so it is read as hostile: each line names a file of the
//! work (`work.toml` or `sources/<name>.toml`) and a staged file beside it
//! (`.parallax-*.tmp`), and both are reached through the [`Gate`].

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::gate::{Follow, Gate, Refused};
use crate::output::interrupts;

/// The journal's file name in the work folder; hidden, so the loader never reads it.
pub const NAME: &str = ".parallax-edit.journal";

/// First line of a journal.
const HEADER: &str = "parallax edit journal 1";

/// The largest journal read back: a line per file of a work.
const MAX_BYTES: u64 = 64 << 20;

/// One step of an edit, paths relative to the work folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// rename the staged file onto the target
    Put { staged: String, target: String },
    /// remove the target
    Remove { target: String },
}

/// A journal written to disk.
pub struct Journal {
    real: PathBuf,
}

/// The steps for staged changes (each its staged file, if any, and its target, both in
/// the resolved work folder `real_dir`); `None` when one lies elsewhere.
fn steps(real_dir: &Path, staged: &[(Option<&Path>, &Path)]) -> Option<Vec<Step>> {
    let rel = |p: &Path| -> Option<String> {
        let r = p.strip_prefix(real_dir).ok()?.to_str()?;
        (!r.contains(['\t', '\n'])).then(|| r.to_string())
    };
    staged
        .iter()
        .map(|(tmp, target)| {
            let target = rel(target)?;
            Some(match tmp {
                Some(t) => Step::Put {
                    staged: rel(t)?,
                    target,
                },
                None => Step::Remove { target },
            })
        })
        .collect()
}

impl Journal {
    /// Writes the journal of `staged` into the work folder `dir` and flushes it to disk.
    /// Nothing is written when a path cannot be journalled (the edit is then still all or
    /// nothing, but not finished after a kill).
    pub fn write(
        gate: &Gate,
        dir: &Path,
        staged: &[(Option<&Path>, &Path)],
    ) -> Result<Option<Journal>, Refused> {
        let real_dir = gate.folder(dir)?;
        let Some(steps) = steps(&real_dir, staged) else {
            return Ok(None);
        };
        let (real, exists) = gate.writable(&dir.join(NAME))?;
        if exists {
            return Err(Refused::Io(std::io::Error::other(
                "another edit of this work is running, or was killed: run the edit again",
            )));
        }
        let mut text = format!("{HEADER}\npid\t{}\n", std::process::id());
        for step in &steps {
            match step {
                Step::Put { staged, target } => {
                    text.push_str(&format!("put\t{staged}\t{target}\n"))
                }
                Step::Remove { target } => text.push_str(&format!("remove\t{target}\n")),
            }
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&real)?;
        // an interruption before the renames start removes it with the staged files
        interrupts::register(&real);
        let journal = Journal { real };
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .and_then(|()| fs::File::open(&real_dir)?.sync_all());
        if let Err(e) = written {
            journal.remove();
            return Err(Refused::Io(e));
        }
        Ok(Some(journal))
    }

    /// Removes the journal: the edit is done or undone.
    pub fn remove(&self) {
        let _ = fs::remove_file(&self.real);
        interrupts::forget(&self.real);
        if let Some(dir) = self.real.parent()
            && let Ok(d) = fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
    }
}

/// Reads a journal's steps and the process that wrote it; `None` if it is not one.
fn parse(text: &str) -> Option<(Option<u32>, Vec<Step>)> {
    let mut lines = text.lines().peekable();
    if lines.next()? != HEADER {
        return None;
    }
    let pid = lines
        .next_if(|l| l.starts_with("pid\t"))
        .and_then(|l| l["pid\t".len()..].parse().ok());
    let steps = lines
        .map(|line| {
            let parts: Vec<&str> = line.split('\t').collect();
            let step = match parts.as_slice() {
                ["put", staged, target] => Step::Put {
                    staged: staged.to_string(),
                    target: target.to_string(),
                },
                ["remove", target] => Step::Remove {
                    target: target.to_string(),
                },
                _ => return None,
            };
            valid(&step).then_some(step)
        })
        .collect::<Option<Vec<Step>>>()?;
    Some((pid, steps))
}

/// Whether the process `pid` is a parallax still running (its journal is then no
/// interrupted edit but one under way). Known where `/proc` tells; elsewhere a journal is
/// taken for one left by a killed run.
fn running(pid: u32) -> bool {
    pid != std::process::id()
        && std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|name| name.trim() == "parallax")
}

/// A step names a file of the work and, for a rename, a staged file beside it.
fn valid(step: &Step) -> bool {
    let target_ok = |t: &str| {
        t == "work.toml"
            || t.strip_prefix("sources/").is_some_and(|name| {
                name.ends_with(".toml") && !name.starts_with('.') && !name.contains(['/', '\\'])
            })
    };
    match step {
        Step::Remove { target } => target_ok(target),
        Step::Put { staged, target } => {
            let (dir, name) = staged.rsplit_once('/').unwrap_or(("", staged));
            let target_dir = target.rsplit_once('/').map_or("", |(d, _)| d);
            target_ok(target)
                && dir == target_dir
                && name.starts_with(".parallax-")
                && name.ends_with(".tmp")
                && !name.contains('\\')
        }
    }
}

/// Finishes an edit of the work folder `dir` that was killed after its journal was
/// written: the renames it lists whose staged file is still there are done, its removals
/// too, and the journal goes. Returns what to tell the user, if there was one.
pub fn finish_interrupted(gate: &Gate, dir: &Path) -> Result<Option<String>, Diagnostic> {
    let path = dir.join(NAME);
    let bytes = match gate.read(&path, MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(Refused::Missing) => return Ok(None),
        Err(r) => return Err(journal_error(&path, &r.to_string())),
    };
    let (pid, steps) = std::str::from_utf8(&bytes)
        .ok()
        .and_then(parse)
        .ok_or_else(|| journal_error(&path, "it is not a journal parallax wrote"))?;
    if let Some(pid) = pid.filter(|&p| running(p)) {
        return Err(Diagnostic::error(format!(
            "another edit of {} is under way (process {pid})",
            dir.display()
        ))
        .at_path(&path)
        .with_help("wait for it to finish, then run this edit again"));
    }
    let mut finished = 0;
    for step in &steps {
        let done = match step {
            Step::Put { staged, target } => put(gate, &dir.join(staged), &dir.join(target)),
            Step::Remove { target } => match gate.writable(&dir.join(target)) {
                Ok((real, true)) => fs::remove_file(real).map_err(Refused::Io).map(|()| true),
                Ok((_, false)) => Ok(false),
                Err(r) => Err(r),
            },
        };
        match done {
            Ok(true) => finished += 1,
            Ok(false) => {}
            Err(r) => return Err(journal_error(&path, &r.to_string())),
        }
    }
    if let Ok((real, true)) = gate.writable(&path) {
        Journal { real }.remove();
    }
    Ok(Some(format!(
        "note: finished an edit of {} that was interrupted: {finished} file{} put in place",
        dir.display(),
        if finished == 1 { "" } else { "s" }
    )))
}

/// Renames a staged file still there onto its target.
fn put(gate: &Gate, staged: &Path, target: &Path) -> Result<bool, Refused> {
    let (staged, there) = gate.writable(staged)?;
    if !there {
        return Ok(false);
    }
    // the staged file must be one parallax could have written: a regular file
    crate::gate::open_regular(&staged, Follow::No)?;
    let (target, _) = gate.writable(target)?;
    fs::rename(staged, target)?;
    Ok(true)
}

fn journal_error(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "an edit of this work was interrupted, and its journal {} cannot be finished: {why}",
        path.display()
    ))
    .at_path(path)
    .with_help("look at the work with `git status` or `parallax check`, then remove the journal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_the_work_and_staged_files_beside_them_are_journalled() {
        let ok = "parallax edit journal 1\nput\t.parallax-a.tmp\twork.toml\nput\tsources/.parallax-b.tmp\tsources/x.toml\nremove\tsources/y.toml\n";
        assert_eq!(parse(ok).unwrap().1.len(), 3);
        let with_pid = ok.replacen('\n', "\npid\t12\n", 1);
        assert_eq!(parse(&with_pid).unwrap().0, Some(12));
        for bad in [
            "put\t.parallax-a.tmp\t../work.toml",
            "put\t.parallax-a.tmp\t/etc/passwd",
            "put\t../.parallax-a.tmp\twork.toml",
            "put\tsources/.parallax-a.tmp\twork.toml",
            "put\tsecret\twork.toml",
            "remove\tsources/../../x.toml",
            "remove\tsources/a/b.toml",
        ] {
            assert!(parse(&format!("{HEADER}\n{bad}\n")).is_none(), "{bad}");
        }
    }
}

//! Where the corpus is, as git finds its repository: `--corpus`, else `$PARALLAX_CORPUS`,
//! else the nearest folder, from the current one upward, that is a corpus. A user standing
//! in a work folder, in its `sources/`, in the corpus root or in the project that holds
//! `interpretations/` runs `parallax voices` and gets that corpus.
//!
//! A folder is a corpus when it is one of:
//! - a corpus root: it holds a work folder (a folder with a `work.toml`);
//! - a work folder: it holds `work.toml`; its parent is the root and the work is chosen;
//! - a project: it holds a folder `interpretations/`, which is the root.
//!
//! Only folder names and the existence of `work.toml` are looked at on the way up; no file
//! is read. The root is given relative to the current folder (`interpretations`, `..`,
//! `../..`), so that paths in messages are what the user would type.

use std::fs;
use std::path::{Path, PathBuf};

/// The folder that holds the corpus when nothing else names one, in the folder where
/// parallax is run.
pub const DEFAULT_ROOT: &str = "interpretations";

/// How the corpus was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// `--corpus DIR`
    Flag,
    /// `$PARALLAX_CORPUS`
    Environment,
    /// found from the current folder upward
    Discovered,
    /// no folder from the current one upward is a corpus: these were looked at, nearest
    /// first. The root is then [`DEFAULT_ROOT`] in the current folder (where `new work`
    /// starts one).
    NotFound { looked_in: Vec<PathBuf> },
}

/// The corpus a command uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub root: PathBuf,
    /// the work folder the search started in (or below), when it started in one
    pub work: Option<String>,
    pub how: How,
}

/// The corpus: `flag` (`--corpus`), else `env` (`$PARALLAX_CORPUS`, when not empty), else
/// the nearest corpus from `cwd` upward.
pub fn locate(flag: Option<&Path>, env: Option<&Path>, cwd: &Path) -> Found {
    if let Some(root) = flag {
        return given(root, How::Flag);
    }
    if let Some(root) = env.filter(|p| !p.as_os_str().is_empty()) {
        return given(root, How::Environment);
    }
    upward(cwd)
}

fn given(root: &Path, how: How) -> Found {
    Found {
        root: root.to_path_buf(),
        work: None,
        how,
    }
}

/// The nearest corpus from `cwd` upward (see the module's documentation).
pub fn upward(cwd: &Path) -> Found {
    let mut looked_in = Vec::new();
    for (depth, dir) in cwd.ancestors().enumerate() {
        // `..` once per folder climbed: the root as the user would type it from `cwd`
        let up: PathBuf = std::iter::repeat_n("..", depth).collect();
        if holds_a_work(dir) {
            let root = if depth == 0 { PathBuf::from(".") } else { up };
            return discovered(root, None);
        }
        if dir.join("work.toml").is_file()
            && let Some(name) = dir.file_name()
            && dir.parent().is_some()
        {
            let work = name.to_string_lossy().into_owned();
            return discovered(up.join(".."), Some(work));
        }
        if dir.join(DEFAULT_ROOT).is_dir() {
            return discovered(up.join(DEFAULT_ROOT), None);
        }
        looked_in.push(dir.to_path_buf());
    }
    Found {
        root: PathBuf::from(DEFAULT_ROOT),
        work: None,
        how: How::NotFound { looked_in },
    }
}

fn discovered(root: PathBuf, work: Option<String>) -> Found {
    Found {
        root,
        work,
        how: How::Discovered,
    }
}

/// Whether `dir` holds a work folder: a folder, not hidden, with a `work.toml`.
fn holds_a_work(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        !name.to_string_lossy().starts_with('.')
            && entry
                .file_type()
                .is_ok_and(|t| t.is_dir() || t.is_symlink())
            && entry.path().join("work.toml").is_file()
    })
}

/// What the user is told when no corpus was found: where parallax looked and what it looked
/// for. Folders are named from the nearest; a long climb is cut to its two ends.
pub fn not_found_help(looked_in: &[PathBuf]) -> (String, String) {
    let shown: Vec<String> = if looked_in.len() <= 6 {
        looked_in.iter().map(|p| p.display().to_string()).collect()
    } else {
        let mut v: Vec<String> = (looked_in[..3].iter())
            .map(|p| p.display().to_string())
            .collect();
        v.push("…".into());
        v.extend(
            looked_in[looked_in.len() - 2..]
                .iter()
                .map(|p| p.display().to_string()),
        );
        v
    };
    let message = match looked_in.first() {
        Some(start) => format!(
            "no corpus found in {} or any folder above it",
            start.display()
        ),
        None => "no corpus found".to_string(),
    };
    let help = format!(
        "looked in {} for a corpus root (a folder of work folders, each with a work.toml), a \
         work folder (with a work.toml) or a folder holding interpretations/; run parallax \
         inside a corpus, or name one with --corpus DIR or $PARALLAX_CORPUS \
         (`parallax new work ID` starts one in ./interpretations)",
        shown.join(", ")
    );
    (message, help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("project/interpretations/anora");
        fs::create_dir_all(work.join("sources")).unwrap();
        fs::write(work.join("work.toml"), "[work]\ntitle = \"Anora\"\n").unwrap();
        fs::create_dir_all(dir.path().join("project/src")).unwrap();
        dir
    }

    #[test]
    fn the_flag_then_the_environment_win() {
        let dir = corpus();
        let cwd = dir.path().join("project");
        let found = locate(Some(Path::new("x")), Some(Path::new("y")), &cwd);
        assert_eq!((found.root, found.how), (PathBuf::from("x"), How::Flag));
        let found = locate(None, Some(Path::new("y")), &cwd);
        assert_eq!(found.root, PathBuf::from("y"));
        assert_eq!(found.how, How::Environment);
        // an empty variable is no variable
        let found = locate(None, Some(Path::new("")), &cwd);
        assert_eq!(found.root, PathBuf::from("interpretations"));
        assert_eq!(found.how, How::Discovered);
    }

    #[test]
    fn found_from_the_project_the_root_the_work_and_below() {
        let dir = corpus();
        let p = dir.path().join("project");
        let at = |rel: &str| upward(&p.join(rel));
        let f = at("");
        assert_eq!((f.root, f.work), ("interpretations".into(), None));
        let f = at("src");
        assert_eq!((f.root, f.work), ("../interpretations".into(), None));
        let f = at("interpretations");
        assert_eq!((f.root, f.work), (".".into(), None));
        let f = at("interpretations/anora");
        assert_eq!((f.root, f.work), ("..".into(), Some("anora".into())));
        let f = at("interpretations/anora/sources");
        assert_eq!((f.root, f.work), ("../..".into(), Some("anora".into())));
        // each root, joined to the folder it was found from, is the corpus
        for rel in [
            "",
            "src",
            "interpretations",
            "interpretations/anora/sources",
        ] {
            let f = at(rel);
            let root = p.join(rel).join(&f.root);
            assert!(root.join("anora/work.toml").is_file(), "{rel}");
        }
    }

    #[test]
    fn an_unrelated_folder_says_where_it_looked() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().join("a/b");
        fs::create_dir_all(&cwd).unwrap();
        let found = upward(&cwd);
        let How::NotFound { looked_in } = &found.how else {
            // a corpus above the temporary folder: nothing to test here
            return;
        };
        assert_eq!(looked_in[0], cwd);
        assert_eq!(found.root, PathBuf::from("interpretations"));
        let (message, help) = not_found_help(looked_in);
        assert!(message.contains(&cwd.display().to_string()), "{message}");
        assert!(help.contains("--corpus"), "{help}");
    }

    #[test]
    fn hidden_folders_are_not_works() {
        let dir = tempfile::tempdir().unwrap();
        let hidden = dir.path().join("top/.cache");
        fs::create_dir_all(&hidden).unwrap();
        fs::write(hidden.join("work.toml"), "").unwrap();
        assert!(!holds_a_work(&dir.path().join("top")));
    }
}

//! Which corpus file a path is, and the editor's names for paths (`file:` URIs).
//!
//! [`classify`] is the one place that decides what kind of corpus file a path is: the
//! work's `work.toml`, a source's claim set (`sources/<id>.toml`) or a coder's coding
//! (`codings/<coder>/<id>.toml`). Every part of the server asks it.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::Uri;

/// What a corpus file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// `WORK/work.toml`: the work and its codebook
    Work,
    /// `WORK/sources/<id>.toml`: a source's claim set
    Source,
    /// `WORK/codings/<coder>/<id>.toml`: a coder's coding of a source, a claim set whose
    /// `[source]` table is optional (docs/rules.md)
    Coding { coder: String },
}

impl Kind {
    /// Whether the file holds claims (a claim set or a coding).
    pub fn has_claims(&self) -> bool {
        !matches!(self, Kind::Work)
    }

    /// Whether its `[source]` table may be left out.
    pub fn source_table_optional(&self) -> bool {
        matches!(self, Kind::Coding { .. })
    }
}

/// A path of a corpus file: its kind and the work folder it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    pub kind: Kind,
    /// the work's folder: `ROOT/WORK`
    pub work_dir: PathBuf,
}

/// What kind of corpus file `path` is, by where it lies; `None` for any other file.
pub fn classify(path: &Path) -> Option<CorpusFile> {
    let name = path.file_name()?.to_str()?;
    let parent = path.parent()?;
    let folder = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_string);
    let with_root = |dir: &Path| dir.parent().is_some() && folder(dir).is_some();
    if name == "work.toml" {
        return with_root(parent).then(|| CorpusFile {
            kind: Kind::Work,
            work_dir: parent.to_path_buf(),
        });
    }
    if path.extension()? != "toml" || name.starts_with('.') {
        return None;
    }
    let codings = parent.parent()?;
    let in_sources = folder(parent).as_deref() == Some("sources");
    // `WORK/codings/sources/x.toml` is a coding (of a coder whose name is reserved, which
    // the validator reports) when WORK is a work; else `codings` is a work of its own
    let coding = folder(codings).as_deref() == Some("codings")
        && (!in_sources
            || codings
                .parent()
                .is_some_and(|w| w.join("work.toml").is_file()));
    if coding {
        let work_dir = codings.parent()?;
        let coder = folder(parent)?;
        return with_root(work_dir).then(|| CorpusFile {
            kind: Kind::Coding { coder },
            work_dir: work_dir.to_path_buf(),
        });
    }
    if in_sources {
        return with_root(codings).then(|| CorpusFile {
            kind: Kind::Source,
            work_dir: codings.to_path_buf(),
        });
    }
    None
}

/// The path a `file:` URI names; `None` for any other scheme.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    if url.scheme() != "file" {
        return None;
    }
    url.to_file_path().ok()
}

/// The `file:` URI of a path (absolute, or made so from the working folder).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let url = url::Url::from_file_path(&absolute).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_where_they_lie() {
        let c = |p: &str| classify(Path::new(p));
        assert_eq!(c("/c/anora/work.toml").unwrap().kind, Kind::Work);
        assert_eq!(
            c("/c/anora/work.toml").unwrap().work_dir,
            Path::new("/c/anora")
        );
        assert_eq!(c("/c/anora/sources/a.toml").unwrap().kind, Kind::Source);
        assert_eq!(
            c("/c/anora/codings/alice/a.toml").unwrap(),
            CorpusFile {
                kind: Kind::Coding {
                    coder: "alice".into()
                },
                work_dir: "/c/anora".into()
            }
        );
        assert_eq!(c("/c/anora/sources/a.txt"), None);
        assert_eq!(c("/c/anora/texts/a.toml"), None);
        assert_eq!(c("/c/anora/sources/.hidden.toml"), None);
    }

    #[test]
    fn a_coders_folder_named_sources_is_a_coding_where_the_work_is_a_work() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w/codings/sources/a.toml");
        // without w/work.toml, `codings` is the work and this its claim set
        assert_eq!(classify(&path).unwrap().kind, Kind::Source);
        std::fs::create_dir_all(dir.path().join("w")).unwrap();
        std::fs::write(dir.path().join("w/work.toml"), "").unwrap();
        let file = classify(&path).unwrap();
        assert_eq!(
            file.kind,
            Kind::Coding {
                coder: "sources".into()
            }
        );
        assert_eq!(file.work_dir, dir.path().join("w"));
    }

    #[test]
    fn uris_round_trip_with_spaces_and_unicode() {
        let path = Path::new("/tmp/a corpus/é/work.toml");
        let uri = path_to_uri(path).unwrap();
        assert!(
            uri.as_str().starts_with("file:///tmp/a%20corpus/"),
            "{}",
            uri.as_str()
        );
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert_eq!(uri_to_path(&Uri::from_str("untitled:1").unwrap()), None);
    }
}

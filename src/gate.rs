//! The one gate to the files of a corpus (SECURITY.md): which paths under a folder may be opened,
//! read, listed or written. The loader, the quote checker, the editors, the importers, shell
//! completion and the language server all go through it, so a rule fixed here holds for
//! every one of them (the way a `cap-std` `Dir` handle confines what is reached through it).
//!
//! The rules:
//! - a path is resolved with every link followed and must lie inside the gate's folder once
//!   resolved; a link leading out is refused and what it leads to is never opened;
//! - only regular files are read: a FIFO, a socket or a device is refused without being
//!   opened for long (a FIFO is opened non-blocking, so a reader never waits on it);
//! - a read stops at a size limit, also when the file grows while it is read;
//! - a write never goes through a link (a dangling link is not "nothing there"), never
//!   replaces a folder or a special file, and goes into a folder that lies inside.
//!
//! Races with a process that swaps a link between the check and the open are out of scope
//! (SECURITY.md); the final open refuses to follow a link all the same, which closes the
//! commonest one.

use std::ffi::OsString;
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Where a path leads once every link is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confined {
    /// inside the folder it must stay in: the resolved path, to open instead of the link
    Inside(PathBuf),
    /// outside it: never to be opened
    Outside,
    /// nothing there (or a link to nothing)
    Missing,
}

/// Resolves `path` and tells whether it lies inside `real_root`, a folder already resolved
/// with [`fs::canonicalize`].
pub fn confine(real_root: &Path, path: &Path) -> Confined {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(real_root) => Confined::Inside(real),
        Ok(_) => Confined::Outside,
        Err(_) => Confined::Missing,
    }
}

/// Why the gate refused a path. Its text never names where a link leads.
#[derive(Debug)]
pub enum Refused {
    /// a link leading out of the folder the path must stay in
    Outside,
    /// nothing there, or a link to nothing
    Missing,
    /// a FIFO, a socket or a device (named)
    Special(&'static str),
    /// a folder where a file was wanted
    Folder,
    /// a file where a folder was wanted
    NotFolder,
    /// a link where a file is to be written
    Link,
    /// larger than the limit of the read
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(io::Error),
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Outside => f.write_str("it is a link leading outside the corpus folder"),
            Refused::Missing => f.write_str("not found"),
            Refused::Special(kind) => write!(f, "it is a {kind}, not a regular file"),
            Refused::Folder => f.write_str("it is a folder, not a file"),
            Refused::NotFolder => f.write_str("it is not a folder"),
            Refused::Link => f.write_str("it is a link, and parallax never writes through a link"),
            Refused::TooLarge { size, limit } => {
                write!(f, "it is too large: {size} bytes, over the {limit} allowed")
            }
            Refused::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::NotFound {
            Refused::Missing
        } else {
            Refused::Io(e)
        }
    }
}

/// What a path of the corpus is, once every link is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    /// a FIFO, a socket or a device, named
    Special(&'static str),
}

impl Kind {
    fn of(t: fs::FileType) -> Kind {
        if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Folder
        } else {
            Kind::Special(special_name(t))
        }
    }
}

#[cfg(unix)]
fn special_name(t: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "FIFO"
    } else if t.is_socket() {
        "socket"
    } else if t.is_block_device() || t.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_name(_: fs::FileType) -> &'static str {
    "special file"
}

/// One entry of a listed folder.
#[derive(Debug)]
pub struct Entry {
    pub name: OsString,
    /// the folder's path as given, joined with the name: the path to show
    pub path: PathBuf,
    /// what it is and the path to open it by, or why it may not be opened
    pub found: Result<(Kind, PathBuf), Refused>,
}

/// A folder that every path reached through it must stay in.
#[derive(Debug, Clone)]
pub struct Gate {
    real_root: PathBuf,
}

impl Gate {
    /// The gate of the folder `root` (resolved now).
    pub fn new(root: &Path) -> io::Result<Gate> {
        Ok(Gate {
            real_root: fs::canonicalize(root)?,
        })
    }

    /// A gate of a folder already resolved with [`fs::canonicalize`].
    pub fn resolved(real_root: PathBuf) -> Gate {
        Gate { real_root }
    }

    /// The folder, resolved.
    pub fn real_root(&self) -> &Path {
        &self.real_root
    }

    pub fn confine(&self, path: &Path) -> Confined {
        confine(&self.real_root, path)
    }

    /// What `path` is and the resolved path to open it by.
    pub fn kind(&self, path: &Path) -> Result<(Kind, PathBuf), Refused> {
        match self.confine(path) {
            Confined::Inside(real) => Ok((Kind::of(fs::metadata(&real)?.file_type()), real)),
            Confined::Outside => Err(Refused::Outside),
            Confined::Missing => Err(Refused::Missing),
        }
    }

    /// The resolved path of a folder inside.
    pub fn folder(&self, path: &Path) -> Result<PathBuf, Refused> {
        match self.kind(path)? {
            (Kind::Folder, real) => Ok(real),
            _ => Err(Refused::NotFolder),
        }
    }

    /// The bytes of a regular file inside, at most `limit` of them.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
        match self.kind(path)? {
            (Kind::File, real) => read_regular(&real, limit, Follow::No),
            (Kind::Folder, _) => Err(Refused::Folder),
            (Kind::Special(k), _) => Err(Refused::Special(k)),
        }
    }

    /// The entries of a folder inside (hidden ones too), each classed without being opened:
    /// a link is resolved and confined, anything else is what its folder entry says.
    pub fn list(&self, dir: &Path) -> Result<Vec<Entry>, Refused> {
        let real_dir = self.folder(dir)?;
        let mut out = Vec::new();
        for entry in fs::read_dir(&real_dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let path = dir.join(&name);
            let real = real_dir.join(&name);
            let found = match entry.file_type() {
                Ok(t) if t.is_symlink() => self.kind(&real),
                Ok(t) => Ok((Kind::of(t), real)),
                Err(e) => Err(Refused::Io(e)),
            };
            out.push(Entry { name, path, found });
        }
        Ok(out)
    }

    /// Where a file at `path` may be written: its folder must lie inside, and the path must
    /// be nothing yet or a regular file (never a link, even a dangling one). Returns the
    /// path to write (in the resolved folder) and whether a file is there now.
    pub fn writable(&self, path: &Path) -> Result<(PathBuf, bool), Refused> {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(Refused::Folder);
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let real = self.folder(dir)?.join(name);
        match fs::symlink_metadata(&real) {
            Ok(m) if m.file_type().is_symlink() => Err(Refused::Link),
            Ok(m) => match Kind::of(m.file_type()) {
                Kind::File => Ok((real, true)),
                Kind::Folder => Err(Refused::Folder),
                Kind::Special(k) => Err(Refused::Special(k)),
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((real, false)),
            Err(e) => Err(Refused::Io(e)),
        }
    }

    /// Makes the folder `path` (its parent must lie inside) unless it is there; returns
    /// whether it was made. A link to a folder inside counts as the folder.
    pub fn create_folder(&self, path: &Path) -> Result<bool, Refused> {
        match self.kind(path) {
            Ok((Kind::Folder, _)) => return Ok(false),
            Ok((Kind::File, _)) => return Err(Refused::NotFolder),
            Ok((Kind::Special(k), _)) => return Err(Refused::Special(k)),
            Err(Refused::Missing) => {}
            Err(e) => return Err(e),
        }
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Err(Refused::NotFolder);
        };
        if fs::symlink_metadata(path).is_ok() {
            // a dangling link: making the folder would follow it
            return Err(Refused::Link);
        }
        let real = self.folder(dir)?.join(name);
        fs::create_dir(real)?;
        Ok(true)
    }
}

/// Whether a read follows a link in the last part of the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Yes,
    No,
}

/// Reads a regular file, at most `limit` bytes: a FIFO, a socket or a device is refused
/// (opened non-blocking, so a FIFO without a writer does not hang the read), and a file
/// larger than `limit`, or growing past it while it is read, is refused.
pub fn read_regular(path: &Path, limit: u64, follow: Follow) -> Result<Vec<u8>, Refused> {
    let file = open_regular(path, follow)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Opens a file for reading only if it is a regular file.
pub fn open_regular(path: &Path, follow: Follow) -> Result<File, Refused> {
    let file = open_options(follow).open(path).map_err(|e| {
        if follow == Follow::No && is_loop(&e) {
            Refused::Link
        } else {
            Refused::from(e)
        }
    })?;
    match Kind::of(file.metadata()?.file_type()) {
        Kind::File => Ok(file),
        Kind::Folder => Err(Refused::Folder),
        Kind::Special(k) => Err(Refused::Special(k)),
    }
}

#[cfg(unix)]
fn open_options(follow: Follow) -> fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    let mut o = fs::OpenOptions::new();
    let flags = match follow {
        Follow::Yes => libc::O_NONBLOCK,
        Follow::No => libc::O_NONBLOCK | libc::O_NOFOLLOW,
    };
    o.read(true).custom_flags(flags);
    o
}

#[cfg(not(unix))]
fn open_options(_: Follow) -> fs::OpenOptions {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    o
}

#[cfg(unix)]
fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_loop(_: &io::Error) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> (tempfile::TempDir, tempfile::TempDir, Gate) {
        let inside = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "secret").unwrap();
        fs::write(inside.path().join("plain.toml"), "x = 1").unwrap();
        let gate = Gate::new(inside.path()).unwrap();
        (inside, outside, gate)
    }

    #[cfg(unix)]
    #[test]
    fn a_link_leading_out_is_never_read() {
        let (inside, outside, gate) = corpus();
        let link = inside.path().join("link.toml");
        std::os::unix::fs::symlink(outside.path().join("secret"), &link).unwrap();
        assert!(matches!(gate.read(&link, 100), Err(Refused::Outside)));
        let dir = inside.path().join("dir");
        std::os::unix::fs::symlink(outside.path(), &dir).unwrap();
        assert!(matches!(
            gate.read(&dir.join("secret"), 100),
            Err(Refused::Outside)
        ));
        assert!(matches!(gate.list(&dir), Err(Refused::Outside)));
        assert!(matches!(
            gate.writable(&dir.join("new.toml")),
            Err(Refused::Outside)
        ));
        assert_eq!(
            gate.read(&inside.path().join("plain.toml"), 100).unwrap(),
            b"x = 1"
        );
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let (inside, _outside, gate) = corpus();
        let fifo = inside.path().join("fifo.toml");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert!(matches!(
            gate.read(&fifo, 100),
            Err(Refused::Special("FIFO"))
        ));
        assert!(matches!(
            read_regular(&fifo, 100, Follow::Yes),
            Err(Refused::Special("FIFO"))
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 100, Follow::Yes),
            Err(Refused::Special("device"))
        ));
    }

    #[test]
    fn a_read_stops_at_its_limit() {
        let (inside, _outside, gate) = corpus();
        assert!(matches!(
            gate.read(&inside.path().join("plain.toml"), 3),
            Err(Refused::TooLarge { size: 5, limit: 3 })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_is_not_a_place_to_write() {
        let (inside, outside, gate) = corpus();
        let link = inside.path().join("planted.toml");
        std::os::unix::fs::symlink(outside.path().join("created-by-attack"), &link).unwrap();
        assert!(matches!(gate.writable(&link), Err(Refused::Link)));
        let (real, exists) = gate.writable(&inside.path().join("plain.toml")).unwrap();
        assert!(exists && real.ends_with("plain.toml"));
        let (_, exists) = gate.writable(&inside.path().join("new.toml")).unwrap();
        assert!(!exists);
        let dangling_dir = inside.path().join("sources");
        std::os::unix::fs::symlink(outside.path().join("made"), &dangling_dir).unwrap();
        assert!(matches!(
            gate.create_folder(&dangling_dir),
            Err(Refused::Link)
        ));
        assert!(!outside.path().join("made").exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_listing_classes_each_entry() {
        let (inside, outside, gate) = corpus();
        std::os::unix::fs::symlink(
            outside.path().join("secret"),
            inside.path().join("out.toml"),
        )
        .unwrap();
        std::os::unix::fs::symlink("plain.toml", inside.path().join("in.toml")).unwrap();
        let mut entries = gate.list(inside.path()).unwrap();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        let found: Vec<String> = entries
            .iter()
            .map(|e| match &e.found {
                Ok((k, _)) => format!("{:?} {k:?}", e.name),
                Err(r) => format!("{:?} {r}", e.name),
            })
            .collect();
        assert_eq!(
            found,
            [
                "\"in.toml\" File",
                "\"out.toml\" it is a link leading outside the corpus folder",
                "\"plain.toml\" File"
            ]
        );
    }
}

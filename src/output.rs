//! Where a rendered view goes: standard output, or a file written atomically (a temporary
//! file in the same folder, renamed into place), so a failed run never leaves a partial file
//! and never truncates the one that was there.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

impl Destination {
    /// `None` and `-` mean standard output.
    pub fn from_arg(arg: Option<&Path>) -> Self {
        match arg {
            Some(p) if p != Path::new("-") => Destination::File(p.to_path_buf()),
            _ => Destination::Stdout,
        }
    }
}

/// Writes `bytes` to the destination.
pub fn write(dest: &Destination, bytes: &[u8]) -> io::Result<()> {
    write_with(dest, |w| w.write_all(bytes))
}

/// Lets `produce` write to the destination through a buffer, so large output streams out
/// instead of being built in memory first. A file is still replaced only if `produce`
/// succeeds.
pub fn write_with(
    dest: &Destination,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    match dest {
        Destination::Stdout => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            produce(&mut out)?;
            out.flush()
        }
        Destination::File(path) => write_atomically(path, produce),
    }
}

fn write_atomically(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if path.is_dir() {
        return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".parallax-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        produce(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    // keep the permissions of the file being replaced; a new file gets the usual rw-r--r--
    match fs::metadata(path) {
        Ok(m) => fs::set_permissions(tmp.path(), m.permissions())?,
        Err(_) => set_default_permissions(tmp.path())?,
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_default_permissions(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o644))
}

/// Elsewhere a temporary file is already an ordinary writable file.
#[cfg(not(unix))]
fn set_default_permissions(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_atomically_and_keeps_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.md");
        fs::write(&target, "old").unwrap();
        write(&Destination::File(target.clone()), b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn failure_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-folder").join("out.md");
        assert!(write(&Destination::File(target.clone()), b"x").is_err());
        assert!(!target.exists());
    }

    #[test]
    fn dash_is_stdout() {
        assert_eq!(
            Destination::from_arg(Some(Path::new("-"))),
            Destination::Stdout
        );
        assert_eq!(Destination::from_arg(None), Destination::Stdout);
    }
}

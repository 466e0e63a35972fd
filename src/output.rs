//! Where a rendered view goes: standard output, or a file (README.md#commands, SECURITY.md).
//!
//! What is at a `-o` path decides how it is written:
//! - nothing, or a regular file: the output is written to a temporary file in the same folder
//!   and renamed into place, so a failed run never leaves a partial file and never truncates
//!   the one that was there;
//! - a link: it is followed, and the file it finally leads to is replaced the same way (the
//!   temporary file goes in that file's folder), so the link stays a link;
//! - a device, a FIFO, or anything reached through `/dev` or `/proc` (`/dev/stdout`,
//!   `/dev/null`): it is opened for writing as it is, never created, truncated or replaced,
//!   and written directly; an error (`/dev/full`) is reported;
//! - a folder: an error.
//!
//! A temporary file is registered while it is written: if the run is interrupted (SIGINT,
//! SIGTERM, SIGHUP) it is removed and the process exits with 128 + the signal's number.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

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
        Destination::File(path) => match target(path)? {
            Target::Replace(file) => write_atomically(&file, produce),
            Target::Through => write_through(path, produce),
        },
    }
}

/// How a `-o` path is written.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// replaced atomically: the path of the regular file (or of the file to create), with
    /// every link followed
    Replace(PathBuf),
    /// opened and written as it is
    Through,
}

/// Links followed before giving up, as the kernel does (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Decides how `path` is written; a folder is an error.
fn target(path: &Path) -> io::Result<Target> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "is a folder"));
        }
        Ok(m) if !m.is_file() => return Ok(Target::Through),
        _ => {}
    }
    let mut file = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_special(&file) {
            return Ok(Target::Through);
        }
        match fs::symlink_metadata(&file) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&file)?;
                file = match file.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(Target::Replace(file)),
        }
    }
    Err(io::Error::other("too many levels of links"))
}

/// Paths under `/dev` and `/proc` name devices and open files (`/dev/stdout` is a link to
/// `/proc/self/fd/1`, which is not a path to replace): they are written through.
fn is_special(path: &Path) -> bool {
    let mut parts = path.components();
    parts.next() == Some(Component::RootDir)
        && matches!(parts.next(), Some(Component::Normal(top)) if top == "dev" || top == "proc")
}

/// Whether `-o path` writes directly to what is there rather than replacing a file: the
/// output may then be partly written when an error stops it.
/// Makes a panic remove the temporary files being written before the program stops, as an
/// interruption does: no half-written file is left beside an `-o` target. The binary calls
/// it once; a panic aborts there (no unwinding drops the files).
pub fn remove_files_on_panic() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        interrupts::remove_pending();
        report(info);
    }));
}

pub fn writes_through(path: &Path) -> bool {
    matches!(target(path), Ok(Target::Through))
}

/// Writes to an existing device, FIFO or special file: opened without creating or truncating
/// it (in append mode, so `-o /dev/stdout >> log` appends), written, flushed.
fn write_through(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file = fs::OpenOptions::new().append(true).open(path)?;
    let mut w = io::BufWriter::new(file);
    produce(&mut w)?;
    w.flush()
}

fn write_atomically(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    // keep the permissions of the file being replaced; a new file gets the umask's
    let mode = existing_mode(path);
    let mut tmp = interrupts::create_in(dir, mode)?;
    let written = (|| {
        {
            let mut w = io::BufWriter::new(tmp.as_file_mut());
            produce(&mut w)?;
            w.flush()?;
        }
        tmp.as_file().sync_all()
    })();
    if let Err(e) = written {
        interrupts::forget(tmp.path());
        return Err(e);
    }
    let tmp = tmp.into_temp_path();
    interrupts::critical(|| {
        if let Some(signal) = interrupts::interrupted() {
            interrupts::forget(&tmp);
            return Err(interrupts::interruption(signal));
        }
        interrupts::persist(tmp, path, false)?;
        interrupts::committed();
        Ok(())
    })
}

/// The permission bits of the file at `path`, if there is one.
#[cfg(unix)]
pub(crate) fn existing_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .ok()
        .map(|m| m.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
pub(crate) fn existing_mode(_path: &Path) -> Option<u32> {
    None
}

/// Temporary files being written, their removal when the run is interrupted, and the
/// sections during which an interruption waits (files being put into place).
///
/// SIGINT, SIGTERM or SIGHUP while temporary files are written removes them and exits with
/// 128 + the signal. During a [`critical`] section (renames into place) the signal waits:
/// the section sees it through [`interrupted`] and rolls back what it did, after which the
/// run stops as above; a section that finished its work anyway marks it [`committed`], and
/// the run then ends with success, since its output is complete.
pub(crate) mod interrupts {
    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

    use super::*;

    /// The temporary files being written now. The lock is held while one is created or
    /// renamed into place, so an interruption sees each either registered or finished.
    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Held while files are renamed into place.
    static CRITICAL: Mutex<()> = Mutex::new(());

    /// The signal that arrived and is not yet handled; 0 for none.
    static SIGNAL: AtomicI32 = AtomicI32::new(0);

    /// Whether the run's output is in place: a later interruption changes nothing.
    static COMMITTED: AtomicBool = AtomicBool::new(false);

    fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
        PENDING.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Creates a temporary file in `dir` and registers it. It gets the permission bits
    /// `mode` exactly, or with `None` those a new file gets under the umask.
    pub(crate) fn create_in(dir: &Path, mode: Option<u32>) -> io::Result<tempfile::NamedTempFile> {
        watch();
        let mut list = pending();
        COMMITTED.store(false, Ordering::SeqCst);
        let tmp = builder().tempfile_in(dir)?;
        list.push(tmp.path().to_path_buf());
        drop(list);
        set_mode(&tmp, mode)?;
        Ok(tmp)
    }

    /// Renames a finished temporary file into place and forgets it. With `no_clobber` an
    /// existing file at `path` is an error and stays.
    pub(crate) fn persist(
        tmp: tempfile::TempPath,
        path: &Path,
        no_clobber: bool,
    ) -> io::Result<()> {
        let mut list = pending();
        list.retain(|p| **p != *tmp);
        // on failure the temporary file is dropped, which removes it
        if no_clobber {
            tmp.persist_noclobber(path).map_err(|e| e.error)
        } else {
            tmp.persist(path).map_err(|e| e.error)
        }
    }

    /// Runs `f` with interruptions waiting until it returns.
    pub(crate) fn critical<T>(f: impl FnOnce() -> T) -> T {
        watch();
        let _held = CRITICAL.lock().unwrap_or_else(|e| e.into_inner());
        f()
    }

    /// The signal that interrupted the run, if one did.
    pub(crate) fn interrupted() -> Option<i32> {
        Some(SIGNAL.load(Ordering::SeqCst)).filter(|&s| s != 0)
    }

    /// The error of an operation stopped by `signal`.
    pub(crate) fn interruption(signal: i32) -> io::Error {
        io::Error::new(
            io::ErrorKind::Interrupted,
            format!("interrupted by signal {signal}"),
        )
    }

    /// The run's output is complete and in place: an interruption that arrived meanwhile
    /// or arrives later ends the run with success.
    pub(crate) fn committed() {
        COMMITTED.store(true, Ordering::SeqCst);
    }

    /// The exit code for `signal` once the pending files are removed: success when the
    /// output is already complete.
    fn exit_code(signal: i32) -> i32 {
        if COMMITTED.load(Ordering::SeqCst) {
            0
        } else {
            128 + signal
        }
    }

    fn builder() -> tempfile::Builder<'static, 'static> {
        let mut b = tempfile::Builder::new();
        // hidden, so a run that dies here leaves nothing the loader would read
        b.prefix(".parallax-").suffix(".tmp");
        new_file_mode(&mut b);
        b
    }

    #[cfg(unix)]
    fn new_file_mode(b: &mut tempfile::Builder<'static, 'static>) {
        use std::os::unix::fs::PermissionsExt;
        // what the kernel gives a new file: these bits less the umask's
        b.permissions(fs::Permissions::from_mode(0o666));
    }

    #[cfg(not(unix))]
    fn new_file_mode(_: &mut tempfile::Builder<'static, 'static>) {}

    #[cfg(unix)]
    fn set_mode(tmp: &tempfile::NamedTempFile, mode: Option<u32>) -> io::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        match mode {
            Some(mode) => tmp
                .as_file()
                .set_permissions(fs::Permissions::from_mode(mode)),
            None => Ok(()),
        }
    }

    #[cfg(not(unix))]
    fn set_mode(_: &tempfile::NamedTempFile, _: Option<u32>) -> io::Result<()> {
        Ok(())
    }

    /// Removes the registered files, unless the list is being changed on this very thread
    /// (a panic while it is locked): then they cannot be known, and waiting would hang.
    pub(super) fn remove_pending() {
        match PENDING.try_lock() {
            Ok(mut list) => remove_all(&mut list),
            Err(std::sync::TryLockError::Poisoned(e)) => remove_all(&mut e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
    }

    /// Removes each file of `list` and empties it.
    pub(super) fn remove_all(list: &mut Vec<PathBuf>) {
        for path in list.drain(..) {
            let _ = fs::remove_file(path);
        }
    }

    /// Registers a file to remove if the run is interrupted (an edit's journal until the
    /// renames start).
    pub(crate) fn register(path: &Path) {
        watch();
        pending().push(path.to_path_buf());
    }

    /// Forgets a temporary file that is removed when it is dropped.
    pub(crate) fn forget(path: &Path) {
        pending().retain(|p| p != path);
    }

    /// Starts, once, the thread that handles SIGINT, SIGTERM and SIGHUP: it waits for a
    /// critical section to end, removes the registered files and exits. Where signals
    /// cannot be watched, an interruption behaves as it does without this.
    #[cfg(unix)]
    pub(crate) fn watch() {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static STARTED: std::sync::Once = std::sync::Once::new();
        STARTED.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("interrupts".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        SIGNAL.store(signal, Ordering::SeqCst);
                        let _held = CRITICAL.lock().unwrap_or_else(|e| e.into_inner());
                        let mut list = pending();
                        remove_all(&mut list);
                        std::process::exit(exit_code(signal));
                    }
                });
        });
    }

    #[cfg(not(unix))]
    pub(crate) fn watch() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_pending_files_removes_each_and_forgets_them() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = ["a.tmp", "b.tmp"].map(|n| dir.path().join(n)).into();
        for f in &files {
            fs::write(f, "half").unwrap();
        }
        // one already gone is no error
        let mut list = [files.clone(), vec![dir.path().join("gone.tmp")]].concat();
        interrupts::remove_all(&mut list);
        assert!(list.is_empty());
        assert!(files.iter().all(|f| !f.exists()));
    }

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

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.md");
        fs::write(&old, "old").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o660)).unwrap();
        write(&Destination::File(old.clone()), b"new").unwrap();
        assert_eq!(
            fs::metadata(&old).unwrap().permissions().mode() & 0o777,
            0o660
        );
        let new = dir.path().join("new.md");
        write(&Destination::File(new.clone()), b"new").unwrap();
        let mode = fs::metadata(&new).unwrap().permissions().mode() & 0o777;
        // whatever the umask, the bits a new file gets from it, never 0600 alone
        let probe = dir.path().join("probe");
        fs::write(&probe, "").unwrap();
        assert_eq!(
            mode,
            fs::metadata(&probe).unwrap().permissions().mode() & 0o777
        );
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

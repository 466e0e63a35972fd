//! What `-o` does to what is at its path (SECURITY.md: never replace what is not a regular file),
//! and an interrupted `-o` leaving no temporary file. Device nodes are made with `mknod` in a
//! temporary folder: the tests that need them run only where that is allowed.

mod common;

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{assert_code, parallax_in, stderr, stdout};

/// `parallax --corpus interpretations matrix -o <target>` from the crate root.
fn matrix_to(target: &Path) -> std::process::Output {
    parallax_in(common::root())
        .args(["--corpus", "interpretations", "matrix", "-f", "csv", "-o"])
        .arg(target)
        .output()
        .unwrap()
}

/// A character device like `/dev/<name>` (major 1, `minor`) at `dir/name`, where this process
/// may make one (root, or CAP_MKNOD, on a file system that allows devices).
fn device(dir: &Path, name: &str, minor: u32) -> Option<PathBuf> {
    let path = dir.join(name);
    let made = Command::new("mknod")
        .arg(&path)
        .args(["c", "1", &minor.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    // a file system mounted nodev refuses to open it: try
    let usable = made && fs::OpenOptions::new().write(true).open(&path).is_ok();
    if !usable {
        eprintln!("cannot make a usable device node here: skipped");
    }
    usable.then_some(path)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_null_device_is_written_through_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let Some(null) = device(dir.path(), "null", 3) else {
        return;
    };
    let out = matrix_to(&null);
    assert_code(&out, 0);
    assert!(
        fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(entries(dir.path()), ["null"]);
}

#[test]
fn a_full_device_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let Some(full) = device(dir.path(), "full", 7) else {
        return;
    };
    let out = matrix_to(&full);
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("cannot write"), "{err}");
    assert!(err.contains("os error 28"), "{err}");
    assert!(
        fs::symlink_metadata(&full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(entries(dir.path()), ["full"]);
}

#[test]
fn dev_stdout_is_standard_output() {
    if !Path::new("/dev/stdout").exists() {
        eprintln!("no /dev/stdout here: skipped");
        return;
    }
    let out = matrix_to(Path::new("/dev/stdout"));
    assert_code(&out, 0);
    assert!(stdout(&out).starts_with("work,scene,"), "{}", stdout(&out));
    assert!(fs::symlink_metadata("/dev/stdout").is_ok());
}

#[test]
fn a_fifo_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = matrix_to(&fifo);
    assert_code(&out, 0);
    // checked before waiting for the reader, which waits forever for a FIFO nobody opened
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(reader.join().unwrap().starts_with("work,scene,"));
    assert_eq!(entries(dir.path()), ["fifo"]);
}

#[test]
fn a_link_is_kept_and_the_file_it_leads_to_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let real_dir = dir.path().join("real");
    fs::create_dir(&real_dir).unwrap();
    fs::write(real_dir.join("report.csv"), "old").unwrap();
    let link = dir.path().join("link.csv");
    symlink("real/report.csv", &link).unwrap();
    let out = matrix_to(&link);
    assert_code(&out, 0);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(real_dir.join("report.csv"))
            .unwrap()
            .starts_with("work,scene,")
    );
    assert_eq!(entries(dir.path()), ["link.csv", "real"]);
    assert_eq!(entries(&real_dir), ["report.csv"]);

    // a link to nothing yet: the file is made where the link leads
    let dangling = dir.path().join("dangling.csv");
    symlink("real/new.csv", &dangling).unwrap();
    assert_code(&matrix_to(&dangling), 0);
    assert!(
        fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(real_dir.join("new.csv"))
            .unwrap()
            .starts_with("work,scene,")
    );
}

#[test]
fn a_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = matrix_to(dir.path());
    assert_code(&out, 1);
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    assert!(entries(dir.path()).is_empty());
}

/// A corpus whose JSON export is tens of megabytes: every pair of its sources is compared.
fn big_corpus(dir: &Path) -> PathBuf {
    let work = dir.join("c/w");
    fs::create_dir_all(work.join("sources")).unwrap();
    let mut toml = String::from("[work]\ntitle = \"W\"\n");
    for s in 0..20 {
        toml.push_str(&format!("\n[[scene]]\nid = \"s{s}\"\ntitle = \"S{s}\"\n"));
    }
    for r in 0..6 {
        toml.push_str(&format!("\n[[reading]]\nid = \"r{r}\"\nlabel = \"R{r}\"\n"));
    }
    fs::write(work.join("work.toml"), toml).unwrap();
    for i in 0..120 {
        let mut claims = String::from("[source]\ntitle = \"A source\"\n");
        for s in 0..20 {
            claims.push_str(&format!(
                "\n[[claim]]\nscene = \"s{s}\"\nreading = \"r{}\"\nstance = \"{}\"\nsummary = \"Source {i} on scene {s}, at some length so the export is large.\"\n",
                (i + s) % 6,
                if (i * s) % 5 == 0 { "rejects" } else { "endorses" },
            ));
        }
        fs::write(work.join(format!("sources/s{i:03}.toml")), claims).unwrap();
    }
    dir.join("c")
}

fn temporary_files(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|n| n.starts_with(".parallax-"))
        .collect()
}

/// SIGTERM while `-o` is being written: the temporary file is removed, nothing is left at
/// the target, and the exit code is 128 + 15. The signal is sent once the temporary file has
/// grown; if the run finished first, the try is repeated.
#[test]
fn an_interrupted_export_leaves_no_temporary_file() {
    if Command::new("kill").arg("-l").output().is_err() {
        eprintln!("no kill command here: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = big_corpus(dir.path());
    let out_dir = dir.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("report.json");
    for _ in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parallax"))
            .arg("--corpus")
            .arg(&corpus)
            .args(["export", "-f", "json", "-o"])
            .arg(&target)
            .env_remove("RUST_BACKTRACE")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // wait for the temporary file to hold something (or for the run to end)
        let writing = loop {
            if child.try_wait().unwrap().is_some() {
                break false;
            }
            let growing = fs::read_dir(&out_dir).unwrap().flatten().any(|e| {
                e.file_name().to_string_lossy().starts_with(".parallax-")
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            });
            if growing {
                break true;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        if writing {
            let sent = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
        }
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        if status.code() == Some(0) {
            // finished before the signal came: nothing to learn from this run
            assert!(temporary_files(&out_dir).is_empty());
            fs::remove_file(&target).unwrap();
            continue;
        }
        assert_eq!(status.code(), Some(143), "{err}");
        assert!(
            temporary_files(&out_dir).is_empty(),
            "{:?}",
            entries(&out_dir)
        );
        assert!(!target.exists());
        return;
    }
    panic!("the export always finished before it could be interrupted");
}

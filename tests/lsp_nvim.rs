//! `parallax lsp` from a real editor: headless Neovim opens a claim set with a typo and
//! checks the diagnostic, the completion list and the quick fix (`tests/lsp/nvim.lua`).
//! Skipped, with a message, where `nvim` is not installed.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn neovim_shows_the_diagnostic_completes_and_applies_the_fix() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("anora");
    fs::create_dir_all(work.join("sources")).unwrap();
    fs::write(
        work.join("work.toml"),
        "[work]\ntitle = \"Anora\"\n\n[[scene]]\nid = \"car-encounter\"\ntitle = \"Sex in the car\"\n\n[[scene]]\nid = \"tears\"\ntitle = \"Tears\"\n\n[[reading]]\nid = \"transaction\"\nlabel = \"Transaction\"\n",
    )
    .unwrap();
    let claims = work.join("sources/a.toml");
    fs::write(
        &claims,
        "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"car-encountr\"\nreading = \"transaction\"\nsummary = \"She pays him back.\"\n",
    )
    .unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/lsp/nvim.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {script}"))
        .env("PARALLAX_BIN", env!("CARGO_BIN_EXE_parallax"))
        .env("PARALLAX_FILE", &claims)
        .env("HOME", dir.path())
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        status.success(),
        "nvim failed ({status}):\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("quick fix ok") || stderr.contains("quick fix ok"),
        "{stdout}\n{stderr}"
    );
    // the fix is in the buffer, not on disk: the server wrote nothing
    assert!(
        fs::read_to_string(&claims)
            .unwrap()
            .contains("car-encountr\"")
    );
}

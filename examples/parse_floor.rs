//! The floor for loading a corpus: read every `.toml` file under a folder and parse it
//! with the `toml` crate, nothing else. `benches/scale.sh` compares parallax's own times
//! with this one, so the cost of everything beyond parsing shows as a ratio.
//!
//! ```text
//! cargo run --release --example parse_floor -- CORPUS_DIR
//! ```

use std::fs;
use std::path::Path;
use std::process::ExitCode;

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            files.push(path);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor CORPUS_DIR");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    if let Err(e) = walk(Path::new(&dir), &mut files) {
        eprintln!("parse_floor: {dir}: {e}");
        return ExitCode::from(1);
    }
    let mut tables = 0usize;
    for path in &files {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("parse_floor: {}: {e}", path.display());
                return ExitCode::from(1);
            }
        };
        match text.parse::<toml::Table>() {
            Ok(t) => tables += t.len(),
            Err(e) => {
                eprintln!("parse_floor: {}: {e}", path.display());
                return ExitCode::from(1);
            }
        }
    }
    println!("parsed {} files ({tables} top-level keys)", files.len());
    ExitCode::SUCCESS
}

//! The loader driven from bytes in memory, for the fuzz target and its regression tests:
//! the bytes are read as a claim file (against a small fixed codebook) and as a
//! `work.toml`, and every diagnostic is rendered. A claim file read from the parser's events
//! must read as serde reads it.

use std::path::Path;

use super::load::text_from_bytes;
use super::validate::{source_file, work_file};
use crate::diagnostic::{Diagnostic, SourceFile};

const CODEBOOK: &str = r#"[work]
title = "Fuzz"

[[scene]]
id = "car-encounter"
title = "Car"
aliases = ["car scene"]

[[scene]]
id = "tears"
title = "Tears"

[[reading]]
id = "transaction"
label = "Transaction"
aliases = ["gratitude as payment"]

[[reading]]
id = "reclaimed-power"
label = "Reclaimed power"
"#;

/// Loads `data` both ways and renders what was found; returns the number of diagnostics.
pub fn load_bytes(data: &[u8]) -> usize {
    let mut diags: Vec<Diagnostic> = Vec::new();
    match text_from_bytes(Path::new("w/sources/fuzz.toml"), data) {
        Err(d) => diags.push(d),
        Ok(file) => {
            assert!(
                super::validate::agrees_with_serde(&file.text),
                "the two readings of a claim file differ"
            );
            let codebook_file = SourceFile::new("w/work.toml".into(), CODEBOOK);
            let (codebook, _) = work_file("w", Path::new("w"), &codebook_file);
            let (_, found) = source_file(&file, codebook.as_ref());
            diags.extend(found);
            let as_work = SourceFile::new("w/work.toml".into(), file.text.as_str());
            let (codebook, found) = work_file("w", Path::new("w"), &as_work);
            diags.extend(found);
            if let Some(codebook) = codebook {
                let (_, _, warnings) = codebook.into_work(Vec::new(), Vec::new());
                diags.extend(warnings);
            }
        }
    }
    for d in &diags {
        let _ = d.render(false);
        let _ = d.render(true);
    }
    diags.len()
}

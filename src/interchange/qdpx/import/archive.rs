//! Reading a `.qdpx` zip that anyone may have made: every entry's name must stay inside the
//! archive (no `..`, no absolute or drive path), no entry may be a link, and what the
//! entries unpack to is bounded by a multiple of the archive's own size, counted as it is
//! read rather than taken from the sizes the archive declares. Only `project.qde` and the
//! texts the project names are read, each as UTF-8.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::ZipArchive;

/// How much more than the archive's size its entries may unpack to, in all. Texts and XML
/// deflate to a fifth or a tenth of their size; a bomb deflates to a thousandth.
pub const EXPANSION: u64 = 100;
/// What any archive may unpack to whatever its size, so that small projects are never
/// refused.
pub const FLOOR: u64 = 16 << 20;

/// An opened project: its entries by name, read on demand within the bound.
pub struct Archive {
    zip: ZipArchive<Cursor<Vec<u8>>>,
    /// entry index by name, its first folder in lower case ([`key`])
    names: HashMap<String, usize>,
    /// what may still be unpacked
    budget: u64,
    limit: u64,
}

impl Archive {
    /// Opens the zip in `bytes`, refusing it when an entry's name leaves the archive or an
    /// entry is a link.
    pub fn open(bytes: Vec<u8>) -> Result<Archive, String> {
        let limit = FLOOR.max((bytes.len() as u64).saturating_mul(EXPANSION));
        let mut zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a REFI-QDA project (a .qdpx zip): {e}"))?;
        let mut names = HashMap::with_capacity(zip.len());
        for i in 0..zip.len() {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| format!("zip entry {i} cannot be read: {e}"))?;
            let name = entry
                .name()
                .map_err(|e| format!("zip entry {i}: {e}"))?
                .to_string();
            if entry.is_symlink() {
                return Err(format!(
                    "zip entry {} is a symbolic link: a project holds files only",
                    crate::interchange::shown(&name)
                ));
            }
            if !safe_name(&name) {
                return Err(format!(
                    "zip entry {} points outside the archive (an absolute path or `..`)",
                    crate::interchange::shown(&name)
                ));
            }
            names.entry(key(&name)).or_insert(i);
        }
        Ok(Archive {
            zip,
            names,
            budget: limit,
            limit,
        })
    }

    /// The entry named `name` exactly, or else ignoring the case of its first folder
    /// (`Sources/` or `sources/`), as UTF-8 text without a byte-order mark; `None` when the
    /// archive has no such entry.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, String> {
        let Some(&index) = self.names.get(&key(name)) else {
            return Ok(None);
        };
        let entry = self
            .zip
            .by_index(index)
            .map_err(|e| format!("zip entry {} cannot be read: {e}", shown(name)))?;
        let mut bytes = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("zip entry {} cannot be unpacked: {e}", shown(name)))?;
        if bytes.len() as u64 > self.budget {
            return Err(format!(
                "the archive unpacks to more than {} bytes ({EXPANSION} times its size) at entry {}: a zip bomb, or not a project",
                self.limit,
                shown(name)
            ));
        }
        self.budget -= bytes.len() as u64;
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "zip entry {} is not UTF-8 text (byte offset {})",
                shown(name),
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// An entry's name as it is looked up: the case of its first folder does not count, since
/// exporters write `Sources/` or `sources/`.
fn key(name: &str) -> String {
    match name.split_once('/') {
        Some((dir, rest)) => format!("{}/{rest}", dir.to_ascii_lowercase()),
        None => name.to_string(),
    }
}

fn shown(s: &str) -> String {
    crate::interchange::shown(s)
}

/// Whether a zip entry's name stays inside the archive: relative, without `..`, without a
/// drive or a backslash path (which some unpackers read as a folder separator).
fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && name.as_bytes().get(1).is_none_or(|&b| b != b':')
        && name.split('/').all(|part| part != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_archive_are_refused() {
        for bad in ["/etc/passwd", "../x", "a/../../x", "C:/x", "a\\..\\x", ""] {
            assert!(!safe_name(bad), "{bad}");
        }
        for ok in ["project.qde", "sources/a.txt", "Sources/..a.txt"] {
            assert!(safe_name(ok), "{ok}");
        }
    }
}

//! JSON for a terminal: `serde_json` writes every character of a string as it is, except
//! the C0 controls, so a claim holding a one-byte CSI (U+009B) or a right-to-left override
//! (U+202E) would reach the terminal raw. [`TerminalJson`] wraps the destination and writes
//! those characters as `\u` escapes instead: the JSON means the same strings, and nothing
//! in it can drive the terminal or reorder what it shows.
//!
//! Outside its strings JSON is ASCII, so every non-ASCII character of the output lies in a
//! string, where an escape is always valid: the bytes can be rewritten as they stream past,
//! without parsing the JSON.

use std::io::{self, Write};

use crate::render::is_invisible;

/// Whether a character is written as an escape on a terminal: C1 controls, line and
/// paragraph separators, and the characters a terminal draws as nothing (bidi controls,
/// zero-width characters, tag characters, …).
pub fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{200c}' | '\u{200d}'
    ) || is_invisible(c)
}

/// A writer of JSON that escapes what [`needs_escape`] names, as it streams.
pub struct TerminalJson<W: Write> {
    out: W,
    /// the start of a character split between two writes
    partial: Vec<u8>,
}

impl<W: Write> TerminalJson<W> {
    pub fn new(out: W) -> Self {
        TerminalJson {
            out,
            partial: Vec::new(),
        }
    }

    /// Writes `bytes`, which start at a character boundary; returns how many bytes at the
    /// end are an unfinished character, not written.
    fn write_chars(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut at = 0;
        while at < bytes.len() {
            let plain = bytes[at..]
                .iter()
                .position(|&b| b >= 0x80)
                .map_or(bytes.len(), |i| at + i);
            self.out.write_all(&bytes[at..plain])?;
            at = plain;
            if at == bytes.len() {
                break;
            }
            let width = match bytes[at] {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => 1,
            };
            if at + width > bytes.len() {
                return Ok(bytes.len() - at);
            }
            let one = &bytes[at..at + width];
            match std::str::from_utf8(one).ok().and_then(|s| s.chars().next()) {
                Some(c) if needs_escape(c) => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        write!(self.out, "\\u{unit:04x}")?;
                    }
                }
                _ => self.out.write_all(one)?,
            }
            at += width;
        }
        Ok(0)
    }
}

impl<W: Write> Write for TerminalJson<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            let left = self.write_chars(buf)?;
            self.partial.extend_from_slice(&buf[buf.len() - left..]);
        } else {
            let mut joined = std::mem::take(&mut self.partial);
            joined.extend_from_slice(buf);
            let left = self.write_chars(&joined)?;
            self.partial = joined.split_off(joined.len() - left);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.partial.is_empty() {
            // not UTF-8 after all: passed on as it is
            let rest = std::mem::take(&mut self.partial);
            self.out.write_all(&rest)?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(value: &serde_json::Value, chunk: usize) -> String {
        let json = serde_json::to_vec_pretty(value).unwrap();
        let mut w = TerminalJson::new(Vec::new());
        for part in json.chunks(chunk) {
            w.write_all(part).unwrap();
        }
        w.flush().unwrap();
        String::from_utf8(w.out).unwrap()
    }

    #[test]
    fn c1_controls_and_bidi_characters_are_escaped() {
        let value = serde_json::json!({"quote": "a\u{9b}31m b\u{85} c\u{202e}d 🏴\u{e0067} é"});
        for chunk in [1, 2, 3, 1000] {
            let out = escaped(&value, chunk);
            assert_eq!(
                out, "{\n  \"quote\": \"a\\u009b31m b\\u0085 c\\u202ed 🏴\\udb40\\udc67 é\"\n}",
                "chunks of {chunk}"
            );
            // the same strings
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(back, value);
        }
    }

    proptest::proptest! {
        #[test]
        fn the_json_means_the_same_and_holds_nothing_to_escape(s in "\\PC*|[\u{80}-\u{9f}\u{202a}-\u{202e}a]*", chunk in 1usize..8) {
            let value = serde_json::json!([s]);
            let out = escaped(&value, chunk);
            let back: serde_json::Value = serde_json::from_str(&out).unwrap();
            proptest::prop_assert_eq!(back, value);
            proptest::prop_assert!(!out.chars().any(needs_escape));
        }
    }
}

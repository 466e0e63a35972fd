//! Positions as the editor counts them. The protocol names a place by line and character,
//! the character counted in UTF-16 code units unless the client and server agree on UTF-8
//! (or UTF-32); parallax holds text as UTF-8 and points into it by byte offset. A
//! [`LineIndex`] turns one into the other in either direction, in time proportional to the
//! distance from a nearby checkpoint, never to the length of a line of megabytes.

use lsp_types::{Position, PositionEncodingKind, Range};

/// The unit a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use among those the client offers (`general.positionEncodings`):
    /// UTF-8 when offered, since it is how parallax holds text; UTF-16, the protocol's
    /// default, otherwise.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32)
            && !offered.contains(&PositionEncodingKind::UTF16)
        {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// Every this many bytes of a line the column there is remembered.
const CHECKPOINT: usize = 4096;

/// Where each line of a text starts, and checkpoints along long lines.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// `(offset, utf-16 units, chars)` from the start of the offset's line, every
    /// [`CHECKPOINT`] bytes of a line longer than that; sorted by offset
    checkpoints: Vec<(usize, u32, u32)>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        let mut checkpoints = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            if end - start <= CHECKPOINT {
                continue;
            }
            let (mut units, mut chars, mut next) = (0u32, 0u32, start + CHECKPOINT);
            for (at, c) in text[start..end].char_indices() {
                let at = start + at;
                if at >= next {
                    checkpoints.push((at, units, chars));
                    next = at + CHECKPOINT;
                }
                units = units.saturating_add(c.len_utf16() as u32);
                chars = chars.saturating_add(1);
            }
        }
        LineIndex {
            starts,
            checkpoints,
            len: text.len(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where line `line` (0-based) ends, before its line break.
    fn line_end(&self, text: &str, line: usize) -> usize {
        let end = self.starts.get(line + 1).map_or(self.len, |next| next - 1);
        let bytes = text.as_bytes();
        if end > self.starts[line] && end <= bytes.len() && bytes.get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    /// The last checkpoint at or before `offset` on the line starting at `start`.
    fn checkpoint(&self, start: usize, offset: usize) -> (usize, u32, u32) {
        let i = self.checkpoints.partition_point(|&(at, _, _)| at <= offset);
        match i.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some(point) if point.0 >= start => point,
            _ => (start, 0, 0),
        }
    }

    /// The position of byte `offset` (clamped into the text, and back to a character
    /// boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.starts[line];
        let character = match enc {
            Encoding::Utf8 => (offset - start) as u32,
            Encoding::Utf16 | Encoding::Utf32 => {
                let (from, units, chars) = self.checkpoint(start, offset);
                let base = if enc == Encoding::Utf16 { units } else { chars };
                let part = &text[from..offset];
                // most corpus text is ASCII: one unit a byte, counted without decoding
                let rest = if part.is_ascii() {
                    part.len() as u32
                } else {
                    part.chars().map(|c| enc.width(c)).sum()
                };
                base.saturating_add(rest)
            }
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character,
        }
    }

    /// The range of a byte span.
    pub fn range(&self, text: &str, span: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range {
            start: self.position(text, span.start, enc),
            end: self.position(text, span.end.max(span.start), enc),
        }
    }

    /// The byte offset of a position. A line past the end is the end of the text; a
    /// character past the end of its line is the end of the line; a position inside a
    /// character (half of a surrogate pair) is the start of that character.
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.line_end(text, line);
        let wanted = pos.character;
        if enc == Encoding::Utf8 {
            let mut at = (start + wanted as usize).min(end);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return at;
        }
        // the last checkpoint of the line not past the wanted column
        let first = self.checkpoints.partition_point(|&(at, _, _)| at < start);
        let last = self.checkpoints.partition_point(|&(at, _, _)| at <= end);
        let on_line = &self.checkpoints[first..last];
        let column = |p: &(usize, u32, u32)| if enc == Encoding::Utf16 { p.1 } else { p.2 };
        let i = on_line.partition_point(|p| column(p) <= wanted);
        let (mut at, mut count) = match i.checked_sub(1).map(|i| on_line[i]) {
            Some(p) => (p.0, column(&p)),
            None => (start, 0),
        };
        for c in text[at..end].chars() {
            let w = enc.width(c);
            if count + w > wanted {
                break;
            }
            count += w;
            at += c.len_utf8();
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn astral_characters_count_two_utf16_units() {
        let text = "a = \"😀x\"\nb";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x, Encoding::Utf16), pos(0, 7));
        assert_eq!(idx.position(text, x, Encoding::Utf8), pos(0, 9));
        assert_eq!(idx.position(text, x, Encoding::Utf32), pos(0, 6));
        assert_eq!(idx.offset(text, pos(0, 7), Encoding::Utf16), x);
        // inside the surrogate pair: the start of the emoji
        assert_eq!(idx.offset(text, pos(0, 6), Encoding::Utf16), 5);
        assert_eq!(idx.offset(text, pos(0, 9), Encoding::Utf8), x);
        // inside the four bytes: the start of the emoji
        assert_eq!(idx.offset(text, pos(0, 7), Encoding::Utf8), 5);
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.offset(text, pos(0, 99), Encoding::Utf16), 2);
        assert_eq!(idx.offset(text, pos(9, 0), Encoding::Utf16), text.len());
        assert_eq!(idx.position(text, 999, Encoding::Utf16), pos(1, 2));
    }

    #[test]
    fn long_lines_use_checkpoints_and_agree_with_counting() {
        let text = format!("x = \"{}\"\n", "é😀a".repeat(5000));
        let idx = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(997) {
            let mut o = offset;
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let p = idx.position(&text, o, enc);
                let want: u32 = text[..o].chars().map(|c| enc.width(c)).sum();
                assert_eq!(p, pos(0, want), "{o} {enc:?}");
                assert_eq!(idx.offset(&text, p, enc), o, "{o} {enc:?}");
            }
        }
    }

    #[test]
    fn utf8_is_chosen_when_offered() {
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}

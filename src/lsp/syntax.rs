//! What is written where in a buffer, read line by line: table headers, keys and the string
//! values after them. The loader's parser reads a file whole or not at all; an editor's
//! buffer is most of the time half-typed (`scene = "car-`), so completion, hover and the
//! other requests find their place with this lexical reading, which never fails. It knows
//! enough TOML for corpus files: comments, basic and literal strings (an unterminated one
//! runs to the end of its line), arrays of strings over several lines, and multi-line
//! strings, whose content it skips.

use std::ops::Range;

/// A buffer read line by line.
#[derive(Debug, Default)]
pub struct Scan {
    pub tables: Vec<Table>,
}

/// A table: its header (none for the top of the file) and its `key = value` entries.
#[derive(Debug, Default)]
pub struct Table {
    /// `claim` for `[[claim]]`, `source` for `[source]`; empty before the first header
    pub name: String,
    /// the header line as written (without its line break)
    pub header: Range<usize>,
    /// from the header to the next header (or the end of the text)
    pub span: Range<usize>,
    pub entries: Vec<Entry>,
}

/// `key = value`, with the strings in the value.
#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// from the key to the end of its value
    pub span: Range<usize>,
    /// where the value starts (after `=` and spaces)
    pub value_start: usize,
    pub values: Vec<Value>,
}

/// A string in a value: its content as decoded, and where the content is written (inside
/// the quotes).
#[derive(Debug, Clone)]
pub struct Value {
    pub text: String,
    pub span: Range<usize>,
}

/// Where an offset is, as the requests need to know.
#[derive(Debug)]
pub struct At<'s> {
    pub table: &'s Table,
    pub entry: Option<&'s Entry>,
    pub value: Option<&'s Value>,
    /// before any `=` on a line of its own: a key is being written
    pub in_key: bool,
}

impl Scan {
    pub fn new(text: &str) -> Scan {
        Scanner::new(text).run()
    }

    /// The table, entry and string at `offset`.
    pub fn at(&self, text: &str, offset: usize) -> Option<At<'_>> {
        let i = self
            .tables
            .partition_point(|t| t.span.start <= offset)
            .checked_sub(1)?;
        let table = &self.tables[i];
        let entry = table
            .entries
            .iter()
            .find(|e| e.span.start <= offset && offset <= e.span.end);
        let value = entry.and_then(|e| {
            e.values
                .iter()
                .find(|v| v.span.start <= offset && offset <= v.span.end)
        });
        let line_start = text[..offset.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let before = text.get(line_start..offset).unwrap_or("");
        let in_key = entry.is_none_or(|e| offset <= e.key_span.end)
            && !before.contains(['=', '[', '#', '"', '\''])
            && offset >= table.header.end;
        Some(At {
            table,
            entry,
            value,
            in_key,
        })
    }
}

struct Scanner<'t> {
    text: &'t str,
    at: usize,
    tables: Vec<Table>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            text,
            at: 0,
            tables: vec![Table::default()],
        }
    }

    fn run(mut self) -> Scan {
        while self.at < self.text.len() {
            self.line();
        }
        let end = self.text.len();
        for i in 0..self.tables.len() {
            let next = self.tables.get(i + 1).map_or(end, |t| t.header.start);
            self.tables[i].span.end = next;
        }
        Scan {
            tables: self.tables,
        }
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn skip_spaces(&mut self) {
        while matches!(self.bytes().get(self.at), Some(b' ' | b'\t')) {
            self.at += 1;
        }
    }

    /// The end of the current line, before `\r\n` or `\n`.
    fn line_end(&self) -> usize {
        let end = memchr::memchr(b'\n', &self.bytes()[self.at..])
            .map_or(self.text.len(), |i| self.at + i);
        if end > self.at && self.bytes()[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    fn next_line(&mut self) {
        self.at = memchr::memchr(b'\n', &self.bytes()[self.at..])
            .map_or(self.text.len(), |i| self.at + i + 1);
    }

    fn line(&mut self) {
        self.skip_spaces();
        match self.bytes().get(self.at) {
            Some(b'[') => self.header(),
            Some(b'#' | b'\n' | b'\r') | None => self.next_line(),
            Some(_) => self.entry(),
        }
    }

    fn header(&mut self) {
        let start = self.at;
        let end = self.line_end();
        let line = &self.text[start..end];
        let line = line.split('#').next().unwrap_or(line).trim_end();
        let inner = line
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim()
            .trim_matches(['"', '\'']);
        self.tables.push(Table {
            name: inner.to_string(),
            header: start..start + line.len(),
            span: start..end,
            entries: Vec::new(),
        });
        self.next_line();
    }

    fn entry(&mut self) {
        let start = self.at;
        let end = self.line_end();
        let line = &self.text[start..end];
        let (key_text, eq) = match line.find('=') {
            Some(eq) if !line[..eq].contains('#') => (&line[..eq], Some(start + eq)),
            _ => (line.split('#').next().unwrap_or(line), None),
        };
        let key = key_text.trim().trim_matches(['"', '\'']).to_string();
        let key_start = start + (key_text.len() - key_text.trim_start().len());
        let key_span = key_start..key_start + key_text.trim().len();
        let mut entry = Entry {
            key,
            key_span,
            span: start..end,
            value_start: end,
            values: Vec::new(),
        };
        let Some(eq) = eq else {
            self.push(entry);
            self.next_line();
            return;
        };
        self.at = eq + 1;
        self.skip_spaces();
        entry.value_start = self.at;
        self.value(&mut entry);
        entry.span.end = self.at.max(entry.value_start);
        self.push(entry);
        self.next_line();
    }

    fn push(&mut self, entry: Entry) {
        if let Some(table) = self.tables.last_mut() {
            table.entries.push(entry);
        }
    }

    /// The value from `self.at`: strings are collected; an array goes on over lines until
    /// its `]`; a multi-line string is skipped to its end. Leaves `self.at` on the line
    /// where the value ends.
    fn value(&mut self, entry: &mut Entry) {
        let mut depth = 0usize;
        loop {
            let Some(&b) = self.bytes().get(self.at) else {
                return;
            };
            match b {
                b'"' | b'\''
                    if self.text[self.at..].starts_with(if b == b'"' {
                        "\"\"\""
                    } else {
                        "'''"
                    }) =>
                {
                    let close = if b == b'"' { "\"\"\"" } else { "'''" };
                    let from = self.at + 3;
                    match self.text[from..].find(close) {
                        Some(i) => self.at = from + i + 3,
                        None => {
                            self.at = self.text.len();
                            return;
                        }
                    }
                }
                b'"' | b'\'' => {
                    let value = self.string(b);
                    entry.values.push(value);
                }
                b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b']' => {
                    depth = depth.saturating_sub(1);
                    self.at += 1;
                    if depth == 0 {
                        return;
                    }
                }
                b'#' => {
                    self.at = self.line_end();
                    if depth == 0 {
                        return;
                    }
                }
                b'\n' => {
                    if depth == 0 {
                        return;
                    }
                    self.at += 1;
                    // a header inside an unclosed array ends it
                    let mut probe = self.at;
                    while matches!(self.bytes().get(probe), Some(b' ' | b'\t')) {
                        probe += 1;
                    }
                    if self.bytes().get(probe) == Some(&b'[')
                        && looks_like_header(&self.text[probe..])
                    {
                        self.at -= 1;
                        return;
                    }
                }
                _ => self.at += 1,
            }
        }
    }

    /// A basic (`"`) or literal (`'`) string from its opening quote; an unterminated one
    /// runs to the end of its line.
    fn string(&mut self, quote: u8) -> Value {
        let start = self.at + 1;
        let end_of_line = self.line_end();
        let mut text = String::new();
        let mut i = start;
        let bytes = self.bytes();
        while i < end_of_line {
            let b = bytes[i];
            if b == quote {
                self.at = i + 1;
                return Value {
                    text,
                    span: start..i,
                };
            }
            if b == b'\\' && quote == b'"' && i + 1 < end_of_line {
                let (decoded, used) = escape(&self.text[i + 1..end_of_line]);
                text.push_str(&decoded);
                i += 1 + used;
                continue;
            }
            let c = self.text[i..].chars().next().unwrap_or('\u{FFFD}');
            text.push(c);
            i += c.len_utf8();
        }
        self.at = end_of_line;
        Value {
            text,
            span: start..end_of_line,
        }
    }
}

/// Whether a line starting with `[` is a table header rather than a nested array.
fn looks_like_header(line: &str) -> bool {
    let line = line.split('\n').next().unwrap_or(line).trim_end();
    let inner = line.trim_start_matches('[');
    let inner = inner.trim_end_matches(']').trim();
    line.ends_with(']')
        && !inner.is_empty()
        && !inner.starts_with(['"', '\''])
        && inner
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '"' | '\'' | ' '))
}

/// A basic string's escape after its backslash: the text it stands for and the bytes used.
fn escape(rest: &str) -> (String, usize) {
    let mut chars = rest.chars();
    let Some(c) = chars.next() else {
        return (String::new(), 0);
    };
    let simple = |s: &str| (s.to_string(), 1);
    match c {
        'n' => simple("\n"),
        't' => simple("\t"),
        'r' => simple("\r"),
        '"' => simple("\""),
        '\\' => simple("\\"),
        'b' => simple("\u{8}"),
        'f' => simple("\u{c}"),
        'e' => simple("\u{1b}"),
        'u' | 'U' => {
            let n = if c == 'u' { 4 } else { 8 };
            let hex = rest.get(1..1 + n).unwrap_or("");
            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                Some(ch) if hex.len() == n => (ch.to_string(), 1 + n),
                _ => (String::new(), 1),
            }
        }
        other => (other.to_string(), other.len_utf8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAIMS: &str = "# a claim set\n[source]\ntitle = \"A \\\"B\\\"\" # c\n\n[[claim]]\nscene = \"car-encountr\"\nreading = 'transaction'\nsumm\n\n[[reading]]\nid = \"x\"\nexcludes = [\n  \"a\", # one\n  \"b\",\n]\ndescription = \"\"\"many\n[[claim]]\nlines\"\"\"\nlabel = \"L\n";

    #[test]
    fn tables_entries_and_strings() {
        let scan = Scan::new(CLAIMS);
        let names: Vec<&str> = scan.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["", "source", "claim", "reading"]);
        let source = &scan.tables[1];
        assert_eq!(source.entries[0].values[0].text, "A \"B\"");
        let claim = &scan.tables[2];
        assert_eq!(claim.entries[0].key, "scene");
        let v = &claim.entries[0].values[0];
        assert_eq!(&CLAIMS[v.span.clone()], "car-encountr");
        assert_eq!(claim.entries[1].values[0].text, "transaction");
        assert_eq!(claim.entries[2].key, "summ");
        let reading = &scan.tables[3];
        let excludes = &reading.entries[1];
        let texts: Vec<&str> = excludes.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts, ["a", "b"]);
        // the multi-line string's content is no header
        assert_eq!(reading.entries[2].key, "description");
        let label = &reading.entries[3].values[0];
        assert_eq!(&CLAIMS[label.span.clone()], "L");
    }

    #[test]
    fn the_place_of_an_offset() {
        let scan = Scan::new(CLAIMS);
        let at = scan.at(CLAIMS, CLAIMS.find("encountr").unwrap()).unwrap();
        assert_eq!(at.table.name, "claim");
        assert_eq!(at.entry.unwrap().key, "scene");
        assert_eq!(at.value.unwrap().text, "car-encountr");
        let at = scan.at(CLAIMS, CLAIMS.find("summ").unwrap() + 4).unwrap();
        assert!(at.in_key && at.value.is_none());
    }

    #[test]
    fn anything_scans_without_panicking() {
        for text in [
            "",
            "[",
            "[[",
            "\"",
            "a = \"\\u12",
            "a = [\n",
            "x = '''",
            "é = \"😀",
            "\r\n=\r\n",
        ] {
            let scan = Scan::new(text);
            for i in 0..=text.len() {
                if text.is_char_boundary(i) {
                    let _ = scan.at(text, i);
                }
            }
        }
    }
}

//! A problem found in the corpus or in an argument, located at file:line:column, with the
//! offending line, a label under it and a hint, rendered the way rustc renders its errors.
//!
//! A diagnostic shares its file's text (an `Arc`), so thousands of problems in one large file
//! cost one copy of the file. Rendering looks only at the few lines around the problem, and
//! shows every part that came from the corpus (file names, names, values, archived text)
//! through [`sanitize_with`], so nothing in a corpus can drive the terminal or forge a line of
//! the report (SECURITY.md).

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::{Serialize, Serializer};

use crate::render::{Breaks, sanitize_with};

/// A position in a corpus file, 1-based, column counted in characters. Every claim carries
/// two, so they are kept small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Every this many bytes of a file the column there is remembered, so turning an offset into
/// a column never counts more characters than this, even on a line of megabytes.
const CHECKPOINT: usize = 4096;

/// A file's text with its line starts, so byte offsets become line and column cheaply.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<String>,
    /// where each line starts; found the first time a diagnostic needs a line, so a file
    /// without problems is never indexed
    line_starts: Arc<OnceLock<Vec<usize>>>,
    /// `(offset, characters from its line's start)` every [`CHECKPOINT`] bytes; built the first
    /// time a column far from its line's start is asked for
    checkpoints: Arc<OnceLock<Vec<(usize, usize)>>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<String>) -> Self {
        SourceFile {
            path,
            text: Arc::new(text.into()),
            line_starts: Arc::default(),
            checkpoints: Arc::default(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let newlines = memchr::memchr_iter(b'\n', self.text.as_bytes());
            std::iter::once(0).chain(newlines.map(|i| i + 1)).collect()
        })
    }

    /// The index (0-based) of the line that holds byte `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where the line holding `offset` ends (its `\n`, or the end of the text).
    pub fn line_end(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts()
            .get(self.line_index(offset) + 1)
            .map_or(self.text.len(), |next| next - 1)
    }

    fn checkpoints(&self) -> &[(usize, usize)] {
        self.checkpoints.get_or_init(|| {
            let mut points = Vec::with_capacity(self.text.len() / CHECKPOINT + 1);
            let mut next = CHECKPOINT;
            let mut column = 0;
            for (i, c) in self.text.char_indices() {
                if i >= next {
                    points.push((i, column));
                    next = i + CHECKPOINT;
                }
                column = if c == '\n' { 0 } else { column + 1 };
            }
            points
        })
    }

    /// Characters between `start` (a line start) and `offset` on the same line.
    fn chars_between(&self, start: usize, offset: usize) -> usize {
        let count = |from: usize| {
            self.text
                .get(from..offset)
                .map_or(offset - from, |s| s.chars().count())
        };
        if offset - start <= CHECKPOINT {
            return count(start);
        }
        let points = self.checkpoints();
        let i = points.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).map(|i| points[i]) {
            Some((at, column)) if at >= start => column + count(at),
            _ => count(start),
        }
    }

    /// Line and column (1-based; the column counts characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let column = self.chars_between(self.line_starts()[line], offset) + 1;
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Pos {
            line: small(line + 1),
            column: small(column),
        }
    }

    /// The byte offset of a line and column (the inverse of [`SourceFile::pos`]).
    pub fn offset(&self, pos: Pos) -> usize {
        let Some(&start) = self
            .line_starts()
            .get((pos.line as usize).saturating_sub(1))
        else {
            return self.text.len();
        };
        let wanted = (pos.column as usize).saturating_sub(1);
        // start from the last checkpoint of this line before the column, if the line has one
        let (mut from, mut skip) = (start, wanted);
        if wanted > CHECKPOINT {
            let end = self.line_end(start);
            let points = self.checkpoints();
            let first = points.partition_point(|&(at, _)| at < start);
            let last = points.partition_point(|&(at, _)| at <= end);
            let on_line = &points[first..last];
            let i = on_line.partition_point(|&(_, column)| column <= wanted);
            if let Some(&(at, column)) = i.checked_sub(1).map(|i| &on_line[i]) {
                (from, skip) = (at, wanted - column);
            }
        }
        self.text[from..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| from + i)
    }

    /// A diagnostic pointing at `span` of this file.
    pub fn diag(
        &self,
        severity: Severity,
        message: impl Into<String>,
        span: Range<usize>,
    ) -> Diagnostic {
        let pos = self.pos(span.start);
        let line = pos.line as usize;
        Diagnostic {
            severity,
            message: message.into(),
            file: Some(self.path.clone()),
            line: Some(line),
            column: Some(pos.column as usize),
            snippet: Some(Excerpt {
                text: self.text.clone(),
                span,
                line_start: self.line_starts()[line - 1],
                line,
            }),
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn error(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        self.diag(Severity::Error, message, span)
    }

    pub fn warning(&self, message: impl Into<String>, span: Range<usize>) -> Diagnostic {
        self.diag(Severity::Warning, message, span)
    }
}

/// Where in a file's text a diagnostic points: the text itself is shared, never copied.
#[derive(Debug, Clone)]
pub struct Excerpt {
    text: Arc<String>,
    span: Range<usize>,
    /// where the span's first line starts, and its number (1-based)
    line_start: usize,
    line: usize,
}

/// What of a long line is shown on each side of the problem, in bytes.
const CONTEXT: usize = 240;
/// A span longer than this is underlined on its first line only.
const LONGEST_SPAN: usize = 2048;

/// The lines of an excerpt that are shown, made safe for the terminal, with the span in them.
struct Window {
    text: String,
    span: Range<usize>,
    line: usize,
    /// whether the window starts after the start of its first line
    cut_start: bool,
}

impl Excerpt {
    /// The byte range of the file the diagnostic underlines.
    pub fn span(&self) -> &Range<usize> {
        &self.span
    }

    /// The span's lines, cut to [`CONTEXT`] bytes around it where a line is long, and
    /// sanitised (a cut is marked with `…`). Costs the size of the window, not of the file.
    fn window(&self) -> Window {
        let text: &str = &self.text;
        let span = clamp_span(text, self.span.clone());
        let floor = |mut i: usize| {
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let ceil = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i += 1;
            }
            i
        };
        let line_start = self.line_start.min(span.start);
        let start = if span.start - line_start > 2 * CONTEXT {
            floor(span.start - CONTEXT)
        } else {
            line_start
        };
        let mut end = span.end;
        if end - span.start > LONGEST_SPAN {
            let first_line = text[span.start..ceil(span.start + LONGEST_SPAN)]
                .find('\n')
                .map_or(LONGEST_SPAN, |i| i);
            end = ceil(span.start + first_line);
        }
        let limit = ceil(end + 2 * CONTEXT);
        let (stop, cut_end) = match text[end..limit].find('\n') {
            // a line ending in \r\n is shown without its \r
            Some(i) if i > 0 && text.as_bytes()[end + i - 1] == b'\r' => (end + i - 1, false),
            Some(i) => (end + i, false),
            None if limit == text.len() => (limit, false),
            None => (ceil(end + CONTEXT), true),
        };
        let mut shown = String::new();
        let cut_start = start > line_start;
        if cut_start {
            shown.push('…');
        }
        shown.push_str(&sanitize_with(&text[start..span.start], Breaks::Source));
        let from = shown.len();
        shown.push_str(&sanitize_with(&text[span.start..end], Breaks::Source));
        let to = shown.len();
        shown.push_str(&sanitize_with(&text[end..stop], Breaks::Source));
        if cut_end {
            shown.push('…');
        }
        Window {
            text: shown,
            span: from..to,
            line: self.line,
            cut_start,
        }
    }
}

/// A note under a diagnostic: one line, or a heading and a body (the closest passage, a word
/// diff), each shown on a line of its own. Whatever a line holds (a file name with a line
/// break in it), the terminal shows it on that one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    lines: Vec<String>,
}

/// The note as one string, its lines joined by `\n` (the JSON form).
impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines.join("\n"))
    }
}

impl Serialize for Note {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One problem. Serialises to the `check --format json` shape (docs/json.md): `file`, `line`,
/// `column`, `message`, plus `severity`, `help` and `notes`, all as written (JSON escapes
/// them; only the terminal rendering is sanitised).
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// the file's text and the byte range to underline
    #[serde(skip)]
    pub snippet: Option<Excerpt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl Diagnostic {
    /// A problem that is not inside a file's text: a missing folder, an argument.
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            snippet: None,
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    /// A problem with a whole file or folder, not a place inside it.
    pub fn at_path(mut self, path: &Path) -> Self {
        self.file = Some(path.to_path_buf());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A note of one line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(Note {
            lines: vec![note.into()],
        });
        self
    }

    /// A note of several lines: a heading and what it introduces.
    pub fn with_note_lines(mut self, lines: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.notes.push(Note {
            lines: lines.into_iter().map(Into::into).collect(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            _ => file,
        })
    }

    /// Renders the diagnostic like rustc: the message, `--> file:line:col`, the line with a
    /// caret under the problem, then the help and notes. Every part is shown on its own
    /// line(s) with control and invisible characters made visible.
    pub fn render(&self, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let message = one_line(&self.message);
        let title = level.primary_title(message.as_str());
        let path = self
            .file
            .as_ref()
            .map(|f| one_line(&f.display().to_string()));
        let label = self.label.as_deref().map(one_line);
        let window = self.snippet.as_ref().map(Excerpt::window);
        let mut out = match (&path, &window) {
            (Some(path), Some(window)) => {
                let mut annotation = AnnotationKind::Primary.span(window.span.clone());
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_str());
                }
                let group = title.element(
                    Snippet::source(window.text.as_str())
                        .path(path.as_str())
                        .line_start(window.line)
                        .fold(true)
                        .annotation(annotation),
                );
                let out = renderer.render(&[group]);
                match (self.line, self.column) {
                    // the window starts inside a long line: the column counted in it is not
                    // the file's
                    (Some(line), Some(column)) if window.cut_start => {
                        let shown = window.text[..window.span.start].chars().count() + 1;
                        out.replacen(
                            &format!("{path}:{line}:{shown}"),
                            &format!("{path}:{line}:{column}"),
                            1,
                        )
                    }
                    _ => out,
                }
            }
            _ => {
                let location = self.location().map(|l| one_line(&l));
                renderer.render(&[match location {
                    Some(loc) => title.element(Origin::path(loc)),
                    None => Group::with_title(title),
                }])
            }
        };
        for note in &self.notes {
            let lines: Vec<String> = note.lines.iter().map(|l| one_line(l)).collect();
            let _ = write!(out, "\n  = note: {}", lines.join("\n          "));
        }
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  = help: {}", one_line(help));
        }
        out
    }
}

#[cfg(test)]
impl Diagnostic {
    /// Whether two diagnostics point into one copy of a file's text.
    pub(crate) fn shares_text_with(&self, other: &Diagnostic) -> bool {
        match (&self.snippet, &other.snippet) {
            (Some(a), Some(b)) => Arc::ptr_eq(&a.text, &b.text),
            _ => false,
        }
    }
}

/// Text that must stay on its one line of the report, made safe for the terminal.
fn one_line(s: &str) -> String {
    sanitize_with(s, Breaks::Show)
}

/// A span that lies inside the text and on character boundaries, and covers at least one
/// character where the text has one, so the caret is always drawn.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    // a problem found at a line's end is shown on that line's last character, so the
    // caret does not run into the next line
    if matches!(text.as_bytes().get(start), Some(b'\n' | b'\r')) {
        return start..start;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end == start && start < text.len() {
        end = start + text[start..].chars().next().map_or(0, char::len_utf8);
    }
    start..end
}

/// Orders diagnostics file by file, top to bottom, whatever order they were found in.
pub fn sort_by_place(list: &mut [Diagnostic]) {
    list.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

/// Up to three names close to `wanted`, best first (SequenceMatcher ratio ≥ 0.6).
pub fn suggest<'a>(wanted: &str, names: &[&'a str]) -> Vec<&'a str> {
    let lower = wanted.to_lowercase();
    let mut found = similar::get_close_matches(lower.as_str(), names, 3, 0.6);
    if found.is_empty() {
        // a prefix is a strong hint even when the ratio is low ("car" for "car-encounter")
        found = names
            .iter()
            .copied()
            .filter(|n| n.starts_with(lower.as_str()) && !lower.is_empty())
            .take(3)
            .collect();
    }
    found
}

/// "did you mean `a` or `b`?", or the full list of valid names when nothing is close.
pub fn did_you_mean(wanted: &str, names: &[&str], what: &str) -> String {
    let close = suggest(wanted, names);
    if close.is_empty() {
        if names.is_empty() {
            format!("there are no {what}s defined")
        } else {
            format!("valid {what}s: {}", quote_list(names))
        }
    } else {
        format!("did you mean {}?", or_list(&close))
    }
}

/// How many names the "did you mean" hints of one [`Suggestions`] may compare an unknown
/// name with, in all. Each hint compares the unknown name with every name there is: with
/// thousands of aliases and thousands of unknown names that product, not the size of the
/// corpus, would set the time a check takes.
const SUGGESTION_BUDGET: usize = 200_000;

/// The "did you mean" hints of one file ([`did_you_mean`]): each unknown name is looked up
/// once, and once the hints have compared [`SUGGESTION_BUDGET`] names, the rest point to
/// `parallax list` instead.
#[derive(Debug, Default)]
pub struct Suggestions {
    compared: usize,
    given: HashMap<(&'static str, String), String>,
}

impl Suggestions {
    /// The hint for an unknown `what` (a scene, a reading) called `wanted`; `names` gives
    /// every valid name, and is called only when a suggestion is computed.
    pub fn help<'a>(
        &mut self,
        wanted: &str,
        what: &'static str,
        names: impl FnOnce() -> Vec<&'a str>,
    ) -> String {
        let key = (what, wanted.to_string());
        if let Some(help) = self.given.get(&key) {
            return help.clone();
        }
        let names = names();
        let help = if self.compared + names.len() <= SUGGESTION_BUDGET {
            self.compared += names.len();
            did_you_mean(wanted, &names, what)
        } else {
            format!(
                "`parallax list {what}s` shows the work's {} {what} names",
                names.len()
            )
        };
        self.given.insert(key, help.clone());
        help
    }
}

fn or_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

pub fn quote_list(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut list: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("\"{n}\""))
        .collect();
    if names.len() > SHOWN {
        list.push(format!("… ({} more)", names.len() - SHOWN));
    }
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let f = SourceFile::new("x.toml".into(), "a = 1\nbé = \"x\"\n");
        assert_eq!(f.pos(0), Pos { line: 1, column: 1 });
        assert_eq!(f.pos(6), Pos { line: 2, column: 1 });
        // after the two-byte é the column is 3, not 4
        assert_eq!(f.pos(9), Pos { line: 2, column: 3 });
        assert_eq!(f.pos(1000).line, 3);
    }

    #[test]
    fn suggestions() {
        let names = ["car-encounter", "ring-return", "tears"];
        assert_eq!(suggest("car-encountr", &names), vec!["car-encounter"]);
        assert_eq!(suggest("car", &names), vec!["car-encounter"]);
        assert!(did_you_mean("zzz", &names, "scene").starts_with("valid scenes"));
        assert_eq!(
            did_you_mean("tear", &names, "scene"),
            "did you mean \"tears\"?"
        );
    }

    #[test]
    fn columns_on_a_line_of_megabytes_use_checkpoints() {
        let text = format!("a = \"{}\"\nbé = 1\n", "é".repeat(3_000_000));
        let f = SourceFile::new("x.toml".into(), text.as_str());
        for offset in [0, 5, 4097, 1_000_001, 5_000_003, 6_000_005] {
            let pos = f.pos(offset);
            let expected = text[..offset].chars().count() + 1;
            assert_eq!(
                pos,
                Pos {
                    line: 1,
                    column: expected as u32
                },
                "{offset}"
            );
            assert_eq!(f.offset(pos), offset);
        }
        let second = text.find("bé").unwrap();
        assert_eq!(f.pos(second + 3), Pos { line: 2, column: 3 });
        assert_eq!(f.offset(Pos { line: 2, column: 3 }), second + 3);
        assert_eq!(f.line_end(7), second - 1);
    }

    #[test]
    fn a_problem_on_a_huge_line_renders_only_its_neighbourhood() {
        let text = format!(
            "x = [{}\"bad\", {}]\n",
            "1, ".repeat(1_000_000),
            "2, ".repeat(1_000_000)
        );
        let f = SourceFile::new("x.toml".into(), text.as_str());
        let at = text.find("\"bad\"").unwrap();
        let d = f.error("bad value", at..at + 5);
        let window = d.snippet.as_ref().unwrap().window();
        assert!(
            window.text.len() < 2 * (2 * CONTEXT + LONGEST_SPAN),
            "{}",
            window.text.len()
        );
        assert_eq!(&window.text[window.span.clone()], "\"bad\"");
        assert!(window.text.starts_with('…') && window.text.ends_with('…'));
        let out = d.render(false);
        assert!(out.contains(&format!("x.toml:1:{}", at + 1)), "{out}");
        assert!(out.len() < 1000, "{out}");
    }

    #[test]
    fn every_part_is_sanitised_and_stays_on_its_line() {
        let f = SourceFile::new(
            "w/\x1b]52;c;aGk=\x07\nerror: forged.toml".into(),
            "a = \"\x1b[2J\u{202e}x\"\rb = 1\r\nc = 2\n",
        );
        let d = f
            .error("bad \u{9b}value\n  = help: forged", 4..13)
            .with_label("label\x07\n")
            .with_note("note\x1b\nerror: forged")
            .with_note_lines(["heading:", "body \u{202e}\n"])
            .with_help("help \x1b]8;;x\x07");
        let out = d.render(false);
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(!out.contains('\u{202e}'), "{out}");
        assert!(
            !out.lines()
                .any(|l| l.starts_with("error: forged") || l.starts_with("  = help: forged")),
            "{out}"
        );
        assert!(out.contains("\n          body <U+202E>␊"), "{out}");
        // a lone carriage return is shown, and the line numbers stay the file's
        assert!(out.contains("1 | a = \"␛[2J<U+202E>x\"␍b = 1"), "{out}");
        // JSON keeps what was written
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["notes"][1], "heading:\nbody \u{202e}\n");
        assert_eq!(json["message"], "bad \u{9b}value\n  = help: forged");
    }

    #[test]
    fn suggestions_stay_within_their_budget() {
        let names: Vec<String> = (0..50_000).map(|i| format!("alias {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut hints = Suggestions::default();
        let mut asked = 0;
        let helps: Vec<String> = (0..10)
            .chain([0])
            .map(|i| {
                hints.help(&format!("alias {i}x"), "scene", || {
                    asked += 1;
                    names.clone()
                })
            })
            .collect();
        // four hints of 50,000 names fit in the budget, the rest point to the list
        assert!(
            helps[..4].iter().all(|h| h.starts_with("did you mean")),
            "{helps:?}"
        );
        assert!(
            helps[4..10]
                .iter()
                .all(|h| h == "`parallax list scenes` shows the work's 50000 scene names"),
            "{helps:?}"
        );
        // a name asked for again gets the same hint without a new search
        assert_eq!(helps[10], helps[0]);
        assert_eq!(asked, 10);
    }

    #[test]
    fn renders_like_rustc() {
        let f = SourceFile::new(
            "w/sources/a.toml".into(),
            "[[claim]]\nscene = \"car-scen\"\n",
        );
        let d = f
            .error("unknown scene \"car-scen\"", 18..28)
            .with_label("not a scene of this work")
            .with_help("did you mean \"car-scene\"?");
        let out = d.render(false);
        assert!(out.contains("error: unknown scene \"car-scen\""), "{out}");
        assert!(out.contains("w/sources/a.toml:2:9"), "{out}");
        assert!(out.contains("^^^^^^^^^^"), "{out}");
        assert!(out.contains("= help: did you mean \"car-scene\"?"), "{out}");
    }
}

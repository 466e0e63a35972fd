//! A problem found in the corpus or in an argument, located at file:line:column, with the
//! offending line, a label under it and a hint, rendered the way rustc renders its errors.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::corpus::model::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A file's text with its line starts, so byte offsets become line and column cheaply.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        SourceFile {
            path,
            text,
            line_starts,
        }
    }

    /// Line and column (1-based; the column counts characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Pos {
            line: small(line + 1),
            column: small(column),
        }
    }

    /// The byte offset of a line and column (the inverse of [`SourceFile::pos`]).
    pub fn offset(&self, pos: Pos) -> usize {
        let Some(&start) = self.line_starts.get((pos.line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        self.text[start..]
            .char_indices()
            .nth((pos.column as usize).saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// A diagnostic pointing at `span` of this file.
    pub fn diag(
        &self,
        severity: Severity,
        message: impl Into<String>,
        span: Range<usize>,
    ) -> Diagnostic {
        let pos = self.pos(span.start);
        Diagnostic {
            severity,
            message: message.into(),
            file: Some(self.path.clone()),
            line: Some(pos.line as usize),
            column: Some(pos.column as usize),
            snippet: Some((self.text.clone(), span)),
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

/// One problem. Serialises to the `check --format json` shape (SPEC §7): `file`, `line`,
/// `column`, `message`, plus `severity`, `help` and `notes`.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// the file's text and the byte range to underline
    #[serde(skip)]
    pub snippet: Option<(Arc<str>, Range<usize>)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub help: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
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
    /// caret under the problem, then the help and notes.
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
        let mut out = match (&self.snippet, &self.file) {
            (Some((text, span)), Some(file)) => {
                // Carriage returns would be echoed into the terminal; a space keeps offsets.
                let shown: String = text.replace('\r', " ");
                let path = file.display().to_string();
                let mut annotation = AnnotationKind::Primary.span(clamp_span(&shown, span.clone()));
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                let group = level.clone().primary_title(self.message.as_str()).element(
                    Snippet::source(shown.as_str())
                        .path(path.as_str())
                        .fold(true)
                        .annotation(annotation),
                );
                renderer.render(&[group])
            }
            _ => {
                let title = level.clone().primary_title(self.message.as_str());
                let group = match self.location() {
                    Some(loc) => title.element(annotate_snippets::Origin::path(loc)),
                    None => Group::with_title(title),
                };
                renderer.render(&[group])
            }
        };
        for note in &self.notes {
            let _ = write!(out, "\n  = note: {}", indent_continuation(note));
        }
        if let Some(help) = &self.help {
            let _ = write!(out, "\n  = help: {}", indent_continuation(help));
        }
        out
    }
}

fn indent_continuation(s: &str) -> String {
    s.replace('\n', "\n          ")
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

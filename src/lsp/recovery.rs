//! Validating a buffer that does not parse. The loader stops a file at its first TOML
//! syntax error, since past it the parser cannot tell what belongs where; `check` reports
//! that one error. In an editor, a half-typed line would then hide every other problem of
//! the file. Here the table holding the syntax error is blanked (its characters become
//! spaces, so every offset stays where it was) and the file is validated again, until it
//! parses: every syntax error is reported, and every problem of the other tables, by the
//! same validator. What validation says about a blanked table (a field now missing) is
//! left out, since it is only a consequence of the blanking.

use std::ops::Range;

use super::syntax::Scan;
use crate::diagnostic::{Diagnostic, SourceFile};

/// How many tables may be blanked in one buffer: each costs one more validation.
const MAX_ROUNDS: usize = 32;

/// Validates `file` with `run` (the loader's validator of its kind), blanking the tables
/// that hold syntax errors until the rest parses. Returns what the last round validated
/// and every diagnostic found, in the original file's places.
pub fn validate<T>(
    file: &SourceFile,
    run: impl Fn(&SourceFile) -> (T, Vec<Diagnostic>),
) -> (T, Vec<Diagnostic>) {
    let (mut value, mut diags) = run(file);
    let Some(mut at) = syntax_error(&diags) else {
        return (value, diags);
    };
    let scan = Scan::new(&file.text);
    let mut text = file.text.to_string();
    let mut hidden: Vec<Range<usize>> = Vec::new();
    let mut found: Vec<Diagnostic> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        found.extend(diags.iter().filter(|d| is_syntax(d)).cloned());
        let Some((blank, hide)) = table_at(&scan, &file.text, at) else {
            break;
        };
        if hidden
            .iter()
            .any(|h| h.start <= blank.start && blank.end <= h.end)
        {
            break;
        }
        blank_out(&mut text, blank);
        hidden.push(hide);
        let blanked = SourceFile::new(file.path.clone(), text.as_str());
        (value, diags) = run(&blanked);
        match syntax_error(&diags) {
            Some(next) => at = next,
            None => {
                let inside = |d: &Diagnostic| {
                    d.snippet.as_ref().is_some_and(|s| {
                        hidden.iter().any(|h| {
                            h.start <= s.span().start && s.span().start < h.end.max(h.start + 1)
                        })
                    })
                };
                found.extend(diags.into_iter().filter(|d| !inside(d)));
                break;
            }
        }
    }
    found.dedup_by(|a, b| a.message == b.message && a.line == b.line && a.column == b.column);
    (value, found)
}

fn is_syntax(d: &Diagnostic) -> bool {
    d.message.starts_with("TOML syntax error")
}

/// Where the first syntax error among `diags` is.
fn syntax_error(diags: &[Diagnostic]) -> Option<usize> {
    diags
        .iter()
        .find(|d| is_syntax(d))
        .map(|d| d.snippet.as_ref().map_or(0, |s| s.span().start))
}

/// The part of the table holding `offset` to blank (its body, or with its header when the
/// error is on the header line), and the part whose diagnostics to leave out (the whole
/// table: "missing field" points at the header).
fn table_at(scan: &Scan, text: &str, offset: usize) -> Option<(Range<usize>, Range<usize>)> {
    let i = scan
        .tables
        .partition_point(|t| t.span.start <= offset)
        .checked_sub(1)?;
    let table = &scan.tables[i];
    let on_header = !table.name.is_empty() && offset <= table.header.end;
    let body_start = if on_header {
        table.header.start
    } else {
        // the line after the header
        text[table.header.end..table.span.end]
            .find('\n')
            .map_or(table.span.end, |n| table.header.end + n + 1)
    };
    let blank = body_start.min(table.span.end)..table.span.end;
    Some((blank, table.span.clone()))
}

/// Replaces every character of `range` but line breaks by spaces of the same length in bytes.
fn blank_out(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .flat_map(|c| {
            let n = if matches!(c, '\n' | '\r') {
                0
            } else {
                c.len_utf8()
            };
            std::iter::repeat_n(' ', n).chain((n == 0).then_some(c))
        })
        .collect();
    text.replace_range(range, &blanked);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::validate::{source_file, work_file};
    use std::path::Path;

    const WORK: &str = "[work]\ntitle = \"W\"\n[[scene]]\nid = \"s\"\ntitle = \"S\"\n[[reading]]\nid = \"r\"\nlabel = \"R\"\n";

    #[test]
    fn the_other_claims_are_still_checked() {
        let work = SourceFile::new("w/work.toml".into(), WORK);
        let (cb, _) = work_file("w", Path::new("w"), &work);
        let text = "[source]\ntitle = \"A\"\n\n[[claim]]\nscene = \"s\nreading = \"r\"\n\n[[claim]]\nscene = \"x\"\nreading = \"r\"\nsummary = \"é\"\n\n[[claim]]\nscene = = 1\n";
        let file = SourceFile::new("w/sources/a.toml".into(), text);
        let (_, diags) = validate(&file, |f| source_file(f, cb.as_ref()));
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages
                .iter()
                .filter(|m| m.starts_with("TOML syntax error"))
                .count(),
            2,
            "{messages:#?}"
        );
        assert!(messages.contains(&"unknown scene \"x\""), "{messages:#?}");
        // nothing about the blanked claims' missing fields
        assert!(
            !messages.iter().any(|m| m.starts_with("missing field")),
            "{messages:#?}"
        );
        let unknown = diags
            .iter()
            .find(|d| d.message == "unknown scene \"x\"")
            .unwrap();
        assert_eq!(
            &text[unknown.snippet.as_ref().unwrap().span().clone()],
            "\"x\""
        );
    }

    #[test]
    fn a_valid_file_is_validated_once() {
        let file = SourceFile::new("w/work.toml".into(), WORK);
        let (cb, diags) = validate(&file, |f| work_file("w", Path::new("w"), f));
        assert!(cb.is_some() && diags.is_empty(), "{diags:?}");
    }
}

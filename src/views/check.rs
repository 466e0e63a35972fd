//! `parallax check`: every problem of the corpus, and what was checked.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::render::{Block, Cell, Column, Document, Line, Table, Tone};

use super::View;

/// docs/json.md: `{"errors": [...], "warnings": [...]}`, each `{file, line, column, message}`.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// work folders and claim files read
    pub works: usize,
    pub sources: usize,
    /// coders' codings read (docs/rules.md#reliability)
    #[serde(skip_serializing_if = "is_zero")]
    pub codings: usize,
    /// claims of the valid sources
    pub claims: usize,
    pub quotes_checked: usize,
}

impl CheckReport {
    /// One line saying what was checked and what was found.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "checked {}, {}",
            plural(self.works, "work", "works"),
            plural(self.sources, "source", "sources"),
        );
        if self.codings > 0 {
            s.push_str(&format!(", {}", plural(self.codings, "coding", "codings")));
        }
        // with errors, some claims could not be read: a count would undercount
        if self.errors.is_empty() {
            s.push_str(&format!(", {}", plural(self.claims, "claim", "claims")));
        }
        if self.quotes_checked > 0 {
            s.push_str(&format!(
                " and {}",
                plural(self.quotes_checked, "quote", "quotes")
            ));
        }
        s.push_str(&format!(
            ": {}, {}",
            plural(self.errors.len(), "error", "errors"),
            plural(self.warnings.len(), "warning", "warnings")
        ));
        s
    }
}

impl CheckReport {
    /// The errors of `work.toml` files: listed first, since one of them (a `[[scenes]]`
    /// typo, a reading left out) makes errors in every claim set that uses what it broke.
    pub fn work_errors(&self) -> usize {
        self.errors.iter().filter(|d| of_work_toml(d)).count()
    }

    /// What is said after the errors of `work.toml` when claim sets have errors too.
    pub fn cascade_note(&self) -> Option<String> {
        let (work, all) = (self.work_errors(), self.errors.len());
        (work > 0 && all > work).then(|| {
            format!(
                "note: work.toml has {} listed first; the {} below, in claim sets, may follow from {}: fix work.toml first\n",
                if work == 1 { "an error".to_string() } else { format!("{work} errors") },
                if all - work == 1 { "error".to_string() } else { format!("{} errors", all - work) },
                if work == 1 { "it" } else { "them" },
            )
        })
    }
}

/// Puts diagnostics in the order `check` reports them: those of `work.toml` files first,
/// then file by file and line by line.
pub fn order(list: &mut [Diagnostic]) {
    crate::diagnostic::sort_by_place(list);
    list.sort_by_key(|d| !of_work_toml(d));
}

fn of_work_toml(d: &Diagnostic) -> bool {
    d.file
        .as_ref()
        .is_some_and(|f| f.file_name().is_some_and(|n| n == "work.toml"))
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl View for CheckReport {
    fn document(&self) -> Document {
        let mut table = Table {
            columns: ["severity", "file", "line", "column", "message", "help"]
                .into_iter()
                .map(Column::left)
                .collect(),
            rows: Vec::new(),
        };
        for d in self.errors.iter().chain(&self.warnings) {
            let (name, tone) = if d.is_error() {
                ("error", Tone::Conflict)
            } else {
                ("warning", Tone::Diverge)
            };
            let num = |n: Option<usize>| Cell::plain(n.map(|n| n.to_string()).unwrap_or_default());
            let mut message = d.message.clone();
            for note in &d.notes {
                message.push_str(&format!("\n{note}"));
            }
            table.rows.push(vec![
                Cell::styled(name, tone),
                Cell::plain(
                    d.file
                        .as_ref()
                        .map(|f| f.display().to_string())
                        .unwrap_or_default(),
                ),
                num(d.line),
                num(d.column),
                Cell::new(message.lines().map(Line::plain).collect()),
                Cell::plain(d.help.clone().unwrap_or_default()),
            ]);
        }
        Document {
            title: "parallax check".to_string(),
            blocks: vec![
                Block::Paragraph(Line::plain(self.summary())),
                Block::Table(table),
            ],
            ..Document::default()
        }
    }
}

//! The LaTeX format (`--format latex`): a fragment to `\input` into a document, not a whole
//! document. Its first lines, `%` comments, name what the preamble needs:
//! `\usepackage[T1]{fontenc}`, `\usepackage{booktabs,longtable,array,amssymb,graphicx}` and
//! `\usepackage[normalem]{ulem}`. It compiles with pdflatex (tested on the hostile document,
//! and on a report of twelve sources where pdflatex is installed).
//!
//! - The title and headings are `\section*` / `\subsection*` / `\subsubsection*`; paragraphs
//!   are ragged-right paragraphs (they may list ids, which TeX cannot hyphenate), a quoted one
//!   in a `quote` environment.
//! - Tables are `longtable`s (an export runs to several pages, which a `tabular` cannot) with
//!   booktabs rules and the header repeated on every page. Columns are ragged `p{}` columns,
//!   so long text wraps, sized from their content (see [`plan`]); numeric columns are set
//!   flush right. A line break inside a cell is `\newline`; a quote line is ``` ``…'' ```.
//!   `longtable` needs one-column mode. Headers never overprint: a header whose longest word
//!   is wider than its column is turned upright (`\rotatebox`, graphicx), and a table with
//!   stub columns (a matrix) wider than [`MAX_COLUMNS`] is set as several tables of a few
//!   columns each, repeating the stubs.
//! - Strong text is `\textbf`, diff additions `\uline` and removals `\sout` (ulem); other
//!   tones are carried by the text itself (✓ ✗ ?, "conflict").
//!
//! Every string is escaped (see [`escape`]): `\ { } $ & # ^ _ ~ %`, `< > | "` and the backtick
//! become commands or escapes; `[ ] *` are braced so that they are never read as the optional
//! argument or star of a preceding `\\`; `--` is split so that it stays two hyphens. Marks
//! pdflatex has no glyph for are mapped: ✓ → `\checkmark` (amssymb), ✗ → `\ensuremath{\times}`,
//! arrows and relations to math symbols, dashes and curly quotes to their text commands. Text is
//! NFC-normalised so that a decomposed accent becomes a letter pdflatex knows. Letters of any
//! script pass through: Latin typesets with pdflatex and T1, while Greek, Cyrillic or CJK need
//! xelatex or lualatex with a font that has them. Any other symbol or control character becomes
//! `?`; invisible format characters (bidi controls, zero-width spaces) are dropped.

use std::io::{self, Write};

use unicode_normalization::UnicodeNormalization;

use super::markup::{fit_row, push_plain_cells, write_plain_rows};
use super::{Align, Cell, Column, Head, Line, LineKind, Sink, Tone};

const HEADER: &str = "\
% parallax: a LaTeX fragment; \\input it into a document whose preamble has
%   \\usepackage[T1]{fontenc}
%   \\usepackage{booktabs,longtable,array,amssymb,graphicx}
%   \\usepackage[normalem]{ulem}
% pdflatex sets Latin text; for other scripts use xelatex or lualatex.
";

/// How many characters fit in the width a table's columns share, `\linewidth` less the
/// column padding (about 285pt in an `article` at 10pt with five columns, some 57 characters
/// of lowercase text; far fewer is safe for capitals, signs and bold headers, which must never
/// run out of their column). Column widths are planned in these units.
const CHARS_PER_LINE: f64 = 40.0;
/// No column is planned narrower than this many characters.
const MIN_CHARS: usize = 4;
/// A token longer than this many characters (a URL, a pasted hash) gets a break opportunity
/// (`\allowbreak`) after each `/` and within every run of [`BREAK_EVERY`] characters without
/// a hyphen or a slash, so it wraps instead of running out of its column; a long id breaks at
/// its hyphens. Shorter words are left alone, to keep their hyphenation.
const LONG_WORD: usize = 20;
const BREAK_EVERY: usize = 8;
/// Column widths are planned from the header and this many first rows; later rows are
/// written as they come.
const PLAN_ROWS: usize = 64;
/// A table with stub columns and more columns than this is set as several tables, each
/// repeating the stubs, so that no column is too narrow for its header.
const MAX_COLUMNS: usize = 6;

/// Writes LaTeX as blocks arrive. A table is held until its column widths are planned (its
/// first [`PLAN_ROWS`] rows), then streamed; a table split into column groups is held whole.
pub(super) struct Latex<'w> {
    out: &'w mut dyn Write,
    table: Option<Pending>,
}

/// A table whose rows are being collected before its columns are planned.
struct Pending {
    columns: Vec<Column>,
    rows: Vec<Vec<String>>,
    /// the column groups it is split into, when it is (then every row is held)
    groups: Option<Vec<Vec<usize>>>,
    /// whether the head is written and rows now go straight out
    streaming: bool,
}

impl<'w> Latex<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> Self {
        Latex { out, table: None }
    }

    fn block(&mut self, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.out.write_all(b"\n")?;
        self.out.write_all(text.as_bytes())?;
        self.out.write_all(b"\n")
    }

    /// Writes the head of a table (and the rows held so far) for the given columns.
    fn open_table(&mut self, columns: &[Column], rows: &[Vec<String>]) -> io::Result<()> {
        let header: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let plan = plan(columns, &header, rows);
        let n = columns.len();
        let spec: String = columns
            .iter()
            .zip(&plan)
            .map(|(column, (permille, _))| {
                let ragged = match column.align {
                    Align::Left => "\\raggedright",
                    Align::Right => "\\raggedleft",
                };
                format!(
                    ">{{{ragged}\\arraybackslash}}p{{\\dimexpr(\\linewidth-{}\\tabcolsep)*{permille}/1000\\relax}}",
                    2 * n
                )
            })
            .collect();
        let head: Vec<String> = columns
            .iter()
            .zip(&plan)
            .map(|(column, (_, rotate))| header_cell(&column.name, *rotate))
            .collect();
        write!(
            self.out,
            "\n\\begin{{longtable}}{{@{{}}{spec}@{{}}}}\n\\toprule\n{} \\\\\n\\midrule\n\\endhead\n",
            head.join(" & ")
        )?;
        for row in rows {
            writeln!(self.out, "{} \\\\", row.join(" & "))?;
        }
        Ok(())
    }

    fn close_table(&mut self) -> io::Result<()> {
        self.out.write_all(b"\\bottomrule\n\\end{longtable}\n")
    }
}

impl Sink for Latex<'_> {
    fn begin(&mut self, head: &Head) -> io::Result<()> {
        self.out.write_all(HEADER.as_bytes())?;
        if !head.title.trim().is_empty() {
            self.block(&heading(1, head.title))?;
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, _anchor: Option<&str>) -> io::Result<()> {
        self.block(&heading(level, text))
    }

    fn paragraph(&mut self, line: &Line) -> io::Result<()> {
        // ragged right: a paragraph may list ids, which TeX cannot hyphenate
        let text = match line.kind {
            LineKind::Normal => format!("{{\\raggedright {}\\par}}", line_markup(line)),
            LineKind::Quote => format!("\\begin{{quote}}\n{}\n\\end{{quote}}", line_markup(line)),
        };
        self.block(&text)
    }

    fn table_start(&mut self, columns: &[Column]) -> io::Result<()> {
        self.table = (!columns.is_empty()).then(|| Pending {
            columns: columns.to_vec(),
            rows: Vec::new(),
            groups: groups(columns),
            streaming: false,
        });
        Ok(())
    }

    fn row(&mut self, cells: Vec<Cell>) -> io::Result<()> {
        let Some(table) = &mut self.table else {
            return Ok(());
        };
        let n = table.columns.len();
        let row: Vec<String> = fit_row(cells, n).iter().map(cell).collect();
        if table.streaming {
            return writeln!(self.out, "{} \\\\", row.join(" & "));
        }
        table.rows.push(row);
        if table.groups.is_none() && table.rows.len() >= PLAN_ROWS {
            let Some(mut table) = self.table.take() else {
                return Ok(());
            };
            self.open_table(&table.columns, &table.rows)?;
            table.rows.clear();
            table.streaming = true;
            self.table = Some(table);
        }
        Ok(())
    }

    /// Rows formatted on every core once the table's columns are planned, each as
    /// [`row`](Sink::row) writes it.
    fn plain_rows(&mut self, rows: &[&[&str]]) -> io::Result<()> {
        match &self.table {
            Some(table) if table.streaming => {
                let n = table.columns.len();
                write_plain_rows(self.out, rows, |texts, out| {
                    push_plain_cells(out, texts, n, " & ", as_is, cell);
                    out.push_str(" \\\\\n");
                })
            }
            _ => rows.iter().try_for_each(|texts| self.plain_row(texts)),
        }
    }

    fn table_end(&mut self) -> io::Result<()> {
        let Some(table) = self.table.take() else {
            return Ok(());
        };
        if table.streaming {
            return self.close_table();
        }
        let groups = table
            .groups
            .clone()
            .unwrap_or_else(|| vec![(0..table.columns.len()).collect()]);
        for group in groups {
            let columns: Vec<Column> = group.iter().map(|&i| table.columns[i].clone()).collect();
            let rows: Vec<Vec<String>> = table
                .rows
                .iter()
                .map(|r| group.iter().map(|&i| r[i].clone()).collect())
                .collect();
            self.open_table(&columns, &rows)?;
            self.close_table()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn heading(level: u8, text: &str) -> String {
    let command = match level {
        0 | 1 => "section",
        2 => "subsection",
        3 => "subsubsection",
        _ => "paragraph",
    };
    let text = escape(&text.replace(['\r', '\n', '\u{2028}', '\u{2029}'], " "));
    format!("\\{command}*{{{}}}", text.trim())
}

/// A column name in bold, its lines broken by `\newline`; turned upright when its column is
/// too narrow for its longest word, so that it never runs into the next column.
fn header_cell(name: &str, rotate: bool) -> String {
    let lines: Vec<String> = split_lines(name)
        .map(|l| format!("\\textbf{{{}}}", escape(l)))
        .collect();
    if rotate {
        format!("\\rotatebox{{90}}{{{}}}", lines.join(" "))
    } else {
        lines.join("\\newline ")
    }
}

/// A cell's lines, each ended by `\newline`; an empty line (a gap between claims) is left
/// out, since `\newline` cannot end an empty line.
/// Whether a plain cell's text is written as it is: a short run of letters, digits and
/// `.,/` with single hyphens, which [`escape`] leaves alone and never breaks.
fn as_is(text: &str) -> bool {
    !text.trim().is_empty()
        && text.len() <= LONG_WORD
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b" .,/-".contains(&b))
}

fn cell(cell: &Cell) -> String {
    cell.lines
        .iter()
        .filter(|l| !l.text().trim().is_empty())
        .map(line_markup)
        .collect::<Vec<_>>()
        .join("\\newline ")
}

/// The column groups of a wide table with stub columns: the stubs, then an even share of the
/// other columns, at most [`MAX_COLUMNS`] columns in all. `None` when the table fits as it is
/// or has no stubs to repeat.
fn groups(columns: &[Column]) -> Option<Vec<Vec<usize>>> {
    let stubs = columns.iter().take_while(|c| c.stub).count();
    let n = columns.len();
    if n <= MAX_COLUMNS || stubs == 0 || stubs + 1 > MAX_COLUMNS {
        return None;
    }
    let data = n - stubs;
    let per = MAX_COLUMNS - stubs;
    let count = data.div_ceil(per);
    let size = data.div_ceil(count);
    let data_columns: Vec<usize> = (stubs..n).collect();
    Some(
        data_columns
            .chunks(size)
            .map(|chunk| (0..stubs).chain(chunk.iter().copied()).collect())
            .collect(),
    )
}

/// Each column's share of the width in thousandths, and whether its header must be turned
/// upright. A column is given what its longest line needs when it can have it, and the
/// columns that need more share what is left equally (max-min fairness), none narrower than
/// its header's longest word while the headers fit side by side; a table whose columns all
/// fit is left narrower than the line (longtable centres it) rather than stretched. When the
/// headers do not fit side by side, a header whose longest word is wider than its column is
/// set upright.
fn plan(columns: &[Column], header: &[&str], rows: &[Vec<String>]) -> Vec<(usize, bool)> {
    let n = columns.len();
    let body: Vec<f64> = (0..n)
        .map(|i| {
            let longest = rows
                .iter()
                .flat_map(|r| r[i].split("\\newline "))
                .map(visible_len)
                .max()
                .unwrap_or(0);
            longest.max(MIN_CHARS) as f64 / CHARS_PER_LINE
        })
        .collect();
    let word: Vec<f64> = header
        .iter()
        .map(|h| header_word(h).max(MIN_CHARS) as f64 / CHARS_PER_LINE)
        .collect();
    let need: Vec<f64> = body.iter().zip(&word).map(|(b, w)| b.max(*w)).collect();
    let fractions = if need.iter().sum::<f64>() <= 1.0 {
        need
    } else if word.iter().sum::<f64>() <= 1.0 {
        fill(&need, &word)
    } else {
        fill(&body, &vec![0.0; n])
    };
    fractions
        .iter()
        .zip(header)
        .map(|(f, h)| {
            let rotate = (header_word(h) as f64) / CHARS_PER_LINE > *f + 1e-9;
            // Truncation keeps the sum at or under the line width.
            ((f * 1000.0) as usize, rotate)
        })
        .collect()
}

/// Water-filling: shares of one line, each column at least its `floor` and at most its
/// `need`, the rest of the line spread so that the columns wanting more end up equal.
/// Expects the floors to fit (their sum at most 1) and the needs not to.
fn fill(need: &[f64], floor: &[f64]) -> Vec<f64> {
    let share = |level: f64| -> Vec<f64> {
        need.iter()
            .zip(floor)
            .map(|(&n, &f)| n.min(f.max(level)))
            .collect()
    };
    let (mut low, mut high) = (0.0_f64, 1.0_f64);
    for _ in 0..50 {
        let mid = (low + high) / 2.0;
        if share(mid).iter().sum::<f64>() > 1.0 {
            high = mid;
        } else {
            low = mid;
        }
    }
    share(low)
}

/// The longest piece of a header TeX cannot break, in characters (bold counts a little
/// wider): a word, or the part of a word up to and after a hyphen (`ending-`, `explained`).
fn header_word(name: &str) -> usize {
    let longest = name
        .split_whitespace()
        .flat_map(|w| w.split_inclusive('-'))
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0);
    (longest * 11).div_ceil(10)
}

/// Roughly how many characters a piece of our LaTeX prints: a command or an escaped special
/// is one character, a styling command or a brace none.
fn visible_len(latex: &str) -> usize {
    let mut len = 0;
    let mut chars = latex.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut name = String::new();
                while let Some(a) = chars.next_if(char::is_ascii_alphabetic) {
                    name.push(a);
                }
                if name.is_empty() {
                    chars.next();
                }
                if !matches!(
                    name.as_str(),
                    "textbf" | "uline" | "sout" | "allowbreak" | "ensuremath"
                ) {
                    len += 1;
                }
            }
            '{' | '}' => {}
            _ => len += 1,
        }
    }
    len
}

/// The lines of a string, with every kind of line ending.
fn split_lines(s: &str) -> impl Iterator<Item = &str> {
    s.split("\r\n")
        .flat_map(|l| l.split(['\n', '\r', '\u{2028}', '\u{2029}']))
}

/// One line: spans escaped and styled, a break inside a span as `\newline`, quotes in
/// ``` ``…'' ```.
fn line_markup(line: &Line) -> String {
    let mut out = String::new();
    for span in &line.spans {
        let parts: Vec<String> = split_lines(&span.text)
            .map(|part| styled(&escape(part), span.tone))
            .collect();
        out.push_str(&parts.join("\\newline "));
    }
    match line.kind {
        LineKind::Normal => out,
        LineKind::Quote => format!("``{out}''"),
    }
}

fn styled(escaped: &str, tone: Tone) -> String {
    if escaped.trim().is_empty() {
        return escaped.to_owned();
    }
    match tone {
        Tone::Strong => format!("\\textbf{{{escaped}}}"),
        Tone::Added => format!("\\uline{{{escaped}}}"),
        Tone::Removed => format!("\\sout{{{escaped}}}"),
        _ => escaped.to_owned(),
    }
}

/// Escapes one line of text (no line breaks) for LaTeX's text mode.
fn escape(text: &str) -> String {
    // ASCII is its own normal form
    let chars: Vec<char> = if text.is_ascii() {
        text.chars().collect()
    } else {
        text.nfc().collect()
    };
    let mut out = String::with_capacity(text.len() + 16);
    // (characters since the last place the current token may break, the token's length)
    let mut token = (0, 0);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            token = (0, 0);
        } else {
            if token.1 == 0 {
                let rest = chars[i..].iter().take_while(|c| !c.is_whitespace()).count();
                token = (0, rest);
            }
            // TeX breaks after a hyphen by itself; after a slash (a URL) it is told it may,
            // and inside a long run of neither, every few characters
            let after_slash = i > 0 && chars[i - 1] == '/';
            let long_run = token.0 >= BREAK_EVERY && c != '-';
            if token.1 > LONG_WORD && token.0 > 0 && (after_slash || long_run) {
                out.push_str("\\allowbreak{}");
                token.0 = 0;
            }
            token.0 = if c == '-' { 0 } else { token.0 + 1 };
        }
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '<' => out.push_str("\\textless{}"),
            '>' => out.push_str("\\textgreater{}"),
            '|' => out.push_str("\\textbar{}"),
            '"' => out.push_str("\\textquotedbl{}"),
            '`' => out.push_str("\\textasciigrave{}"),
            '[' | ']' | '*' => {
                out.push('{');
                out.push(c);
                out.push('}');
            }
            // `--` and `---` would print as dashes
            '-' if chars.get(i + 1) == Some(&'-') => out.push_str("-{}"),
            ' '..='~' => out.push(c),
            '\t' => out.push(' '),
            '\u{a0}' => out.push('~'),
            // invisible formatting: zero-width spaces and joiners, bidi marks and controls
            '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{061c}'
            | '\u{feff}' => {}
            // combining marks left over after NFC have nothing to combine with in pdflatex
            '\u{300}'..='\u{36f}' => {}
            c if c.is_whitespace() => out.push(' '),
            c => match symbol(c) {
                Some(command) => out.push_str(command),
                // Latin-1 and Latin Extended letters and signs typeset with T1; letters of
                // other scripts are passed on for xelatex/lualatex.
                None if ('\u{a1}'..='\u{24f}').contains(&c) || c.is_alphanumeric() => out.push(c),
                None => out.push('?'),
            },
        }
    }
    out
}

/// LaTeX for the non-ASCII marks claim text and views use that pdflatex has no glyph for
/// (or that read better as their commands).
fn symbol(c: char) -> Option<&'static str> {
    Some(match c {
        '✓' | '✔' => "\\checkmark{}",
        '✗' | '✘' => "\\ensuremath{\\times}",
        '→' => "\\ensuremath{\\rightarrow}",
        '←' => "\\ensuremath{\\leftarrow}",
        '↔' => "\\ensuremath{\\leftrightarrow}",
        '⇒' => "\\ensuremath{\\Rightarrow}",
        '≠' => "\\ensuremath{\\neq}",
        '≤' => "\\ensuremath{\\leq}",
        '≥' => "\\ensuremath{\\geq}",
        '≈' => "\\ensuremath{\\approx}",
        '∅' => "\\ensuremath{\\emptyset}",
        '∩' => "\\ensuremath{\\cap}",
        '∪' => "\\ensuremath{\\cup}",
        '−' => "\\ensuremath{-}",
        '×' => "\\ensuremath{\\times}",
        '…' => "\\dots{}",
        '–' => "\\textendash{}",
        '—' => "\\textemdash{}",
        '“' => "\\textquotedblleft{}",
        '”' => "\\textquotedblright{}",
        '‘' => "\\textquoteleft{}",
        '’' => "\\textquoteright{}",
        '„' => "\\quotedblbase{}",
        '•' => "\\textbullet{}",
        '·' => "\\textperiodcentered{}",
        '€' => "\\texteuro{}",
        '′' => "\\ensuremath{'}",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Document, Format, RenderOptions, hostile_document, sample_document};

    fn render(doc: &Document) -> String {
        crate::render::render(doc, Format::Latex, &RenderOptions::default())
    }

    /// Commands the renderer itself writes; claim text must not be able to add any other.
    const OURS: &[&str] = &[
        "textbackslash",
        "textasciicircum",
        "textasciitilde",
        "textless",
        "textgreater",
        "textbar",
        "textquotedbl",
        "textasciigrave",
        "allowbreak",
        "checkmark",
        "ensuremath",
        "times",
        "rightarrow",
        "leftarrow",
        "leftrightarrow",
        "Rightarrow",
        "neq",
        "leq",
        "geq",
        "approx",
        "emptyset",
        "dots",
        "textendash",
        "textemdash",
        "textquotedblleft",
        "textquotedblright",
        "textquoteleft",
        "textquoteright",
        "quotedblbase",
        "textbullet",
        "textperiodcentered",
        "texteuro",
        "textbf",
        "uline",
        "sout",
        "newline",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "par",
        "begin",
        "end",
        "toprule",
        "midrule",
        "bottomrule",
        "endhead",
        "raggedright",
        "raggedleft",
        "arraybackslash",
        "dimexpr",
        "linewidth",
        "tabcolsep",
        "relax",
        "input",
        "usepackage",
        "rotatebox",
    ];

    #[test]
    fn sample() {
        insta::assert_snapshot!(render(&sample_document()), @r"
        % parallax: a LaTeX fragment; \input it into a document whose preamble has
        %   \usepackage[T1]{fontenc}
        %   \usepackage{booktabs,longtable,array,amssymb,graphicx}
        %   \usepackage[normalem]{ulem}
        % pdflatex sets Latin text; for other scripts use xelatex or lualatex.

        \section*{ending-explained vs car-scene-tears}

        \subsection*{Scenes}

        {\raggedright Two sources, \textbf{one conflict}.\par}

        \begin{longtable}{@{}>{\raggedright\arraybackslash}p{\dimexpr(\linewidth-8\tabcolsep)*250/1000\relax}>{\raggedright\arraybackslash}p{\dimexpr(\linewidth-8\tabcolsep)*250/1000\relax}>{\raggedright\arraybackslash}p{\dimexpr(\linewidth-8\tabcolsep)*250/1000\relax}>{\raggedright\arraybackslash}p{\dimexpr(\linewidth-8\tabcolsep)*250/1000\relax}@{}}
        \toprule
        \textbf{scene} & \textbf{ending-explained} & \textbf{car-scene-tears} & \textbf{verdict} \\
        \midrule
        \endhead
        car-encounter & \checkmark{} Transaction\newline ``she repays him'' & \ensuremath{\times} Transaction & conflict \\
        tears & no claim & ? Reclaimed power & only-right \\
        \bottomrule
        \end{longtable}

        \subsubsection*{Agreement}

        \begin{longtable}{@{}>{\raggedright\arraybackslash}p{\dimexpr(\linewidth-4\tabcolsep)*200/1000\relax}>{\raggedleft\arraybackslash}p{\dimexpr(\linewidth-4\tabcolsep)*150/1000\relax}@{}}
        \toprule
        \textbf{measure} & \textbf{alpha} \\
        \midrule
        \endhead
        nominal & 0.250 \\
        masi & n/a \\
        \bottomrule
        \end{longtable}
        ");
    }

    /// Walks the body (comment lines skipped) like TeX's eyes: every control sequence is one of
    /// ours or an escaped special, braces balance, and no special character is left raw.
    #[test]
    fn hostile_specials_are_escaped() {
        let out = render(&hostile_document());
        let mut depth = 0i32;
        // Comments and the column specification are ours.
        let body = out
            .lines()
            .filter(|l| !l.starts_with('%') && !l.starts_with("\\begin{longtable}"));
        for line in body {
            let mut chars = line.chars().peekable();
            let mut ampersands = 0;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.peek() {
                        Some(&s) if "{}$&#_%\\".contains(s) => {
                            chars.next();
                        }
                        Some(s) if s.is_ascii_alphabetic() => {
                            let mut name = String::new();
                            while let Some(&a) = chars.peek().filter(|a| a.is_ascii_alphabetic()) {
                                name.push(a);
                                chars.next();
                            }
                            assert!(OURS.contains(&name.as_str()), "\\{name} in {line}");
                        }
                        other => panic!("stray backslash before {other:?} in {line}"),
                    },
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        assert!(depth >= 0, "unbalanced brace in {line}");
                    }
                    '&' => ampersands += 1,
                    '%' | '$' | '#' | '_' | '^' | '~' => panic!("raw {c:?} in {line}"),
                    // A quote opens with ``; claim text cannot make one (its ` is escaped).
                    '`' if chars.next_if_eq(&'`').is_some() => {}
                    '<' | '>' | '|' | '"' | '`' => panic!("raw {c:?} in {line}"),
                    c if c.is_control() => panic!("control character {c:?} in {line}"),
                    _ => {}
                }
            }
            // Only a table row has unescaped ampersands, one fewer than the columns.
            assert!(
                ampersands == 0 || ampersands == 3,
                "{ampersands} column separators in {line}"
            );
        }
        assert_eq!(depth, 0);
        // 1 header + 5 rows, each on one line and ended by `\\`.
        assert_eq!(out.lines().filter(|l| l.ends_with(" \\\\")).count(), 6);
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escape("50% & $5 #1 _x_ ~ ^ \\ { } < > |"),
            "50\\% \\& \\$5 \\#1 \\_x\\_ \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\{ \\} \\textless{} \\textgreater{} \\textbar{}"
        );
        assert_eq!(escape("[a]*"), "{[}a{]}{*}");
        // the agreement view's formulas
        assert_eq!(
            escape("1 − |A∩B| / |A∪B|"),
            "1 \\ensuremath{-} \\textbar{}A\\ensuremath{\\cap}B\\textbar{} / \\textbar{}A\\ensuremath{\\cup}B\\textbar{}"
        );
        assert_eq!(escape("a---b -c"), "a-{}-{}-b -c");
        assert_eq!(
            escape("✓ ✗ → e\u{301}"),
            "\\checkmark{} \\ensuremath{\\times} \\ensuremath{\\rightarrow} é"
        );
        assert_eq!(escape("\x1b[0m\u{202e}x\u{200b}"), "?{[}0mx");
        assert_eq!(escape("Ваня 🙂"), "Ваня ?");
        let long = escape(&format!("{} {}", "x".repeat(40), "y".repeat(20)));
        assert_eq!(long.matches("\\allowbreak{}").count(), 4);
        assert!(long.ends_with(&format!(" {}", "y".repeat(20))));
    }

    #[test]
    fn cells_break_lines_with_newline() {
        let cell = Cell::new(vec![Line::plain("a\nb"), Line::quote("q")]);
        assert_eq!(super::cell(&cell), "a\\newline b\\newline ``q''");
    }

    /// Compiles the hostile document with pdflatex where TeX Live (with booktabs, ulem,
    /// amsfonts and graphicx) is installed; elsewhere it says it is skipped.
    #[test]
    #[allow(clippy::print_stderr)] // the skip is said where the test runner shows it
    fn hostile_document_compiles() {
        if std::process::Command::new("pdflatex")
            .arg("--version")
            .output()
            .is_err()
        {
            eprintln!("pdflatex is not installed: skipped");
            return;
        }
        let dir = std::env::temp_dir().join(format!("parallax-latex-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let body = render(&hostile_document()) + &render(&sample_document());
        let tex = format!(
            "\\documentclass{{article}}\n\\usepackage[T1]{{fontenc}}\n\
             \\usepackage{{booktabs,longtable,array,amssymb,graphicx}}\n\\usepackage[normalem]{{ulem}}\n\
             \\begin{{document}}\n{}\n\\end{{document}}\n",
            body.replace("Ваня", "")
        );
        std::fs::write(dir.join("t.tex"), tex).unwrap();
        let status = std::process::Command::new("pdflatex")
            .args(["-interaction=nonstopmode", "-halt-on-error", "t.tex"])
            .current_dir(&dir)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        let log = std::fs::read_to_string(dir.join("t.log")).unwrap_or_default();
        if !status.success() && log.contains(".sty' not found") {
            eprintln!("a LaTeX package the fragment needs is not installed: skipped\n{log}");
            return;
        }
        assert!(status.success(), "pdflatex failed:\n{log}");
        assert!(
            !log.contains("Overfull \\hbox"),
            "text ran out of a column:\n{log}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}

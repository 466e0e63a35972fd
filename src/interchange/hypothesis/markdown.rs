//! An annotation's text is Markdown (Hypothesis's editor writes it): the summary keeps its
//! words, not its markup. Emphasis, links and code lose their marks (a link keeps its text),
//! paragraphs and list items are kept apart by line breaks, and HTML is dropped.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The plain text of `markdown`.
pub fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Item) => {
                new_line(&mut out);
                out.push_str("- ");
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_))
            | Event::End(TagEnd::CodeBlock) => new_block(&mut out),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {}
            _ => {}
        }
    }
    out.trim().to_string()
}

fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn new_block(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
    if out.is_empty() {
        return;
    }
    if !out.ends_with("\n\n") {
        if out.ends_with('\n') {
            out.push('\n');
        } else {
            out.push_str("\n\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_and_words_stay() {
        assert_eq!(
            plain("**Her reflex** is to *repay* him: see [the review](https://x.org).\nIt `pays`."),
            "Her reflex is to repay him: see the review. It pays."
        );
        assert_eq!(plain("One.\n\nTwo <b>bold</b>."), "One.\n\nTwo bold.");
        assert_eq!(plain("- a\n- b"), "- a\n- b");
        assert_eq!(plain("plain text, no markup"), "plain text, no markup");
        assert_eq!(plain("> quoted"), "quoted");
    }
}

//! `export --format annotations`: every claim as a W3C Web Annotation (JSON-LD), so that a
//! class's claims can be shown on the pages they are about (Hypothesis and other W3C
//! clients anchor a `TextQuoteSelector` in the page) and read back by `import hypothesis`.
//!
//! Each annotation targets its source's URL (or, for a source without one, a `urn:x-parallax:`
//! name that `import hypothesis` knows), selects the quote as the archived text has it, with
//! up to 32 characters before and after (as Hypothesis does), and carries the summary as a
//! plain-text comment and the claim's scene, reading, stance, person, outlet and the
//! source's kind as tags in the form `import hypothesis` reads. The file is a JSON list,
//! written an annotation at a time.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::corpus::{Claim, Source, Work};
use crate::interchange::qdpx::plan::{find_text, text_dirs};
use crate::interchange::qdpx::{ExportError, Guids};
use crate::quotes::Haystack;

/// The context of every annotation.
const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// Characters of text around a quote, before and after, as Hypothesis takes them.
const AROUND: usize = 32;
/// The scheme of the target of a source that has no URL.
pub const URN: &str = "urn:x-parallax:";

/// What an export wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub annotations: usize,
    /// quotes not found in their source's text, or of a source without a text: exported
    /// without prefix and suffix, as the claim writes them
    pub unanchored: usize,
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    body: Vec<Body>,
    target: Target<'a>,
    /// the source's title, where Hypothesis keeps a document's (not a W3C term: a
    /// processor of JSON-LD leaves it out)
    document: Document<'a>,
}

#[derive(Serialize)]
struct Body {
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
    purpose: &'static str,
}

#[derive(Serialize)]
struct Target<'a> {
    source: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
struct Selector<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'a str>,
}

#[derive(Serialize)]
struct Document<'a> {
    title: [&'a str; 1],
}

/// Writes the claims of `work` as a JSON list of W3C Web Annotations to `out`, reading
/// archived texts from the work's `texts/` folder and from `extra_texts`.
pub fn write(
    work: &Work,
    extra_texts: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Counts, ExportError> {
    let dirs = text_dirs(work, extra_texts).map_err(ExportError::Corpus)?;
    let ids = Guids::new(work);
    let mut counts = Counts::default();
    out.write_all(b"[")?;
    for source in &work.sources {
        let text = find_text(source, &dirs).map_err(ExportError::Corpus)?;
        let haystack = text.as_deref().map(Haystack::new);
        for (i, claim) in source.claims.iter().enumerate() {
            let place = match (claim.quote(), &haystack) {
                (Some(q), Some(h)) => h.locate_quote(q),
                _ => None,
            };
            if claim.quote().is_some() && place.is_none() {
                counts.unanchored += 1;
            }
            let selector = selector(claim, text.as_deref(), place);
            let a = Annotation {
                context: CONTEXT,
                id: format!(
                    "urn:uuid:{}",
                    ids.of(&format!("annotation/{}/{i}", source.id))
                ),
                kind: "Annotation",
                motivation: "commenting",
                body: bodies(work, source, claim),
                target: Target {
                    source: target(work, source),
                    selector,
                },
                document: Document {
                    title: [&source.title],
                },
            };
            out.write_all(if counts.annotations == 0 {
                b"\n"
            } else {
                b",\n"
            })?;
            serde_json::to_writer_pretty(&mut *out, &a).map_err(io::Error::from)?;
            counts.annotations += 1;
        }
    }
    out.write_all(b"\n]\n")?;
    Ok(counts)
}

/// The page an annotation is about: the source's URL, else a name for the source.
pub fn target(work: &Work, source: &Source) -> String {
    match &source.url {
        Some(url) => url.clone(),
        None => format!("{URN}{}/{}", work.id, source.id),
    }
}

/// The quote as the text has it, with what surrounds it; or, where the text does not
/// have it, the quote as written.
fn selector<'a>(
    claim: &'a Claim,
    text: Option<&'a str>,
    place: Option<(usize, usize)>,
) -> Vec<Selector<'a>> {
    let Some(quote) = claim.quote() else {
        return Vec::new();
    };
    let (exact, prefix, suffix) = match (text, place) {
        (Some(t), Some((s, e))) => {
            let before = &t[..s];
            let cut = before
                .char_indices()
                .rev()
                .nth(AROUND - 1)
                .map_or(0, |(i, _)| i);
            let after = &t[e..];
            let end = after
                .char_indices()
                .nth(AROUND)
                .map_or(after.len(), |(i, _)| i);
            (&t[s..e], Some(&before[cut..]), Some(&after[..end]))
        }
        _ => (quote, None, None),
    };
    vec![Selector {
        kind: "TextQuoteSelector",
        exact,
        prefix,
        suffix,
    }]
}

/// The comment (the summary, as plain text) and the tags.
fn bodies(work: &Work, source: &Source, claim: &Claim) -> Vec<Body> {
    let body = |value: String, format: Option<&'static str>, purpose: &'static str| Body {
        kind: "TextualBody",
        value,
        format,
        purpose,
    };
    let mut out = Vec::new();
    if let Some(summary) = claim.summary() {
        out.push(body(summary.to_string(), Some("text/plain"), "commenting"));
    }
    let tag = |t: String| body(t, None, "tagging");
    out.push(tag(format!("scene:{}", work.scenes[claim.scene()].id)));
    out.push(tag(format!(
        "reading:{}",
        work.readings[claim.reading()].id
    )));
    out.push(tag(format!("stance:{}", claim.stance.name())));
    if let Some(name) = work.voice_name(claim) {
        out.push(tag(format!("by:{name}")));
    }
    if let Some(via) = claim.via() {
        out.push(tag(format!("via:{via}")));
    }
    if let Some(kind) = source.kind {
        out.push(tag(format!("kind:{}", kind.name())));
    }
    out
}

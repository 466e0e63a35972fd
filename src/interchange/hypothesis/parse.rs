//! Reading the JSON the Hypothesis API returns: a search result (`{"total": N, "rows":
//! [...]}`) or a bare list, of annotations in Hypothesis's own shape (`uri`, `text`, `tags`,
//! `target[].selector[]`, `document.title`, `references`) or as W3C Web Annotations
//! (`target.source`, `body` with `TextualBody` values, tags as bodies whose purpose is
//! `tagging`). Each annotation is read on its own: one that is malformed is reported, not
//! fatal. Replies come as annotations with `references`, or in `replies` lists (of the
//! search result, with `_separate_replies`, or of an annotation): every one is read, so
//! that each is reported rather than lost.

use serde_json::Value;

/// One annotation, reduced to what a claim can use.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotation {
    /// Hypothesis's id, or `#N` (its place in the file, from 1) when it has none.
    pub id: String,
    /// the annotated document
    pub uri: Option<String>,
    /// the document's title, when the annotation carries it
    pub title: Option<String>,
    /// the annotation's body text (Markdown in Hypothesis)
    pub text: String,
    /// whether `text` is Markdown: it is, unless a W3C body says `text/plain`
    pub markdown: bool,
    pub tags: Vec<String>,
    /// the `exact` of the first `TextQuoteSelector`
    pub quote: Option<String>,
    /// a reply to other annotations (`references` is not empty, or it came in a `replies`
    /// list)
    pub is_reply: bool,
    /// hidden by a moderator (`hidden`)
    pub hidden: bool,
    /// flagged for moderation (`flagged`, or a `moderation.flagCount` above 0)
    pub flagged: bool,
    /// who made it: `acct:NAME@host` in the API, a `creator` in W3C annotations
    pub user: Option<String>,
}

/// An annotation that is not even an object, with its place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    pub id: String,
    pub reason: String,
}

/// The annotations of a Hypothesis export, or why the file is not one.
pub fn annotations(json: &str) -> Result<Vec<Result<Annotation, Malformed>>, String> {
    let value: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let rows = match &value {
        Value::Array(rows) => rows,
        Value::Object(map) => match map.get("rows") {
            Some(Value::Array(rows)) => rows,
            Some(_) => return Err("`rows` is not a list of annotations".into()),
            None if map.contains_key("target") || map.contains_key("uri") => {
                std::slice::from_ref(&value)
            }
            None => {
                return Err("neither a list of annotations nor a search result with `rows`".into());
            }
        },
        _ => return Err("neither a list of annotations nor a search result with `rows`".into()),
    };
    let mut out: Vec<Result<Annotation, Malformed>> = Vec::with_capacity(rows.len());
    let mut replies: Vec<&Value> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        out.push(annotation(i, row));
        replies.extend(as_list(row.get("replies")));
    }
    replies.extend(as_list(value.get("replies")));
    for row in replies {
        let i = out.len();
        out.push(annotation(i, row).map(|a| Annotation {
            is_reply: true,
            ..a
        }));
    }
    Ok(out)
}

fn annotation(index: usize, row: &Value) -> Result<Annotation, Malformed> {
    let fallback_id = format!("#{}", index + 1);
    let Value::Object(map) = row else {
        return Err(Malformed {
            id: fallback_id,
            reason: "not an annotation (a JSON object)".into(),
        });
    };
    let id = map
        .get("id")
        .and_then(Value::as_str)
        .map(short_id)
        .filter(|s| !s.is_empty())
        .unwrap_or(fallback_id);
    let targets = as_list(map.get("target"));
    let mut a = Annotation {
        id,
        uri: string(map.get("uri")).or_else(|| targets.iter().find_map(|t| target_source(t))),
        title: title(map.get("document")),
        text: string(map.get("text")).unwrap_or_default(),
        markdown: true,
        tags: as_list(map.get("tags"))
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect(),
        quote: targets.iter().find_map(|t| quote(t)),
        is_reply: !as_list(map.get("references")).is_empty(),
        hidden: map.get("hidden").and_then(Value::as_bool) == Some(true),
        flagged: map.get("flagged").and_then(Value::as_bool) == Some(true)
            || map
                .get("moderation")
                .and_then(|m| m.get("flagCount"))
                .and_then(Value::as_u64)
                .is_some_and(|n| n > 0),
        user: string(map.get("user")).or_else(|| creator(map.get("creator"))),
    };
    // W3C Web Annotation bodies: the comment and the tags
    for body in as_list(map.get("body")) {
        let purpose = body.get("purpose").and_then(Value::as_str);
        let value = string(body.get("value"));
        match (purpose, value) {
            (Some("tagging"), Some(tag)) => a.tags.push(tag),
            (None | Some("commenting" | "describing"), Some(text)) if a.text.is_empty() => {
                a.text = text;
                a.markdown = body.get("format").and_then(Value::as_str) != Some("text/plain");
            }
            _ => {}
        }
    }
    if let Some(Value::String(s)) = map.get("body")
        && a.text.is_empty()
    {
        a.text = s.clone();
    }
    Ok(a)
}

/// An id as a W3C export gives it (`https://hypothes.is/a/ID`) or as the API does (`ID`).
fn short_id(id: &str) -> String {
    id.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(id)
        .to_string()
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// A value that may be one item or a list of them (W3C allows both), as a list.
fn as_list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    }
}

/// A W3C annotation's `creator`: a string, or an object with an `id` or a `name`.
fn creator(c: Option<&Value>) -> Option<String> {
    match c? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => string(o.get("id")).or_else(|| string(o.get("name"))),
        _ => None,
    }
}

fn target_source(target: &Value) -> Option<String> {
    match target {
        Value::String(s) => Some(s.clone()),
        Value::Object(t) => string(t.get("source")),
        _ => None,
    }
}

fn quote(target: &Value) -> Option<String> {
    as_list(target.get("selector"))
        .into_iter()
        .find(|s| s.get("type").and_then(Value::as_str) == Some("TextQuoteSelector"))
        .and_then(|s| string(s.get("exact")))
}

/// `document.title[0]` (Hypothesis keeps a list of titles), or a plain string.
fn title(document: Option<&Value>) -> Option<String> {
    let t = document?.get("title")?;
    let first = match t {
        Value::Array(items) => items.iter().find_map(Value::as_str),
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }?;
    let trimmed = first.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_api_shape() {
        let json = r#"{"total": 1, "rows": [{
            "id": "Qw3rTy", "uri": "https://example.org/a", "text": "Point.",
            "tags": ["scene:tears", "reading:grief-release"],
            "target": [{"source": "https://example.org/a", "selector": [
                {"type": "RangeSelector", "startContainer": "/p[1]", "endContainer": "/p[1]", "startOffset": 0, "endOffset": 4},
                {"type": "TextPositionSelector", "start": 10, "end": 14},
                {"type": "TextQuoteSelector", "exact": "She cries", "prefix": "", "suffix": ""}]}],
            "document": {"title": ["An Article"]}, "references": []}]}"#;
        let rows = annotations(json).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.id, "Qw3rTy");
        assert_eq!(a.uri.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.title.as_deref(), Some("An Article"));
        assert_eq!(a.quote.as_deref(), Some("She cries"));
        assert_eq!(a.tags, ["scene:tears", "reading:grief-release"]);
        assert!(!a.is_reply);
    }

    #[test]
    fn reads_w3c_web_annotations() {
        let json = r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation",
            "id": "https://hypothes.is/a/AbC", "body": [
                {"type": "TextualBody", "value": "Point.", "format": "text/markdown"},
                {"type": "TextualBody", "purpose": "tagging", "value": "scene:tears"}],
            "target": [{"source": "https://example.org/a", "selector": [
                {"type": "TextQuoteSelector", "exact": "She cries"}]}]}]"#;
        let rows = annotations(json).unwrap();
        let a = rows[0].as_ref().unwrap();
        assert_eq!(a.id, "AbC");
        assert_eq!(a.text, "Point.");
        assert_eq!(a.tags, ["scene:tears"]);
        assert_eq!(a.uri.as_deref(), Some("https://example.org/a"));
    }

    #[test]
    fn rejects_what_is_not_an_export() {
        assert!(annotations("{\"total\": 0}").is_err());
        assert!(annotations("not json").is_err());
        assert!(annotations("42").is_err());
        let rows = annotations("[1, {}]").unwrap();
        assert_eq!(rows[0].as_ref().unwrap_err().id, "#1");
        assert!(rows[1].is_ok());
    }
}

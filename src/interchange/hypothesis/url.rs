//! One document, however its address was shared: URLs are compared after dropping what
//! does not change the page (the scheme's `http`/`https`, `www.`, the fragment, a trailing
//! slash, tracking parameters such as `utm_source`), so an article annotated once through a
//! newsletter link and once directly is one source.

use crate::corpus::{Source, Work};
use crate::interchange::annotations::URN;

/// The source of `work` a document is: the one whose `url` is the document's address, both
/// normalised, or the one a `urn:x-parallax:WORK/ID` address names (what `export --format
/// annotations` targets for a source without a URL).
pub fn known_source<'w>(work: &'w Work, uri: &str) -> Option<&'w Source> {
    if let Some((w, id)) = uri.strip_prefix(URN).and_then(|r| r.split_once('/'))
        && w == work.id
    {
        return work.source_index(id).map(|i| &work.sources[i]);
    }
    let key = normalise(uri);
    work.sources
        .iter()
        .find(|s| s.url.as_deref().is_some_and(|u| normalise(u) == key))
}

/// Query parameters that only say how a reader came to the page.
const TRACKING: [&str; 12] = [
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_ga", "ref",
    "ref_src", "cmpid",
];

/// The address as a claim set keeps it: without its fragment and tracking parameters, the
/// rest as written.
pub fn clean(uri: &str) -> String {
    let uri = uri.trim();
    let lower = uri.to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        return uri.to_string();
    }
    let uri = uri.split('#').next().unwrap_or(uri);
    let Some((base, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !tracking(p))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

/// Whether a query parameter (`name=value`) only says how a reader came to the page.
fn tracking(param: &str) -> bool {
    let name = param
        .split('=')
        .next()
        .unwrap_or(param)
        .to_ascii_lowercase();
    name.starts_with("utm_") || TRACKING.contains(&name.as_str())
}

/// The key two addresses of one document share. Not a URL to visit: only to compare.
/// Addresses that are not http(s) URLs (`urn:x-pdf:…`, `doi:…`) are kept as written.
pub fn normalise(uri: &str) -> String {
    let uri = uri.trim();
    let Some((scheme, rest)) = uri.split_once("://") else {
        return uri.to_string();
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return uri.to_string();
    }
    let rest = rest.split('#').next().unwrap_or(rest);
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let (host, path) = match before_query.find('/') {
        Some(i) => (&before_query[..i], &before_query[i..]),
        None => (before_query, ""),
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(host);
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !tracking(p))
        .collect();
    params.sort_unstable();
    let mut out = format!("{host}{path}");
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_article_however_it_was_linked() {
        let key = normalise("https://www.example.com/movies/anora-ending/");
        for same in [
            "http://example.com/movies/anora-ending",
            "https://www.example.com/movies/anora-ending/?utm_source=newsletter&utm_medium=email",
            "https://WWW.Example.com/movies/anora-ending#comments",
            "https://example.com:443/movies/anora-ending?fbclid=abc",
        ] {
            assert_eq!(normalise(same), key, "{same}");
        }
    }

    #[test]
    fn a_kept_address_loses_only_its_tracking_and_fragment() {
        assert_eq!(
            clean("https://www.example.com/a/?utm_source=x&id=3&fbclid=y#c"),
            "https://www.example.com/a/?id=3"
        );
        assert_eq!(
            clean("https://example.com/a?utm_medium=e"),
            "https://example.com/a"
        );
        assert_eq!(clean("urn:x-pdf:abc#x"), "urn:x-pdf:abc#x");
    }

    #[test]
    fn what_changes_the_page_is_kept() {
        assert_ne!(
            normalise("https://www.youtube.com/watch?v=a"),
            normalise("https://www.youtube.com/watch?v=b")
        );
        assert_eq!(
            normalise("https://youtube.com/watch?t=3&v=a&utm_campaign=x"),
            normalise("https://youtube.com/watch?v=a&t=3")
        );
        assert_ne!(normalise("https://a.com/x"), normalise("https://a.com/y"));
        assert_eq!(normalise("urn:x-pdf:ABC"), "urn:x-pdf:ABC");
    }
}

//! `If-Match` on PATCH and DELETE: which revisions a header admits, and
//! which headers are not headers RFC 9110 allows at all.

use axum::http::{HeaderMap, HeaderValue, header};

use crate::domain::ErrorCode;
use crate::server::error::ServerError;

/// The request's `If-Match`, refused when malformed: PATCH and DELETE
/// answer the same header the same way.
pub fn if_match_of(headers: &HeaderMap) -> Result<Option<HeaderValue>, ServerError> {
    let value = headers.get(header::IF_MATCH).cloned();
    if value.as_ref().is_some_and(|v| parse_if_match(v).is_none()) {
        return Err(ServerError::new(
            ErrorCode::InvalidRequest,
            "If-Match must be *, or one or more quoted revisions such as \"3\".",
        ));
    }
    Ok(value)
}

/// An `If-Match` header: `*`, or a list of entity tags (`"3"`, `W/"3"`).
#[derive(Debug, PartialEq, Eq)]
pub enum IfMatch {
    Any,
    Tags(Vec<EntityTag>),
}

#[derive(Debug, PartialEq, Eq)]
pub struct EntityTag {
    pub weak: bool,
    pub opaque: String,
}

/// `None` for anything RFC 9110 does not allow, such as an unquoted `3` or
/// a lone quote: a client that sends one has a bug worth telling it about.
pub fn parse_if_match(value: &HeaderValue) -> Option<IfMatch> {
    let text = value.to_str().ok()?.trim();
    if text == "*" {
        return Some(IfMatch::Any);
    }
    let mut tags = Vec::new();
    // The list syntax allows empty elements ("a, , b").
    for element in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (weak, tag) = match element.strip_prefix("W/") {
            Some(tag) => (true, tag),
            None => (false, element),
        };
        let opaque = tag.strip_prefix('"')?.strip_suffix('"')?;
        // etagc: visible ASCII but the quote (obs-text is not sent by anyone).
        if !opaque.bytes().all(|b| b.is_ascii_graphic() && b != b'"') {
            return None;
        }
        tags.push(EntityTag {
            weak,
            opaque: opaque.to_owned(),
        });
    }
    (!tags.is_empty()).then_some(IfMatch::Tags(tags))
}

/// Whether an `If-Match` header admits `revision`. A malformed one admits
/// nothing (the handler has refused it already). The comparison is strong
/// (RFC 9110 §13.1.1): a weak tag never matches, since it promises only an
/// equivalent representation and an update needs the exact one.
pub fn admits(if_match: Option<&HeaderValue>, revision: u64) -> bool {
    let Some(value) = if_match else { return true };
    match parse_if_match(value) {
        Some(IfMatch::Any) => true,
        Some(IfMatch::Tags(tags)) => {
            let current = revision.to_string();
            tags.iter().any(|t| !t.weak && t.opaque == current)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_admits_only_the_current_revision_strongly() {
        let h = |s: &'static str| Some(HeaderValue::from_static(s));
        assert!(admits(None, 3));
        assert!(admits(h("\"3\"").as_ref(), 3));
        assert!(!admits(h("W/\"3\"").as_ref(), 3));
        assert!(admits(h("W/\"3\", \"3\"").as_ref(), 3));
        assert!(admits(h("\"1\", \"3\"").as_ref(), 3));
        assert!(admits(h("*").as_ref(), 3));
        assert!(!admits(h("\"2\"").as_ref(), 3));
        assert!(!admits(h("\"x\"").as_ref(), 3));
    }

    #[test]
    fn only_well_formed_if_match_headers_parse() {
        let parse = |s: &'static str| parse_if_match(&HeaderValue::from_static(s));
        let tags = |t: &[(bool, &str)]| {
            Some(IfMatch::Tags(
                t.iter()
                    .map(|(weak, opaque)| EntityTag {
                        weak: *weak,
                        opaque: opaque.to_string(),
                    })
                    .collect(),
            ))
        };
        assert_eq!(parse("*"), Some(IfMatch::Any));
        assert_eq!(parse(" \"7\" "), tags(&[(false, "7")]));
        assert_eq!(parse("W/\"7\""), tags(&[(true, "7")]));
        assert_eq!(parse("\"6\", W/\"7\","), tags(&[(false, "6"), (true, "7")]));
        assert_eq!(parse("\"\""), tags(&[(false, "")]));
        for bad in [
            "7\"", "\"7", "7", "W/7", "w/\"7\"", "\"7\"\"", "\"a b\"", "", ",", "*, \"7\"",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}

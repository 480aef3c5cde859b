//! The type a request body is declared as: `application/json`, with any
//! parameters (`; charset=utf-8`), case-insensitive; a charset, if given,
//! must be UTF-8, the only one JSON has (RFC 8259 §8.1).
//!
//! A body sent with no Content-Type at all is refused as well, once it is
//! not empty: RFC 9110 §8.3 lets a recipient take it as
//! `application/octet-stream`, API.md asks for the header on every body, and
//! reading such bytes as JSON anyway would be the guessing this check is
//! there to end. A request with no body (an empty POST to a key check) has
//! nothing to declare, and passes.

use axum::http::{HeaderMap, header};

use crate::server::error::ServerError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    Json,
    /// No Content-Type header: only an empty body may come without one.
    Nothing,
}

/// Refuses (415) a Content-Type other than JSON, and two of them.
pub fn declared(headers: &HeaderMap) -> Result<Declared, ServerError> {
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let Some(value) = values.next() else {
        return Ok(Declared::Nothing);
    };
    let json = values.next().is_none() && value.to_str().is_ok_and(is_json);
    if json {
        Ok(Declared::Json)
    } else {
        Err(ServerError::unsupported_media_type())
    }
}

fn is_json(value: &str) -> bool {
    let mut parts = value.split(';');
    let essence = parts.next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        && parts.all(|parameter| {
            let (name, value) = parameter.split_once('=').unwrap_or((parameter, ""));
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value);
            !name.trim().eq_ignore_ascii_case("charset") || value.eq_ignore_ascii_case("utf-8")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_in_utf_8_is_json() {
        for json in [
            "application/json",
            "Application/JSON",
            " application/json ; charset=utf-8",
            "application/json;charset=\"UTF-8\"",
            "application/json; boundary=x",
        ] {
            assert!(is_json(json), "{json:?}");
        }
        for other in [
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/jsonx",
            "application/merge-patch+json",
            "application/json; charset=latin1",
            "",
        ] {
            assert!(!is_json(other), "{other:?}");
        }
    }

    #[test]
    fn two_content_types_are_refused() {
        let mut headers = HeaderMap::new();
        assert_eq!(declared(&headers).ok(), Some(Declared::Nothing));
        headers.append(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert_eq!(declared(&headers).ok(), Some(Declared::Json));
        headers.append(header::CONTENT_TYPE, "application/json".parse().unwrap());
        assert!(declared(&headers).is_err());
    }
}

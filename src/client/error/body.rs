//! From a non-2xx answer to an `ApiError`. Both error shapes of API.md are
//! understood, and so is a body that is not JSON at all.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use super::{ApiError, ServerMessage};

/// What an error body said, whichever shape it had.
#[derive(Debug, Default)]
struct Said {
    code: Option<String>,
    message: Option<String>,
    param: Option<String>,
    details: Vec<String>,
    retry_after: Option<Duration>,
}

fn read_body(body: &[u8]) -> Said {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Said {
            message: plain_text(body),
            ..Said::default()
        };
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let mut said = match value.get("error") {
        // Documented: {"error": {"code", "message", "param", "type"}}.
        Some(Value::Object(detail)) => Said {
            code: text(detail.get("code")),
            message: text(detail.get("message")),
            param: text(detail.get("param")),
            details: details(detail.get("details")),
            retry_after: seconds(detail.get("retry_after")),
        },
        // Hosted: {"error": "Unauthorized", "message": "...", "details": [...]}.
        Some(Value::String(label)) => Said {
            message: text(value.get("message")).or_else(|| Some(label.clone())),
            ..Said::default()
        },
        _ => Said {
            message: text(value.get("message")),
            ..Said::default()
        },
    };
    // The flat shape puts these beside `error`; the documented one may too.
    if said.details.is_empty() {
        said.details = details(value.get("details"));
    }
    said.retry_after = said
        .retry_after
        .or_else(|| seconds(value.get("retry_after")));
    said
}

/// `details` as the hosted service sends it (strings), also taking the
/// `message` of an object entry; anything else says nothing readable.
fn details(value: Option<&Value>) -> Vec<String> {
    let Some(Value::Array(items)) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.as_str()),
            Value::Object(o) => o.get("message").and_then(Value::as_str),
            _ => None,
        })
        // A line break would split an error meant to be one line.
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

/// A non-negative number of seconds (or its decimal text), rounded up so a
/// wait of 0.5 s is not shown, and honoured, as none.
fn seconds(value: Option<&Value>) -> Option<Duration> {
    let secs = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    // Also refuses NaN; the upper bound keeps `from_secs_f64` from panicking.
    if !(0.0..=1e9).contains(&secs) {
        return None;
    }
    Some(Duration::from_secs_f64(secs.ceil()))
}

/// A short plain-text body is worth showing; an HTML error page is not.
fn plain_text(body: &[u8]) -> Option<String> {
    const SHOWN: usize = 200;
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() || text.contains('<') {
        return None;
    }
    let line = text.lines().next()?.trim();
    Some(line.chars().take(SHOWN).collect())
}

/// The error for a non-2xx answer.
pub(crate) fn from_response(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let said = read_body(body);
    let text = said.message.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("no explanation given")
            .to_owned()
    });
    let message = ServerMessage::new(text, said.details);
    // The header is the standard place; the body's figure is the fallback.
    let retry_after = retry_after(headers).or(said.retry_after);
    let code = status.as_u16();
    match code {
        400 => ApiError::Validation {
            code: said.code.unwrap_or_else(|| "invalid_request".to_owned()),
            message,
            param: said.param,
        },
        401 => ApiError::Unauthorized(message),
        402 => ApiError::InsufficientCredits(message),
        403 => ApiError::Forbidden(message),
        404 => ApiError::NotFound(message),
        409 => ApiError::Conflict(message),
        412 => ApiError::PreconditionFailed(message),
        422 => ApiError::Unprocessable {
            message,
            param: said.param,
        },
        429 => ApiError::RateLimited {
            message,
            retry_after,
        },
        502..=504 => ApiError::Upstream {
            status: code,
            message,
            retry_after,
        },
        500..=599 => ApiError::Server {
            status: code,
            message,
        },
        _ => ApiError::Http {
            status: code,
            message,
        },
    }
}

/// `Retry-After` in seconds; the HTTP-date form is rare enough to ignore.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str) -> ApiError {
        from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
        )
    }

    #[test]
    fn both_error_shapes_are_read() {
        let documented = r#"{"error":{"code":"unknown_field","message":"unknown field temprature","param":"llm_config.temprature","type":"invalid_request_error"}}"#;
        assert_eq!(
            map(400, documented),
            ApiError::Validation {
                code: "unknown_field".into(),
                message: "unknown field temprature".into(),
                param: Some("llm_config.temprature".into()),
            }
        );
        let flat = r#"{"error":"Unauthorized","message":"Invalid or missing API key"}"#;
        assert_eq!(
            map(401, flat),
            ApiError::Unauthorized("Invalid or missing API key".into())
        );
        assert_eq!(
            map(403, r#"{"error":"Forbidden"}"#),
            ApiError::Forbidden("Forbidden".into())
        );
        assert_eq!(
            map(418, r#"{"error":"Teapot"}"#),
            ApiError::Http {
                status: 418,
                message: "Teapot".into()
            }
        );
    }

    #[test]
    fn details_are_read_from_either_shape_and_kept_on_one_line() {
        let flat = r#"{"error":"Bad Request","message":"Invalid workflow","details":["node a:\n no edges",{"message":"b"},7,""]}"#;
        let ApiError::Validation { message, .. } = map(400, flat) else {
            panic!("not a validation error");
        };
        assert_eq!(message.details, ["node a: no edges", "b"]);
        let nested = r#"{"error":{"code":"missing_field","message":"m","details":["x"]}}"#;
        let ApiError::Validation { message, .. } = map(400, nested) else {
            panic!("not a validation error");
        };
        assert_eq!(message.details, ["x"]);
    }

    #[test]
    fn a_body_retry_after_is_rounded_up_and_odd_values_are_ignored() {
        let wait = |body: &str| match map(429, body) {
            ApiError::RateLimited { retry_after, .. } => retry_after,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            wait(r#"{"error":"x","retry_after":1.2}"#),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            wait(r#"{"error":{"message":"x","retry_after":"7"}}"#),
            Some(Duration::from_secs(7))
        );
        assert_eq!(wait(r#"{"error":"x","retry_after":-1}"#), None);
        assert_eq!(wait(r#"{"error":"x","retry_after":1e300}"#), None);
        assert_eq!(wait(r#"{"error":"x","retry_after":true}"#), None);
    }

    #[test]
    fn bodies_that_are_not_json_fall_back_to_text_or_reason() {
        assert_eq!(
            map(500, "<html><body>Oops</body></html>"),
            ApiError::Server {
                status: 500,
                message: "Internal Server Error".into()
            }
        );
        assert_eq!(
            map(502, "<html><body>Bad gateway</body></html>"),
            ApiError::Upstream {
                status: 502,
                message: "Bad Gateway".into(),
                retry_after: None,
            }
        );
        assert_eq!(
            map(404, "no route\nmore"),
            ApiError::NotFound("no route".into())
        );
    }
}

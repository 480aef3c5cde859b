//! `ApiError` and the mapping from an HTTP answer to it. Both error shapes of
//! API.md are understood, and so is a body that is not JSON at all.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

/// Why a request failed. Every `Display` is one human sentence and never
/// contains the API key (`ApiClient` scrubs it from whatever the server says).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the server refused the API key: {0}")]
    Unauthorized(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{}", validation_text(param.as_deref(), message))]
    Validation {
        code: String,
        message: String,
        param: Option<String>,
    },
    #[error("{}", rate_limited_text(message, *retry_after))]
    RateLimited {
        message: String,
        retry_after: Option<Duration>,
    },
    #[error("it was changed elsewhere since it was read; reload and try again ({0})")]
    PreconditionFailed(String),
    #[error("the server failed with HTTP {status}: {message}")]
    Server { status: u16, message: String },
    #[error("the server's answer could not be read: {0}")]
    Malformed(String),
    #[error("the server answered HTTP {status}: {message}")]
    Http { status: u16, message: String },
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),
}

fn validation_text(param: Option<&str>, message: &str) -> String {
    match param {
        Some(param) => format!("invalid {param}: {message}"),
        None => format!("invalid request: {message}"),
    }
}

fn rate_limited_text(message: &str, retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(
            "rate limit exceeded: {message}; retry in {} s",
            wait.as_secs()
        ),
        None => format!("rate limit exceeded: {message}"),
    }
}

impl ApiError {
    /// The same error with every occurrence of `secret` replaced, so a server
    /// that echoes a key back cannot make us print it.
    pub(crate) fn redacted(self, secret: &str) -> ApiError {
        if secret.is_empty() {
            return self;
        }
        let scrub = |s: String| {
            if s.contains(secret) {
                s.replace(secret, "[redacted]")
            } else {
                s
            }
        };
        match self {
            ApiError::Unreachable(m) => ApiError::Unreachable(scrub(m)),
            ApiError::Unauthorized(m) => ApiError::Unauthorized(scrub(m)),
            ApiError::NotFound(m) => ApiError::NotFound(scrub(m)),
            ApiError::Validation {
                code,
                message,
                param,
            } => ApiError::Validation {
                code: scrub(code),
                message: scrub(message),
                param: param.map(scrub),
            },
            ApiError::RateLimited {
                message,
                retry_after,
            } => ApiError::RateLimited {
                message: scrub(message),
                retry_after,
            },
            ApiError::PreconditionFailed(m) => ApiError::PreconditionFailed(scrub(m)),
            ApiError::Server { status, message } => ApiError::Server {
                status,
                message: scrub(message),
            },
            ApiError::Malformed(m) => ApiError::Malformed(scrub(m)),
            ApiError::Http { status, message } => ApiError::Http {
                status,
                message: scrub(message),
            },
            ApiError::InvalidBaseUrl(m) => ApiError::InvalidBaseUrl(scrub(m)),
            ApiError::Timeout => ApiError::Timeout,
        }
    }

    /// A transport failure: no HTTP answer was read.
    pub(crate) fn from_transport(err: &reqwest::Error) -> ApiError {
        if err.is_timeout() {
            return ApiError::Timeout;
        }
        // reqwest's own text is "error sending request for url (...)"; the
        // innermost cause ("Connection refused (os error 111)") is the news.
        let mut cause: &dyn std::error::Error = err;
        while let Some(next) = cause.source() {
            cause = next;
        }
        let url = err.url().map(|u| u.origin().ascii_serialization());
        match url {
            Some(url) => ApiError::Unreachable(format!("{url}: {cause}")),
            None => ApiError::Unreachable(cause.to_string()),
        }
    }
}

/// What an error body said, whichever shape it had.
#[derive(Debug, Default)]
struct Said {
    code: Option<String>,
    message: Option<String>,
    param: Option<String>,
}

fn read_body(body: &[u8]) -> Said {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Said {
            message: plain_text(body),
            ..Said::default()
        };
    };
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    match value.get("error") {
        // Documented: {"error": {"code", "message", "param", "type"}}.
        Some(Value::Object(detail)) => Said {
            code: text(detail.get("code")),
            message: text(detail.get("message")),
            param: text(detail.get("param")),
        },
        // Hosted: {"error": "Unauthorized", "message": "..."}.
        Some(Value::String(label)) => Said {
            message: text(value.get("message")).or_else(|| Some(label.clone())),
            ..Said::default()
        },
        _ => Said {
            message: text(value.get("message")),
            ..Said::default()
        },
    }
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
    let message = said.message.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("no explanation given")
            .to_owned()
    });
    let code = status.as_u16();
    match code {
        400 => ApiError::Validation {
            code: said.code.unwrap_or_else(|| "invalid_request".to_owned()),
            message,
            param: said.param,
        },
        401 => ApiError::Unauthorized(message),
        404 => ApiError::NotFound(message),
        412 => ApiError::PreconditionFailed(message),
        429 => ApiError::RateLimited {
            message,
            retry_after: retry_after(headers),
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
            ApiError::Http {
                status: 403,
                message: "Forbidden".into()
            }
        );
    }

    #[test]
    fn bodies_that_are_not_json_fall_back_to_text_or_reason() {
        assert_eq!(
            map(502, "<html><body>Bad gateway</body></html>"),
            ApiError::Server {
                status: 502,
                message: "Bad Gateway".into()
            }
        );
        assert_eq!(
            map(404, "no route\nmore"),
            ApiError::NotFound("no route".into())
        );
    }

    #[test]
    fn redaction_reaches_every_message() {
        let e = ApiError::Validation {
            code: "invalid_request".into(),
            message: "key vd_live_secret is bad".into(),
            param: None,
        }
        .redacted("vd_live_secret");
        assert_eq!(e.to_string(), "invalid request: key [redacted] is bad");
    }
}

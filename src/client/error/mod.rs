//! `ApiError`: why a request failed, in words a user can act on. `body.rs`
//! maps an HTTP answer to it; `message.rs` holds what the server said.

mod body;
mod message;

use std::time::Duration;

pub(crate) use body::from_response;
pub use message::ServerMessage;
use std::borrow::Cow;

use crate::domain::text::{KeyPieces, one_line};

/// Why a request failed. Every `Display` is one human sentence and never
/// contains the API key (`ApiClient` scrubs it from whatever the server says).
/// A server's own explanation is a `ServerMessage`: its `details`, when the
/// server lists any, are shown after its sentence.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("cannot reach the server: {0}")]
    Unreachable(String),
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the server refused the API key: {0}")]
    Unauthorized(ServerMessage),
    /// HTTP 402.
    #[error(
        "the account has run out of credits: top up its balance with the service, then try again ({0})"
    )]
    InsufficientCredits(ServerMessage),
    /// HTTP 403: the key is valid but may not do this.
    #[error(
        "this API key is not allowed to do that: use a key of the organization that owns it, or ask its administrator for access ({0})"
    )]
    Forbidden(ServerMessage),
    #[error("not found: {0}")]
    NotFound(ServerMessage),
    /// HTTP 409, e.g. deleting something that is still in use.
    #[error(
        "that conflicts with the current state, for example because it is still in use: release or detach it first, then try again ({0})"
    )]
    Conflict(ServerMessage),
    #[error("{}", validation_text(param.as_deref(), message))]
    Validation {
        code: String,
        message: ServerMessage,
        param: Option<String>,
    },
    /// HTTP 422: well-formed, but the server will not act on it as it stands.
    #[error("{}", unprocessable_text(param.as_deref(), message))]
    Unprocessable {
        message: ServerMessage,
        param: Option<String>,
    },
    #[error("{}", rate_limited_text(message, *retry_after))]
    RateLimited {
        message: ServerMessage,
        retry_after: Option<Duration>,
    },
    #[error("it was changed elsewhere since it was read; reload and try again ({0})")]
    PreconditionFailed(ServerMessage),
    /// HTTP 502, 503 or 504: trouble between the service and its gateway.
    #[error("{}", upstream_text(*status, message, *retry_after))]
    Upstream {
        status: u16,
        message: ServerMessage,
        retry_after: Option<Duration>,
    },
    #[error("the server failed with HTTP {status}: {message}")]
    Server { status: u16, message: ServerMessage },
    #[error("the server's answer could not be read: {0}")]
    Malformed(String),
    #[error("the server answered HTTP {status}: {message}")]
    Http { status: u16, message: ServerMessage },
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),
    /// The server has no such route: an older or another kind of server.
    #[error("{0}")]
    NotOffered(String),
}

fn validation_text(param: Option<&str>, message: &ServerMessage) -> String {
    match param {
        Some(param) => format!("invalid {param}: {message}"),
        None => format!("invalid request: {message}"),
    }
}

fn unprocessable_text(param: Option<&str>, message: &ServerMessage) -> String {
    let what = param.unwrap_or("the request");
    format!("the server cannot process {what}: change it as it says and send it again ({message})")
}

fn rate_limited_text(message: &ServerMessage, retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(
            "rate limit exceeded: {message}; retry in {} s",
            wait.as_secs()
        ),
        None => format!("rate limit exceeded: {message}"),
    }
}

fn upstream_text(status: u16, message: &ServerMessage, retry_after: Option<Duration>) -> String {
    let wait = match retry_after {
        Some(wait) => format!("in {} s", wait.as_secs()),
        None => "in a minute".to_owned(),
    };
    match status {
        503 => format!(
            "the service is temporarily unavailable (HTTP 503): try again {wait} ({message})"
        ),
        // The request may have reached the service before the gateway gave
        // up, so a write may have happened: retrying blindly could repeat it.
        504 => format!(
            "the service took too long behind its gateway (HTTP 504): a change may still have been made, so reload before trying again ({message})"
        ),
        _ => format!(
            "the service's gateway got no valid answer from it (HTTP {status}): try again {wait} ({message})"
        ),
    }
}

impl ApiError {
    /// The same error with every piece of `secret` (8 characters or more)
    /// hidden, so a server that echoes a key back, whole or in part, cannot
    /// make us print it.
    pub(crate) fn redacted(self, secret: &str) -> ApiError {
        self.hidden(&KeyPieces::of(secret))
    }

    /// The same error safe to show: every text one line without control
    /// characters or escape sequences, then every piece of `keys` hidden
    /// (after, so a key split by an escape sequence is still found).
    pub(crate) fn hidden(self, keys: &KeyPieces) -> ApiError {
        self.map_texts(&|s: String| {
            let safe = one_line(&s);
            match keys.hide(&safe) {
                Cow::Borrowed(_) if matches!(safe, Cow::Borrowed(_)) => s,
                hidden => hidden.into_owned(),
            }
        })
    }

    /// Every text the error holds, through `text`.
    fn map_texts(self, text: &dyn Fn(String) -> String) -> ApiError {
        let said = |m: ServerMessage| m.map_texts(text);
        match self {
            ApiError::Unreachable(m) => ApiError::Unreachable(text(m)),
            ApiError::Unauthorized(m) => ApiError::Unauthorized(said(m)),
            ApiError::InsufficientCredits(m) => ApiError::InsufficientCredits(said(m)),
            ApiError::Forbidden(m) => ApiError::Forbidden(said(m)),
            ApiError::NotFound(m) => ApiError::NotFound(said(m)),
            ApiError::Conflict(m) => ApiError::Conflict(said(m)),
            ApiError::Validation {
                code,
                message,
                param,
            } => ApiError::Validation {
                code: text(code),
                message: said(message),
                param: param.map(text),
            },
            ApiError::Unprocessable { message, param } => ApiError::Unprocessable {
                message: said(message),
                param: param.map(text),
            },
            ApiError::RateLimited {
                message,
                retry_after,
            } => ApiError::RateLimited {
                message: said(message),
                retry_after,
            },
            ApiError::PreconditionFailed(m) => ApiError::PreconditionFailed(said(m)),
            ApiError::Upstream {
                status,
                message,
                retry_after,
            } => ApiError::Upstream {
                status,
                message: said(message),
                retry_after,
            },
            ApiError::Server { status, message } => ApiError::Server {
                status,
                message: said(message),
            },
            ApiError::Malformed(m) => ApiError::Malformed(text(m)),
            ApiError::Http { status, message } => ApiError::Http {
                status,
                message: said(message),
            },
            ApiError::InvalidBaseUrl(m) => ApiError::InvalidBaseUrl(text(m)),
            ApiError::NotOffered(m) => ApiError::NotOffered(text(m)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_reaches_every_message() {
        let e = ApiError::Validation {
            code: "invalid_request".into(),
            message: "key vd_live_secret is bad".into(),
            param: None,
        }
        .redacted("vd_live_secret");
        assert_eq!(e.to_string(), "invalid request: key [redacted] is bad");
        let e = ApiError::Unprocessable {
            message: ServerMessage::new("no", vec!["echo vd_live_secret".into()]),
            param: Some("vd_live_secret".into()),
        }
        .redacted("vd_live_secret");
        assert!(!e.to_string().contains("vd_live_secret"), "{e}");
    }

    #[test]
    fn details_follow_the_servers_sentence() {
        let e = ApiError::Conflict(ServerMessage::new(
            "Assistant in use",
            vec!["number +31 20".into(), "campaign c1".into()],
        ));
        assert!(
            e.to_string()
                .ends_with("(Assistant in use: number +31 20; campaign c1)"),
            "{e}"
        );
    }
}

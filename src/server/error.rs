//! The one error type of the server's handlers. Every failure leaves as the
//! documented body; an internal failure is logged here and answered with a
//! generic sentence so no detail of the cause reaches the client.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::{ApiErrorBody, ErrorCode, FieldError};

#[derive(Debug)]
pub struct ServerError {
    pub code: ErrorCode,
    pub message: String,
    pub param: Option<String>,
    /// Seconds until a rate-limited caller may try again.
    pub retry_after: Option<u64>,
}

impl ServerError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerError {
            code,
            message: message.into(),
            param: None,
            retry_after: None,
        }
    }

    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.param = Some(param.into());
        self
    }

    pub fn invalid(param: impl Into<String>, message: impl Into<String>) -> Self {
        ServerError::new(ErrorCode::InvalidRequest, message).with_param(param)
    }

    pub fn unauthorized() -> Self {
        ServerError::new(ErrorCode::Unauthorized, "Invalid or missing API key.")
    }

    pub fn not_found(what: &str) -> Self {
        ServerError::new(ErrorCode::NotFound, format!("No such {what}."))
    }

    pub fn payload_too_large(limit: usize) -> Self {
        ServerError::new(
            ErrorCode::PayloadTooLarge,
            format!("The request body is larger than {} KiB.", limit / 1024),
        )
    }

    /// RFC 9110 §15.5.16 lets the answer say what would do instead.
    pub fn unsupported_encoding() -> Self {
        ServerError::new(
            ErrorCode::UnsupportedMediaType,
            "The request body must not be compressed: send it with no Content-Encoding.",
        )
    }

    pub fn unsupported_media_type() -> Self {
        ServerError::new(
            ErrorCode::UnsupportedMediaType,
            "The request body must be JSON, sent with `Content-Type: application/json`.",
        )
    }

    /// Every write is one transaction whose commit is checked, so a write
    /// that failed this way left nothing behind.
    pub fn insufficient_storage() -> Self {
        ServerError::new(
            ErrorCode::InsufficientStorage,
            "The server's disk is full or its store could not write: nothing was changed. \
             Try again once the server's operator has freed space.",
        )
    }

    /// Logs `err` under the current request's span and hides it from the caller.
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        ServerError::new(
            ErrorCode::Internal,
            "The server failed to handle the request.",
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<FieldError> for ServerError {
    fn from(e: FieldError) -> Self {
        ServerError::new(e.code, e.message).with_param(e.param)
    }
}

impl From<anyhow::Error> for ServerError {
    fn from(e: anyhow::Error) -> Self {
        // `{:#}` keeps the context chain in the log line.
        if super::store::is_storage_failure(&e) {
            tracing::error!(error = %format!("{e:#}"), "the store could not write");
            return ServerError::insufficient_storage();
        }
        ServerError::internal(format!("{e:#}"))
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ApiErrorBody::new(self.code, self.message, self.param);
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.code == ErrorCode::UnsupportedMediaType {
            response.headers_mut().insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_static("identity"),
            );
        }
        response
    }
}

const CHALLENGE: &str = r#"Bearer realm="voicedock""#;
const REFUSED_TOKEN: &str = r#"Bearer realm="voicedock", error="invalid_token", error_description="The API key is not valid.""#;

/// Every 401 says how to authenticate (RFC 9110 §11.6.1), and, when a
/// bearer key was sent, that the key itself was refused (RFC 6750 §3.1).
/// Done here rather than where the 401 is made, which does not see whether
/// a key came with the request.
pub async fn challenge(req: Request, next: Next) -> Response {
    let sent_a_key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.as_bytes().get(..7))
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"bearer "));
    let mut response = next.run(req).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        let value = if sent_a_key { REFUSED_TOKEN } else { CHALLENGE };
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(value));
    }
    response
}

pub type ApiResult<T> = Result<T, ServerError>;

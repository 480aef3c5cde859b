//! The one error type of the server's handlers. Every failure leaves as the
//! documented body; an internal failure is logged here and answered with a
//! generic sentence so no detail of the cause reaches the client.

use axum::http::{HeaderValue, StatusCode, header};
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
        response
    }
}

pub type ApiResult<T> = Result<T, ServerError>;

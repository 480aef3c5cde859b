use serde::{Deserialize, Serialize};

use super::provider::MIN_KEY_LEN;

/// A value from a request, quoted for an error message, if it may be
/// repeated: only what looks like an id (`acme`, `gpt-9`, `temprature`).
/// Anything else may be a secret sent in the wrong field, and error messages
/// end up in logs and on screens. Ids as long as the shortest provider key
/// are not repeated either: a Deepgram key is 40 lowercase hex characters.
pub fn quoted(value: &str) -> Option<String> {
    let id_like = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'));
    (id_like && !value.is_empty() && value.len() < MIN_KEY_LEN).then(|| format!("\"{value}\""))
}

/// "invalid type: string \"...\", expected f64" would echo the value back; a
/// misplaced secret must not appear in an error, so only the kinds remain.
pub fn without_string_value(message: &str) -> String {
    for lead in ["invalid type: string ", "invalid value: string "] {
        if let Some(rest) = message.strip_prefix(lead) {
            let expected = rest.rfind(", expected ").map_or("", |i| &rest[i..]);
            return format!("{}string{expected}", &lead[..lead.len() - "string ".len()]);
        }
    }
    message.to_owned()
}

/// A validation failure: the JSON path of the failing field and one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: ErrorCode,
    pub param: String,
    pub message: String,
}

impl FieldError {
    pub fn new(param: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            code: ErrorCode::InvalidRequest,
            param: param.into(),
            message: message.into(),
        }
    }

    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.code = code;
        self
    }

    /// The same error one level down, e.g. `provider` inside `stt_config`.
    /// An empty path (a field not named) becomes the parent itself.
    pub fn under(mut self, parent: &str) -> Self {
        self.param = if self.param.is_empty() {
            parent.to_owned()
        } else {
            format!("{parent}.{}", self.param)
        };
        self
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

impl std::error::Error for FieldError {}

/// The error codes of API.md's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidRequest,
    UnknownField,
    UnsupportedProvider,
    Unauthorized,
    /// The key was revoked or replaced by a newer one (ours: not in the
    /// hosted table, which answers `unauthorized`).
    ApiKeyRevoked,
    NotFound,
    /// (ours) A valid change that does not fit what is stored, such as a
    /// TTS config for an assistant whose realtime LLM speaks by itself.
    Conflict,
    PreconditionFailed,
    /// The body did not arrive in time (ours: not in the hosted table).
    RequestTimeout,
    PayloadTooLarge,
    /// A body in a Content-Encoding the server does not decode (ours: not
    /// in the hosted table).
    UnsupportedMediaType,
    RateLimitExceeded,
    /// (ours) The server's disk is full or its store cannot write: nothing
    /// was written.
    InsufficientStorage,
    /// (ours) What this server cannot do at all, such as placing a call:
    /// it has no telephone line.
    NotImplemented,
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest
            | ErrorCode::UnknownField
            | ErrorCode::UnsupportedProvider => 400,
            ErrorCode::Unauthorized | ErrorCode::ApiKeyRevoked => 401,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::RequestTimeout => 408,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimitExceeded => 429,
            ErrorCode::InsufficientStorage => 507,
            ErrorCode::Internal => 500,
            ErrorCode::NotImplemented => 501,
        }
    }

    pub fn error_type(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest
            | ErrorCode::UnknownField
            | ErrorCode::UnsupportedProvider => "invalid_request_error",
            ErrorCode::Unauthorized | ErrorCode::ApiKeyRevoked => "authentication_error",
            ErrorCode::NotFound => "not_found_error",
            ErrorCode::Conflict | ErrorCode::PreconditionFailed => "conflict_error",
            ErrorCode::RequestTimeout
            | ErrorCode::PayloadTooLarge
            | ErrorCode::UnsupportedMediaType => "invalid_request_error",
            ErrorCode::RateLimitExceeded => "rate_limit_error",
            ErrorCode::InsufficientStorage | ErrorCode::NotImplemented | ErrorCode::Internal => {
                "api_error"
            }
        }
    }
}

/// The documented error body: `{"error": {"code", "message", "param", "type"}}`.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ApiErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// snake_case; a client keeps codes it does not know as text.
    pub code: String,
    pub message: String,
    pub param: Option<String>,
    #[serde(rename = "type")]
    pub error_type: String,
}

impl ApiErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>, param: Option<String>) -> Self {
        let code_text = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        ApiErrorBody {
            error: ErrorDetail {
                code: code_text,
                message: message.into(),
                param,
                error_type: code.error_type().to_owned(),
            },
        }
    }
}

//! The HTTP exchange under every endpoint: headers, timeouts, a bounded
//! body, and JSON in and out.

use std::time::Duration;

use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, IF_MATCH, LOCATION,
};
use reqwest::{Method, StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ApiClient, ApiError, error};
use crate::domain::Assistant;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Far above any answer of this API; stops a broken server from filling memory.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub(super) fn http_client() -> Result<reqwest::Client, ApiError> {
    reqwest::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("voicedock/", env!("CARGO_PKG_VERSION")))
        // A redirect would turn a POST into a GET and hide a wrong base
        // URL; the 3xx is reported with its Location instead.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| ApiError::Unreachable(format!("cannot set up HTTP: {e}")))
}

pub(super) fn bearer(api_key: &SecretString) -> Result<HeaderValue, ApiError> {
    let text = zeroize::Zeroizing::new(format!("Bearer {}", api_key.expose_secret()));
    let mut value = HeaderValue::from_str(&text).map_err(|_| {
        ApiError::Unauthorized(
            "the API key contains characters that cannot be sent in a header".into(),
        )
    })?;
    // Keeps the value out of any Debug output of the request.
    value.set_sensitive(true);
    Ok(value)
}

/// A successful answer, read whole.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl ApiClient {
    pub(super) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        if_match: Option<&str>,
        auth: bool,
    ) -> Result<Answer, ApiError> {
        let mut request = self
            .http
            .request(method, url)
            .header(ACCEPT, "application/json");
        if auth {
            request = request.header(AUTHORIZATION, self.inner.authorization.clone());
        }
        if let Some(tag) = if_match {
            let tag = HeaderValue::from_str(tag).map_err(|_| ApiError::Validation {
                code: "invalid_request".into(),
                message: "the If-Match value is not a valid header".into(),
                param: None,
            })?;
            request = request.header(IF_MATCH, tag);
        }
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, "application/json").body(body);
        }
        let secret = self.inner.api_key.expose_secret();
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::from_transport(&e).redacted(secret))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = read_capped(response)
            .await
            .map_err(|e| e.redacted(secret))?;
        if status.is_success() {
            return Ok(Answer {
                status,
                headers,
                body,
            });
        }
        if status.is_redirection() {
            let to = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("elsewhere");
            return Err(ApiError::Http {
                status: status.as_u16(),
                message: format!("the server redirects to {to}; check the base URL").into(),
            }
            .redacted(secret));
        }
        Err(error::from_response(status, &headers, &body).redacted(secret))
    }
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| ApiError::from_transport(&e))?
    {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(ApiError::Malformed(format!(
                "the answer is larger than {} MiB",
                MAX_BODY / (1024 * 1024)
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

pub(super) fn to_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, ApiError> {
    // Serialising our own types to JSON cannot fail (string keys only), but
    // the error is still a value rather than a panic.
    serde_json::to_vec(value)
        .map_err(|e| ApiError::Malformed(format!("cannot encode request: {e}")))
}

/// A 2xx body as `T`; the error names the JSON path that did not fit.
pub(super) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(malformed)
}

/// `parse` for a body already read as JSON.
pub(super) fn decode<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(malformed)
}

/// A body that may be empty (204, or a 200 with nothing): `Value::Null` then.
pub(super) fn parse_or_null(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    parse(body)
}

/// The hosted service's `{"success": false}`: a failure without an error status.
pub(super) fn reports_failure(value: &Value) -> bool {
    value.get("success") == Some(&Value::Bool(false))
}

fn malformed(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    if path == "." {
        ApiError::Malformed(e.into_inner().to_string())
    } else {
        ApiError::Malformed(format!("at {path}: {}", e.into_inner()))
    }
}

/// `{"assistant": {...}}`, or the bare assistant some servers answer.
pub(super) fn parse_assistant(body: &[u8]) -> Result<Assistant, ApiError> {
    let value: Value = parse(body)?;
    match value.get("assistant") {
        Some(inner) if inner.is_object() => decode(inner.clone()),
        _ => decode(value),
    }
}

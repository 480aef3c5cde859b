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

use super::exchange;
use super::{ApiClient, ApiError, error};
use crate::domain::Assistant;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Far above any single answer of this API; stops a broken server from
/// filling memory.
pub(super) const MAX_BODY: usize = 16 * 1024 * 1024;
/// The assistant list of a server that does not page comes in one answer:
/// 50,000 typical assistants are about 25 MB.
pub(super) const MAX_LIST_BODY: usize = 256 * 1024 * 1024;

/// Where a client finds the certificate roots it trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Roots {
    /// The system's store, verified as usual: for an `https://` base URL.
    System,
    /// None at all: a plain `http://` base URL never needs them, and reading
    /// and parsing the system store was most of a command's start-up. Any
    /// TLS handshake such a client attempted would fail, never pass unchecked.
    Empty,
}

/// Every request goes under the base URL (redirects are not followed), so
/// its scheme decides whether the client can ever meet TLS.
pub(super) fn roots_for(base_url: &str) -> Roots {
    if base_url
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("https:"))
    {
        Roots::System
    } else {
        Roots::Empty
    }
}

/// rustls is built with ring but without a default provider (Cargo.toml
/// says why), and reqwest panics when it finds none installed: every client
/// of this crate, and of its tests, starts here so that it is.
#[allow(clippy::disallowed_methods)]
pub(super) fn http_builder() -> reqwest::ClientBuilder {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // An error only says a provider is already installed: by an
        // embedder, who chose it; reqwest uses whichever it finds.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::Client::builder()
}

pub(super) fn http_client(roots: Roots) -> Result<reqwest::Client, ApiError> {
    let builder = http_builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("voicedock/", env!("CARGO_PKG_VERSION")))
        // A redirect would turn a POST into a GET and hide a wrong base
        // URL; the 3xx is reported with its Location instead.
        .redirect(reqwest::redirect::Policy::none());
    let builder = match roots {
        Roots::System => builder,
        Roots::Empty => builder.tls_certs_only(std::iter::empty()),
    };
    builder
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
        self.send_capped(method, url, body, if_match, auth, MAX_BODY)
            .await
    }

    /// One request and its answer, read whole; a failure keeps what is
    /// known of the answer for a recorder.
    pub(super) async fn exchange(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        if_match: Option<&str>,
        auth: bool,
        cap: usize,
    ) -> Result<Answer, Failed> {
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
        let keys = self.hidden_pieces();
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::from_transport(&e).hidden(keys))?;
        let status = response.status();
        let headers = response.headers().clone();
        let answered = |error: ApiError| Failed {
            error: error.hidden(keys),
            status: Some(status.as_u16()),
            request_id: exchange::request_id(&headers),
        };
        let body = read_capped(response, cap).await.map_err(answered)?;
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
            return Err(answered(ApiError::Http {
                status: status.as_u16(),
                message: format!("the server redirects to {to}; check the base URL").into(),
            }));
        }
        Err(answered(error::from_response(status, &headers, &body)))
    }
}

/// A request that failed, with what is known of the answer, if one came.
pub(super) struct Failed {
    pub error: ApiError,
    pub status: Option<u16>,
    pub request_id: Option<String>,
}

impl From<ApiError> for Failed {
    fn from(error: ApiError) -> Self {
        Failed {
            error,
            status: None,
            request_id: None,
        }
    }
}

async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError::Malformed(format!(
            "the answer is larger than {} MiB",
            cap / (1024 * 1024)
        ))
    };
    // Sized once from Content-Length: growing by doubling would, at the
    // moment of each copy, hold the body nearly twice.
    let announced = response
        .content_length()
        .and_then(|n| usize::try_from(n).ok());
    let mut body = match announced {
        Some(n) if n > cap => return Err(too_large()),
        Some(n) => Vec::with_capacity(n),
        None => Vec::new(),
    };
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| ApiError::from_transport(&e))?
    {
        if body.len() + chunk.len() > cap {
            return Err(too_large());
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
///
/// Tracking the path costs on every value, so it is done only to explain a
/// body the plain decode refused: the bytes are decoded a second time then.
pub(super) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|plain| {
        let mut de = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(e) => malformed(e),
            // Both decoders read the same bytes the same way; should they
            // ever disagree, the plain error still explains the body.
            Ok(_) => ApiError::Malformed(plain.to_string()),
        }
    })
}

/// `parse` for a body already read as JSON.
pub(super) fn decode<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    match T::deserialize(&value) {
        Ok(decoded) => Ok(decoded),
        Err(plain) => match serde_path_to_error::deserialize::<_, T>(value) {
            Err(e) => Err(malformed(e)),
            Ok(_) => Err(ApiError::Malformed(plain.to_string())),
        },
    }
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
    let mut value: Value = parse(body)?;
    match value.get_mut("assistant") {
        Some(inner) if inner.is_object() => decode(inner.take()),
        _ => decode(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AssistantList;

    #[test]
    fn every_client_speaks_tls_through_ring() {
        http_client(Roots::System).unwrap();
        http_client(Roots::Empty).unwrap();
        let installed = rustls::crypto::CryptoProvider::get_default().unwrap();
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(
            format!("{:?}", installed.key_provider),
            format!("{:?}", ring.key_provider)
        );
        assert_eq!(installed.cipher_suites, ring.cipher_suites);
    }

    #[test]
    fn only_an_https_base_url_gets_the_system_roots() {
        assert_eq!(roots_for("https://api.example.com"), Roots::System);
        assert_eq!(roots_for("HTTPS://api.example.com/base"), Roots::System);
        assert_eq!(roots_for("http://127.0.0.1:8787"), Roots::Empty);
        assert_eq!(roots_for("http://https.example.com"), Roots::Empty);
        assert!(http_client(Roots::Empty).is_ok());
    }

    #[test]
    fn a_body_that_does_not_fit_is_named_by_its_path_once_the_fast_decode_fails() {
        let good = br#"{"assistants":[{"id":"a","name":"A"}]}"#;
        assert_eq!(parse::<AssistantList>(good).unwrap().assistants[0].id, "a");
        let bad = br#"{"assistants":[{"id":"a","name":"A"},{"id":"b","name":7}]}"#;
        let err = parse::<AssistantList>(bad).unwrap_err().to_string();
        assert!(err.contains("at assistants[1].name: invalid type"), "{err}");
        let value: Value = serde_json::from_slice(bad).unwrap();
        let err = decode::<AssistantList>(value).unwrap_err().to_string();
        assert!(err.contains("at assistants[1].name"), "{err}");
    }
}

//! What each exchange with the server was, told to whoever asked to hear
//! (the console's activity log): the method, the route as a template, the
//! status or the failure, the time it took and the server's request id.
//! Never a body, a header value other than the request id, a query or a
//! path segment that names something: a path can carry a pasted key. A
//! request that carries secrets (a provider key, a webhook secret) has them
//! hidden from its error before the recorder or the caller sees it.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use super::wire::Answer;
use super::{ApiClient, ApiError};
use crate::domain::AssistantDraft;
use crate::domain::text::KeyPieces;

/// The header our server (and many others) names each request by.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest request id kept; anything longer is not an id.
const REQUEST_ID_MAX: usize = 128;

/// One request and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// When it was sent.
    pub at: SystemTime,
    pub method: String,
    /// `/api/v1/assistants/{id}`: the path with every segment that is not
    /// one of the API's own words replaced by a placeholder.
    pub route: String,
    /// `None` when no answer came.
    pub status: Option<u16>,
    pub latency: Duration,
    pub request_id: Option<String>,
    /// Why it failed, as the caller is told (keys hidden, one line).
    pub error: Option<String>,
}

/// Hears every exchange of the client it is given to. Called on the task
/// that made the request, so it must not block.
pub type Recorder = Arc<dyn Fn(Exchange) + Send + Sync>;

impl ApiClient {
    /// This client (sharing its connections) telling `recorder` of every
    /// exchange it has from now on, its clones' included.
    pub fn recording(mut self, recorder: Recorder) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// A copy for one request that carries `secrets`: whatever the server
    /// echoes of them is hidden as the key is, from the caller and the
    /// recorder alike.
    pub(super) fn hiding<'a>(&self, secrets: impl IntoIterator<Item = &'a str>) -> ApiClient {
        let mut pieces = self.hidden_pieces().clone();
        for secret in secrets {
            pieces.add(secret);
        }
        ApiClient {
            hidden: Some(Arc::new(pieces)),
            ..self.clone()
        }
    }

    pub(super) fn hidden_pieces(&self) -> &KeyPieces {
        self.hidden.as_deref().unwrap_or(&self.inner.key_pieces)
    }

    pub(super) fn hiding_secrets_of(&self, draft: &AssistantDraft) -> ApiClient {
        let secrets = crate::domain::secrets::check_secrets(draft).unwrap_or_default();
        self.hiding(secrets)
    }

    /// `send`, refusing an answer longer than `cap` bytes. A recording
    /// client tells its recorder how the exchange went.
    pub(super) async fn send_capped(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        if_match: Option<&str>,
        auth: bool,
        cap: usize,
    ) -> Result<Answer, ApiError> {
        let Some(recorder) = self.recorder.clone() else {
            return self
                .exchange(method, url, body, if_match, auth, cap)
                .await
                .map_err(|f| f.error);
        };
        let at = SystemTime::now();
        let started = Instant::now();
        let route = route_of(self.base_url(), &url);
        let method_name = method_name(&method);
        let outcome = self.exchange(method, url, body, if_match, auth, cap).await;
        let (status, request_id, error) = match &outcome {
            Ok(answer) => (
                Some(answer.status.as_u16()),
                request_id(&answer.headers),
                None,
            ),
            Err(failed) => (
                failed.status,
                failed.request_id.clone(),
                Some(failed.error.to_string()),
            ),
        };
        recorder(Exchange {
            at,
            method: method_name.to_owned(),
            route,
            status,
            latency: started.elapsed(),
            request_id,
            error,
        });
        outcome.map_err(|f| f.error)
    }
}

/// A method HTTP defines, or "other": an extension method is whatever
/// token the caller gave.
fn method_name(method: &Method) -> &'static str {
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .iter()
    .find(|known| *known == method)
    .map_or("other", Method::as_str)
}

/// The request id an answer carries, if it is a short printable token.
pub fn request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?.trim();
    let usable = !value.is_empty()
        && value.len() <= REQUEST_ID_MAX
        && value.bytes().all(|b| b.is_ascii_graphic());
    usable.then(|| value.to_owned())
}

/// The words the API's paths are made of; any other segment is a value.
const WORDS: &[&str] = &[
    "api",
    "v1",
    "health",
    "openapi.json",
    "account",
    "organizations",
    "catalog",
    "byok",
    "config",
    "check",
    "assistants",
    "models",
    "voices",
];

/// The route of `url` under `base_url` as a template: a value after
/// `assistants` is `{id}`, after `byok` `{provider}`, anywhere else
/// `{param}`. Listing the known words, rather than the values, means a
/// segment nobody foresaw is hidden, never shown.
pub fn route_of(base_url: &str, url: &Url) -> String {
    let prefix = Url::parse(base_url)
        .map(|b| b.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let path = url.path();
    let path = path.strip_prefix(prefix.as_str()).unwrap_or(path);
    let mut route = String::new();
    let mut before = "";
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        route.push('/');
        if WORDS.contains(&segment) {
            route.push_str(segment);
        } else {
            route.push_str(match before {
                "assistants" => "{id}",
                "byok" => "{provider}",
                _ => "{param}",
            });
        }
        before = segment;
    }
    if route.is_empty() {
        route.push('/');
    }
    route
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(base: &str, url: &str) -> String {
        route_of(base, &Url::parse(url).unwrap())
    }

    #[test]
    fn values_become_placeholders_and_queries_are_dropped() {
        let base = "http://127.0.0.1:8080";
        assert_eq!(
            route(base, "http://127.0.0.1:8080/api/v1/assistants/asst_123?x=1"),
            "/api/v1/assistants/{id}"
        );
        assert_eq!(
            route(base, "http://127.0.0.1:8080/api/v1/byok/openai/check"),
            "/api/v1/byok/{provider}/check"
        );
        assert_eq!(
            route(base, "http://127.0.0.1:8080/api/v1/byok/config"),
            "/api/v1/byok/config"
        );
        assert_eq!(
            route(base, "http://127.0.0.1:8080/api/v1/assistants?limit=5"),
            "/api/v1/assistants"
        );
        assert_eq!(
            route(base, "http://127.0.0.1:8080/api/v1/sk-live-pasted/x"),
            "/api/v1/{param}/{param}"
        );
    }

    #[test]
    fn a_proxy_prefix_of_the_base_url_is_left_out() {
        assert_eq!(
            route(
                "https://example.test/voice",
                "https://example.test/voice/api/v1/health"
            ),
            "/api/v1/health"
        );
    }

    #[test]
    fn only_a_short_printable_request_id_is_kept() {
        let mut headers = HeaderMap::new();
        assert_eq!(request_id(&headers), None);
        headers.insert(REQUEST_ID_HEADER, "req-1".parse().unwrap());
        assert_eq!(request_id(&headers).as_deref(), Some("req-1"));
        headers.insert(REQUEST_ID_HEADER, "a b".parse().unwrap());
        assert_eq!(request_id(&headers), None);
        let long = "x".repeat(REQUEST_ID_MAX + 1);
        headers.insert(REQUEST_ID_HEADER, long.parse().unwrap());
        assert_eq!(request_id(&headers), None);
    }
}

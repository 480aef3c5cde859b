//! The typed HTTP client of API.md, shared by the console and the CLI. It is
//! liberal in what it accepts (unknown fields, both error shapes, either
//! answer to a delete) and sends only what the caller means.

mod account;
mod calls;
mod catalog;
mod configs;
mod error;
mod exchange;
mod list;
mod mcp;
mod organizations;
mod settings;
mod url;
mod wire;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use reqwest::header::ETAG;
use reqwest::{Method, Url};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use calls::{CALLS_PAGE, CALLS_WALK_MAX, CallQuery, CallWalk};
pub use error::{ApiError, ServerMessage};
pub use exchange::{Exchange, REQUEST_ID_HEADER, Recorder};
pub use list::{AssistantPage, PAGE_MAX};
use wire::{decode, parse, parse_assistant, parse_or_null, reports_failure, to_body};

use crate::domain::text::KeyPieces;
use crate::domain::{
    Assistant, AssistantDraft, ByokConfig, ByokState, CheckKeyRequest, DeleteKeyRequest, Health,
    KeyCheck, SetKeyRequest,
};

/// The origin a base URL names, without a trailing `/` or `/api/v1`; the
/// form a profile stores.
pub fn normalise_base_url(base_url: &str) -> Result<String, ApiError> {
    url::normalise(base_url)
}

/// An HTTP client for calls to `base_url` outside this API (a provider's
/// key check): the same timeouts and no redirects, and certificate roots
/// only when the address is `https://`.
pub fn http_for(base_url: &str) -> Result<reqwest::Client, ApiError> {
    wire::http_client(wire::roots_for(base_url))
}

/// A bare builder, for the odd client that needs other settings than
/// [`http_for`]'s: the only way to one that does not panic (see `wire`).
pub fn http_builder() -> reqwest::ClientBuilder {
    wire::http_builder()
}

/// A client for one service and one account key. Cloning is cheap: clones
/// share the connection pool and the key.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    inner: Arc<Inner>,
    /// Told of every exchange, when someone keeps a log of them.
    recorder: Option<Recorder>,
    /// The key's pieces and those of secrets a request carries, when it
    /// carries any: scrubbed from errors before anyone (a recorder) sees them.
    hidden: Option<Arc<KeyPieces>>,
}

struct Inner {
    base_url: String,
    /// Every long piece of the key, to scrub out of anything a server
    /// echoes back.
    key_pieces: KeyPieces,
    /// `Bearer …`, marked sensitive so no Debug output shows it.
    authorization: reqwest::header::HeaderValue,
    /// Learnt from `/catalog`: what may be sent depends on it.
    kind: catalog::ServerKind,
    /// `/organizations` answered 404 or 405: ask `/account` only.
    no_organizations: AtomicBool,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

impl ApiClient {
    /// `base_url` is the service's origin; a trailing `/` or `/api/v1` is accepted.
    pub fn new(base_url: &str, api_key: SecretString) -> Result<Self, ApiError> {
        let base_url = url::normalise(base_url)?;
        // Built once: a key that cannot be a header is refused now, and no
        // request leaves another copy of it behind.
        let authorization = wire::bearer(&api_key)?;
        Ok(ApiClient {
            http: wire::http_client(wire::roots_for(&base_url))?,
            inner: Arc::new(Inner {
                base_url,
                key_pieces: KeyPieces::of(api_key.expose_secret()),
                authorization,
                kind: catalog::ServerKind::default(),
                no_organizations: AtomicBool::new(false),
            }),
            recorder: None,
            hidden: None,
        })
    }

    /// What to hide of this client's key wherever text from its server is
    /// shown.
    pub fn key_pieces(&self) -> &KeyPieces {
        &self.inner.key_pieces
    }

    /// The normalised origin, e.g. `http://127.0.0.1:8080`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    pub async fn health(&self) -> Result<Health, ApiError> {
        let url = url::join(self.base_url(), "/health")?;
        let answer = self.send(Method::GET, url, None, None, false).await?;
        parse(&answer.body)
    }

    pub async fn byok(&self) -> Result<ByokState, ApiError> {
        self.get_json(&["byok"]).await
    }

    pub async fn set_key(
        &self,
        provider: &str,
        api_key: &SecretString,
    ) -> Result<ByokState, ApiError> {
        let request = SetKeyRequest {
            provider: provider.to_owned(),
            api_key: api_key.clone(),
        };
        let body = to_body(&request)?;
        let answer = self
            .hiding([api_key.expose_secret()])
            .send(Method::POST, self.at(&["byok"])?, Some(body), None, true)
            .await
            .map_err(|e| e.redacted(api_key.expose_secret()))?;
        // Decoding the answer can quote it back too.
        self.byok_state_after(&answer.body)
            .await
            .map_err(|e| e.redacted(api_key.expose_secret()))
    }

    pub async fn delete_key(&self, provider: &str) -> Result<ByokState, ApiError> {
        let request = DeleteKeyRequest {
            provider: provider.to_owned(),
        };
        let body = to_body(&request)?;
        let answer = self
            .send(Method::DELETE, self.at(&["byok"])?, Some(body), None, true)
            .await?;
        self.byok_state_after(&answer.body).await
    }

    /// `POST /byok/{provider}/check` (ours): the server checks the key it
    /// stores for `provider`. `ApiError::NotFound` when it stores none; a
    /// server without the route (404 or 405 while it does store a key, or
    /// 405 at all) is `ApiError::NotOffered`.
    pub async fn check_stored_key(&self, provider: &str) -> Result<KeyCheck, ApiError> {
        let url = self.at(&["byok", provider, "check"])?;
        let body = to_body(&CheckKeyRequest::default())?;
        match self.send(Method::POST, url, Some(body), None, true).await {
            // The server may not be ours: its answer passes the same
            // boundary as a provider's, with the secrets this client holds.
            Ok(answer) => {
                parse::<KeyCheck>(&answer.body).map(|check| check.scrubbed(self.hidden_pieces()))
            }
            Err(ApiError::Http { status: 405, .. }) => Err(no_check_route()),
            // Our server answers 404 for a provider without a key; one
            // without the route answers 404 for any: which it is, the key
            // list tells.
            Err(ApiError::NotFound(said)) => match self.byok().await {
                Ok(state) if state.byok_keys.is_configured(provider) => Err(no_check_route()),
                _ => Err(ApiError::NotFound(said)),
            },
            Err(e) => Err(e),
        }
    }

    pub async fn byok_config(&self) -> Result<ByokConfig, ApiError> {
        self.get_json(&["byok", "config"]).await
    }

    /// The assistant and its `ETag` header exactly as sent (quotes included),
    /// ready to be given back as `If-Match`.
    pub async fn get_assistant(&self, id: &str) -> Result<(Assistant, Option<String>), ApiError> {
        let (assistant, _, etag) = self.get_assistant_body(id).await?;
        Ok((assistant, etag))
    }

    /// `get_assistant` with the body as the server sent it, for printing it
    /// unchanged (`--json`) beside the typed copy the caller reasons with.
    pub async fn get_assistant_body(
        &self,
        id: &str,
    ) -> Result<(Assistant, Value, Option<String>), ApiError> {
        let url = self.assistant_url(id)?;
        let answer = self.send(Method::GET, url, None, None, true).await?;
        let etag = answer
            .headers
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok((parse_assistant(&answer.body)?, parse(&answer.body)?, etag))
    }

    /// A null `stt_config` / `llm_config` in `draft` is left out: on create
    /// it means the platform's defaults either way, and the hosted service
    /// refuses it.
    pub async fn create_assistant(&self, draft: &AssistantDraft) -> Result<Assistant, ApiError> {
        let body = to_body(configs::for_create(draft).as_ref())?;
        let answer = self
            .hiding_secrets_of(draft)
            .send(
                Method::POST,
                self.at(&["assistants"])?,
                Some(body),
                None,
                true,
            )
            .await
            .map_err(|e| without_secrets_of(e, draft))?;
        parse_assistant(&answer.body)
    }

    /// PATCH with exactly `changes` (callers pass `AssistantDraft::changes`),
    /// so fields this client does not know are never wiped.
    ///
    /// Clearing `stt_config` or `llm_config` (`Some(None)`) is sent only to
    /// our reference server. Any other server (the hosted service) can only
    /// replace them, so such an update is refused before anything is sent,
    /// as `ApiError::Validation` naming the config: leaving the null out
    /// would report success for a change that was never made, and sending it
    /// would have the hosted service refuse or misread it. Whether the server
    /// is ours is asked only for such an update, and once per client unless
    /// asking failed.
    pub async fn update_assistant(
        &self,
        id: &str,
        changes: &AssistantDraft,
        if_match: Option<&str>,
    ) -> Result<Assistant, ApiError> {
        self.check_update(changes).await?;
        let body = to_body(changes)?;
        let url = self.assistant_url(id)?;
        let answer = self
            .hiding_secrets_of(changes)
            .send(Method::PATCH, url, Some(body), if_match, true)
            .await
            .map_err(|e| without_secrets_of(e, changes))?;
        parse_assistant(&answer.body)
    }

    /// The body a create sends for `draft`: its null `stt_config` /
    /// `llm_config` left out, for callers that send it themselves (`raw`).
    pub fn create_body(draft: &AssistantDraft) -> AssistantDraft {
        configs::for_create(draft).into_owned()
    }

    /// Refuses, before anything is sent, an update this server cannot take:
    /// clearing `stt_config` or `llm_config` anywhere but on ours.
    pub async fn check_update(&self, changes: &AssistantDraft) -> Result<(), ApiError> {
        if let Some((field, instead)) = configs::cleared(changes)
            && !self.reference_server().await?
        {
            return Err(configs::cannot_clear(field, instead));
        }
        Ok(())
    }

    /// Accepts 204 and the hosted service's 200 `{"success": true}`.
    pub async fn delete_assistant(&self, id: &str) -> Result<(), ApiError> {
        let url = self.assistant_url(id)?;
        let answer = self.send(Method::DELETE, url, None, None, true).await?;
        // A body that is not JSON is as good as none here.
        match parse_or_null(&answer.body) {
            Ok(value) if reports_failure(&value) => Err(ApiError::Http {
                status: answer.status.as_u16(),
                message: "the server reported that the delete did not succeed".into(),
            }),
            _ => Ok(()),
        }
    }

    /// The answer's body unchanged, for `--json`. `path` is under `/api/v1`
    /// (`/byok`); one already under `/api/` is taken from the origin. An
    /// empty body (204) is `Value::Null`. `body` is sent as given: the
    /// server-specific care of the typed methods does not apply.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        self.raw_request(method, path, body, None).await
    }

    /// `raw` with an `If-Match` header, for a conditional update.
    pub async fn raw_request(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        if_match: Option<&str>,
    ) -> Result<Value, ApiError> {
        let url = url::join(self.base_url(), path)?;
        let body = body.map(to_body).transpose()?;
        let answer = self.send(method, url, body, if_match, true).await?;
        parse_or_null(&answer.body)
    }

    async fn get_json<T: DeserializeOwned>(&self, segments: &[&str]) -> Result<T, ApiError> {
        let answer = self
            .send(Method::GET, self.at(segments)?, None, None, true)
            .await?;
        parse(&answer.body)
    }

    fn at(&self, segments: &[&str]) -> Result<Url, ApiError> {
        url::segments(self.base_url(), segments)
    }

    fn assistant_url(&self, id: &str) -> Result<Url, ApiError> {
        // "." and ".." would be resolved away and address the collection.
        if id.is_empty() || id == "." || id == ".." {
            return Err(ApiError::NotFound(
                format!("no assistant with id {id:?}").into(),
            ));
        }
        self.at(&["assistants", id])
    }

    /// POST and DELETE on `/byok` answer the new state; a server that answers
    /// only `{"success": true}` (or nothing) is asked for it. So is one that
    /// answers an empty `byok_keys`: the hosted service's documented example
    /// does that right after a key was stored, and every server lists each
    /// provider it knows, configured or not.
    async fn byok_state_after(&self, body: &[u8]) -> Result<ByokState, ApiError> {
        let value = parse_or_null(body)?;
        if reports_failure(&value) {
            return Err(ApiError::Malformed(
                "the server answered success: false without an error".into(),
            ));
        }
        match value.get("byok_keys") {
            None | Some(Value::Null) => {}
            Some(Value::Object(keys)) if keys.is_empty() => {}
            Some(_) => return decode(value),
        }
        self.byok().await
    }
}

fn no_check_route() -> ApiError {
    ApiError::NotOffered("this server cannot check stored keys".into())
}

/// The error with every secret the draft carried scrubbed out: a server
/// that echoes a webhook or tool secret in its answer must not get it shown.
fn without_secrets_of(error: ApiError, draft: &AssistantDraft) -> ApiError {
    let secrets = crate::domain::secrets::check_secrets(draft).unwrap_or_default();
    secrets.into_iter().fold(error, |e, s| e.redacted(s))
}

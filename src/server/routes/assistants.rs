//! `/api/v1/assistants`: create, list, read, update (with `If-Match`), delete.

use axum::Json;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::domain::validate::{DraftKind, validate_draft};
use crate::domain::{
    ApiErrorBody, Assistant, AssistantDraft, AssistantEnvelope, AssistantList, ErrorCode,
    Pagination,
};
use crate::server::AppState;
use crate::server::auth::Authed;
use crate::server::body::{RawBody, parse};
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::assistants::{self as store, Update};

pub const PAGE_MAX: u32 = 500;
/// When only `offset` is given.
const PAGE_DEFAULT: u32 = 100;

/// The draft in `body`, refusing what serde would let through:
/// `"name": null`, which it reads as "not given" (so a PATCH meant to clear
/// the name would pass silently as a no-op), and a config or message given
/// as an array, which it reads as the struct's fields in order.
fn draft(body: &[u8], kind: DraftKind) -> Result<AssistantDraft, ServerError> {
    let draft: AssistantDraft = parse(body)?;
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(ServerError::internal("a parsed draft is not an object"));
    };
    if fields.get("name").is_some_and(Value::is_null) {
        return Err(ServerError::invalid("name", "name must not be null"));
    }
    for config in ["stt_config", "llm_config", "tts_config"] {
        if fields
            .get(config)
            .is_some_and(|v| !v.is_object() && !v.is_null())
        {
            return Err(ServerError::invalid(
                config,
                format!("{config} must be an object or null"),
            ));
        }
    }
    let messages = fields
        .get("llm_config")
        .and_then(|c| c.get("messages"))
        .and_then(Value::as_array);
    if let Some(i) = messages.and_then(|m| m.iter().position(|m| !m.is_object())) {
        let param = format!("llm_config.messages[{i}]");
        return Err(ServerError::invalid(
            param,
            "a message is an object with role and content",
        ));
    }
    validate_draft(&draft, kind)?;
    Ok(draft)
}

fn with_etag(status: StatusCode, assistant: Assistant) -> Response {
    let etag = assistant.revision.map(|r| format!("\"{r}\""));
    let mut response = (status, Json(AssistantEnvelope { assistant })).into_response();
    if let Some(value) = etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

/// The `{id}` of the path. Ids are uuids; anything else cannot name an
/// assistant, so it is 404 like any id this account does not have.
pub struct AssistantId(String);

impl<S: Send + Sync> FromRequestParts<S> for AssistantId {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ServerError> {
        let not_found = || ServerError::not_found("assistant");
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        let id = uuid::Uuid::parse_str(&raw).map_err(|_| not_found())?;
        Ok(AssistantId(id.to_string()))
    }
}

#[utoipa::path(post, path = "/api/v1/assistants", tag = "assistants", security(("bearer" = [])),
    request_body = AssistantDraft,
    responses((status = 201, description = "Created", body = AssistantEnvelope),
              (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    Authed(account): Authed,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let d = draft(&body, DraftKind::Create)?;
    let now = crate::server::store::now_rfc3339();
    let assistant = Assistant {
        id: uuid::Uuid::new_v4().to_string(),
        // Validation of a Create draft has required the name.
        name: d.name.unwrap_or_default(),
        first_message: d.first_message.flatten(),
        stt_config: d.stt_config.flatten(),
        llm_config: d.llm_config.flatten(),
        tts_config: d.tts_config.flatten(),
        created_at: Some(now.clone()),
        updated_at: Some(now),
        revision: Some(1),
    };
    let saved = assistant.clone();
    app.store
        .run(move |conn| store::insert(conn, &account, &saved))
        .await?;
    Ok(with_etag(StatusCode::CREATED, assistant))
}

/// `limit` and `offset` from the query; `None` when neither is given.
fn page(query: Option<&str>) -> Result<Option<(u32, u64)>, ServerError> {
    let (mut limit, mut offset) = (None, None);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "limit" => limit = Some(value),
            "offset" => offset = Some(value),
            _ => {}
        }
    }
    if limit.is_none() && offset.is_none() {
        return Ok(None);
    }
    let limit = match limit {
        None => PAGE_DEFAULT,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=PAGE_MAX).contains(l))
            .ok_or_else(|| {
                ServerError::invalid(
                    "limit",
                    format!("limit must be an integer from 1 to {PAGE_MAX}"),
                )
            })?,
    };
    let offset = match offset {
        None => 0,
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| ServerError::invalid("offset", "offset must be a non-negative integer"))?,
    };
    Ok(Some((limit, offset)))
}

#[utoipa::path(get, path = "/api/v1/assistants", tag = "assistants", security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, description = "Page size, 1–500; with `offset`, adds `pagination`"),
           ("offset" = Option<u64>, Query, description = "Assistants to skip")),
    responses((status = 200, description = "Oldest first", body = AssistantList),
              (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    Authed(account): Authed,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<AssistantList>> {
    let page = page(query.as_deref())?;
    let (assistants, total) = app
        .store
        .run(move |conn| {
            let items = store::list(conn, &account, page)?;
            let total = if page.is_some() {
                store::count(conn, &account)?
            } else {
                0
            };
            Ok((items, total))
        })
        .await?;
    let pagination = page.map(|(limit, offset)| Pagination {
        total,
        limit,
        offset,
    });
    Ok(Json(AssistantList {
        assistants,
        pagination,
    }))
}

#[utoipa::path(get, path = "/api/v1/assistants/{id}", tag = "assistants", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id")),
    responses((status = 200, description = "The assistant", body = AssistantEnvelope,
               headers(("ETag" = String, description = "The revision, quoted"))),
              (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
) -> ApiResult<Response> {
    let found = app
        .store
        .run(move |conn| store::get(conn, &account, &id))
        .await?;
    let assistant = found.ok_or_else(|| ServerError::not_found("assistant"))?;
    Ok(with_etag(StatusCode::OK, assistant))
}

/// Whether an `If-Match` header admits `revision`: `*`, or any of its
/// (possibly weak) tags equal to the quoted revision. A header that is not
/// text admits nothing.
fn admits(if_match: Option<&HeaderValue>, revision: u64) -> bool {
    let Some(value) = if_match else { return true };
    let Ok(text) = value.to_str() else {
        return false;
    };
    text.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || tag.trim_matches('"') == revision.to_string()
    })
}

#[utoipa::path(patch, path = "/api/v1/assistants/{id}", tag = "assistants", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id"),
           ("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted")),
    request_body = AssistantDraft,
    responses((status = 200, description = "Updated; revision + 1", body = AssistantEnvelope),
              (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody),
              (status = 412, description = "The If-Match revision is stale", body = ApiErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let changes = draft(&body, DraftKind::Update)?;
    let if_match = headers.get(header::IF_MATCH).cloned();
    let outcome = app
        .store
        .run(move |conn| {
            store::update(
                conn,
                &account,
                &id,
                |rev| admits(if_match.as_ref(), rev),
                |a| apply(a, changes),
            )
        })
        .await?;
    match outcome {
        Update::Done(a) => Ok(with_etag(StatusCode::OK, *a)),
        Update::NotFound => Err(ServerError::not_found("assistant")),
        Update::Stale => Err(ServerError::new(
            ErrorCode::PreconditionFailed,
            "The assistant has changed since that revision; read it again and retry.",
        )),
    }
}

/// Only the fields given change; a config given replaces the old one whole.
fn apply(a: &mut Assistant, d: AssistantDraft) {
    if let Some(name) = d.name {
        a.name = name;
    }
    if let Some(v) = d.first_message {
        a.first_message = v;
    }
    if let Some(v) = d.stt_config {
        a.stt_config = v;
    }
    if let Some(v) = d.llm_config {
        a.llm_config = v;
    }
    if let Some(v) = d.tts_config {
        a.tts_config = v;
    }
}

#[utoipa::path(delete, path = "/api/v1/assistants/{id}", tag = "assistants", security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id")),
    responses((status = 204, description = "Deleted"),
              (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn delete(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
) -> ApiResult<StatusCode> {
    let deleted = app
        .store
        .run(move |conn| store::delete(conn, &account, &id))
        .await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ServerError::not_found("assistant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_admits_only_the_current_revision() {
        let h = |s: &'static str| Some(HeaderValue::from_static(s));
        assert!(admits(None, 3));
        assert!(admits(h("\"3\"").as_ref(), 3));
        assert!(admits(h("W/\"3\"").as_ref(), 3));
        assert!(admits(h("\"1\", \"3\"").as_ref(), 3));
        assert!(admits(h("*").as_ref(), 3));
        assert!(!admits(h("\"2\"").as_ref(), 3));
        assert!(!admits(h("\"x\"").as_ref(), 3));
    }

    #[test]
    fn paging_parameters_are_checked() {
        assert_eq!(page(None).unwrap(), None);
        assert_eq!(page(Some("foo=1")).unwrap(), None);
        assert_eq!(page(Some("limit=10&offset=20")).unwrap(), Some((10, 20)));
        assert_eq!(page(Some("offset=5")).unwrap(), Some((PAGE_DEFAULT, 5)));
        for bad in ["limit=0", "limit=501", "limit=x", "limit=", "limit=-1"] {
            assert_eq!(
                page(Some(bad)).unwrap_err().param.as_deref(),
                Some("limit"),
                "{bad}"
            );
        }
        assert_eq!(
            page(Some("limit=5&offset=-1"))
                .unwrap_err()
                .param
                .as_deref(),
            Some("offset")
        );
    }
}

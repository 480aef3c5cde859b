//! `/api/v1/assistants`: create, list, read, update (with `If-Match`), delete.

use axum::Json;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::domain::validate::{Authority, DraftKind, validate_draft, validate_pairing};
use crate::domain::{
    ApiErrorBody, Assistant, AssistantDraft, AssistantEnvelope, AssistantList, Catalog, ErrorCode,
    Pagination, SectionId, UnknownField,
};
use crate::server::AppState;
use crate::server::auth::Authed;
use crate::server::body::{RawBody, parse, refuse_duplicate_keys, unknown_field};
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::assistants::{self as store, Deletion, Update};

use super::if_match::{admits, if_match_of};
use super::mcp::unknown_server_in;
use super::paging::page;

/// The draft in `body`, refusing what serde would let through:
/// `"name": null`, which it reads as "not given" (so a PATCH meant to clear
/// the name would pass silently as a no-op), and a config or message given
/// as an array, which it reads as the struct's fields in order.
fn draft(body: &[u8], kind: DraftKind, cat: &Catalog) -> Result<AssistantDraft, ServerError> {
    // Before the value below, which would keep the last of two copies.
    refuse_duplicate_keys(body)?;
    // Read once as a value for the checks the typed parse cannot make;
    // malformed JSON is reported by the typed parse below.
    let value = serde_json::from_slice::<Value>(body).ok();
    if let Some(field) = value.as_ref().and_then(|v| {
        AssistantDraft::unknown_config_fields_in(v, cat)
            .into_iter()
            .next()
    }) {
        return Err(unknown_config_field(field, cat));
    }
    let draft: AssistantDraft = parse(body)?;
    let Some(Value::Object(fields)) = value else {
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
    validate_draft(&draft, kind, cat, Authority::Binding)?;
    // Validated after trimming, so stored that way: a name that differs only
    // in padding is the same name.
    let mut draft = draft;
    if let Some(name) = &mut draft.name {
        *name = name.trim().to_owned();
    }
    Ok(draft)
}

/// A config field the chosen provider does not take. A name the catalog
/// lists for another provider of the section is public, not a secret sent in
/// the wrong place, so its path is named however long it is; any other name
/// is left to the rule that repeats only what looks like an id.
fn unknown_config_field(field: UnknownField, cat: &Catalog) -> ServerError {
    let section = SectionId::ALL
        .into_iter()
        .find(|s| field.parent.as_deref() == Some(s.config_field()));
    if !section.is_some_and(|s| cat.any_provider_takes(s, &field.name)) {
        return unknown_field(field);
    }
    let param = field.path();
    ServerError::new(
        ErrorCode::UnknownField,
        format!(
            "The chosen provider does not take `{param}`; GET /api/v1/catalog lists the fields each provider takes."
        ),
    )
    .with_param(param)
}

fn with_etag(status: StatusCode, assistant: Assistant) -> Response {
    let revision = assistant.revision;
    let response = (status, Json(AssistantEnvelope { assistant })).into_response();
    tagged(response, revision)
}

fn tagged(mut response: Response, revision: Option<u64>) -> Response {
    // A quoted number is always a valid header value.
    if let Some(value) = revision.and_then(|r| HeaderValue::from_str(&format!("\"{r}\"")).ok()) {
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

#[utoipa::path(post, path = "/api/v1/assistants", tag = "assistants", operation_id = "create_assistant",
    security(("bearer" = [])),
    request_body = AssistantDraft,
    responses((status = 201, description = "Created, at revision 1", body = AssistantEnvelope,
               headers(("ETag" = String, description = "The revision, quoted: give it back as `If-Match`"))),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a failed rule; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody), (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    Authed(account): Authed,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let d = draft(&body, DraftKind::Create, &app.catalog)?;
    let now = crate::server::store::now_rfc3339();
    let mut extra = d.extra;
    // The hosted service answers every assistant with `is_active`.
    extra.entry("is_active").or_insert(Value::Bool(true));
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
        extra,
    };
    let saved = assistant.clone();
    let master = app.master.clone();
    // Checked on the writing connection, in line with every delete of an
    // MCP server, so none can go between the check and the insert.
    let refused = app
        .store
        .run(move |conn| {
            if let Some(e) = unknown_server_in(conn, &account, saved.llm_config.as_ref())? {
                return Ok(Some(e));
            }
            store::insert(conn, &master, &account, &saved)?;
            Ok(None)
        })
        .await?;
    if let Some(e) = refused {
        return Err(e.into());
    }
    Ok(with_etag(StatusCode::CREATED, assistant))
}

#[utoipa::path(get, path = "/api/v1/assistants", tag = "assistants", operation_id = "list_assistants",
    security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, description = "Page size, 1–500; with `offset`, adds `pagination`"),
           ("offset" = Option<u64>, Query, description = "Assistants to skip")),
    responses((status = 200, description = "Oldest first", body = AssistantList),
              (status = 400, description = "`limit` or `offset` out of range; `param` names it", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    Authed(account): Authed,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<AssistantList>> {
    let page = page(query.as_deref())?;
    let master = app.master.clone();
    let (assistants, total) = app
        .store
        .run(move |conn| {
            // One read transaction: the page and its total are of one moment.
            let tx = conn.transaction()?;
            let items = store::list(&tx, &master, &account, page)?;
            let total = if page.is_some() {
                store::count(&tx, &account)?
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

#[utoipa::path(get, path = "/api/v1/assistants/{id}", tag = "assistants", operation_id = "get_assistant",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id")),
    responses((status = 200, description = "The assistant", body = AssistantEnvelope,
               headers(("ETag" = String, description = "The revision, quoted: give it back as `If-Match`"))),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody), (status = 404, description = "No such assistant for this account", body = ApiErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
) -> ApiResult<Response> {
    let master = app.master.clone();
    let found = app
        .store
        .run(move |conn| store::get(conn, &master, &account, &id))
        .await?;
    let assistant = found.ok_or_else(|| ServerError::not_found("assistant"))?;
    Ok(with_etag(StatusCode::OK, assistant))
}

#[utoipa::path(patch, path = "/api/v1/assistants/{id}", tag = "assistants", operation_id = "update_assistant",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id"),
           ("If-Match" = Option<String>, Header, description = "The revision the change is based on, quoted (`\"3\"`, a list of those, or `*`); a weak tag (`W/\"3\"`) never matches")),
    request_body = AssistantDraft,
    responses((status = 200, description = "Updated; revision + 1, or the assistant as it was when nothing changed", body = AssistantEnvelope,
               headers(("ETag" = String, description = "The revision, quoted: give it back as `If-Match`"))),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field, a failed rule (`param` names the field) or a malformed If-Match", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody), (status = 404, description = "No such assistant for this account", body = ApiErrorBody),
              (status = 409, description = "A valid change that does not fit the stored assistant (`conflict`), e.g. a `tts_config` beside its realtime LLM; `param` names the field", body = ApiErrorBody),
              (status = 412, description = "The If-Match revision is stale; `ETag` is the current one", body = ApiErrorBody,
               headers(("ETag" = String, description = "The current revision, quoted"))),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> ApiResult<Response> {
    let changes = draft(&body, DraftKind::Update, &app.catalog)?;
    let cat = app.catalog.clone();
    let if_match = if_match_of(&headers)?;
    let master = app.master.clone();
    let outcome = app
        .store
        .run(move |conn| {
            if let Some(Some(config)) = &changes.llm_config
                && let Some(e) = unknown_server_in(conn, &account, Some(config))?
            {
                return Ok(Err(e));
            }
            let updated = store::update(
                conn,
                &master,
                &account,
                &id,
                |rev| admits(if_match.as_ref(), rev),
                |a| {
                    apply(a, changes);
                    validate_pairing(
                        a.llm_config.as_ref(),
                        a.tts_config.is_some(),
                        &cat,
                        Authority::Binding,
                    )
                },
            )?;
            Ok(Ok(updated))
        })
        .await?;
    let outcome = outcome.map_err(ServerError::from)?;
    match outcome {
        Update::Done(a) => Ok(with_etag(StatusCode::OK, *a)),
        Update::NotFound => Err(ServerError::not_found("assistant")),
        // The change passed on its own; it is what is stored that it does not fit.
        Update::Invalid(e) => Err(ServerError::from(e.with_code(ErrorCode::Conflict))),
        Update::Stale(current) => Ok(stale(current)),
    }
}

/// The current ETag lets the client tell how far behind it is.
fn stale(current: u64) -> Response {
    let refused = ServerError::new(
        ErrorCode::PreconditionFailed,
        "The assistant has changed since that revision; read it again and retry.",
    );
    tagged(refused.into_response(), Some(current))
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
    a.extra.extend(d.extra);
}

#[utoipa::path(delete, path = "/api/v1/assistants/{id}", tag = "assistants", operation_id = "delete_assistant",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The assistant's id"),
           ("If-Match" = Option<String>, Header, description = "The revision the delete is based on, as for PATCH; a weak tag never matches")),
    responses((status = 204, description = "Deleted"),
              (status = 400, description = "A malformed If-Match", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody), (status = 404, description = "No such assistant for this account", body = ApiErrorBody),
              (status = 412, description = "The If-Match revision is stale: nothing was deleted; `ETag` is the current one", body = ApiErrorBody,
               headers(("ETag" = String, description = "The current revision, quoted")))))]
pub async fn delete(
    State(app): State<AppState>,
    Authed(account): Authed,
    AssistantId(id): AssistantId,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let if_match = if_match_of(&headers)?;
    let outcome = app
        .store
        .run(move |conn| store::delete(conn, &account, &id, |rev| admits(if_match.as_ref(), rev)))
        .await?;
    match outcome {
        Deletion::Deleted => Ok(StatusCode::NO_CONTENT.into_response()),
        Deletion::NotFound => Err(ServerError::not_found("assistant")),
        Deletion::Stale(current) => Ok(stale(current)),
    }
}

//! `/api/v1/mcp-servers` (platform SDK 2.2): header values are sealed by the
//! vault as provider keys are, before they reach the store, and no answer
//! carries them, only their names.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use rusqlite::Connection;
use secrecy::SecretString;

use crate::domain::mcp::{
    CreateMcpServer, DEFAULT_TIMEOUT_SECONDS, McpHeaders, McpServer, McpServerEnvelope,
    McpServerList, UpdateMcpServer, mcp_server_ids, validate_name, validate_timeout, validate_url,
};
use crate::domain::{ApiErrorBody, Assistant, ErrorCode, FieldError, Success};
use crate::server::AppState;
use crate::server::auth::{Authed, KeyHolder};
use crate::server::body::JsonBody;
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::mcp_servers::{self as store, Headers};
use crate::server::store::{assistants, secrets::NewSecret};
use crate::server::vault::{self, MasterKey, SecretRef};

/// The `{id}` of the path: a uuid, or no server of this account.
pub struct McpServerId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for McpServerId {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ServerError> {
        let not_found = || ServerError::not_found("MCP server");
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        let id = uuid::Uuid::parse_str(&raw).map_err(|_| not_found())?;
        Ok(McpServerId(id.to_string()))
    }
}

/// The headers as one sealed value in the server's `secrets` slot; no
/// headers, no value.
fn seal_headers(
    master: &MasterKey,
    account_id: &str,
    server_id: &str,
    headers: &McpHeaders,
) -> Result<Headers, ServerError> {
    headers.validate()?;
    if headers.0.is_empty() {
        return Ok(Headers::None);
    }
    let slot = store::headers_slot(server_id);
    let id = uuid::Uuid::new_v4().to_string();
    let at = SecretRef {
        account_id,
        provider: &slot,
        secret_id: &id,
    };
    let plain = SecretString::from(serde_json::to_string(headers).map_err(ServerError::internal)?);
    let sealed = vault::seal(master, at, &plain).map_err(ServerError::internal)?;
    Ok(Headers::Sealed(NewSecret {
        id,
        provider: slot,
        sealed,
        key_hint: String::new(),
    }))
}

fn name_taken(name: &str) -> ServerError {
    ServerError::new(
        ErrorCode::Conflict,
        format!("Another MCP server is already named {name:?}."),
    )
    .with_param("name")
}

#[utoipa::path(get, path = "/api/v1/mcp-servers", tag = "mcp", operation_id = "list_mcp_servers",
    security(("bearer" = [])),
    responses((status = 200, description = "The account's MCP servers, oldest first; header values are never returned", body = McpServerList),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    holder: KeyHolder,
) -> ApiResult<Json<McpServerList>> {
    let mcp_servers = holder.read(&app, store::list).await?;
    Ok(Json(McpServerList { mcp_servers }))
}

#[utoipa::path(get, path = "/api/v1/mcp-servers/{id}", tag = "mcp", operation_id = "get_mcp_server",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The MCP server's id")),
    responses((status = 200, description = "The MCP server", body = McpServerEnvelope),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No such MCP server for this account", body = ApiErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    holder: KeyHolder,
    McpServerId(id): McpServerId,
) -> ApiResult<Json<McpServerEnvelope>> {
    let found = holder
        .read(&app, move |conn, account| store::get(conn, account, &id))
        .await?;
    let mcp_server = found.ok_or_else(|| ServerError::not_found("MCP server"))?;
    Ok(Json(McpServerEnvelope { mcp_server }))
}

#[utoipa::path(post, path = "/api/v1/mcp-servers", tag = "mcp", operation_id = "create_mcp_server",
    security(("bearer" = [])),
    request_body = CreateMcpServer,
    responses((status = 201, description = "Created; `header_names` lists the headers stored, never their values", body = McpServerEnvelope),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a failed rule (`url` is https://, or http:// to a loopback address only); `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 409, description = "Another MCP server of the account has that name, or `url` moves to another host without `headers` while headers are stored", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    Authed(account): Authed,
    JsonBody(req): JsonBody<CreateMcpServer>,
) -> ApiResult<Response> {
    let name = validate_name(&req.name)?;
    let (url, _host) = validate_url(&req.url)?;
    let timeout_seconds = validate_timeout(req.timeout_seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS))?;
    let id = uuid::Uuid::new_v4().to_string();
    let headers = req.headers.unwrap_or_default();
    let sealed = seal_headers(&app.master, &account, &id, &headers)?;
    let now = crate::server::store::now_rfc3339();
    let server = McpServer {
        id,
        name,
        url,
        transport: req.transport.unwrap_or_default(),
        header_names: headers.names(),
        timeout_seconds,
        created_at: now.clone(),
        updated_at: now,
    };
    let saved = server.clone();
    let stored = app
        .store
        .run(move |conn| {
            if store::name_taken(conn, &account, &saved.name, &saved.id)? {
                return Ok(false);
            }
            store::put(conn, &account, &saved, sealed)?;
            Ok(true)
        })
        .await?;
    if !stored {
        return Err(name_taken(&server.name));
    }
    tracing::info!(headers = server.header_names.len(), "stored an MCP server");
    let body = Json(McpServerEnvelope { mcp_server: server });
    Ok((StatusCode::CREATED, body).into_response())
}

/// Why an update is refused once the stored server is known.
enum Refused {
    NotFound,
    NameTaken(String),
    HeadersStayBehind,
}

#[utoipa::path(patch, path = "/api/v1/mcp-servers/{id}", tag = "mcp", operation_id = "update_mcp_server",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The MCP server's id")),
    request_body = UpdateMcpServer,
    responses((status = 200, description = "Updated; `headers` given replaces every stored header (`{}` removes them)", body = McpServerEnvelope),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a failed rule; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No such MCP server for this account", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 409, description = "Another MCP server of the account has that name, or `url` moves to another host without `headers` while headers are stored", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    Authed(account): Authed,
    McpServerId(id): McpServerId,
    JsonBody(req): JsonBody<UpdateMcpServer>,
) -> ApiResult<Json<McpServerEnvelope>> {
    let name = req.name.as_deref().map(validate_name).transpose()?;
    let url = req.url.as_deref().map(validate_url).transpose()?;
    let timeout = req.timeout_seconds.map(validate_timeout).transpose()?;
    let new_names = req.headers.as_ref().map(McpHeaders::names);
    let sealed = match &req.headers {
        Some(h) => seal_headers(&app.master, &account, &id, h)?,
        None => Headers::Keep,
    };
    let transport = req.transport;
    let outcome = app
        .store
        .run(move |conn| {
            let Some(mut server) = store::get(conn, &account, &id)? else {
                return Ok(Err(Refused::NotFound));
            };
            if let Some((url, host)) = url {
                let moved = validate_url(&server.url).map_or(true, |(_, old)| old != host);
                // Headers are credentials for one host: sent to another only
                // when the same call says so.
                // A conflict with what is stored (409), not a malformed
                // body: the same request is fine for a server without headers.
                if moved && new_names.is_none() && !server.header_names.is_empty() {
                    return Ok(Err(Refused::HeadersStayBehind));
                }
                server.url = url;
            }
            if let Some(name) = name {
                if store::name_taken(conn, &account, &name, &id)? {
                    return Ok(Err(Refused::NameTaken(name)));
                }
                server.name = name;
            }
            if let Some(t) = transport {
                server.transport = t;
            }
            if let Some(t) = timeout {
                server.timeout_seconds = t;
            }
            if let Some(names) = new_names {
                server.header_names = names;
            }
            server.updated_at = crate::server::store::now_rfc3339();
            store::put(conn, &account, &server, sealed)?;
            Ok(Ok(server))
        })
        .await?;
    match outcome {
        Ok(mcp_server) => Ok(Json(McpServerEnvelope { mcp_server })),
        Err(Refused::NotFound) => Err(ServerError::not_found("MCP server")),
        Err(Refused::NameTaken(name)) => Err(name_taken(&name)),
        Err(Refused::HeadersStayBehind) => Err(ServerError::new(
            ErrorCode::Conflict,
            "url moves to another host while headers are stored: send headers in the same call",
        )
        .with_param("headers")),
    }
}

/// The account's assistants whose `llm_config.tools` name `server_id`.
pub fn users_of(
    conn: &Connection,
    account_id: &str,
    server_id: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut users = Vec::new();
    assistants::each_sealed(conn, account_id, |a: &Assistant| {
        let Some(config) = a.llm_config.as_ref() else {
            return;
        };
        let config = serde_json::to_value(config).unwrap_or_default();
        if mcp_server_ids(&config)
            .iter()
            .any(|(_, id)| id == server_id)
        {
            users.push((a.id.clone(), a.name.clone()));
        }
    })?;
    Ok(users)
}

/// The 409 of a delete: which assistants still use the server, by name
/// and id, so the caller knows where to remove the tool.
fn in_use(users: &[(String, String)]) -> ServerError {
    let named: Vec<String> = users
        .iter()
        .map(|(id, name)| format!("{name:?} ({id})"))
        .collect();
    ServerError::new(
        ErrorCode::Conflict,
        format!(
            "The MCP server is used by {} assistant(s): {}. Remove its tool from their llm_config.tools first.",
            users.len(),
            named.join(", ")
        ),
    )
}

#[utoipa::path(delete, path = "/api/v1/mcp-servers/{id}", tag = "mcp", operation_id = "delete_mcp_server",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The MCP server's id")),
    responses((status = 200, description = "Deleted, with its headers", body = Success),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No such MCP server for this account", body = ApiErrorBody),
              (status = 409, description = "Assistants still use the server; the message names them", body = ApiErrorBody)))]
pub async fn delete(
    State(app): State<AppState>,
    Authed(account): Authed,
    McpServerId(id): McpServerId,
) -> ApiResult<Json<Success>> {
    let outcome = app
        .store
        .run(move |conn| {
            let users = users_of(conn, &account, &id)?;
            if !users.is_empty() {
                return Ok(Err(users));
            }
            Ok(Ok(store::delete(conn, &account, &id)?))
        })
        .await?;
    match outcome {
        Ok(true) => Ok(Json(Success { success: true })),
        Ok(false) => Err(ServerError::not_found("MCP server")),
        Err(users) => Err(in_use(&users)),
    }
}

/// The first MCP tool of `llm_config` naming no server of the account, as
/// the error for its path: an assistant cannot use a server it cannot
/// reach, or another account's.
pub fn unknown_server_in(
    conn: &Connection,
    account_id: &str,
    llm_config: Option<&crate::domain::LlmConfig>,
) -> anyhow::Result<Option<FieldError>> {
    let Some(config) = llm_config else {
        return Ok(None);
    };
    for (i, id) in mcp_server_ids(&serde_json::to_value(config)?) {
        let exists = uuid::Uuid::parse_str(&id).is_ok_and(|u| u.to_string() == id)
            && store::get(conn, account_id, &id)?.is_some();
        if !exists {
            let named = crate::domain::quoted(&id).unwrap_or_else(|| "that id".to_owned());
            return Ok(Some(FieldError::new(
                format!("llm_config.tools[{i}].mcp_server_id"),
                format!(
                    "no MCP server {named} in this account; GET /api/v1/mcp-servers lists them"
                ),
            )));
        }
    }
    Ok(None)
}

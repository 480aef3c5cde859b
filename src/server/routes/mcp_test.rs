//! `POST /api/v1/mcp-servers/{id}/test`: the stored server reached from
//! here with its headers (opened by the vault for this call only, merged
//! with any given in the body, which are not stored); a server that cannot
//! be reached is an answer with `ok: false`, not an error.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use secrecy::ExposeSecret;

use crate::checks::mcp::test_server;
use crate::domain::ApiErrorBody;
use crate::domain::mcp::{McpHeaders, McpTestRequest, McpTestResult};
use crate::server::AppState;
use crate::server::auth::Authed;
use crate::server::body::{RawBody, parse};
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::mcp_servers as store;
use crate::server::vault::{self, SecretRef};

use super::mcp::McpServerId;

#[utoipa::path(post, path = "/api/v1/mcp-servers/{id}/test", tag = "mcp", operation_id = "test_mcp_server",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The MCP server's id")),
    request_body(content = Option<McpTestRequest>, description = "Empty, or headers merged over the stored ones for this test only"),
    responses((status = 200, description = "`initialize` and `tools/list` tried within the server's `timeout_seconds`: `{ok: true, duration_ms, tools}` or `{ok: false, duration_ms, error}`; never holds a header value", body = McpTestResult),
              (status = 400, description = "Malformed JSON, an unknown field or a failed rule; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No such MCP server for this account", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn test(
    State(app): State<AppState>,
    Authed(account): Authed,
    McpServerId(id): McpServerId,
    RawBody(body): RawBody,
) -> ApiResult<Json<McpTestResult>> {
    let given = if body.iter().all(u8::is_ascii_whitespace) {
        McpTestRequest::default()
    } else {
        parse::<McpTestRequest>(&body)?
    };
    if let Some(h) = &given.headers {
        h.validate()?;
    }
    let owner = account.clone();
    let found = app
        .store
        .read(move |conn| {
            let Some(server) = store::get(conn, &owner, &id)? else {
                return Ok(None);
            };
            let sealed = store::sealed_headers(conn, &owner, &id)?;
            Ok(Some((server, sealed)))
        })
        .await?;
    let Some((server, sealed)) = found else {
        return Err(ServerError::not_found("MCP server"));
    };
    let mut headers = McpHeaders::default();
    if let Some(stored) = sealed {
        let at = SecretRef {
            account_id: &account,
            provider: &stored.provider,
            secret_id: &stored.id,
        };
        let plain = vault::open(&app.master, at, &stored.sealed).map_err(ServerError::internal)?;
        headers = serde_json::from_str(plain.expose_secret()).map_err(ServerError::internal)?;
    }
    for (name, value) in given.headers.unwrap_or_default().0 {
        headers.0.retain(|k, _| !k.eq_ignore_ascii_case(&name));
        headers.0.insert(name, value);
    }
    let timeout = Duration::from_secs(u64::from(server.timeout_seconds));
    let result = test_server(&server.url, server.transport, &headers, timeout).await;
    drop(headers);
    tracing::info!(
        ok = result.ok,
        tools = result.tools.as_ref().map_or(0, Vec::len),
        "tested an MCP server"
    );
    Ok(Json(result))
}

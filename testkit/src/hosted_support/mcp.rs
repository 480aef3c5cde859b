//! The hosted `/mcp-servers` as the SDK 2.2 describes them: `https://`
//! only (this stand-in also takes loopback `http://`, where its tests'
//! MCP servers are), header values kept and never answered, DELETE 409
//! while an assistant's `llm_config.tools` names the server, and `test`
//! a real `initialize` and `tools/list`.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::SecretString;
use serde_json::{Value, json};
use voicedock::checks::mcp::test_server;
use voicedock::domain::mcp::{McpHeaders, McpTransport, mcp_server_ids};

use super::{Shared, flat, refused};

pub struct HostedMcp {
    pub server: Value,
    pub headers: BTreeMap<String, String>,
}

fn headers_of(body: &Value) -> Option<BTreeMap<String, String>> {
    let map = body.get("headers")?.as_object()?;
    Some(
        map.iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect(),
    )
}

fn url_allowed(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://127.0.0.1:")
}

pub async fn list(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let state = s.lock().unwrap();
    let servers: Vec<&Value> = state.mcp_servers.iter().map(|m| &m.server).collect();
    Json(json!({"mcp_servers": servers})).into_response()
}

pub async fn create(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let url = body["url"].as_str().unwrap_or_default();
    if !url_allowed(url) || body["name"].as_str().is_none_or(str::is_empty) {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Validation failed",
            &["url must use https://"],
        );
    }
    let mut state = s.lock().unwrap();
    state.next += 1;
    let sent = headers_of(&body).unwrap_or_default();
    let server = json!({
        "id": format!("00000000-0000-4000-8000-{:012}", state.next),
        "name": body["name"],
        "url": url,
        "transport": body.get("transport").cloned().unwrap_or(json!("streamable_http")),
        "header_names": sent.keys().collect::<Vec<_>>(),
        "timeout_seconds": body.get("timeout_seconds").cloned().unwrap_or(json!(20)),
        "created_at": "2026-12-01T10:00:00Z",
        "updated_at": "2026-12-01T10:00:00Z",
    });
    state.mcp_servers.push(HostedMcp {
        server: server.clone(),
        headers: sent,
    });
    (StatusCode::CREATED, Json(json!({"mcp_server": server}))).into_response()
}

pub async fn remove(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    let users: Vec<String> = state
        .assistants
        .iter()
        .filter(|a| {
            mcp_server_ids(&a["llm_config"])
                .iter()
                .any(|(_, used)| *used == id)
        })
        .map(|a| a["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    if !users.is_empty() {
        let detail = format!("used by: {}", users.join(", "));
        return flat(
            StatusCode::CONFLICT,
            "Conflict",
            "MCP server is in use by assistants",
            &[&detail],
        );
    }
    let before = state.mcp_servers.len();
    state.mcp_servers.retain(|m| m.server["id"] != id.as_str());
    if state.mcp_servers.len() == before {
        return flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "MCP server not found",
            &[],
        );
    }
    Json(json!({"success": true})).into_response()
}

pub async fn test(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let found = {
        let state = s.lock().unwrap();
        state
            .mcp_servers
            .iter()
            .find(|m| m.server["id"] == id.as_str())
            .map(|m| (m.server.clone(), m.headers.clone()))
    };
    let Some((server, sent)) = found else {
        return flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "MCP server not found",
            &[],
        );
    };
    let headers = McpHeaders(
        sent.into_iter()
            .map(|(k, v)| (k, SecretString::from(v)))
            .collect(),
    );
    let transport =
        McpTransport::parse(server["transport"].as_str().unwrap_or_default()).unwrap_or_default();
    let timeout = Duration::from_secs(server["timeout_seconds"].as_u64().unwrap_or(20));
    let url = server["url"].as_str().unwrap_or_default();
    Json(test_server(url, transport, &headers, timeout).await).into_response()
}

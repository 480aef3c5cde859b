//! A stand-in for the hosted service on loopback, answering as its SDK types
//! and documentation show: flat errors (`{"error", "message", "details"}`),
//! no `/catalog`, only `POST /byok/config` (settings merged, so `GET` is 405), a POST to
//! `/byok` that answers an empty `byok_keys`, assistants with every hosted
//! field and no revision or ETag, deletes answering `{"success": true}`.
//! MCP servers as SDK 2.2 shows them are in `mcp.rs`. It keeps state, so a
//! workflow can be followed through it.

mod mcp;

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

mod calls;
pub mod fields_2_2;
mod organizations;

pub use calls::{seeded_calls, seeded_numbers};
pub use organizations::HOSTED_ORG_ID;

pub const HOSTED_KEY: &str = "fl_test_0123456789abcdefABCDEF";

/// The secrets the hosted `GET /byok` lists, in its order.
pub use crate::PROVIDERS as SECRETS;

#[derive(Default)]
pub struct Hosted {
    pub keys: Map<String, Value>,
    /// Each provider's settings as merged by `POST /byok/config`.
    pub settings: Map<String, Value>,
    pub assistants: Vec<Value>,
    /// Every request body the stand-in received, for checks on what was sent.
    pub bodies: Vec<(String, String, Value)>,
    /// When set, creating an assistant answers 402 (no credits left).
    pub out_of_credits: bool,
    /// When set, a saved `llm_config.temperature` above it is kept at it: a
    /// service that stores less than it accepts, for the checks that a
    /// client says what was not kept.
    pub temperature_kept_at_most: Option<f64>,
    /// The organization's calls in progress, as its header shows them.
    pub active_calls: u64,
    /// Child organizations as `GET /organizations?include_children=true`
    /// lists them.
    pub children: Vec<Value>,
    /// The keys the creates answered, for checks that none is shown.
    pub child_keys: Vec<String>,
    /// Content and metadata retention in days, unset until patched.
    pub retention: (Option<u64>, Option<u64>),
    pub mcp_servers: Vec<mcp::HostedMcp>,
    /// The account's calls, newest first (`seeded_calls` at start).
    pub calls: Vec<Value>,
    /// Its phone numbers (`seeded_numbers` at start).
    pub numbers: Vec<Value>,
    next: u64,
}

pub type Shared = Arc<Mutex<Hosted>>;

fn flat(status: StatusCode, error: &str, message: &str, details: &[&str]) -> Response {
    let mut body = json!({"error": error, "message": message});
    if !details.is_empty() {
        body["details"] = json!(details);
    }
    (status, Json(body)).into_response()
}

/// The 401 for a request without the stand-in's key; `None` lets it through.
fn refused(headers: &HeaderMap) -> Option<Response> {
    let expected = format!("Bearer {HOSTED_KEY}");
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some(v) if v == expected => None,
        _ => Some(flat(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Invalid or missing API key",
            &[],
        )),
    }
}

fn byok_keys(state: &Hosted) -> Value {
    let mut keys = Map::new();
    for p in SECRETS {
        let id = state.keys.get(p).cloned().unwrap_or(Value::Null);
        keys.insert(format!("{p}_secret_id"), id);
    }
    Value::Object(keys)
}

/// Starts the stand-in on 127.0.0.1 and returns its origin and its state.
pub async fn start() -> (String, Shared) {
    let state: Shared = Arc::new(Mutex::new(Hosted {
        calls: calls::seeded_calls(),
        numbers: calls::seeded_numbers(),
        ..Hosted::default()
    }));
    let app = Router::new()
        .route("/api/v1/health", get(|| async {
            Json(json!({"status": "ok", "timestamp": "2026-12-01T10:00:00Z", "version": "2.4.0", "checks": {"database": "ok"}}))
        }))
        .route(
            "/api/v1/organizations",
            get(organizations::get)
                .post(organizations::create)
                .patch(organizations::update),
        )
        .route("/api/v1/byok", get(get_byok).post(set_key).delete(delete_key))
        .route("/api/v1/byok/config", post(set_settings))
        .route("/api/v1/assistants", get(list).post(create))
        .route(
            "/api/v1/assistants/{id}",
            get(read).patch(update).delete(remove),
        )
        .route("/api/v1/mcp-servers", get(mcp::list).post(mcp::create))
        .route("/api/v1/mcp-servers/{id}", axum::routing::delete(mcp::remove))
        .route("/api/v1/mcp-servers/{id}/test", post(mcp::test))
        .route("/api/v1/calls", get(calls::list))
        .route("/api/v1/calls/{id}", get(calls::read))
        .route("/api/v1/numbers", get(calls::numbers))
        .fallback(|| async {
            flat(StatusCode::NOT_FOUND, "Not Found", "Route not found", &[])
        })
        .method_not_allowed_fallback(|| async {
            flat(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed", "Method not allowed", &[])
        })
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

async fn get_byok(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    Json(json!({"byok_keys": byok_keys(&s.lock().unwrap())})).into_response()
}

async fn set_key(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    state.bodies.push((
        "POST".into(),
        "/byok".into(),
        json!({"provider": body["provider"]}),
    ));
    let Some(provider) = body["provider"].as_str().filter(|p| SECRETS.contains(p)) else {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Invalid provider",
            &["provider must be one of the supported providers"],
        );
    };
    if body["api_key"].as_str().is_none_or(str::is_empty) {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Validation failed",
            &["api_key is required"],
        );
    }
    state.next += 1;
    let id = format!("vault-id-{}", state.next);
    state.keys.insert(provider.to_owned(), Value::String(id));
    // As the documented example: the map comes back empty after a POST.
    Json(json!({"success": true, "byok_keys": {}})).into_response()
}

/// As the platform (SDK 2.2): a stored key first (404 otherwise), the
/// settings merged shallowly, the provider's merged settings answered under
/// `byok_config`; there is no way to read them otherwise.
async fn set_settings(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    state
        .bodies
        .push(("POST".into(), "/byok/config".into(), body.clone()));
    let Some(provider) = body["provider"].as_str().filter(|p| SECRETS.contains(p)) else {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Invalid provider",
            &["provider must be one of the supported providers"],
        );
    };
    let Some(update) = body["config"].as_object() else {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Validation failed",
            &["config must be an object"],
        );
    };
    if !state.keys.contains_key(provider) {
        return flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "No BYOK key configured for this provider",
            &[],
        );
    }
    let merged = state
        .settings
        .entry(provider.to_owned())
        .or_insert_with(|| json!({}));
    for (name, value) in update {
        merged[name] = value.clone();
    }
    let answer = json!({"byok_config": {provider: merged.clone()}});
    Json(answer).into_response()
}

async fn delete_key(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    if let Some(p) = body["provider"].as_str() {
        state.keys.remove(p);
    }
    Json(json!({"success": true, "byok_keys": byok_keys(&state)})).into_response()
}

async fn list(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    Json(json!({"assistants": s.lock().unwrap().assistants})).into_response()
}

/// A temperature above the most kept is stored as that most.
fn keep_within(most: Option<f64>, assistant: &mut Map<String, Value>) {
    let Some(most) = most else {
        return;
    };
    if let Some(t) = assistant
        .get_mut("llm_config")
        .and_then(|c| c.get_mut("temperature"))
        .filter(|t| t.as_f64().is_some_and(|t| t > most))
    {
        *t = json!(most);
    }
}

/// Every hosted field, with the defaults the hosted service fills in.
fn hosted_defaults() -> Map<String, Value> {
    let Value::Object(map) = json!({
        "business_name": null, "notification_email": null, "first_message": null,
        "is_active": true, "max_duration_seconds": null, "autonomous_silence_handling": false,
        "silence_timeout_seconds": 30, "voicemail_detection": null, "voicemail_message": null,
        "gdpr_mode": false, "webhook_url": null, "webhook_secret": null, "webhook_events": null,
        "analysis_plan": null, "speech_config": null, "recording_consent": null,
        "notification_emails": null,
        "stt_config": {"provider": "deepgram", "model": "nova-3", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-5.4"},
        "tts_config": {"provider": "elevenlabs", "voice_id": "21m00Tcm4TlvDq8ikWAM"}
    }) else {
        unreachable!()
    };
    map
}

async fn create(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    state
        .bodies
        .push(("POST".into(), "/assistants".into(), body.clone()));
    if state.out_of_credits {
        return flat(
            StatusCode::PAYMENT_REQUIRED,
            "Payment Required",
            "Insufficient credits",
            &["minutes_balance is 0"],
        );
    }
    if body["name"].as_str().is_none_or(|n| n.trim().is_empty()) {
        return flat(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            "Validation failed",
            &["name is required"],
        );
    }
    state.next += 1;
    let mut a = hosted_defaults();
    if let Value::Object(given) = body {
        a.extend(given);
    }
    a.insert("id".into(), json!(format!("asst_{}", state.next)));
    a.insert("created_at".into(), json!("2026-12-01T10:00:00Z"));
    a.insert("updated_at".into(), json!("2026-12-01T10:00:00Z"));
    keep_within(state.temperature_kept_at_most, &mut a);
    let a = Value::Object(a);
    state.assistants.push(a.clone());
    (StatusCode::CREATED, Json(json!({"assistant": a}))).into_response()
}

async fn read(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let state = s.lock().unwrap();
    match state.assistants.iter().find(|a| a["id"] == id.as_str()) {
        Some(a) => Json(json!({"assistant": a})).into_response(),
        None => flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "Assistant not found",
            &[],
        ),
    }
}

async fn update(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    let most = state.temperature_kept_at_most;
    state
        .bodies
        .push(("PATCH".into(), format!("/assistants/{id}"), body.clone()));
    for config in ["stt_config", "llm_config"] {
        if body.get(config).is_some_and(Value::is_null) {
            return flat(
                StatusCode::BAD_REQUEST,
                "Bad Request",
                "Validation failed",
                &["only tts_config may be null"],
            );
        }
    }
    let Some(a) = state.assistants.iter_mut().find(|a| a["id"] == id.as_str()) else {
        return flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "Assistant not found",
            &[],
        );
    };
    if let (Value::Object(a), Value::Object(given)) = (&mut *a, body) {
        a.extend(given);
        a.insert("updated_at".into(), json!("2026-12-01T11:00:00Z"));
        keep_within(most, a);
    }
    Json(json!({"assistant": a})).into_response()
}

async fn remove(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    let before = state.assistants.len();
    state.assistants.retain(|a| a["id"] != id.as_str());
    if state.assistants.len() == before {
        return flat(
            StatusCode::NOT_FOUND,
            "Not Found",
            "Assistant not found",
            &[],
        );
    }
    Json(json!({"success": true})).into_response()
}

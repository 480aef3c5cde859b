//! The hosted `/organizations`: the key's organization with its balances
//! and counters, `?include_children=true`, child organizations made with
//! their own key (answered once) and retention, refused as the platform
//! does (flat errors with `details`).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Hosted, Shared, flat, refused};

pub const HOSTED_ORG_ID: &str = "org_7f3a";

pub async fn get(State(s): State<Shared>, headers: HeaderMap, RawQuery(q): RawQuery) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let include = q
        .as_deref()
        .unwrap_or("")
        .split('&')
        .any(|p| p == "include_children=true");
    Json(body_of(&s.lock().unwrap(), include)).into_response()
}

fn body_of(state: &Hosted, include_children: bool) -> Value {
    let mut org = json!({"id": HOSTED_ORG_ID, "name": "Hosted Org", "minutes_balance": 120.5,
        "monthly_usage_minutes": 42.0, "active_calls": state.active_calls,
        "parent_org_id": null, "created_at": "2026-01-05T09:00:00Z",
        "content_retention_days": state.retention.0, "metadata_retention_days": state.retention.1});
    if include_children {
        org["children"] = json!(state.children);
    }
    org
}

pub async fn create(
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
        .push(("POST".into(), "/organizations".into(), body.clone()));
    let Some(name) = body["name"].as_str().filter(|n| !n.trim().is_empty()) else {
        return flat(
            StatusCode::BAD_REQUEST,
            "Validation Error",
            "Invalid request body",
            &["name: Required"],
        );
    };
    match body.get("parent_org_id") {
        None | Some(Value::Null) => {}
        Some(p) if p == HOSTED_ORG_ID => {}
        Some(_) => {
            return flat(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "You do not have access to this organization",
                &[],
            );
        }
    }
    state.next += 1;
    let id = format!("org_child_{}", state.next);
    let created_at = "2026-12-01T10:00:00Z";
    state
        .children
        .push(json!({"id": id, "name": name, "created_at": created_at}));
    let key = format!("fl_live_child{}SecretKeyMaterial0123456789", state.next);
    state.child_keys.push(key.clone());
    (
        StatusCode::CREATED,
        Json(
            json!({"id": id, "name": name, "parent_org_id": HOSTED_ORG_ID,
        "api_key": key, "created_at": created_at}),
        ),
    )
        .into_response()
}

pub async fn update(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let mut state = s.lock().unwrap();
    let content = body.get("content_retention_days").and_then(Value::as_u64);
    let metadata = body.get("metadata_retention_days").and_then(Value::as_u64);
    if content.is_some_and(|d| ![30, 90, 180, 365].contains(&d)) {
        return flat(
            StatusCode::BAD_REQUEST,
            "Validation Error",
            "Invalid request body",
            &["content_retention_days: must be one of 30, 90, 180, 365"],
        );
    }
    if metadata.is_some_and(|d| ![30, 90, 180, 365, 730].contains(&d)) {
        return flat(
            StatusCode::BAD_REQUEST,
            "Validation Error",
            "Invalid request body",
            &["metadata_retention_days: must be one of 30, 90, 180, 365, 730"],
        );
    }
    let content = content.or(state.retention.0);
    let metadata = metadata.or(state.retention.1);
    if let (Some(c), Some(m)) = (content, metadata)
        && c > m
    {
        return flat(
            StatusCode::BAD_REQUEST,
            "Validation Error",
            "Invalid request body",
            &["content_retention_days: cannot exceed metadata_retention_days"],
        );
    }
    state.retention = (content, metadata);
    Json(body_of(&state, false)).into_response()
}

//! The hosted `/calls` and `/numbers`: a few seeded calls with the SDK's
//! shapes (one `ended-with-error` naming ElevenLabs), filtered by status
//! and date and paged as `GET /calls` documents, and the account's numbers
//! as `{numbers: [...]}`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{Shared, flat, refused};

/// The calls the stand-in starts with, newest first.
pub fn seeded_calls() -> Vec<Value> {
    vec![
        json!({"id": "call_live", "caller_phone": "+31612340003", "assistant_phone": "+31208765432",
            "status": "in-progress", "direction": "inbound", "started_at": "2026-12-07T10:00:00Z",
            "room_name": "room_live", "agent_id": "asst_h1", "number_id": "num_1",
            "agent_name": "Front Desk", "business_name": "Hosted Org", "phone_number": "+31208765432",
            "created_at": "2026-12-07T10:00:00Z", "updated_at": "2026-12-07T10:00:05Z"}),
        json!({"id": "call_err", "caller_phone": "+31612340002", "assistant_phone": "+31208765432",
            "status": "ended-with-error", "direction": "inbound", "end_reason": "pipeline-error",
            "error": "ElevenLabs TTS failed: 401 invalid_api_key", "started_at": "2026-12-05T09:00:00Z",
            "ended_at": "2026-12-05T09:00:04Z", "duration_seconds": 4,
            "messages": [{"role": "assistant", "content": "Hello, this is the front desk."}],
            "room_name": "room_err", "agent_id": "asst_h1", "number_id": "num_1",
            "agent_name": "Front Desk", "business_name": "Hosted Org", "phone_number": "+31208765432",
            "created_at": "2026-12-05T09:00:00Z", "updated_at": "2026-12-05T09:00:04Z"}),
        json!({"id": "call_ok", "caller_phone": "+31612340001", "assistant_phone": "+31208765432",
            "status": "ended", "direction": "outbound", "end_reason": "customer-ended-call",
            "started_at": "2026-12-03T08:00:00Z", "ended_at": "2026-12-03T08:02:00Z",
            "duration_seconds": 120, "summary": "The caller booked a table for two.",
            "analysis_result": {"booked": true},
            "messages": [{"role": "assistant", "content": "Good morning!"},
                         {"role": "user", "content": "A table for two, please."}],
            "room_name": "room_ok", "recording_url": "https://recordings.hmsovereign.example/call_ok.mp3",
            "agent_id": "asst_h2", "number_id": "num_1", "agent_name": "Bookings",
            "business_name": "Hosted Org", "phone_number": "+31208765432",
            "created_at": "2026-12-03T08:00:00Z", "updated_at": "2026-12-03T08:02:00Z"}),
    ]
}

pub fn seeded_numbers() -> Vec<Value> {
    vec![
        json!({"id": "num_1", "phone_number": "+31208765432", "agent_id": "asst_h1",
        "agent_name": "Front Desk", "workflow_id": null, "workflow_name": null,
        "transfer_trunk_id": null, "source": "platform", "is_active": true,
        "created_at": "2026-11-01T09:00:00Z"}),
    ]
}

fn bad(param: &str, message: &str) -> Response {
    flat(
        StatusCode::BAD_REQUEST,
        "Validation failed",
        message,
        &[param],
    )
}

/// A date as the bound it is, comparable with the calls' `...Z` times.
fn bound(value: &str, end: bool) -> Option<String> {
    let digits = value.bytes().filter(u8::is_ascii_digit).count();
    match value.len() {
        10 if digits == 8 => Some(format!(
            "{value}T{}Z",
            if end { "23:59:59" } else { "00:00:00" }
        )),
        20 if value.ends_with('Z') && digits == 14 => Some(value.to_owned()),
        _ => None,
    }
}

pub async fn list(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let (mut limit, mut offset) = (50_usize, 0_usize);
    let (mut status, mut since, mut until) = (None, None, None);
    for (name, value) in &query {
        match name.as_str() {
            "limit" => match value.parse() {
                Ok(l) if (1..=100).contains(&l) => limit = l,
                _ => return bad("limit", "limit must be between 1 and 100"),
            },
            "offset" => match value.parse() {
                Ok(o) => offset = o,
                _ => return bad("offset", "offset must be a non-negative integer"),
            },
            "status" => status = Some(value.clone()),
            "start_date" => match bound(value, false) {
                Some(b) => since = Some(b),
                None => return bad("start_date", "start_date must be an ISO 8601 date"),
            },
            "end_date" => match bound(value, true) {
                Some(b) => until = Some(b),
                None => return bad("end_date", "end_date must be an ISO 8601 date"),
            },
            _ => {}
        }
    }
    let state = s.lock().unwrap();
    let matching: Vec<&Value> = state
        .calls
        .iter()
        .filter(|c| status.as_deref().is_none_or(|st| c["status"] == st))
        .filter(|c| {
            let at = c["created_at"].as_str().unwrap_or("");
            since.as_deref().is_none_or(|b| at >= b) && until.as_deref().is_none_or(|b| at <= b)
        })
        .collect();
    let page: Vec<&Value> = matching.iter().skip(offset).take(limit).copied().collect();
    Json(json!({"calls": page,
        "pagination": {"total": matching.len(), "limit": limit, "offset": offset}}))
    .into_response()
}

pub async fn read(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    let state = s.lock().unwrap();
    match state.calls.iter().find(|c| c["id"] == id.as_str()) {
        Some(call) => Json(call.clone()).into_response(),
        None => flat(StatusCode::NOT_FOUND, "Not Found", "Call not found", &[]),
    }
}

pub async fn numbers(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(e) = refused(&headers) {
        return e;
    }
    Json(json!({"numbers": s.lock().unwrap().numbers})).into_response()
}

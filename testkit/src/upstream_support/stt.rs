//! Deepgram and Gladia: the speech-to-text keys.

use serde_json::{Value, json};

use super::answers::{Documented, Refusal, credential, uuid};
use super::http::{Reply, Request};

pub const DEEPGRAM_PROJECT: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

fn deepgram_error(code: &str, message: &str, seed: &str) -> Value {
    json!({"err_code": code, "err_msg": message, "request_id": uuid(seed)})
}

/// `Authorization: Token KEY` (a key sent as `Bearer` is taken for a JWT
/// and refused). `GET /v1/auth/token`, `/v1/projects`,
/// `/v1/projects/{id}` and `/v1/projects/{id}/balances`. The `Limited` key
/// is a member key without the scope to list projects: 403
/// `INSUFFICIENT_PERMISSIONS` there, its own record still readable.
pub fn deepgram(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("deepgram", req.header("authorization"), "Token ");
    let project = json!({"project_id": DEEPGRAM_PROJECT, "name": "Voice agents"});
    let path = req.path();
    let forbidden = || {
        Reply::json(
            403,
            deepgram_error(
                "INSUFFICIENT_PERMISSIONS",
                "User does not have sufficient permissions.",
                path,
            ),
        )
    };
    let project_path = path.strip_prefix("/v1/projects/");
    let (valid, limited) = match (req.method.as_str(), path, project_path) {
        ("GET", "/v1/auth/token", _) => (
            Reply::json(
                200,
                json!({"api_key_id": uuid("deepgram key"), "comment": "voice agents",
                       "scopes": ["member"], "tags": [], "created": "2024-05-21T17:19:49.373761Z"}),
            ),
            None,
        ),
        ("GET", "/v1/projects", _) => (
            Reply::json(200, json!({"projects": [project]})),
            Some(forbidden()),
        ),
        ("GET", _, Some(rest)) => match rest.split_once('/') {
            Some((id, "balances")) if id == DEEPGRAM_PROJECT => (
                Reply::json(
                    200,
                    json!({"balances": [
                        {"balance_id": uuid("balance 1"), "amount": 187.25, "units": "usd",
                         "purchase_order_id": uuid("po 1")},
                        {"balance_id": uuid("balance 2"), "amount": 12.5, "units": "usd",
                         "purchase_order_id": uuid("po 2")}
                    ]}),
                ),
                Some(forbidden()),
            ),
            None if rest == DEEPGRAM_PROJECT => {
                (Reply::json(200, project.clone()), Some(forbidden()))
            }
            _ => (
                Reply::json(
                    404,
                    deepgram_error("PROJECT_NOT_FOUND", "Project not found.", path),
                ),
                None,
            ),
        },
        _ => (
            Reply::json(404, deepgram_error("NOT_FOUND", "Not found.", path)),
            None,
        ),
    };
    Documented {
        behaviour,
        refused: |_| {
            Reply::json(
                401,
                deepgram_error("INVALID_AUTH", "Invalid credentials.", "refused"),
            )
        },
        valid,
        limited,
        // The newer error shape, so both are met.
        server_error: Reply::json(
            500,
            json!({"category": "INTERNAL_SERVER_ERROR", "message": "Internal server error.",
                   "details": "An unexpected error occurred. Please try again later.",
                   "request_id": uuid("500")}),
        ),
        rate_limited: Reply::json(
            429,
            deepgram_error(
                "TOO_MANY_REQUESTS",
                "Too many requests. Please try again later.",
                "429",
            ),
        ),
    }
    .reply(refusal)
}

fn gladia_error(status: u16, path: &str, message: &str) -> Value {
    json!({"timestamp": "2026-01-12T09:30:00.000Z", "path": path,
           "request_id": format!("G-{}", &uuid(path)[..8]), "statusCode": status, "message": message})
}

/// `GET /v2/pre-recorded` (and the deprecated `/v2/transcription`, the same
/// list), `x-gladia-key: KEY`. Gladia keys carry no scopes: there is no
/// limited case, so a `Limited` key is answered as a valid one.
pub fn gladia(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("gladia", req.header("x-gladia-key"), "");
    let path = req.path().to_owned();
    let valid = if req.method == "GET"
        && (path == "/v2/pre-recorded" || path == "/v2/transcription")
    {
        let limit: usize = req
            .query("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(20);
        let offset: usize = req
            .query("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let item = json!({
            "id": "45463597-20b7-4af7-b3b3-f5fb778203ab", "request_id": "G-45463597", "version": 2,
            "status": "done", "created_at": "2023-12-28T09:04:17.210Z",
            "completed_at": "2023-12-28T09:04:37.210Z", "kind": "pre-recorded",
            "custom_metadata": {}, "error_code": null,
            "file": {"id": "f0e1d2c3-0000-4000-8000-000000000001", "filename": "call.wav",
                     "source": "https://example.com/call.wav", "audio_duration": 3600,
                     "number_of_channels": 1},
            "request_params": {"diarization": false}, "result": null
        });
        let items: Vec<Value> = [item].into_iter().skip(offset).take(limit).collect();
        let page = |at: usize| format!("https://api.gladia.io{path}?offset={at}&limit={limit}");
        Reply::json(
            200,
            json!({"first": page(0), "current": page(offset), "next": null, "items": items}),
        )
    } else {
        Reply::json(404, gladia_error(404, &path, &format!("Cannot GET {path}")))
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(
                401,
                gladia_error(401, "/v2/pre-recorded", "no gladia key provided"),
            ),
            Refusal::Unknown(_) => Reply::json(
                401,
                gladia_error(401, "/v2/pre-recorded", "gladia user not found"),
            ),
        },
        valid,
        limited: None,
        server_error: Reply::json(500, gladia_error(500, &path, "Internal server error")),
        rate_limited: Reply::json(429, gladia_error(429, &path, "Too many requests")),
    }
    .reply(refusal)
}

//! Inworld: the voices of the credential's workspace.

use serde_json::{Value, json};

use super::answers::{Documented, credential};
use super::http::{Reply, Request};

/// A voice cloned in the `Valid` key's workspace: a key of another
/// workspace (the `Limited` one) does not list it.
pub const INWORLD_CLONE: &str = "voicedock_standin__front_desk";

const INWORLD_SYSTEM: &[(&str, &str, &str)] = &[
    ("Alex", "male", "middle_aged"),
    ("Ashley", "female", "young"),
    ("Dennis", "male", "middle_aged"),
    ("Deborah", "female", "middle_aged"),
    ("Edward", "male", "young"),
    ("Olivia", "female", "young"),
];

fn inworld_error(status: u16, code: u32, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"code": code, "message": message, "details": []}),
    )
}

/// `Authorization: Basic CREDENTIAL`. `GET /voices/v1/voices` (`pageSize`,
/// `pageToken`) and the deprecated `GET /tts/v1/voices`. Errors are the
/// gRPC gateway's `{"code", "message", "details"}`.
pub fn inworld(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("inworld", req.header("authorization"), "Basic ");
    let voice = |(id, gender, age): (&str, &str, &str), source: &str| {
        json!({
            "name": format!("workspaces/inworld/voices/{id}"), "voiceId": id, "langCode": "EN_US",
            "displayName": id.split("__").last().unwrap_or(id).replace('_', " "),
            "description": format!("{id}, a {gender} voice"), "tags": [gender],
            "categories": ["companions"], "source": source, "gender": gender,
            "ageGroup": age, "promptLanguages": ["en-US"]
        })
    };
    let list = |with_clone: bool| {
        let mut all: Vec<Value> = INWORLD_SYSTEM.iter().map(|v| voice(*v, "SYSTEM")).collect();
        if with_clone {
            all.push(voice((INWORLD_CLONE, "female", "young"), "IVC"));
        }
        all
    };
    let (valid, limited) = match (req.method.as_str(), req.path()) {
        ("GET", "/voices/v1/voices") => {
            let page = |all: Vec<Value>| {
                let size = req
                    .query("pageSize")
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(20usize)
                    .max(1);
                let from = req
                    .query("pageToken")
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0usize);
                let total = all.len();
                let voices: Vec<Value> = all.into_iter().skip(from).take(size).collect();
                let next = (from + size < total).then(|| (from + size).to_string());
                let mut body = json!({"voices": voices, "totalSize": total});
                if let Some(next) = next {
                    body["nextPageToken"] = json!(next);
                }
                Reply::json(200, body)
            };
            (page(list(true)), Some(page(list(false))))
        }
        ("GET", "/tts/v1/voices") => {
            let old = |all: Vec<Value>| {
                let voices: Vec<Value> = all
                    .iter()
                    .map(|v| json!({"voiceId": v["voiceId"], "displayName": v["displayName"],
                                    "languages": ["en"], "description": v["description"], "tags": v["tags"]}))
                    .collect();
                Reply::json(200, json!({"voices": voices}))
            };
            (old(list(true)), Some(old(list(false))))
        }
        _ => (inworld_error(404, 5, "Not Found"), None),
    };
    Documented {
        behaviour,
        refused: |_| inworld_error(401, 16, "Unauthenticated: invalid credentials"),
        valid,
        limited,
        server_error: inworld_error(500, 13, "Internal error"),
        rate_limited: inworld_error(429, 8, "Resource exhausted: too many requests"),
    }
    .reply(refusal)
}

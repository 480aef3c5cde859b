//! ElevenLabs: the character quota and the Voice Library.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

use super::Behaviour;
use super::answers::{Documented, Refusal, credential};
use super::http::{Reply, Request};
use super::keys::filler;

/// ElevenLabs' documented page-size bounds for `GET /v2/voices`.
const DEFAULT_PAGE: usize = 10;
const MAX_PAGE: usize = 100;
const LIBRARY_SIZE: usize = 120;

/// Premade voices as ElevenLabs lists them, then voices of the user's own.
const PREMADE: &[(&str, &str)] = &[
    ("21m00Tcm4TlvDq8ikWAM", "Rachel"),
    ("pNInz6obpgDQGcFmaJgB", "Adam"),
    ("ErXwobaYiN019PkySvjV", "Antoni"),
    ("EXAVITQu4vr4xnSDxMaL", "Bella"),
    ("AZnzlk1XvdvUeBnXmlld", "Domi"),
    ("MF3mGyEYCl7XYWbV9V6O", "Elli"),
    ("TxGEqnHWrfWFTfGW9XjX", "Josh"),
    ("VR6AewLTigWG4xSOukaG", "Arnold"),
    ("yoZ06aMxZJJ28mfd3POQ", "Sam"),
];
const NAMES: &[&str] = &[
    "Narrator",
    "Receptionist",
    "Concierge",
    "Coach",
    "Storyteller",
    "Announcer",
];
const ACCENTS: &[&str] = &["american", "british", "australian", "irish", "german"];

/// The voices the ElevenLabs stand-in's Voice Library holds, in its order.
pub fn library() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = PREMADE
        .iter()
        .map(|(id, name)| ((*id).to_owned(), (*name).to_owned()))
        .collect();
    let mut i = 0;
    while all.len() < LIBRARY_SIZE {
        let id = filler(
            &format!("elevenlabs voice {i}"),
            20,
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        );
        all.push((
            id,
            format!("{} {}", NAMES[i % NAMES.len()], i / NAMES.len() + 1),
        ));
        i += 1;
    }
    all
}

/// Labels on every premade voice and every other one of the user's.
pub fn library_labels(index: usize) -> Option<Value> {
    let premade = index < PREMADE.len();
    (premade || index.is_multiple_of(2)).then(|| {
        json!({
            "accent": ACCENTS[index % ACCENTS.len()],
            "gender": if index.is_multiple_of(3) { "male" } else { "female" },
            "age": if index.is_multiple_of(4) { "middle_aged" } else { "young" },
        })
    })
}

fn library_voice(index: usize, id: &str, name: &str) -> Value {
    let category = if index < PREMADE.len() {
        "premade"
    } else if index.is_multiple_of(3) {
        "professional"
    } else {
        "cloned"
    };
    let mut voice = json!({
        "voice_id": id, "name": name, "category": category,
        "description": null,
        "preview_url": format!("https://storage.googleapis.com/eleven-public-prod/premade/voices/{id}/preview.mp3"),
        "created_at_unix": 1700000000 + index as u64,
        "is_owner": index >= PREMADE.len(),
        "verified_languages": []
    });
    if let Some(labels) = library_labels(index) {
        voice["labels"] = labels;
    } else {
        voice["labels"] = json!({});
    }
    voice
}

/// A page token as ElevenLabs hands them out: opaque, with characters that
/// must be percent-encoded in a query.
fn page_token(offset: usize) -> String {
    STANDARD.encode(format!(
        "{{\"offset\": {offset}, \"sort\": \"created_at_unix\"}}?"
    ))
}

fn offset_of(token: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(token).ok()?).ok()?;
    text.split("\"offset\": ")
        .nth(1)?
        .split(',')
        .next()?
        .parse()
        .ok()
}

fn eleven_error(status: &str, message: &str) -> Value {
    json!({"detail": {"status": status, "message": message}})
}

fn missing_permission(permission: &str) -> Reply {
    Reply::json(
        401,
        json!({"detail": {
            "type": "authentication_error", "code": "unauthorized",
            "message": format!("The API key you used is missing the permission {permission} to execute this operation."),
            "status": "missing_permissions"
        }}),
    )
}

/// `xi-api-key: KEY`. `GET /v1/user/subscription`, `GET /v2/voices`
/// (`page_size` up to 100, `next_page_token`) and the older unpaged
/// `GET /v1/voices`. The `Limited` key has used up its characters and may
/// not read voices (`missing_permissions`, `voices_read`).
pub fn elevenlabs(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("elevenlabs", req.header("xi-api-key"), "");
    let used_up = behaviour == Some(Behaviour::Limited);
    let (valid, limited) = match (req.method.as_str(), req.path()) {
        ("GET", "/v1/user/subscription") => {
            let limit = 121_000;
            let count = if used_up { limit } else { 31_250 };
            let body = json!({
                "tier": "creator", "character_count": count, "character_limit": limit,
                "max_character_limit_extension": 0, "can_extend_character_limit": true,
                "allowed_to_extend_character_limit": true,
                "next_character_count_reset_unix": 1738356858, "voice_slots_used": 111,
                "professional_voice_slots_used": 37, "voice_limit": 160,
                "professional_voice_limit": 1, "can_extend_voice_limit": false,
                "can_use_instant_voice_cloning": true, "can_use_professional_voice_cloning": true,
                "currency": "usd", "status": "active", "billing_period": "monthly_period",
                "character_refresh_period": "monthly_period",
                "current_overage": {"amount": "0", "currency": "usd"},
                "open_invoices": [], "has_open_invoices": false
            });
            (Reply::json(200, body), None)
        }
        ("GET", "/v2/voices") => {
            let size = req
                .query("page_size")
                .and_then(|s| s.parse::<usize>().ok())
                .unwrap_or(DEFAULT_PAGE)
                .clamp(1, MAX_PAGE);
            let offset = match req.query("next_page_token") {
                None => Some(0),
                Some(t) => offset_of(&t),
            };
            let Some(offset) = offset else {
                return Reply::json(
                    400,
                    eleven_error("invalid_page_token", "The next_page_token is not valid."),
                );
            };
            let all = library();
            let page: Vec<Value> = all
                .iter()
                .enumerate()
                .skip(offset)
                .take(size)
                .map(|(i, (id, name))| library_voice(i, id, name))
                .collect();
            let more = offset + size < all.len();
            let body = json!({
                "voices": page, "has_more": more, "total_count": all.len(),
                "next_page_token": if more { Value::from(page_token(offset + size)) } else { Value::Null }
            });
            (
                Reply::json(200, body),
                Some(missing_permission("voices_read")),
            )
        }
        ("GET", "/v1/voices") => {
            let voices: Vec<Value> = library()
                .iter()
                .enumerate()
                .map(|(i, (id, name))| library_voice(i, id, name))
                .collect();
            (
                Reply::json(200, json!({"voices": voices})),
                Some(missing_permission("voices_read")),
            )
        }
        _ => (Reply::json(404, json!({"detail": "Not Found"})), None),
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(401, eleven_error(
                "needs_authorization",
                "Neither authorization header nor xi-api-key received, please provide one.",
            )),
            Refusal::Unknown(_) => Reply::json(401, eleven_error("invalid_api_key", "Invalid API key")),
        },
        valid,
        limited,
        server_error: Reply::json(500, eleven_error("internal_server_error", "An internal server error occurred. Please try again later.")),
        rate_limited: Reply::json(429, eleven_error(
            "too_many_concurrent_requests",
            "Too many concurrent requests for your subscription. Your current subscription is associated with a maximum of 5 concurrent requests.",
        )),
    }
    .reply(refusal)
}

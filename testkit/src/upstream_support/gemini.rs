//! The Gemini API (an AI Studio key): `GET /v1beta/models`.

use serde_json::{Value, json};

use super::answers::{Documented, Refusal, credential};
use super::http::{Reply, Request};

pub const GEMINI_MODELS: &[&str] = &[
    "gemini-3.5-flash",
    "gemini-3.5-flash-lite",
    "gemini-2.5-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.5-pro",
    "gemini-3.1-flash-live-preview",
    "gemini-3.8-live",
    "gemini-2.5-flash-native-audio-preview-12-2025",
    "gemini-3.1-flash-tts-preview",
    "gemini-2.5-flash-preview-tts",
    "gemini-2.5-pro-preview-tts",
    "text-embedding-004",
];

fn google_error(code: u16, status: &str, message: &str, details: Value) -> Value {
    json!({"error": {"code": code, "message": message, "status": status, "details": details}})
}

/// `GET /v1beta/models`, the key in `x-goog-api-key` (or `?key=`, which
/// Google also takes). The `Limited` key's project has the Generative
/// Language API disabled: 403 `SERVICE_DISABLED`.
pub fn google(req: &Request) -> Reply {
    let presented = req
        .header("x-goog-api-key")
        .map(str::to_owned)
        .or_else(|| req.query("key"));
    let (behaviour, refusal) = credential("google", presented.as_deref(), "");
    let valid = if req.method == "GET" && req.path() == "/v1beta/models" {
        let models: Vec<Value> = GEMINI_MODELS
            .iter()
            .map(|id| {
                json!({
                    "name": format!("models/{id}"), "version": "001",
                    "displayName": id.replace('-', " "),
                    "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                    "supportedGenerationMethods": ["generateContent", "countTokens"],
                    "temperature": 1, "maxTemperature": 2, "topP": 0.95, "topK": 64
                })
            })
            .collect();
        Reply::json(200, json!({"models": models}))
    } else {
        Reply::json(
            404,
            google_error(
                404,
                "NOT_FOUND",
                "Requested entity was not found.",
                json!([]),
            ),
        )
    };
    let info = |reason: &str, extra: Value| {
        let mut d = json!({"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason,
                           "domain": "googleapis.com",
                           "metadata": {"service": "generativelanguage.googleapis.com"}});
        if let (Some(meta), Some(more)) = (d["metadata"].as_object_mut(), extra.as_object()) {
            meta.extend(more.clone());
        }
        d
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => Reply::json(403, google_error(403, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
                json!([]))),
            Refusal::Unknown(_) => Reply::json(400, google_error(400, "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                json!([
                    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                     "domain": "googleapis.com", "metadata": {"service": "generativelanguage.googleapis.com"}},
                    {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                     "message": "API key not valid. Please pass a valid API key."}
                ]))),
        },
        valid,
        limited: Some(Reply::json(403, google_error(403, "PERMISSION_DENIED",
            "Generative Language API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789012 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.",
            json!([info("SERVICE_DISABLED", json!({
                "consumer": "projects/123456789012",
                "activationUrl": "https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789012"
            }))])))),
        server_error: Reply::json(500, google_error(500, "INTERNAL",
            "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
            json!([]))),
        rate_limited: Reply::json(429, google_error(429, "RESOURCE_EXHAUSTED",
            "Resource has been exhausted (e.g. check quota).",
            json!([
                {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
                    {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                     "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "41s"}
            ]))),
    }
    .reply(refusal)
}

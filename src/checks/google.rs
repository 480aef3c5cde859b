//! The Gemini API (an AI Studio key): `GET /v1beta/models` with the key in
//! `x-goog-api-key`, never in the URL (ai.google.dev/api/models#method:-models.list).
//! Refusals carry a `google.rpc.ErrorInfo` reason: `API_KEY_INVALID` (400),
//! `SERVICE_DISABLED` or `API_KEY_SERVICE_BLOCKED` (403).

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Answer, Probe, secret_header};
use super::{Outcome, not_understood, unreached, with_models};
use crate::domain::{CheckNeeds, Found, Verdict, plain_text};

const NAME: &str = "Google AI";

pub async fn check(probe: &mut Probe, key: &str, needs: &CheckNeeds) -> Outcome {
    let Some(auth) = secret_header("x-goog-api-key", key) else {
        return unsendable(NAME);
    };
    match probe.get("/v1beta/models?pageSize=1000", &auth).await {
        Err(why) => unreached(NAME, why),
        Ok(answer) if answer.ok() => match model_ids(&answer.body) {
            Some(ids) => with_models(NAME, ids, needs, Found::default()),
            None => Outcome::new(
                Verdict::Unknown,
                "Google AI answered the model list in a shape this check does not know",
            ),
        },
        Ok(answer) => refused(&answer),
    }
}

/// `models/gemini-2.5-flash` is the model `gemini-2.5-flash`.
fn model_ids(body: &Value) -> Option<Vec<String>> {
    let models = body.get("models")?.as_array()?;
    Some(
        models
            .iter()
            .filter_map(|m| m.get("name").and_then(Value::as_str))
            .map(|n| plain_text(n.strip_prefix("models/").unwrap_or(n), 120))
            .collect(),
    )
}

/// The `ErrorInfo` reason of a `google.rpc.Status` body.
pub(super) fn reason(answer: &Answer) -> String {
    answer
        .body
        .pointer("/error/details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|d| d.get("reason").and_then(Value::as_str))
        .map(|r| plain_text(r, 60))
        .unwrap_or_default()
}

fn refused(answer: &Answer) -> Outcome {
    let reason = reason(answer);
    let message = answer.text("/error/message").unwrap_or_default();
    match (answer.status, reason.as_str()) {
        (400, "API_KEY_INVALID") if message.contains("expired") => {
            Outcome::new(Verdict::Invalid, "Google refused the key: it has expired")
        }
        (400 | 401, "API_KEY_INVALID") => Outcome::new(
            Verdict::Invalid,
            "Google refused the key: API key not valid",
        ),
        (403, "SERVICE_DISABLED") => Outcome::new(
            Verdict::Limited,
            "Google accepted the key, but the Generative Language API is disabled in its project",
        ),
        (403, r) if r.starts_with("API_KEY_") && r.ends_with("_BLOCKED") => Outcome::new(
            Verdict::Limited,
            format!("Google accepted the key, but its restrictions block this API ({r})"),
        ),
        (403, _) if message.contains("leaked") => Outcome::new(
            Verdict::Invalid,
            "Google refused the key: it was reported as leaked; create another",
        ),
        _ => not_understood(NAME, answer),
    }
}

//! OpenAI, xAI and Mistral: `GET /v1/models` with the key as a bearer
//! token lists what it may use (OpenAI: platform.openai.com/docs/api-reference/models/list;
//! Mistral: docs.mistral.ai/api/#tag/models). xAI first answers
//! `GET /v1/api-key` about the key itself: blocked, disabled, its ACLs
//! (docs.x.ai/docs/api-reference#api-key).

use serde_json::Value;

use super::probe::{Answer, Probe, secret_header};
use super::{Outcome, not_understood, unreached, with_models};
use crate::domain::{CheckNeeds, Found, Verdict, plain_text};

pub async fn check(
    probe: &mut Probe,
    provider: &str,
    name: &str,
    key: &str,
    needs: &CheckNeeds,
) -> Outcome {
    let Some(auth) = secret_header("authorization", &format!("Bearer {key}")) else {
        return unsendable(name);
    };
    let mut found = Found::default();
    if provider == "xai" {
        match probe.get("/v1/api-key", &auth).await {
            Err(why) => return unreached(name, why),
            Ok(answer) if answer.ok() => {
                if let Some(refusal) = xai_key_state(&answer, &mut found) {
                    return refusal.with(found);
                }
            }
            Ok(answer) => return refused(name, &answer),
        }
    }
    match probe.get("/v1/models", &auth).await {
        Err(why) => unreached(name, why),
        Ok(answer) if answer.ok() => match model_ids(&answer.body) {
            Some(ids) => with_models(name, ids, needs, found),
            None => Outcome::new(
                Verdict::Unknown,
                format!("{name} answered the model list in a shape this check does not know"),
            ),
        },
        Ok(answer) => refused(name, &answer),
    }
}

pub(super) fn unsendable(name: &str) -> Outcome {
    Outcome::new(
        Verdict::Invalid,
        format!("the key holds characters that cannot be sent to {name}"),
    )
}

/// `{"data": [{"id": …}, …]}`
fn model_ids(body: &Value) -> Option<Vec<String>> {
    let data = body.get("data")?.as_array()?;
    Some(
        data.iter()
            .filter_map(|m| m.get("id").and_then(Value::as_str))
            .map(|id| plain_text(id, 120))
            .collect(),
    )
}

/// The key's own record: a blocked or disabled key is refused; ACLs that
/// leave out chat make it limited. `None` when the key may go on.
fn xai_key_state(answer: &Answer, found: &mut Found) -> Option<Outcome> {
    let flag = |name: &str| answer.body.get(name).and_then(Value::as_bool) == Some(true);
    if let Some(key_name) = answer.text("/name") {
        found.facts.push(format!("key name: {key_name}"));
    }
    for (field, what) in [
        ("api_key_disabled", "this key is disabled"),
        ("api_key_blocked", "this key is blocked"),
        ("team_blocked", "this key's team is blocked"),
    ] {
        if flag(field) {
            return Some(Outcome::new(Verdict::Invalid, format!("xAI says {what}")));
        }
    }
    let acls: Vec<String> = answer
        .body
        .get("acls")
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .filter_map(Value::as_str)
                .map(|a| plain_text(a, 80))
                .collect()
        })
        .unwrap_or_default();
    if !acls.is_empty() {
        found.facts.push(format!("ACLs: {}", acls.join(", ")));
        let chat = acls
            .iter()
            .any(|a| a == "api-key:endpoint:*" || a == "api-key:endpoint:chat");
        if !chat {
            return Some(Outcome::new(
                Verdict::Limited,
                "xAI accepted the key, but its ACLs do not allow the chat endpoint",
            ));
        }
    }
    None
}

/// A refusal as each of the three documents it: 401 (a bad key; xAI also
/// 400 "Incorrect API key"), OpenAI's restricted keys ("Missing scopes").
fn refused(name: &str, answer: &Answer) -> Outcome {
    let message = answer
        .text("/error/message")
        .or_else(|| answer.text("/error"))
        .or_else(|| answer.text("/message"))
        .or_else(|| answer.text("/detail"))
        .unwrap_or_default();
    if matches!(answer.status, 401 | 403) && message.contains("Missing scopes") {
        let scope = message
            .split("Missing scopes:")
            .nth(1)
            // Scopes are dotted (`api.model.read`); the sentence's own
            // full stop or a list's comma follows the first one.
            .and_then(|rest| rest.split_whitespace().next())
            .map(|word| word.trim_end_matches(['.', ',']))
            .filter(|s| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._:".contains(c))
            })
            .unwrap_or("a scope");
        return Outcome::new(
            Verdict::Limited,
            format!(
                "{name} accepted the key, but it is restricted (missing {scope}), so it may not be able to serve your assistants"
            ),
        );
    }
    if answer.status == 400 && message.contains("Incorrect API key") {
        return Outcome::new(
            Verdict::Invalid,
            format!("{name} refused the key: incorrect API key"),
        );
    }
    if answer.status == 401 {
        return Outcome::new(
            Verdict::Invalid,
            format!("{name} refused the key (HTTP 401)"),
        );
    }
    not_understood(name, answer)
}

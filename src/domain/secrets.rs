//! Secrets inside an assistant (`webhook_secret`, a tool's `server.secret`):
//! where they are, how they are shown, and how a shown one is recognised
//! when it comes back.

use serde_json::Value;

use super::{AssistantDraft, FieldError};

/// What a redacted secret starts with. A value that does is never taken as
/// a new secret: it means "unchanged".
pub const REDACTED: &str = "••••";

/// `••••` and, for a secret long enough that it gives little away, its last
/// four characters, so two secrets can be told apart.
pub fn redacted(secret: &str) -> String {
    let n = secret.chars().count();
    if n < 16 {
        return REDACTED.to_owned();
    }
    let tail: String = secret.chars().skip(n - 4).collect();
    format!("{REDACTED}{tail}")
}

pub fn is_redacted(value: &str) -> bool {
    value.starts_with(REDACTED)
}

/// Every secret in an assistant's JSON, as a mutable place: the top-level
/// `webhook_secret`, and `server.secret` of each tool of `llm_config`.
pub fn secret_slots(assistant: &mut Value) -> Vec<(String, &mut Value)> {
    secret_places(assistant)
        .into_iter()
        .filter(|(_, v)| v.is_string())
        .collect()
}

/// Whether `path` (`webhook_secret`, `llm_config.tools[2].server.secret`)
/// is where `secret_places` finds a secret.
pub fn is_secret_path(path: &str) -> bool {
    let tool = path
        .strip_prefix("llm_config.tools[")
        .and_then(|rest| rest.strip_suffix("].server.secret"))
        .is_some_and(|index| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()));
    tool || path == "webhook_secret"
}

/// What stands where a secret belongs, whatever it is (an array or a number
/// typed there too), `null` left out: a text from elsewhere may hold a
/// secret in any form.
pub fn secret_places(assistant: &mut Value) -> Vec<(String, &mut Value)> {
    let mut slots = Vec::new();
    let Some(object) = assistant.as_object_mut() else {
        return slots;
    };
    let mut webhook = None;
    let mut tools = None;
    for (key, value) in object.iter_mut() {
        match key.as_str() {
            "webhook_secret" => webhook = Some(value),
            "llm_config" => tools = value.get_mut("tools").and_then(Value::as_array_mut),
            _ => {}
        }
    }
    if let Some(v) = webhook.filter(|v| !v.is_null()) {
        slots.push(("webhook_secret".to_owned(), v));
    }
    for (i, tool) in tools.into_iter().flatten().enumerate() {
        if let Some(v) = tool
            .get_mut("server")
            .and_then(|s| s.get_mut("secret"))
            .filter(|v| !v.is_null())
        {
            slots.push((format!("llm_config.tools[{i}].server.secret"), v));
        }
    }
    slots
}

/// Replaces every secret in `assistant` with its redaction. One already
/// redacted is left as it is: redacting it again would lose its hint.
pub fn redact_secrets(assistant: &mut Value) {
    for (_, slot) in secret_slots(assistant) {
        if let Some(text) = slot.as_str().filter(|t| !is_redacted(t)) {
            *slot = Value::String(redacted(text));
        }
    }
}

/// Whether `assistant` holds a secret still redacted: it cannot be sent as
/// it is, and `restore_from` must put the real one back or drop it.
pub fn has_redacted(assistant: &mut Value) -> bool {
    secret_slots(assistant)
        .iter()
        .any(|(_, v)| v.as_str().is_some_and(is_redacted))
}

/// Puts back, for every secret of `edited` that is still a redaction, the
/// secret at the same place in `current` (so "unchanged" stays unchanged).
/// Returns the paths it could not restore.
pub fn restore_from(edited: &mut Value, current: &Value) -> Vec<String> {
    let mut current = current.clone();
    let originals: Vec<(String, Value)> = secret_slots(&mut current)
        .into_iter()
        .map(|(p, v)| (p, v.clone()))
        .collect();
    let mut lost = Vec::new();
    for (path, slot) in secret_slots(edited) {
        if !slot.as_str().is_some_and(is_redacted) {
            continue;
        }
        match originals.iter().find(|(p, _)| *p == path) {
            Some((_, original)) => *slot = original.clone(),
            None => lost.push(path),
        }
    }
    lost
}

/// The `server.url` of the tool a secret path (`llm_config.tools[2].server.secret`) lies in.
pub fn tool_url<'a>(assistant: &'a Value, path: &str) -> Option<&'a Value> {
    let index: usize = path
        .strip_prefix("llm_config.tools[")?
        .split_once(']')?
        .0
        .parse()
        .ok()?;
    assistant
        .get("llm_config")?
        .get("tools")?
        .get(index)?
        .get("server")?
        .get("url")
}

/// The secrets a draft would send, and a check that each is a real one:
/// a string, and not a redaction (which means "unchanged" to a client and
/// must never be stored as the secret itself).
pub fn check_secrets(draft: &AssistantDraft) -> Result<Vec<&str>, FieldError> {
    let mut found = Vec::new();
    let refuse =
        |path: String, what: &str| Err(FieldError::new(path.clone(), format!("{path} {what}")));
    match draft.extra.get("webhook_secret") {
        Some(Value::String(s)) if is_redacted(s) => {
            return refuse("webhook_secret".into(), REDACTED_SENT);
        }
        Some(Value::String(s)) => found.push(s.as_str()),
        _ => {}
    }
    let tools = draft
        .llm_config
        .as_ref()
        .and_then(Option::as_ref)
        .and_then(|l| l.extra.get("tools"))
        .and_then(Value::as_array);
    for (i, tool) in tools.into_iter().flatten().enumerate() {
        let path = format!("llm_config.tools[{i}].server.secret");
        match tool.get("server").and_then(|s| s.get("secret")) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if is_redacted(s) => return refuse(path, REDACTED_SENT),
            Some(Value::String(s)) => found.push(s.as_str()),
            // Anything but a string could not be sealed as one.
            Some(_) => return refuse(path, "must be a string"),
        }
    }
    Ok(found)
}

const REDACTED_SENT: &str =
    "is a redacted secret (••••…): send the secret itself, or leave the field out to keep it";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_secret_is_found_redacted_and_restored() {
        let original = json!({"name": "A", "webhook_secret": "whsec_0123456789abcdef",
            "llm_config": {"provider": "openai", "tools": [
                {"type": "function", "server": {"url": "https://x", "secret": "tool-secret"}},
                {"type": "function"}]}});
        let mut shown = original.clone();
        redact_secrets(&mut shown);
        assert_eq!(shown["webhook_secret"], "••••cdef");
        assert_eq!(shown["llm_config"]["tools"][0]["server"]["secret"], "••••");
        assert!(!shown.to_string().contains("tool-secret"));
        assert!(has_redacted(&mut shown));
        let mut twice = shown.clone();
        redact_secrets(&mut twice);
        assert_eq!(twice, shown, "a redaction keeps its hint");
        let mut back = shown.clone();
        assert!(restore_from(&mut back, &original).is_empty());
        assert_eq!(back, original);
        let mut typed = json!({"webhook_secret": ["x"], "llm_config": {"tools": [
            {"server": {"secret": 12}}, {"server": {"secret": null}}]}});
        let places: Vec<String> = secret_places(&mut typed)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            places,
            ["webhook_secret", "llm_config.tools[0].server.secret"]
        );
        assert!(places.iter().all(|p| is_secret_path(p)));
        assert!(
            secret_slots(&mut typed).is_empty(),
            "only strings are slots"
        );
        assert!(!is_secret_path("llm_config.tools[].server.secret"));
        assert!(!is_secret_path("llm_config.webhook_secret"));
        let lost = restore_from(&mut shown, &json!({"name": "A"}));
        assert_eq!(
            lost,
            ["webhook_secret", "llm_config.tools[0].server.secret"]
        );
    }
}

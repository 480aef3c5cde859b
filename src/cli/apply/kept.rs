//! Secrets a file leaves redacted mean "keep the server's": finding them,
//! and putting the server's back only where that is surely the one meant.

use serde_json::Value;

use crate::domain::secrets::{is_redacted, redacted, restore_from, secret_slots, tool_url};

/// Puts back the server's secret wherever the file left one redacted.
/// Restoring goes by place, so each place is checked first: a tool whose
/// URL is not the server's tool's there would get another tool's secret
/// sent to its URL, always refused; a redaction that is not the server's
/// secret's (rotated since, or a tool moved) is refused unless `force`,
/// which takes "unchanged" to mean the server's secret as it is now.
pub(super) fn restore_secrets(
    fields: &mut Value,
    server: &Value,
    force: bool,
) -> Result<(), String> {
    let mut theirs = server.clone();
    let originals: Vec<(String, String)> = secret_slots(&mut theirs)
        .into_iter()
        .filter_map(|(path, v)| v.as_str().map(|s| (path, redacted(s))))
        .collect();
    let ours: Vec<(String, String)> = secret_slots(fields)
        .into_iter()
        .filter_map(|(path, v)| {
            v.as_str()
                .filter(|t| is_redacted(t))
                .map(|t| (path, t.to_owned()))
        })
        .collect();
    let mut problems = Vec::new();
    for (path, text) in &ours {
        match originals.iter().find(|(p, _)| p == path) {
            None => problems.push(format!(
                "{path} is redacted, but the server keeps no secret there"
            )),
            Some((_, theirs)) if theirs != text && !force => problems.push(format!(
                "{path} is {text}, but the server's secret there is {theirs} (changed since?)"
            )),
            Some(_) if tool_url(fields, path) != tool_url(server, path) => problems.push(format!(
                "{path} is redacted, but the tool's server.url is not the server's tool's there"
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "{}; put the secret itself there (a redacted one means \"keep the server's\")",
            problems.join("; ")
        ));
    }
    let lost = restore_from(fields, server);
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!("cannot keep the secret at {}", lost.join(", ")))
    }
}

pub(super) fn redacted_paths(fields: &mut Value) -> Vec<String> {
    secret_slots(fields)
        .into_iter()
        .filter(|(_, v)| v.as_str().is_some_and(is_redacted))
        .map(|(path, _)| path)
        .collect()
}

/// The secrets about to be sent, to scrub from whatever the server answers.
pub(super) fn secrets_in(fields: &mut Value) -> Vec<String> {
    secret_slots(fields)
        .into_iter()
        .filter_map(|(_, v)| v.as_str().map(str::to_owned))
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn server() -> Value {
        json!({"webhook_secret": "whsec_0123456789abcdefHOOK",
            "llm_config": {"provider": "openai", "tools": [
                {"server": {"url": "https://a.example", "secret": "first_0123456789abcdefAAAA"}},
                {"server": {"url": "https://b.example", "secret": "second_0123456789abcdBBBB"}}]}})
    }

    #[test]
    fn a_redaction_is_replaced_by_the_secret_it_stands_for() {
        let mut file = server();
        crate::domain::secrets::redact_secrets(&mut file);
        assert_eq!(redacted_paths(&mut file).len(), 3);
        restore_secrets(&mut file, &server(), false).unwrap();
        assert_eq!(file, server());
    }

    #[test]
    fn a_redaction_that_may_not_be_the_one_meant_is_refused_by_path() {
        // The tools swapped in the file: restoring by place would send tool
        // b's secret to a.example.
        let mut file = server();
        crate::domain::secrets::redact_secrets(&mut file);
        let tools = file["llm_config"]["tools"].as_array_mut().unwrap();
        tools.swap(0, 1);
        let err = restore_secrets(&mut file, &server(), false).unwrap_err();
        assert!(
            err.contains("llm_config.tools[0].server.secret is ••••BBBB, but the server's secret there is ••••AAAA"),
            "{err}"
        );
        // With --force, a rotated secret is kept as the server has it now;
        // a swap that would send a secret to another URL is still refused.
        let mut rotated = server();
        crate::domain::secrets::redact_secrets(&mut rotated);
        rotated["webhook_secret"] = json!("••••OLD1");
        restore_secrets(&mut rotated, &server(), true).unwrap();
        assert_eq!(rotated, server());
        let err = restore_secrets(&mut file, &server(), true).unwrap_err();
        assert!(
            err.contains("server.url is not the server's tool's"),
            "{err}"
        );
        // Same redaction, another URL.
        let mut file = server();
        crate::domain::secrets::redact_secrets(&mut file);
        file["llm_config"]["tools"][1]["server"]["url"] = json!("https://evil.example");
        let err = restore_secrets(&mut file, &server(), false).unwrap_err();
        assert!(
            err.contains("tools[1].server.secret is redacted, but the tool's server.url"),
            "{err}"
        );
        // Nothing to keep.
        let mut file = json!({"webhook_secret": "••••"});
        let err = restore_secrets(&mut file, &json!({"webhook_secret": null}), true).unwrap_err();
        assert!(
            err.contains("webhook_secret is redacted, but the server keeps no secret"),
            "{err}"
        );
        assert!(!err.contains("0123456789"), "{err}");
    }
}

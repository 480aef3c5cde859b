//! The secrets of a JSON edit: a placeholder is taken as the secret it was
//! written for, at its place only; a secret typed into the file is not
//! taken, and is taken out of the text the editor keeps.

use serde_json::Value;

use crate::console::external_edit::JsonText;
use crate::domain::secrets::{is_redacted, redacted, secret_slots, tool_url};

use super::json::{Problem, unwrap_envelope};

/// Each secret's placeholder must be the one written for the secret at its
/// place (a tool moved would otherwise get another tool's secret, sent to
/// its URL); a secret itself is not taken from a file.
pub(super) fn secret_problems(file: &mut Value, current: &Value) -> Vec<Problem> {
    let theirs = placeholders(current);
    let given: Vec<(String, String)> = secret_slots(file)
        .into_iter()
        .filter_map(|(path, v)| v.as_str().map(|t| (path, t.to_owned())))
        .collect();
    let mut problems = Vec::new();
    for (path, text) in given {
        let problem = match theirs.iter().find(|(p, _)| *p == path) {
            _ if text.is_empty() => continue,
            _ if !is_redacted(&text) => format!(
                "a new secret is not taken from a file (files stay on disk): type it into the \
                 form's masked field; it was taken out of your text{}",
                if path == "webhook_secret" {
                    ""
                } else {
                    " (set a tool's secret with `voicedock assistants apply`)"
                }
            ),
            None => "is a placeholder, but there is no secret here to keep: leave the field out"
                .to_owned(),
            // What was typed is not repeated: it may be a secret after all.
            Some((_, was)) if *was != text => format!(
                "is not the placeholder of the secret here ({was}): put {was} back to keep it, \
                 or null to remove it"
            ),
            Some(_) if tool_url(file, &path) != tool_url(current, &path) => {
                "is a placeholder, but this tool's server.url is not the one its secret is for"
                    .to_owned()
            }
            Some(_) => continue,
        };
        problems.push(Problem::at_path(path, problem));
    }
    problems
}

/// Each secret's path and the placeholder the file shows for it.
fn placeholders(current: &Value) -> Vec<(String, String)> {
    let mut current = current.clone();
    secret_slots(&mut current)
        .into_iter()
        .filter_map(|(path, v)| v.as_str().map(|s| (path, redacted(s))))
        .collect()
}

/// `text` with every secret typed into it replaced by the placeholder of
/// the secret at its place (or null where there is none). Text that is not
/// JSON cannot be searched for secrets and is kept as written.
pub(super) fn without_typed_secrets(text: JsonText, current: &Value) -> JsonText {
    let Ok(mut value) = serde_json::from_str::<Value>(&text.0) else {
        return text;
    };
    unwrap_envelope(&mut value);
    let theirs = placeholders(current);
    let stand_in = |path: &str| {
        theirs
            .iter()
            .find(|(p, _)| p == path)
            .map_or(Value::Null, |(_, t)| Value::String(t.clone()))
    };
    let mut typed = Vec::new();
    for (path, slot) in secret_slots(&mut value) {
        if let Some(secret) = slot.as_str().filter(|t| !t.is_empty() && !is_redacted(t)) {
            typed.push((
                serde_json::to_string(secret).unwrap_or_default(),
                path.clone(),
            ));
            *slot = stand_in(&path);
        }
    }
    if typed.is_empty() {
        return text;
    }
    // In place where the secret is written as serde writes it, so the rest
    // of the text stays as the user wrote it.
    let mut kept = text.0.clone();
    for (literal, path) in &typed {
        if !kept.contains(literal.as_str()) {
            return JsonText(serde_json::to_string_pretty(&value).unwrap_or_default() + "\n");
        }
        kept = kept.replace(literal.as_str(), &stand_in(path).to_string());
    }
    JsonText(kept)
}

#[cfg(test)]
mod tests {
    use crate::console::editor::{Editor, seed_assistant};
    use crate::console::external_edit::JsonText;
    use crate::domain::Catalog;
    use crate::domain::validate::Authority;

    fn with_secret() -> Editor {
        let mut a = seed_assistant();
        a.extra
            .insert("webhook_secret".into(), "whsec_0123456789abcdefHOOK".into());
        Editor::open(a, Some("\"3\"".into()), &Catalog::builtin())
    }

    #[test]
    fn a_tool_secret_stays_with_its_url() {
        let mut a = seed_assistant();
        let tools = serde_json::json!([
            {"type": "function", "server": {"url": "https://a.example", "secret": "first_0123456789abcdAAAA"}},
            {"type": "function", "server": {"url": "https://b.example", "secret": "second_0123456789abcBBBB"}}]);
        a.llm_config
            .as_mut()
            .unwrap()
            .extra
            .insert("tools".into(), tools);
        let mut editor = Editor::open(a, None, &Catalog::builtin());
        let text = editor.json_to_edit().unwrap().0.clone();
        assert!(!text.contains("0123456789"), "{text}");
        // The URLs swapped: each secret would go to the other server.
        let swapped = text
            .replace("https://a.example", "https://x.example")
            .replace("https://b.example", "https://a.example")
            .replace("https://x.example", "https://b.example");
        let problems = editor
            .take_json(&swapped, &Catalog::builtin(), Authority::Binding)
            .unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "llm_config.tools[0].server.secret",
                "llm_config.tools[1].server.secret"
            ]
        );
        editor
            .take_json(&text, &Catalog::builtin(), Authority::Binding)
            .unwrap();
        let json = serde_json::to_value(editor.draft().unwrap()).unwrap();
        assert_eq!(
            json["llm_config"]["tools"][1]["server"]["secret"],
            "second_0123456789abcBBBB"
        );
    }

    #[test]
    fn a_typed_secret_is_refused_and_taken_out_of_the_kept_text() {
        let mut editor = with_secret();
        let text = editor.json_to_edit().unwrap();
        let edited = text.0.replace("••••HOOK", "whsec_typed_into_the_file_9999");
        let problems = editor
            .take_json(&edited, &Catalog::builtin(), Authority::Binding)
            .unwrap_err();
        assert_eq!(problems[0].path, "webhook_secret");
        editor.keep_json(JsonText(edited), problems);
        let kept = editor.json_to_edit().unwrap();
        assert!(!kept.0.contains("whsec_typed"), "{}", kept.0);
        assert!(kept.0.contains("\"••••HOOK\""), "{}", kept.0);
    }
}

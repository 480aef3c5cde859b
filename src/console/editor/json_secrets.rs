//! The secrets of a JSON edit: a placeholder is taken as the secret it was
//! written for, at its place only; a secret typed into the file — as a
//! string, an array, an object or a number — is not taken, and is taken out
//! of the text the editor keeps, also when that text is not JSON.

use serde_json::Value;

use crate::console::external_edit::JsonText;
use crate::domain::secrets::{is_redacted, redacted, secret_places, secret_slots, tool_url};

use super::json::Problem;
use super::json_scan::Scan;

/// Each secret's placeholder must be the one written for the secret at its
/// place (a tool moved would otherwise get another tool's secret, sent to
/// its URL); a secret itself is not taken from a file. A value that is no
/// string is refused and set aside (null), so it is reported once.
pub(super) fn secret_problems(file: &mut Value, current: &Value) -> Vec<Problem> {
    let theirs = placeholders(current);
    let mut given = Vec::new();
    let mut problems = Vec::new();
    for (path, slot) in secret_places(file) {
        match slot.as_str() {
            Some(text) => given.push((path, text.to_owned())),
            None => {
                *slot = Value::Null;
                problems.push(Problem::at_path(path.clone(), typed(&path)));
            }
        }
    }
    for (path, text) in given {
        let problem = match theirs.iter().find(|(p, _)| *p == path) {
            _ if text.is_empty() => continue,
            _ if !is_redacted(&text) => typed(&path),
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

fn typed(path: &str) -> String {
    format!(
        "a new secret is not taken from a file (files stay on disk): type it into the form's \
         masked field; only the placeholder (keep) or null (remove) is read here, and what you \
         wrote was taken out of your text{}",
        if path == "webhook_secret" {
            ""
        } else {
            " (set a tool's secret with `voicedock assistants apply`)"
        }
    )
}

/// For text that cannot be read as an assistant (broken, or a key given
/// twice): each secret typed into it, found by `scan`, once per path.
pub(super) fn typed_secret_problems(text: &str, scanned: &Scan, current: &Value) -> Vec<Problem> {
    let theirs = placeholders(current);
    let mut paths: Vec<&str> = Vec::new();
    for (path, span) in &scanned.secrets {
        if !may_stay(&text[span.clone()], &theirs) && !paths.contains(&path.as_str()) {
            paths.push(path);
        }
    }
    paths
        .into_iter()
        .map(|path| Problem::at_path(path, typed(path)))
        .collect()
}

/// Each secret's path and the placeholder the file shows for it.
fn placeholders(current: &Value) -> Vec<(String, String)> {
    let mut current = current.clone();
    secret_slots(&mut current)
        .into_iter()
        .filter_map(|(path, v)| v.as_str().map(|s| (path, redacted(s))))
        .collect()
}

/// What may be left where a secret belongs: `null`, an empty string, or a
/// placeholder the console wrote. Anything else may be a secret.
fn may_stay(literal: &str, theirs: &[(String, String)]) -> bool {
    match serde_json::from_str::<Value>(literal) {
        Ok(Value::Null) => true,
        Ok(Value::String(text)) => text.is_empty() || theirs.iter().any(|(_, p)| *p == text),
        _ => false,
    }
}

/// `text` with every secret typed into it, in any form, replaced by the
/// placeholder of the secret at its place (or null where there is none);
/// the rest stays as the user wrote it, broken or not.
pub(super) fn without_typed_secrets(text: JsonText, current: &Value) -> JsonText {
    let scanned = super::json_scan::scan(&text.0);
    let theirs = placeholders(current);
    let stand_in = |path: &str| {
        theirs
            .iter()
            .find(|(p, _)| p == path)
            .map_or("null".to_owned(), |(_, t)| {
                Value::String(t.clone()).to_string()
            })
    };
    let mut typed: Vec<_> = scanned
        .secrets
        .iter()
        .filter(|(_, span)| !may_stay(&text.0[span.clone()], &theirs))
        .collect();
    if typed.is_empty() {
        return text;
    }
    typed.sort_by_key(|(_, span)| std::cmp::Reverse(span.start));
    let mut kept = text.0.clone();
    for (path, span) in typed {
        kept.replace_range(span.clone(), &stand_in(path));
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

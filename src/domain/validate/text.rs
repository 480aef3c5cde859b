//! No stored string may carry a control character: whatever is stored is
//! shown again, to this account's operators and to others, and a terminal
//! obeys an escape sequence in a name or a greeting. Line breaks and tabs
//! stay allowed where text is prose (a first message, a prompt); never in a
//! name, an id or a field's name. The message names the field and the
//! character's position and code, never the character itself.

use serde_json::Value;

use super::Check;
use crate::domain::FieldError;
use crate::domain::text::first_control;

/// Fields whose value is one line: names and ids, wherever they appear.
pub const ONE_LINE: &[&str] = &[
    "name", "id", "provider", "model", "language", "voice", "voice_id", "role", "url", "method",
];

/// `text`, stored as `field`, as one line (`multi_line` false) or as prose.
pub fn validate_text(field: &str, text: &str, multi_line: bool) -> Check {
    let Some((at, c)) = first_control(text, multi_line) else {
        return Ok(());
    };
    let allowed = if multi_line {
        "only line breaks and tabs are allowed"
    } else {
        "it must be one line of printable text"
    };
    Err(FieldError::new(
        field,
        format!(
            "{field} contains the control character U+{:04X} at position {at}; {allowed}",
            u32::from(c)
        ),
    ))
}

/// Every string in `value` (a draft as JSON), object keys included.
pub(super) fn validate_strings(value: &Value) -> Check {
    walk(value, "", false)
}

fn walk(value: &Value, path: &str, one_line: bool) -> Check {
    match value {
        Value::String(text) => validate_text(path, text, !one_line),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| walk(item, &format!("{path}[{i}]"), one_line)),
        Value::Object(fields) => fields.iter().try_for_each(|(name, item)| {
            let parent = if path.is_empty() { "the body" } else { path };
            // The field's name itself is not repeated: it is the bad text.
            validate_text(&format!("a field name in {parent}"), name, false).map_err(|e| {
                FieldError {
                    param: path.to_owned(),
                    ..e
                }
            })?;
            let path = if path.is_empty() {
                // The assistant's own name has its rule (`validate_name`):
                // surrounding whitespace is trimmed, so it may be there.
                if name == "name" {
                    return Ok(());
                }
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            walk(item, &path, ONE_LINE.contains(&name.as_str()))
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prose_keeps_its_lines_and_an_escape_is_named_by_position() {
        let ok = json!({"first_message": "Hi!\n\tHow can I help?", "llm_config": {
            "messages": [{"role": "system", "content": "Be short.\nBe kind."}]}});
        assert_eq!(validate_strings(&ok), Ok(()));
        let bad = json!({"llm_config": {"messages": [{"role": "system",
            "content": "ok\x1b]0;owned\x07"}]}});
        let err = validate_strings(&bad).unwrap_err();
        assert_eq!(err.param, "llm_config.messages[0].content");
        assert!(
            err.message.contains("U+001B at position 2"),
            "{}",
            err.message
        );
        assert!(!err.message.contains('\x1b'));
    }

    #[test]
    fn names_and_ids_are_one_line_and_c1_and_del_are_refused() {
        let err = validate_strings(&json!({"tts_config": {"voice_id": "a\nb"}})).unwrap_err();
        assert_eq!(err.param, "tts_config.voice_id");
        for text in ["a\u{9b}2J", "a\x7f", "a\rb"] {
            assert!(
                validate_strings(&json!({ "first_message": text })).is_err(),
                "{text:?}"
            );
        }
        let err = validate_strings(&json!({"llm_config": {"x\x1b[2J": 1}})).unwrap_err();
        assert_eq!(err.param, "llm_config");
        assert!(
            err.message
                .starts_with("a field name in llm_config contains"),
            "{}",
            err.message
        );
    }
}

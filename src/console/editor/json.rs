//! The form as a JSON file for the user's own editor, and that file taken
//! back. The file has the shape `voicedock assistants apply -f` reads; its
//! secrets are placeholders (`••••` and the last four characters, as `get`
//! prints them) that mean "keep the current secret". Text that cannot be
//! taken is kept, so reopening shows what the user wrote, not the form.

use serde_json::{Map, Value};

use crate::console::external_edit::JsonText;
use crate::domain::secrets::{redact_secrets, restore_from};
use crate::domain::text::one_line;
use crate::domain::validate::Authority;
use crate::domain::{AssistantDraft, Catalog, FieldError, is_writable, without_string_value};

use super::json_scan::scan;
use super::json_secrets::{secret_problems, typed_secret_problems, without_typed_secrets};
use super::{Editor, Field};

/// Fields the server owns: in the file so it reads as `get` prints it, and
/// never taken from it.
const SERVER_OWNED: [&str; 4] = ["id", "created_at", "updated_at", "revision"];
/// What `assistants get --json` wraps the assistant in.
const ENVELOPE: &str = "assistant";

/// One thing wrong with the text: where (a JSON path, or a line and column
/// for a syntax error; neither for the file as a whole) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl Problem {
    pub(super) fn at_path(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            at: None,
            message: message.into(),
        }
    }

    pub fn whole(message: impl Into<String>) -> Problem {
        Problem::at_path("", message)
    }

    fn of(error: FieldError) -> Problem {
        Problem::at_path(error.param, error.message)
    }

    /// Where, as the editor says it: `line 3, column 9`, or the JSON path
    /// with the form's label where the form shows that field.
    pub fn place(&self) -> String {
        if let Some((line, column)) = self.at {
            return format!("line {line}, column {column}");
        }
        let top = self.path.split(['.', '[']).next().unwrap_or("");
        let shown = AssistantDraft::FIELDS.contains(&top)
            || Field::ALL.iter().any(|f| f.hosted_name() == Some(top));
        match Field::for_param(&self.path) {
            Some(field) if shown => format!("{} ({})", self.path, field.label()),
            _ => self.path.clone(),
        }
    }
}

/// A JSON edit that was not taken: the user's text, until taken or
/// discarded, and what was wrong with it.
#[derive(Debug, Default)]
pub struct JsonEdit {
    pub kept: Option<JsonText>,
    pub problems: Vec<Problem>,
}

impl Editor {
    /// The file's name: the assistant's id where it is a plain one.
    pub fn json_file_name(&self) -> String {
        let id = self.original.as_ref().map(|o| o.id.as_str()).unwrap_or("");
        let plain = !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if plain {
            format!("assistant-{id}.json")
        } else {
            "assistant.json".to_owned()
        }
    }

    /// What the user's editor opens: the text kept from the last edit, else
    /// the whole form as pretty JSON with every secret a placeholder.
    pub fn json_to_edit(&self) -> Result<JsonText, FieldError> {
        if let Some(kept) = &self.json_edit.kept {
            return Ok(kept.clone());
        }
        let mut fields = self.current_json()?;
        redact_secrets(&mut fields);
        let mut object = Map::new();
        if let Some(original) = &self.original {
            object.insert("id".into(), original.id.clone().into());
            if let Some(revision) = original.revision {
                object.insert("revision".into(), revision.into());
            }
            if let Some(at) = &original.updated_at {
                object.insert("updated_at".into(), at.clone().into());
            }
        }
        if let Value::Object(fields) = fields {
            object.extend(fields);
        }
        // The editor shows the file on the terminal: what a server wrote
        // into a name is escaped there, and reads back the same.
        let mut text = crate::domain::safe_json::to_string_pretty(&Value::Object(object))
            .map_err(|e| FieldError::new("", format!("cannot write the JSON: {e}")))?;
        text.push('\n');
        Ok(JsonText(text))
    }

    /// The form with real secrets, as the JSON the file's placeholders are
    /// read against.
    fn current_json(&self) -> Result<Value, FieldError> {
        serde_json::to_value(self.draft()?)
            .map_err(|e| FieldError::new("", format!("cannot write the JSON: {e}")))
    }

    /// Replaces the form with `text`, checked by the rules a save is
    /// checked by; changes nothing when it finds a problem. A field the
    /// text leaves out is the server's (for a new assistant, empty), as
    /// `apply -f` takes it; nothing is sent.
    pub fn take_json(
        &mut self,
        text: &str,
        cat: &Catalog,
        authority: Authority,
    ) -> Result<(), Vec<Problem>> {
        let current = self.current_json().map_err(|e| vec![Problem::of(e)])?;
        let mut value = parse(text).map_err(|mut problems| {
            // Unreadable as an assistant, the text is still searched: a
            // secret typed into it is said to be refused, not silently lost.
            problems.extend(typed_secret_problems(text, &scan(text), &current));
            problems
        })?;
        // Every problem found is reported at once: the later checks run on
        // what is left once the earlier ones' fields are set aside.
        let mut problems = self.server_owned_problems(&value);
        if let Value::Object(object) = &mut value {
            for field in SERVER_OWNED {
                object.remove(field);
            }
            problems.extend(unknown_fields(object));
            object.retain(|k, _| is_field(k));
        }
        problems.extend(secret_problems(&mut value, &current));
        // Restored for the checks below; nothing is taken unless every
        // placeholder was found to stand for the secret at its place.
        restore_from(&mut value, &current);
        let draft: AssistantDraft = match serde_path_to_error::deserialize(value) {
            Ok(draft) => draft,
            Err(e) => {
                let path = e.path().to_string();
                let path = if path == "." { String::new() } else { path };
                let message = without_string_value(&e.inner().to_string());
                problems.push(Problem::at_path(path, message));
                return Err(problems);
            }
        };
        let mut taken = match &self.original {
            Some(original) => Editor::open_with(
                original.clone(),
                self.etag.clone(),
                self.default_tts.clone(),
            ),
            None => Editor::blank(self.default_tts.clone()),
        };
        taken.apply(&draft);
        if let Some(error) = taken.check(cat, authority).error {
            problems.push(Problem::of(error));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        taken.focus = self.focus;
        taken.saving = self.saving;
        taken.sent = self.sent;
        taken.conflict = self.conflict;
        taken.preview = self.preview;
        *self = taken;
        Ok(())
    }

    /// Keeps `text` to reopen instead of the form, with what was wrong
    /// with it. A secret typed into it is taken out first: the console
    /// writes no secret into a file, and would when reopening.
    pub fn keep_json(&mut self, text: JsonText, problems: Vec<Problem>) {
        let current = self.current_json().unwrap_or_default();
        self.json_edit = JsonEdit {
            kept: Some(without_typed_secrets(text, &current)),
            problems,
        };
    }

    /// Forgets a kept JSON edit; false when there was none.
    pub fn discard_json_edit(&mut self) -> bool {
        let had = self.json_edit.kept.is_some() || !self.json_edit.problems.is_empty();
        self.json_edit = JsonEdit::default();
        had
    }

    fn server_owned_problems(&self, value: &Value) -> Vec<Problem> {
        let mine = self.original.as_ref().map(|o| o.id.as_str());
        match (value.get("id"), mine) {
            (None | Some(Value::Null), _) => Vec::new(),
            (Some(Value::String(id)), Some(mine)) if id == mine => Vec::new(),
            (Some(_), Some(mine)) => vec![Problem::at_path(
                "id",
                format!("this is assistant {mine}: keep its id, or leave it out"),
            )],
            (Some(_), None) => vec![Problem::at_path(
                "id",
                "a new assistant has no id yet: leave it out",
            )],
        }
    }
}

/// The text as one JSON object, out of `get --json`'s envelope if in one.
/// A key given twice is refused where it is: serde_json would keep the
/// last and say nothing, and the first may be the one the user meant.
fn parse(text: &str) -> Result<Value, Vec<Problem>> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| {
        // serde's message ends with where; that is `at`.
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        vec![Problem {
            path: String::new(),
            at: Some((e.line(), e.column())),
            message,
        }]
    })?;
    let duplicates: Vec<Problem> = scan(text)
        .duplicates
        .into_iter()
        .map(|d| Problem {
            path: String::new(),
            at: Some(d.at),
            message: format!(
                "\"{}\" is given a second time in the same object: keep one of them",
                one_line(&d.name)
            ),
        })
        .collect();
    if !duplicates.is_empty() {
        return Err(duplicates);
    }
    unwrap_envelope(&mut value);
    if !value.is_object() {
        return Err(vec![Problem::whole(
            "the file must hold one JSON object: the assistant",
        )]);
    }
    Ok(value)
}

pub(super) fn unwrap_envelope(value: &mut Value) {
    let wrapped = value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.get(ENVELOPE).is_some_and(Value::is_object));
    if wrapped {
        *value = value[ENVELOPE].take();
    }
}

fn is_field(name: &str) -> bool {
    AssistantDraft::FIELDS.contains(&name) || is_writable(name)
}

/// A top-level field no assistant has is refused by name, as `apply -f`
/// refuses it: that is where typos happen.
fn unknown_fields(object: &Map<String, Value>) -> Vec<Problem> {
    object
        .keys()
        .filter(|k| !is_field(k))
        .map(|k| {
            let name = crate::domain::text::terminal_safe(k).into_owned();
            Problem::at_path(
                name,
                "unknown field (an assistant has name, first_message, stt_config, llm_config, \
                 tts_config and hosted fields such as webhook_url)",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::editor::{seed_assistant, text_of};

    fn with_secret() -> Editor {
        let mut a = seed_assistant();
        a.extra
            .insert("webhook_secret".into(), "whsec_0123456789abcdefHOOK".into());
        Editor::open(a, Some("\"3\"".into()), &Catalog::builtin())
    }

    #[test]
    fn the_file_holds_placeholders_and_taking_it_back_keeps_the_secret() {
        let mut editor = with_secret();
        let text = editor.json_to_edit().unwrap();
        assert!(!text.0.contains("whsec_"), "{}", text.0);
        assert!(
            text.0.contains("\"webhook_secret\": \"••••HOOK\""),
            "{}",
            text.0
        );
        assert!(text.0.starts_with("{\n  \"id\": \"a1\""), "{}", text.0);
        let edited = text.0.replace("My Assistant", "Renamed");
        editor
            .take_json(&edited, &Catalog::builtin(), Authority::Binding)
            .unwrap();
        assert_eq!(text_of(&editor.name), "Renamed");
        assert_eq!(editor.extra["webhook_secret"], "whsec_0123456789abcdefHOOK");
        let body = serde_json::to_value(editor.request_body().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"name": "Renamed"}),
            "only the name changed"
        );
    }

    #[test]
    fn null_removes_the_secret_and_a_wrong_placeholder_is_refused_by_path() {
        let mut editor = with_secret();
        let text = editor.json_to_edit().unwrap().0.clone();
        let wrong = text.replace("••••HOOK", "••••NOPE");
        let problems = editor
            .take_json(&wrong, &Catalog::builtin(), Authority::Binding)
            .unwrap_err();
        assert_eq!(problems[0].path, "webhook_secret");
        assert!(
            problems[0].message.contains("put ••••HOOK back"),
            "{problems:?}"
        );
        assert!(!problems[0].message.contains("NOPE"), "{problems:?}");
        let removed = text.replace("\"••••HOOK\"", "null");
        editor
            .take_json(&removed, &Catalog::builtin(), Authority::Binding)
            .unwrap();
        let body = serde_json::to_value(editor.request_body().unwrap()).unwrap();
        assert_eq!(body, serde_json::json!({"webhook_secret": null}));
    }
}

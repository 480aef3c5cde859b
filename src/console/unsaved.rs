//! What quitting now would lose, in words: which assistant and which of its
//! parts, which provider's key. Never a field's or a key's contents.

use crate::domain::AssistantDraft;

use super::app::Model;
use super::editor::{Editor, Field};
use super::key_form::KeyForm;

impl Model {
    /// One line per unsaved edit, e.g. `assistant "Support line" (name,
    /// first message)` and `a typed OpenAI key`; empty when
    /// `has_unsaved_edits` is false.
    pub fn unsaved_edits(&self) -> Vec<String> {
        let editor = self.server.editor.as_ref().and_then(editor_edits);
        let key = self
            .server
            .key_form
            .as_ref()
            .and_then(|f| key_edits(self, f));
        editor.into_iter().chain(key).collect()
    }
}

fn editor_edits(editor: &Editor) -> Option<String> {
    let saving = editor.saving.is_some();
    if !editor.is_dirty() && !saving {
        return None;
    }
    let mut text = match &editor.original {
        // Quoted as Debug so a control character in a name cannot reach
        // the terminal raw.
        Some(original) => format!("assistant {:?}", original.name),
        None => "a new assistant".to_owned(),
    };
    let mut parts = match editor.request_body() {
        Ok(body) => changed_parts(&body, editor.is_new()),
        Err(e) => vec![format!(
            "unfinished: {}",
            Field::for_param(&e.param).map_or_else(|| e.param.clone(), |f| in_sentence(f.label()))
        )],
    };
    if editor.json_edit.kept.is_some() {
        parts.push("a JSON edit not taken".to_owned());
    }
    if !parts.is_empty() {
        text.push_str(&format!(" ({})", parts.join(", ")));
    }
    if saving {
        text.push_str(", whose save was under way: it may or may not have been stored");
    }
    Some(text)
}

/// The parts a request body sets, as the form labels them. A new
/// assistant's body always carries a name, typed or not.
fn changed_parts(body: &AssistantDraft, is_new: bool) -> Vec<String> {
    let named = body
        .name
        .as_deref()
        .is_some_and(|n| !is_new || !n.is_empty());
    let top = [
        (named, "name"),
        (body.first_message.is_some(), "first message"),
        (body.stt_config.is_some(), "STT"),
        (body.llm_config.is_some(), "LLM"),
        (body.tts_config.is_some(), "TTS"),
    ];
    let named = top
        .into_iter()
        .filter(|(set, _)| *set)
        .map(|(_, name)| name.to_owned());
    let hosted = body.extra.keys().map(|k| hosted_label(k));
    named.chain(hosted).collect()
}

/// A hosted field's form label; one the form does not show keeps its API name.
fn hosted_label(name: &str) -> String {
    Field::ALL
        .iter()
        .find(|f| f.hosted_name() == Some(name))
        .map_or_else(|| name.to_owned(), |f| in_sentence(f.label()))
}

/// A label inside a sentence: "Webhook URL" → "webhook URL"; an acronym
/// ("LLM model") stays as it is.
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_owned(),
    }
}

fn key_edits(model: &Model, form: &KeyForm) -> Option<String> {
    let provider = model
        .server
        .catalog
        .secret(&form.provider)
        .map_or(form.provider.as_str(), |s| s.label.as_str());
    if form.is_sending() {
        Some(format!(
            "the {provider} key being saved: it may or may not have been stored"
        ))
    } else if form.has_typed() {
        Some(format!("a typed {provider} key"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Assistant, Catalog};

    fn model() -> Model {
        Model::local(Catalog::builtin())
    }

    fn support_line() -> Assistant {
        serde_json::from_value(serde_json::json!({
            "id": "a1", "name": "Support line", "first_message": "Hello",
            "webhook_url": "https://hooks.example.com/a", "revision": 1
        }))
        .unwrap()
    }

    #[test]
    fn nothing_unsaved_says_nothing() {
        let mut m = model();
        assert!(m.unsaved_edits().is_empty());
        m.server.editor = Some(Editor::open(support_line(), None, &m.server.catalog));
        m.server.key_form = Some(KeyForm::for_provider(&m.server.catalog, "openai"));
        assert!(!m.has_unsaved_edits());
        assert!(m.unsaved_edits().is_empty());
    }

    #[test]
    fn an_edited_assistant_is_named_by_its_stored_name_and_parts() {
        let mut m = model();
        let mut editor = Editor::open(support_line(), None, &m.server.catalog);
        editor.name.insert_str(" secret-typed-text");
        editor.first_message.insert_str(" more");
        editor.hosted.webhook_url.insert_str("/b");
        m.server.editor = Some(editor);
        let edits = m.unsaved_edits();
        assert_eq!(
            edits,
            vec!["assistant \"Support line\" (name, first message, webhook URL)".to_owned()]
        );
        assert!(!edits[0].contains("secret-typed-text"));
    }

    #[test]
    fn a_typed_key_is_named_by_its_provider_never_shown() {
        let mut m = model();
        let mut form = KeyForm::for_provider(&m.server.catalog, "openai");
        form.input.insert_str("sk-proj-0123456789abcdefWXYZ");
        m.server.key_form = Some(form);
        assert!(m.has_unsaved_edits());
        assert_eq!(m.unsaved_edits(), vec!["a typed OpenAI key".to_owned()]);
    }

    #[test]
    fn a_new_assistant_and_an_unparsable_field_are_described() {
        let mut m = model();
        let mut editor = Editor::new_assistant(&m.server.catalog);
        editor.temperature.insert_str("warm");
        m.server.editor = Some(editor);
        assert_eq!(
            m.unsaved_edits(),
            vec!["a new assistant (unfinished: temperature)".to_owned()]
        );
        let mut editor = Editor::new_assistant(&m.server.catalog);
        editor.voice_id.insert_str("v1");
        m.server.editor = Some(editor);
        assert_eq!(m.unsaved_edits(), vec!["a new assistant (TTS)".to_owned()]);
    }
}

//! Saving the assistant in the editor, and what the save tells the user
//! beside "Saved": a question first only when a key it uses failed its last
//! check, and after the save the keys nobody vouched for and whatever the
//! server did not keep as sent.

use serde_json::Value;

use crate::domain::json_diff::{NotKept, not_kept_fields};
use crate::domain::{Assistant, LlmConfig, SttConfig, TtsConfig};

use super::super::app::{Confirm, ConfirmAction, Model};
use super::super::checks::{KeyNeed, key_needs};
use super::super::editor::Field;
use super::super::key_state::KeyState;
use super::super::keymap::{Action, Scope};
use super::super::msg::{Call, Cmd};

pub fn save(model: &mut Model) -> Vec<Cmd> {
    save_unless_asked(model, true)
}

/// The user said yes to saving although a key it uses failed its check.
pub fn save_anyway(model: &mut Model) -> Vec<Cmd> {
    save_unless_asked(model, false)
}

fn save_unless_asked(model: &mut Model, ask: bool) -> Vec<Cmd> {
    if !super::writable(model) {
        return Vec::new();
    }
    let Some(editor) = &mut model.server.editor else {
        return Vec::new();
    };
    if editor.saving.is_some() {
        return Vec::new();
    }
    if let Some(error) = editor.validation(
        &model.server.catalog,
        model.server.catalog_source.authority(),
    ) {
        editor.focus = Field::for_param(&error.param).unwrap_or(editor.focus);
        let text = format!("Not saved: {}", error.message);
        editor.server_error = Some(error);
        super::toast(model, text, true);
        return Vec::new();
    }
    let Ok(body) = editor.request_body() else {
        return Vec::new();
    };
    if ask && let Some(question) = ask_before_saving(model) {
        model.server.confirm = Some(question);
        return Vec::new();
    }
    let Some(editor) = &mut model.server.editor else {
        return Vec::new();
    };
    let sent_body = serde_json::to_value(&body).ok();
    let call = match &editor.original {
        None => Call::CreateAssistant { draft: body },
        Some(_) if body.is_empty() => {
            super::toast(model, "Nothing to save: no field changed", false);
            return Vec::new();
        }
        Some(original) => Call::UpdateAssistant {
            id: original.id.clone(),
            changes: body,
            if_match: editor.etag.clone(),
        },
    };
    editor.server_error = None;
    let (id, cmds) = super::request(model, call);
    if let Some(editor) = &mut model.server.editor {
        editor.saving = Some(id);
        editor.sent = editor.fingerprint();
        editor.sent_body = sent_body;
    }
    cmds
}

/// The question to ask before saving the editor's assistant: `None` unless
/// a key it uses failed its last check. A key not checked, or checked
/// without a verdict, is said after the save instead: the user who checks
/// is asked no more than the one who does not.
fn ask_before_saving(model: &Model) -> Option<Confirm> {
    let editor = model.server.editor.as_ref()?;
    let configs = (
        editor.stt.as_ref(),
        editor.llm.as_ref(),
        editor.tts.as_ref(),
    );
    let failed: Vec<String> = needs(model, configs)
        .iter()
        .filter(|k| k.state().failed())
        .map(|k| {
            let check = model.server.checks.last(&k.provider);
            let reason = check.map_or_else(String::new, |c| format!(": {}", c.reason));
            format!(
                "{} key {}{reason}",
                k.label(&model.server.catalog),
                k.state().word()
            )
        })
        .collect();
    if failed.is_empty() {
        return None;
    }
    let mut lines = failed;
    lines.push("Save anyway? Its calls may fail until the key is fixed.".into());
    Some(Confirm {
        title: "A key this assistant uses failed its check".into(),
        lines,
        on_yes: ConfirmAction::SaveAssistantAnyway,
    })
}

/// After a save: ` · the Deepgram key was not checked — press t on
/// Providers to check it`, naming together the keys the saved assistant
/// uses that no check vouched for; empty when every key checked valid or
/// is the platform's.
pub fn unproven_keys(model: &Model, saved: &Assistant) -> String {
    let configs = (
        saved.stt_config.as_ref(),
        saved.llm_config.as_ref(),
        saved.tts_config.as_ref(),
    );
    unproven(model, &needs(model, configs))
}

/// `unproven_keys` for the key of `provider` just stored.
pub fn unproven_key(model: &Model, provider: &str) -> String {
    let need = KeyNeed {
        provider: provider.to_owned(),
        configured: Some(true),
        check: model.server.checks.last(provider).map(|c| c.result),
    };
    unproven(model, &[need])
}

fn unproven(model: &Model, keys: &[KeyNeed]) -> String {
    let check = model
        .session
        .keymap
        .key_of(Scope::Providers, Action::CheckKey);
    let labels = |state| -> Vec<&str> {
        keys.iter()
            .filter(|k| k.state() == state)
            .map(|k| k.label(&model.server.catalog))
            .collect()
    };
    let mut said = String::new();
    let not_checked = labels(KeyState::NotChecked);
    if !not_checked.is_empty() {
        let (keys, were, them) = plural(&not_checked);
        said += &format!(
            " · the {keys} {were} not checked — press {check} on Providers to check {them}"
        );
    }
    let inconclusive = labels(KeyState::Inconclusive);
    if !inconclusive.is_empty() {
        let (keys, _, them) = plural(&inconclusive);
        let checks = if them == "it" {
            "'s check was"
        } else {
            "' checks were"
        };
        said += &format!(
            " · the {keys}{checks} inconclusive — press {check} on Providers to check {them} again"
        );
    }
    said
}

/// `Deepgram key`, `Deepgram and OpenAI keys`, with the verb and pronoun
/// that go with them.
fn plural(labels: &[&str]) -> (String, &'static str, &'static str) {
    match labels {
        [one] => (format!("{one} key"), "was", "it"),
        [rest @ .., last] => (
            format!("{} and {last} keys", rest.join(", ")),
            "were",
            "them",
        ),
        [] => (String::new(), "were", "them"),
    }
}

fn needs(
    model: &Model,
    configs: (Option<&SttConfig>, Option<&LlmConfig>, Option<&TtsConfig>),
) -> Vec<KeyNeed> {
    key_needs(
        &model.server.catalog,
        configs,
        model.server.byok.loaded(),
        &model.server.checks,
    )
}

/// `, but the server changed llm_config.temperature (sent 3, kept 2)`:
/// where the assistant the server answered does not hold what was sent.
/// Empty when it kept everything.
pub fn not_kept(sent: &Value, saved: &Assistant) -> String {
    let Ok(stored) = serde_json::to_value(saved) else {
        return String::new();
    };
    let changed = not_kept_fields(sent, &stored);
    if changed.is_empty() {
        return String::new();
    }
    let said: Vec<String> = changed.iter().map(said).collect();
    format!(", but the server changed {}", said.join(", "))
}

fn said(field: &NotKept) -> String {
    match (&field.sent, &field.kept) {
        (Some(sent), Some(kept)) => format!("{} (sent {sent}, kept {kept})", field.field),
        _ => format!("{} (it keeps another secret)", field.field),
    }
}

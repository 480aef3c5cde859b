//! The key form's settings step: opened from the form for a provider whose
//! key is stored, typed (masked) or written in the user's editor, sent to be
//! merged by the server. A failed save keeps the text as typed.

use ratatui::crossterm::event::KeyEvent;

use super::super::app::Model;
use super::super::external_edit::{Edited, JsonText};
use super::super::keymap::{Action, Scope};
use super::super::msg::{Call, Cmd, Effect, RequestId, Settings};
use super::super::settings_step::SettingsStep;
use super::{name_of, request, toast};
use crate::client::ApiError;
use crate::domain::SettingsSaved;

/// Ctrl-E in the key form: its settings step, once the key is stored.
pub fn open(model: &mut Model) {
    let Some(form) = &mut model.server.key_form else {
        return;
    };
    let stored = model
        .server
        .byok
        .loaded()
        .is_some_and(|b| b.byok_keys.is_configured(&form.provider));
    if stored {
        form.settings = Some(SettingsStep::default());
        form.error = None;
    } else {
        form.error = Some("store the key first: settings go beside a stored key".into());
    }
}

pub fn on_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(step) = model
        .server
        .key_form
        .as_mut()
        .and_then(|f| f.settings.as_mut())
    else {
        return Vec::new();
    };
    let sending = step.sent.is_some();
    match action {
        // Back to the key; what was typed here is not kept unsent.
        Some(Action::Back) if !sending => {
            if let Some(form) = &mut model.server.key_form {
                form.settings = None;
            }
        }
        _ if sending || step.editing => {}
        Some(Action::Save) => return submit(model),
        Some(Action::EditJson) => {
            let text = if step.has_typed() {
                step.text().to_string()
            } else {
                "{\n}\n".to_owned()
            };
            step.editing = true;
            return vec![Cmd::Console(Effect::EditJson {
                name: "settings.json".into(),
                text: JsonText(text),
            })];
        }
        Some(Action::NewLine) => step.input.insert_newline(),
        Some(Action::ClearField) => step.replace_text(""),
        Some(_) => {}
        None if super::providers::is_plain_typing(&key) => {
            step.input.input(key);
            step.error = None;
        }
        None => {}
    }
    Vec::new()
}

fn submit(model: &mut Model) -> Vec<Cmd> {
    let Some(form) = &mut model.server.key_form else {
        return Vec::new();
    };
    let provider = form.provider.clone();
    let Some(step) = &mut form.settings else {
        return Vec::new();
    };
    let settings = match step.parsed() {
        Ok(settings) => settings,
        Err(why) => {
            step.error = Some(why);
            return Vec::new();
        }
    };
    let (id, cmds) = request(
        model,
        Call::SetSettings {
            provider,
            settings: Settings(settings),
        },
    );
    if let Some(step) = step_of(model) {
        step.sent = Some(id);
        step.error = None;
    }
    cmds
}

fn step_of(model: &mut Model) -> Option<&mut SettingsStep> {
    model
        .server
        .key_form
        .as_mut()
        .and_then(|f| f.settings.as_mut())
}

pub fn saved(
    model: &mut Model,
    id: RequestId,
    provider: &str,
    result: Result<SettingsSaved, ApiError>,
) {
    let name = name_of(model, provider);
    let step = step_of(model).filter(|s| s.sent == Some(id));
    match (result, step) {
        (Ok(saved), step) => {
            let names = saved.names(provider);
            let listed = if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            };
            if let Some(step) = step {
                step.saved(names);
            }
            toast(
                model,
                format!("{name} settings saved; stored now: {listed}"),
                false,
            );
        }
        (Err(e), Some(step)) => {
            step.sent = None;
            step.error = Some(match &e {
                ApiError::Validation { message, .. } => message.to_string(),
                other => other.to_string(),
            });
        }
        (Err(e), None) => toast(
            model,
            format!("Could not save the {name} settings: {e}"),
            true,
        ),
    }
}

/// The editor's result, when this step asked for it: taken as the typed
/// text (nothing is sent until the user saves).
pub fn edited(model: &mut Model, edited: Edited) -> Result<(), Edited> {
    let Some(step) = step_of(model).filter(|s| s.editing) else {
        return Err(edited);
    };
    step.editing = false;
    match edited {
        Edited::Done(text)
        | Edited::Failed {
            text: Some(text), ..
        } => {
            step.replace_text(&text.0);
            let save = model
                .session
                .keymap
                .key_of(Scope::KeyForm, Action::Save)
                .to_string();
            if let Some(step) = step_of(model) {
                step.error = Some(format!(
                    "taken from your editor; not sent yet ({save} sends)"
                ));
            }
        }
        Edited::Failed { why, text: None } | Edited::NotRun(why) => {
            step.error = Some(format!("{why}; nothing was taken"));
        }
    }
    Ok(())
}

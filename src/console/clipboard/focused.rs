//! The `Subject` of a copy: what has the focus. It reads the lists and the
//! editor's assistant, and never the key form or the key checks, where
//! typed and stored keys live.

use serde_json::Value;

use super::build::{Redacted, Subject};
use crate::console::app::{Model, Screen};
use crate::console::editor::Editor;
use crate::console::focus::Focus;

/// What a copy key copies here, or why nothing is.
pub fn subject(model: &Model, focus: Focus) -> Result<Subject, String> {
    match focus {
        Focus::Screen(Screen::Providers) => provider(model),
        Focus::Screen(Screen::Models) => selected_model(model),
        Focus::Screen(Screen::Assistants) => selected_assistant(model),
        Focus::Editor(_) => match &model.server.editor {
            Some(editor) => edited(editor),
            None => Err(nothing()),
        },
        _ => Err(nothing()),
    }
}

fn nothing() -> String {
    "nothing to copy here".to_owned()
}

fn provider(model: &Model) -> Result<Subject, String> {
    let row = model.server.providers.focused().ok_or_else(nothing)?;
    Ok(Subject::Provider {
        id: row.id.clone(),
        name: row.name.clone(),
        secret_id: row.secret_id.clone(),
        configured: row.configured,
        updated_at: row.updated_at.clone(),
    })
}

fn selected_model(model: &Model) -> Result<Subject, String> {
    let provider = model
        .current_tab()
        .ok_or_else(|| "no models to copy yet".to_owned())?;
    let chosen = model
        .server
        .models
        .list
        .selected_item()
        .ok_or_else(|| "no model is selected".to_owned())?;
    let mut json = serde_json::to_value(chosen).map_err(|e| e.to_string())?;
    if let Value::Object(fields) = &mut json {
        fields.insert("provider".into(), Value::String(provider.id.clone()));
    }
    Ok(Subject::Model {
        provider: provider.id.clone(),
        id: chosen.id.clone(),
        json,
    })
}

fn selected_assistant(model: &Model) -> Result<Subject, String> {
    let assistant = model
        .server
        .assistants
        .loaded()
        .and(model.server.assistants.list.selected_item())
        .and_then(|row| row.assistant())
        .ok_or_else(|| "no assistant is selected".to_owned())?;
    let json = serde_json::to_value(&assistant).map_err(|e| e.to_string())?;
    Ok(Subject::Assistant {
        id: Some(assistant.id.clone()),
        json: Redacted::assistant(json),
    })
}

/// The assistant the editor is about: the server's version of a saved one
/// (what its id and curl fetch), the form's body for a new one.
fn edited(editor: &Editor) -> Result<Subject, String> {
    let (id, json) = match &editor.original {
        Some(original) => (
            Some(original.id.clone()),
            serde_json::to_value(original).map_err(|e| e.to_string())?,
        ),
        None => {
            let draft = editor
                .draft()
                .map_err(|e| format!("nothing to copy yet: {}", e.message))?;
            (
                None,
                serde_json::to_value(draft).map_err(|e| e.to_string())?,
            )
        }
    };
    Ok(Subject::Assistant {
        id,
        json: Redacted::assistant(json),
    })
}

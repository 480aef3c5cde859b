//! Keys in the assistant editor and its language picker.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::validate::ROLES;

use super::super::app::{Confirm, ConfirmAction, Model, PickTarget};
use super::super::editor::{Editor, Field};
use super::super::focus::EditorPart;
use super::super::keymap::Action;
use super::super::list::FilterEdit;
use super::super::msg::{Call, Cmd};
use super::super::picker::{Choosing, Picker};
use super::{lists, request, voice_picks};
use crate::domain::catalog::with_language_name;

pub fn on_key(
    model: &mut Model,
    part: EditorPart,
    action: Option<Action>,
    key: KeyEvent,
) -> Vec<Cmd> {
    if let Some(action @ (Action::EditJson | Action::DiscardJsonEdit)) = action {
        return super::json_edit::on_action(model, action);
    }
    let read_only = model.read_only();
    let Some(editor) = &mut model.server.editor else {
        return Vec::new();
    };
    if part == EditorPart::Preview {
        if let Some(action) = action {
            on_preview_action(editor, action);
        }
        return Vec::new();
    }
    // A read-only session shows the form and lets nothing in it change;
    // the cursor still moves through a long prompt to read it.
    if read_only && action.is_none() && part == EditorPart::Messages && moves(&key) {
        if let Some(message) = editor.messages.get_mut(editor.message_index) {
            message.content.input(key);
        }
        return Vec::new();
    }
    if read_only && !action.is_some_and(|a| looks(a, editor)) {
        if action.is_some_and(Action::writes) {
            super::writable(model);
        }
        return Vec::new();
    }
    // While a save is in flight the form stays editable: the answer is
    // reconciled with whatever was typed meanwhile (api::saved).
    match action {
        Some(Action::Save) => return super::assistant_save::save(model),
        Some(Action::Back) => leave(model),
        Some(Action::Reload) => {
            let Some(id) = editor.original.as_ref().map(|o| o.id.clone()) else {
                return Vec::new();
            };
            return request(model, Call::GetAssistant { id }).1;
        }
        Some(Action::TogglePreview) => {
            editor.preview = true;
            editor.preview_scroll = 0;
        }
        Some(action) if part == EditorPart::Messages => on_messages_action(editor, action),
        Some(Action::NextField) => editor.focus = editor.focus.next(),
        Some(Action::PrevField) => editor.focus = editor.focus.prev(),
        Some(Action::Select) => on_select(model),
        Some(Action::ClearChoice) if !editor.focus.is_text() => editor.clear_choice(editor.focus),
        // The secret field takes Del too once nothing is typed: it removes the secret.
        Some(Action::ClearChoice)
            if editor.focus == Field::WebhookSecret && editor.hosted.webhook_secret.is_empty() =>
        {
            editor.clear_choice(Field::WebhookSecret)
        }
        _ => {
            let focus = editor.focus;
            let edited = if part == EditorPart::Messages {
                editor
                    .messages
                    .get_mut(editor.message_index)
                    .is_some_and(|m| m.content.input(key))
            } else if let Some(area) = editor.text_area_mut(focus) {
                area.input(key)
            } else if key.code == KeyCode::Backspace {
                editor.clear_choice(focus);
                true
            } else {
                false
            };
            // The server's last complaint is stale once the user edits; a
            // conflict stays until it is resolved.
            if edited && !editor.conflict {
                editor.server_error = None;
            }
        }
    }
    Vec::new()
}

fn moves(key: &KeyEvent) -> bool {
    matches!(
        key.code,
        KeyCode::Up
            | KeyCode::Down
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::PageUp
            | KeyCode::PageDown
    ) && !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// What a read-only session may do in the editor: move around, look at the
/// messages and the JSON, reload, leave.
fn looks(action: Action, editor: &Editor) -> bool {
    match action {
        Action::NextField
        | Action::PrevField
        | Action::Back
        | Action::TogglePreview
        | Action::Reload
        | Action::PrevMessage
        | Action::NextMessage => true,
        Action::Select => editor.focus == Field::Messages && !editor.in_messages,
        _ => false,
    }
}

/// The preview is read-only: keys scroll it or close it, never edit behind it.
fn on_preview_action(editor: &mut Editor, action: Action) {
    const PAGE: u16 = 10;
    let scroll = &mut editor.preview_scroll;
    match action {
        Action::Back => editor.preview = false,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1),
        Action::PageUp => *scroll = scroll.saturating_sub(PAGE),
        Action::PageDown => *scroll = scroll.saturating_add(PAGE),
        Action::Top => *scroll = 0,
        _ => {}
    }
}

fn on_messages_action(editor: &mut Editor, action: Action) {
    match action {
        Action::AddMessage => editor.add_message(),
        Action::RemoveMessage => editor.remove_message(),
        Action::CycleRole => {
            if let Some(message) = editor.messages.get_mut(editor.message_index) {
                let i = ROLES
                    .iter()
                    .position(|r| *r == message.role)
                    .map_or(0, |i| (i + 1) % ROLES.len());
                message.role = ROLES[i].to_owned();
            }
        }
        Action::PrevMessage => editor.message_index = editor.message_index.saturating_sub(1),
        Action::NextMessage => {
            editor.message_index =
                (editor.message_index + 1).min(editor.messages.len().saturating_sub(1));
        }
        _ => {}
    }
}

fn on_select(model: &mut Model) {
    let read_only = model.read_only();
    let Some(editor) = &mut model.server.editor else {
        return;
    };
    match editor.focus {
        Field::Messages if read_only => editor.in_messages = !editor.messages.is_empty(),
        Field::SttModel => lists::start_pick(model, PickTarget::SttModel),
        Field::LlmModel => lists::start_pick(model, PickTarget::LlmModel),
        Field::TtsProvider | Field::TtsModel | Field::VoiceId
            if editor.realtime_llm(&model.server.catalog).is_some() =>
        {
            let label = editor
                .realtime_llm(&model.server.catalog)
                .map_or_else(String::new, |p| p.label.clone());
            let text = format!("{label} speaks by itself: choose a text LLM to use a TTS voice");
            super::toast(model, text, false);
        }
        Field::TtsModel => lists::start_pick(model, PickTarget::TtsModel),
        Field::TtsProvider => voice_picks::pick_tts_provider(model),
        Field::SttLanguage => {
            let languages = editor.languages(&model.server.catalog);
            if languages.is_empty() {
                editor.server_error = Some(crate::domain::FieldError::new(
                    "stt_config.language",
                    "choose an STT model first",
                ));
                return;
            }
            let current = editor.stt.as_ref().and_then(|s| s.language.clone());
            // Named, so `dutch` finds `nl`; the code is what is set.
            let labels = languages.iter().map(|l| with_language_name(l)).collect();
            model.server.picker = Some(Picker::labelled(
                Choosing::SttLanguage,
                "STT language",
                labels,
                languages,
                current.as_deref(),
            ));
        }
        field if field.is_toggle() => editor.toggle(field),
        field @ (Field::LlmVoice | Field::VoiceId) => voice_picks::pick_voice(model, field),
        Field::Messages => {
            if editor.messages.is_empty() {
                editor.add_message();
            }
            editor.in_messages = true;
        }
        _ => editor.focus = editor.focus.next(),
    }
}

fn leave(model: &mut Model) {
    let Some(editor) = &mut model.server.editor else {
        return;
    };
    if editor.in_messages {
        editor.in_messages = false;
    } else if editor.is_dirty() {
        model.server.confirm = Some(Confirm {
            title: "Unsaved changes".into(),
            lines: vec![
                "This assistant has changes that are not saved.".into(),
                "Discard them?".into(),
            ],
            on_yes: ConfirmAction::DiscardEdits,
        });
    } else {
        model.server.editor = None;
    }
}

pub fn on_picker_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(picker) = &mut model.server.picker else {
        return Vec::new();
    };
    match (action, key.code) {
        (Some(Action::Back), _) => model.server.picker = None,
        (Some(Action::Up), _) => picker.move_by(-1),
        (Some(Action::Down), _) => picker.move_by(1),
        (Some(Action::Select), _) => {
            let chosen = picker.chosen().map(str::to_owned);
            let choosing = picker.choosing;
            model.server.picker = None;
            match (choosing, &chosen) {
                (Choosing::Profile, Some(name)) => {
                    return super::command::switch_profile(model, name.clone());
                }
                (Choosing::Organization, Some(id)) => return super::orgs::open(model, id),
                _ => {}
            }
            let (Some(chosen), Some(editor)) = (chosen, &mut model.server.editor) else {
                return Vec::new();
            };
            match choosing {
                Choosing::SttLanguage => {
                    if let Some(stt) = &mut editor.stt {
                        stt.language = Some(chosen);
                    }
                }
                Choosing::LlmVoice => editor.set_voice(Field::LlmVoice, &chosen),
                Choosing::TtsVoice => editor.set_voice(Field::VoiceId, &chosen),
                Choosing::TtsProvider => {
                    if let Some(text) = editor.set_tts_provider(&chosen, &model.server.catalog) {
                        super::toast(model, text, true);
                    }
                }
                Choosing::Profile | Choosing::Organization => {}
            }
        }
        (None, KeyCode::Backspace) => {
            picker.edit_filter(FilterEdit::Pop);
        }
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            picker.edit_filter(FilterEdit::Push(c));
        }
        _ => {}
    }
    Vec::new()
}

pub fn paste(editor: &mut Editor, text: &str) {
    // Terminals paste line breaks as CR.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if editor.in_messages {
        if let Some(message) = editor.messages.get_mut(editor.message_index) {
            message.content.insert_str(&text);
        }
    } else if let Some(area) = editor.text_area_mut(editor.focus) {
        // Single-line fields: a pasted line break would only be an error later.
        area.insert_str(text.trim_matches('\n').replace('\n', " "));
    }
}

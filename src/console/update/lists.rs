//! The two filterable lists: Models (with provider tabs) and Assistants.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{Confirm, ConfirmAction, Model, PickTarget, Screen};
use super::super::editor::Editor;
use super::super::inputs::off_thread;
use super::super::keymap::{Action, Scope};
use super::super::list::sort::{ASSISTANT_SORTS, MODEL_SORTS, next};
use super::super::list::{FilterEdit, Ranking};
use super::super::msg::{Call, Cmd, Ranked};
use super::super::screens::AssistantRow;
use super::{open_editor, request, toast, writable};
use crate::domain::Assistant;

/// Changes the filter of the screen's list; the list ranks (a long
/// ranking goes to the worker) and the screen keeps what follows from it.
fn edit_filter(model: &mut Model, edit: FilterEdit) -> Vec<Cmd> {
    match model.session.screen {
        Screen::Models => model.server.models.edit_filter(edit),
        Screen::Providers => model.server.providers.edit_filter(edit),
        Screen::Assistants => return off_thread(model.server.assistants.edit_filter(edit)),
    }
    Vec::new()
}

fn filtering_mut(model: &mut Model) -> &mut bool {
    match model.session.screen {
        Screen::Models => &mut model.server.models.list.filtering,
        Screen::Assistants => &mut model.server.assistants.list.filtering,
        Screen::Providers => &mut model.server.providers.list.filtering,
    }
}

fn filter_of(model: &Model) -> &str {
    match model.session.screen {
        Screen::Models => model.server.models.list.filter(),
        Screen::Assistants => model.server.assistants.list.filter(),
        Screen::Providers => model.server.providers.list.filter(),
    }
}

/// Moves the selection of the Models or Assistants list.
pub fn move_by(model: &mut Model, delta: isize, page: usize) {
    match model.session.screen {
        Screen::Models => model.server.models.list.move_by(delta, page),
        Screen::Assistants => model.server.assistants.list.move_by(delta, page),
        Screen::Providers => {}
    }
}

pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let page = model.list_page();
    // While typing, the arrows step through the providers that match,
    // one at a time, as they do through a list.
    if model.session.screen == Screen::Providers
        && let Some(arrow @ (Action::Up | Action::Down)) = action
    {
        let step = if arrow == Action::Up {
            Action::Left
        } else {
            Action::Right
        };
        super::provider_list::step(model, step);
        return Vec::new();
    }
    match (action, key.code) {
        (Some(Action::Back), _) => {
            *filtering_mut(model) = false;
            return edit_filter(model, FilterEdit::Clear);
        }
        (Some(Action::Select), _) => *filtering_mut(model) = false,
        (Some(Action::Up), _) => move_by(model, -1, page),
        (Some(Action::Down), _) => move_by(model, 1, page),
        (None, KeyCode::Backspace) => return edit_filter(model, FilterEdit::Pop),
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            return edit_filter(model, FilterEdit::Push(c));
        }
        _ => {}
    }
    Vec::new()
}

/// Esc on a list: first drop the filter, then leave a pick for the editor.
pub fn back(model: &mut Model) -> Vec<Cmd> {
    if !filter_of(model).is_empty() {
        return edit_filter(model, FilterEdit::Clear);
    }
    if model.session.screen == Screen::Models && model.server.models.target().is_some() {
        model.server.models.set_target(None);
        model.session.screen = Screen::Assistants;
    }
    Vec::new()
}

pub fn paste_into_filter(model: &mut Model, text: &str) -> Vec<Cmd> {
    if !*filtering_mut(model) {
        return Vec::new();
    }
    edit_filter(model, FilterEdit::Paste(text.trim().to_owned()))
}

/// A ranking the worker finished, for the Assistants list; a stale one
/// changes nothing.
pub fn ranked(model: &mut Model, ranked: Ranked) -> Vec<Cmd> {
    match model.server.assistants.list.apply_ranking(ranked) {
        Ranking::Stale => Vec::new(),
        Ranking::Applied(more) => off_thread(more),
    }
}

/// `s`: the next order, with the selected row still selected.
fn cycle_sort(model: &mut Model) -> Vec<Cmd> {
    let page = model.list_page();
    match model.session.screen {
        Screen::Assistants => {
            let list = &mut model.server.assistants.list;
            return off_thread(list.set_sort(next(&ASSISTANT_SORTS, list.sort()), page));
        }
        Screen::Models => {
            let list = &mut model.server.models.list;
            let _ = list.set_sort(next(&MODEL_SORTS, list.sort()), page);
        }
        Screen::Providers => {}
    }
    Vec::new()
}

pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    match (model.session.screen, action) {
        (_, Action::Filter) => *filtering_mut(model) = true,
        (
            _,
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom,
        ) => {
            let page = model.list_page();
            let delta = match action {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -(page as isize),
                Action::PageDown => page as isize,
                Action::Top => isize::MIN,
                _ => isize::MAX,
            };
            move_by(model, delta, page);
        }
        (Screen::Models, Action::Left | Action::Right) => {
            model.server.models.step_tab(action == Action::Right);
        }
        (Screen::Models | Screen::Assistants, Action::Sort) => return cycle_sort(model),
        (Screen::Models, Action::Select) => pick_model(model),
        (Screen::Assistants, Action::Select) => return open_selected(model),
        (Screen::Assistants, Action::New | Action::Delete) if !writable(model) => {}
        (Screen::Assistants, Action::New) => {
            let editor = Editor::new_assistant(&model.server.catalog);
            open_editor(model, editor)
        }
        (Screen::Assistants, Action::Delete) => confirm_delete(model),
        _ => {}
    }
    Vec::new()
}

/// Opens the Models screen to choose a model for the editor's field.
pub fn start_pick(model: &mut Model, target: PickTarget) {
    model.server.models.set_target(Some(target));
    model.server.models.edit_filter(FilterEdit::Clear);
    model.server.models.set_tab(0);
    model.session.screen = Screen::Models;
    let current = model.server.editor.as_ref().and_then(|e| match target {
        PickTarget::SttModel => e
            .stt
            .as_ref()
            .map(|c| (c.provider.clone(), c.model.clone())),
        PickTarget::LlmModel => e
            .llm
            .as_ref()
            .map(|c| (c.provider.clone(), c.model.clone())),
        PickTarget::TtsModel => e
            .tts
            .as_ref()
            .map(|c| (c.provider.clone(), c.model.clone())),
    });
    let Some((provider, current)) = current else {
        return;
    };
    // Open where the field stands: its provider's tab, its model selected.
    let tabs = model.model_tabs();
    let config = model.server.models.config().loaded();
    if let Some(tab) = tabs.iter().position(|&i| {
        config
            .and_then(|c| c.providers.get(i))
            .is_some_and(|p| p.id == provider)
    }) {
        model.server.models.set_tab(tab);
    }
    if let Some(current) = current {
        let position = model.visible_models().iter().position(|m| m.id == current);
        model.server.models.list.select(position.unwrap_or(0));
    }
}

fn pick_model(model: &mut Model) {
    let Some(target) = model.server.models.target() else {
        let assistants = model
            .session
            .keymap
            .key_of(Scope::Global, Action::Assistants);
        let text = format!(
            "To use a model, open an assistant ({assistants}) and choose it from a model field"
        );
        toast(model, text, false);
        return;
    };
    let Some(tab) = model.current_tab() else {
        return;
    };
    let provider = tab.id.clone();
    let voices_only = tab.models.is_empty();
    let selected = model
        .server
        .models
        .list
        .selected_item()
        .map(|m| m.id.clone());
    let chosen = match (selected, voices_only) {
        (Some(chosen), _) => chosen,
        // Nothing to choose but the provider itself.
        (None, true) => String::new(),
        (None, false) => return,
    };
    let mut notice = None;
    if let Some(editor) = &mut model.server.editor {
        notice = match target {
            PickTarget::SttModel => editor.set_stt_model(&provider, &chosen, &model.server.catalog),
            PickTarget::LlmModel => editor.set_llm_model(&provider, &chosen, &model.server.catalog),
            PickTarget::TtsModel => {
                let model_id = Some(chosen.as_str()).filter(|m| !m.is_empty());
                let dropped = editor.set_tts_model(&provider, model_id, &model.server.catalog);
                let what = if chosen.is_empty() {
                    &provider
                } else {
                    &chosen
                };
                (!dropped.is_empty())
                    .then(|| format!("{what} does not take {}: removed", dropped.join(", ")))
            }
        };
    }
    if let Some(text) = notice {
        toast(model, text, true);
    }
    model.server.models.set_target(None);
    model.server.models.edit_filter(FilterEdit::Clear);
    model.session.screen = Screen::Assistants;
}

fn selected_assistant(model: &Model) -> Option<&AssistantRow> {
    model.server.assistants.loaded()?;
    model.server.assistants.list.selected_item()
}

fn open_selected(model: &mut Model) -> Vec<Cmd> {
    match selected_assistant(model).and_then(AssistantRow::assistant) {
        Some(assistant) => open(model, assistant),
        None => Vec::new(),
    }
}

pub fn open(model: &mut Model, assistant: Assistant) -> Vec<Cmd> {
    let id = assistant.id.clone();
    // Open at once with what the list had; the fresh copy (and its ETag) follows.
    // Its revision gives an If-Match even if the user saves before the fetch lands.
    let etag = assistant.etag();
    let editor = Editor::open(assistant, etag, &model.server.catalog);
    open_editor(model, editor);
    request(model, Call::GetAssistant { id }).1
}

fn confirm_delete(model: &mut Model) {
    let Some(assistant) = selected_assistant(model) else {
        return;
    };
    model.server.confirm = Some(Confirm {
        title: "Delete assistant".into(),
        lines: vec![
            format!("Delete {:?}?", &*assistant.name),
            "This cannot be undone.".into(),
        ],
        on_yes: ConfirmAction::DeleteAssistant {
            id: assistant.id.to_string(),
        },
    });
}

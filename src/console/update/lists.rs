//! The two filterable lists: Models (with provider tabs) and Assistants.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::Assistant;

use super::super::app::{Confirm, ConfirmAction, ListState, Model, PickTarget, Screen};
use super::super::editor::Editor;
use super::super::keymap::{Action, Scope};
use super::super::msg::{Call, Cmd};
use super::{open_editor, request, toast, writable};

fn list_mut(model: &mut Model) -> Option<&mut ListState> {
    match model.session.screen {
        Screen::Models => Some(&mut model.server.models.list),
        Screen::Assistants => Some(&mut model.server.assistant_list),
        Screen::Providers => Some(&mut model.server.provider_list),
    }
}

fn refresh_current(model: &mut Model) -> Vec<Cmd> {
    match model.session.screen {
        Screen::Models => refresh_models(model),
        Screen::Assistants => return super::filter::refresh_assistants(model),
        Screen::Providers => super::provider_list::filter_changed(model),
    }
    Vec::new()
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
    let Some(list) = list_mut(model) else {
        return Vec::new();
    };
    match (action, key.code) {
        (Some(Action::Back), _) => {
            list.filtering = false;
            list.filter.clear();
        }
        (Some(Action::Select), _) => list.filtering = false,
        (Some(Action::Up), _) => list.move_by(-1, page),
        (Some(Action::Down), _) => list.move_by(1, page),
        (None, KeyCode::Backspace) => {
            list.filter.pop();
        }
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            list.filter.push(c);
            list.selected = 0;
        }
        _ => return Vec::new(),
    }
    refresh_current(model)
}

/// Esc on a list: first drop the filter, then leave a pick for the editor.
pub fn back(model: &mut Model) -> Vec<Cmd> {
    let filtered = list_mut(model)
        .filter(|l| !l.filter.is_empty())
        .map(|l| l.filter.clear())
        .is_some();
    if filtered {
        return refresh_current(model);
    }
    if model.session.screen == Screen::Models && model.server.models.target.is_some() {
        model.server.models.target = None;
        model.session.screen = Screen::Assistants;
    }
    Vec::new()
}

pub fn paste_into_filter(model: &mut Model, text: &str) -> Vec<Cmd> {
    let Some(list) = list_mut(model).filter(|l| l.filtering) else {
        return Vec::new();
    };
    list.filter.push_str(text.trim());
    refresh_current(model)
}

pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    match (model.session.screen, action) {
        (_, Action::Filter) => {
            if let Some(list) = list_mut(model) {
                list.filtering = true;
            }
        }
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
            if let Some(list) = list_mut(model) {
                list.move_by(delta, page);
            }
        }
        (Screen::Models, Action::Left | Action::Right) => {
            let tabs = model.model_tabs().len();
            if tabs > 0 {
                let t = model.server.models.tab;
                model.server.models.tab = if action == Action::Left {
                    (t + tabs - 1) % tabs
                } else {
                    (t + 1) % tabs
                };
                model.server.models.list.selected = 0;
                refresh_models(model);
            }
        }
        (Screen::Models | Screen::Assistants, Action::Sort) => return super::sort::cycle(model),
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

pub fn refresh_models(model: &mut Model) {
    let tabs = model.model_tabs().len();
    model.server.models.tab = model.server.models.tab.min(tabs.saturating_sub(1));
    let sort = model.server.models.list.sort;
    let visible = match model.current_tab() {
        Some(provider) => {
            let haystacks: Vec<String> = provider
                .models
                .iter()
                .map(|m| format!("{} {}", m.id, m.name.as_deref().unwrap_or("")))
                .collect();
            let mut visible =
                crate::console::fuzzy::matching(&model.server.models.list.filter, &haystacks);
            if let Some(sort) = sort {
                let id = |i: &usize| provider.models.get(*i).map(|m| m.id.to_lowercase());
                visible.sort_by_cached_key(id);
                if sort.descending {
                    super::sort::reverse_keeping_ties(&mut visible, id);
                }
            }
            visible
        }
        None => Vec::new(),
    };
    let list = &mut model.server.models.list;
    list.visible = visible;
    list.selected = list.selected.min(list.visible.len().saturating_sub(1));
    list.offset = list.offset.min(list.selected);
}

/// Opens the Models screen to choose a model for the editor's field.
pub fn start_pick(model: &mut Model, target: PickTarget) {
    model.server.models.target = Some(target);
    model.server.models.tab = 0;
    model.server.models.list.filter.clear();
    model.server.models.list.selected = 0;
    model.session.screen = Screen::Models;
    refresh_models(model);
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
    let config = model.server.config.loaded();
    if let Some(tab) = tabs.iter().position(|&i| {
        config
            .and_then(|c| c.providers.get(i))
            .is_some_and(|p| p.id == provider)
    }) {
        model.server.models.tab = tab;
        refresh_models(model);
    }
    if let Some(current) = current {
        let position = model.visible_models().iter().position(|m| m.id == current);
        model.server.models.list.selected = position.unwrap_or(0);
    }
}

fn pick_model(model: &mut Model) {
    let Some(target) = model.server.models.target else {
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
        .visible_models()
        .get(model.server.models.list.selected)
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
    model.server.models.target = None;
    model.server.models.list.filter.clear();
    model.session.screen = Screen::Assistants;
}

fn selected_assistant(model: &Model) -> Option<&Assistant> {
    let index = *model
        .server
        .assistant_list
        .visible
        .get(model.server.assistant_list.selected)?;
    model.server.assistants.loaded()?.get(index)
}

fn open_selected(model: &mut Model) -> Vec<Cmd> {
    match selected_assistant(model).cloned() {
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
            format!("Delete {:?}?", assistant.name),
            "This cannot be undone.".into(),
        ],
        on_yes: ConfirmAction::DeleteAssistant {
            id: assistant.id.clone(),
        },
    });
}

//! Keys and pastes, routed by the one `Focus`: the key becomes an action
//! through the keymap first, so every key, F1 and Ctrl-C included, can be
//! rebound; a key no binding claims is text where the focus takes text.

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::super::activity;
use super::super::app::{Confirm, ConfirmAction, Model, Screen};
use super::super::context::Context;
use super::super::focus::{EditorPart, Focus};
use super::super::keymap::{Action, Scope};
use super::super::list::FilterEdit;
use super::super::msg::Cmd;
use super::{command, confirm, copy, editor, lists, providers, refresh};

pub fn on_key(model: &mut Model, cx: &Context, key: KeyEvent) -> Vec<Cmd> {
    if key.kind == KeyEventKind::Release {
        model.unchanged = true;
        return Vec::new();
    }
    let focus = Focus::of(model);
    let action = cx.keymap.action_for(focus.scopes(), &key);
    match (action, focus) {
        (Some(Action::Suspend), _) => {
            model.suspend = true;
            Vec::new()
        }
        (_, Focus::Confirm) => confirm::on_key(model, cx, action),
        (Some(Action::Quit), _) => {
            ask_to_quit(model, cx);
            Vec::new()
        }
        (_, Focus::TooSmall) => Vec::new(),
        (_, Focus::Help) => {
            model.help = false;
            Vec::new()
        }
        (Some(Action::Help), _) => {
            model.help = true;
            Vec::new()
        }
        (_, Focus::Command) => command::on_key(model, cx, action, key),
        (Some(action @ (Action::CopyId | Action::CopyJson | Action::CopyCurl)), _) => {
            copy::on_copy(model, cx, focus, action)
        }
        (_, Focus::Log) => {
            activity::on_key(model, action);
            Vec::new()
        }
        (_, Focus::Picker) => {
            editor::on_picker_key(model, cx, action, key);
            Vec::new()
        }
        (_, Focus::KeyForm) => providers::on_key_form_key(model, cx, action, key),
        (_, Focus::Editor(part)) => editor::on_key(model, cx, part, action, key),
        (_, Focus::Filter(_)) => {
            lists::on_filter_key(model, action, key);
            Vec::new()
        }
        (Some(action), Focus::Screen(_)) => on_action(model, cx, action),
        (None, Focus::Screen(_)) => {
            model.unchanged = true;
            Vec::new()
        }
    }
}

/// A paste goes where a typed key would go, and nowhere when that place
/// shows no text field: a pasted key must never land in a field the user
/// cannot see.
pub fn on_paste(model: &mut Model, cx: &Context, text: &str) {
    match Focus::of(model) {
        Focus::Command => command::paste(model, text),
        Focus::Picker => {
            if let Some(picker) = &mut model.picker {
                picker.edit_filter(FilterEdit::Paste(text.trim().to_owned()));
            }
        }
        Focus::KeyForm => {
            if let Some(form) = model.key_form.as_mut().filter(|f| !f.is_sending()) {
                form.error = form.paste(text).err();
            }
        }
        Focus::Editor(EditorPart::Fields | EditorPart::Messages) if !cx.read_only => {
            if let Some(editor) = &mut model.editor {
                editor::paste(editor, text);
            }
        }
        Focus::Filter(_) => lists::paste_into_filter(model, text),
        _ => model.unchanged = true,
    }
}

/// An action on one of the three screens.
pub fn on_action(model: &mut Model, cx: &Context, action: Action) -> Vec<Cmd> {
    match action {
        Action::NextScreen | Action::PrevScreen => {
            let i = Screen::ALL
                .iter()
                .position(|s| *s == model.screen)
                .unwrap_or(0);
            let n = Screen::ALL.len();
            let step = if action == Action::NextScreen {
                1
            } else {
                n - 1
            };
            go_to(model, Screen::ALL[(i + step) % n]);
        }
        Action::Providers => go_to(model, Screen::Providers),
        Action::Models => go_to(model, Screen::Models),
        Action::Assistants => go_to(model, Screen::Assistants),
        Action::Refresh => return refresh(model),
        Action::Command => command::open(model),
        Action::ShowLog => activity::open_log(model),
        Action::Back => lists::back(model),
        _ if !cx.offers(action) => {
            super::writable(model, cx);
        }
        _ => match model.screen {
            Screen::Providers => return providers::on_action(model, cx, action),
            Screen::Models | Screen::Assistants => return lists::on_action(model, cx, action),
        },
    }
    Vec::new()
}

fn go_to(model: &mut Model, screen: Screen) {
    model.screen = screen;
}

pub fn ask_to_quit(model: &mut Model, cx: &Context) {
    if model.has_unsaved_edits() {
        let again = cx.keymap.key_of(Scope::Always, Action::Quit);
        model.confirm = Some(Confirm {
            title: "Quit?".into(),
            lines: vec![
                "You have unsaved work (an assistant edit or a typed key).".into(),
                format!("Quit and discard it? ({again} again also quits)"),
            ],
            on_yes: ConfirmAction::Quit,
        });
    } else {
        model.quit = true;
    }
}

//! Keys and pastes, routed by the one `Focus`: the key becomes an action
//! through the keymap first, so every key, F1 and Ctrl-C included, can be
//! rebound; a key no binding claims is text where the focus takes text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::super::activity;
use super::super::app::{Confirm, ConfirmAction, Model, Screen};
use super::super::focus::{EditorPart, Focus};
use super::super::keymap::{Action, Scope};
use super::super::list::FilterEdit;
use super::super::msg::{Cmd, Effect};
use super::{command, confirm, copy, editor, lists, providers, refresh};

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let focus = Focus::of(model);
    let action = model.session.keymap.action_for(focus.scopes(), &key);
    match (action, focus) {
        (Some(Action::Suspend), _) => vec![Cmd::Console(Effect::Suspend)],
        (_, Focus::Confirm) => confirm::on_key(model, action),
        (Some(Action::Quit), _) => ask_to_quit(model),
        (_, Focus::TooSmall) => Vec::new(),
        (_, Focus::Help) => {
            if !scroll_help(model, key.code) {
                model.server.help = false;
                model.server.help_commands = false;
            }
            Vec::new()
        }
        (Some(Action::Help), _) => {
            model.server.help = true;
            model.server.help_scroll = 0;
            Vec::new()
        }
        (_, Focus::Command) => command::on_key(model, action, key),
        (Some(action @ (Action::CopyId | Action::CopyJson | Action::CopyCurl)), _) => {
            copy::on_copy(model, focus, action)
        }
        (_, Focus::Log) => {
            activity::on_key(model, action);
            Vec::new()
        }
        (_, Focus::LogFilter) => {
            activity::on_filter_key(model, action, key);
            Vec::new()
        }
        (_, Focus::Picker) => editor::on_picker_key(model, action, key),
        (_, Focus::KeyForm) => providers::on_key_form_key(model, action, key),
        (_, Focus::Editor(part)) => editor::on_key(model, part, action, key),
        (_, Focus::Filter(_)) => lists::on_filter_key(model, action, key),
        (Some(action), Focus::Screen(_)) => on_action(model, action),
        (None, Focus::Screen(_)) => Vec::new(),
    }
}

/// Help longer than the screen scrolls with the arrows and the page keys;
/// every other key, and every key when it all fits, still closes it.
fn scroll_help(model: &mut Model, code: KeyCode) -> bool {
    let most = crate::console::view::help_overflow(model);
    if most == 0 {
        return false;
    }
    let page = usize::from(model.session.size.1 / 2).max(1);
    let at = model.server.help_scroll.min(most);
    model.server.help_scroll = match code {
        KeyCode::Down => at + 1,
        KeyCode::Up => at.saturating_sub(1),
        KeyCode::PageDown => at + page,
        KeyCode::PageUp => at.saturating_sub(page),
        _ => return false,
    }
    .min(most);
    true
}

/// A paste goes where a typed key would go, and nowhere when that place
/// shows no text field: a pasted key must never land in a field the user
/// cannot see.
pub fn on_paste(model: &mut Model, text: &str) -> Vec<Cmd> {
    match Focus::of(model) {
        Focus::Command => command::paste(model, text),
        Focus::Picker => {
            if let Some(picker) = &mut model.server.picker {
                picker.edit_filter(FilterEdit::Paste(text.trim().to_owned()));
            }
        }
        Focus::KeyForm => {
            if let Some(form) = model.server.key_form.as_mut().filter(|f| !f.is_sending()) {
                form.error = form.paste(text).err();
            }
        }
        Focus::Editor(EditorPart::Fields | EditorPart::Messages) if !model.read_only() => {
            if let Some(editor) = &mut model.server.editor {
                editor::paste(editor, text);
            }
        }
        Focus::Filter(_) => return lists::paste_into_filter(model, text),
        Focus::LogFilter => activity::paste_into_filter(model, text),
        _ => {}
    }
    Vec::new()
}

/// An action on one of the three screens.
pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::NextScreen | Action::PrevScreen => {
            let i = Screen::ALL
                .iter()
                .position(|s| *s == model.session.screen)
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
        Action::Back => return lists::back(model),
        _ if !model.offers(action) => {
            super::writable(model);
        }
        _ => match model.session.screen {
            Screen::Providers => return providers::on_action(model, action),
            Screen::Models | Screen::Assistants => return lists::on_action(model, action),
        },
    }
    Vec::new()
}

fn go_to(model: &mut Model, screen: Screen) {
    model.session.screen = screen;
}

pub fn ask_to_quit(model: &mut Model) -> Vec<Cmd> {
    if !model.has_unsaved_edits() {
        return vec![Cmd::Console(Effect::Quit)];
    }
    let again = model.session.keymap.key_of(Scope::Always, Action::Quit);
    model.server.confirm = Some(Confirm {
        title: "Quit?".into(),
        lines: vec![
            "You have unsaved work (an assistant edit or a typed key).".into(),
            format!("Quit and discard it? ({again} again also quits)"),
        ],
        on_yes: ConfirmAction::Quit,
    });
    Vec::new()
}

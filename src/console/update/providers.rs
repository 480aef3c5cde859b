//! The Providers screen and the key form over it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{Confirm, ConfirmAction, Model};
use super::super::context::Context;
use super::super::key_form::KeyForm;
use super::super::keymap::{Action, Scope};
use super::super::layout::provider_columns;
use super::super::msg::{Call, Cmd};
use super::super::providers::{in_brief, users_of};
use super::{request, toast, writable};

pub fn on_action(model: &mut Model, cx: &Context, action: Action) -> Vec<Cmd> {
    let count = model.provider_rows.len();
    let columns = provider_columns(model.size, count) as isize;
    let last = count.saturating_sub(1);
    let target = match action {
        Action::Left => model.provider_focus as isize - 1,
        Action::Right => model.provider_focus as isize + 1,
        Action::Up => model.provider_focus as isize - columns,
        Action::Down => model.provider_focus as isize + columns,
        Action::Top => 0,
        Action::Bottom => last as isize,
        // A page of the list is a screenful of rows; of the grid, a column.
        Action::PageUp | Action::PageDown => {
            let page = if columns == 1 {
                model.list_page() as isize
            } else {
                columns * 2
            };
            let step = if action == Action::PageUp {
                -page
            } else {
                page
            };
            (model.provider_focus as isize + step).clamp(0, last as isize)
        }
        Action::AddKey | Action::RemoveKey if !writable(model, cx) => return Vec::new(),
        Action::AddKey => {
            open_key_form(model);
            return Vec::new();
        }
        Action::RemoveKey => {
            confirm_remove_key(model, cx);
            return Vec::new();
        }
        _ => {
            model.unchanged = true;
            return Vec::new();
        }
    };
    if (0..count as isize).contains(&target) {
        model.provider_focus = target as usize;
    }
    Vec::new()
}

fn open_key_form(model: &mut Model) {
    if let Some(row) = model.provider_rows.get(model.provider_focus) {
        model.key_form = Some(KeyForm::for_provider(&model.catalog, &row.id));
    }
}

fn confirm_remove_key(model: &mut Model, cx: &Context) {
    let Some(row) = model.provider_rows.get(model.provider_focus).cloned() else {
        return;
    };
    match row.configured {
        Some(true) => {}
        Some(false) => {
            let text = format!(
                "{} has no key of yours: it already uses the platform's default keys",
                row.name
            );
            return toast(model, text, false);
        }
        None => {
            let refresh = cx.keymap.key_of(Scope::Global, Action::Refresh);
            let text = format!(
                "{}'s key status is not known yet: press {refresh} to refresh first",
                row.name
            );
            return toast(model, text, true);
        }
    }
    let mut lines = vec![format!(
        "Remove your {} key ({})?",
        row.name,
        row.key_hint.as_deref().unwrap_or("hint unknown")
    )];
    // Up to five names, then how many more: the question must fit on screen.
    lines.push(match users_of(model, &row.id, 5) {
        None => {
            "Assistants using it (still loading) will fall back to the platform's default keys."
                .into()
        }
        Some((_, 0)) => "No assistant uses this provider.".into(),
        Some((names, total)) => format!(
            "These assistants will fall back to the platform's default keys: {}",
            in_brief(&names, total)
        ),
    });
    model.confirm = Some(Confirm {
        title: "Remove key".into(),
        lines,
        on_yes: ConfirmAction::DeleteKey { provider: row.id },
    });
}

pub fn on_key_form_key(
    model: &mut Model,
    cx: &Context,
    action: Option<Action>,
    key: KeyEvent,
) -> Vec<Cmd> {
    let Some(form) = &mut model.key_form else {
        return Vec::new();
    };
    let sending = form.is_sending();
    match action {
        Some(Action::Back) if form.has_typed() => {
            model.confirm = Some(Confirm {
                title: "Discard the key?".into(),
                lines: vec![
                    "The key you typed has not been saved.".into(),
                    "Close the form and forget it?".into(),
                ],
                on_yes: ConfirmAction::DiscardKey,
            });
        }
        Some(Action::Back) => model.key_form = None,
        // With nothing typed the screens go on as everywhere; once a key is
        // typed Tab does nothing (in a masked field it would be invisible).
        Some(action @ (Action::NextScreen | Action::PrevScreen))
            if !form.has_typed() && !sending =>
        {
            model.key_form = None;
            return super::keys::on_action(model, cx, action);
        }
        Some(Action::NextScreen | Action::PrevScreen) => {}
        Some(Action::Save) if sending => {}
        Some(Action::Save) => return submit_key(model),
        _ if sending => {}
        Some(Action::ClearField) => form.clear(),
        Some(Action::DeleteWord) => form.delete_word(),
        Some(Action::DeleteToEnd) => form.delete_to_end(),
        Some(Action::NewLine) if form.format.is_multi_line() => form.input.insert_newline(),
        Some(_) => {}
        // Only plain typing and moving: the text area's cut, yank and undo
        // would keep copies of the key where nothing wipes them.
        None if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {}
        None if matches!(
            key.code,
            KeyCode::Char(_)
                | KeyCode::Backspace
                | KeyCode::Delete
                | KeyCode::Left
                | KeyCode::Right
                | KeyCode::Home
                | KeyCode::End
                | KeyCode::Up
                | KeyCode::Down
        ) =>
        {
            form.input.input(key);
        }
        None => {}
    }
    if let Some(form) = &mut model.key_form
        && !sending
        && !matches!(action, Some(Action::Save))
    {
        form.error = None;
    }
    Vec::new()
}

fn submit_key(model: &mut Model) -> Vec<Cmd> {
    let Some(form) = &mut model.key_form else {
        return Vec::new();
    };
    if !form.can_submit(&model.catalog) {
        let message = form
            .validation(&model.catalog)
            .map(|e| e.message)
            .unwrap_or_else(|| "type or paste the key first".into());
        form.error = Some(message);
        return Vec::new();
    }
    let provider = form.provider.clone();
    let key = form.take_key();
    let (id, cmds) = request(
        model,
        Call::SetKey {
            provider,
            key: key.clone(),
        },
    );
    if let Some(form) = &mut model.key_form {
        form.sending(id, key);
    }
    cmds
}

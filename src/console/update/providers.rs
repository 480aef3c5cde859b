//! The Providers screen and the key form over it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{Confirm, ConfirmAction, Model};
use super::super::key_form::{FormCheck, FormCheckState, KeyForm};
use super::super::key_state::KeyState;
use super::super::keymap::{Action, Scope};
use super::super::msg::{Call, Cmd};
use super::super::providers::in_brief;
use super::provider_list::step;
use super::{name_of, request, toast, writable};
use crate::domain::{CatalogSource, CheckNeeds};

pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Left
        | Action::Right
        | Action::Up
        | Action::Down
        | Action::Top
        | Action::Bottom
        | Action::PageUp
        | Action::PageDown => step(model, action),
        Action::Filter => model.server.providers.list.filtering = true,
        Action::AddKey | Action::RemoveKey if !writable(model) => {}
        Action::AddKey => open_key_form(model),
        Action::CheckKey => return check_stored_key(model),
        Action::RemoveKey => confirm_remove_key(model),
        _ => {}
    }
    Vec::new()
}

fn open_key_form(model: &mut Model) {
    if let Some(row) = model.server.providers.focused() {
        model.server.key_form = Some(KeyForm::for_provider(&model.server.catalog, &row.id));
    }
}

fn confirm_remove_key(model: &mut Model) {
    let Some(row) = model.server.providers.focused().cloned() else {
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
            let refresh = model.session.keymap.key_of(Scope::Global, Action::Refresh);
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
    lines.push(match model.users_of(&row.id, 5) {
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
    model.server.confirm = Some(Confirm {
        title: "Remove key".into(),
        lines,
        on_yes: ConfirmAction::DeleteKey { provider: row.id },
    });
}

pub fn on_key_form_key(model: &mut Model, action: Option<Action>, key: KeyEvent) -> Vec<Cmd> {
    let Some(form) = &mut model.server.key_form else {
        return Vec::new();
    };
    if form.settings.is_some() {
        return super::settings_step::on_key(model, action, key);
    }
    let sending = form.is_sending();
    match action {
        Some(Action::EditJson) if !sending => {
            super::settings_step::open(model);
            return Vec::new();
        }
        Some(Action::Back) if form.has_typed() => {
            model.server.confirm = Some(Confirm {
                title: "Discard the key?".into(),
                lines: vec![
                    "The key you typed has not been saved.".into(),
                    "Close the form and forget it?".into(),
                ],
                on_yes: ConfirmAction::DiscardKey,
            });
        }
        Some(Action::Back) => model.server.key_form = None,
        // With nothing typed the screens go on as everywhere; once a key is
        // typed Tab does nothing (in a masked field it would be invisible).
        Some(action @ (Action::NextScreen | Action::PrevScreen))
            if !form.has_typed() && !sending =>
        {
            model.server.key_form = None;
            return super::keys::on_action(model, action);
        }
        Some(Action::NextScreen | Action::PrevScreen) => {}
        Some(Action::Save) if sending => {}
        Some(Action::Save) => return save_unless_check_failed(model),
        Some(Action::CheckKey) if sending => {}
        Some(Action::CheckKey) => return check_typed_key(model),
        _ if sending => {}
        Some(Action::ClearField) => form.clear(),
        Some(Action::DeleteWord) => form.delete_word(),
        Some(Action::DeleteToEnd) => form.delete_to_end(),
        Some(Action::NewLine) if form.format.is_multi_line() => form.input.insert_newline(),
        Some(_) => {}
        None if is_plain_typing(&key) => {
            form.input.input(key);
        }
        None => {}
    }
    if let Some(form) = &mut model.server.key_form
        && !sending
        && !matches!(action, Some(Action::Save))
    {
        form.error = None;
    }
    Vec::new()
}

/// A key whose check failed is saved only once the user says so, told
/// what the check found; one not checked or checked without a verdict is
/// saved at once, and the status line says so after.
fn save_unless_check_failed(model: &mut Model) -> Vec<Cmd> {
    let failed = model
        .server
        .key_form
        .as_ref()
        .and_then(|f| f.current_check())
        .filter(|c| KeyState::checked(c.result).failed())
        .map(|c| (c.result, c.reason.clone()));
    let Some((result, reason)) = failed else {
        return submit_key(model);
    };
    let name = model
        .server
        .key_form
        .as_ref()
        .map(|f| name_of(model, &f.provider))
        .unwrap_or_default();
    model.server.confirm = Some(Confirm {
        title: format!("Save a key that checked {}?", result.label()),
        lines: vec![
            format!("The check said: {} — {reason}", result.label()),
            format!("Save this {name} key anyway? Assistants using it may fail on calls."),
        ],
        on_yes: ConfirmAction::SaveKeyAnyway,
    });
    Vec::new()
}

/// Ctrl-T in the form: the typed key goes to its provider (never to our
/// server), with what the account's assistants need of it.
fn check_typed_key(model: &mut Model) -> Vec<Cmd> {
    let Some(form) = &mut model.server.key_form else {
        return Vec::new();
    };
    if !form.has_typed() {
        form.error = Some("type or paste the key first, then check it".into());
        return Vec::new();
    }
    if let Some(e) = form.validation(&model.server.catalog) {
        form.error = Some(e.message);
        return Vec::new();
    }
    if form.is_checking() {
        return Vec::new();
    }
    let Some((key, fingerprint)) = form.key_to_check() else {
        return Vec::new();
    };
    let provider = form.provider.clone();
    let needs = needs_of(model, &provider);
    let (id, cmds) = request(
        model,
        Call::CheckKey {
            provider,
            key,
            needs,
            held: false,
        },
    );
    if let Some(form) = &mut model.server.key_form {
        form.check = Some(FormCheck {
            fingerprint,
            state: FormCheckState::Running(id),
        });
        form.error = None;
    }
    cmds
}

/// `t` on Providers: the server checks its stored key where it can; else
/// the key stored this session is checked from here; else the form opens
/// to take the key again.
fn check_stored_key(model: &mut Model) -> Vec<Cmd> {
    let Some(row) = model.server.providers.focused().cloned() else {
        return Vec::new();
    };
    if model.server.checks.running.contains_key(&row.id) {
        return Vec::new();
    }
    let add = model
        .session
        .keymap
        .key_of(Scope::Providers, Action::AddKey);
    match row.configured {
        Some(true) => {}
        Some(false) => {
            let check = model
                .session
                .keymap
                .key_of(Scope::KeyForm, Action::CheckKey);
            let text = format!(
                "{} has no key of yours to check: {add} adds one, and {check} in the form checks it before saving",
                row.name
            );
            toast(model, text, false);
            return Vec::new();
        }
        None => {
            let refresh = model.session.keymap.key_of(Scope::Global, Action::Refresh);
            let text = format!(
                "{}'s key status is not known yet: press {refresh} to refresh first",
                row.name
            );
            toast(model, text, true);
            return Vec::new();
        }
    }
    let server_checks = model.server.catalog_source == CatalogSource::Served
        && !model.server.checks.server_cannot_check;
    let call = if server_checks {
        Call::CheckStored {
            provider: row.id.clone(),
        }
    } else if let Some(key) = model.server.checks.held(&row.id).cloned() {
        Call::CheckKey {
            needs: needs_of(model, &row.id),
            provider: row.id.clone(),
            key,
            held: true,
        }
    } else if model.read_only() {
        let text = format!(
            "This server cannot check the stored {} key, and a read-only session takes no key to check",
            row.name
        );
        toast(model, text, true);
        return Vec::new();
    } else {
        open_key_form(model);
        let check = model
            .session
            .keymap
            .key_of(Scope::KeyForm, Action::CheckKey);
        if let Some(form) = &mut model.server.key_form {
            form.error = Some(format!(
                "this server cannot check the key it stores: paste it here and press {check} (nothing is saved unless you save)"
            ));
        }
        return Vec::new();
    };
    let (id, cmds) = request(model, call);
    model.server.checks.running.insert(row.id, id);
    cmds
}

/// What the account's assistants ask of `provider`'s key.
fn needs_of(model: &Model, provider: &str) -> CheckNeeds {
    let mut needs = CheckNeeds::default();
    for row in model.server.assistants.loaded().unwrap_or_default() {
        needs.add_uses(&model.server.catalog, row.uses(), provider);
    }
    needs
}

pub(super) fn submit_key(model: &mut Model) -> Vec<Cmd> {
    let Some(form) = &mut model.server.key_form else {
        return Vec::new();
    };
    if !form.can_submit(&model.server.catalog) {
        let message = form
            .validation(&model.server.catalog)
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
    if let Some(form) = &mut model.server.key_form {
        form.sending(id, key);
    }
    cmds
}

/// Only plain typing and moving reach a masked text area: its cut, yank
/// and undo would keep copies of a secret where nothing wipes them.
pub(super) fn is_plain_typing(key: &KeyEvent) -> bool {
    !key.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        && matches!(
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
        )
}

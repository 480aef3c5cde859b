//! `update`: the only place the console's state changes. Pure and
//! synchronous: it returns the effects it wants instead of performing them.

mod api;
mod editor;
mod lists;

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Confirm, ConfirmAction, Connection, Model, Screen, Toast};
use super::editor::Editor;
use super::key_form::KeyForm;
use super::keymap::{Action, Scope};
use super::msg::{Call, CallKind, Cmd, Msg};
use super::providers::{provider_rows, users_of};

pub use lists::{assistant_haystack, current_tab, model_tabs, visible_models};

/// How long a toast stays, in ticks of `TICK`.
pub const TOAST_TICKS: u16 = 40;
pub const TICK: std::time::Duration = std::time::Duration::from_millis(100);

pub fn update(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    let cmds = dispatch(model, msg);
    if model.read_only {
        // The actions refuse first (with a message); this only guarantees
        // that no path added later can write in a read-only session.
        return cmds
            .into_iter()
            .filter(|Cmd::Api { id, call }| {
                let write = call.is_write();
                if write {
                    model.pending.remove(id);
                }
                !write
            })
            .collect();
    }
    cmds
}

/// Says why nothing happens when the session is read-only.
pub(super) fn writable(model: &mut Model) -> bool {
    if model.read_only {
        toast(
            model,
            "Read-only session (--read-only): nothing can be changed",
            true,
        );
    }
    !model.read_only
}

fn dispatch(model: &mut Model, msg: Msg) -> Vec<Cmd> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Msg::Key(key) => on_key(model, key),
        Msg::Paste(text) => {
            on_paste(model, &text.0);
            Vec::new()
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            Vec::new()
        }
        Msg::Tick(now) => on_tick(model, now),
        Msg::Api {
            id,
            received,
            result,
        } => api::on_reply(model, id, received, result),
    }
}

/// The first requests: everything the screens show.
pub fn init(model: &mut Model) -> Vec<Cmd> {
    refresh(model)
}

fn refresh(model: &mut Model) -> Vec<Cmd> {
    [Call::Account, Call::Byok, Call::Catalog, Call::Assistants]
        .into_iter()
        .map(|call| request(model, call))
        .collect()
}

/// Registers a request; a newer load of the same data supersedes an older
/// one still in flight, whose reply will then be dropped.
pub(super) fn request(model: &mut Model, call: Call) -> Cmd {
    let kind = call.kind();
    if matches!(
        kind,
        CallKind::Account | CallKind::Byok | CallKind::Catalog | CallKind::Assistants
    ) {
        model.pending.retain(|_, k| *k != kind);
    }
    let id = model.next_request;
    model.next_request += 1;
    model.pending.insert(id, kind);
    Cmd::Api { id, call }
}

pub(super) fn toast(model: &mut Model, text: impl Into<String>, is_error: bool) {
    model.toast = Some(Toast {
        text: text.into(),
        is_error,
        ticks_left: TOAST_TICKS,
    });
}

fn on_tick(model: &mut Model, now: Instant) -> Vec<Cmd> {
    model.now = Some(now);
    model.spinner = model.spinner.wrapping_add(1);
    if let Some(t) = &mut model.toast {
        t.ticks_left = t.ticks_left.saturating_sub(1);
        if t.ticks_left == 0 {
            model.toast = None;
        }
    }
    let waited = match &model.connection {
        Connection::RateLimited { until } => now >= *until,
        Connection::Unreachable { retry_at, .. } => now >= *retry_at,
        _ => false,
    };
    if !waited {
        return Vec::new();
    }
    model.connection = Connection::Unknown;
    let mut cmds = api::reload_failed(model);
    if cmds.is_empty() {
        // Nothing to reload: one cheap request tells whether it is back.
        cmds.push(request(model, Call::Account));
    }
    cmds
}

/// A paste goes where a typed key would go, decided in the same order as
/// `on_key`, and nowhere when that place shows no text field: a pasted key
/// must never land in a field the user cannot see.
fn on_paste(model: &mut Model, text: &str) {
    if super::view::too_small(model.size) || model.confirm.is_some() || model.help {
        return;
    }
    if let Some(picker) = &mut model.picker {
        let filter = format!("{}{}", picker.filter, text.trim());
        picker.set_filter(filter);
    } else if let Some(form) = &mut model.key_form {
        if !form.is_sending() {
            form.error = form.paste(text).err();
        }
    } else if model.screen == Screen::Assistants
        && let Some(editor) = model
            .editor
            .as_mut()
            .filter(|e| !e.preview && e.saving.is_none())
    {
        editor::paste(editor, text);
    } else if lists::filtering(model) {
        lists::paste_into_filter(model, text);
    }
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    if is_suspend(model, &key) {
        model.suspend = true;
        return Vec::new();
    }
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers == KeyModifiers::CONTROL;
    if super::view::too_small(model.size) {
        // Nothing on screen says what a key would do, so only quitting works,
        // and only when it loses nothing (the notice says so).
        if (ctrl_c || key.code == KeyCode::Char('q')) && !model.has_unsaved_edits() {
            model.quit = true;
        }
        return Vec::new();
    }
    if ctrl_c && model.confirm.is_none() {
        ask_to_quit(model);
        return Vec::new();
    }
    if model.confirm.is_some() {
        return on_confirm_key(model, key);
    }
    if model.help {
        model.help = false;
        return Vec::new();
    }
    if key.code == KeyCode::F(1) {
        model.help = true;
        return Vec::new();
    }
    if model.picker.is_some() {
        editor::on_picker_key(model, key);
        return Vec::new();
    }
    if model.key_form.is_some() {
        return on_key_form_key(model, key);
    }
    if model.screen == Screen::Assistants && model.editor.is_some() {
        return editor::on_key(model, key);
    }
    if lists::filtering(model) {
        lists::on_filter_key(model, key);
        return Vec::new();
    }
    let screen_scope = match model.screen {
        Screen::KeyEntry => Scope::On(Screen::Providers),
        s => Scope::On(s),
    };
    match model
        .keymap
        .action_for(&[screen_scope, Scope::Global], &key)
    {
        Some(action) => on_action(model, action),
        None => Vec::new(),
    }
}

/// Suspending loses nothing, so its key works wherever the user is, even in
/// a text field, unless it is a plain character there (then it is typed).
fn is_suspend(model: &Model, key: &KeyEvent) -> bool {
    let plain_char = matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    !plain_char && model.keymap.action_for(&[Scope::Global], key) == Some(Action::Suspend)
}

fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    match action {
        Action::Quit => ask_to_quit(model),
        Action::Help => model.help = true,
        Action::Suspend => model.suspend = true,
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
            let mut next = (i + step) % n;
            // Key entry opens a form; where it cannot, Tab passes it by.
            if Screen::ALL[next] == Screen::KeyEntry
                && (model.read_only || focused_provider(model).is_none())
            {
                next = (next + step) % n;
            }
            go_to(model, Screen::ALL[next]);
        }
        Action::GoTo(screen) => go_to(model, screen),
        Action::Refresh => return refresh(model),
        Action::Back => lists::back(model),
        _ => match model.screen {
            Screen::Providers | Screen::KeyEntry => return on_providers_action(model, action),
            Screen::Models | Screen::Assistants => return lists::on_action(model, action),
        },
    }
    Vec::new()
}

fn go_to(model: &mut Model, screen: Screen) {
    if screen == Screen::KeyEntry && !writable(model) {
        return;
    }
    if screen == Screen::KeyEntry {
        open_key_form(model);
        return;
    }
    model.screen = screen;
    if screen == Screen::Models {
        lists::refresh_models(model);
    }
}

fn ask_to_quit(model: &mut Model) {
    if model.has_unsaved_edits() {
        model.confirm = Some(Confirm {
            title: "Quit?".into(),
            lines: vec![
                "You have unsaved work (an assistant edit or a typed key).".into(),
                "Quit and discard it? (Ctrl-C again also quits)".into(),
            ],
            on_yes: ConfirmAction::Quit,
        });
    } else {
        model.quit = true;
    }
}

fn on_confirm_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let ctrl_c = key.code == KeyCode::Char('c') && key.modifiers == KeyModifiers::CONTROL;
    let asked_to_quit = model
        .confirm
        .as_ref()
        .is_some_and(|c| c.on_yes == ConfirmAction::Quit);
    // Every question here destroys something, so Enter is not an answer:
    // only an explicit y. Ctrl-C twice still quits.
    let action = model.keymap.action_for(&[Scope::Confirm], &key);
    let yes = action == Some(Action::Yes) || (ctrl_c && asked_to_quit);
    let no = !yes && (action == Some(Action::Back) || ctrl_c);
    if no {
        model.confirm = None;
        return Vec::new();
    }
    if !yes {
        return Vec::new();
    }
    let Some(confirm) = model.confirm.take() else {
        return Vec::new();
    };
    match confirm.on_yes {
        ConfirmAction::Quit => model.quit = true,
        ConfirmAction::DiscardEdits => model.editor = None,
        ConfirmAction::DiscardKey => {
            model.key_form = None;
            model.screen = Screen::Providers;
        }
        ConfirmAction::DeleteKey { provider } => {
            return vec![request(model, Call::DeleteKey { provider })];
        }
        ConfirmAction::DeleteAssistant { id } => {
            return vec![request(model, Call::DeleteAssistant { id })];
        }
    }
    Vec::new()
}

fn on_providers_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let rows = provider_rows(model);
    let columns = super::view::provider_columns(model.size, rows.len()) as isize;
    let delta: isize = match action {
        Action::Left => -1,
        Action::Right => 1,
        Action::Up => -columns,
        Action::Down => columns,
        Action::AddKey | Action::RemoveKey if !writable(model) => return Vec::new(),
        Action::AddKey => {
            open_key_form(model);
            return Vec::new();
        }
        Action::RemoveKey => {
            confirm_remove_key(model);
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    let target = model.provider_focus as isize + delta;
    if (0..rows.len() as isize).contains(&target) {
        model.provider_focus = target as usize;
    }
    Vec::new()
}

fn focused_provider(model: &Model) -> Option<super::providers::ProviderRow> {
    provider_rows(model).into_iter().nth(model.provider_focus)
}

fn open_key_form(model: &mut Model) {
    model.screen = Screen::Providers;
    if let Some(row) = focused_provider(model) {
        model.key_form = Some(KeyForm::for_provider(&model.catalog, &row.id));
        model.screen = Screen::KeyEntry;
    }
}

fn confirm_remove_key(model: &mut Model) {
    let Some(row) = focused_provider(model) else {
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
            let refresh = model.keymap.key_of(Scope::Global, Action::Refresh);
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
            super::providers::in_brief(&names, total)
        ),
    });
    model.confirm = Some(Confirm {
        title: "Remove key".into(),
        lines,
        on_yes: ConfirmAction::DeleteKey { provider: row.id },
    });
}

fn on_key_form_key(model: &mut Model, key: KeyEvent) -> Vec<Cmd> {
    let Some(form) = &mut model.key_form else {
        return Vec::new();
    };
    match (model.keymap.action_for(&[Scope::KeyForm], &key), key.code) {
        (Some(Action::Back), _) if form.has_typed() => {
            model.confirm = Some(Confirm {
                title: "Discard the key?".into(),
                lines: vec![
                    "The key you typed has not been saved.".into(),
                    "Close the form and forget it?".into(),
                ],
                on_yes: ConfirmAction::DiscardKey,
            });
        }
        (Some(Action::Back), _) => {
            model.key_form = None;
            model.screen = Screen::Providers;
        }
        // Tab means "next" everywhere else; in a masked field it would be invisible whitespace.
        // With nothing typed, Tab keeps cycling the screens as it does everywhere.
        (_, KeyCode::Tab | KeyCode::BackTab) if !form.has_typed() && !form.is_sending() => {
            let action = if key.code == KeyCode::Tab {
                Action::NextScreen
            } else {
                Action::PrevScreen
            };
            model.key_form = None;
            model.screen = Screen::KeyEntry;
            return on_action(model, action);
        }
        (_, KeyCode::Tab | KeyCode::BackTab) => {}
        (Some(Action::Save), _) if form.is_sending() => {}
        (Some(Action::Save), _) => {
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
            let cmd = request(
                model,
                Call::SetKey {
                    provider,
                    key: key.clone(),
                },
            );
            if let Some(form) = &mut model.key_form {
                form.sending(cmd.id(), key);
            }
            return vec![cmd];
        }
        _ if form.is_sending() => {}
        (Some(Action::ClearField), _) => {
            form.clear();
            form.error = None;
        }
        (Some(Action::DeleteWord), _) => {
            form.delete_word();
            form.error = None;
        }
        (Some(Action::DeleteToEnd), _) => {
            form.delete_to_end();
            form.error = None;
        }
        // A JSON credential is typed over several lines.
        (_, KeyCode::Enter)
            if form.format.is_multi_line() && key.modifiers.contains(KeyModifiers::ALT) =>
        {
            form.input.insert_newline();
        }
        // Only plain typing and moving: the text area's cut, yank and undo
        // would keep copies of the key where nothing wipes them.
        (_, KeyCode::Char(_))
            if key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {}
        (
            _,
            KeyCode::Char(_)
            | KeyCode::Backspace
            | KeyCode::Delete
            | KeyCode::Left
            | KeyCode::Right
            | KeyCode::Home
            | KeyCode::End
            | KeyCode::Up
            | KeyCode::Down,
        ) => {
            form.input.input(key);
            form.error = None;
        }
        _ => {}
    }
    Vec::new()
}

pub(super) fn open_editor(model: &mut Model, editor: Editor) {
    model.editor = Some(editor);
    model.screen = Screen::Assistants;
}

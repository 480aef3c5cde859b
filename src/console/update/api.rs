//! Routing API replies into the model.

use std::time::{Duration, Instant};

use crate::client::ApiError;
use crate::domain::{Assistant, ByokState, FieldError};

use super::super::app::{Connection, Model, Remote};
use super::super::app::{FIRST_RETRY, LAST_RETRY};
use super::super::editor::Editor;
use super::super::keymap::{Action, Scope};
use super::super::msg::Call;
use super::super::msg::{CallKind, Cmd, Reply, RequestId};
use super::{lists, open_editor, request, toast};

/// When the server sends no Retry-After, wait this long before trusting it again.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

pub fn on_reply(
    model: &mut Model,
    id: RequestId,
    received: Instant,
    result: Result<Reply, ApiError>,
) -> Vec<Cmd> {
    // Superseded or unknown: the user has moved on; nothing to show.
    let Some(kind) = model.pending.remove(&id) else {
        return Vec::new();
    };
    model.now = Some(received);
    let was_down = !matches!(model.connection, Connection::Ok | Connection::Unknown);
    match &result {
        Ok(_) => {
            model.connection = Connection::Ok;
            model.retry_delay = FIRST_RETRY;
        }
        Err(error) => note_connection(model, error, received),
    }
    let recovered = was_down && result.is_ok();
    match (kind, result) {
        (CallKind::Account, Ok(Reply::Account(account))) => model.account = Remote::Loaded(account),
        (CallKind::Account, Err(e)) => load_failed(model, |m| &mut m.account, "the account", e),
        (CallKind::Byok, Ok(Reply::Byok(state))) => {
            model.byok = Remote::Loaded(state);
            refresh_config(model);
        }
        (CallKind::Byok, Err(e)) => load_failed(model, |m| &mut m.byok, "the keys", e),
        (CallKind::Catalog, Ok(Reply::Catalog(catalog, source))) => {
            model.catalog = *catalog;
            model.catalog_source = source;
            refresh_config(model);
            lists::refresh_models(model);
            super::super::providers::refresh_usage(model);
        }
        (CallKind::Catalog, Err(e)) => {
            load_failed(model, |m| &mut m.config, "the model catalog", e)
        }
        (CallKind::Assistants, Ok(Reply::Assistants(list))) => {
            model.assistants = Remote::Loaded(list);
            list_changed(model);
        }
        (CallKind::Assistants, Err(e)) => {
            load_failed(model, |m| &mut m.assistants, "the assistants", e)
        }
        (CallKind::SetKey { provider }, result) => key_saved(model, id, &provider, result),
        (CallKind::DeleteKey { provider }, Ok(Reply::Byok(state))) => {
            key_removed(model, &provider, state)
        }
        (CallKind::DeleteKey { provider }, Err(e)) => toast(
            model,
            format!(
                "Could not remove the {} key: {e}",
                name_of(model, &provider)
            ),
            true,
        ),
        (CallKind::GetAssistant { id }, Ok(Reply::Assistant { assistant, etag })) => {
            fetched(model, &id, *assistant, etag)
        }
        (CallKind::GetAssistant { id }, Err(ApiError::NotFound(_))) => {
            deleted_elsewhere(model, &id)
        }
        (CallKind::GetAssistant { id }, Err(e)) => {
            if let Some(editor) = model
                .editor
                .as_mut()
                .filter(|e| e.original.as_ref().is_some_and(|o| o.id == id))
            {
                editor.server_error = Some(FieldError::new(
                    "",
                    format!("Could not load the server's version: {e}"),
                ));
            } else {
                toast(model, format!("Could not load the assistant: {e}"), true);
            }
        }
        (CallKind::CreateAssistant | CallKind::UpdateAssistant { .. }, result) => {
            saved(model, id, result)
        }
        (CallKind::DeleteAssistant { id }, Ok(_)) => {
            if let Some(gone) = remove_from_list(model, &id) {
                toast(model, format!("Deleted {}", gone.name), false);
            }
        }
        (CallKind::DeleteAssistant { id }, Err(ApiError::NotFound(_))) => {
            // Someone else deleted it first: the outcome the user asked for.
            if let Some(gone) = remove_from_list(model, &id) {
                toast(model, format!("{} was already deleted", gone.name), false);
            }
        }
        (CallKind::DeleteAssistant { .. }, Err(e)) => {
            toast(model, format!("Could not delete: {e}"), true)
        }
        (_, Ok(_)) => toast(model, "The server answered with something unexpected", true),
    }
    if recovered {
        reload_failed(model)
    } else {
        Vec::new()
    }
}

/// A failed refresh keeps what was already on screen: stale data with a
/// notice beats an empty panel. Only a first load turns into an error state.
fn load_failed<T>(
    model: &mut Model,
    slot: impl Fn(&mut Model) -> &mut Remote<T>,
    what: &str,
    error: ApiError,
) {
    let remote = slot(model);
    if matches!(remote, Remote::Loaded(_)) {
        toast(model, format!("Could not refresh {what}: {error}"), true);
    } else {
        *remote = Remote::Failed(error.to_string());
    }
}

/// The server is back (or its wait is over): ask again for whatever failed
/// while it was away.
pub(super) fn reload_failed(model: &mut Model) -> Vec<Cmd> {
    let mut calls = Vec::new();
    if matches!(model.account, Remote::Failed(_)) {
        calls.push(Call::Account);
    }
    if matches!(model.byok, Remote::Failed(_)) {
        calls.push(Call::Byok);
    }
    if matches!(model.config, Remote::Failed(_)) {
        calls.push(Call::Catalog);
    }
    if matches!(model.assistants, Remote::Failed(_)) {
        calls.push(Call::Assistants);
    }
    calls.into_iter().map(|call| request(model, call)).collect()
}

fn note_connection(model: &mut Model, error: &ApiError, received: Instant) {
    // Several requests fail together when the server goes away: the wait
    // grows once per outage round, not once per failed reply.
    let already = match &model.connection {
        Connection::Unreachable { retry_at, .. } => Some(*retry_at),
        _ => None,
    };
    let mut unreachable = |reason: String| {
        let retry_at = already.unwrap_or_else(|| {
            let at = received + model.retry_delay;
            model.retry_delay = (model.retry_delay * 2).min(LAST_RETRY);
            at
        });
        Connection::Unreachable { reason, retry_at }
    };
    model.connection = match error {
        ApiError::Unreachable(reason) => unreachable(reason.clone()),
        ApiError::Timeout => unreachable("timed out".into()),
        ApiError::Unauthorized(_) => Connection::Unauthorized,
        ApiError::RateLimited { retry_after, .. } => Connection::RateLimited {
            until: received + retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
        },
        // The server answered: the connection itself is fine.
        _ => Connection::Ok,
    };
}

/// The Models screen's rows follow the catalog and which keys are set.
pub(super) fn refresh_config(model: &mut Model) {
    let byok = model.byok.loaded();
    let config = model
        .catalog
        .byok_config(|p| byok.is_some_and(|b| b.byok_keys.is_configured(p)));
    model.config = Remote::Loaded(config);
}

fn name_of(model: &Model, provider: &str) -> String {
    model
        .catalog
        .secret(provider)
        .map_or_else(|| provider.to_owned(), |p| p.label.clone())
}

fn key_saved(model: &mut Model, id: RequestId, provider: &str, result: Result<Reply, ApiError>) {
    let form_sent_this = model
        .key_form
        .as_ref()
        .and_then(|f| f.sent.as_ref())
        .is_some_and(|(sent, _)| *sent == id);
    match result {
        Ok(Reply::Byok(state)) => {
            let info = state.key_info(provider).cloned();
            let secret_id = state
                .byok_keys
                .secret_id(provider)
                .unwrap_or("?")
                .to_owned();
            model.byok = Remote::Loaded(state);
            if form_sent_this {
                model.key_form = None;
                model.screen = super::super::app::Screen::Providers;
            }
            let hint = info
                .and_then(|i| i.key_hint)
                .map(|h| format!(", key {h}"))
                .unwrap_or_default();
            toast(
                model,
                format!(
                    "{} key saved: secret id {secret_id}{hint}",
                    name_of(model, provider)
                ),
                false,
            );
        }
        Ok(_) => toast(model, "The server answered with something unexpected", true),
        Err(e) => {
            let message = match &e {
                ApiError::Validation { message, .. } => message.to_string(),
                other => format!(
                    "{other} ({} retries)",
                    model.keymap.key_of(Scope::KeyForm, Action::Save)
                ),
            };
            match &mut model.key_form {
                Some(form) if form_sent_this => form.restore(message),
                _ => toast(
                    model,
                    format!(
                        "Could not save the {} key: {message}",
                        name_of(model, provider)
                    ),
                    true,
                ),
            }
        }
    }
}

fn key_removed(model: &mut Model, provider: &str, state: ByokState) {
    model.byok = Remote::Loaded(state);
    let users = model.usage.as_ref().map_or(0, |u| u.of(provider).len());
    let tail = match users {
        0 => String::new(),
        1 => "; 1 assistant now uses the platform's default keys".into(),
        n => format!("; {n} assistants now use the platform's default keys"),
    };
    toast(
        model,
        format!("{} key removed{tail}", name_of(model, provider)),
        false,
    );
}

/// The server's current version of an assistant being edited: the user's
/// edits are kept on top of it.
fn fetched(model: &mut Model, id: &str, assistant: Assistant, etag: Option<String>) {
    replace_in_list(model, &assistant);
    match &mut model.editor {
        Some(editor) if editor.original.as_ref().is_some_and(|o| o.id == id) => {
            match editor.rebase(assistant, etag) {
                Ok(()) => {
                    editor.conflict = false;
                    editor.server_error = None;
                }
                // The conflict stands until the form can be merged.
                Err(problem) => editor.server_error = Some(problem),
            }
        }
        Some(_) => {}
        None => {
            let editor = Editor::open(assistant, etag, &model.catalog);
            open_editor(model, editor)
        }
    }
}

fn saved(model: &mut Model, id: RequestId, result: Result<Reply, ApiError>) {
    // The list learns of a save even when its editor has been closed.
    if let Ok(Reply::Assistant { assistant, .. }) = &result {
        upsert_in_list(model, assistant);
    }
    let catalog = &model.catalog;
    let Some(editor) = model.editor.as_mut().filter(|e| e.saving == Some(id)) else {
        let text = match &result {
            Ok(Reply::Assistant { assistant, .. }) => format!("Saved {}", assistant.name),
            Ok(_) => "The server answered a save with something unexpected".into(),
            Err(e) => format!("A save failed after its editor was closed: {e}"),
        };
        return toast(model, text, result.is_err());
    };
    editor.saving = None;
    match result {
        Ok(Reply::Assistant { assistant, etag }) => {
            let assistant = *assistant;
            let created = editor.is_new();
            let focus = editor.focus;
            *editor = Editor::open(assistant.clone(), etag, catalog);
            editor.focus = focus;
            toast(
                model,
                format!(
                    "{} {}",
                    if created { "Created" } else { "Saved" },
                    assistant.name
                ),
                false,
            );
        }
        Ok(_) => {
            editor.server_error = Some(FieldError::new(
                "",
                "The server answered with something unexpected",
            ))
        }
        Err(ApiError::NotFound(_)) if !editor.is_new() => {
            let id = editor
                .original
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default();
            deleted_elsewhere(model, &id);
        }
        Err(ApiError::PreconditionFailed(_)) => {
            editor.conflict = true;
            let reload = model.keymap.key_of(Scope::Editor, Action::Reload);
            editor.server_error = Some(FieldError::new(
                "",
                format!(
                    "Someone else changed this assistant. {reload} loads their version and keeps your edits on top."
                ),
            ));
        }
        Err(ApiError::Validation { message, param, .. }) => {
            editor.server_error = Some(FieldError::new(param.unwrap_or_default(), message));
        }
        Err(e) => {
            let save = model.keymap.key_of(Scope::Editor, Action::Save);
            editor.server_error = Some(FieldError::new("", format!("{e} ({save} retries)")));
        }
    }
}

fn remove_from_list(model: &mut Model, id: &str) -> Option<Assistant> {
    let Remote::Loaded(list) = &mut model.assistants else {
        return None;
    };
    let gone = list
        .iter()
        .position(|a| a.id == id)
        .map(|pos| list.remove(pos));
    list_changed(model);
    gone
}

/// The assistant being edited no longer exists on the server: the edits
/// become a new assistant rather than a dead end.
fn deleted_elsewhere(model: &mut Model, id: &str) {
    remove_from_list(model, id);
    let Some(editor) = model
        .editor
        .as_mut()
        .filter(|e| e.original.as_ref().is_some_and(|o| o.id == id))
    else {
        return toast(model, "That assistant was deleted elsewhere", true);
    };
    editor.original = None;
    editor.etag = None;
    editor.conflict = false;
    let k = |action| model.keymap.key_of(Scope::Editor, action);
    let text = format!(
        "This assistant was deleted elsewhere. {} saves your version as a new assistant; {} discards it.",
        k(Action::Save),
        k(Action::Back)
    );
    editor.server_error = Some(FieldError::new("", text));
}

/// Replaces the assistant by id, or adds it: a refresh may have brought a
/// just-created assistant in already.
fn upsert_in_list(model: &mut Model, assistant: &Assistant) {
    if let Remote::Loaded(list) = &mut model.assistants {
        match list.iter_mut().find(|a| a.id == assistant.id) {
            Some(slot) => *slot = assistant.clone(),
            None => list.push(assistant.clone()),
        }
    }
    list_changed(model);
}

fn replace_in_list(model: &mut Model, assistant: &Assistant) {
    if let Remote::Loaded(list) = &mut model.assistants
        && let Some(slot) = list.iter_mut().find(|a| a.id == assistant.id)
    {
        *slot = assistant.clone();
    }
    super::super::providers::refresh_usage(model);
}

/// What follows from the assistants: the filtered list and who uses which key.
fn list_changed(model: &mut Model) {
    lists::refresh_assistants(model);
    super::super::providers::refresh_usage(model);
}

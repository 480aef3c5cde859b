//! Answers to the writes and to the fetch of an assistant being edited.

use crate::client::ApiError;
use crate::domain::{ByokState, FieldError};

use super::super::super::app::{ConfirmAction, Model, Remote};
use super::super::super::editor::Editor;
use super::super::super::keymap::{Action, Scope};
use super::super::super::msg::{Call, Cmd, Load, Reply, RequestId, Versioned};
use super::super::{assistant_save, name_of, toast};

/// The data a reply shows was changed by it: a load of that data started
/// before it would bring back the state before the write.
pub fn wrote(reply: &Reply) -> Vec<Load> {
    match reply {
        Reply::SetKey { result: Ok(_), .. } | Reply::DeleteKey { result: Ok(_), .. } => {
            vec![Load::Byok]
        }
        Reply::CreateAssistant(Ok(_))
        | Reply::UpdateAssistant { result: Ok(_), .. }
        | Reply::DeleteAssistant { result: Ok(_), .. } => vec![Load::Assistants],
        _ => Vec::new(),
    }
}

/// Asks again for each load in flight across a write that just landed.
pub fn restart_stale_loads(model: &mut Model, wrote: &[Load]) -> Vec<Cmd> {
    let mut cmds = Vec::new();
    for load in wrote {
        let call = || match load {
            Load::Byok => Call::Byok,
            _ => Call::Assistants,
        };
        cmds.extend(model.server.requests.restart(*load, call));
    }
    cmds
}

/// What a write or a check brought; a changed list may want a ranking.
pub fn on_reply(model: &mut Model, id: RequestId, reply: Reply) -> Vec<Cmd> {
    match reply {
        Reply::CheckKey {
            provider,
            held,
            result,
        } => super::checks::local(model, id, &provider, held, *result),
        Reply::CheckStored { provider, result } => {
            super::checks::by_server(model, id, &provider, result.map(|c| *c));
        }
        Reply::SetKey { provider, result } => key_saved(model, id, &provider, result),
        Reply::SetSettings { provider, result } => {
            super::super::settings_step::saved(model, id, &provider, result)
        }
        Reply::DeleteKey {
            provider,
            result: Ok(state),
        } => key_removed(model, &provider, state),
        Reply::DeleteKey {
            provider,
            result: Err(e),
        } => toast(
            model,
            format!(
                "Could not remove the {} key: {e}",
                name_of(model, &provider)
            ),
            true,
        ),
        Reply::GetAssistant { id, result: Ok(v) } => return fetched(model, &id, v),
        Reply::GetAssistant {
            id,
            result: Err(ApiError::NotFound(_)),
        } => return deleted_elsewhere(model, &id),
        Reply::GetAssistant { id, result: Err(e) } => {
            if let Some(editor) = model
                .server
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
        Reply::CreateAssistant(result) | Reply::UpdateAssistant { result, .. } => {
            return saved(model, id, result);
        }
        Reply::DeleteAssistant { id, result: Ok(()) } => {
            let (gone, cmds) = model.server.remove_assistant(&id);
            if let Some(gone) = gone {
                toast(model, format!("Deleted {}", gone.name), false);
            }
            return cmds;
        }
        Reply::DeleteAssistant {
            id,
            result: Err(ApiError::NotFound(_)),
        } => {
            // Someone else deleted it first: the outcome the user asked for.
            let (gone, cmds) = model.server.remove_assistant(&id);
            if let Some(gone) = gone {
                toast(model, format!("{} was already deleted", gone.name), false);
            }
            return cmds;
        }
        Reply::DeleteAssistant { result: Err(e), .. } => {
            toast(model, format!("Could not delete: {e}"), true)
        }
        // The loads are answered in `loads`.
        Reply::Organizations(result) => super::super::orgs::listed(model, result),
        Reply::Health(_)
        | Reply::Account(_)
        | Reply::Byok(_)
        | Reply::Catalog(_)
        | Reply::Assistants(_) => {}
    }
    Vec::new()
}

fn key_saved(
    model: &mut Model,
    id: RequestId,
    provider: &str,
    result: Result<ByokState, ApiError>,
) {
    let form_sent_this = model
        .server
        .key_form
        .as_ref()
        .and_then(|f| f.sent.as_ref())
        .is_some_and(|(sent, _)| *sent == id);
    match result {
        Ok(state) => {
            let info = state.key_info(provider).cloned();
            let secret_id = state
                .byok_keys
                .secret_id(provider)
                .unwrap_or("?")
                .to_owned();
            model.server.set_byok(Remote::Loaded(state));
            let form = model.server.key_form.take_if(|_| form_sent_this);
            let unproven =
                match form.and_then(|mut f| Some((f.sent.take()?.1, f.sent_check.take()))) {
                    Some((key, check)) => {
                        model.server.checks.stored(provider, key, check);
                        assistant_save::unproven_key(model, provider)
                    }
                    // Saved from elsewhere: what was known of the old key is stale.
                    None => {
                        model.server.checks.removed(provider);
                        String::new()
                    }
                };
            let hint = info
                .and_then(|i| i.key_hint)
                .map(|h| format!(", key {h}"))
                .unwrap_or_default();
            toast(
                model,
                format!(
                    "{} key saved: secret id {secret_id}{hint}{unproven}",
                    name_of(model, provider)
                ),
                false,
            );
        }
        Err(e) => {
            let message = match &e {
                ApiError::Validation { message, .. } => message.to_string(),
                other => format!(
                    "{other} ({} retries)",
                    model.session.keymap.key_of(Scope::KeyForm, Action::Save)
                ),
            };
            match &mut model.server.key_form {
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
    model.server.set_byok(Remote::Loaded(state));
    model.server.checks.removed(provider);
    let users = model
        .server
        .providers
        .usage()
        .map_or(0, |u| u.of(provider).len());
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
fn fetched(model: &mut Model, id: &str, versioned: Versioned) -> Vec<Cmd> {
    let Versioned { assistant, etag } = versioned;
    let assistant = *assistant;
    let cmds = model.server.replace_assistant(&assistant);
    match &mut model.server.editor {
        Some(editor) if editor.original.as_ref().is_some_and(|o| o.id == id) => {
            let (saving, sent, sent_body) =
                (editor.saving, editor.sent.take(), editor.sent_body.take());
            match editor.rebase(assistant, etag) {
                Ok(()) => {
                    editor.conflict = false;
                    editor.server_error = None;
                    editor.saving = saving;
                    editor.sent = sent;
                    editor.sent_body = sent_body;
                }
                // The conflict stands until the form can be merged.
                Err(problem) => editor.server_error = Some(problem),
            }
        }
        // The user has left that editor: the list is up to date, nothing opens.
        _ => {}
    }
    cmds
}

fn saved(model: &mut Model, id: RequestId, result: Result<Versioned, ApiError>) -> Vec<Cmd> {
    // The list learns of a save even when its editor has been closed.
    let mut cmds = match &result {
        Ok(v) => model.server.upsert_assistant(&v.assistant),
        Err(_) => Vec::new(),
    };
    let Some(editor) = model
        .server
        .editor
        .as_mut()
        .filter(|e| e.saving == Some(id))
    else {
        let text = match &result {
            Ok(v) => format!("Saved {}", v.assistant.name),
            Err(e) => format!("A save failed after its editor was closed: {e}"),
        };
        toast(model, text, result.is_err());
        return cmds;
    };
    editor.saving = None;
    let sent = editor.sent.take();
    let sent_body = editor.sent_body.take();
    match result {
        Ok(Versioned { assistant, etag }) => {
            let assistant = *assistant;
            let created = editor.is_new();
            let typed_since = sent.is_none() || editor.fingerprint() != sent;
            if typed_since {
                // Edits made while the save flew stay exactly as typed, now
                // measured against what the server keeps.
                editor.original = Some(assistant.clone());
                editor.etag = etag;
            } else {
                let (focus, in_messages, message_index) =
                    (editor.focus, editor.in_messages, editor.message_index);
                *editor = Editor::open(assistant.clone(), etag, &model.server.catalog);
                editor.focus = focus;
                editor.in_messages = in_messages;
                editor.message_index = message_index;
            }
            editor.refresh(
                &model.server.catalog,
                model.server.catalog_source.authority(),
            );
            // "Discard your edits?" asked while saving: once saved, there is
            // nothing left to discard, and the user wanted to leave.
            let clean = !editor.derived.dirty;
            if clean
                && model
                    .server
                    .confirm
                    .as_ref()
                    .is_some_and(|c| c.on_yes == ConfirmAction::DiscardEdits)
            {
                model.server.confirm = None;
                model.server.editor = None;
            }
            let verb = if created { "Created" } else { "Saved" };
            let more = if clean {
                ""
            } else {
                "; your later edits are not saved yet"
            };
            let not_kept = sent_body
                .map(|body| assistant_save::not_kept(&body, &assistant))
                .unwrap_or_default();
            let keys = assistant_save::unproven_keys(model, &assistant);
            let text = format!("{verb} {}{not_kept}{more}{keys}", assistant.name);
            toast(model, text, false);
        }
        Err(ApiError::NotFound(_)) if !editor.is_new() => {
            let id = editor
                .original
                .as_ref()
                .map(|o| o.id.clone())
                .unwrap_or_default();
            cmds.extend(deleted_elsewhere(model, &id));
        }
        Err(ApiError::PreconditionFailed(_)) => {
            editor.conflict = true;
            let reload = model.session.keymap.key_of(Scope::Editor, Action::Reload);
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
            let save = model.session.keymap.key_of(Scope::Editor, Action::Save);
            editor.server_error = Some(FieldError::new("", format!("{e} ({save} retries)")));
        }
    }
    cmds
}

/// The assistant being edited no longer exists on the server: the edits
/// become a new assistant rather than a dead end.
fn deleted_elsewhere(model: &mut Model, id: &str) -> Vec<Cmd> {
    let (_, cmds) = model.server.remove_assistant(id);
    let read_only = model.read_only();
    let Some(editor) = model
        .server
        .editor
        .as_mut()
        .filter(|e| e.original.as_ref().is_some_and(|o| o.id == id))
    else {
        toast(model, "That assistant was deleted elsewhere", true);
        return cmds;
    };
    editor.original = None;
    editor.etag = None;
    editor.conflict = false;
    let k = |action| model.session.keymap.key_of(Scope::Editor, action);
    let text = if read_only {
        format!(
            "This assistant was deleted elsewhere. {} leaves it.",
            k(Action::Back)
        )
    } else {
        format!(
            "This assistant was deleted elsewhere. {} saves your version as a new assistant; {} discards it.",
            k(Action::Save),
            k(Action::Back)
        )
    };
    editor.server_error = Some(FieldError::new("", text));
    cmds
}

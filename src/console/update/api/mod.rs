//! Routing API replies into the model: each reply variant says what it
//! answers and carries its own result.

mod checks;
mod loads;
mod saves;

use std::time::{Duration, Instant};

use crate::client::ApiError;

use super::super::app::{Connection, Model, Remote};
use super::super::app::{FIRST_RETRY, LAST_RETRY};
use super::super::msg::{Call, Cmd, Reply, RequestId};
use super::super::requests::Answered;
use super::{request, toast};

/// When the server sends no Retry-After, wait this long before trusting it again.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

pub fn on_reply(model: &mut Model, id: RequestId, received: Instant, reply: Reply) -> Vec<Cmd> {
    // Superseded or unknown: the user has moved on; nothing to show.
    let Some(answered) = model.server.requests.answer(id, !reply.is_partial()) else {
        return Vec::new();
    };
    // A check from this machine says nothing of the server's connection.
    if let Reply::CheckKey { .. } = reply {
        return saves::on_reply(model, id, reply);
    }
    model.server.now = Some(received);
    let before = model.server.connection.clone();
    let was_down = !matches!(before, Connection::Ok | Connection::Unknown);
    match reply.error() {
        None => {
            model.server.connection = Connection::Ok;
            model.server.retry_delay = FIRST_RETRY;
        }
        Some(error) => note_connection(model, error, received),
    }
    let answered_ok = reply.error().is_none();
    let recovered = was_down && answered_ok;
    let wrote = saves::wrote(&reply);
    let mut cmds = match reply {
        // What a health check finds is the connection, noted above.
        Reply::Health(_) => Vec::new(),
        Reply::Account(result) => {
            loads::account(model, answered, result);
            Vec::new()
        }
        Reply::Byok(result) => {
            loads::byok(model, answered, result);
            Vec::new()
        }
        Reply::Catalog(result) => {
            loads::catalog(model, answered, result);
            Vec::new()
        }
        Reply::Assistants(result) => loads::assistants(model, answered, result),
        other => saves::on_reply(model, id, other),
    };
    if answered_ok {
        model.server.updated_at = Some(received);
    }
    cmds.extend(saves::restart_stale_loads(model, &wrote));
    if recovered {
        cmds.extend(reload_failed(model));
    }
    cmds
}

/// A failed refresh keeps what was already on screen: stale data with a
/// notice beats an empty panel. Only a first load turns into an error
/// state. A background reload that fails says nothing more than the
/// status bar does.
fn load_failed(
    model: &mut Model,
    answered: Answered,
    loaded: bool,
    fail: impl FnOnce(&mut Model, ApiError),
    what: &str,
    error: ApiError,
) {
    if !loaded {
        // The panels say a status or a count is unknown rather than loading.
        fail(model, error);
        return;
    }
    if answered.background {
        return;
    }
    toast(model, format!("Could not refresh {what}: {error}"), true);
}

/// The server is back (or its wait is over): ask again for whatever failed
/// while it was away.
pub(super) fn reload_failed(model: &mut Model) -> Vec<Cmd> {
    let mut calls = Vec::new();
    if matches!(model.server.account, Remote::Failed(_)) {
        calls.push(Call::Account);
    }
    if matches!(model.server.byok, Remote::Failed(_)) {
        calls.push(Call::Byok);
    }
    if matches!(model.server.models.config(), Remote::Failed(_)) {
        calls.push(Call::Catalog);
    }
    if model.server.assistants.is_failed() {
        calls.push(Call::Assistants);
    }
    let mut cmds = Vec::new();
    for call in calls {
        if call
            .load()
            .is_none_or(|l| !model.server.requests.is_loading(l))
        {
            cmds.extend(request(model, call).1);
        }
    }
    cmds
}

fn note_connection(model: &mut Model, error: &ApiError, received: Instant) {
    // Several requests fail together when the server goes away: the wait
    // grows once per outage round, not once per failed reply.
    let already = match &model.server.connection {
        Connection::Unreachable { retry_at, .. } => Some(*retry_at),
        _ => None,
    };
    let mut unreachable = |reason: String| {
        let retry_at = already.unwrap_or_else(|| {
            let at = received + model.server.retry_delay;
            model.server.retry_delay = (model.server.retry_delay * 2).min(LAST_RETRY);
            at
        });
        Connection::Unreachable { reason, retry_at }
    };
    model.server.connection = match error {
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

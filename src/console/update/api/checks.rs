//! Answers to key checks: one of a key typed into the form, of the key
//! stored this session, or the server's of the key it stores.

use crate::client::ApiError;
use crate::domain::{KeyCheck, Verdict};

use super::super::super::app::Model;
use super::super::super::key_form::FormCheckState;
use super::super::super::msg::RequestId;
use super::super::{name_of, toast};

/// A check run from this machine. It says nothing of the server, so the
/// connection state is left as it is.
pub fn local(model: &mut Model, id: RequestId, provider: &str, held: bool, check: KeyCheck) {
    model.server.checks.learn_voices(&check);
    if held {
        return stored(model, id, provider, check);
    }
    let form = model
        .server
        .key_form
        .as_mut()
        .filter(|f| f.provider == provider)
        .and_then(|f| f.check.as_mut())
        .filter(|c| c.state == FormCheckState::Running(id));
    match form {
        Some(state) => state.state = FormCheckState::Done(Box::new(check)),
        // The form was closed or saved meanwhile: the typed key's verdict
        // is still worth a line.
        None => {
            let text = format!(
                "The {} key you typed checked {}: {}",
                name_of(model, provider),
                check.result.label(),
                check.reason
            );
            toast(model, text, check.result != Verdict::Valid);
        }
    }
}

/// The server's check of its stored key. A server without the route (the
/// hosted service) is remembered, so the next check asks for the key; one
/// that stores no key says so (NotFound) like any other failure.
pub fn by_server(
    model: &mut Model,
    id: RequestId,
    provider: &str,
    result: Result<KeyCheck, ApiError>,
) {
    match result {
        Ok(check) => stored(model, id, provider, check),
        _ if model.server.checks.running.get(provider) != Some(&id) => {}
        Err(e @ ApiError::NotOffered(_)) => {
            model.server.checks.running.remove(provider);
            model.server.checks.server_cannot_check = true;
            let text = format!(
                "{e}: paste the {} key into the form to check it",
                name_of(model, provider)
            );
            toast(model, text, true);
        }
        Err(e) => {
            model.server.checks.running.remove(provider);
            let text = format!("Could not check the {} key: {e}", name_of(model, provider));
            toast(model, text, true);
        }
    }
}

fn stored(model: &mut Model, id: RequestId, provider: &str, check: KeyCheck) {
    // The key was removed or replaced while its check ran: the verdict is
    // of a key that is no longer there.
    if model.server.checks.running.get(provider) != Some(&id) {
        return;
    }
    model.server.checks.running.remove(provider);
    let text = format!(
        "{} key: {} — {}",
        name_of(model, provider),
        check.result.label(),
        check.reason
    );
    toast(model, text, check.result != Verdict::Valid);
    model.server.checks.record(check);
}

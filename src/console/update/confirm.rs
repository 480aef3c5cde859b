//! Answers to a yes/no question.

use super::super::app::{ConfirmAction, Model};
use super::super::keymap::Action;
use super::super::msg::{Call, Cmd, Effect};
use super::request;

/// Every question here destroys something, so Enter is not an answer:
/// only an explicit yes. Asked whether to quit, the quit key that works
/// everywhere (Ctrl-C) is a yes too.
pub fn on_key(model: &mut Model, action: Option<Action>) -> Vec<Cmd> {
    let asked_to_quit = model
        .server
        .confirm
        .as_ref()
        .is_some_and(|c| c.on_yes == ConfirmAction::Quit);
    match action {
        Some(Action::Yes) => {}
        Some(Action::Quit) if asked_to_quit => {}
        Some(Action::Quit) => {
            let mut cmds = dismiss(model);
            cmds.extend(super::keys::ask_to_quit(model));
            return cmds;
        }
        Some(Action::Back) => return dismiss(model),
        _ => return Vec::new(),
    }
    let Some(confirm) = model.server.confirm.take() else {
        return Vec::new();
    };
    match confirm.on_yes {
        ConfirmAction::Quit => return vec![Cmd::Console(Effect::Quit)],
        // The edits go with this session's model when the loop moves on.
        ConfirmAction::SwitchProfile { .. } => {
            return vec![Cmd::Console(Effect::CommitSwitch)];
        }
        ConfirmAction::DiscardEdits => model.server.editor = None,
        ConfirmAction::DiscardKey => model.server.key_form = None,
        ConfirmAction::SaveKeyAnyway if super::writable(model) => {
            return super::providers::submit_key(model);
        }
        ConfirmAction::SaveKeyAnyway => {}
        ConfirmAction::SaveAssistantAnyway => return super::assistant_save::save_anyway(model),
        ConfirmAction::DeleteKey { provider } if super::writable(model) => {
            return request(model, Call::DeleteKey { provider }).1;
        }
        ConfirmAction::DeleteAssistant { id } if super::writable(model) => {
            return request(model, Call::DeleteAssistant { id }).1;
        }
        ConfirmAction::DeleteKey { .. } | ConfirmAction::DeleteAssistant { .. } => {}
    }
    Vec::new()
}

/// A question answered no: a switch it asked about is called off.
fn dismiss(model: &mut Model) -> Vec<Cmd> {
    match model.server.confirm.take().map(|c| c.on_yes) {
        Some(ConfirmAction::SwitchProfile { .. }) => super::command::cancel_switch(model),
        _ => Vec::new(),
    }
}

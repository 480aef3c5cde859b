//! Answers to a yes/no question.

use super::super::app::{ConfirmAction, Model};
use super::super::context::Context;
use super::super::keymap::Action;
use super::super::msg::{Call, Cmd};
use super::request;

/// Every question here destroys something, so Enter is not an answer:
/// only an explicit yes. Asked whether to quit, the quit key that works
/// everywhere (Ctrl-C) is a yes too.
pub fn on_key(model: &mut Model, cx: &Context, action: Option<Action>) -> Vec<Cmd> {
    let asked_to_quit = model
        .confirm
        .as_ref()
        .is_some_and(|c| c.on_yes == ConfirmAction::Quit);
    match action {
        Some(Action::Yes) => {}
        Some(Action::Quit) if asked_to_quit => {}
        Some(Action::Quit) => {
            model.confirm = None;
            super::keys::ask_to_quit(model, cx);
            return Vec::new();
        }
        Some(Action::Back) => {
            model.confirm = None;
            return Vec::new();
        }
        _ => {
            model.unchanged = true;
            return Vec::new();
        }
    }
    let Some(confirm) = model.confirm.take() else {
        return Vec::new();
    };
    match confirm.on_yes {
        ConfirmAction::Quit => model.quit = true,
        ConfirmAction::SwitchProfile { name } => {
            // The edits are given up: nothing may ask about them again.
            model.editor = None;
            model.key_form = None;
            return vec![super::super::msg::Cmd::Console(
                super::super::msg::Effect::SwitchProfile(name),
            )];
        }
        ConfirmAction::DiscardEdits => model.editor = None,
        ConfirmAction::DiscardKey => model.key_form = None,
        ConfirmAction::SaveKeyAnyway if super::writable(model, cx) => {
            return super::providers::submit_key(model);
        }
        ConfirmAction::SaveKeyAnyway => {}
        ConfirmAction::DeleteKey { provider } if super::writable(model, cx) => {
            return request(model, Call::DeleteKey { provider }).1;
        }
        ConfirmAction::DeleteAssistant { id } if super::writable(model, cx) => {
            return request(model, Call::DeleteAssistant { id }).1;
        }
        ConfirmAction::DeleteKey { .. } | ConfirmAction::DeleteAssistant { .. } => {}
    }
    Vec::new()
}

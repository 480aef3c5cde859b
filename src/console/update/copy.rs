//! The copy keys: what has the focus, in the form the key asks for, handed
//! to the event loop to put on the clipboard.

use super::super::app::Model;
use super::super::clipboard::{self, Form, Origin};
use super::super::focus::Focus;
use super::super::keymap::Action;
use super::super::msg::{Cmd, Effect};
use super::toast;
use crate::config::ProfileKind;

pub fn on_copy(model: &mut Model, focus: Focus, action: Action) -> Vec<Cmd> {
    let form = match action {
        Action::CopyJson => Form::Json,
        Action::CopyCurl => Form::Curl,
        _ => Form::Id,
    };
    let origin = Origin {
        base_url: &model.server.base_url,
        embedded: model.server.profile.kind == ProfileKind::Local,
    };
    let copy = clipboard::focused::subject(model, focus)
        .and_then(|subject| clipboard::copy(&subject, form, origin));
    match copy {
        Ok(copy) => {
            // Said now: OSC 52 has no answer, and a program that fails
            // replaces this with why.
            toast(model, format!("copied {}", copy.what), false);
            vec![Cmd::Console(Effect::Copy {
                what: copy.what,
                text: copy.text,
            })]
        }
        Err(why) => {
            toast(model, why, true);
            Vec::new()
        }
    }
}

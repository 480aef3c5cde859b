//! The assistant as JSON in the user's editor: asking the event loop to
//! open it, and taking back what the editor left. Nothing is sent: a taken
//! edit is the form's, saved (or not) with Ctrl-S as any other.

use super::super::app::Model;
use super::super::editor::Problem;
use super::super::external_edit::Edited;
use super::super::keymap::{Action, Scope};
use super::super::msg::{Cmd, Effect};

pub fn on_action(model: &mut Model, action: Action) -> Vec<Cmd> {
    let Some(editor) = &mut model.server.editor else {
        return Vec::new();
    };
    match action {
        Action::EditJson => match editor.json_to_edit() {
            Ok(text) => vec![Cmd::Console(Effect::EditJson {
                name: editor.json_file_name(),
                text,
            })],
            Err(e) => {
                let text = format!("Cannot write the JSON yet: {e}");
                super::toast(model, text, true);
                Vec::new()
            }
        },
        Action::DiscardJsonEdit if editor.discard_json_edit() => {
            editor.notice = Some("JSON edit discarded; the form is as it was".into());
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The editor's result: taken into the form when it reads as a valid
/// assistant, else kept with its problems, the form untouched either way.
pub fn edited(model: &mut Model, edited: Edited) -> Vec<Cmd> {
    let authority = model.server.catalog_source.authority();
    let read_only = model.read_only();
    let Some(editor) = &mut model.server.editor else {
        return Vec::new();
    };
    if read_only {
        super::toast(
            model,
            format!(
                "Read-only session ({}): the JSON was only shown, nothing is taken",
                super::read_only_why(model)
            ),
            true,
        );
        return Vec::new();
    }
    let not_taken = |why: String| Problem::whole(format!("{why}; nothing was taken"));
    // The problems are drawn under the form, which the full-screen preview
    // hides; an earlier notice is about an earlier state.
    editor.preview = false;
    editor.notice = None;
    match edited {
        Edited::Done(text) => {
            let before = editor.fingerprint();
            match editor.take_json(&text.0, &model.server.catalog, authority) {
                Ok(()) => {
                    let save = model.session.keymap.key_of(Scope::Editor, Action::Save);
                    editor.notice = Some(if editor.fingerprint() == before {
                        "The JSON came back unchanged".to_owned()
                    } else {
                        format!("Took your JSON edit; not saved yet ({save} saves)")
                    });
                }
                Err(problems) => editor.keep_json(text, problems),
            }
        }
        Edited::Failed {
            why,
            text: Some(text),
        } => editor.keep_json(text, vec![not_taken(why)]),
        // Nothing new was written: a text kept before stays kept.
        Edited::Failed { why, text: None } | Edited::NotRun(why) => {
            editor.json_edit.problems = vec![not_taken(why)];
        }
    }
    Vec::new()
}

//! What has the keyboard, derived from the model in one place. Key
//! dispatch, paste, the footer and the help overlay all read it, so the
//! key a hint names is the key that works.

use super::app::{Model, Screen};
use super::keymap::Scope;
use super::layout;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Below the minimum size: only quitting (and suspending) works.
    TooSmall,
    Confirm,
    Help,
    /// The `:` command line.
    Command,
    /// The activity log view, over the screens.
    Log,
    /// The activity log's filter, taking text.
    LogFilter,
    Picker,
    KeyForm,
    Editor(EditorPart),
    Filter(Screen),
    Screen(Screen),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorPart {
    Fields,
    Messages,
    Preview,
}

impl Focus {
    /// Topmost first: a question over everything, then overlays, then the
    /// screen. A question asked on a tiny terminal is still answered.
    pub fn of(model: &Model) -> Focus {
        if model.server.confirm.is_some() {
            return Focus::Confirm;
        }
        if layout::too_small(model.session.size) {
            return Focus::TooSmall;
        }
        if model.server.help {
            return Focus::Help;
        }
        Focus::beneath_help(model)
    }

    /// What the help overlay describes: the focus it covers.
    pub fn beneath_help(model: &Model) -> Focus {
        if model.server.command.is_some() {
            return Focus::Command;
        }
        if model.session.activity.open {
            if model.session.activity.rows.filtering {
                return Focus::LogFilter;
            }
            return Focus::Log;
        }
        if model.server.picker.is_some() {
            return Focus::Picker;
        }
        if model.server.key_form.is_some() {
            return Focus::KeyForm;
        }
        if model.session.screen == Screen::Assistants
            && let Some(editor) = &model.server.editor
        {
            return Focus::Editor(match (editor.preview, editor.in_messages) {
                (true, _) => EditorPart::Preview,
                (false, true) => EditorPart::Messages,
                (false, false) => EditorPart::Fields,
            });
        }
        let filtering = match model.session.screen {
            Screen::Models => model.server.models.list.filtering,
            Screen::Assistants => model.server.assistants.list.filtering,
            Screen::Providers => model.server.providers.list.filtering,
        };
        if filtering {
            Focus::Filter(model.session.screen)
        } else {
            Focus::Screen(model.session.screen)
        }
    }

    /// The key scopes that apply, most specific first.
    pub fn scopes(self) -> &'static [Scope] {
        use Scope::*;
        match self {
            // Help closes on any key: only what works everywhere acts on it.
            Focus::Help => &[Always],
            Focus::TooSmall => &[Global, Always],
            Focus::Confirm => &[Confirm, Always],
            Focus::Command => &[Command, Always],
            Focus::Log => &[Log, Always],
            Focus::LogFilter => &[Filter, Always],
            Focus::Picker => &[Picker, Always],
            Focus::KeyForm => &[KeyForm, Always],
            Focus::Editor(EditorPart::Fields) => &[Editor, Always],
            Focus::Editor(EditorPart::Messages) => &[Messages, Always],
            Focus::Editor(EditorPart::Preview) => &[Preview, Always],
            Focus::Filter(_) => &[Filter, Always],
            Focus::Screen(Screen::Providers) => &[Providers, Global, Always],
            Focus::Screen(Screen::Models) => &[Models, Global, Always],
            Focus::Screen(Screen::Assistants) => &[Assistants, Global, Always],
        }
    }

    /// Whether a key no binding claims is typed text here.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Focus::Picker
                | Focus::Command
                | Focus::KeyForm
                | Focus::Filter(_)
                | Focus::LogFilter
                | Focus::Editor(EditorPart::Fields | EditorPart::Messages)
        )
    }
}

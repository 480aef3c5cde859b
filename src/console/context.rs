//! What a console session is run with, as opposed to what it shows: the
//! keys, whom it talks to and whether it may change anything. Set once at
//! start and passed to `update` and `view`; never part of the state.

use std::time::Duration;

use super::keymap::Keymap;
use super::theme::Theme;

pub use crate::config::ProfileKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    /// The header's colour for it, from config.toml; `None` picks one by kind.
    pub color: Option<ratatui::style::Color>,
}

impl Profile {
    pub fn local() -> Profile {
        Profile {
            name: "local".into(),
            kind: ProfileKind::Local,
            color: None,
        }
    }

    pub fn env() -> Profile {
        Profile {
            name: "env".into(),
            kind: ProfileKind::Env,
            color: None,
        }
    }

    pub fn named(name: impl Into<String>) -> Profile {
        let name = name.into();
        Profile {
            kind: ProfileKind::Named(name.clone()),
            name,
            color: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Context {
    pub keymap: Keymap,
    pub profile: Profile,
    pub base_url: String,
    /// `--read-only`: browse, never change anything.
    pub read_only: bool,
    /// Why `read_only` cannot be turned off from the console (`--read-only`,
    /// or the profile's `read_only = true`); `None` lets `:readonly` toggle it.
    pub read_only_fixed: Option<String>,
    /// The profiles `:profile` can switch to, the embedded server's
    /// `local` among them.
    pub profiles: Vec<String>,
    /// How often the console checks the server and reloads what it shows
    /// while nobody asks; `None` never (tests, or `refresh_seconds = 0`).
    pub refresh_every: Option<Duration>,
    /// How copies reach the clipboard (config.toml `clipboard`).
    pub clipboard: super::clipboard::Clipboard,
    /// The colours the views draw with (config.toml `theme`, `:theme`).
    pub theme: Theme,
    /// Whether the terminal reports the mouse (config.toml `mouse`,
    /// `:mouse`); off, the console never asks it to.
    pub mouse: bool,
    /// The command an assistant's JSON is edited with (`$VISUAL`/`$EDITOR`).
    pub editor: String,
}

impl Context {
    pub fn new(profile: Profile, base_url: impl Into<String>) -> Context {
        Context {
            keymap: Keymap::default(),
            profile,
            base_url: base_url.into(),
            read_only: false,
            read_only_fixed: None,
            profiles: Vec::new(),
            refresh_every: None,
            clipboard: Default::default(),
            theme: Theme::default(),
            mouse: false,
            editor: super::external_edit::editor_command(),
        }
    }

    /// Makes the change `effect` asks of the session, if it asks one;
    /// false for effects that are not about the session itself.
    pub fn apply(&mut self, effect: &super::msg::Effect) -> bool {
        use super::msg::Effect;
        match effect {
            Effect::ReadOnly(on) => {
                self.read_only = *on;
                true
            }
            Effect::SwitchProfile(_)
            | Effect::CommitSwitch
            | Effect::CancelSwitch
            | Effect::Copy { .. }
            | Effect::EditJson { .. }
            | Effect::Suspend
            | Effect::Quit => false,
            // An unknown name changes nothing: `Theme::named` says why first.
            Effect::Theme(name) => match Theme::named(name) {
                Ok(theme) if theme != self.theme => {
                    self.theme = theme;
                    true
                }
                _ => false,
            },
            Effect::Mouse(on) => std::mem::replace(&mut self.mouse, *on) != *on,
        }
    }

    /// Whether `action` is offered at all: a read-only session hides writes.
    pub fn offers(&self, action: super::keymap::Action) -> bool {
        !(self.read_only && action.writes())
    }
}

//! Key bindings as data: one table drives input handling, the `?` help and
//! the footer, so they can never disagree. Users may rebind any action in
//! the `[keys]` table of config.toml.

mod defaults;
mod parse;

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Screen;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextScreen,
    PrevScreen,
    GoTo(Screen),
    Up,
    Down,
    Left,
    Right,
    AddKey,
    RemoveKey,
    Refresh,
    Filter,
    Select,
    Back,
    New,
    Delete,
    Save,
    Reload,
    ClearChoice,
    NextField,
    PrevField,
    AddMessage,
    RemoveMessage,
    CycleRole,
    PrevMessage,
    NextMessage,
    TogglePreview,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Yes,
    ClearField,
    DeleteWord,
    DeleteToEnd,
    Suspend,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    On(Screen),
    KeyForm,
    Editor,
    Messages,
    /// The JSON preview over the editor.
    Preview,
    /// Typing into a list's filter.
    Filter,
    /// The language picker.
    Picker,
    /// A yes/no question.
    Confirm,
}

impl Scope {
    /// Whether typed characters are text here rather than commands.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Scope::KeyForm | Scope::Editor | Scope::Messages | Scope::Filter | Scope::Picker
        )
    }
}

fn is_plain_char((code, modifiers): (KeyCode, KeyModifiers)) -> bool {
    matches!(code, KeyCode::Char(_))
        && !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Terminals differ on whether an upper-case letter comes with Shift held,
/// so Shift is not compared for characters.
fn same_key((code, modifiers): (KeyCode, KeyModifiers), key: &KeyEvent) -> bool {
    let relevant = |m: KeyModifiers| {
        if matches!(code, KeyCode::Char(_)) {
            m - KeyModifiers::SHIFT
        } else {
            m
        }
    };
    code == key.code && relevant(modifiers) == relevant(key.modifiers)
}

/// A default binding: where it applies, what it does, how help describes it.
#[derive(Debug)]
pub struct Binding {
    pub scope: Scope,
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// The word or two shown in the footer; `None` keeps it to the help.
    pub footer: Option<&'static str>,
}

/// The bindings in force: the defaults, with the user's keys where given.
#[derive(Debug)]
pub struct Keymap {
    bound: Vec<Bound>,
}

#[derive(Debug)]
pub struct Bound {
    pub binding: &'static Binding,
    pub keys: Vec<(KeyCode, KeyModifiers)>,
    /// How help and the footer name the keys, e.g. `C-s` or `q/C-c`.
    pub label: String,
}

impl Default for Keymap {
    fn default() -> Self {
        let bound = defaults::BINDINGS
            .iter()
            .map(|binding| Bound {
                binding,
                keys: binding.keys.to_vec(),
                label: binding.label.to_owned(),
            })
            .collect();
        Keymap { bound }
    }
}

impl Keymap {
    /// The defaults with `overrides` (action name → key names) applied: an
    /// action named there answers to exactly those keys, wherever it applies.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut keymap = Keymap::default();
        for (name, keys) in overrides {
            let action = parse::action(name)?;
            if keys.is_empty() {
                return Err(format!("[keys] {name}: give at least one key"));
            }
            let parsed = keys
                .iter()
                .map(|k| parse::key(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            for bound in keymap
                .bound
                .iter_mut()
                .filter(|b| b.binding.action == action)
            {
                // Where the user types text, a plain letter must stay a letter.
                let usable: Vec<_> = if bound.binding.scope.takes_text() {
                    parsed
                        .iter()
                        .copied()
                        .filter(|k| !is_plain_char(*k))
                        .collect()
                } else {
                    parsed.clone()
                };
                if !usable.is_empty() {
                    bound.label = usable
                        .iter()
                        .map(|k| parse::name(*k))
                        .collect::<Vec<_>>()
                        .join("/");
                    bound.keys = usable;
                }
            }
        }
        Ok(keymap)
    }

    /// The action a key means in `scopes`; the first scope that binds it wins.
    pub fn action_for(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        scopes.iter().find_map(|scope| {
            self.bound
                .iter()
                .find(|b| {
                    b.binding.scope == *scope && b.keys.iter().any(|bound| same_key(*bound, key))
                })
                .map(|b| b.binding.action)
        })
    }

    /// How to name the key for `action` in `scope` in a hint on screen, so
    /// hints follow the user's bindings.
    pub fn key_of(&self, scope: Scope, action: Action) -> &str {
        self.bound
            .iter()
            .find(|b| b.binding.scope == scope && b.binding.action == action)
            .map_or("?", |b| b.label.as_str())
    }

    /// The bindings that apply in `scopes`, for the help overlay and the footer.
    pub fn bindings_for<'a>(&'a self, scopes: &'a [Scope]) -> impl Iterator<Item = &'a Bound> + 'a {
        scopes
            .iter()
            .flat_map(|scope| self.bound.iter().filter(move |b| b.binding.scope == *scope))
    }
}

//! Key bindings as data: `assets/keys.toml` is the one table that input
//! handling, the footer and the help overlay read, so they can never
//! disagree. Users may rebind any action in the `[keys]` table of config.toml.

mod action;
mod parse;

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

pub use action::Action;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Everywhere, text fields included.
    Always,
    /// The screens, when no text field has the focus.
    Global,
    Providers,
    Models,
    Assistants,
    KeyForm,
    Editor,
    Messages,
    /// The JSON preview over the editor.
    Preview,
    /// Typing into a list's filter.
    Filter,
    /// A choice list over the editor (languages, voices).
    Picker,
    /// A yes/no question.
    Confirm,
    /// The `:` command line.
    Command,
    /// The activity log view.
    Log,
}

impl Scope {
    /// Whether typed characters are text here rather than commands.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Scope::Always
                | Scope::KeyForm
                | Scope::Editor
                | Scope::Messages
                | Scope::Filter
                | Scope::Picker
                | Scope::Command
        )
    }
}

pub type Key = (KeyCode, KeyModifiers);

fn is_plain_char((code, modifiers): Key) -> bool {
    matches!(code, KeyCode::Char(_))
        && !modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Terminals differ on whether an upper-case letter or Shift-Tab comes with
/// Shift held, so Shift is not compared for those.
fn same_key((code, modifiers): Key, key: &KeyEvent) -> bool {
    let relevant = |m: KeyModifiers| {
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            m - KeyModifiers::SHIFT
        } else {
            m
        }
    };
    code == key.code && relevant(modifiers) == relevant(key.modifiers)
}

/// One binding in force: where, which keys, what it does and how help and
/// the footer describe it.
#[derive(Debug, Clone)]
pub struct Bound {
    pub scope: Scope,
    pub action: Action,
    pub keys: Vec<Key>,
    /// How help and the footer name the keys, e.g. `C-s` or `↑/k`; derived
    /// from `keys`, so it follows a rebinding.
    pub label: String,
    pub help: String,
    /// The word or two shown in the footer; `None` keeps it to the help.
    pub footer: Option<String>,
}

/// What help and the footer list: one entry per action, its keys from
/// every scope that applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub action: Action,
    pub label: String,
    pub help: &'a str,
    pub footer: Option<&'a str>,
}

/// The bindings in force: the defaults, with the user's keys where given.
#[derive(Debug, Clone)]
pub struct Keymap {
    bound: Vec<Bound>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    bind: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    scope: Scope,
    action: Action,
    keys: Vec<String>,
    help: String,
    footer: Option<String>,
}

const DEFAULTS: &str = include_str!("../../../assets/keys.toml");

fn label(keys: &[Key]) -> String {
    let mut names: Vec<String> = Vec::new();
    // `y` and `Y` both answer yes; help names the key once.
    for name in keys.iter().map(|k| parse::name(*k)) {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            names.push(name);
        }
    }
    names.join("/")
}

impl Keymap {
    /// The bindings of `assets/keys.toml`.
    pub fn defaults() -> Result<Keymap, String> {
        let table: Table =
            toml::from_str(DEFAULTS).map_err(|e| format!("assets/keys.toml: {}", e.message()))?;
        let bound = table
            .bind
            .into_iter()
            .map(|row| {
                let keys = row
                    .keys
                    .iter()
                    .map(|k| parse::key(k))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Bound {
                    scope: row.scope,
                    action: row.action,
                    label: label(&keys),
                    keys,
                    help: row.help,
                    footer: row.footer,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Keymap { bound })
    }

    /// The defaults with `overrides` (action name → key names) applied: an
    /// action named there answers to exactly those keys, wherever it
    /// applies. Where text is typed a plain letter stays a letter, so an
    /// action given only letters is not bound there at all.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut keymap = Keymap::defaults()?;
        for (name, keys) in overrides {
            let action = Action::named(name).map_err(|e| format!("[keys] {e}"))?;
            if keys.is_empty() {
                return Err(format!("[keys] {name}: give at least one key"));
            }
            let parsed = keys
                .iter()
                .map(|k| parse::key(k).map_err(|e| format!("[keys] {name}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            for bound in keymap.bound.iter_mut().filter(|b| b.action == action) {
                let usable: Vec<_> = parsed
                    .iter()
                    .copied()
                    .filter(|k| !(bound.scope.takes_text() && is_plain_char(*k)))
                    .collect();
                bound.label = label(&usable);
                bound.keys = usable;
            }
        }
        Ok(keymap)
    }

    /// The action a key means in `scopes`; the first scope that binds it wins.
    pub fn action_for(&self, scopes: &[Scope], key: &KeyEvent) -> Option<Action> {
        scopes.iter().find_map(|scope| {
            self.bound
                .iter()
                .find(|b| b.scope == *scope && b.keys.iter().any(|bound| same_key(*bound, key)))
                .map(|b| b.action)
        })
    }

    /// How to name the key for `action` in a hint on screen, looked up in
    /// `scope` and then everywhere, so hints follow the user's bindings.
    pub fn key_of(&self, scope: Scope, action: Action) -> &str {
        let find = |scope: Option<Scope>| {
            self.bound.iter().find(|b| {
                b.action == action && !b.keys.is_empty() && scope.is_none_or(|s| b.scope == s)
            })
        };
        find(Some(scope))
            .or_else(|| find(Some(Scope::Always)))
            .or_else(|| find(None))
            .map_or("?", |b| b.label.as_str())
    }

    /// What applies in `scopes`, for the help overlay and the footer: an
    /// action bound in several of them is one entry naming all its keys.
    /// `hide` drops actions that must not be offered (writes, read-only).
    pub fn entries(&self, scopes: &[Scope], hide: impl Fn(Action) -> bool) -> Vec<Entry<'_>> {
        let mut entries: Vec<(Entry, Vec<Key>)> = Vec::new();
        for bound in scopes
            .iter()
            .flat_map(|scope| self.bound.iter().filter(move |b| b.scope == *scope))
            .filter(|b| !b.keys.is_empty() && !hide(b.action))
        {
            match entries.iter_mut().find(|(e, _)| e.action == bound.action) {
                Some((entry, keys)) => {
                    keys.extend(&bound.keys);
                    entry.label = label(keys);
                    entry.footer = entry.footer.or(bound.footer.as_deref());
                }
                None => entries.push((
                    Entry {
                        action: bound.action,
                        label: bound.label.clone(),
                        help: &bound.help,
                        footer: bound.footer.as_deref(),
                    },
                    bound.keys.clone(),
                )),
            }
        }
        entries.into_iter().map(|(e, _)| e).collect()
    }

    pub fn bindings(&self) -> &[Bound] {
        &self.bound
    }
}

impl Default for Keymap {
    fn default() -> Self {
        // The table is compiled in and `defaults_parse_and_bind_every_action`
        // parses it, so this cannot fail in a build whose tests pass.
        #[allow(clippy::expect_used)]
        Keymap::defaults().expect("assets/keys.toml parses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_bind_every_action() {
        let keymap = Keymap::defaults().unwrap();
        for action in Action::ALL {
            assert!(
                keymap.bindings().iter().any(|b| b.action == *action),
                "{action:?} has no key"
            );
        }
    }

    #[test]
    fn labels_follow_rebinding_in_every_scope() {
        let overrides = BTreeMap::from([("help".to_owned(), vec!["f2".to_owned()])]);
        let keymap = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(keymap.key_of(Scope::Editor, Action::Help), "F2");
        let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(
            keymap.action_for(&[Scope::Editor, Scope::Always], &f1),
            None
        );
    }

    #[test]
    fn unknown_actions_list_the_known_ones() {
        let overrides = BTreeMap::from([("sav".to_owned(), vec!["f2".to_owned()])]);
        let error = Keymap::with_overrides(&overrides).unwrap_err();
        assert!(error.contains("sav") && error.contains("save"), "{error}");
    }
}

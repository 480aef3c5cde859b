//! The names users write in config.toml's `[keys]`: actions in snake_case,
//! keys like `q`, `ctrl-s`, `shift-tab`, `f1`, `pgdn`.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::Action;
use crate::console::app::Screen;

const ACTIONS: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("next_screen", Action::NextScreen),
    ("prev_screen", Action::PrevScreen),
    ("providers", Action::GoTo(Screen::Providers)),
    ("key_entry", Action::GoTo(Screen::KeyEntry)),
    ("models", Action::GoTo(Screen::Models)),
    ("assistants", Action::GoTo(Screen::Assistants)),
    ("up", Action::Up),
    ("down", Action::Down),
    ("left", Action::Left),
    ("right", Action::Right),
    ("add_key", Action::AddKey),
    ("remove_key", Action::RemoveKey),
    ("refresh", Action::Refresh),
    ("filter", Action::Filter),
    ("select", Action::Select),
    ("back", Action::Back),
    ("new", Action::New),
    ("delete", Action::Delete),
    ("save", Action::Save),
    ("reload", Action::Reload),
    ("clear_choice", Action::ClearChoice),
    ("next_field", Action::NextField),
    ("prev_field", Action::PrevField),
    ("add_message", Action::AddMessage),
    ("remove_message", Action::RemoveMessage),
    ("cycle_role", Action::CycleRole),
    ("prev_message", Action::PrevMessage),
    ("next_message", Action::NextMessage),
    ("toggle_preview", Action::TogglePreview),
    ("page_up", Action::PageUp),
    ("page_down", Action::PageDown),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("yes", Action::Yes),
    ("clear_field", Action::ClearField),
    ("delete_word", Action::DeleteWord),
    ("delete_to_end", Action::DeleteToEnd),
    ("suspend", Action::Suspend),
];

pub fn action(name: &str) -> Result<Action, String> {
    ACTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, a)| *a)
        .ok_or_else(|| {
            let names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
            format!(
                "[keys] {name:?} is not an action; actions: {}",
                names.join(", ")
            )
        })
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("del", KeyCode::Delete),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("space", KeyCode::Char(' ')),
];

/// How help names a key: `C-s`, `M-x`, `S-Tab`, `F5`, `q`.
pub fn name((code, modifiers): (KeyCode, KeyModifiers)) -> String {
    let mut text = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        text.push_str("C-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        text.push_str("M-");
    }
    let key = match code {
        KeyCode::Char(' ') => "space".to_owned(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::BackTab => "S-Tab".to_owned(),
        _ => NAMED
            .iter()
            .find(|(_, c)| *c == code)
            .map_or_else(|| format!("{code:?}"), |(n, _)| (*n).to_owned()),
    };
    text.push_str(&key);
    text
}

/// `ctrl-s`, `alt-x`, `shift-tab`, `f5`, `?`, `q`, `pgdn`.
pub fn key(text: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let lower = text.to_ascii_lowercase();
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = lower.as_str();
    // A lone "-" is a key, not a separator.
    while let Some((prefix, tail)) = rest.split_once('-').filter(|(_, tail)| !tail.is_empty()) {
        modifiers |= match prefix {
            "ctrl" | "c" => KeyModifiers::CONTROL,
            "alt" | "m" => KeyModifiers::ALT,
            "shift" | "s" => KeyModifiers::SHIFT,
            _ => return Err(format!("{text:?}: {prefix:?} is not ctrl, alt or shift")),
        };
        rest = tail;
    }
    let code = if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == rest) {
        *code
    } else if let Some(n) = rest.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        KeyCode::F(n)
    } else {
        // Case matters for letters: the original text, not the lowered one.
        let original = &text[text.len() - rest.len()..];
        let mut chars = original.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                return Err(format!(
                    "{text:?} is not a key (try q, ctrl-s, shift-tab, f2, pgdn)"
                ));
            }
        }
    };
    // Terminals report Shift-Tab as BackTab with Shift held.
    if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
        return Ok((KeyCode::BackTab, modifiers));
    }
    Ok((code, modifiers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_as_terminals_send_them() {
        assert_eq!(key("q"), Ok((KeyCode::Char('q'), KeyModifiers::NONE)));
        assert_eq!(key("Q"), Ok((KeyCode::Char('Q'), KeyModifiers::NONE)));
        assert_eq!(
            key("ctrl-s"),
            Ok((KeyCode::Char('s'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            key("shift-tab"),
            Ok((KeyCode::BackTab, KeyModifiers::SHIFT))
        );
        assert_eq!(key("F2"), Ok((KeyCode::F(2), KeyModifiers::NONE)));
        assert_eq!(key("-"), Ok((KeyCode::Char('-'), KeyModifiers::NONE)));
        assert!(key("hyper-x").is_err());
        assert!(key("banana").is_err());
    }

    #[test]
    fn unknown_actions_list_the_known_ones() {
        assert_eq!(action("save"), Ok(Action::Save));
        assert!(action("sav").unwrap_err().contains("save"));
    }
}

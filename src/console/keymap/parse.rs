//! The key names of assets/keys.toml and config.toml's `[keys]`: `q`, `ctrl-s`, `shift-tab`, `f1`, `pgdn`.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

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
        KeyCode::Up => "↑".to_owned(),
        KeyCode::Down => "↓".to_owned(),
        KeyCode::Left => "←".to_owned(),
        KeyCode::Right => "→".to_owned(),
        KeyCode::Enter => "Enter".to_owned(),
        KeyCode::Esc => "Esc".to_owned(),
        KeyCode::Tab => "Tab".to_owned(),
        KeyCode::Backspace => "Bksp".to_owned(),
        KeyCode::Delete => "Del".to_owned(),
        KeyCode::Insert => "Ins".to_owned(),
        KeyCode::Home => "Home".to_owned(),
        KeyCode::End => "End".to_owned(),
        KeyCode::PageUp => "PgUp".to_owned(),
        KeyCode::PageDown => "PgDn".to_owned(),
        _ => format!("{code:?}"),
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
}

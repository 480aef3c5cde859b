//! What is known of one provider key, in the one vocabulary every screen
//! uses: the editor, the Assistants list, the Providers panel and help's
//! legend all read their mark, word and colour from here, so ✓ means the
//! same thing wherever it is drawn.

use ratatui::style::Style;

use super::theme::Theme;
use crate::domain::Verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// The keys have not been loaded yet.
    Loading,
    /// No key of yours: the platform's default key is used.
    Platform,
    /// Your key is stored and no check ran this session.
    NotChecked,
    /// Your key's last check passed.
    Valid,
    /// Your key works but lacks something an assistant needs.
    Limited,
    /// The provider refused your key at its last check.
    Failed,
    /// The last check reached no verdict.
    Inconclusive,
}

impl KeyState {
    /// The marks help's legend explains, in the order it lists them.
    pub const LEGEND: [KeyState; 6] = [
        KeyState::Valid,
        KeyState::NotChecked,
        KeyState::Inconclusive,
        KeyState::Limited,
        KeyState::Failed,
        KeyState::Platform,
    ];

    /// `configured` is `None` while the keys load; `check` is this session's
    /// last check of the stored key, if any ran.
    pub fn of(configured: Option<bool>, check: Option<Verdict>) -> KeyState {
        match (configured, check) {
            (None, _) => KeyState::Loading,
            (Some(false), _) => KeyState::Platform,
            (Some(true), None) => KeyState::NotChecked,
            (Some(true), Some(verdict)) => KeyState::checked(verdict),
        }
    }

    /// A stored key checked with this verdict.
    pub fn checked(verdict: Verdict) -> KeyState {
        match verdict {
            Verdict::Valid => KeyState::Valid,
            Verdict::Limited => KeyState::Limited,
            Verdict::Invalid => KeyState::Failed,
            Verdict::Unknown => KeyState::Inconclusive,
        }
    }

    pub fn mark(self) -> &'static str {
        match self {
            KeyState::Loading => "…",
            KeyState::Platform => "○",
            KeyState::NotChecked => "●",
            KeyState::Valid => "✓",
            KeyState::Limited => "!",
            KeyState::Failed => "✗",
            KeyState::Inconclusive => "?",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            KeyState::Loading => "key status loading",
            KeyState::Platform => "platform's key",
            KeyState::NotChecked => "stored, not checked",
            KeyState::Valid => "checked valid",
            KeyState::Limited => "checked limited",
            KeyState::Failed => "check failed",
            KeyState::Inconclusive => "check inconclusive",
        }
    }

    /// `✓ checked valid`.
    pub fn marked(self) -> String {
        format!("{} {}", self.mark(), self.word())
    }

    pub fn style(self, theme: &Theme) -> Style {
        match self {
            KeyState::Loading => theme.muted,
            // Neither good nor bad: stored, and nobody knows whether it works.
            KeyState::NotChecked => theme.special,
            KeyState::Valid => theme.ok,
            KeyState::Platform | KeyState::Limited | KeyState::Inconclusive => theme.warn,
            KeyState::Failed => theme.error,
        }
    }

    /// The last check said the key will not serve: calls will fail.
    pub fn failed(self) -> bool {
        matches!(self, KeyState::Failed | KeyState::Limited)
    }
}

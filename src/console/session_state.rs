//! What the user made of this run, apart from any server: it outlives a
//! profile switch as it is.

use std::time::Duration;

use super::activity::ActivityLog;
use super::app::Screen;
use super::clipboard::Clipboard;
use super::keymap::Keymap;
use super::profiles::Settings;
use super::theme::Theme;

pub struct SessionState {
    pub keymap: Keymap,
    /// The colours the views draw with (config.toml `theme`, `:theme`).
    pub theme: Theme,
    /// Whether the terminal reports the mouse (config.toml `mouse`,
    /// `:mouse`); off, the console never asks it to.
    pub mouse: bool,
    /// `:readonly` turned on: it stays on for every profile switched to,
    /// the safe way round. A profile's own reason is its server's.
    pub read_only: bool,
    /// How often the console checks the server and reloads what it shows
    /// while nobody asks; `None` never (tests, or `refresh_seconds = 0`).
    pub refresh_every: Option<Duration>,
    /// How copies reach the clipboard (config.toml `clipboard`).
    pub clipboard: Clipboard,
    /// The command an assistant's JSON is edited with (`$VISUAL`/`$EDITOR`).
    pub editor_command: String,
    /// The screen stays across a switch, as a k9s view does across contexts.
    pub screen: Screen,
    /// Commands run, oldest first.
    pub command_history: Vec<String>,
    /// Every API call of the run, newest last, and the log view; each
    /// entry names its profile, so every profile's calls share one log.
    pub activity: ActivityLog,
    pub size: (u16, u16),
}

impl SessionState {
    /// A run as the user set it up.
    pub fn new(settings: &Settings) -> Self {
        SessionState {
            keymap: settings.keymap.clone(),
            theme: settings.theme.clone(),
            mouse: settings.mouse,
            refresh_every: settings.refresh_every,
            clipboard: settings.clipboard.clone(),
            editor_command: settings.editor.clone(),
            ..SessionState::default()
        }
    }
}

impl Default for SessionState {
    fn default() -> Self {
        SessionState {
            keymap: Keymap::default(),
            theme: Theme::default(),
            mouse: false,
            read_only: false,
            refresh_every: None,
            clipboard: Clipboard::default(),
            editor_command: super::external_edit::editor_command(),
            screen: Screen::Providers,
            command_history: Vec::new(),
            activity: ActivityLog::default(),
            size: (80, 24),
        }
    }
}

//! What the user made of this run, apart from any server: it outlives a
//! profile switch as it is.

use super::activity::ActivityLog;
use super::app::Screen;

pub struct SessionState {
    /// The screen stays across a switch, as a k9s view does across contexts.
    pub screen: Screen,
    /// Commands run, oldest first.
    pub command_history: Vec<String>,
    /// Every API call of the run, newest last, and the log view; each
    /// entry names its profile, so every profile's calls share one log.
    pub activity: ActivityLog,
    pub size: (u16, u16),
}

impl Default for SessionState {
    fn default() -> Self {
        SessionState {
            screen: Screen::Providers,
            command_history: Vec::new(),
            activity: ActivityLog::default(),
            size: (80, 24),
        }
    }
}

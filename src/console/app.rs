//! The console's whole state. No IO happens here; `update` changes it and
//! `view` draws it.

use std::time::Instant;

use crate::client::ApiError;
use crate::domain::Catalog;

use super::profiles::{Profile, ServerProfile};
pub use super::server_state::ServerState;
pub use super::session_state::SessionState;

pub use super::list::{Sort, SortColumn, follow};

/// A piece of server data as the view sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    Loading,
    Loaded(T),
    Failed(ApiError),
}

impl<T> Remote<T> {
    pub fn loaded(&self) -> Option<&T> {
        match self {
            Remote::Loaded(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Providers,
    Models,
    Assistants,
}

impl Screen {
    pub const ALL: [Screen; 3] = [Screen::Providers, Screen::Models, Screen::Assistants];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Providers => "Providers",
            Screen::Models => "Models",
            Screen::Assistants => "Assistants",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Connection {
    Unknown,
    Ok,
    /// The server did not answer; the console asks again at `retry_at`.
    Unreachable {
        reason: String,
        retry_at: Instant,
    },
    Unauthorized,
    RateLimited {
        until: Instant,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub is_error: bool,
    pub ticks_left: u16,
}

/// A yes/no question that blocks everything else until answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub title: String,
    pub lines: Vec<String>,
    pub on_yes: ConfirmAction,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmAction {
    DeleteKey {
        provider: String,
    },
    DeleteAssistant {
        id: String,
    },
    DiscardEdits,
    DiscardKey,
    /// Save the typed key although its check found a problem.
    SaveKeyAnyway,
    /// Save the assistant although a key it uses failed its last check.
    SaveAssistantAnyway,
    /// Switch profile although edits would be lost.
    SwitchProfile {
        name: String,
    },
    Quit,
}

/// Where a choice made on the Models screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickTarget {
    SttModel,
    LlmModel,
    TtsModel,
}

pub const FIRST_RETRY: std::time::Duration = std::time::Duration::from_secs(2);
pub const LAST_RETRY: std::time::Duration = std::time::Duration::from_secs(60);

/// The console's state: what the user made of this run, and what the
/// server of the current profile shows. A profile switch replaces `server`
/// whole and keeps `session`.
pub struct Model {
    pub session: SessionState,
    pub server: ServerState,
}

impl Model {
    pub fn new(session: SessionState, server: ServerState) -> Self {
        Model { session, server }
    }

    /// The console on the embedded server's address with this build's
    /// catalog, as the user starts it with no settings.
    pub fn local(catalog: Catalog) -> Self {
        let server = ServerProfile::new(Profile::local(), "http://127.0.0.1:8787");
        Model::new(SessionState::default(), ServerState::new(server, catalog))
    }

    /// Moves to another profile's server; the session stays as it is.
    pub fn replace_server(&mut self, server: ServerState) {
        self.server = server;
    }

    /// Browse only: turned on in the console, or fixed by the profile.
    pub fn read_only(&self) -> bool {
        self.session.read_only || self.server.read_only_fixed.is_some()
    }

    /// Whether `action` is offered at all: a read-only session hides writes.
    pub fn offers(&self, action: super::keymap::Action) -> bool {
        !(self.read_only() && action.writes())
    }

    /// Rows a full-height list shows, as the view lays them out.
    pub fn list_page(&self) -> usize {
        super::layout::list_page(
            self.session.size,
            self.server.toast.as_ref().map(|t| t.text.as_str()),
        )
    }

    /// Requests the user is waiting for (background reloads are not shown).
    pub fn in_flight(&self) -> usize {
        self.server.requests.shown()
    }

    /// Ticks run only while something on screen moves.
    pub fn needs_tick(&self) -> bool {
        self.server.requests.shown() > 0
            || self.server.toast.is_some()
            || matches!(
                self.server.connection,
                Connection::RateLimited { .. } | Connection::Unreachable { .. }
            )
    }

    /// How old what is on screen is, in seconds, when that matters: while
    /// the server cannot be reached, or once it is older than two refresh
    /// rounds. Fresh data has no age to show, so a reload that finds
    /// nothing new has nothing to redraw.
    pub fn stale_for(&self, refresh_every: Option<std::time::Duration>) -> Option<u64> {
        let (now, at) = (self.server.now?, self.server.updated_at?);
        let age = now.saturating_duration_since(at).as_secs();
        let stale = refresh_every.is_some_and(|every| age > 2 * every.as_secs().max(1));
        let down = !matches!(self.server.connection, Connection::Ok | Connection::Unknown);
        (stale || down).then_some(age)
    }

    /// An assistant edit or a typed key that quitting would lose.
    pub fn has_unsaved_edits(&self) -> bool {
        self.server
            .editor
            .as_ref()
            .is_some_and(|e| e.is_dirty() || e.saving.is_some())
            || self
                .server
                .key_form
                .as_ref()
                .is_some_and(|f| f.has_typed() || f.is_sending())
    }
}

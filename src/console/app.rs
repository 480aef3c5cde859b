//! The console's whole state. No IO happens here; `update` changes it and
//! `view` draws it.

use std::time::Instant;

use crate::client::ApiError;
use crate::domain::{Account, ByokState, Catalog, CatalogSource};

use super::editor::Editor;
use super::key_form::KeyForm;
use super::picker::Picker;
use super::providers::{ProvidersScreen, RowInputs};
use super::requests::Requests;
use super::screens::{AssistantsScreen, ModelsScreen};

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

pub struct Model {
    pub screen: Screen,
    pub account: Remote<Account>,
    pub byok: Remote<ByokState>,
    /// What the editor offers and checks against: this build's copy until
    /// the server has answered with its own.
    pub catalog: Catalog,
    pub catalog_source: CatalogSource,
    /// Effects decided deep inside `update` (a ranking to run), handed out
    /// with its other commands.
    pub effects: Vec<super::msg::Cmd>,
    pub providers: ProvidersScreen,
    pub key_form: Option<KeyForm>,
    /// Key checks of this session, the keys stored in it, voice libraries.
    pub checks: super::checks::KeyChecks,
    pub models: ModelsScreen,
    pub assistants: AssistantsScreen,
    pub editor: Option<Editor>,
    pub picker: Option<Picker>,
    pub confirm: Option<Confirm>,
    /// The `:` command line while it is open.
    pub command: Option<super::command::CommandLine>,
    /// Commands run, oldest first; kept across profile switches.
    pub command_history: Vec<String>,
    /// The profile whose session is being opened for a switch.
    pub switching: Option<String>,
    pub help: bool,
    pub toast: Option<Toast>,
    pub connection: Connection,
    pub requests: Requests,
    /// Every API call of the session, newest last, and the log view.
    pub activity: super::activity::ActivityLog,
    /// How long to wait before asking an unreachable server again; doubles
    /// up to a minute while it stays away.
    pub retry_delay: std::time::Duration,
    /// When the server last answered a load: "updated Ns ago".
    pub updated_at: Option<Instant>,
    pub spinner: usize,
    pub size: (u16, u16),
    pub now: Option<Instant>,
    pub quit: bool,
    /// Ctrl-Z: the event loop hands the terminal back to the shell.
    pub suspend: bool,
    /// Set by `update` when the message changed nothing on screen (a
    /// background reload that found the same data), so nothing is drawn.
    pub unchanged: bool,
}

impl Model {
    pub fn new(catalog: Catalog) -> Self {
        let mut model = Model {
            screen: Screen::Providers,
            account: Remote::Loading,
            byok: Remote::Loading,
            catalog,
            catalog_source: CatalogSource::BuiltIn,
            effects: Vec::new(),
            providers: ProvidersScreen::default(),
            key_form: None,
            checks: Default::default(),
            models: ModelsScreen::default(),
            assistants: AssistantsScreen::default(),
            editor: None,
            picker: None,
            confirm: None,
            command: None,
            command_history: Vec::new(),
            switching: None,
            help: false,
            toast: None,
            connection: Connection::Unknown,
            requests: Requests::default(),
            activity: Default::default(),
            retry_delay: FIRST_RETRY,
            updated_at: None,
            spinner: 0,
            size: (80, 24),
            now: None,
            quit: false,
            suspend: false,
            unchanged: false,
        };
        model.providers.set_inputs(RowInputs {
            catalog: &model.catalog,
            byok: &model.byok,
            assistants_failed: false,
        });
        model
    }

    /// Rows a full-height list shows, as the view lays them out.
    pub fn list_page(&self) -> usize {
        super::layout::list_page(self.size, self.toast.as_ref().map(|t| t.text.as_str()))
    }

    /// Requests the user is waiting for (background reloads are not shown).
    pub fn in_flight(&self) -> usize {
        self.requests.shown()
    }

    /// Ticks run only while something on screen moves.
    pub fn needs_tick(&self) -> bool {
        self.requests.shown() > 0
            || self.toast.is_some()
            || matches!(
                self.connection,
                Connection::RateLimited { .. } | Connection::Unreachable { .. }
            )
    }

    /// How old what is on screen is, in seconds, when that matters: while
    /// the server cannot be reached, or once it is older than two refresh
    /// rounds. Fresh data has no age to show, so a reload that finds
    /// nothing new has nothing to redraw.
    pub fn stale_for(&self, refresh_every: Option<std::time::Duration>) -> Option<u64> {
        let (now, at) = (self.now?, self.updated_at?);
        let age = now.saturating_duration_since(at).as_secs();
        let stale = refresh_every.is_some_and(|every| age > 2 * every.as_secs().max(1));
        let down = !matches!(self.connection, Connection::Ok | Connection::Unknown);
        (stale || down).then_some(age)
    }

    /// An assistant edit or a typed key that quitting would lose.
    pub fn has_unsaved_edits(&self) -> bool {
        self.editor
            .as_ref()
            .is_some_and(|e| e.is_dirty() || e.saving.is_some())
            || self
                .key_form
                .as_ref()
                .is_some_and(|f| f.has_typed() || f.is_sending())
    }
}

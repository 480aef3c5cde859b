//! The console's whole state. No IO happens here; `update` changes it and
//! `view` draws it.

use std::time::Instant;

use crate::client::ApiError;
use crate::domain::{Account, Assistant, ByokConfig, ByokState, Catalog, CatalogSource};

use super::editor::Editor;
use super::key_form::KeyForm;
use super::picker::Picker;
use super::providers::{ProviderRow, Usage};
use super::requests::Requests;

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

#[derive(Debug, Default)]
pub struct ListState {
    pub filter: String,
    pub filtering: bool,
    /// Position within `visible`.
    pub selected: usize,
    /// Indices of the items that pass the filter, best match first. Kept
    /// here, not recomputed per frame, so thousands of rows draw quickly.
    pub visible: Vec<usize>,
    /// Earlier results of this filter's prefixes, shortest first: typing
    /// on ranks only what the last step matched, and Backspace goes back
    /// to a result already known instead of ranking everything again.
    pub ranked: Vec<(String, std::sync::Arc<Vec<usize>>)>,
    /// A ranking sent to the worker and not answered yet.
    pub ranking: Option<u64>,
    /// The first row on screen; moves only when the selection would leave
    /// the screen, so the highlight moves and the rows stay still.
    pub offset: usize,
    /// The order chosen with `s`; none is the server's (or catalog's).
    pub sort: Option<Sort>,
}

/// A list ordered by one of its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Updated,
    Id,
}

impl ListState {
    /// Moves the selection by `delta` rows and keeps it on a page of `page` rows.
    pub fn move_by(&mut self, delta: isize, page: usize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.follow(page);
    }

    pub fn follow(&mut self, page: usize) {
        self.offset = follow(self.offset, self.selected, page);
    }

    /// Keeps the selection and the first row within what is visible.
    pub fn clamp(&mut self) {
        self.selected = self.selected.min(self.visible.len().saturating_sub(1));
        self.offset = self.offset.min(self.selected);
    }
}

/// The first row to show so that `selected` is on a page of `page` rows
/// starting as close to `offset` as possible.
pub fn follow(offset: usize, selected: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + page {
        selected + 1 - page
    } else {
        offset
    }
}

#[derive(Debug)]
pub struct ModelsState {
    pub tab: usize,
    pub list: ListState,
    pub target: Option<PickTarget>,
}

pub const FIRST_RETRY: std::time::Duration = std::time::Duration::from_secs(2);
pub const LAST_RETRY: std::time::Duration = std::time::Duration::from_secs(60);

pub struct Model {
    pub screen: Screen,
    pub account: Remote<Account>,
    pub byok: Remote<ByokState>,
    /// The Models screen's rows: the catalog as `/byok/config` shapes it.
    pub config: Remote<ByokConfig>,
    /// What the editor offers and checks against: this build's copy until
    /// the server has answered with its own.
    pub catalog: Catalog,
    pub catalog_source: CatalogSource,
    pub assistants: Remote<Vec<Assistant>>,
    /// A load in progress: the assistants received so far and how many
    /// the server says there are. A first load shows them as they come; a
    /// reload replaces the list only once complete.
    pub incoming: Option<Incoming>,
    /// Each assistant's filter text, built once per list change; shared
    /// with a ranking on the worker.
    pub haystacks: std::sync::Arc<Vec<String>>,
    pub rank_generation: u64,
    /// Which assistants use each provider's key, kept with `assistants`.
    pub usage: Option<Usage>,
    /// The Providers screen's rows, kept with the keys, catalog and usage.
    pub provider_rows: Vec<ProviderRow>,
    pub provider_focus: usize,
    /// The Providers filter (`/`); its rows are `provider_rows` that match.
    pub provider_list: ListState,
    pub key_form: Option<KeyForm>,
    /// Key checks of this session, the keys stored in it, voice libraries.
    pub checks: super::checks::KeyChecks,
    pub models: ModelsState,
    pub assistant_list: ListState,
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
}

#[derive(Debug, Default)]
pub struct Incoming {
    /// A reload's pages so far (a first load puts them in the list at once).
    pub assistants: Vec<Assistant>,
    pub total: Option<u64>,
    /// Whether the pages go straight into the list (a first load).
    pub showing: bool,
}

impl Model {
    pub fn new(catalog: Catalog) -> Self {
        let mut model = Model {
            screen: Screen::Providers,
            account: Remote::Loading,
            byok: Remote::Loading,
            config: Remote::Loading,
            catalog,
            catalog_source: CatalogSource::BuiltIn,
            assistants: Remote::Loading,
            incoming: None,
            haystacks: std::sync::Arc::new(Vec::new()),
            rank_generation: 0,
            usage: None,
            provider_rows: Vec::new(),
            provider_focus: 0,
            provider_list: ListState::default(),
            key_form: None,
            checks: Default::default(),
            models: ModelsState {
                tab: 0,
                list: ListState::default(),
                target: None,
            },
            assistant_list: ListState::default(),
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
        };
        super::providers::refresh_rows(&mut model);
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

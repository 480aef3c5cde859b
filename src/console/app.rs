//! The console's whole state. No IO happens here; `update` changes it and
//! `view` draws it.

use std::collections::HashMap;
use std::time::Instant;

use crate::domain::{Account, Assistant, ByokConfig, ByokState, Catalog, CatalogSource};

use super::editor::Editor;
use super::key_form::KeyForm;
use super::keymap::Keymap;
use super::msg::{CallKind, RequestId};
use super::picker::Picker;

/// A piece of server data as the view sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    Loading,
    Loaded(T),
    Failed(String),
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
    KeyEntry,
    Models,
    Assistants,
}

impl Screen {
    pub const ALL: [Screen; 4] = [
        Screen::Providers,
        Screen::KeyEntry,
        Screen::Models,
        Screen::Assistants,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Providers => "Providers",
            Screen::KeyEntry => "Key entry",
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
    DeleteKey { provider: String },
    DeleteAssistant { id: String },
    DiscardEdits,
    DiscardKey,
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
    /// The first row on screen; moves only when the selection would leave
    /// the screen, so the highlight moves and the rows stay still.
    pub offset: usize,
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
    pub profile: String,
    pub base_url: String,
    /// `--read-only`: browse, never change anything.
    pub read_only: bool,
    pub keymap: Keymap,
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
    /// Which assistants use each provider's key, kept with `assistants`.
    pub usage: Option<super::providers::Usage>,
    pub provider_focus: usize,
    pub key_form: Option<KeyForm>,
    pub models: ModelsState,
    pub assistant_list: ListState,
    pub editor: Option<Editor>,
    pub picker: Option<Picker>,
    pub confirm: Option<Confirm>,
    pub help: bool,
    pub toast: Option<Toast>,
    pub connection: Connection,
    /// What each request in flight is for; replies with an id not in here
    /// (superseded or already answered) are dropped.
    pub pending: HashMap<RequestId, CallKind>,
    pub next_request: RequestId,
    /// How long to wait before asking an unreachable server again; doubles
    /// up to a minute while it stays away.
    pub retry_delay: std::time::Duration,
    pub spinner: usize,
    pub size: (u16, u16),
    pub now: Option<Instant>,
    pub quit: bool,
    /// Ctrl-Z: the event loop hands the terminal back to the shell, then redraws.
    pub suspend: bool,
}

impl Model {
    pub fn new(profile: impl Into<String>, base_url: impl Into<String>, catalog: Catalog) -> Self {
        Model {
            profile: profile.into(),
            base_url: base_url.into(),
            read_only: false,
            keymap: Keymap::default(),
            screen: Screen::Providers,
            account: Remote::Loading,
            byok: Remote::Loading,
            config: Remote::Loading,
            catalog,
            catalog_source: CatalogSource::BuiltIn,
            assistants: Remote::Loading,
            usage: None,
            provider_focus: 0,
            key_form: None,
            models: ModelsState {
                tab: 0,
                list: ListState::default(),
                target: None,
            },
            assistant_list: ListState::default(),
            editor: None,
            picker: None,
            confirm: None,
            help: false,
            toast: None,
            connection: Connection::Unknown,
            pending: HashMap::new(),
            next_request: 1,
            retry_delay: FIRST_RETRY,
            spinner: 0,
            size: (80, 24),
            now: None,
            quit: false,
            suspend: false,
        }
    }

    /// Rows a full-height list shows (the screen less header, footer,
    /// status, filter line, borders and column titles).
    pub fn list_page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(7)).max(1)
    }

    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// Ticks run only while something on screen moves.
    pub fn needs_tick(&self) -> bool {
        !self.pending.is_empty()
            || self.toast.is_some()
            || matches!(
                self.connection,
                Connection::RateLimited { .. } | Connection::Unreachable { .. }
            )
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

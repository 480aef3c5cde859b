//! What one profile's server shows, and the screens' state over it:
//! replaced whole when the console switches profile.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::domain::{Account, Assistant, ByokConfig, ByokState, Catalog, CatalogSource};

use super::app::{
    Confirm, Connection, FIRST_RETRY, Incoming, ListState, ModelsState, Remote, Toast,
};
use super::checks::KeyChecks;
use super::command::CommandLine;
use super::editor::Editor;
use super::key_form::KeyForm;
use super::picker::Picker;
use super::profiles::{Profile, ServerProfile};
use super::providers::{ProviderRow, Usage};
use super::requests::Requests;

pub struct ServerState {
    pub profile: Profile,
    pub base_url: String,
    /// Why this profile is read-only whatever `:readonly` says
    /// (`--read-only`, or the profile's `read_only = true`).
    pub read_only_fixed: Option<String>,
    /// The profiles `:profile` can switch to, the embedded server's
    /// `local` among them.
    pub profiles: Vec<String>,
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
    pub haystacks: Arc<Vec<String>>,
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
    pub checks: KeyChecks,
    pub models: ModelsState,
    pub assistant_list: ListState,
    pub editor: Option<Editor>,
    pub picker: Option<Picker>,
    pub confirm: Option<Confirm>,
    /// The `:` command line while it is open.
    pub command: Option<CommandLine>,
    /// The profile whose session is being opened for a switch.
    pub switching: Option<String>,
    pub help: bool,
    pub toast: Option<Toast>,
    pub connection: Connection,
    pub requests: Requests,
    /// How long to wait before asking an unreachable server again; doubles
    /// up to a minute while it stays away.
    pub retry_delay: Duration,
    /// When the server last answered a load: "updated Ns ago".
    pub updated_at: Option<Instant>,
    pub spinner: usize,
    pub now: Option<Instant>,
}

impl ServerState {
    /// Nothing loaded yet; the provider rows are left to
    /// `providers::refresh_rows`, which reads the whole model.
    pub fn new(server: ServerProfile, catalog: Catalog) -> Self {
        let ServerProfile {
            profile,
            base_url,
            read_only_fixed,
            profiles,
        } = server;
        ServerState {
            profile,
            base_url,
            read_only_fixed,
            profiles,
            account: Remote::Loading,
            byok: Remote::Loading,
            config: Remote::Loading,
            catalog,
            catalog_source: CatalogSource::BuiltIn,
            assistants: Remote::Loading,
            incoming: None,
            haystacks: Arc::new(Vec::new()),
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
            switching: None,
            help: false,
            toast: None,
            connection: Connection::Unknown,
            requests: Requests::default(),
            retry_delay: FIRST_RETRY,
            updated_at: None,
            spinner: 0,
            now: None,
        }
    }
}

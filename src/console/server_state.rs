//! What one profile's server shows, and the screens' state over it:
//! replaced whole when the console switches profile.

use std::time::{Duration, Instant};

use crate::domain::{Account, ByokState, Catalog, CatalogSource};

use super::app::{Confirm, Connection, FIRST_RETRY, Remote, Toast};
use super::checks::KeyChecks;
use super::command::CommandLine;
use super::editor::Editor;
use super::key_form::KeyForm;
use super::picker::Picker;
use super::profiles::{Profile, ServerProfile};
use super::providers::ProvidersScreen;
use super::requests::Requests;
use super::screens::{AssistantsScreen, ModelsScreen};

pub struct ServerState {
    pub profile: Profile,
    pub base_url: String,
    /// Why this profile is read-only whatever `:readonly` says
    /// (`--read-only`, or the profile's `read_only = true`).
    pub read_only_fixed: Option<String>,
    /// The profiles `:profile` can switch to, the embedded server's
    /// `local` among them.
    pub profiles: Vec<String>,
    /// `(organization id, profile)` for each profile `orgs create` made.
    pub org_profiles: Vec<(String, String)>,
    pub account: Remote<Account>,
    pub byok: Remote<ByokState>,
    /// What the editor offers and checks against: this build's copy until
    /// the server has answered with its own.
    pub catalog: Catalog,
    pub catalog_source: CatalogSource,
    pub providers: ProvidersScreen,
    pub key_form: Option<KeyForm>,
    /// Key checks of this session, the keys stored in it, voice libraries.
    pub checks: KeyChecks,
    pub models: ModelsScreen,
    pub assistants: AssistantsScreen,
    pub editor: Option<Editor>,
    pub picker: Option<Picker>,
    pub confirm: Option<Confirm>,
    /// The `:` command line while it is open.
    pub command: Option<CommandLine>,
    /// The profile whose session is being opened for a switch.
    pub switching: Option<String>,
    pub help: bool,
    /// Whether help lists the `:` commands too, as `:help` asks: the
    /// command line it was typed on is closed by then.
    pub help_commands: bool,
    /// How far help is scrolled, when it has more rows than fit.
    pub help_scroll: usize,
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
    /// Nothing loaded yet: the provider rows say so.
    pub fn new(server: ServerProfile, catalog: Catalog) -> Self {
        let ServerProfile {
            profile,
            base_url,
            read_only_fixed,
            profiles,
            org_profiles,
        } = server;
        let mut state = ServerState {
            profile,
            base_url,
            read_only_fixed,
            profiles,
            org_profiles,
            account: Remote::Loading,
            byok: Remote::Loading,
            catalog,
            catalog_source: CatalogSource::BuiltIn,
            providers: ProvidersScreen::default(),
            key_form: None,
            checks: Default::default(),
            models: ModelsScreen::default(),
            assistants: AssistantsScreen::default(),
            editor: None,
            picker: None,
            confirm: None,
            command: None,
            switching: None,
            help: false,
            help_commands: false,
            help_scroll: 0,
            toast: None,
            connection: Connection::Unknown,
            requests: Requests::default(),
            retry_delay: FIRST_RETRY,
            updated_at: None,
            spinner: 0,
            now: None,
        };
        state.rows_follow();
        state
    }
}

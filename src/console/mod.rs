//! The full-screen console, in the Elm style: `Model` (app.rs) changes only
//! in `update`, `view` draws it, and `worker` performs the API calls.

pub mod activity;
pub mod app;
pub mod checks;
pub mod clipboard;
pub mod colors;
pub mod command;
pub mod editor;
pub mod event_loop;
pub mod external_edit;
pub mod focus;
pub mod format;
pub mod fuzzy;
mod inputs;
pub mod key_form;
pub mod key_state;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod msg;
pub mod picker;
pub mod profiles;
pub mod providers;
mod queries;
mod quiet;
pub mod requests;
pub mod screen;
pub mod screens;
pub mod server_state;
pub mod session_loop;
pub mod session_state;
pub mod settings_step;
pub mod signals;
pub mod switch;
mod terminal;
pub mod theme;
mod unsaved;
pub mod update;
pub mod view;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use colors::Depth;
use signals::{Ended, Signals};

use crate::domain::Catalog;

pub use crate::session::Session;

/// How often the console looks at the server by itself when config.toml
/// does not say.
const DEFAULT_REFRESH: Duration = Duration::from_secs(10);

/// `VOICEDOCK_REFRESH_SECONDS` overrides config.toml's `refresh_seconds`
/// (tests turn the background refresh off with 0).
const REFRESH_VAR: &str = "VOICEDOCK_REFRESH_SECONDS";

/// Opens the console on `profile`, or on the embedded local server when no
/// profile is configured, and runs it until it is quit or signalled.
pub async fn run(profile: Option<String>, read_only: bool) -> anyhow::Result<Ended> {
    // A terminal that cannot draw, or a broken keymap or config, is reported
    // before the server starts or the screen changes.
    if let Some(why) = terminal::refusal(std::env::var("TERM").ok().as_deref()) {
        anyhow::bail!(why);
    }
    let depth = Depth::from_env();
    let settings = user_settings(read_only)?;
    let upstreams = crate::checks::Upstreams::from_env()?;
    let catalog = Arc::new(Catalog::builtin());
    let config = crate::config::Config::load(&crate::config::paths()?.config_file)?;
    // A wrong --profile is a usage error with or without a terminal; then a
    // missing terminal is said before a server starts or a data dir is made.
    crate::config::resolve(&crate::config::paths()?, profile.as_deref())?;
    if let Some(why) = terminal::missing() {
        anyhow::bail!(why);
    }
    let mut signals = Signals::listen()?;
    let session = Session::open(profile.as_deref(), || catalog.clone()).await?;
    let server = profiles::server_profile(&session, &config, &settings)?;
    let mut guard = terminal::enter()?;
    let mut keys = terminal::TerminalKeys::default();
    let profiles = session_loop::Profiles {
        settings,
        catalog: catalog.clone(),
        upstreams,
    };
    let mut io = event_loop::Io {
        screen: &mut guard,
        input: &mut keys,
        signals: &mut signals,
        depth,
    };
    let run = session_state::SessionState::new(&profiles.settings);
    let first = profiles::Opened { session, server };
    let finished = session_loop::drive(&mut io, &profiles, catalog, run, first).await;
    drop(guard);
    match finished.ended {
        Ok(Ended::By(signal)) => {
            // Said once the terminal is back, so it stays on screen. The
            // server is not waited for: a signal asks for a prompt exit.
            signals::report_dropped(&finished.unsaved);
            drop(finished.session);
            Ok(Ended::By(signal))
        }
        ended => {
            finished.session.close().await;
            ended
        }
    }
}

fn user_settings(read_only: bool) -> anyhow::Result<profiles::Settings> {
    let paths = crate::config::paths()?;
    let config = crate::config::Config::load(&paths.config_file)?;
    let keymap = keymap::Keymap::with_overrides(&config.keys)
        .map_err(|e| anyhow::anyhow!("{}: {e}", paths.config_file.display()))?;
    let theme = match config.theme.as_deref() {
        Some(name) => theme::Theme::named(name)
            .map_err(|e| anyhow::anyhow!("{}: theme: {e}", paths.config_file.display()))?,
        None => theme::Theme::default(),
    };
    let seconds = match std::env::var(REFRESH_VAR) {
        Ok(text) => Some(text.trim().parse::<u64>().map_err(|_| {
            anyhow::anyhow!("{REFRESH_VAR}={text:?}: give a whole number of seconds (0 is off)")
        })?),
        Err(_) => config.refresh_seconds,
    };
    let refresh_every = match seconds {
        Some(0) => None,
        Some(n) => Some(Duration::from_secs(n)),
        None => Some(DEFAULT_REFRESH),
    };
    let clipboard = clipboard::Clipboard::settle(
        config.clipboard.unwrap_or_default(),
        config.clipboard_command.as_deref(),
        &clipboard::Place::from_env(),
    )
    .map_err(|e| anyhow::anyhow!("{}: {e}", paths.config_file.display()))?;
    Ok(profiles::Settings {
        keymap,
        refresh_every,
        read_only,
        clipboard,
        theme,
        mouse: config.mouse.unwrap_or(false),
        editor: external_edit::editor_command(),
    })
}

//! Session after session: each profile switched to gets a new server state
//! and a new worker; the session state (history, the log, the screen,
//! `:theme`…) stays as it is.

use std::sync::Arc;

use futures_util::Stream;
use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::activity::Recording;
use super::app::{Model, ServerState};
use super::checks::KeyChecks;
use super::event_loop::{self, Io, Outcome};
use super::profiles::{self, Opened};
use super::screen::{Input, Screen};
use super::session_state::SessionState;
use super::signals::{Ended, Signal};
use super::{update, worker};
use crate::config::VoiceCache;
use crate::domain::Catalog;
use crate::session::Session;

/// Where sessions come from: config.toml's profiles, or a test's servers.
pub trait Sessions {
    /// Opens `name`'s session and describes its profile.
    fn open(&self, name: String) -> BoxFuture<'static, anyhow::Result<Opened>>;

    /// What a session's worker checks keys with, and where its calls are
    /// recorded.
    fn worker_setup(&self, session: &Session) -> (worker::CheckSetup, Recording);

    /// The profiles `:profile` can switch to as they are now: another
    /// shell may have added or removed one since the console started.
    fn profiles(&self) -> anyhow::Result<Vec<String>>;
}

/// The profiles of config.toml, opened as the user set this run up.
pub struct Profiles {
    pub settings: profiles::Settings,
    pub catalog: Arc<Catalog>,
    pub upstreams: crate::checks::Upstreams,
}

impl Sessions for Profiles {
    fn open(&self, name: String) -> BoxFuture<'static, anyhow::Result<Opened>> {
        let (settings, catalog) = (self.settings.clone(), self.catalog.clone());
        Box::pin(async move { profiles::open(&name, &settings, catalog).await })
    }

    /// Providers from the environment; the voice cache under this profile's
    /// name, unless the platform has no cache dir.
    fn worker_setup(&self, session: &Session) -> (worker::CheckSetup, Recording) {
        let setup = worker::CheckSetup {
            upstreams: self.upstreams.clone(),
            voice_cache: crate::config::paths()
                .ok()
                .map(|p| (p.cache_dir, session.kind.cache_name().to_owned())),
            activity: None,
        };
        (setup, Recording::for_console(&session.profile))
    }

    fn profiles(&self) -> anyhow::Result<Vec<String>> {
        profiles::switchable_in(&crate::config::paths()?.config_file)
    }
}

/// How the console ended, with what the caller still has to see to: the
/// session to close (or drop, after a signal) and the edits a signal dropped.
pub struct Finished {
    pub ended: anyhow::Result<Ended>,
    pub session: Session,
    pub unsaved: Vec<String>,
}

/// Runs `first` and every session switched to, until the console ends.
pub async fn drive<S, I, G>(
    io: &mut Io<'_, S, I, G>,
    sessions: &impl Sessions,
    catalog: Arc<Catalog>,
    run: SessionState,
    first: Opened,
) -> Finished
where
    S: Screen,
    I: Input,
    G: Stream<Item = Signal> + Unpin,
{
    let Opened {
        mut session,
        server,
    } = first;
    let server = ServerState::new(server, Catalog::clone(&catalog));
    let mut model = Model::new(run, server);
    loop {
        let (setup, recording) = sessions.worker_setup(&session);
        if let Some((dir, profile)) = &setup.voice_cache {
            let cached = crate::checks::LISTS_VOICES.iter().filter_map(|provider| {
                VoiceCache::load(dir, profile, provider, session.client.key_pieces())
            });
            model.server.checks = KeyChecks::with_libraries(cached);
        }
        let (reply_tx, reply_rx) = mpsc::unbounded_channel();
        let client = session.client.clone();
        let cmds = worker::spawn(client, catalog.clone(), setup, recording, reply_tx);
        let outcome = event_loop::run(io, sessions, &mut model, &cmds, reply_rx).await;
        let ended = match outcome {
            Ok(Outcome::Switch(opened)) => {
                // The old session's worker stops with its channel; replies
                // still on their way go nowhere.
                drop(cmds);
                let Opened {
                    session: next,
                    server,
                } = *opened;
                std::mem::replace(&mut session, next).close().await;
                let name = server.profile.name.clone();
                model.replace_server(ServerState::new(server, Catalog::clone(&catalog)));
                update::say(&mut model, format!("Switched to profile {name}"));
                continue;
            }
            Ok(Outcome::Ended(ended)) => Ok(ended),
            Err(e) => Err(e),
        };
        return Finished {
            ended,
            session,
            unsaved: model.unsaved_edits(),
        };
    }
}

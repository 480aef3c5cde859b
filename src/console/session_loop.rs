//! Session after session: each profile switched to gets a new model and a
//! new worker; what the user made of the console (history, the log, the
//! screen, `:theme`…) goes along.

use std::sync::Arc;

use futures_util::Stream;
use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::activity::{self, Recording};
use super::app::{self, Model};
use super::checks::KeyChecks;
use super::context::Context;
use super::event_loop::{self, Io, Outcome};
use super::profiles::{self, Opened};
use super::screen::{Input, Screen};
use super::signals::{Ended, Signal};
use super::{update, worker};
use crate::config::VoiceCache;
use crate::domain::Catalog;
use crate::session::Session;

/// Where sessions come from: config.toml's profiles, or a test's servers.
pub trait Sessions {
    /// Opens `name`'s session and the context it runs in.
    fn open(&self, name: String) -> BoxFuture<'static, anyhow::Result<Opened>>;

    /// What a session's worker checks keys with, and where its calls are
    /// recorded.
    fn worker_setup(&self, session: &Session) -> (worker::CheckSetup, Recording);
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
    first: Opened,
) -> Finished
where
    S: Screen,
    I: Input,
    G: Stream<Item = Signal> + Unpin,
{
    let Opened {
        mut session,
        mut cx,
    } = first;
    let mut carried = Carried::default();
    loop {
        let mut model = Model::new(Catalog::clone(&catalog));
        carried.restore(&mut model);
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
        let outcome = event_loop::run(io, sessions, &mut cx, &mut model, &cmds, reply_rx).await;
        let ended = match outcome {
            Ok(Outcome::Switch(opened)) => {
                // The old session's worker stops with its channel; replies
                // still on their way go nowhere.
                drop(cmds);
                let Opened {
                    session: next,
                    cx: mut next_cx,
                } = *opened;
                std::mem::replace(&mut session, next).close().await;
                carried = Carried::take(&mut model, &next_cx.profile.name);
                carried.carry_context(&cx, &mut next_cx);
                cx = next_cx;
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

/// What outlives a profile switch: the user's own history and choices, not
/// the old server's data.
#[derive(Default)]
struct Carried {
    history: Vec<String>,
    /// Every profile's calls stay in one log; each entry names its profile.
    activity: activity::ActivityLog,
    /// The screen stays, as a k9s view does across contexts.
    screen: Option<app::Screen>,
    switched_to: Option<String>,
}

impl Carried {
    fn take(model: &mut Model, to: &str) -> Carried {
        Carried {
            history: std::mem::take(&mut model.session.command_history),
            activity: std::mem::take(&mut model.session.activity),
            screen: Some(model.session.screen),
            switched_to: Some(to.to_owned()),
        }
    }

    fn restore(&mut self, model: &mut Model) {
        model.session.command_history = std::mem::take(&mut self.history);
        model.session.activity = std::mem::take(&mut self.activity);
        if let Some(screen) = self.screen.take() {
            model.session.screen = screen;
        }
        if let Some(name) = self.switched_to.take() {
            update::say(model, format!("Switched to profile {name}"));
        }
    }

    /// Choices made in the console for this run stay with the new profile:
    /// `:theme`, `:mouse`, and `:readonly` turned on (the safe way round; a
    /// profile's own `read_only = true` stays with that profile).
    fn carry_context(&self, old: &Context, new: &mut Context) {
        new.theme = old.theme.clone();
        new.mouse = old.mouse;
        if old.read_only && old.read_only_fixed.is_none() {
            new.read_only = true;
        }
    }
}

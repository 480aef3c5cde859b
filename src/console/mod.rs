//! The full-screen console, in the Elm style: `Model` (app.rs) changes only
//! in `update`, `view` draws it, and `worker` performs the API calls.

pub mod activity;
pub mod app;
pub mod checks;
pub mod clipboard;
pub mod colors;
pub mod command;
pub mod context;
pub mod editor;
pub mod external_edit;
pub mod focus;
pub mod format;
pub mod fuzzy;
mod inputs;
pub mod key_form;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod msg;
pub mod picker;
pub mod profiles;
pub mod providers;
mod queries;
pub mod requests;
pub mod screens;
pub mod signals;
mod terminal;
pub mod theme;
mod unsaved;
pub mod update;
pub mod view;
pub mod worker;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind, MouseEventKind};
use tokio::sync::mpsc;

use std::sync::Arc;

use app::Model;
use colors::Depth;
use context::Context;
use signals::{Ended, Signals};

use crate::config::VoiceCache;
use crate::domain::Catalog;
use checks::KeyChecks;
use msg::{Cmd, Effect, Msg};

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
    let mut session = Session::open(profile.as_deref(), || catalog.clone()).await?;
    let mut cx = profiles::context_for(&session, &config, &settings)?;
    let mut guard = terminal::enter()?;
    let mut carried = Carried::default();
    loop {
        let mut model = Model::new(Catalog::clone(&catalog));
        carried.restore(&mut model);
        let setup = check_setup(&session.kind, &upstreams);
        if let Some((dir, profile)) = &setup.voice_cache {
            let cached = crate::checks::LISTS_VOICES.iter().filter_map(|provider| {
                VoiceCache::load(dir, profile, provider, session.client.key_pieces())
            });
            model.checks = KeyChecks::with_libraries(cached);
        }
        let (reply_tx, reply_rx) = mpsc::unbounded_channel();
        let recording = activity::Recording::for_console(&cx.profile.name);
        let cmds = worker::spawn(
            session.client.clone(),
            catalog.clone(),
            setup,
            recording,
            reply_tx,
        );
        let opener = Opener {
            settings: &settings,
            catalog: &catalog,
        };
        let outcome = event_loop(
            &mut guard, &mut cx, &mut model, depth, &cmds, reply_rx, &opener,
        )
        .await;
        match outcome {
            Ok(Outcome::Switch(opened)) => {
                // The old session's worker stops with its channel; replies
                // still on their way go nowhere.
                drop(cmds);
                let old = std::mem::replace(&mut session, opened.session);
                old.close().await;
                carried = Carried::take(&mut model, &opened.cx.profile.name);
                let mut next = opened.cx;
                carried.carry_context(&cx, &mut next);
                cx = next;
            }
            Ok(Outcome::Ended(Ended::By(signal))) => {
                drop(guard);
                // Said once the terminal is back, so it stays on screen. The
                // server is not waited for: a signal asks for a prompt exit.
                signals::report_dropped(&model.unsaved_edits());
                drop(session);
                return Ok(Ended::By(signal));
            }
            Ok(Outcome::Ended(ended)) => {
                drop(guard);
                session.close().await;
                return Ok(ended);
            }
            Err(e) => {
                drop(guard);
                session.close().await;
                return Err(e);
            }
        }
    }
}

/// How a round of the event loop ended: the console is done, or another
/// profile's session is open and takes over.
#[derive(Debug)]
enum Outcome {
    Ended(Ended),
    Switch(Box<profiles::Opened>),
}

/// What opening another profile needs.
struct Opener<'a> {
    settings: &'a profiles::Settings,
    catalog: &'a Arc<Catalog>,
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
            history: std::mem::take(&mut model.command_history),
            activity: std::mem::take(&mut model.activity),
            screen: Some(model.screen),
            switched_to: Some(to.to_owned()),
        }
    }

    fn restore(&mut self, model: &mut Model) {
        model.command_history = std::mem::take(&mut self.history);
        model.activity = std::mem::take(&mut self.activity);
        if let Some(screen) = self.screen.take() {
            model.screen = screen;
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

/// Providers from the environment; the voice cache under this profile's
/// name, unless the platform has no cache dir.
fn check_setup(
    kind: &crate::config::ProfileKind,
    upstreams: &crate::checks::Upstreams,
) -> worker::CheckSetup {
    worker::CheckSetup {
        upstreams: upstreams.clone(),
        voice_cache: crate::config::paths()
            .ok()
            .map(|p| (p.cache_dir, kind.cache_name().to_owned())),
        activity: None,
    }
}

async fn event_loop(
    guard: &mut terminal::TerminalGuard,
    cx: &mut Context,
    model: &mut Model,
    depth: Depth,
    cmds: &mpsc::UnboundedSender<Cmd>,
    mut replies: mpsc::UnboundedReceiver<Msg>,
    opener: &Opener<'_>,
) -> anyhow::Result<Outcome> {
    let size = guard.terminal.size()?;
    model.size = (size.width, size.height);
    guard.capture_mouse(cx.mouse)?;
    let mut events = EventStream::new();
    let mut signals = Signals::listen()?;
    // A profile being opened: the screen stays live meanwhile.
    let (opened_tx, mut opened) = mpsc::channel::<(String, anyhow::Result<profiles::Opened>)>(1);
    // Open, waiting for `update` to say whether to move to it.
    let mut pending: Option<profiles::Opened> = None;
    let mut effects = Vec::new();
    hand_out(cx, cmds, update::init(model), &mut effects);
    // The first frame goes out before any reply: panels say "loading".
    draw(guard, cx, model, depth)?;
    // One clock for the whole loop: a sleep made anew on each pass would
    // never fire while keys or replies keep arriving.
    let mut ticker = tokio::time::interval(update::TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Off, the branch below never polls it; a year keeps the clock arithmetic in range.
    let every = cx
        .refresh_every
        .unwrap_or(Duration::from_secs(365 * 24 * 3600));
    let mut refresher = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    refresher.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let ticking = model.needs_tick();
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(Outcome::Ended(Ended::Quit)),
            },
            Some(msg) = replies.recv() => msg,
            Some((name, result)) = opened.recv() => match result {
                Ok(next) => {
                    pending = Some(next);
                    Msg::SwitchReady { profile: name }
                }
                Err(e) => Msg::SwitchFailed {
                    profile: name,
                    reason: format!("{e:#}"),
                },
            },
            _ = ticker.tick(), if ticking => Msg::Tick(Instant::now()),
            _ = refresher.tick(), if cx.refresh_every.is_some() => Msg::Refresh(Instant::now()),
            signal = signals.next() => return Ok(Outcome::Ended(Ended::By(signal))),
        };
        let out = update::update(model, cx, msg);
        hand_out(cx, cmds, out, &mut effects);
        let mut redraw = !model.unchanged;
        // Replies that arrived meanwhile go into the same frame.
        while let Ok(msg) = replies.try_recv() {
            let out = update::update(model, cx, msg);
            hand_out(cx, cmds, out, &mut effects);
            redraw |= !model.unchanged;
        }
        // Effects asked for while effects are carried out (a copy's notice,
        // an edited text, a resize after a suspend) are carried out in the
        // same pass: none waits for the next key.
        loop {
            let (mut notices, mut edits) = (Vec::new(), Vec::new());
            for effect in effects.drain(..) {
                match effect {
                    Effect::SwitchProfile(name) => {
                        let (tx, settings, catalog) = (
                            opened_tx.clone(),
                            opener.settings.clone(),
                            opener.catalog.clone(),
                        );
                        tokio::spawn(async move {
                            let result = profiles::open(&name, &settings, catalog).await;
                            // A console that quit meanwhile drops the new session with the message.
                            let _ = tx.send((name, result)).await;
                        });
                    }
                    // Context changes were made by `hand_out`.
                    Effect::CommitSwitch => {
                        if let Some(next) = pending.take() {
                            return Ok(Outcome::Switch(Box::new(next)));
                        }
                    }
                    Effect::CancelSwitch => {
                        if let Some(unused) = pending.take() {
                            tokio::spawn(unused.session.close());
                        }
                    }
                    Effect::ReadOnly(_) | Effect::Theme(_) => {}
                    Effect::Mouse(_) => guard.capture_mouse(cx.mouse)?,
                    Effect::Copy { what, text } => {
                        let terminal = guard.terminal.backend_mut();
                        notices.extend(clipboard::deliver(&cx.clipboard, &what, &text, terminal));
                    }
                    Effect::EditJson { name, text } => edits.push((name, text)),
                }
                redraw = true;
            }
            for notice in notices {
                let out = update::update(model, cx, Msg::Copied(notice));
                hand_out(cx, cmds, out, &mut effects);
            }
            for (name, text) in edits {
                let edited = external_edit::hand_over(guard, &mut events, name, text).await?;
                let size = guard.terminal.size()?;
                for msg in [Msg::Resize(size.width, size.height), Msg::Edited(edited)] {
                    let out = update::update(model, cx, msg);
                    hand_out(cx, cmds, out, &mut effects);
                }
            }
            if model.quit {
                return Ok(Outcome::Ended(Ended::Quit));
            }
            if std::mem::take(&mut model.suspend) {
                guard.suspend()?;
                // The window may have changed size meanwhile; everything is drawn again.
                let size = guard.terminal.size()?;
                let out = update::update(model, cx, Msg::Resize(size.width, size.height));
                hand_out(cx, cmds, out, &mut effects);
                redraw = true;
            }
            if effects.is_empty() {
                break;
            }
        }
        if redraw {
            draw(guard, cx, model, depth)?;
        }
    }
}

fn draw(
    guard: &mut terminal::TerminalGuard,
    cx: &Context,
    model: &Model,
    depth: Depth,
) -> std::io::Result<()> {
    guard.terminal.draw(|frame| {
        view::view(model, cx, frame);
        colors::fit(frame.buffer_mut(), depth);
    })?;
    Ok(())
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
    })
}

/// Sends the worker its commands, makes the session changes asked for and
/// keeps the other effects for the loop.
fn hand_out(
    cx: &mut Context,
    tx: &mpsc::UnboundedSender<Cmd>,
    cmds: Vec<Cmd>,
    effects: &mut Vec<Effect>,
) {
    for cmd in cmds {
        match cmd {
            Cmd::Console(effect) => {
                cx.apply(&effect);
                effects.push(effect);
            }
            // The worker lives as long as this loop; a closed channel means it is shutting down.
            cmd => {
                let _ = tx.send(cmd);
            }
        }
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(msg::Pasted(text))),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        // Motion is reported on every cell crossed; only clicks and the wheel act.
        Event::Mouse(mouse)
            if !matches!(mouse.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
        {
            Some(Msg::Mouse(mouse))
        }
        _ => None,
    }
}

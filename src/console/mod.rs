//! The full-screen console, in the Elm style: `Model` (app.rs) changes only
//! in `update`, `view` draws it, and `worker` performs the API calls.

pub mod app;
pub mod checks;
pub mod colors;
pub mod context;
pub mod editor;
pub mod focus;
pub mod fuzzy;
pub mod key_form;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod picker;
pub mod providers;
pub mod requests;
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
use context::{Context, Profile};
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
    let settings = user_settings()?;
    let catalog = Arc::new(Catalog::builtin());
    let session = Session::open(profile.as_deref(), || catalog.clone()).await?;
    let mut cx = Context {
        keymap: settings.keymap,
        profile: Profile {
            name: session.profile.clone(),
            kind: session.kind.clone(),
        },
        base_url: session.client.base_url().to_owned(),
        read_only,
        refresh_every: settings.refresh_every,
        theme: settings.theme,
        mouse: settings.mouse,
    };
    let mut model = Model::new(Catalog::clone(&catalog));
    let setup = check_setup(&session.kind);
    if let Some((dir, profile)) = &setup.voice_cache {
        let cached = crate::checks::LISTS_VOICES
            .iter()
            .filter_map(|provider| VoiceCache::load(dir, profile, provider));
        model.checks = KeyChecks::with_libraries(cached);
    }
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let cmds = worker::spawn(session.client.clone(), catalog, setup, reply_tx);
    let mut guard = terminal::enter()?;
    let outcome = event_loop(&mut guard, &mut cx, &mut model, depth, &cmds, reply_rx).await;
    drop(guard);
    match outcome {
        Ok(Ended::By(signal)) => {
            // Said once the terminal is back, so it stays on screen. The
            // server is not waited for: a signal asks for a prompt exit.
            signals::report_dropped(&model.unsaved_edits());
            drop(session);
            Ok(Ended::By(signal))
        }
        other => {
            session.close().await;
            other
        }
    }
}

/// Providers from the environment; the voice cache under this profile's
/// name, unless the platform has no cache dir.
fn check_setup(kind: &crate::config::ProfileKind) -> worker::CheckSetup {
    worker::CheckSetup {
        upstreams: crate::checks::Upstreams::from_env(),
        voice_cache: crate::config::paths()
            .ok()
            .map(|p| (p.cache_dir, kind.cache_name().to_owned())),
    }
}

async fn event_loop(
    guard: &mut terminal::TerminalGuard,
    cx: &mut Context,
    model: &mut Model,
    depth: Depth,
    cmds: &mpsc::UnboundedSender<Cmd>,
    mut replies: mpsc::UnboundedReceiver<Msg>,
) -> anyhow::Result<Ended> {
    let size = guard.terminal.size()?;
    model.size = (size.width, size.height);
    guard.capture_mouse(cx.mouse)?;
    let mut events = EventStream::new();
    let mut signals = Signals::listen()?;
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
                None => return Ok(Ended::Quit),
            },
            Some(msg) = replies.recv() => msg,
            _ = ticker.tick(), if ticking => Msg::Tick(Instant::now()),
            _ = refresher.tick(), if cx.refresh_every.is_some() => Msg::Refresh(Instant::now()),
            signal = signals.next() => return Ok(Ended::By(signal)),
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
        for effect in effects.drain(..) {
            match effect {
                // Handled by the loop that owns the session (the next change).
                Effect::SwitchProfile(_) => {}
                // Context changes were made by `hand_out`.
                Effect::ReadOnly(_) | Effect::Theme(_) => {}
                Effect::Mouse(_) => guard.capture_mouse(cx.mouse)?,
            }
            redraw = true;
        }
        if model.quit {
            return Ok(Ended::Quit);
        }
        if std::mem::take(&mut model.suspend) {
            guard.suspend()?;
            // The window may have changed size meanwhile; everything is drawn again.
            let size = guard.terminal.size()?;
            let out = update::update(model, cx, Msg::Resize(size.width, size.height));
            hand_out(cx, cmds, out, &mut effects);
            redraw = true;
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

/// What config.toml (and the environment) set for the console.
struct Settings {
    keymap: keymap::Keymap,
    refresh_every: Option<Duration>,
    theme: theme::Theme,
    mouse: bool,
}

fn user_settings() -> anyhow::Result<Settings> {
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
    let every = match seconds {
        Some(0) => None,
        Some(n) => Some(Duration::from_secs(n)),
        None => Some(DEFAULT_REFRESH),
    };
    Ok(Settings {
        keymap,
        refresh_every: every,
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

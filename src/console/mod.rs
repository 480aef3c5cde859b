//! The full-screen console, in the Elm style: `Model` (app.rs) changes only
//! in `update`, `view` draws it, and `worker` performs the API calls.

pub mod app;
pub mod colors;
pub mod editor;
pub mod fuzzy;
pub mod key_form;
pub mod keymap;
pub mod msg;
pub mod picker;
pub mod providers;
pub mod signals;
mod terminal;
mod unsaved;
pub mod update;
pub mod view;
pub mod worker;

use std::time::Instant;

use futures_util::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use tokio::sync::mpsc;

use std::sync::Arc;

use app::Model;

use crate::domain::Catalog;
use colors::Depth;
use msg::{Cmd, Msg};
use signals::{Ended, Signals};

pub use crate::session::Session;

/// Opens the console on `profile`, or on the embedded local server when no
/// profile is configured, and runs it until it is quit or signalled.
pub async fn run(profile: Option<String>, read_only: bool) -> anyhow::Result<Ended> {
    // A terminal that cannot draw, or a broken keymap, is reported before
    // the server starts or the screen changes.
    if let Some(why) = terminal::refusal(std::env::var("TERM").ok().as_deref()) {
        anyhow::bail!(why);
    }
    let depth = Depth::from_env();
    let keymap = user_keymap()?;
    let catalog = Arc::new(Catalog::builtin());
    let session = Session::open(profile.as_deref(), || catalog.clone()).await?;
    let mut model = Model::new(
        session.profile.clone(),
        session.client.base_url().to_owned(),
        Catalog::clone(&catalog),
    );
    model.read_only = read_only;
    model.keymap = keymap;
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let cmds = worker::spawn(session.client.clone(), catalog, reply_tx);
    let mut guard = terminal::enter()?;
    let outcome = event_loop(&mut guard, &mut model, depth, &cmds, reply_rx).await;
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

async fn event_loop(
    guard: &mut terminal::TerminalGuard,
    model: &mut Model,
    depth: Depth,
    cmds: &mpsc::UnboundedSender<Cmd>,
    mut replies: mpsc::UnboundedReceiver<Msg>,
) -> anyhow::Result<Ended> {
    let size = guard.terminal.size()?;
    model.size = (size.width, size.height);
    let mut events = EventStream::new();
    let mut signals = Signals::listen()?;
    send_all(cmds, update::init(model));
    // The first frame goes out before any reply: panels say "loading".
    draw(guard, model, depth)?;
    // One clock for the whole loop: a sleep made anew on each pass would
    // never fire while keys or replies keep arriving.
    let mut ticker = tokio::time::interval(update::TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
            signal = signals.next() => return Ok(Ended::By(signal)),
        };
        send_all(cmds, update::update(model, msg));
        // Replies that arrived meanwhile go into the same frame.
        while let Ok(msg) = replies.try_recv() {
            send_all(cmds, update::update(model, msg));
        }
        if model.quit {
            return Ok(Ended::Quit);
        }
        if std::mem::take(&mut model.suspend) {
            guard.suspend()?;
            // The window may have changed size meanwhile.
            let size = guard.terminal.size()?;
            send_all(
                cmds,
                update::update(model, Msg::Resize(size.width, size.height)),
            );
        }
        draw(guard, model, depth)?;
    }
}

fn draw(guard: &mut terminal::TerminalGuard, model: &Model, depth: Depth) -> std::io::Result<()> {
    guard.terminal.draw(|frame| {
        view::view(model, frame);
        colors::fit(frame.buffer_mut(), depth);
    })?;
    Ok(())
}

fn user_keymap() -> anyhow::Result<keymap::Keymap> {
    let paths = crate::config::paths()?;
    let config = crate::config::Config::load(&paths.config_file)?;
    keymap::Keymap::with_overrides(&config.keys)
        .map_err(|e| anyhow::anyhow!("{}: {e}", paths.config_file.display()))
}

fn send_all(tx: &mpsc::UnboundedSender<Cmd>, cmds: Vec<Cmd>) {
    for cmd in cmds {
        // The worker lives as long as this loop; a closed channel means it is shutting down.
        let _ = tx.send(cmd);
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(msg::Pasted(text))),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

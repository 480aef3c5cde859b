//! One session's event loop: a message in (a key, a reply, a tick, the
//! periodic refresh, a profile opened), `update`, the effects it asked for
//! carried out until none is left, then a frame. Generic over the screen,
//! its input and the signals, so tests run this very loop on a
//! `TestBackend`.

use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt};
use ratatui::crossterm::event::{Event, KeyEventKind, MouseEventKind};
use tokio::sync::mpsc;

use super::app::Model;
use super::colors::{self, Depth};
use super::msg::{self, Cmd, Effect, Msg};
use super::profiles::Opened;
use super::screen::{Input, Screen};
use super::session_loop::Sessions;
use super::signals::{Ended, Signal};
use super::switch::PendingSwitch;
use super::{clipboard, external_edit, update, view};

/// What the console runs on: the terminal, what it reads and what ends it.
pub struct Io<'a, S, I, G> {
    pub screen: &'a mut S,
    pub input: &'a mut I,
    pub signals: &'a mut G,
    pub depth: Depth,
}

/// How a session's loop ended: the console is done, or another profile's
/// session is open and takes over.
#[derive(Debug)]
pub enum Outcome {
    Ended(Ended),
    Switch(Box<Opened>),
}

/// Where `update`'s commands go: the worker's to the worker, the loop's
/// kept in `effects` for the loop. Tests hand out through here too.
pub fn hand_out(cmds: Vec<Cmd>, mut to_worker: impl FnMut(Cmd), effects: &mut Vec<Effect>) {
    for cmd in cmds {
        match cmd {
            Cmd::Console(effect) => effects.push(effect),
            cmd => to_worker(cmd),
        }
    }
}

/// The session this loop runs: its state, and where what `update` asks
/// for goes.
struct Live<'a> {
    model: &'a mut Model,
    worker: &'a mpsc::UnboundedSender<Cmd>,
    effects: Vec<Effect>,
}

impl Live<'_> {
    fn update(&mut self, msg: Msg) {
        let cmds = update::update(self.model, msg);
        self.hand_out(cmds);
    }

    fn hand_out(&mut self, cmds: Vec<Cmd>) {
        let worker = self.worker;
        // The worker lives as long as this loop; a closed channel means it is shutting down.
        let to_worker = |cmd| {
            let _ = worker.send(cmd);
        };
        hand_out(cmds, to_worker, &mut self.effects);
    }
}

/// Runs one session until the console ends or another profile's session
/// is open to take over.
pub async fn run<S, I, G>(
    io: &mut Io<'_, S, I, G>,
    sessions: &impl Sessions,
    model: &mut Model,
    worker: &mpsc::UnboundedSender<Cmd>,
    mut replies: mpsc::UnboundedReceiver<Msg>,
) -> anyhow::Result<Outcome>
where
    S: Screen,
    I: Input,
    G: Stream<Item = Signal> + Unpin,
{
    let size = io.screen.terminal().size()?;
    model.session.size = (size.width, size.height);
    io.screen.capture_mouse(model.session.mouse)?;
    let mut switch = PendingSwitch::default();
    let refresh_every = model.session.refresh_every;
    let mut live = Live {
        model,
        worker,
        effects: Vec::new(),
    };
    let first = update::init(live.model);
    live.hand_out(first);
    // The first frame goes out before any reply: panels say "loading".
    draw(io, &live)?;
    // One clock for the whole loop: a sleep made anew on each pass would
    // never fire while keys or replies keep arriving.
    let mut ticker = tokio::time::interval(update::TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Off, the branch below never polls it; a year keeps the clock arithmetic in range.
    let every = refresh_every.unwrap_or(Duration::from_secs(365 * 24 * 3600));
    let mut refresher = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    refresher.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let ticking = live.model.needs_tick();
        let msg = tokio::select! {
            event = io.input.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(e)) if terminal_gone(&e) => {
                    return Ok(Outcome::Ended(Ended::By(Signal::HangUp)));
                }
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(Outcome::Ended(Ended::Quit)),
            },
            Some(msg) = replies.recv() => msg,
            msg = switch.answer() => msg,
            _ = ticker.tick(), if ticking => Msg::Tick(Instant::now()),
            _ = refresher.tick(), if refresh_every.is_some() => Msg::Refresh(Instant::now()),
            Some(signal) = io.signals.next() => return Ok(Outcome::Ended(Ended::By(signal))),
        };
        live.update(msg);
        // Replies that arrived meanwhile go into the same frame.
        while let Ok(msg) = replies.try_recv() {
            live.update(msg);
        }
        if let Some(outcome) = perform(io, sessions, &mut switch, &mut live).await? {
            return Ok(outcome);
        }
        // Unconditional: a frame that changed no cell sends nothing (`Quiet`).
        draw(io, &live)?;
    }
}

/// Carries out the effects asked for, in order. Those asked for meanwhile
/// (a copy's notice, an edited text, a resize after a suspend) are carried
/// out in the same pass: none waits for the next key.
async fn perform<S: Screen, I: Input, G>(
    io: &mut Io<'_, S, I, G>,
    sessions: &impl Sessions,
    switch: &mut PendingSwitch,
    live: &mut Live<'_>,
) -> anyhow::Result<Option<Outcome>> {
    while !live.effects.is_empty() {
        for effect in std::mem::take(&mut live.effects) {
            let answers = match effect {
                Effect::SwitchProfile(name) => {
                    switch.open(sessions, name);
                    Vec::new()
                }
                Effect::ReadProfiles(then) => {
                    let read = sessions.profiles().map_err(|e| format!("{e:#}"));
                    vec![Msg::Profiles { read, then }]
                }
                Effect::CommitSwitch => match switch.commit() {
                    Some(next) => return Ok(Some(Outcome::Switch(Box::new(next)))),
                    None => Vec::new(),
                },
                Effect::CancelSwitch => {
                    switch.cancel();
                    Vec::new()
                }
                Effect::Mouse(on) => {
                    io.screen.capture_mouse(on)?;
                    Vec::new()
                }
                Effect::Copy { what, text } => {
                    let mut out = io.screen.beside_frames();
                    let notice =
                        clipboard::deliver(&live.model.session.clipboard, &what, &text, &mut out);
                    notice.map(Msg::Copied).into_iter().collect()
                }
                Effect::EditJson { name, text } => {
                    let editor = live.model.session.editor_command.clone();
                    let edited =
                        external_edit::hand_over(io.screen, io.input, editor, name, text).await?;
                    vec![resized(io.screen)?, Msg::Edited(edited)]
                }
                Effect::Suspend => {
                    io.screen.suspend()?;
                    // The window may have changed size meanwhile.
                    vec![resized(io.screen)?]
                }
                Effect::Quit => return Ok(Some(Outcome::Ended(Ended::Quit))),
            };
            for msg in answers {
                live.update(msg);
            }
        }
    }
    Ok(None)
}

fn resized(screen: &mut impl Screen) -> anyhow::Result<Msg> {
    let size = screen.terminal().size()?;
    Ok(Msg::Resize(size.width, size.height))
}

fn draw<S: Screen, I, G>(io: &mut Io<'_, S, I, G>, live: &Live<'_>) -> anyhow::Result<()> {
    let depth = io.depth;
    io.screen.terminal().draw(|frame| {
        view::view(live.model, frame);
        colors::fit(frame.buffer_mut(), depth);
    })?;
    Ok(())
}

/// A read from a terminal that hung up fails with EIO (Linux, the BSDs):
/// that is the hang-up itself, whether or not its SIGHUP or the watcher in
/// `signals.rs` got there first.
fn terminal_gone(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(libc::EIO)
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

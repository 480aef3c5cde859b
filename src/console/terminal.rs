//! Entering and leaving the full-screen terminal. Whatever ends the console
//! (quit, error, panic, a signal), the user gets their terminal back; Ctrl-Z
//! hands it back for a while.

use std::io::{Stdout, Write, stdout};
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event, EventStream};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::layout::Rect;

use super::quiet::Quiet;
use super::screen::{Input, Screen};

type Backend = Quiet<CrosstermBackend<Stdout>>;

/// Why the full-screen console cannot run on a terminal with this `TERM`,
/// if it cannot: a dumb terminal has no cursor movement to draw with.
pub fn refusal(term: Option<&str>) -> Option<String> {
    (term == Some("dumb")).then(|| {
        format!("this terminal (TERM=dumb) cannot show the full-screen console; {CLI_INSTEAD}")
    })
}

const CLI_INSTEAD: &str = "the CLI does the same work: `voicedock byok ls`, \
     `voicedock byok set PROVIDER`, `voicedock models`, `voicedock assistants ls`, \
     `voicedock assistants get ID --json`, `voicedock assistants apply -f FILE` \
     (`voicedock --help` lists every command)";

/// Why the console cannot run without a terminal, if there is none: the
/// keys come from stdin, the screen goes to stdout, and raw mode needs the
/// controlling terminal, which `ssh host voicedock` (no `-t`) or `setsid`
/// leave without one. Said instead of the bare `os error 6` that opening
/// it would give.
pub fn missing() -> Option<String> {
    use std::io::IsTerminal;
    let present = std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && has_controlling_terminal();
    (!present).then(|| {
        format!(
            "the full-screen console needs a terminal, and stdin, stdout or the controlling \
             terminal is not one; over SSH, ask for one with `ssh -t HOST voicedock`. \
             Without a terminal, {CLI_INSTEAD}"
        )
    })
}

#[cfg(unix)]
fn has_controlling_terminal() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}

#[cfg(not(unix))]
fn has_controlling_terminal() -> bool {
    true
}

/// Whether mouse capture is on, for the panic hook, which has no guard:
/// the escape that turns it off is written only if one turned it on.
static CAPTURING: AtomicBool = AtomicBool::new(false);

/// Clicks, the wheel and drags while a button is held (1000, 1002), in SGR
/// form (1006). Not crossterm's `EnableMouseCapture`: its any-motion mode
/// (1003) reports every move of the pointer, a flood over SSH that the
/// console has no use for.
const MOUSE_ON: &[u8] = b"\x1b[?1000h\x1b[?1002h\x1b[?1006h";
const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1002l\x1b[?1000l";

fn write_mouse(on: bool) -> std::io::Result<()> {
    let mut out = stdout();
    out.write_all(if on { MOUSE_ON } else { MOUSE_OFF })?;
    out.flush()
}

fn release_mouse() {
    if CAPTURING.swap(false, Ordering::SeqCst) {
        let _ = write_mouse(false);
    }
}

/// Restores the terminal when dropped, so early returns and `?` are covered.
pub struct TerminalGuard {
    /// Never dropped: its own drop only shows the cursor, which the guard
    /// does, and reports a failure with `eprintln!`, which panics when the
    /// terminal has hung up.
    terminal: ManuallyDrop<Terminal<Backend>>,
    /// Whether `reenter` turns mouse capture back on, as `leave` found it.
    mouse_on_return: bool,
}

pub fn enter() -> std::io::Result<TerminalGuard> {
    // The panic hook gives the terminal back before the message prints,
    // bracketed paste and the mouse included, as ratatui::init's does.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
        report(info);
    }));
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let terminal = Terminal::new(Quiet::new(CrosstermBackend::new(stdout())))?;
    Ok(TerminalGuard {
        terminal: ManuallyDrop::new(terminal),
        mouse_on_return: false,
    })
}

impl Screen for TerminalGuard {
    type Backend = Backend;
    type Error = std::io::Error;

    fn terminal(&mut self) -> &mut Terminal<Backend> {
        &mut self.terminal
    }

    /// Gives the terminal back as it was, stops the process as the terminal's
    /// own Ctrl-Z would, and takes the screen again once continued (`fg`).
    /// The next draw repaints every cell: the shell wrote over them.
    fn suspend(&mut self) -> std::io::Result<()> {
        self.leave()?;
        stop_until_continued();
        self.reenter()
    }

    fn leave(&mut self) -> std::io::Result<()> {
        self.mouse_on_return = CAPTURING.load(Ordering::SeqCst);
        self.capture_mouse(false)?;
        execute!(stdout(), DisableBracketedPaste)?;
        self.terminal.show_cursor()?;
        ratatui::try_restore()
    }

    fn reenter(&mut self) -> std::io::Result<()> {
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        self.capture_mouse(self.mouse_on_return)?;
        self.terminal.backend_mut().forget_cursor();
        // resize clears and forgets the last frame, as `clear` does, without
        // asking the terminal where its cursor is: the answer would land in
        // the key reader.
        let size = self.terminal.size()?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
    }

    /// Nothing is written when mouse capture is already so, so a console
    /// without the mouse never sends a mouse escape.
    fn capture_mouse(&mut self, on: bool) -> std::io::Result<()> {
        if CAPTURING.load(Ordering::SeqCst) == on {
            return Ok(());
        }
        write_mouse(on)?;
        CAPTURING.store(on, Ordering::SeqCst);
        Ok(())
    }

    fn beside_frames(&mut self) -> &mut dyn std::io::Write {
        self.terminal.backend_mut().inner_mut()
    }
}

/// SIGTSTP to the whole process group, as the terminal sends it for Ctrl-Z
/// in a shell, so a pipeline stops together. With its default action the
/// signal stops this process until SIGCONT. The kernel discards it when no
/// shell could resume the group (an orphaned one): the console then simply
/// carries on.
#[cfg(unix)]
fn stop_until_continued() {
    // SAFETY: kill takes plain integers and touches no memory of ours.
    unsafe {
        libc::kill(0, libc::SIGTSTP);
    }
}

/// Without job control there is nothing to return to: the screen is just
/// redrawn.
#[cfg(not(unix))]
fn stop_until_continued() {}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        release_mouse();
        // Nothing useful can be done if the terminal refuses (or is gone);
        // keep going, quietly.
        let _ = execute!(stdout(), DisableBracketedPaste);
        let _ = self.terminal.show_cursor();
        let _ = ratatui::try_restore();
    }
}

/// The terminal's keys. crossterm reads them on a thread of its own while
/// the stream waits; that thread ends with the stream, so releasing drops
/// it and the next poll starts a new one.
#[derive(Default)]
pub struct TerminalKeys {
    stream: Option<EventStream>,
}

impl Stream for TerminalKeys {
    type Item = std::io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let stream = self.stream.get_or_insert_with(EventStream::new);
        Pin::new(stream).poll_next(cx)
    }
}

impl Input for TerminalKeys {
    fn release(&mut self) {
        self.stream = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_dumb_terminal_is_refused_and_told_about_the_cli() {
        let why = refusal(Some("dumb")).unwrap();
        assert!(why.contains("voicedock byok ls"), "{why}");
        assert!(why.contains("voicedock assistants ls"), "{why}");
        for term in [None, Some("linux"), Some("vt100"), Some("xterm-256color")] {
            assert_eq!(refusal(term), None, "{term:?}");
        }
    }
}

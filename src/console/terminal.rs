//! Entering and leaving the full-screen terminal. Whatever ends the console
//! (quit, error, panic, a signal), the user gets their terminal back; Ctrl-Z
//! hands it back for a while.

use std::io::stdout;
use std::mem::ManuallyDrop;

use ratatui::DefaultTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::layout::Rect;

/// Why the full-screen console cannot run on a terminal with this `TERM`,
/// if it cannot: a dumb terminal has no cursor movement to draw with.
pub fn refusal(term: Option<&str>) -> Option<String> {
    (term == Some("dumb")).then(|| {
        "this terminal (TERM=dumb) cannot show the full-screen console; the CLI does the \
         same work: `voicedock byok ls`, `voicedock byok set PROVIDER`, `voicedock models`, \
         `voicedock assistants ls`, `voicedock assistants get ID --json`, \
         `voicedock assistants apply -f FILE` (`voicedock --help` lists every command)"
            .to_owned()
    })
}

/// Whether mouse capture is on, for the panic hook, which has no guard:
/// the escape that turns it off is written only if one turned it on.
static CAPTURING: AtomicBool = AtomicBool::new(false);

fn release_mouse() {
    if CAPTURING.swap(false, Ordering::SeqCst) {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
}

/// Restores the terminal when dropped, so early returns and `?` are covered.
pub struct TerminalGuard {
    /// Never dropped: its own drop only shows the cursor, which the guard
    /// does, and reports a failure with `eprintln!`, which panics when the
    /// terminal has hung up.
    pub terminal: ManuallyDrop<DefaultTerminal>,
    /// Whether `reenter` turns mouse capture back on, as `leave` found it.
    mouse_on_return: bool,
}

pub fn enter() -> std::io::Result<TerminalGuard> {
    // ratatui::init installs a panic hook that restores before the message prints;
    // ours wraps it to turn bracketed paste off too.
    let terminal = ratatui::try_init()?;
    let restore_then_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_mouse();
        let _ = execute!(stdout(), DisableBracketedPaste);
        restore_then_report(info);
    }));
    execute!(stdout(), EnableBracketedPaste)?;
    Ok(TerminalGuard {
        terminal: ManuallyDrop::new(terminal),
        mouse_on_return: false,
    })
}

impl TerminalGuard {
    /// Gives the terminal back as it was, stops the process as the terminal's
    /// own Ctrl-Z would, and takes the screen again once continued (`fg`).
    /// The next draw repaints every cell: the shell wrote over them.
    pub fn suspend(&mut self) -> std::io::Result<()> {
        self.leave()?;
        stop_until_continued();
        self.reenter()
    }

    /// The terminal as it was before the console, for a program run in the
    /// foreground meanwhile (the user's editor).
    pub fn leave(&mut self) -> std::io::Result<()> {
        self.mouse_on_return = CAPTURING.load(Ordering::SeqCst);
        self.capture_mouse(false)?;
        execute!(stdout(), DisableBracketedPaste)?;
        self.terminal.show_cursor()?;
        ratatui::try_restore()
    }

    /// The console's screen again after `leave`; the next draw repaints every cell.
    pub fn reenter(&mut self) -> std::io::Result<()> {
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        self.capture_mouse(self.mouse_on_return)?;
        // resize clears and forgets the last frame, as `clear` does, without
        // asking the terminal where its cursor is: the answer would land in
        // the key reader.
        let size = self.terminal.size()?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
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

impl TerminalGuard {
    /// Turns the terminal's mouse reports on or off; nothing is written
    /// when that is already so, so a console without the mouse never
    /// sends a mouse escape.
    pub fn capture_mouse(&mut self, on: bool) -> std::io::Result<()> {
        if CAPTURING.load(Ordering::SeqCst) == on {
            return Ok(());
        }
        if on {
            execute!(stdout(), EnableMouseCapture)?;
        } else {
            execute!(stdout(), DisableMouseCapture)?;
        }
        CAPTURING.store(on, Ordering::SeqCst);
        Ok(())
    }
}

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

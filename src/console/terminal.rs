//! Entering and leaving the full-screen terminal. Whatever ends the console
//! (quit, error, panic, a signal), the user gets their terminal back.

use std::io::stdout;

use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;

/// Restores the terminal when dropped, so early returns and `?` are covered.
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

pub fn enter() -> std::io::Result<TerminalGuard> {
    // ratatui::init installs a panic hook that restores before the message prints;
    // ours wraps it to turn bracketed paste off too.
    let terminal = ratatui::try_init()?;
    let restore_then_report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste);
        restore_then_report(info);
    }));
    execute!(stdout(), EnableBracketedPaste)?;
    Ok(TerminalGuard { terminal })
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        // Nothing useful can be done if the terminal refuses; keep going.
        let _ = execute!(stdout(), DisableBracketedPaste);
        ratatui::restore();
    }
}

//! What the event loop needs of a terminal beside drawing on it, so the
//! same loop runs on the real one (`terminal.rs`) and on a test's
//! `TestBackend`, which records what it was asked instead.

use std::io::{self, Write};

use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::Event;

pub trait Screen {
    type Backend: Backend<Error = Self::Error>;
    type Error: std::error::Error + Send + Sync + 'static;

    fn terminal(&mut self) -> &mut Terminal<Self::Backend>;

    /// Ctrl-Z: the terminal goes back to the shell and the process stops
    /// until continued; the next draw repaints every cell.
    fn suspend(&mut self) -> io::Result<()>;

    /// Turns the terminal's mouse reports on or off.
    fn capture_mouse(&mut self, on: bool) -> io::Result<()>;

    /// The terminal as it was before the console, for a program run in the
    /// foreground meanwhile (the user's editor).
    fn leave(&mut self) -> io::Result<()>;

    /// The console's screen again after `leave`; the next draw repaints every cell.
    fn reenter(&mut self) -> io::Result<()>;

    /// Where bytes go that are not part of a frame (a copy through OSC 52).
    fn beside_frames(&mut self) -> &mut dyn Write;
}

/// The keys, pastes, clicks and resizes the console reads.
pub trait Input: Stream<Item = io::Result<Event>> + Unpin {
    /// Stops reading the terminal until polled again: a program run in the
    /// foreground meanwhile gets every key typed into it.
    fn release(&mut self);
}

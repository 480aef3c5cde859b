//! How the console ends besides quitting: SIGTERM and SIGHUP stop it at
//! once, saving nothing, and it says on stderr what was dropped. A terminal
//! that goes away counts as a hang-up even when no SIGHUP comes (a session
//! leader that ignores it, as `ssh -t host cmd` can be): the key reader
//! alone would never notice, and spin.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};
use tokio::sync::mpsc;

use crate::cli::exit_codes;

/// A signal that ends the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Terminate,
    HangUp,
}

impl Signal {
    /// 128 + the signal's number, as a shell reports a process it killed.
    pub fn exit_status(self) -> u8 {
        match self {
            Signal::Terminate => exit_codes::TERMINATED,
            Signal::HangUp => exit_codes::HUNG_UP,
        }
    }
}

/// How the console ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Quit,
    By(Signal),
}

impl Ended {
    pub fn exit_status(self) -> u8 {
        match self {
            Ended::Quit => exit_codes::SUCCESS,
            Ended::By(signal) => signal.exit_status(),
        }
    }
}

/// The signals the event loop waits for beside keys and replies.
pub struct Signals {
    terminate: Stream,
    hang_up: Stream,
    terminal_gone: mpsc::Receiver<()>,
}

impl Signals {
    pub fn listen() -> std::io::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hang_up: signal(SignalKind::hangup())?,
            terminal_gone: watch_terminal(),
        })
    }
}

impl futures_util::Stream for Signals {
    type Item = Signal;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Signal>> {
        let this = &mut *self;
        if this.terminate.poll_recv(cx).is_ready() {
            return Poll::Ready(Some(Signal::Terminate));
        }
        if this.hang_up.poll_recv(cx).is_ready() {
            return Poll::Ready(Some(Signal::HangUp));
        }
        // A watch that could not run says nothing, ever.
        match this.terminal_gone.poll_recv(cx) {
            Poll::Ready(Some(())) => Poll::Ready(Some(Signal::HangUp)),
            _ => Poll::Pending,
        }
    }
}

/// A thread that waits, reading nothing, for the controlling terminal to
/// hang up, and then says so once.
fn watch_terminal() -> mpsc::Receiver<()> {
    let (tx, rx) = mpsc::channel(1);
    let Ok(tty) = std::fs::File::open("/dev/tty") else {
        return rx;
    };
    let watch = move || {
        if hung_up(&tty) {
            let _ = tx.blocking_send(());
        }
    };
    // Without the thread only SIGHUP tells of a hang-up, as before.
    let _ = std::thread::Builder::new()
        .name("terminal watch".into())
        .spawn(watch);
    rx
}

/// Blocks until `tty` hangs up (true) or cannot be watched (false). Asking
/// `poll` for no events still reports a hang-up or an error, and never
/// takes a key from the reader.
fn hung_up(tty: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    let mut watched = libc::pollfd {
        fd: tty.as_raw_fd(),
        events: 0,
        revents: 0,
    };
    loop {
        // SAFETY: one pollfd, alive for the whole call; the descriptor stays
        // open as long as `tty`.
        let ready = unsafe { libc::poll(&mut watched, 1, -1) };
        if ready > 0 {
            return watched.revents & (libc::POLLHUP | libc::POLLERR) != 0;
        }
        if ready < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return false;
        }
    }
}

/// The line stderr gets after a signal, if anything was dropped.
pub fn dropped_report(edits: &[String]) -> Option<String> {
    (!edits.is_empty()).then(|| format!("Dropped unsaved edits: {}", edits.join("; ")))
}

/// After a hang-up stderr may be gone: nothing to do about it then.
pub fn report_dropped(edits: &[String]) {
    if let Some(line) = dropped_report(edits) {
        // It names assistants, whose names came from a server.
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::domain::text::terminal_safe(&line)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_shell_convention() {
        assert_eq!(Ended::By(Signal::Terminate).exit_status(), 143);
        assert_eq!(Ended::By(Signal::HangUp).exit_status(), 129);
        assert_eq!(Ended::Quit.exit_status(), 0);
    }

    #[test]
    fn the_report_lists_every_edit_or_is_silent() {
        assert_eq!(dropped_report(&[]), None);
        let edits = [
            "assistant \"Support line\" (name, first message)".to_owned(),
            "a typed OpenAI key".to_owned(),
        ];
        assert_eq!(
            dropped_report(&edits).unwrap(),
            "Dropped unsaved edits: assistant \"Support line\" (name, first message); \
             a typed OpenAI key"
        );
    }
}

//! How the console ends besides quitting: SIGTERM and SIGHUP stop it at
//! once, saving nothing, and it says on stderr what was dropped.

use std::io::Write;

use tokio::signal::unix::{Signal as Stream, SignalKind, signal};

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
            Signal::Terminate => 143,
            Signal::HangUp => 129,
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
            Ended::Quit => 0,
            Ended::By(signal) => signal.exit_status(),
        }
    }
}

/// The signals the event loop waits for beside keys and replies.
pub struct Signals {
    terminate: Stream,
    hang_up: Stream,
}

impl Signals {
    pub fn listen() -> std::io::Result<Signals> {
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hang_up: signal(SignalKind::hangup())?,
        })
    }

    pub async fn next(&mut self) -> Signal {
        tokio::select! {
            _ = self.terminate.recv() => Signal::Terminate,
            _ = self.hang_up.recv() => Signal::HangUp,
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
        let _ = writeln!(std::io::stderr(), "{line}");
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

//! A profile switch in progress, from `Effect::SwitchProfile` to
//! `CommitSwitch` or `CancelSwitch`: the session being opened while the
//! current one stays live, and once open, kept until `update` decides.
//! `update` knows only the name (`Model::switching`), for the screen.

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::msg::Msg;
use super::profiles::Opened;
use super::session_loop::Sessions;

type Opening = (String, anyhow::Result<Opened>);

pub struct PendingSwitch {
    opened_tx: mpsc::Sender<Opening>,
    opened: mpsc::Receiver<Opening>,
    ready: Option<Opened>,
}

impl Default for PendingSwitch {
    fn default() -> PendingSwitch {
        let (opened_tx, opened) = mpsc::channel(1);
        PendingSwitch {
            opened_tx,
            opened,
            ready: None,
        }
    }
}

impl PendingSwitch {
    /// Opens `name`'s session in the background; `answer` says when.
    pub fn open(&self, sessions: &impl Sessions, name: String) {
        let opening: BoxFuture<'static, _> = sessions.open(name.clone());
        let tx = self.opened_tx.clone();
        tokio::spawn(async move {
            let result = opening.await;
            // A console that quit meanwhile drops the new session with the message.
            let _ = tx.send((name, result)).await;
        });
    }

    /// The message for `update` once an opening ends; never, while none
    /// is under way.
    pub async fn answer(&mut self) -> Msg {
        // The sender kept here means the channel never closes.
        let Some((profile, result)) = self.opened.recv().await else {
            return std::future::pending().await;
        };
        match result {
            Ok(next) => {
                self.ready = Some(next);
                Msg::SwitchReady { profile }
            }
            Err(e) => Msg::SwitchFailed {
                profile,
                reason: format!("{e:#}"),
            },
        }
    }

    /// The open session to move to, if there is one.
    pub fn commit(&mut self) -> Option<Opened> {
        self.ready.take()
    }

    /// The open session is not wanted: it closes in the background.
    pub fn cancel(&mut self) {
        if let Some(unused) = self.ready.take() {
            tokio::spawn(unused.session.close());
        }
    }
}

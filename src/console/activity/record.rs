//! The worker's side of the log: a recorder for the `ApiClient`, the
//! entries of a key check's calls to its provider, and the task that
//! hands both to the console and appends them to the file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;

use super::{Entry, LogFile, Report};
use crate::checks::{GOOGLE_OAUTH, Upstreams};
use crate::client::Recorder;
use crate::console::msg::Msg;
use crate::domain::KeyCheck;

/// `VOICEDOCK_ACTIVITY_LOG=off` keeps the log on screen only.
pub const ACTIVITY_LOG_VAR: &str = "VOICEDOCK_ACTIVITY_LOG";

/// How a session records: under which profile's name, and into which file.
#[derive(Debug, Clone)]
pub struct Recording {
    pub profile: String,
    /// `None` keeps the log on screen only.
    pub file: Option<LogFile>,
}

impl Recording {
    pub fn on_screen(profile: impl Into<String>) -> Recording {
        Recording {
            profile: profile.into(),
            file: None,
        }
    }

    pub fn to_file(profile: impl Into<String>, path: PathBuf) -> Recording {
        Recording {
            profile: profile.into(),
            file: Some(LogFile::new(path)),
        }
    }

    /// The console's recording: into the state dir's log file, unless the
    /// environment turns it off or no state dir can be found.
    pub fn for_console(profile: &str) -> Recording {
        let off = std::env::var(ACTIVITY_LOG_VAR)
            .is_ok_and(|v| matches!(v.trim(), "off" | "0" | "false"));
        match crate::config::paths() {
            Ok(paths) if !off => Recording::to_file(profile, paths.activity_log_file),
            _ => Recording::on_screen(profile),
        }
    }

    /// Starts the task that delivers entries to `replies` (the console)
    /// and to the file; the returned sink is where entries go in.
    pub fn start(self, replies: mpsc::UnboundedSender<Msg>) -> Sink {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(deliver(rx, self.file, replies));
        Sink {
            tx,
            profile: self.profile.into(),
        }
    }
}

/// Where a session's entries go. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Sink {
    tx: mpsc::UnboundedSender<Entry>,
    profile: Arc<str>,
}

impl Sink {
    /// For `ApiClient::recording`: every exchange becomes an entry.
    pub fn recorder(&self) -> Recorder {
        let sink = self.clone();
        Arc::new(move |exchange| {
            // A session that ended has nobody to tell.
            let _ = sink.tx.send(Entry::from_exchange(&sink.profile, exchange));
        })
    }

    /// The calls a key check made to its provider, which began at
    /// `started`. A check says how long each call took, not when it was
    /// sent: each is placed after the ones before it.
    pub fn checked(&self, upstreams: &Upstreams, started: SystemTime, check: &KeyCheck) {
        let mut at = started;
        for call in &check.calls {
            let latency = Duration::from_millis(call.millis);
            // Only an unanswered call has no status; the check's reason
            // says why (it never holds the key).
            let error = call.status.is_none().then(|| check.reason.clone());
            let _ = self.tx.send(Entry {
                at,
                profile: self.profile.to_string(),
                method: call.method.clone(),
                upstream: Some(check.provider.clone()),
                route: upstream_route(upstreams, &check.provider, &call.url),
                status: call.status,
                latency,
                request_id: None,
                error,
            });
            at += latency;
        }
    }
}

/// A provider's URL as a route: its base left out, and the project and
/// location a Vertex or Deepgram path names turned into placeholders.
pub fn upstream_route(upstreams: &Upstreams, provider: &str, url: &str) -> String {
    let path = [provider, GOOGLE_OAUTH]
        .iter()
        .filter_map(|p| upstreams.base(p))
        .find_map(|base| url.strip_prefix(base))
        .map(str::to_owned)
        .or_else(|| reqwest::Url::parse(url).ok().map(|u| u.path().to_owned()))
        .unwrap_or_default();
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut route = String::new();
    let mut before = "";
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        route.push('/');
        route.push_str(match before {
            "projects" => "{project}",
            "locations" => "{location}",
            _ => segment,
        });
        before = segment;
    }
    if route.is_empty() {
        route.push('/');
    }
    route
}

/// Hands each batch of entries to the console, then to the file on a
/// blocking thread; the next batch waits for that write, so lines keep
/// their order and rotation sees one writer.
async fn deliver(
    mut rx: mpsc::UnboundedReceiver<Entry>,
    mut file: Option<LogFile>,
    replies: mpsc::UnboundedSender<Msg>,
) {
    let mut told = false;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while let Ok(more) = rx.try_recv() {
            batch.push(more);
        }
        let Some(log) = file.take() else {
            let _ = replies.send(Msg::Activity(Report::Entries(batch)));
            continue;
        };
        let _ = replies.send(Msg::Activity(Report::Entries(batch.clone())));
        let written = tokio::task::spawn_blocking(move || {
            let result = log.append(&batch);
            (log, result)
        })
        .await;
        let failure = match written {
            Ok((log, result)) => {
                file = Some(log);
                result.err().map(|e| format!("{e:#}"))
            }
            // The writer panicked: no more writing this session.
            Err(e) => Some(format!("the log writer stopped: {e}")),
        };
        if let Some(why) = failure.filter(|_| !told) {
            told = true;
            let _ = replies.send(Msg::Activity(Report::FileFailed(why)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upstream_route_leaves_out_the_base_and_the_project() {
        let upstreams = Upstreams::default()
            .with_base("deepgram", "http://127.0.0.1:9/dg")
            .with_base("google_vertex", "http://127.0.0.1:9/vx");
        assert_eq!(
            upstream_route(
                &upstreams,
                "deepgram",
                "http://127.0.0.1:9/dg/v1/projects/p-123/balances"
            ),
            "/v1/projects/{project}/balances"
        );
        assert_eq!(
            upstream_route(
                &upstreams,
                "google_vertex",
                "http://127.0.0.1:9/vx/v1/projects/acme/locations/us-central1/models"
            ),
            "/v1/projects/{project}/locations/{location}/models"
        );
        assert_eq!(
            upstream_route(&upstreams, "openai", "https://api.openai.com/v1/models"),
            "/v1/models"
        );
    }
}

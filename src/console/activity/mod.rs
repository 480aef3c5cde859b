//! The activity log: every API call the console's worker made, and every
//! call a key check made to a provider, as the user may want to see them
//! when something went wrong (which route, what status, how long, which
//! request id to quote to the server's operator). Kept in the model as a
//! bounded ring, shown by `view/log.rs`, and written one line per call to
//! a file in the state dir by the worker, off the UI thread.
//!
//! An entry never holds a body, a header other than the request id, a
//! query, or a path segment that names something (an id, a provider).

mod file;
mod record;
mod rows;
mod update;

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::client::Exchange;

use super::list::{FilteredList, Order};

pub use file::LogFile;
pub use record::{Recording, Sink, upstream_route};
pub use rows::{LogRow, RowId, is_write};
pub use update::{close_log, on_filter_key, on_key, on_report, open_log, paste_into_filter};

/// How many entries the model keeps; older ones leave the screen (the file
/// keeps them).
pub const KEPT: usize = 1_000;

/// One call and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Wall-clock time the call was sent.
    pub at: SystemTime,
    /// The profile the session talked to when the call was made.
    pub profile: String,
    pub method: String,
    /// The provider a key check called; `None` for the service's own API.
    pub upstream: Option<String>,
    /// The path as a template (`/api/v1/assistants/{id}`).
    pub route: String,
    /// `None` when no answer came.
    pub status: Option<u16>,
    pub latency: Duration,
    /// The server's `x-request-id`, the one thing its operator can find a
    /// call by.
    pub request_id: Option<String>,
    /// The failure as the user was told it, whole.
    pub error: Option<String>,
}

impl Entry {
    pub fn from_exchange(profile: &str, exchange: Exchange) -> Entry {
        Entry {
            at: exchange.at,
            profile: profile.to_owned(),
            method: exchange.method,
            upstream: None,
            route: exchange.route,
            status: exchange.status,
            latency: exchange.latency,
            request_id: exchange.request_id,
            error: exchange.error,
        }
    }

    /// `/api/v1/byok`, or `upstream openai /v1/models` for a provider.
    pub fn target(&self) -> String {
        match &self.upstream {
            Some(provider) => format!("upstream {provider} {}", self.route),
            None => self.route.clone(),
        }
    }

    pub fn failed(&self) -> bool {
        self.error.is_some() || self.status.is_none_or(|s| s >= 400)
    }

    /// The status, or what stood for it when no answer came.
    pub fn outcome(&self) -> String {
        match self.status {
            Some(status) => status.to_string(),
            None => "no answer".to_owned(),
        }
    }

    /// The entry as one JSON line of the log file (no newline).
    pub fn to_line(&self) -> String {
        json!({
            "time": rfc3339(self.at),
            "profile": self.profile,
            "method": self.method,
            "upstream": self.upstream,
            "route": self.route,
            "status": self.status,
            "ms": self.latency.as_millis() as u64,
            "request_id": self.request_id,
            "error": self.error,
        })
        .to_string()
    }
}

/// `2026-12-02T18:00:00.123Z`.
pub fn rfc3339(at: SystemTime) -> String {
    use time::format_description::well_known::Rfc3339;
    let at = time::OffsetDateTime::from(at);
    let at = at
        .replace_nanosecond(at.millisecond() as u32 * 1_000_000)
        .unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_default()
}

/// What the worker tells the console about the log.
#[derive(Debug, Clone)]
pub enum Report {
    /// Calls that ended, oldest first.
    Entries(Vec<Entry>),
    /// The log file could not be written; said once per session.
    FileFailed(String),
}

/// The log as the model keeps it, and where the log view stands.
#[derive(Debug)]
pub struct ActivityLog {
    pub entries: VecDeque<Entry>,
    /// The log view is open.
    pub open: bool,
    /// The rows the view shows (`rows.rs`), with its filter and selection;
    /// derived from `entries` whenever they change.
    pub rows: FilteredList<LogRow>,
    /// Why the log file is not written, once that happened.
    pub file_error: Option<String>,
    /// How many entries left the ring this session.
    pub dropped: u64,
}

impl Default for ActivityLog {
    fn default() -> ActivityLog {
        ActivityLog {
            entries: VecDeque::new(),
            open: false,
            // A log reads in time order whatever the filter; at most
            // `KEPT` rows are always ranked at once.
            rows: FilteredList::new(Order::Kept, usize::MAX),
            file_error: None,
            dropped: 0,
        }
    }
}

impl ActivityLog {
    /// Adds `entries` at the end, dropping the oldest past `KEPT`. A view
    /// on the newest row stays on the newest, as `tail -f` does; one
    /// further up stays on its row.
    pub fn push(&mut self, entries: Vec<Entry>) {
        let following = self.rows.selected() + 1 >= self.rows.visible().len();
        let kept = self.rows.selected_item().map(LogRow::id);
        self.entries.extend(entries);
        let over = self.entries.len().saturating_sub(KEPT);
        self.entries.drain(..over);
        self.dropped += over as u64;
        // Never handed out: the list ranks everything inline.
        let _ = self.rows.set_items(rows::rows(&self.entries, self.dropped));
        match kept.filter(|_| !following) {
            Some(id) => self.select_row(&id),
            None => self.select_newest(),
        }
    }

    pub fn select_newest(&mut self) {
        self.rows
            .select(self.rows.visible().len().saturating_sub(1));
    }

    fn select_row(&mut self, id: &RowId) {
        let found = self.rows.shown().position(|row| row.id() == *id);
        match found {
            Some(position) => self.rows.select(position),
            None => self.select_newest(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(route: &str) -> Entry {
        Entry {
            at: SystemTime::UNIX_EPOCH + Duration::from_millis(1_500),
            profile: "local".into(),
            method: "GET".into(),
            upstream: None,
            route: route.into(),
            status: Some(200),
            latency: Duration::from_millis(7),
            request_id: Some("r-1".into()),
            error: None,
        }
    }

    #[test]
    fn the_ring_keeps_the_newest_and_a_following_view_follows() {
        let mut log = ActivityLog::default();
        log.push((0..KEPT + 5).map(|i| entry(&format!("/{i}"))).collect());
        assert_eq!(log.entries.len(), KEPT);
        assert_eq!(log.dropped, 5);
        assert_eq!(log.entries[0].route, "/5");
        assert_eq!(log.rows.selected(), KEPT - 1);
        log.rows.select(10);
        log.push(vec![entry("/new")]);
        assert_eq!(log.rows.selected(), 9, "a view further up stays on its row");
        assert_eq!(log.rows.selected_item().unwrap().entry.route, "/15");
        log.rows.select(log.rows.visible().len() - 1);
        log.push(vec![entry("/newer")]);
        let newest = log.rows.selected_item().unwrap();
        assert_eq!(newest.entry.route, "/newer");
    }

    #[test]
    fn a_line_is_json_with_the_template_and_no_more() {
        let line = entry("/api/v1/assistants/{id}").to_line();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["time"], "1970-01-01T00:00:01.5Z");
        assert_eq!(value["route"], "/api/v1/assistants/{id}");
        assert_eq!(value["status"], 200);
        assert_eq!(value["ms"], 7);
        assert_eq!(value["request_id"], "r-1");
        assert!(!line.contains('\n'));
    }
}

//! The log's rows: the background refresh reads the same routes again and
//! again, so a read that succeeded is one row per kind (profile, method,
//! route) counting its calls and placed at the latest; a write or a
//! failure keeps a row of its own, so neither is ever hidden among reads.

use std::collections::{HashMap, VecDeque};

use super::Entry;
use crate::console::list::{Listed, SortColumn};

/// One row of the log view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// The call itself, or the latest of the reads the row counts.
    pub entry: Entry,
    /// How many calls the row stands for; more than one only for reads.
    pub count: usize,
    /// When the first of them was sent.
    pub first_at: std::time::SystemTime,
    /// The latest call's number in the session, counting those dropped.
    pub seq: u64,
}

/// What keeps a selection on its row while calls arrive: the kind for a
/// row of reads (its latest call changes), the call itself otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowId {
    Reads(Kind),
    Call(u64),
}

type Kind = (String, String, String);

/// A read that went well: nothing to single out.
pub fn is_routine(entry: &Entry) -> bool {
    matches!(entry.method.as_str(), "GET" | "HEAD") && !entry.failed()
}

pub fn is_write(entry: &Entry) -> bool {
    !matches!(entry.method.as_str(), "GET" | "HEAD" | "OPTIONS")
}

fn kind(entry: &Entry) -> Kind {
    (entry.profile.clone(), entry.method.clone(), entry.target())
}

impl LogRow {
    pub fn id(&self) -> RowId {
        if is_routine(&self.entry) {
            RowId::Reads(kind(&self.entry))
        } else {
            RowId::Call(self.seq)
        }
    }
}

impl Listed for LogRow {
    fn haystack(&self) -> String {
        let e = &self.entry;
        format!(
            "{} {} {} {} {} {}",
            e.method,
            e.target(),
            e.outcome(),
            e.profile,
            e.error.as_deref().unwrap_or_default(),
            e.request_id.as_deref().unwrap_or_default()
        )
    }

    fn sort_key(&self, _: SortColumn) -> String {
        format!("{:020}", self.seq)
    }
}

/// Where a kind of read was first and last seen, and how often.
struct Seen {
    first: usize,
    last: usize,
    count: usize,
}

/// The rows of `entries`, oldest first; `first_seq` is the number of the
/// oldest entry kept.
pub fn rows(entries: &VecDeque<Entry>, first_seq: u64) -> Vec<LogRow> {
    let mut reads: HashMap<Kind, Seen> = HashMap::new();
    for (i, entry) in entries.iter().enumerate().filter(|(_, e)| is_routine(e)) {
        let seen = reads.entry(kind(entry)).or_insert(Seen {
            first: i,
            last: i,
            count: 0,
        });
        seen.last = i;
        seen.count += 1;
    }
    let mut shown = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let (count, first_at) = match reads.get(&kind(entry)).filter(|_| is_routine(entry)) {
            Some(seen) if seen.last != i => continue,
            Some(seen) => (seen.count, entries[seen.first].at),
            None => (1, entry.at),
        };
        shown.push(LogRow {
            entry: entry.clone(),
            count,
            first_at,
            seq: first_seq + i as u64,
        });
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn call(method: &str, route: &str, status: u16) -> Entry {
        Entry {
            at: SystemTime::UNIX_EPOCH,
            profile: "local".into(),
            method: method.into(),
            upstream: None,
            route: route.into(),
            status: Some(status),
            latency: Duration::from_millis(1),
            request_id: None,
            error: None,
        }
    }

    #[test]
    fn reads_are_counted_at_their_latest_and_the_rest_kept_apart() {
        let entries: VecDeque<Entry> = [
            call("GET", "/byok", 200),
            call("PUT", "/byok/{provider}", 200),
            call("GET", "/byok", 500),
            call("GET", "/health", 200),
            call("GET", "/byok", 200),
        ]
        .into();
        let rows = rows(&entries, 10);
        let seen: Vec<(&str, u16, usize, u64)> = rows
            .iter()
            .map(|r| {
                (
                    r.entry.method.as_str(),
                    r.entry.status.unwrap(),
                    r.count,
                    r.seq,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("PUT", 200, 1, 11),
                ("GET", 500, 1, 12),
                ("GET", 200, 1, 13),
                ("GET", 200, 2, 14)
            ]
        );
        assert_eq!(rows[3].id(), rows[3].id());
        assert_ne!(rows[0].id(), rows[1].id());
    }
}

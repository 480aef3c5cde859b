//! Truncating the WAL after a secret is destroyed. After the commit, the
//! secret's old ciphertext is still in the frames of the -wal file
//! (`secure_delete` zeroes it only in the newest page); a TRUNCATE
//! checkpoint removes them.
//!
//! A reader in another process can keep the checkpoint from finishing, and
//! waiting for it would hold the server's only connection, and so every
//! request, for as long. So the request makes one attempt that does not
//! wait; if the database is busy, a thread of its own, on a connection of
//! its own, tries again until the reader lets go.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::BUSY_TIMEOUT;

/// Short: while a TRUNCATE checkpoint waits, writers wait behind it.
const RETRY_BUSY_TIMEOUT: Duration = Duration::from_millis(50);
const FIRST_RETRY: Duration = Duration::from_millis(100);
const LONGEST_RETRY: Duration = Duration::from_secs(5);

/// Databases with a retry under way: one thread each is enough.
static RETRYING: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Copies the WAL into the database and truncates it to nothing, or, if a
/// reader holds it, has that done as soon as it lets go. Either way the
/// secret is destroyed; only its old frames wait.
pub fn truncate_wal(conn: &Connection) {
    match checkpoint(conn, Duration::ZERO) {
        Ok(true) => return,
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "cannot truncate the WAL; trying again later"),
    }
    if let Err(e) = conn.busy_timeout(BUSY_TIMEOUT) {
        tracing::error!(error = %e, "cannot restore the busy timeout");
    }
    match conn.path().filter(|p| !p.is_empty()) {
        Some(path) => retry_later(PathBuf::from(path)),
        None => tracing::warn!("the WAL of an unnamed database cannot be truncated later"),
    }
}

/// Truncates the WAL, waiting up to `busy_timeout` for readers: for a
/// command that runs with no server, never on a request's path.
pub fn truncate_wal_within(conn: &Connection, busy_timeout: Duration) -> rusqlite::Result<bool> {
    let done = checkpoint(conn, busy_timeout);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    done
}

/// Whether the WAL is now empty. Leaves `conn` with `busy_timeout`.
fn checkpoint(conn: &Connection, busy_timeout: Duration) -> rusqlite::Result<bool> {
    conn.busy_timeout(busy_timeout)?;
    // The row is (busy, WAL frames, frames checkpointed); busy = 1 means it
    // could not finish.
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy == 0 {
        conn.busy_timeout(BUSY_TIMEOUT)?;
    }
    Ok(busy == 0)
}

fn retry_later(path: PathBuf) {
    {
        let mut retrying = RETRYING.lock().unwrap_or_else(PoisonError::into_inner);
        if !retrying
            .get_or_insert_with(HashSet::new)
            .insert(path.clone())
        {
            return;
        }
    }
    let spawned = std::thread::Builder::new()
        .name("wal-checkpoint".to_owned())
        .spawn({
            let path = path.clone();
            move || {
                retry_until_done(&path);
                done_retrying(&path);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start truncating the WAL later");
        done_retrying(&path);
    }
}

fn done_retrying(path: &PathBuf) {
    let mut retrying = RETRYING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(set) = retrying.as_mut() {
        set.remove(path);
    }
}

/// Gives up only when the database is gone (a removed data dir).
fn retry_until_done(path: &PathBuf) {
    // Never creates a database that was removed meanwhile.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "cannot open the database to truncate its WAL");
            return;
        }
    };
    let mut wait = FIRST_RETRY;
    loop {
        std::thread::sleep(wait);
        if !path.exists() {
            return;
        }
        match checkpoint(&conn, RETRY_BUSY_TIMEOUT) {
            Ok(true) => {
                tracing::info!("truncated the WAL once its reader let go");
                return;
            }
            Ok(false) => {}
            Err(e) => tracing::debug!(error = %e, "the WAL is not truncated yet"),
        }
        wait = (wait * 2).min(LONGEST_RETRY);
    }
}

//! The server's reading connections: a few, opened when first needed and
//! kept. Each request that only reads borrows one for its trip to the
//! blocking pool; when all are out, the next waits for a permit on the
//! runtime, holding no thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::{BUSY_TIMEOUT, CACHE_KIB, db_path};

/// Beside the one writer; more would only queue on 2-4 cores and each
/// keeps a page cache of its own.
const READERS: usize = 4;

pub struct Readers {
    path: PathBuf,
    permits: Arc<Semaphore>,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl Readers {
    /// Opens nothing yet: the writer has created and migrated the file.
    pub fn new(data_dir: &Path) -> Readers {
        Readers {
            path: db_path(data_dir),
            permits: Arc::new(Semaphore::new(READERS)),
            idle: Arc::new(Mutex::new(Vec::with_capacity(READERS))),
        }
    }

    pub async fn run<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.permits)
            .acquire_owned()
            .await
            .context("the reading connections are closed")?;
        let idle = Arc::clone(&self.idle);
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let conn = match taken {
                Some(conn) => conn,
                None => open_reader(&path)?,
            };
            let result = f(&conn);
            // A statement left stepping would hold a read snapshot and keep
            // the WAL from being truncated after a key is destroyed; every
            // query here runs to its end, so the connection goes back idle.
            // A panic in `f` drops the connection instead.
            idle.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(conn);
            result
        })
        .await
        .context("database task failed")?
    }
}

fn open_reader(path: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The file is already in WAL mode, which is persistent; this connection
    // only ever reads, and SQLite enforces it.
    conn.execute_batch("PRAGMA query_only = ON;")
        .context("cannot set up a reading connection")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(conn)
}

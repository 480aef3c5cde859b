//! SQLite storage: one file in the data dir, WAL mode with `synchronous=FULL`
//! so an answered write survives a crash, and schema migrations in code.
//!
//! The server keeps one writing connection behind a mutex and a few reading
//! ones beside it (`readers.rs`), and runs every query on the blocking pool,
//! so the async runtime never waits on disk. In WAL mode a reader sees the
//! last commit and never waits for the writer's fsync. Other processes
//! (`voicedock accounts create`) open their own connection to the same file;
//! `busy_timeout` lets them take turns.

pub mod accounts;
pub mod assistant_secrets;
pub mod assistants;
pub mod byok_settings;
pub mod calls;
mod checkpoint;
pub mod mcp_servers;
pub mod organizations;
mod readers;
pub mod secrets;
mod storage_failure;
pub mod vault_rows;

#[cfg(test)]
mod count_tests;
#[cfg(test)]
mod each_tests;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Context;
use rusqlite::{Connection, TransactionBehavior};

use super::vault::MasterKey;
pub use checkpoint::{truncate_wal, truncate_wal_within};
pub use storage_failure::{is_storage_failure, sqlite_codes};

pub const DB_FILE: &str = "voicedock.db";
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// SQLite's page cache per connection; negative means KiB to SQLite.
const CACHE_KIB: i64 = 32 * 1024;

/// Each entry moves the schema one version up; never edit a shipped one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    company_name TEXT NOT NULL,
    key_hash     BLOB NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
);
CREATE TABLE secrets (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    provider    TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,
    key_hint    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (account_id, provider)
);
CREATE TABLE assistants (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    revision   INTEGER NOT NULL
);
CREATE INDEX assistants_by_account ON assistants (account_id, seq);
"#,
    // An assistant's secrets, sealed together by the vault; both NULL when
    // it holds none (and, until the next start seals them, on rows written
    // before this version).
    r#"
ALTER TABLE assistants ADD COLUMN secrets_wrapped_key BLOB;
ALTER TABLE assistants ADD COLUMN secrets_ciphertext BLOB;
"#,
    // Each account's number of assistants, so a page's `total` and the
    // account's `active_agents` are read, not counted over the whole list.
    // Triggers keep it in the transaction of every insert and delete,
    // whichever connection makes them.
    r#"
ALTER TABLE accounts ADD COLUMN assistant_count INTEGER NOT NULL DEFAULT 0;
UPDATE accounts SET assistant_count =
    (SELECT COUNT(*) FROM assistants WHERE assistants.account_id = accounts.id);
CREATE TRIGGER assistant_counted AFTER INSERT ON assistants BEGIN
    UPDATE accounts SET assistant_count = assistant_count + 1 WHERE id = NEW.account_id;
END;
CREATE TRIGGER assistant_uncounted AFTER DELETE ON assistants BEGIN
    UPDATE accounts SET assistant_count = assistant_count - 1 WHERE id = OLD.account_id;
END;
CREATE TRIGGER assistant_recounted AFTER UPDATE OF account_id ON assistants
WHEN OLD.account_id IS NOT NEW.account_id BEGIN
    UPDATE accounts SET assistant_count = assistant_count - 1 WHERE id = OLD.account_id;
    UPDATE accounts SET assistant_count = assistant_count + 1 WHERE id = NEW.account_id;
END;
"#,
    // The key-check value (one row), which tells a wrong master key from an
    // empty vault at start; when an account's key was revoked; and the
    // hashes of keys an account no longer has, so they are answered
    // "revoked" rather than "unknown".
    r#"
CREATE TABLE vault_check (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    wrapped_key BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
ALTER TABLE accounts ADD COLUMN revoked_at TEXT;
CREATE TABLE retired_keys (
    key_hash   BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    retired_at TEXT NOT NULL
);
"#,
    // A provider's settings (`POST /byok/config`), sealed as one JSON
    // object; they outlive a rotation of the key and go with its removal.
    r#"
CREATE TABLE byok_settings (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    provider    TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    ciphertext  BLOB NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (account_id, provider)
);
"#,
    // Child organizations: an account made by another account's key has it
    // as parent. Retention is NULL until set (the platform's default).
    r#"
ALTER TABLE accounts ADD COLUMN parent_id TEXT REFERENCES accounts(id);
ALTER TABLE accounts ADD COLUMN content_retention_days INTEGER;
ALTER TABLE accounts ADD COLUMN metadata_retention_days INTEGER;
CREATE INDEX accounts_by_parent ON accounts (parent_id, created_at);
"#,
    // MCP servers, their header values sealed in `secrets`.
    mcp_servers::MIGRATION,
    // The calls an account made, kept whole as JSON beside the columns a
    // list filters and orders by. Nothing here places a call; they are
    // recorded by whatever ran them.
    r#"
CREATE TABLE calls (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    account_id   TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    created_unix INTEGER NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX calls_by_account ON calls (account_id, created_unix);
"#,
];

#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    readers: Arc<readers::Readers>,
    /// Set when a write failed for want of space or by an I/O error; only a
    /// write that succeeds clears it, since reads go on working meanwhile.
    writes_failing: Arc<AtomicBool>,
}

impl Store {
    /// Opens and migrates the database, and seals the secrets of assistants
    /// stored before they were sealed, so none stays on disk in plain text.
    pub fn open(data_dir: &Path, master: &MasterKey) -> anyhow::Result<Store> {
        let conn = open_connection(data_dir)?;
        let sealed = assistant_secrets::seal_plaintext_rows(&conn, master)
            .context("cannot seal the secrets of older assistants")?;
        if sealed > 0 {
            tracing::info!(
                assistants = sealed,
                "sealed the secrets of older assistants"
            );
        }
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            readers: Arc::new(readers::Readers::new(data_dir)),
            writes_failing: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Whether the last write failed because the disk is full or the store
    /// could not write, and no write has succeeded since.
    pub fn writes_failing(&self) -> bool {
        self.writes_failing.load(Ordering::Relaxed)
    }

    /// Runs `f` on the blocking pool with a reading connection: for
    /// requests that only read, which then neither wait for a write's
    /// fsync nor hold up the next write. `f` cannot write (`query_only`).
    pub async fn read<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let writes_failing = Arc::clone(&self.writes_failing);
        let result = self.readers.run(f).await;
        // A read can find the disk failing too; only a write clears it.
        if let Err(e) = &result
            && is_storage_failure(e)
        {
            writes_failing.store(true, Ordering::Relaxed);
        }
        result
    }

    /// Runs `f` on the blocking pool with the server's writing connection.
    pub async fn run<T, F>(&self, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> anyhow::Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let writes_failing = Arc::clone(&self.writes_failing);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock cannot leave a transaction open
            // (rusqlite rolls back on drop), so the connection stays usable.
            let mut guard = conn.lock().unwrap_or_else(PoisonError::into_inner);
            let changes_before = guard.total_changes();
            let result = f(&mut guard);
            match &result {
                Err(e) if is_storage_failure(e) => writes_failing.store(true, Ordering::Relaxed),
                // Every write checks its commit, so an Ok that changed rows
                // is a write that reached the disk.
                Ok(_) if guard.total_changes() > changes_before => {
                    writes_failing.store(false, Ordering::Relaxed);
                }
                _ => {}
            }
            result
        })
        .await
        .context("database task failed")?
    }
}

pub fn db_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DB_FILE)
}

/// `voicedock.db-wal` beside `voicedock.db`.
pub fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.to_path_buf().into_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens (creating if needed) the database in `data_dir` and migrates it.
pub fn open_connection(data_dir: &Path) -> anyhow::Result<Connection> {
    let path = db_path(data_dir);
    create_private_file(&path)?;
    // SQLite creates the -wal and -shm files with the database's mode, but
    // older ones may have been made some other way.
    for (file, what) in [
        (path.clone(), "the database"),
        (sidecar(&path, "-wal"), "the database's WAL"),
        (sidecar(&path, "-shm"), "the database's shared memory file"),
    ] {
        crate::server::private::ensure_private(&file, what, 0o600)?;
    }
    let mut conn = Connection::open(&path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // journal_mode answers with a row, so it is read rather than executed.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .context("cannot switch the database to WAL")?;
    anyhow::ensure!(
        mode.eq_ignore_ascii_case("wal"),
        "the database refused WAL mode ({mode})"
    );
    // secure_delete overwrites a destroyed ciphertext instead of leaving it in a free page.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
    )
    .context("cannot set up the database connection")?;
    // A deep page steps over the index entries of every assistant before
    // it: at 50,000 that index outgrows SQLite's default 2 MiB cache, and
    // each such page read it from the file again.
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    migrate(&mut conn).with_context(|| format!("cannot migrate {}", path.display()))?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    // Read without the write lock first: a database already at this version,
    // the usual start, is left alone, with no commit and so no fsync.
    if schema_version(conn)? == MIGRATIONS.len() {
        return Ok(());
    }
    // IMMEDIATE takes the write lock before reading the version again, so two
    // processes starting at once cannot both apply the same migration.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = schema_version(&tx)?;
    anyhow::ensure!(
        version <= MIGRATIONS.len(),
        "the database has schema version {version}, newer than this program knows ({}); upgrade voicedock",
        MIGRATIONS.len()
    );
    if version == MIGRATIONS.len() {
        // Another process migrated it meanwhile.
        return Ok(());
    }
    for sql in &MIGRATIONS[version..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
    tx.commit()?;
    Ok(())
}

fn schema_version(conn: &Connection) -> anyhow::Result<usize> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(version).unwrap_or(usize::MAX))
}

/// SQLite gives the -wal and -shm files the database file's mode, so creating
/// it 0600 keeps all three private.
fn create_private_file(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}

pub fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    // Formatting a UTC timestamp of this century as RFC 3339 cannot fail;
    // the fallback only keeps this total.
    time::OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrating_twice_is_a_no_op_and_sets_the_version() {
        let dir = tempfile::tempdir().unwrap();
        drop(open_connection(dir.path()).unwrap());
        let conn = open_connection(dir.path()).unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "FULL");
    }

    #[test]
    fn opening_a_current_database_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // Closing the last connection checkpoints the WAL and removes it.
        drop(open_connection(dir.path()).unwrap());
        let conn = open_connection(dir.path()).unwrap();
        let wal = sidecar(&db_path(dir.path()), "-wal");
        let written = std::fs::metadata(&wal).map_or(0, |m| m.len());
        assert_eq!(written, 0, "a commit went to the WAL");
        drop(conn);
    }

    #[test]
    fn a_first_version_database_is_migrated_and_its_assistant_secrets_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = db_path(dir.path());
        create_private_file(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts VALUES ('acct', 'A', x'00', 'then');
             INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision)
             VALUES ('a1', 'acct', '{\"id\":\"a1\",\"name\":\"Old\",\"webhook_secret\":\"whsec_v1Plain\"}',
                     'then', 'then', 1);",
        )
        .unwrap();
        drop(conn);

        let master = MasterKey::generate();
        let store = Store::open(dir.path(), &master).unwrap();
        let conn = store.conn.lock().unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let body: String = conn
            .query_row("SELECT body FROM assistants", [], |r| r.get(0))
            .unwrap();
        assert!(!body.contains("whsec_v1Plain"), "{body}");
        let a = assistants::get(&conn, &master, "acct", "a1")
            .unwrap()
            .unwrap();
        assert_eq!(a.extra["webhook_secret"], "whsec_v1Plain");
    }
}

//! The vault at start: the master key must be the one the vault was sealed
//! with, proven by opening the key-check value before anything is served
//! or sealed. A wrong key and a missing key file are refused with how to
//! recover; a new key file is made only for a vault that holds nothing.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, bail};

use super::master_key::{self, Source};
use super::store::{assistant_secrets, open_connection, sqlite_codes, vault_rows};
use super::vault::{self, AssistantRef, MasterKey, SecretRef};
use super::vault_damage::{damaged, damaged_rows};
use super::vault_verify::{Failed, VaultFailure};

pub const VAULT_LOCK_FILE: &str = "vault.lock";

/// Held shared by every server on the data dir and exclusively by a
/// rotation, so no server keeps sealing with a key a rotation replaced.
/// The kernel releases it when the holder exits, however it exits.
pub struct VaultLock {
    _file: File,
}

impl VaultLock {
    /// Waits while a rotation runs.
    pub fn shared(data_dir: &Path) -> anyhow::Result<VaultLock> {
        let file = lock_file(data_dir)?;
        file.lock_shared()
            .with_context(|| format!("cannot lock {}", data_dir.join(VAULT_LOCK_FILE).display()))?;
        Ok(VaultLock { _file: file })
    }

    pub fn exclusive(data_dir: &Path) -> anyhow::Result<VaultLock> {
        let file = lock_file(data_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(VaultLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "a server is running on {} (voicedock serve, the console or a command on the \
                 local profile); stop it, then try again",
                data_dir.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| {
                format!("cannot lock {}", data_dir.join(VAULT_LOCK_FILE).display())
            }),
        }
    }
}

fn lock_file(data_dir: &Path) -> anyhow::Result<File> {
    let path = data_dir.join(VAULT_LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    super::private::ensure_private(&path, "the vault's lock file", 0o600)?;
    Ok(file)
}

/// How long a start waits for other processes starting on the same data
/// dir at the same moment.
const BESIDE_OTHERS: std::time::Duration = std::time::Duration::from_secs(5);

/// `unlock`, again after a moment while another process starting on the
/// same new data dir holds the database in a way SQLite answers with "database
/// is locked" at once instead of waiting out its busy timeout (a first run's
/// switch to WAL, a recovery of the WAL index). Every step of `unlock` can
/// be taken twice.
pub fn unlock_beside_others(
    configured: Option<&MasterKey>,
    data_dir: &Path,
) -> anyhow::Result<MasterKey> {
    let give_up = std::time::Instant::now() + BESIDE_OTHERS;
    loop {
        match unlock(configured, data_dir) {
            Err(e) if is_busy(&e) && std::time::Instant::now() < give_up => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn is_busy(error: &anyhow::Error) -> bool {
    sqlite_codes(error).any(|code| code == rusqlite::ErrorCode::DatabaseBusy)
}

/// The master key, proven to open the vault in `data_dir`. Finishes a
/// rotation that committed but did not get to install its key file.
pub fn unlock(configured: Option<&MasterKey>, data_dir: &Path) -> anyhow::Result<MasterKey> {
    let conn = open_connection(data_dir)?;
    let damage = damaged_rows(&conn)?;
    if !damage.is_empty() {
        bail!(damaged(data_dir, &damage));
    }
    let source = Source::find(configured, data_dir)?;
    if let Source::File(path) = &source {
        finish_rotation(&conn, path)?;
    }
    let key = match &source {
        Source::Configured(key) | Source::Env(key) => key.clone(),
        Source::File(path) => match master_key::read_file(path) {
            Err(e) if master_key::is_not_found(&e) => {
                if vault_rows::key_check(&conn)?.is_some() || vault_rows::holds_secrets(&conn)? {
                    // A first run beside this one writes the key file before
                    // its check value or any secret: this run may have looked
                    // for the file just before it appeared.
                    match master_key::read_file(path) {
                        Err(e) if master_key::is_not_found(&e) => {
                            bail!(missing_key(path, data_dir))
                        }
                        other => other?,
                    }
                } else {
                    master_key::create_file(path)?
                }
            }
            other => other?,
        },
    };
    confirm(&conn, &key, &source, data_dir)?;
    Ok(key)
}

/// Whether `key` opens this vault; writes the check value where there is
/// none yet (an empty vault, or one from before check values).
pub fn confirm(
    conn: &rusqlite::Connection,
    key: &MasterKey,
    source: &Source,
    data_dir: &Path,
) -> anyhow::Result<()> {
    if let Some(check) = vault_rows::key_check(conn)? {
        if vault::opens_check(key, &check) {
            return Ok(());
        }
        // A key that opens the secrets is the vault's: the check is what broke.
        if vault_rows::holds_secrets(conn)? && opens_a_secret(conn, key)? {
            let broken = VaultFailure {
                failed: Failed::KeyCheck,
                why: "does not open, although the master key opens the vault's secrets",
            };
            bail!(damaged(data_dir, &[broken]));
        }
        bail!(wrong_key(source, data_dir));
    }
    if vault_rows::holds_secrets(conn)? && !opens_a_secret(conn, key)? {
        bail!(wrong_key(source, data_dir));
    }
    let check = vault::seal_check(key).context("cannot seal the key-check value")?;
    vault_rows::insert_key_check(conn, &check)?;
    // Another process may have written its check first, with its own key.
    match vault_rows::key_check(conn)? {
        Some(stored) if vault::opens_check(key, &stored) => Ok(()),
        _ => bail!(wrong_key(source, data_dir)),
    }
}

/// A vault from before check values: the key is right if any one stored
/// secret opens with it (one damaged row must not make a right key look wrong).
fn opens_a_secret(conn: &rusqlite::Connection, key: &MasterKey) -> anyhow::Result<bool> {
    for row in vault_rows::provider_keys(conn)? {
        let at = SecretRef {
            account_id: &row.account_id,
            provider: &row.provider,
            secret_id: &row.id,
        };
        if vault::open(key, at, &row.sealed).is_ok() {
            return Ok(true);
        }
    }
    for row in vault_rows::assistants(conn)? {
        let at = AssistantRef {
            account_id: &row.account_id,
            assistant_id: &row.id,
        };
        if let Ok(Some(sealed)) = assistant_secrets::from_columns(row.wrapped_key, row.ciphertext)
            && vault::open_assistant(key, at, &sealed).is_ok()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A rotation writes `<key file>.new`, commits the database to the new key,
/// then renames. Left behind, the new key is installed if the database
/// committed to it, and removed if the current key still opens the vault;
/// otherwise both stay for the operator, and the start fails on the check.
pub fn finish_rotation(conn: &rusqlite::Connection, key_file: &Path) -> anyhow::Result<()> {
    let pending = master_key::pending_path(key_file);
    let new_key = match master_key::read_file(&pending) {
        Err(e) if master_key::is_not_found(&e) => return Ok(()),
        Err(e) => return Err(e.context("an interrupted master key rotation left this file")),
        Ok(key) => key,
    };
    let Some(check) = vault_rows::key_check(conn)? else {
        return Ok(());
    };
    if vault::opens_check(&new_key, &check) {
        master_key::install_pending(key_file)?;
        tracing::info!(key_file = %key_file.display(), "finished an interrupted master key rotation");
    } else if master_key::read_file(key_file).is_ok_and(|key| vault::opens_check(&key, &check)) {
        std::fs::remove_file(&pending)
            .with_context(|| format!("cannot remove {}", pending.display()))?;
        tracing::warn!(
            key_file = %key_file.display(),
            "a master key rotation stopped before it committed; the vault keeps its key"
        );
    }
    Ok(())
}

pub fn wrong_key(source: &Source, data_dir: &Path) -> String {
    let vault = data_dir.display();
    let fix = match source {
        Source::Env(_) => format!(
            "Set {} to the key the vault was sealed with, or unset it to use {}.",
            master_key::MASTER_KEY_ENV,
            master_key::file_path(data_dir).display()
        ),
        Source::File(_) => format!(
            "Restore the vault's master key file from backup, or point {} at it.",
            master_key::MASTER_KEY_FILE_ENV
        ),
        Source::Configured(_) => "Configure the key the vault was sealed with.".to_owned(),
    };
    format!(
        "wrong master key: {} does not open the vault in {vault}; it differs from the key the \
         vault was sealed with. {fix} Nothing was changed.",
        source.describe()
    )
}

pub fn missing_key(path: &Path, data_dir: &Path) -> String {
    format!(
        "missing master key: the vault in {} holds secrets, but {} does not exist. Restore it \
         from backup (or set {} or {} to the key the vault was sealed with). No new key is \
         made: it could never open the secrets already stored.",
        data_dir.display(),
        path.display(),
        master_key::MASTER_KEY_FILE_ENV,
        master_key::MASTER_KEY_ENV,
    )
}

#[cfg(test)]
mod busy_tests {
    use super::is_busy;
    use anyhow::Context;

    fn sqlite(code: std::ffi::c_int) -> anyhow::Error {
        let failure = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        anyhow::Error::from(failure)
    }

    #[test]
    fn only_a_locked_database_is_waited_for_under_any_context() {
        assert!(is_busy(&sqlite(rusqlite::ffi::SQLITE_BUSY)));
        let wrapped = Err::<(), _>(sqlite(rusqlite::ffi::SQLITE_BUSY)).context("cannot migrate");
        assert!(is_busy(&wrapped.unwrap_err()));
        assert!(!is_busy(&sqlite(rusqlite::ffi::SQLITE_CORRUPT)));
        assert!(!is_busy(&anyhow::anyhow!("wrong master key")));
    }
}

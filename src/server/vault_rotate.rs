//! `voicedock vault rotate-master`: a new master key for the whole vault.
//!
//! Crash order: the new key is written beside the old one first
//! (`master.key.new`, 0600, synced), then every data key and the check value
//! are wrapped again in one transaction, then the new file is renamed over
//! the old. A crash before the commit leaves the vault under the old key;
//! after it, the next start (or rotation) finds that the new file opens the
//! check value and finishes the rename. Either way one key file opens it.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use rusqlite::{Connection, TransactionBehavior};

use super::master_key::{self, Source};
use super::store::{self, assistant_secrets, vault_rows};
use super::unlock::{self, VaultLock};
use super::vault::{self, AssistantRef, Binding, MasterKey, SecretRef};
use super::vault_verify::{DOES_NOT_OPEN, Failed, VaultFailure, open_existing};

#[derive(Debug)]
pub struct Rotated {
    /// Provider keys and assistants whose data key was wrapped again.
    pub rewrapped: usize,
    pub key_file: PathBuf,
    /// False when another process kept the WAL, so the old wrapped keys
    /// stay in its frames until the next checkpoint.
    pub wal_truncated: bool,
}

const WAL_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

pub fn rotate_master_key(data_dir: &Path) -> anyhow::Result<Rotated> {
    let source = Source::find(None, data_dir)?;
    let Source::File(key_file) = &source else {
        bail!(
            "the master key comes from {}, and a new key is never printed: put the current key \
             in a file only you can read (chmod 600), set {} to that file and unset {}, then \
             rotate again",
            master_key::MASTER_KEY_ENV,
            master_key::MASTER_KEY_FILE_ENV,
            master_key::MASTER_KEY_ENV,
        );
    };
    let mut conn = open_existing(data_dir)?;
    let _lock = VaultLock::exclusive(data_dir)?;
    unlock::finish_rotation(&conn, key_file)?;
    let old = match master_key::read_file(key_file) {
        Err(e) if master_key::is_not_found(&e) => bail!(unlock::missing_key(key_file, data_dir)),
        other => other?,
    };
    unlock::confirm(&conn, &old, &source, data_dir)?;
    let pending = master_key::pending_path(key_file);
    if pending.exists() {
        bail!(
            "{} is left from an earlier rotation and opens nothing here; remove it once you are \
             sure {} is the vault's key, then rotate again",
            pending.display(),
            key_file.display()
        );
    }
    let new = MasterKey::generate();
    master_key::write_new(&pending, &new)?;
    let rewrapped = match rewrap_all(&mut conn, &old, &new) {
        Ok(n) => n,
        Err(e) => {
            // A commit that reported an error may still have reached the
            // WAL: the new key goes only if the old one still opens the vault.
            let old_still_opens = open_existing(data_dir)
                .and_then(|fresh| unlock::confirm(&fresh, &old, &source, data_dir))
                .is_ok();
            if old_still_opens {
                let _ = std::fs::remove_file(&pending);
            }
            return Err(e);
        }
    };
    master_key::install_pending(key_file)?;
    // The old wrapped keys are still in the WAL's frames, and the old key
    // would open them. No server runs (the lock says so), so waiting is fine.
    let wal_truncated = store::truncate_wal_within(&conn, WAL_WAIT).unwrap_or(false);
    Ok(Rotated {
        rewrapped,
        key_file: key_file.clone(),
        wal_truncated,
    })
}

fn rewrap_all(conn: &mut Connection, old: &MasterKey, new: &MasterKey) -> anyhow::Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut rewrapped = 0;
    for row in vault_rows::provider_keys(&tx)? {
        let at = SecretRef {
            account_id: &row.account_id,
            provider: &row.provider,
            secret_id: &row.id,
        };
        let Ok(moved) = vault::rewrap(old, new, Binding::ProviderKey(at), &row.sealed) else {
            bail!(refused(Failed::ProviderKey {
                account_id: row.account_id,
                provider: row.provider,
                secret_id: row.id,
            }));
        };
        vault_rows::set_provider_key_wrapped(&tx, &row.id, &moved.wrapped_key)?;
        rewrapped += 1;
    }
    for row in vault_rows::provider_settings(&tx)? {
        let at = SecretRef {
            account_id: &row.account_id,
            provider: &row.provider,
            secret_id: &row.id,
        };
        let Ok(moved) = vault::rewrap(old, new, Binding::ProviderSettings(at), &row.sealed) else {
            bail!(refused(Failed::ProviderKey {
                account_id: row.account_id,
                provider: row.provider,
                secret_id: row.id,
            }));
        };
        vault_rows::set_provider_settings_wrapped(&tx, &row.id, &moved.wrapped_key)?;
        rewrapped += 1;
    }
    for row in vault_rows::assistants(&tx)? {
        let failed = || Failed::Assistant {
            account_id: row.account_id.clone(),
            assistant_id: row.id.clone(),
            fields: Vec::new(),
        };
        let Ok(Some(sealed)) =
            assistant_secrets::from_columns(row.wrapped_key.clone(), row.ciphertext.clone())
        else {
            bail!(refused(failed()));
        };
        let at = AssistantRef {
            account_id: &row.account_id,
            assistant_id: &row.id,
        };
        let Ok(moved) = vault::rewrap(old, new, Binding::Assistant(at), &sealed) else {
            bail!(refused(failed()));
        };
        vault_rows::set_assistant_wrapped(&tx, &row.id, &moved.wrapped_key)?;
        rewrapped += 1;
    }
    let check = vault_rows::key_check(&tx)?.context("the vault has no key-check value")?;
    let Ok(moved) = vault::rewrap(old, new, Binding::KeyCheck, &check) else {
        bail!(refused(Failed::KeyCheck));
    };
    vault_rows::set_key_check_wrapped(&tx, &moved.wrapped_key)?;
    tx.commit()?;
    Ok(rewrapped)
}

fn refused(failed: Failed) -> String {
    let failure = VaultFailure {
        failed,
        why: DOES_NOT_OPEN,
    };
    format!(
        "{failure}; nothing was changed. Run `voicedock vault verify` to see every damaged \
         value, and restore the database from backup before rotating"
    )
}

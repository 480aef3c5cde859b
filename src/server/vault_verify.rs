//! `voicedock vault verify`: every sealed value opened in memory with the
//! master key, each failure named by where it belongs, no value printed.

use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

use super::master_key::{self, Source};
use super::store::{self, assistant_secrets, vault_rows};
use super::unlock;
use super::vault::{self, AssistantRef, MasterKey, SecretRef};
use super::vault_damage::damaged_rows;
use crate::domain::secrets::secret_slots;

#[derive(Debug, Default)]
pub struct VaultReport {
    pub provider_keys: usize,
    /// Assistants with sealed secrets (or a body that says it has some).
    pub assistants: usize,
    pub failures: Vec<VaultFailure>,
}

impl VaultReport {
    pub fn is_sound(&self) -> bool {
        self.failures.is_empty()
    }

    /// Failures among the secrets counted, leaving out the key-check value.
    pub fn failed_secrets(&self) -> usize {
        self.failures
            .iter()
            .filter(|f| f.failed != Failed::KeyCheck)
            .count()
    }
}

/// One value that did not open, by where it belongs; never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultFailure {
    pub failed: Failed,
    pub why: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failed {
    KeyCheck,
    ProviderKey {
        account_id: String,
        provider: String,
        secret_id: String,
    },
    Assistant {
        account_id: String,
        assistant_id: String,
        /// The paths the body marks as sealed, e.g. `webhook_secret`.
        fields: Vec<String>,
    },
}

/// Why a value fails to open is kept vague on purpose, as the vault does:
/// flipped bytes, a row moved from elsewhere and another key look alike.
pub const DOES_NOT_OPEN: &str =
    "does not decrypt (damaged, moved from another row, or sealed with another key)";

impl std::fmt::Display for VaultFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.failed {
            Failed::KeyCheck => write!(f, "key-check value: {}", self.why),
            Failed::ProviderKey {
                account_id,
                provider,
                secret_id,
            } => write!(
                f,
                "account {account_id}: provider {provider}, secret {secret_id}: {}",
                self.why
            ),
            Failed::Assistant {
                account_id,
                assistant_id,
                fields,
            } => {
                let fields = if fields.is_empty() {
                    "-".to_owned()
                } else {
                    fields.join(", ")
                };
                write!(
                    f,
                    "account {account_id}: assistant {assistant_id}, fields {fields}: {}",
                    self.why
                )
            }
        }
    }
}

/// A rotation that committed but did not get to rename its key into place
/// leaves the vault under `master.key.new`: every value would fail with the
/// old key, and an operator told so might restore a backup and lose data.
fn unfinished_rotation(conn: &rusqlite::Connection, key_file: &Path) -> anyhow::Result<()> {
    let pending = master_key::pending_path(key_file);
    let Ok(new_key) = master_key::read_file(&pending) else {
        return Ok(());
    };
    if let Some(check) = vault_rows::key_check(conn)?
        && vault::opens_check(&new_key, &check)
    {
        bail!(
            "a master key rotation committed but did not move {} over {}; the vault is sealed \
             with the new key. Start the server once (or run `voicedock vault rotate-master` \
             again) to finish it, then verify",
            pending.display(),
            key_file.display()
        );
    }
    Ok(())
}

/// Opens every sealed value in `data_dir` with its master key (`configured`
/// for embedders and tests, else found as a start finds it). Changes nothing.
pub fn verify_vault(
    data_dir: &Path,
    configured: Option<&MasterKey>,
) -> anyhow::Result<VaultReport> {
    let conn = open_existing(data_dir)?;
    let key = match Source::find(configured, data_dir)? {
        Source::Configured(key) | Source::Env(key) => key,
        Source::File(path) => {
            unfinished_rotation(&conn, &path)?;
            match master_key::read_file(&path) {
                Err(e) if master_key::is_not_found(&e) => {
                    bail!(unlock::missing_key(&path, data_dir))
                }
                other => other?,
            }
        }
    };
    // A row damaged in its shape is named for that, and not again for not
    // opening.
    let mut report = VaultReport {
        failures: damaged_rows(&conn)?,
        ..VaultReport::default()
    };
    let damaged: Vec<Failed> = report.failures.iter().map(|f| f.failed.clone()).collect();
    let sound = |failed: &Failed| !damaged.contains(failed);
    if let Some(check) = vault_rows::key_check(&conn)?
        && sound(&Failed::KeyCheck)
        && !vault::opens_check(&key, &check)
    {
        report.failures.push(VaultFailure {
            failed: Failed::KeyCheck,
            why: "does not open with this master key: the key is not the vault's",
        });
    }
    // Rows of another type than BLOB are not read below, but were checked.
    for failure in &report.failures {
        match failure.failed {
            Failed::ProviderKey { .. } => report.provider_keys += 1,
            Failed::Assistant { .. } => report.assistants += 1,
            Failed::KeyCheck => {}
        }
    }
    // A provider's settings are counted and named with its keys, by the
    // settings' own id.
    let keys = vault_rows::provider_keys(&conn)?
        .into_iter()
        .map(|r| (r, false));
    let settings = vault_rows::provider_settings(&conn)?
        .into_iter()
        .map(|r| (r, true));
    for (row, is_settings) in keys.chain(settings) {
        let at = SecretRef {
            account_id: &row.account_id,
            provider: &row.provider,
            secret_id: &row.id,
        };
        let failed = Failed::ProviderKey {
            account_id: row.account_id.clone(),
            provider: row.provider.clone(),
            secret_id: row.id.clone(),
        };
        if !sound(&failed) {
            continue;
        }
        report.provider_keys += 1;
        let opens = if is_settings {
            vault::open_settings(&key, at, &row.sealed).is_ok()
        } else {
            vault::open(&key, at, &row.sealed).is_ok()
        };
        if !opens {
            report.failures.push(VaultFailure {
                failed,
                why: DOES_NOT_OPEN,
            });
        }
    }
    for row in vault_rows::assistants(&conn)? {
        let failed = Failed::Assistant {
            account_id: row.account_id.clone(),
            assistant_id: row.id.clone(),
            fields: marked_fields(&row.body),
        };
        if !sound(&failed) {
            continue;
        }
        report.assistants += 1;
        if let Some(why) = assistant_fails(&key, &row) {
            report.failures.push(VaultFailure { failed, why });
        }
    }
    Ok(report)
}

/// The database of an existing data dir, never a new one.
pub fn open_existing(data_dir: &Path) -> anyhow::Result<rusqlite::Connection> {
    let db = store::db_path(data_dir);
    if !db.is_file() {
        bail!(
            "no vault in {}: {} does not exist",
            data_dir.display(),
            db.display()
        );
    }
    super::private::ensure_private(data_dir, "the data dir", 0o700)?;
    store::open_connection(data_dir).context("cannot open the vault's database")
}

fn assistant_fails(key: &MasterKey, row: &vault_rows::AssistantRow) -> Option<&'static str> {
    let Ok(sealed) =
        assistant_secrets::from_columns(row.wrapped_key.clone(), row.ciphertext.clone())
    else {
        return Some("one of its two sealed columns is missing");
    };
    let Some(sealed) = sealed else {
        return Some("its body marks sealed secrets, but none are stored");
    };
    let at = AssistantRef {
        account_id: &row.account_id,
        assistant_id: &row.id,
    };
    let Ok(secrets) = assistant_secrets::open(key, at, Some(&sealed)) else {
        return Some(DOES_NOT_OPEN);
    };
    let Ok(mut body) = serde_json::from_str::<Value>(&row.body) else {
        return Some("its body is not JSON");
    };
    match assistant_secrets::put_back(&mut body, secrets) {
        Ok(()) => None,
        Err(_) => Some("its sealed secrets do not match the places its body marks"),
    }
}

pub(super) fn marked_fields(body: &str) -> Vec<String> {
    let Ok(mut body) = serde_json::from_str::<Value>(body) else {
        return Vec::new();
    };
    secret_slots(&mut body)
        .into_iter()
        .filter(|(_, slot)| slot.is_string())
        .map(|(path, _)| path)
        .collect()
}

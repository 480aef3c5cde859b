//! A provider's settings, sealed as one JSON object per account and
//! provider. Merged in one transaction with the check that the provider's
//! key is stored, so settings never outlive their key nor come before it.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use secrecy::SecretString;
use serde_json::{Map, Value};

use crate::domain::{FieldError, merge_settings};
use crate::server::vault::{self, MasterKey, Sealed, SecretRef};

pub enum Merged {
    /// The names of the settings now stored, sorted.
    Stored(Vec<String>),
    NoKey,
    Refused(FieldError),
}

pub fn merge(
    conn: &mut Connection,
    master: &MasterKey,
    account_id: &str,
    provider: &str,
    update: Map<String, Value>,
) -> anyhow::Result<Merged> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !super::secrets::exists(&tx, account_id, provider)? {
        return Ok(Merged::NoKey);
    }
    let existing: Option<(String, Sealed)> = tx
        .query_row(
            "SELECT id, wrapped_key, ciphertext FROM byok_settings
             WHERE account_id = ?1 AND provider = ?2",
            [account_id, provider],
            |r| {
                Ok((
                    r.get(0)?,
                    Sealed {
                        wrapped_key: r.get(1)?,
                        ciphertext: r.get(2)?,
                    },
                ))
            },
        )
        .optional()?;
    let (id, mut settings) = match &existing {
        Some((id, sealed)) => {
            let at = SecretRef {
                account_id,
                provider,
                secret_id: id,
            };
            let text = vault::open_settings(master, at, sealed)?;
            (
                id.clone(),
                serde_json::from_slice::<Map<String, Value>>(&text)?,
            )
        }
        None => (uuid::Uuid::new_v4().to_string(), Map::new()),
    };
    if let Err(refused) = merge_settings(&mut settings, update) {
        return Ok(Merged::Refused(refused));
    }
    let mut names: Vec<String> = settings.keys().cloned().collect();
    names.sort();
    let at = SecretRef {
        account_id,
        provider,
        secret_id: &id,
    };
    let text = SecretString::from(serde_json::to_string(&settings)?);
    let sealed = vault::seal_settings(master, at, &text)?;
    tx.execute(
        "INSERT INTO byok_settings (id, account_id, provider, wrapped_key, ciphertext, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (account_id, provider) DO UPDATE SET
             wrapped_key = excluded.wrapped_key,
             ciphertext = excluded.ciphertext,
             updated_at = excluded.updated_at",
        params![
            id,
            account_id,
            provider,
            sealed.wrapped_key,
            sealed.ciphertext,
            super::now_rfc3339()
        ],
    )?;
    tx.commit()?;
    if existing.is_some() {
        // The replaced ciphertext is still in the WAL's frames.
        super::truncate_wal(conn);
    }
    Ok(Merged::Stored(names))
}

//! Encrypted provider keys, at most one per account and provider. Only the
//! vault ever sees plaintext; this module moves sealed blobs and hints.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::server::vault::Sealed;

#[derive(Debug, Clone)]
pub struct SecretRow {
    pub id: String,
    pub provider: String,
    pub key_hint: String,
    pub updated_at: String,
}

/// One provider's key as stored: still sealed, for the vault to open.
pub struct StoredSecret {
    pub id: String,
    pub provider: String,
    pub sealed: Sealed,
}

pub struct NewSecret {
    pub id: String,
    pub provider: String,
    pub sealed: Sealed,
    pub key_hint: String,
}

pub fn list(conn: &Connection, account_id: &str) -> anyhow::Result<Vec<SecretRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, provider, key_hint, updated_at FROM secrets WHERE account_id = ?1",
    )?;
    let rows = stmt.query_map([account_id], |r| {
        Ok(SecretRow {
            id: r.get(0)?,
            provider: r.get(1)?,
            key_hint: r.get(2)?,
            updated_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether the account has a key for `provider`.
pub fn exists(conn: &Connection, account_id: &str, provider: &str) -> anyhow::Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM secrets WHERE account_id = ?1 AND provider = ?2)",
        [account_id, provider],
        |r| r.get(0),
    )?)
}

/// The account's key for `provider`, if one is configured.
pub fn get(
    conn: &Connection,
    account_id: &str,
    provider: &str,
) -> anyhow::Result<Option<StoredSecret>> {
    let row = conn
        .query_row(
            "SELECT id, provider, wrapped_key, ciphertext FROM secrets
             WHERE account_id = ?1 AND provider = ?2",
            [account_id, provider],
            |r| {
                Ok(StoredSecret {
                    id: r.get(0)?,
                    provider: r.get(1)?,
                    sealed: Sealed {
                        wrapped_key: r.get(2)?,
                        ciphertext: r.get(3)?,
                    },
                })
            },
        )
        .optional()?;
    Ok(row)
}

/// Saves `secret`, destroying any earlier key of the same provider in the
/// same transaction: a rotation never leaves two keys or none.
pub fn put(conn: &mut Connection, account_id: &str, secret: &NewSecret) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let replaced = tx.execute(
        "DELETE FROM secrets WHERE account_id = ?1 AND provider = ?2",
        params![account_id, secret.provider],
    )?;
    tx.execute(
        "INSERT INTO secrets (id, account_id, provider, wrapped_key, ciphertext, key_hint, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            secret.id,
            account_id,
            secret.provider,
            secret.sealed.wrapped_key,
            secret.sealed.ciphertext,
            secret.key_hint,
            super::now_rfc3339()
        ],
    )?;
    tx.commit()?;
    if replaced > 0 {
        super::truncate_wal(conn);
    }
    Ok(())
}

/// Whether a key was configured (and is now destroyed, with its settings).
pub fn delete(conn: &mut Connection, account_id: &str, provider: &str) -> anyhow::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n = tx.execute(
        "DELETE FROM secrets WHERE account_id = ?1 AND provider = ?2",
        params![account_id, provider],
    )?;
    tx.execute(
        "DELETE FROM byok_settings WHERE account_id = ?1 AND provider = ?2",
        params![account_id, provider],
    )?;
    tx.commit()?;
    if n > 0 {
        super::truncate_wal(conn);
    }
    Ok(n > 0)
}

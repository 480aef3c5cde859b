//! Every sealed value in the database, for the checks at start, `vault
//! verify` and `vault rotate-master`: the key-check value, the provider keys
//! and the secrets inside assistants. Only blobs move here, never plaintext;
//! a value stored as another type is left to `vault_damage`, which names it.

use rusqlite::{Connection, OptionalExtension, params};

use super::assistant_secrets;
use crate::server::vault::Sealed;

pub struct ProviderKeyRow {
    pub id: String,
    pub account_id: String,
    pub provider: String,
    pub sealed: Sealed,
}

/// An assistant whose row holds sealed secrets, or whose body says it should.
pub struct AssistantRow {
    pub id: String,
    pub account_id: String,
    pub body: String,
    pub wrapped_key: Option<Vec<u8>>,
    pub ciphertext: Option<Vec<u8>>,
}

pub fn key_check(conn: &Connection) -> anyhow::Result<Option<Sealed>> {
    let row = conn
        .query_row(
            "SELECT wrapped_key, ciphertext FROM vault_check
             WHERE id = 1 AND typeof(wrapped_key) = 'blob' AND typeof(ciphertext) = 'blob'",
            [],
            |r| {
                Ok(Sealed {
                    wrapped_key: r.get(0)?,
                    ciphertext: r.get(1)?,
                })
            },
        )
        .optional()?;
    Ok(row)
}

/// Keeps a check value another process wrote first: both were sealed with
/// the key both confirmed, so either serves.
pub fn insert_key_check(conn: &Connection, sealed: &Sealed) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO vault_check (id, wrapped_key, ciphertext, created_at)
         VALUES (1, ?1, ?2, ?3)",
        params![sealed.wrapped_key, sealed.ciphertext, super::now_rfc3339()],
    )?;
    Ok(())
}

pub fn set_key_check_wrapped(conn: &Connection, wrapped_key: &[u8]) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE vault_check SET wrapped_key = ?1 WHERE id = 1",
        [wrapped_key],
    )?;
    Ok(())
}

/// Whether any secret is stored, sealed or still waiting to be.
pub fn holds_secrets(conn: &Connection) -> anyhow::Result<bool> {
    let held: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM secrets)
             OR EXISTS (SELECT 1 FROM byok_settings)
             OR EXISTS (SELECT 1 FROM assistants
                        WHERE secrets_wrapped_key IS NOT NULL OR secrets_ciphertext IS NOT NULL)",
        [],
        |r| r.get(0),
    )?;
    Ok(held)
}

pub fn provider_keys(conn: &Connection) -> anyhow::Result<Vec<ProviderKeyRow>> {
    sealed_rows(conn, "secrets")
}

/// Every provider's sealed settings, as [`ProviderKeyRow`]s of the
/// settings' own ids.
pub fn provider_settings(conn: &Connection) -> anyhow::Result<Vec<ProviderKeyRow>> {
    sealed_rows(conn, "byok_settings")
}

/// The well-formed sealed rows of `table`, one of ours: keys and settings
/// share the shape.
fn sealed_rows(conn: &Connection, table: &'static str) -> anyhow::Result<Vec<ProviderKeyRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT id, account_id, provider, wrapped_key, ciphertext FROM {table}
         WHERE typeof(wrapped_key) = 'blob' AND typeof(ciphertext) = 'blob'
         ORDER BY account_id, provider"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok(ProviderKeyRow {
            id: r.get(0)?,
            account_id: r.get(1)?,
            provider: r.get(2)?,
            sealed: Sealed {
                wrapped_key: r.get(3)?,
                ciphertext: r.get(4)?,
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn set_provider_settings_wrapped(
    conn: &Connection,
    settings_id: &str,
    wrapped_key: &[u8],
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE byok_settings SET wrapped_key = ?1 WHERE id = ?2",
        params![wrapped_key, settings_id],
    )?;
    Ok(())
}

pub fn set_provider_key_wrapped(
    conn: &Connection,
    secret_id: &str,
    wrapped_key: &[u8],
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE secrets SET wrapped_key = ?1 WHERE id = ?2",
        params![wrapped_key, secret_id],
    )?;
    Ok(())
}

/// Rows with either sealed column set, and rows whose body marks a secret
/// that has no sealed columns (which cannot be answered whole).
pub fn assistants(conn: &Connection) -> anyhow::Result<Vec<AssistantRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, account_id, body, secrets_wrapped_key, secrets_ciphertext FROM assistants
         WHERE (secrets_wrapped_key IS NOT NULL OR secrets_ciphertext IS NOT NULL
                OR instr(body, ?1) > 0)
           AND typeof(secrets_wrapped_key) IN ('blob', 'null')
           AND typeof(secrets_ciphertext) IN ('blob', 'null')
         ORDER BY account_id, seq",
    )?;
    let rows = stmt.query_map([assistant_secrets::MARKER], |r| {
        Ok(AssistantRow {
            id: r.get(0)?,
            account_id: r.get(1)?,
            body: r.get(2)?,
            wrapped_key: r.get(3)?,
            ciphertext: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn set_assistant_wrapped(
    conn: &Connection,
    assistant_id: &str,
    wrapped_key: &[u8],
) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE assistants SET secrets_wrapped_key = ?1 WHERE id = ?2",
        params![wrapped_key, assistant_id],
    )?;
    Ok(())
}

//! Accounts and their API keys, which are stored only as SHA-256 hashes.

use rusqlite::{Connection, OptionalExtension, params};
use subtle::ConstantTimeEq;

use crate::domain::Account;

pub fn insert(
    conn: &Connection,
    company_name: &str,
    key_hash: &[u8; 32],
) -> anyhow::Result<String> {
    let id = uuid::Uuid::new_v4().to_string();
    conn.execute(
        "INSERT INTO accounts (id, company_name, key_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, company_name, &key_hash[..], super::now_rfc3339()],
    )?;
    Ok(id)
}

/// The account whose key hashes to `key_hash`. The index finds the row by the
/// hash, which tells an attacker nothing about the key; the final comparison
/// is constant-time all the same, so no branch depends on secret bytes.
pub fn find_by_key_hash(conn: &Connection, key_hash: &[u8; 32]) -> anyhow::Result<Option<String>> {
    let row: Option<(String, Vec<u8>)> = conn
        .query_row(
            "SELECT id, key_hash FROM accounts WHERE key_hash = ?1",
            [&key_hash[..]],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(id, stored)| bool::from(stored.ct_eq(&key_hash[..])).then_some(id)))
}

pub fn get(conn: &Connection, account_id: &str) -> anyhow::Result<Option<Account>> {
    let account = conn
        .query_row(
            "SELECT id, company_name, assistant_count FROM accounts WHERE id = ?1",
            [account_id],
            |r| {
                Ok(Account {
                    id: r.get(0)?,
                    company_name: Some(r.get(1)?),
                    active_agents: Some(r.get::<_, i64>(2)?.max(0) as u64),
                    ..Account::default()
                })
            },
        )
        .optional()?;
    Ok(account)
}

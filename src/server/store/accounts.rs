//! Accounts and their API keys, which are stored only as SHA-256 hashes.
//! A revoked or replaced key keeps its hash (in `retired_keys`), so a caller
//! still using it is told "revoked" rather than "unknown".

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use subtle::ConstantTimeEq;

use crate::domain::Account;

pub fn insert(
    conn: &Connection,
    company_name: &str,
    key_hash: &[u8; 32],
) -> anyhow::Result<String> {
    Ok(insert_under(conn, None, company_name, key_hash)?.0)
}

/// A new account, the child of `parent_id` when given; its id and when it
/// was created.
pub fn insert_under(
    conn: &Connection,
    parent_id: Option<&str>,
    company_name: &str,
    key_hash: &[u8; 32],
) -> anyhow::Result<(String, String)> {
    let id = uuid::Uuid::new_v4().to_string();
    let created_at = super::now_rfc3339();
    conn.execute(
        "INSERT INTO accounts (id, company_name, key_hash, created_at, parent_id) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, company_name, &key_hash[..], created_at, parent_id],
    )?;
    Ok((id, created_at))
}

/// Who a key hash belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOwner {
    Active(String),
    /// The account's key was revoked, or replaced by a newer one.
    Revoked,
    Unknown,
}

/// The owner of the key that hashes to `key_hash`. The index finds the row
/// by the hash, which tells an attacker nothing about the key; the final
/// comparison is constant-time all the same, so no branch depends on secret
/// bytes.
pub fn lookup_key(conn: &Connection, key_hash: &[u8; 32]) -> anyhow::Result<KeyOwner> {
    // Prepared once per connection: this runs on every request.
    let current: Option<(String, Vec<u8>, Option<String>)> = conn
        .prepare_cached("SELECT id, key_hash, revoked_at FROM accounts WHERE key_hash = ?1")?
        .query_row([&key_hash[..]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    if let Some((id, stored, revoked_at)) = current
        && bool::from(stored.ct_eq(&key_hash[..]))
    {
        return Ok(match revoked_at {
            None => KeyOwner::Active(id),
            Some(_) => KeyOwner::Revoked,
        });
    }
    let retired: Option<Vec<u8>> = conn
        .prepare_cached("SELECT key_hash FROM retired_keys WHERE key_hash = ?1")?
        .query_row([&key_hash[..]], |r| r.get(0))
        .optional()?;
    Ok(match retired {
        Some(stored) if bool::from(stored.ct_eq(&key_hash[..])) => KeyOwner::Revoked,
        _ => KeyOwner::Unknown,
    })
}

/// The account whose current, unrevoked key hashes to `key_hash`.
pub fn find_by_key_hash(conn: &Connection, key_hash: &[u8; 32]) -> anyhow::Result<Option<String>> {
    Ok(match lookup_key(conn, key_hash)? {
        KeyOwner::Active(id) => Some(id),
        KeyOwner::Revoked | KeyOwner::Unknown => None,
    })
}

/// What `accounts ls` shows: never a key or its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    pub id: String,
    pub company_name: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

pub fn list(conn: &Connection) -> anyhow::Result<Vec<AccountRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, company_name, created_at, revoked_at FROM accounts ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(AccountRow {
            id: r.get(0)?,
            company_name: r.get(1)?,
            created_at: r.get(2)?,
            revoked_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revocation {
    Revoked,
    AlreadyRevoked,
    NoSuchAccount,
}

/// Revokes the account's current key; the account and its data stay, and
/// `replace_key` gives it a working key again.
pub fn revoke(conn: &mut Connection, account_id: &str) -> anyhow::Result<Revocation> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some((hash, revoked_at)) = current_key(&tx, account_id)? else {
        return Ok(Revocation::NoSuchAccount);
    };
    if revoked_at.is_some() {
        return Ok(Revocation::AlreadyRevoked);
    }
    let now = super::now_rfc3339();
    tx.execute(
        "UPDATE accounts SET revoked_at = ?1 WHERE id = ?2",
        params![now, account_id],
    )?;
    retire(&tx, account_id, &hash, &now)?;
    tx.commit()?;
    Ok(Revocation::Revoked)
}

/// Gives the account the key hashing to `new_hash`, in one transaction with
/// retiring the old one. False when there is no such account.
pub fn replace_key(
    conn: &mut Connection,
    account_id: &str,
    new_hash: &[u8; 32],
) -> anyhow::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some((old_hash, _)) = current_key(&tx, account_id)? else {
        return Ok(false);
    };
    let now = super::now_rfc3339();
    retire(&tx, account_id, &old_hash, &now)?;
    tx.execute(
        "UPDATE accounts SET key_hash = ?1, revoked_at = NULL WHERE id = ?2",
        params![&new_hash[..], account_id],
    )?;
    tx.commit()?;
    Ok(true)
}

fn current_key(
    conn: &Connection,
    account_id: &str,
) -> anyhow::Result<Option<(Vec<u8>, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT key_hash, revoked_at FROM accounts WHERE id = ?1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn retire(conn: &Connection, account_id: &str, hash: &[u8], now: &str) -> anyhow::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO retired_keys (key_hash, account_id, retired_at) VALUES (?1, ?2, ?3)",
        params![hash, account_id, now],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, account_id: &str) -> anyhow::Result<Option<Account>> {
    let account = conn
        .prepare_cached("SELECT id, company_name, assistant_count FROM accounts WHERE id = ?1")?
        .query_row([account_id], |r| {
            Ok(Account {
                id: r.get(0)?,
                company_name: Some(r.get(1)?),
                active_agents: Some(r.get::<_, i64>(2)?.max(0) as u64),
                ..Account::default()
            })
        })
        .optional()?;
    Ok(account)
}

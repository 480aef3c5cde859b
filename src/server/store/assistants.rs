//! Assistants: the whole assistant as JSON text, with the columns queries
//! need (id, account, timestamps, revision) beside it. The columns win over
//! the JSON when they are read back.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use crate::domain::{Assistant, FieldError};

const COLUMNS: &str = "id, body, created_at, updated_at, revision";

fn from_row(row: &Row) -> rusqlite::Result<Assistant> {
    let body: String = row.get(1)?;
    let mut a: Assistant = serde_json::from_str(&body).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    a.id = row.get(0)?;
    a.created_at = Some(row.get(2)?);
    a.updated_at = Some(row.get(3)?);
    a.revision = Some(row.get::<_, i64>(4)?.max(0) as u64);
    Ok(a)
}

fn revision_of(a: &Assistant) -> i64 {
    a.revision.unwrap_or(1).min(i64::MAX as u64) as i64
}

pub fn insert(conn: &Connection, account_id: &str, a: &Assistant) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            a.id,
            account_id,
            serde_json::to_string(a)?,
            a.created_at,
            a.updated_at,
            revision_of(a)
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, account_id: &str, id: &str) -> anyhow::Result<Option<Assistant>> {
    let sql = format!("SELECT {COLUMNS} FROM assistants WHERE account_id = ?1 AND id = ?2");
    Ok(conn
        .query_row(&sql, [account_id, id], from_row)
        .optional()?)
}

pub fn count(conn: &Connection, account_id: &str) -> anyhow::Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM assistants WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Oldest first; `seq` is the insertion order, so assistants created within
/// the same clock tick keep a stable order across pages.
pub fn list(
    conn: &Connection,
    account_id: &str,
    page: Option<(u32, u64)>,
) -> anyhow::Result<Vec<Assistant>> {
    // LIMIT -1 is SQLite's "no limit".
    let (limit, offset) = page.map_or((-1, 0), |(l, o)| {
        (i64::from(l), o.min(i64::MAX as u64) as i64)
    });
    let sql = format!(
        "SELECT {COLUMNS} FROM assistants WHERE account_id = ?1 ORDER BY seq LIMIT ?2 OFFSET ?3"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params![account_id, limit, offset], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub enum Update {
    Done(Box<Assistant>),
    NotFound,
    /// The precondition rejected the current revision, given here.
    Stale(u64),
    /// The change, merged into what is stored, breaks a rule.
    Invalid(FieldError),
}

/// Reads, checks `precondition` against the current revision, applies
/// `change` and writes back in one transaction, so two updates with the same
/// `If-Match` cannot both pass. A change that changes nothing is not written:
/// no new revision, so no other writer's `If-Match` goes stale for nothing.
pub fn update(
    conn: &mut Connection,
    account_id: &str,
    id: &str,
    precondition: impl FnOnce(u64) -> bool,
    change: impl FnOnce(&mut Assistant) -> Result<(), FieldError>,
) -> anyhow::Result<Update> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(mut a) = get(&tx, account_id, id)? else {
        return Ok(Update::NotFound);
    };
    let revision = a.revision.unwrap_or(1);
    if !precondition(revision) {
        return Ok(Update::Stale(revision));
    }
    let before = a.clone();
    if let Err(e) = change(&mut a) {
        return Ok(Update::Invalid(e));
    }
    if a == before {
        return Ok(Update::Done(Box::new(a)));
    }
    a.revision = Some(revision + 1);
    a.updated_at = Some(super::now_rfc3339());
    tx.execute(
        "UPDATE assistants SET body = ?1, updated_at = ?2, revision = ?3 WHERE account_id = ?4 AND id = ?5",
        params![serde_json::to_string(&a)?, a.updated_at, revision_of(&a), account_id, id],
    )?;
    tx.commit()?;
    Ok(Update::Done(Box::new(a)))
}

pub fn delete(conn: &Connection, account_id: &str, id: &str) -> anyhow::Result<bool> {
    let n = conn.execute(
        "DELETE FROM assistants WHERE account_id = ?1 AND id = ?2",
        [account_id, id],
    )?;
    Ok(n > 0)
}

//! Assistants: the whole assistant as JSON text, with the columns queries
//! need (id, account, timestamps, revision) beside it. The columns win over
//! the JSON when they are read back. The secrets inside an assistant are not
//! in the JSON but sealed beside it (`assistant_secrets`), so every read and
//! write here goes through the master key.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde_json::Value;

use super::assistant_secrets::{self as secrets, Secrets};
use crate::domain::{Assistant, FieldError};
use crate::server::vault::{AssistantRef, MasterKey, Sealed};

const COLUMNS: &str =
    "id, body, created_at, updated_at, revision, secrets_wrapped_key, secrets_ciphertext";

/// A row as stored, before its secrets are opened.
struct Stored {
    id: String,
    body: String,
    created_at: String,
    updated_at: String,
    revision: i64,
    wrapped_key: Option<Vec<u8>>,
    ciphertext: Option<Vec<u8>>,
}

fn stored(row: &Row) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: row.get(0)?,
        body: row.get(1)?,
        created_at: row.get(2)?,
        updated_at: row.get(3)?,
        revision: row.get(4)?,
        wrapped_key: row.get(5)?,
        ciphertext: row.get(6)?,
    })
}

/// The assistant of `row`, its secrets opened and put back.
fn decode(master: &MasterKey, account_id: &str, row: Stored) -> anyhow::Result<Assistant> {
    let Stored {
        id,
        body,
        created_at,
        updated_at,
        revision,
        wrapped_key,
        ciphertext,
    } = row;
    let broken = |e| unparsable(&id, e);
    let sealed = secrets::from_columns(wrapped_key, ciphertext)?;
    // Most assistants hold no secret: read them in one pass. One whose body
    // still marks a sealed secret goes the long way, which notices the
    // columns gone missing.
    let mut a: Assistant = if sealed.is_none() && !secrets::marks_a_secret(&body) {
        serde_json::from_str(&body).map_err(broken)?
    } else {
        let mut body: Value = serde_json::from_str(&body).map_err(broken)?;
        let at = AssistantRef {
            account_id,
            assistant_id: &id,
        };
        secrets::put_back(&mut body, secrets::open(master, at, sealed.as_ref())?)?;
        serde_json::from_value(body).map_err(broken)?
    };
    a.id = id;
    a.created_at = Some(created_at);
    a.updated_at = Some(updated_at);
    a.revision = Some(revision.max(0) as u64);
    Ok(a)
}

/// serde's messages can quote the text they failed on: not repeated.
fn unparsable(id: &str, e: serde_json::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "the stored assistant {id} does not parse ({:?} at line {} column {})",
        e.classify(),
        e.line(),
        e.column()
    )
}

/// The JSON to store for `a` (without its secrets), and the secrets.
fn encode(a: &Assistant) -> anyhow::Result<(String, Secrets)> {
    let mut body = serde_json::to_value(a)?;
    let taken = secrets::take(&mut body);
    Ok((body.to_string(), taken))
}

fn revision_of(a: &Assistant) -> i64 {
    a.revision.unwrap_or(1).min(i64::MAX as u64) as i64
}

pub fn insert(
    conn: &Connection,
    master: &MasterKey,
    account_id: &str,
    a: &Assistant,
) -> anyhow::Result<()> {
    let (body, taken) = encode(a)?;
    let at = AssistantRef {
        account_id,
        assistant_id: &a.id,
    };
    let sealed = secrets::seal(master, at, &taken)?;
    let (wrapped_key, ciphertext) = columns(sealed);
    conn.execute(
        "INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision,
                                 secrets_wrapped_key, secrets_ciphertext)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            a.id,
            account_id,
            body,
            a.created_at,
            a.updated_at,
            revision_of(a),
            wrapped_key,
            ciphertext
        ],
    )?;
    Ok(())
}

fn columns(sealed: Option<Sealed>) -> (Option<Vec<u8>>, Option<Vec<u8>>) {
    match sealed {
        Some(s) => (Some(s.wrapped_key), Some(s.ciphertext)),
        None => (None, None),
    }
}

pub fn get(
    conn: &Connection,
    master: &MasterKey,
    account_id: &str,
    id: &str,
) -> anyhow::Result<Option<Assistant>> {
    let row = fetch(conn, account_id, id)?;
    row.map(|row| decode(master, account_id, row)).transpose()
}

fn fetch(conn: &Connection, account_id: &str, id: &str) -> anyhow::Result<Option<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM assistants WHERE account_id = ?1 AND id = ?2");
    Ok(conn.query_row(&sql, [account_id, id], stored).optional()?)
}

/// The account's kept count (see the schema's triggers), not a scan.
pub fn count(conn: &Connection, account_id: &str) -> anyhow::Result<u64> {
    let n: Option<i64> = conn
        .query_row(
            "SELECT assistant_count FROM accounts WHERE id = ?1",
            [account_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(n.unwrap_or(0).max(0) as u64)
}

/// Oldest first; `seq` is the insertion order, so assistants created within
/// the same clock tick keep a stable order across pages.
pub fn list(
    conn: &Connection,
    master: &MasterKey,
    account_id: &str,
    page: Option<(u32, u64)>,
) -> anyhow::Result<Vec<Assistant>> {
    let rows: Vec<Stored> = match page {
        None => {
            let sql =
                format!("SELECT {COLUMNS} FROM assistants WHERE account_id = ?1 ORDER BY seq");
            let mut stmt = conn.prepare_cached(&sql)?;
            stmt.query_map([account_id], stored)?
                .collect::<Result<_, _>>()?
        }
        Some((limit, offset)) => {
            // The page's first row is found in the index alone. A plain
            // OFFSET steps over the rows before it by way of the table's
            // row ids, which at offset 50,000 takes half as long again.
            let sql = format!(
                "SELECT {COLUMNS} FROM assistants WHERE account_id = ?1 AND seq >= (
                     SELECT seq FROM assistants WHERE account_id = ?1
                     ORDER BY seq LIMIT 1 OFFSET ?3)
                 ORDER BY seq LIMIT ?2"
            );
            let offset = offset.min(i64::MAX as u64) as i64;
            let mut stmt = conn.prepare_cached(&sql)?;
            stmt.query_map(params![account_id, i64::from(limit), offset], stored)?
                .collect::<Result<_, _>>()?
        }
    };
    rows.into_iter()
        .map(|row| decode(master, account_id, row))
        .collect()
}

/// Hands each of the account's assistants to `f`, oldest first, one row at
/// a time: an account of 50,000 is never held whole. Their secrets stay
/// sealed (a marker stands where each was), so this is only for reading
/// what holds none, such as the configs' providers, models and voices.
pub fn each_sealed(
    conn: &Connection,
    account_id: &str,
    mut f: impl FnMut(&Assistant),
) -> anyhow::Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT id, body FROM assistants WHERE account_id = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([account_id])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let body: String = row.get(1)?;
        let a: Assistant = serde_json::from_str(&body).map_err(|e| unparsable(&id, e))?;
        f(&a);
    }
    Ok(())
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
/// Secrets that stay the same keep their ciphertext; changed ones are sealed
/// anew and the old ciphertext leaves the WAL as a destroyed provider key's does.
pub fn update(
    conn: &mut Connection,
    master: &MasterKey,
    account_id: &str,
    id: &str,
    precondition: impl FnOnce(u64) -> bool,
    change: impl FnOnce(&mut Assistant) -> Result<(), FieldError>,
) -> anyhow::Result<Update> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(row) = fetch(&tx, account_id, id)? else {
        return Ok(Update::NotFound);
    };
    let was_sealed = row.ciphertext.is_some();
    let mut a = decode(master, account_id, row)?;
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
    let (body, taken) = encode(&a)?;
    tx.execute(
        "UPDATE assistants SET body = ?1, updated_at = ?2, revision = ?3 WHERE account_id = ?4 AND id = ?5",
        params![body, a.updated_at, revision_of(&a), account_id, id],
    )?;
    let (_, had) = encode(&before)?;
    // A row whose secrets are still in its JSON (written before they were
    // sealed) gets them sealed now, changed or not.
    let reseal = taken != had || (!was_sealed && !taken.is_empty());
    if reseal {
        let at = AssistantRef {
            account_id,
            assistant_id: id,
        };
        let (wrapped_key, ciphertext) = columns(secrets::seal(master, at, &taken)?);
        tx.execute(
            "UPDATE assistants SET secrets_wrapped_key = ?1, secrets_ciphertext = ?2
             WHERE account_id = ?3 AND id = ?4",
            params![wrapped_key, ciphertext, account_id, id],
        )?;
    }
    tx.commit()?;
    // The old ciphertext (or, on an older row, the plaintext) is still in
    // the WAL's frames or the database file until a checkpoint.
    if reseal && !had.is_empty() {
        super::truncate_wal(conn);
    }
    Ok(Update::Done(Box::new(a)))
}

pub enum Deletion {
    Deleted,
    NotFound,
    /// The precondition rejected the current revision, given here.
    Stale(u64),
}

/// Reads the revision, checks `precondition` against it and deletes in one
/// IMMEDIATE transaction, so no update can slip in between the check and
/// the delete. The delete is a statement of its own, run to its end, and
/// the commit is checked: only a committed delete is reported done.
pub fn delete(
    conn: &mut Connection,
    account_id: &str,
    id: &str,
    precondition: impl FnOnce(u64) -> bool,
) -> anyhow::Result<Deletion> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: Option<(i64, bool)> = tx
        .query_row(
            "SELECT revision, secrets_ciphertext IS NOT NULL FROM assistants
             WHERE account_id = ?1 AND id = ?2",
            [account_id, id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((revision, had_secrets)) = found else {
        return Ok(Deletion::NotFound);
    };
    let revision = revision.max(0) as u64;
    if !precondition(revision) {
        return Ok(Deletion::Stale(revision));
    }
    tx.execute(
        "DELETE FROM assistants WHERE account_id = ?1 AND id = ?2",
        [account_id, id],
    )?;
    tx.commit()?;
    if had_secrets {
        super::truncate_wal(conn);
    }
    Ok(Deletion::Deleted)
}

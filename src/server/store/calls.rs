//! The calls an account made, as recorded: this server places no call
//! itself, so a row is only ever written by `record_call`.

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::domain::Call;

/// Which calls a list asks for; the times are Unix seconds, both ends
/// included.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    pub status: Option<String>,
    pub since: Option<i64>,
    pub until: Option<i64>,
}

/// Keeps `call` as the account's. Its `created_at` (RFC 3339) orders the
/// list and is what the date filters compare.
pub fn record_call(conn: &Connection, account_id: &str, call: &Call) -> anyhow::Result<()> {
    let created = OffsetDateTime::parse(&call.created_at, &Rfc3339)?.unix_timestamp();
    conn.prepare_cached(
        "INSERT INTO calls (id, account_id, status, created_unix, body) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        call.id,
        account_id,
        call.status.as_str(),
        created,
        serde_json::to_string(call)?
    ])?;
    Ok(())
}

/// One page, newest first, and how many match in all.
pub fn list(
    conn: &Connection,
    account_id: &str,
    filter: &CallFilter,
    limit: u32,
    offset: u64,
) -> anyhow::Result<(Vec<Call>, u64)> {
    let conditions = "account_id = ?1 AND (?2 IS NULL OR status = ?2) \
         AND (?3 IS NULL OR created_unix >= ?3) AND (?4 IS NULL OR created_unix <= ?4)";
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM calls WHERE {conditions}"))?
        .query_row(
            params![account_id, filter.status, filter.since, filter.until],
            |r| r.get(0),
        )?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT body FROM calls WHERE {conditions} \
         ORDER BY created_unix DESC, seq DESC LIMIT ?5 OFFSET ?6"
    ))?;
    let bodies = stmt.query_map(
        params![
            account_id,
            filter.status,
            filter.since,
            filter.until,
            limit,
            i64::try_from(offset)?
        ],
        |r| r.get::<_, String>(0),
    )?;
    let mut calls = Vec::new();
    for body in bodies {
        calls.push(serde_json::from_str(&body?)?);
    }
    Ok((calls, total.max(0) as u64))
}

/// The account's call `id`; another account's is not found.
pub fn get(conn: &Connection, account_id: &str, id: &str) -> anyhow::Result<Option<Call>> {
    let body: Option<String> = conn
        .prepare_cached("SELECT body FROM calls WHERE account_id = ?1 AND id = ?2")?
        .query_row([account_id, id], |r| r.get(0))
        .optional()?;
    Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
}

//! What can be told wrong with a sealed value without opening it: a column
//! of another type than BLOB, a wrapped key or a ciphertext too short to be
//! sealed (truncated), a format byte this vault does not know. Found in one
//! pass of SQL over the three tables, so a start checks every row cheaply
//! and names the first broken one instead of failing on it with SQLite's
//! words; `vault verify` lists them all. No stored byte is ever shown.

use std::path::Path;

use rusqlite::Connection;

use super::vault_verify::{Failed, VaultFailure, marked_fields};

/// Format byte, nonce, the 32-byte data key and its tag.
const WRAPPED_KEY_LEN: i64 = 1 + 24 + 32 + 16;
/// Format byte, nonce and tag around an empty value.
const SHORTEST_CIPHERTEXT: i64 = 1 + 24 + 16;

#[derive(Clone, Copy)]
enum Column {
    WrappedKey,
    Ciphertext,
}

/// Each sealed column's shape, as SQL sees it without reading the bytes out.
fn shape(column: &str) -> String {
    format!("typeof({column}), length({column}), substr({column}, 1, 1) = x'01'")
}

/// Every row of the vault that is damaged in its shape, by where it belongs.
pub fn damaged_rows(conn: &Connection) -> anyhow::Result<Vec<VaultFailure>> {
    let mut found = Vec::new();
    let sql = format!(
        "SELECT {}, {} FROM vault_check",
        shape("wrapped_key"),
        shape("ciphertext")
    );
    each_damaged(conn, &sql, &mut found, |_| Ok(Failed::KeyCheck))?;
    let sql = format!(
        "SELECT {}, {}, id, account_id, provider FROM secrets ORDER BY account_id, provider",
        shape("wrapped_key"),
        shape("ciphertext")
    );
    each_damaged(conn, &sql, &mut found, |row| {
        Ok(Failed::ProviderKey {
            secret_id: text(row, 6)?,
            account_id: text(row, 7)?,
            provider: text(row, 8)?,
        })
    })?;
    let sql = format!(
        "SELECT {}, {}, id, account_id, body FROM assistants
         WHERE secrets_wrapped_key IS NOT NULL OR secrets_ciphertext IS NOT NULL
         ORDER BY account_id, seq",
        shape("secrets_wrapped_key"),
        shape("secrets_ciphertext")
    );
    each_damaged(conn, &sql, &mut found, |row| {
        Ok(Failed::Assistant {
            assistant_id: text(row, 6)?,
            account_id: text(row, 7)?,
            fields: marked_fields(&text(row, 8)?),
        })
    })?;
    Ok(found)
}

/// Runs `sql` (the two sealed columns' shapes first, then what `place`
/// reads) and adds each damaged row to `found`, placed by `place`.
fn each_damaged(
    conn: &Connection,
    sql: &str,
    found: &mut Vec<VaultFailure>,
    place: impl Fn(&rusqlite::Row) -> rusqlite::Result<Failed>,
) -> anyhow::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(why) = judge_pair(row, 0)? {
            found.push(VaultFailure {
                failed: place(row)?,
                why,
            });
        }
    }
    Ok(())
}

/// Ids and bodies are text by the schema; anything else is shown as its type.
fn text(row: &rusqlite::Row, i: usize) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(i)? {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(n) => n.to_string(),
        other => format!("({})", other.data_type()),
    })
}

fn judge_pair(row: &rusqlite::Row, first: usize) -> rusqlite::Result<Option<&'static str>> {
    let wrapped = judge(row, first, Column::WrappedKey)?;
    let ciphertext = judge(row, first + 3, Column::Ciphertext)?;
    Ok(wrapped.or(ciphertext))
}

fn judge(row: &rusqlite::Row, at: usize, column: Column) -> rusqlite::Result<Option<&'static str>> {
    let kind: String = row.get(at)?;
    let len: Option<i64> = row.get(at + 1)?;
    let v1: Option<bool> = row.get(at + 2)?;
    use Column::{Ciphertext, WrappedKey};
    let why = match (kind.as_str(), column) {
        ("blob", _) if v1 != Some(true) => match column {
            WrappedKey => "its wrapped key is not in a format this vault knows",
            Ciphertext => "its ciphertext is not in a format this vault knows",
        },
        ("blob", WrappedKey) if len != Some(WRAPPED_KEY_LEN) => {
            "its wrapped key has the wrong length (truncated or padded)"
        }
        ("blob", Ciphertext) if len.unwrap_or(0) < SHORTEST_CIPHERTEXT => {
            "its ciphertext is too short to hold a sealed value (truncated)"
        }
        ("blob", _) => return Ok(None),
        ("null", _) => "one of its two sealed columns is missing",
        ("text", WrappedKey) => "its wrapped key is stored as TEXT, not as a sealed BLOB",
        ("text", Ciphertext) => "its ciphertext is stored as TEXT, not as a sealed BLOB",
        (_, WrappedKey) => "its wrapped key is stored as a number, not as a sealed BLOB",
        (_, Ciphertext) => "its ciphertext is stored as a number, not as a sealed BLOB",
    };
    Ok(Some(why))
}

/// Why `serve` stops: the first damaged row, and where to see them all.
pub fn damaged(data_dir: &Path, failures: &[VaultFailure]) -> String {
    let more = match failures.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let first = failures.first().map_or_else(String::new, |f| {
        let table = match f.failed {
            Failed::KeyCheck => "vault_check",
            Failed::ProviderKey { .. } => "secrets",
            Failed::Assistant { .. } => "assistants",
        };
        format!("table {table}, {f}")
    });
    format!(
        "the vault in {} is damaged: {first}{more}. Run `voicedock vault verify` to list every \
         damaged value, then restore the database from a backup or remove what is damaged",
        data_dir.display()
    )
}

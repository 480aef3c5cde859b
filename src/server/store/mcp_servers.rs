//! MCP servers. What is public about one is a row here; its header values
//! are one sealed value in `secrets` (provider `mcp:<server id>`), so the
//! vault's checks at start, `vault verify` and `vault rotate-master` cover
//! them with the provider keys, and only the vault ever sees plaintext.

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::secrets::{self, NewSecret, StoredSecret};
use crate::domain::mcp::{McpServer, McpTransport};

/// The schema version that adds the table; listed in `MIGRATIONS`.
pub const MIGRATION: &str = r#"
CREATE TABLE mcp_servers (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    account_id      TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    url             TEXT NOT NULL,
    transport       TEXT NOT NULL,
    header_names    TEXT NOT NULL,
    timeout_seconds INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (account_id, name)
);
"#;

/// The `secrets` row holding a server's header values.
pub fn headers_slot(server_id: &str) -> String {
    format!("mcp:{server_id}")
}

const COLUMNS: &str =
    "id, name, url, transport, header_names, timeout_seconds, created_at, updated_at";

fn read_row(r: &Row<'_>) -> rusqlite::Result<McpServer> {
    let transport: String = r.get(3)?;
    let names: String = r.get(4)?;
    Ok(McpServer {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        transport: McpTransport::parse(&transport).unwrap_or_default(),
        header_names: serde_json::from_str(&names).unwrap_or_default(),
        timeout_seconds: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

pub fn list(conn: &Connection, account_id: &str) -> anyhow::Result<Vec<McpServer>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM mcp_servers WHERE account_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([account_id], read_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, account_id: &str, id: &str) -> anyhow::Result<Option<McpServer>> {
    let found = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM mcp_servers WHERE account_id = ?1 AND id = ?2"),
            [account_id, id],
            read_row,
        )
        .optional()?;
    Ok(found)
}

/// The server's header values, still sealed; `None` when it has none.
pub fn sealed_headers(
    conn: &Connection,
    account_id: &str,
    id: &str,
) -> anyhow::Result<Option<StoredSecret>> {
    secrets::get(conn, account_id, &headers_slot(id))
}

/// Whether another server of the account already has `name`.
pub fn name_taken(
    conn: &Connection,
    account_id: &str,
    name: &str,
    except_id: &str,
) -> anyhow::Result<bool> {
    let taken = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM mcp_servers WHERE account_id = ?1 AND name = ?2 AND id != ?3)",
        [account_id, name, except_id],
        |r| r.get(0),
    )?;
    Ok(taken)
}

/// What a write replaces the stored headers with.
pub enum Headers {
    Keep,
    None,
    Sealed(NewSecret),
}

/// Inserts or replaces `server` and its headers in one transaction, so a
/// server is never stored with another version's headers.
pub fn put(
    conn: &mut Connection,
    account_id: &str,
    server: &McpServer,
    headers: Headers,
) -> anyhow::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO mcp_servers (id, account_id, name, url, transport, header_names,
                                  timeout_seconds, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url,
             transport = excluded.transport, header_names = excluded.header_names,
             timeout_seconds = excluded.timeout_seconds, updated_at = excluded.updated_at",
        params![
            server.id,
            account_id,
            server.name,
            server.url,
            server.transport.label(),
            serde_json::to_string(&server.header_names)?,
            server.timeout_seconds,
            server.created_at,
            server.updated_at,
        ],
    )?;
    let slot = headers_slot(&server.id);
    let replaced = match headers {
        Headers::Keep => false,
        Headers::None => {
            tx.execute(
                "DELETE FROM secrets WHERE account_id = ?1 AND provider = ?2",
                params![account_id, slot],
            )? > 0
        }
        Headers::Sealed(secret) => {
            let replaced = tx.execute(
                "DELETE FROM secrets WHERE account_id = ?1 AND provider = ?2",
                params![account_id, slot],
            )? > 0;
            tx.execute(
                "INSERT INTO secrets (id, account_id, provider, wrapped_key, ciphertext, key_hint, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '', ?6)",
                params![
                    secret.id,
                    account_id,
                    slot,
                    secret.sealed.wrapped_key,
                    secret.sealed.ciphertext,
                    super::now_rfc3339()
                ],
            )?;
            replaced
        }
    };
    tx.commit()?;
    if replaced {
        super::truncate_wal(conn);
    }
    Ok(())
}

/// Whether the server existed; its headers go with it.
pub fn delete(conn: &mut Connection, account_id: &str, id: &str) -> anyhow::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let n = tx.execute(
        "DELETE FROM mcp_servers WHERE account_id = ?1 AND id = ?2",
        params![account_id, id],
    )?;
    tx.execute(
        "DELETE FROM secrets WHERE account_id = ?1 AND provider = ?2",
        params![account_id, headers_slot(id)],
    )?;
    tx.commit()?;
    if n > 0 {
        super::truncate_wal(conn);
    }
    Ok(n > 0)
}

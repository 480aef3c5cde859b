//! What the server left on disk: the database and its -wal and -shm files
//! read as bytes, and the assistants table as stored.

use std::path::Path;

use rusqlite::Connection;
use serde_json::Value;
use voicedock::server::DB_FILE;
use voicedock::server::vault::{self, AssistantRef, MasterKey, Sealed};

/// The database and its -wal and -shm files, whichever exist.
pub fn db_files(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let path = data_dir.join(format!("{DB_FILE}{suffix}"));
            std::fs::read(&path)
                .ok()
                .map(|bytes| (path.display().to_string(), bytes))
        })
        .collect()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The database files that hold `needle`.
pub fn files_holding(data_dir: &Path, needle: &[u8]) -> Vec<String> {
    db_files(data_dir)
        .into_iter()
        .filter(|(_, bytes)| contains(bytes, needle))
        .map(|(path, _)| path)
        .collect()
}

pub struct AssistantRow {
    pub id: String,
    pub account_id: String,
    pub body: String,
    pub sealed: Option<Sealed>,
}

/// The `assistants` table as stored, oldest first.
pub fn assistant_rows(data_dir: &Path) -> Vec<AssistantRow> {
    let conn = Connection::open(data_dir.join(DB_FILE)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id, account_id, body, secrets_wrapped_key, secrets_ciphertext
             FROM assistants ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let wrapped: Option<Vec<u8>> = r.get(3)?;
        let ciphertext: Option<Vec<u8>> = r.get(4)?;
        Ok(AssistantRow {
            id: r.get(0)?,
            account_id: r.get(1)?,
            body: r.get(2)?,
            sealed: wrapped
                .zip(ciphertext)
                .map(|(wrapped_key, ciphertext)| Sealed {
                    wrapped_key,
                    ciphertext,
                }),
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The secrets of `row` (path → secret), decrypted the only way the vault allows.
pub fn open_assistant_secrets(
    master: &MasterKey,
    row: &AssistantRow,
) -> Result<Value, vault::VaultError> {
    let at = AssistantRef {
        account_id: &row.account_id,
        assistant_id: &row.id,
    };
    let sealed = row.sealed.as_ref().expect("the row holds sealed secrets");
    let plain = vault::open_assistant(master, at, sealed)?;
    Ok(serde_json::from_slice(&plain).unwrap())
}

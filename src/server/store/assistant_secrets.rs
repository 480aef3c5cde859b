//! The secrets inside an assistant (`webhook_secret`, a tool's
//! `server.secret`) at rest. Before an assistant's JSON is written they are
//! taken out of it, sealed together by the vault to that account and
//! assistant, and kept in the row's own columns; the JSON keeps only a
//! marker where each one was. Reading puts them back, so the API answers
//! them exactly as they were sent (as the hosted service does).
//!
//! Nothing here ever puts a secret into an error: a failure names the
//! assistant and what went wrong, never a value.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use rusqlite::{Connection, params};
use serde_json::Value;
use zeroize::{Zeroize, Zeroizing};

use crate::domain::secrets::secret_slots;
use crate::server::vault::{self, AssistantRef, MasterKey, Sealed};

/// What stands in the stored JSON where a secret was.
pub(super) const MARKER: &str = "(sealed)";

/// An assistant's secrets by path (`webhook_secret`,
/// `llm_config.tools[0].server.secret`). Its `Debug` shows only the paths.
#[derive(Default, PartialEq, Eq)]
pub struct Secrets(BTreeMap<String, String>);

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Hygiene, not a guarantee: the request's own buffers held the same
/// secrets and are not wiped.
impl Drop for Secrets {
    fn drop(&mut self) {
        self.0.values_mut().for_each(Zeroize::zeroize);
    }
}

impl Secrets {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Takes every secret out of `body`, leaving the marker in its place.
pub fn take(body: &mut Value) -> Secrets {
    let mut taken = BTreeMap::new();
    for (path, slot) in secret_slots(body) {
        if let Value::String(secret) = std::mem::replace(slot, Value::from(MARKER)) {
            taken.insert(path, secret);
        }
    }
    Secrets(taken)
}

/// Puts `secrets` back where `take` found them. A marker without its secret,
/// or a secret without its place, means the row was tampered with or broken:
/// an error rather than an answer with a secret missing.
pub fn put_back(body: &mut Value, mut secrets: Secrets) -> anyhow::Result<()> {
    for (path, slot) in secret_slots(body) {
        match secrets.0.remove(&path) {
            Some(secret) => *slot = Value::String(secret),
            None if slot.as_str() == Some(MARKER) => {
                return Err(anyhow!("the sealed secret at {path} is missing"));
            }
            // A row from before secrets were sealed; sealed at the next start.
            None => {}
        }
    }
    if let Some(path) = secrets.0.keys().next() {
        return Err(anyhow!("a sealed secret has no place in the body ({path})"));
    }
    Ok(())
}

/// `None` when there is nothing to seal, so an assistant without secrets
/// keeps empty columns.
pub fn seal(
    master: &MasterKey,
    at: AssistantRef,
    secrets: &Secrets,
) -> anyhow::Result<Option<Sealed>> {
    if secrets.is_empty() {
        return Ok(None);
    }
    let plain = Zeroizing::new(
        serde_json::to_vec(&secrets.0).context("cannot encode an assistant's secrets")?,
    );
    let sealed = vault::seal_assistant(master, at, &plain)
        .with_context(|| format!("cannot seal the secrets of assistant {}", at.assistant_id))?;
    Ok(Some(sealed))
}

pub fn open(
    master: &MasterKey,
    at: AssistantRef,
    sealed: Option<&Sealed>,
) -> anyhow::Result<Secrets> {
    let Some(sealed) = sealed else {
        return Ok(Secrets::default());
    };
    let failed = || format!("cannot open the secrets of assistant {}", at.assistant_id);
    let plain = vault::open_assistant(master, at, sealed).with_context(failed)?;
    // serde's message could quote a value; this one cannot.
    let map = serde_json::from_slice(&plain)
        .map_err(|_| anyhow!("the sealed secrets are not an object of strings"))
        .with_context(failed)?;
    Ok(Secrets(map))
}

/// Whether a stored body holds the mark of a sealed secret.
pub fn marks_a_secret(body: &str) -> bool {
    body.contains(MARKER)
}

/// The two columns as stored: both set, or both NULL.
pub fn from_columns(
    wrapped_key: Option<Vec<u8>>,
    ciphertext: Option<Vec<u8>>,
) -> anyhow::Result<Option<Sealed>> {
    match (wrapped_key, ciphertext) {
        (Some(wrapped_key), Some(ciphertext)) => Ok(Some(Sealed {
            wrapped_key,
            ciphertext,
        })),
        (None, None) => Ok(None),
        _ => Err(anyhow!("an assistant's sealed secrets are half missing")),
    }
}

/// Seals the secrets of assistants stored before they were sealed (still
/// in their JSON, with empty columns), then truncates the WAL so the old
/// plaintext leaves every database file. Run once at start-up, before the
/// server answers.
pub fn seal_plaintext_rows(conn: &Connection, master: &MasterKey) -> anyhow::Result<usize> {
    // Only a JSON that mentions a secret can hold one; the rest are not
    // parsed again at every start.
    let rows: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT id, account_id, body FROM assistants
             WHERE secrets_ciphertext IS NULL AND body LIKE '%secret%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let mut sealed_rows = 0;
    for (id, account_id, body) in rows {
        // One broken row must not keep the server from starting; reading
        // it answers 500 as before.
        let Ok(mut body) = serde_json::from_str::<Value>(&body) else {
            tracing::warn!(assistant = %id, "a stored assistant is not JSON; its secrets stay as they are");
            continue;
        };
        let secrets = take(&mut body);
        let at = AssistantRef {
            account_id: &account_id,
            assistant_id: &id,
        };
        let Some(sealed) = seal(master, at, &secrets)? else {
            continue;
        };
        conn.execute(
            "UPDATE assistants SET body = ?1, secrets_wrapped_key = ?2, secrets_ciphertext = ?3
             WHERE id = ?4",
            params![body.to_string(), sealed.wrapped_key, sealed.ciphertext, id],
        )?;
        sealed_rows += 1;
    }
    if sealed_rows > 0 {
        super::truncate_wal(conn);
    }
    Ok(sealed_rows)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_come_out_and_go_back_where_they_were() {
        let original = json!({"name": "A", "webhook_secret": "whsec_0123456789",
            "llm_config": {"provider": "openai", "tools": [
                {"type": "function"},
                {"type": "function", "server": {"url": "https://x", "secret": "tool-secret"}}]}});
        let mut body = original.clone();
        let secrets = take(&mut body);
        assert_eq!(
            format!("{secrets:?}"),
            r#"["llm_config.tools[1].server.secret", "webhook_secret"]"#
        );
        let text = body.to_string();
        assert!(
            !text.contains("whsec_") && !text.contains("tool-secret"),
            "{text}"
        );
        assert_eq!(body["webhook_secret"], MARKER);
        put_back(&mut body, secrets).unwrap();
        assert_eq!(body, original);
    }

    #[test]
    fn a_missing_or_misplaced_secret_is_an_error_that_names_no_value() {
        let mut body = json!({"webhook_secret": "s3cr3t-value"});
        let secrets = take(&mut body);
        let err = put_back(&mut body.clone(), Secrets::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the sealed secret at webhook_secret is missing"
        );
        let err = put_back(&mut json!({"name": "A"}), secrets).unwrap_err();
        assert!(!format!("{err:#}").contains("s3cr3t"));
        // Null is a value of its own, not a secret.
        let mut cleared = json!({"webhook_secret": null});
        assert!(take(&mut cleared).is_empty());
        assert_eq!(cleared, json!({"webhook_secret": null}));
    }

    #[test]
    fn sealed_secrets_open_only_for_their_assistant() {
        let master = MasterKey::generate();
        let at = AssistantRef {
            account_id: "a",
            assistant_id: "1",
        };
        let secrets = take(&mut json!({"webhook_secret": "s3cr3t-value"}));
        let sealed = seal(&master, at, &secrets).unwrap().unwrap();
        assert!(open(&master, at, Some(&sealed)).unwrap() == secrets);
        let elsewhere = AssistantRef {
            assistant_id: "2",
            ..at
        };
        let err = open(&master, elsewhere, Some(&sealed)).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "cannot open the secrets of assistant 2: the secret could not be encrypted or decrypted"
        );
        assert!(seal(&master, at, &Secrets::default()).unwrap().is_none());
    }
}

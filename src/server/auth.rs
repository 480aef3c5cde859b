//! Account API keys: `vd_live_` + 256 random bits, stored only as SHA-256
//! hashes and matched in the database on every request, so an account
//! created by another process is usable at once and a removed or revoked key
//! is refused at once.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use getrandom::SysRng;
use getrandom::rand_core::{Rng, UnwrapErr};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use rusqlite::Connection;

use super::AppState;
use super::error::{ApiResult, ServerError};
use super::known_keys::KnownKeys;
use super::store::accounts::{self, KeyOwner};
use crate::domain::ErrorCode;

pub const KEY_PREFIX: &str = "vd_live_";
/// Generous for `vd_live_` + 43 base64 characters; anything longer is not ours.
const MAX_KEY_LEN: usize = 128;

pub fn generate_api_key() -> SecretString {
    let mut bytes = Zeroizing::new([0u8; 32]);
    // No key without randomness: a failing system source panics.
    UnwrapErr(SysRng).fill_bytes(bytes.as_mut());
    let mut key = String::with_capacity(KEY_PREFIX.len() + 43);
    key.push_str(KEY_PREFIX);
    URL_SAFE_NO_PAD.encode_string(bytes.as_ref(), &mut key);
    SecretString::from(key)
}

pub fn hash_key(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// Who sent a request, settled once per request by the rate-limit layer
/// (which needs it to pick the bucket) and read by [`Authed`] and
/// [`KeyHolder`].
#[derive(Clone)]
pub enum Caller {
    /// No `Authorization` header.
    Anonymous,
    /// More than one: which of them counts is for no one to guess, and a
    /// proxy may have read another than this server would.
    TwoKeys,
    /// A malformed header or a key no account has.
    Rejected,
    /// A key that was revoked or replaced: told apart so its holder knows
    /// to get the new one rather than check for a typo.
    Revoked,
    /// The lookup itself failed (already logged); a handler needing the
    /// account answers 500.
    LookupFailed,
    Account {
        id: String,
        key_hash: [u8; 32],
        /// Whether the database matched the key during this request; when
        /// not, the key is only known from an earlier one and is matched
        /// again before the account is served.
        matched: bool,
    },
}

/// A key the server knows counts against its own rate limit at once; any
/// other is looked up first, since only a key that matches an account may
/// open a bucket of its own.
pub async fn identify(app: &AppState, headers: &HeaderMap) -> Caller {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Caller::Anonymous;
    };
    if values.next().is_some() {
        return Caller::TwoKeys;
    }
    let Some(key) = bearer_key(value.as_bytes()) else {
        return Caller::Rejected;
    };
    let key_hash = hash_key(key);
    if let Some(id) = app.known_keys.account_of(&key_hash) {
        return Caller::Account {
            id,
            key_hash,
            matched: false,
        };
    }
    let owner = app
        .store
        .read(move |conn| accounts::lookup_key(conn, &key_hash))
        .await;
    settle(&app.known_keys, key_hash, owner)
}

/// What a lookup of `key_hash` makes of the caller; the known keys follow it.
fn settle(known: &KnownKeys, key_hash: [u8; 32], owner: anyhow::Result<KeyOwner>) -> Caller {
    match owner {
        Ok(KeyOwner::Active(id)) => {
            known.remember(key_hash, &id);
            Caller::Account {
                id,
                key_hash,
                matched: true,
            }
        }
        Ok(KeyOwner::Revoked) => {
            known.forget(&key_hash);
            Caller::Revoked
        }
        Ok(KeyOwner::Unknown) => {
            known.forget(&key_hash);
            Caller::Rejected
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "account lookup failed");
            Caller::LookupFailed
        }
    }
}

/// The key of `Bearer <key>` if it has our shape; the scheme is
/// case-insensitive (RFC 9110), the key is not.
fn bearer_key(header: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(header).ok()?;
    let (scheme, key) = text.split_once(' ')?;
    let key = key.trim();
    let well_formed = scheme.eq_ignore_ascii_case("bearer")
        && key.starts_with(KEY_PREFIX)
        && key.len() <= MAX_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_graphic());
    well_formed.then_some(key)
}

/// The answer to a caller without an account.
fn refusal(caller: &Caller) -> ServerError {
    match caller {
        Caller::Anonymous | Caller::Rejected => ServerError::unauthorized(),
        Caller::TwoKeys => ServerError::new(
            ErrorCode::InvalidRequest,
            "Send one Authorization header, not several.",
        ),
        Caller::Revoked => ServerError::new(
            ErrorCode::ApiKeyRevoked,
            "This API key has been revoked; use the account's current key.",
        ),
        Caller::LookupFailed => ServerError::internal("account lookup failed"),
        Caller::Account { .. } => ServerError::internal("an account was refused"),
    }
}

fn caller(parts: &Parts) -> Result<&Caller, ServerError> {
    parts
        .extensions
        .get::<Caller>()
        .ok_or_else(|| ServerError::internal("the caller was not identified"))
}

/// The authenticated account of a request; 401 otherwise. A key known from
/// an earlier request is matched again here, a trip of its own: handlers
/// that go to the database anyway take a [`KeyHolder`] instead.
pub struct Authed(pub String);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ServerError> {
        match caller(parts)? {
            Caller::Account {
                id, matched: true, ..
            } => Ok(Authed(id.clone())),
            Caller::Account { key_hash, .. } => {
                let key_hash = *key_hash;
                let owner = app
                    .store
                    .read(move |conn| accounts::lookup_key(conn, &key_hash))
                    .await;
                match settle(&app.known_keys, key_hash, owner) {
                    Caller::Account { id, .. } => Ok(Authed(id)),
                    other => Err(refusal(&other)),
                }
            }
            other => Err(refusal(other)),
        }
    }
}

/// The holder of an account's key, whose account is served only inside
/// [`KeyHolder::read`]: the key is matched in the same trip to the blocking
/// pool as the handler's own queries, so a read costs one trip.
pub struct KeyHolder {
    account_id: String,
    key_hash: [u8; 32],
    matched: bool,
}

impl FromRequestParts<AppState> for KeyHolder {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _app: &AppState) -> Result<Self, ServerError> {
        match caller(parts)? {
            Caller::Account {
                id,
                key_hash,
                matched,
            } => Ok(KeyHolder {
                account_id: id.clone(),
                key_hash: *key_hash,
                matched: *matched,
            }),
            other => Err(refusal(other)),
        }
    }
}

impl KeyHolder {
    /// Runs `f` for the key's account on a reading connection, once the key
    /// matches the account in the same snapshot; a key revoked meanwhile
    /// gets the answer it would have got at the door.
    pub async fn read<T, F>(self, app: &AppState, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &str) -> anyhow::Result<T> + Send + 'static,
    {
        let KeyHolder {
            account_id,
            key_hash,
            matched,
        } = self;
        let served = app
            .store
            .read(move |conn| {
                // One read transaction: the key and the account's data are
                // of one snapshot, and the WAL's read lock is taken once.
                let snapshot = conn.unchecked_transaction()?;
                if !matched {
                    let owner = accounts::lookup_key(&snapshot, &key_hash)?;
                    if owner != KeyOwner::Active(account_id.clone()) {
                        return Ok(Err(owner));
                    }
                }
                let served = f(&snapshot, &account_id)?;
                snapshot.finish()?;
                Ok(Ok(served))
            })
            .await?;
        served.map_err(|owner| match settle(&app.known_keys, key_hash, Ok(owner)) {
            // The key now belongs to another account: not this request's.
            Caller::Account { .. } => ServerError::unauthorized(),
            other => refusal(&other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn keys_are_prefixed_256_bit_and_distinct() {
        let a = generate_api_key();
        let b = generate_api_key();
        assert!(a.expose_secret().starts_with(KEY_PREFIX));
        assert_eq!(a.expose_secret().len(), KEY_PREFIX.len() + 43);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert!(bearer_key(format!("Bearer {}", a.expose_secret()).as_bytes()).is_some());
    }

    #[test]
    fn malformed_headers_are_refused_without_a_lookup() {
        for header in [
            "",
            "Bearer",
            "Bearer ",
            "Basic vd_live_abc",
            "Bearer fl_live_abc",
            "vd_live_abc",
        ] {
            assert!(bearer_key(header.as_bytes()).is_none(), "{header:?}");
        }
        assert_eq!(bearer_key(b"bearer vd_live_abc"), Some("vd_live_abc"));
    }
}

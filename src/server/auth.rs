//! Account API keys: `vd_live_` + 256 random bits, stored only as SHA-256
//! hashes and looked up on every request, so an account created by another
//! process is usable at once and a removed or revoked key is refused at once.

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

use super::error::ServerError;
use super::store::Store;
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
/// (which needs it to pick the bucket) and read by [`Authed`].
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
    },
}

pub async fn identify(store: &Store, headers: &HeaderMap) -> Caller {
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
    match store
        .run(move |conn| accounts::lookup_key(conn, &key_hash))
        .await
    {
        Ok(KeyOwner::Active(id)) => Caller::Account { id, key_hash },
        Ok(KeyOwner::Revoked) => Caller::Revoked,
        Ok(KeyOwner::Unknown) => Caller::Rejected,
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

/// The authenticated account of a request; 401 otherwise.
pub struct Authed(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ServerError> {
        match parts.extensions.get::<Caller>() {
            Some(Caller::Account { id, .. }) => Ok(Authed(id.clone())),
            Some(Caller::Anonymous | Caller::Rejected) => Err(ServerError::unauthorized()),
            Some(Caller::TwoKeys) => Err(ServerError::new(
                ErrorCode::InvalidRequest,
                "Send one Authorization header, not several.",
            )),
            Some(Caller::Revoked) => Err(ServerError::new(
                ErrorCode::ApiKeyRevoked,
                "This API key has been revoked; use the account's current key.",
            )),
            Some(Caller::LookupFailed) => Err(ServerError::internal("account lookup failed")),
            None => Err(ServerError::internal("the caller was not identified")),
        }
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

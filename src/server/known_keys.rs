//! The account keys this server has matched to an account lately, so a
//! request with one of them is counted against its key's rate limit without
//! a trip to the database first. Knowing a key here proves nothing: every
//! request is still checked against the database, in the same trip to the
//! blocking pool as its handler's queries (`auth::KeyHolder`), so a key
//! revoked by another process is refused at once. Only keys that matched an
//! account get in, so unknown keys cannot grow the map.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use subtle::ConstantTimeEq;

/// Far more accounts than one server serves at once; past it the map
/// starts over rather than choosing what to forget.
const MOST_KEYS: usize = 10_000;

#[derive(Default)]
pub struct KnownKeys {
    by_hash: Mutex<HashMap<[u8; 32], Known>>,
}

struct Known {
    key_hash: [u8; 32],
    account_id: String,
}

impl KnownKeys {
    /// The account that `key_hash` last matched. The map finds the entry by
    /// the hash, which tells an attacker nothing about the key; the final
    /// comparison is constant-time all the same, as in the database lookup.
    pub fn account_of(&self, key_hash: &[u8; 32]) -> Option<String> {
        let map = self.by_hash.lock().unwrap_or_else(PoisonError::into_inner);
        let known = map.get(key_hash)?;
        bool::from(known.key_hash.ct_eq(key_hash)).then(|| known.account_id.clone())
    }

    pub fn remember(&self, key_hash: [u8; 32], account_id: &str) {
        let mut map = self.by_hash.lock().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= MOST_KEYS && !map.contains_key(&key_hash) {
            map.clear();
        }
        map.insert(
            key_hash,
            Known {
                key_hash,
                account_id: account_id.to_owned(),
            },
        );
    }

    pub fn forget(&self, key_hash: &[u8; 32]) {
        self.by_hash
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_known_until_forgotten_and_only_as_its_own_account() {
        let keys = KnownKeys::default();
        assert_eq!(keys.account_of(&[1; 32]), None);
        keys.remember([1; 32], "acct-1");
        assert_eq!(keys.account_of(&[1; 32]).as_deref(), Some("acct-1"));
        assert_eq!(keys.account_of(&[2; 32]), None);
        keys.forget(&[1; 32]);
        assert_eq!(keys.account_of(&[1; 32]), None);
    }
}

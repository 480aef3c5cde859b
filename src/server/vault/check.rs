//! The key-check value: a known text sealed with the master key and kept in
//! the database, so a start with another key is told apart from a vault
//! that is merely empty, before anything is served or sealed under it.

use super::{MasterKey, Sealed, VaultError, aad, open_with, seal_with};

/// Not a secret: it only has to be the same at every start.
const CHECK_TEXT: &[u8] = b"voicedock.vault.key-check.v1";

fn aads() -> (Vec<u8>, Vec<u8>) {
    (
        aad(&["voicedock.vault.v1", "key-check"]),
        aad(&["voicedock.vault.v1", "key-check.data-key"]),
    )
}

pub fn seal_check(master: &MasterKey) -> Result<Sealed, VaultError> {
    let (value_aad, key_aad) = aads();
    seal_with(master, &value_aad, &key_aad, CHECK_TEXT)
}

/// Whether `master` is the key the check value was sealed with.
pub fn opens_check(master: &MasterKey, sealed: &Sealed) -> bool {
    let (value_aad, key_aad) = aads();
    open_with(master, &value_aad, &key_aad, sealed).is_ok_and(|text| text.as_slice() == CHECK_TEXT)
}

pub(super) fn key_aad() -> Vec<u8> {
    aads().1
}

pub(super) fn value_aad() -> Vec<u8> {
    aads().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::vault::{SecretRef, open};

    #[test]
    fn the_check_opens_with_its_key_only_and_is_no_provider_key() {
        let master = MasterKey::generate();
        let check = seal_check(&master).unwrap();
        assert!(opens_check(&master, &check));
        assert!(!opens_check(&MasterKey::generate(), &check));
        let at = SecretRef {
            account_id: "",
            provider: "",
            secret_id: "",
        };
        assert!(open(&master, at, &check).is_err());
    }
}

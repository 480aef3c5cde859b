//! A provider's settings, sealed like its key but for a purpose of their
//! own: a settings blob moved into the key's row (or back) fails to open.

use secrecy::SecretString;

use super::{MasterKey, Sealed, SecretRef, VaultError, open_with, seal_with};
use secrecy::ExposeSecret;
use zeroize::Zeroizing;

pub(super) const SETTINGS: &str = "provider-settings";
pub(super) const SETTINGS_DATA_KEY: &str = "settings-data-key";

/// `at.secret_id` is the settings row's own id.
pub fn seal_settings(
    master: &MasterKey,
    at: SecretRef,
    settings_json: &SecretString,
) -> Result<Sealed, VaultError> {
    seal_with(
        master,
        &at.aad(SETTINGS),
        &at.aad(SETTINGS_DATA_KEY),
        settings_json.expose_secret().as_bytes(),
    )
}

/// The settings' JSON text, wiped when dropped.
pub fn open_settings(
    master: &MasterKey,
    at: SecretRef,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    open_with(
        master,
        &at.aad(SETTINGS),
        &at.aad(SETTINGS_DATA_KEY),
        sealed,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::vault::{open, seal};

    #[test]
    fn settings_and_keys_do_not_open_as_each_other() {
        let master = MasterKey::generate();
        let at = SecretRef {
            account_id: "a",
            provider: "openai",
            secret_id: "s",
        };
        let text = SecretString::from(r#"{"organization":"org-1"}"#.to_owned());
        let sealed = seal_settings(&master, at, &text).unwrap();
        assert_eq!(
            &open_settings(&master, at, &sealed).unwrap()[..],
            text.expose_secret().as_bytes()
        );
        assert!(open(&master, at, &sealed).is_err());
        let key = seal(&master, at, &text).unwrap();
        assert!(open_settings(&master, at, &key).is_err());
    }
}

//! The secrets inside an assistant, sealed as one document per assistant.
//! The layer names are their own, so neither layer of an assistant's
//! ciphertext can ever be taken for a provider key's, even where the ids
//! happen to be the same strings.

use zeroize::Zeroizing;

use super::{MasterKey, Sealed, VaultError, aad, open_with, seal_with};

/// Where an assistant's secrets belong; bound into both layers' associated data.
#[derive(Debug, Clone, Copy)]
pub struct AssistantRef<'a> {
    pub account_id: &'a str,
    pub assistant_id: &'a str,
}

impl AssistantRef<'_> {
    pub(super) fn aad(&self, layer: &str) -> Vec<u8> {
        aad(&[
            "voicedock.vault.v1",
            layer,
            self.account_id,
            self.assistant_id,
        ])
    }
}

pub(super) const ASSISTANT_SECRETS: &str = "assistant-secrets";
pub(super) const ASSISTANT_DATA_KEY: &str = "assistant-secrets.data-key";

/// Seals the secrets of one assistant, as one document, to that assistant.
pub fn seal_assistant(
    master: &MasterKey,
    at: AssistantRef,
    plaintext: &[u8],
) -> Result<Sealed, VaultError> {
    seal_with(
        master,
        &at.aad(ASSISTANT_SECRETS),
        &at.aad(ASSISTANT_DATA_KEY),
        plaintext,
    )
}

pub fn open_assistant(
    master: &MasterKey,
    at: AssistantRef,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    open_with(
        master,
        &at.aad(ASSISTANT_SECRETS),
        &at.aad(ASSISTANT_DATA_KEY),
        sealed,
    )
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::server::vault::{SecretRef, open, seal};

    const PROVIDER_KEY: SecretRef = SecretRef {
        account_id: "acct-a",
        provider: "openai",
        secret_id: "s1",
    };

    #[test]
    fn assistant_secrets_open_only_for_their_assistant_and_never_as_a_key() {
        let master = MasterKey::generate();
        let at = AssistantRef {
            account_id: "acct-a",
            assistant_id: "s1",
        };
        let sealed = seal_assistant(&master, at, b"{\"webhook_secret\":\"w\"}").unwrap();
        assert_eq!(
            open_assistant(&master, at, &sealed).unwrap().as_slice(),
            b"{\"webhook_secret\":\"w\"}"
        );
        for other in [
            AssistantRef {
                account_id: "acct-b",
                ..at
            },
            AssistantRef {
                assistant_id: "s2",
                ..at
            },
        ] {
            assert!(
                open_assistant(&master, other, &sealed).is_err(),
                "{other:?}"
            );
        }
        // The same account and id as a provider key's: the purposes differ.
        let key = seal(
            &master,
            PROVIDER_KEY,
            &SecretString::from("sk-0123456789abcdefghij".to_owned()),
        )
        .unwrap();
        assert!(open_assistant(&master, at, &key).is_err());
        assert!(open(&master, PROVIDER_KEY, &sealed).is_err());
    }
}

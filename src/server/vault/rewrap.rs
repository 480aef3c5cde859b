//! Moving sealed values to a new master key: only the wrapped data key
//! changes; the encrypted value stays byte for byte.

use super::assistant::{ASSISTANT_DATA_KEY, ASSISTANT_SECRETS};
use super::{
    AssistantRef, MasterKey, Sealed, SecretRef, VaultError, check, encrypt, open_value, settings,
    unwrap_data_key,
};

/// What a sealed value belongs to, which decides both layers' associated data.
#[derive(Debug, Clone, Copy)]
pub enum Binding<'a> {
    ProviderKey(SecretRef<'a>),
    ProviderSettings(SecretRef<'a>),
    Assistant(AssistantRef<'a>),
    KeyCheck,
}

impl Binding<'_> {
    /// `(value, data key)`.
    fn aads(&self) -> (Vec<u8>, Vec<u8>) {
        match self {
            Binding::ProviderKey(at) => (at.aad("provider-key"), at.aad("data-key")),
            Binding::ProviderSettings(at) => (
                at.aad(settings::SETTINGS),
                at.aad(settings::SETTINGS_DATA_KEY),
            ),
            Binding::Assistant(at) => (at.aad(ASSISTANT_SECRETS), at.aad(ASSISTANT_DATA_KEY)),
            Binding::KeyCheck => (check::value_aad(), check::key_aad()),
        }
    }
}

/// The value opened with `old` (so a damaged one is never carried over as
/// if it were sound), its data key wrapped again with `new`.
pub fn rewrap(
    old: &MasterKey,
    new: &MasterKey,
    at: Binding,
    sealed: &Sealed,
) -> Result<Sealed, VaultError> {
    let (value_aad, key_aad) = at.aads();
    let data_key = unwrap_data_key(old, &key_aad, &sealed.wrapped_key)?;
    // Opened only to prove it sound; the plaintext is wiped as it drops.
    open_value(&data_key, &value_aad, &sealed.ciphertext)?;
    Ok(Sealed {
        wrapped_key: encrypt(&new.cipher(), &key_aad, &data_key)?,
        ciphertext: sealed.ciphertext.clone(),
    })
}

#[cfg(test)]
mod tests {
    use secrecy::{ExposeSecret, SecretString};

    use super::*;
    use crate::server::vault::{
        open, open_assistant, opens_check, seal, seal_assistant, seal_check,
    };

    #[test]
    fn a_rewrapped_value_opens_with_the_new_key_only() {
        let (old, new) = (MasterKey::generate(), MasterKey::generate());
        let key_at = SecretRef {
            account_id: "a",
            provider: "openai",
            secret_id: "s1",
        };
        let sealed = seal(
            &old,
            key_at,
            &SecretString::from("sk-rewrap-0123456789".to_owned()),
        )
        .unwrap();
        let moved = rewrap(&old, &new, Binding::ProviderKey(key_at), &sealed).unwrap();
        assert_eq!(moved.ciphertext, sealed.ciphertext);
        assert_eq!(
            open(&new, key_at, &moved).unwrap().expose_secret(),
            "sk-rewrap-0123456789"
        );
        assert!(open(&old, key_at, &moved).is_err());

        let assistant_at = AssistantRef {
            account_id: "a",
            assistant_id: "s1",
        };
        let sealed = seal_assistant(&old, assistant_at, b"{}").unwrap();
        let moved = rewrap(&old, &new, Binding::Assistant(assistant_at), &sealed).unwrap();
        assert_eq!(
            open_assistant(&new, assistant_at, &moved)
                .unwrap()
                .as_slice(),
            b"{}"
        );
        // Bound as the other kind, the same row does not move.
        assert!(rewrap(&old, &new, Binding::ProviderKey(key_at), &sealed).is_err());

        let check = rewrap(&old, &new, Binding::KeyCheck, &seal_check(&old).unwrap()).unwrap();
        assert!(opens_check(&new, &check) && !opens_check(&old, &check));
    }

    #[test]
    fn a_damaged_value_is_not_rewrapped() {
        let old = MasterKey::generate();
        let mut sealed = seal_check(&old).unwrap();
        let last = sealed.ciphertext.len() - 1;
        sealed.ciphertext[last] ^= 1;
        assert!(rewrap(&old, &MasterKey::generate(), Binding::KeyCheck, &sealed).is_err());
    }
}

//! Envelope encryption of secrets at rest: provider keys, and the secrets
//! inside an assistant (`webhook_secret`, a tool's `server.secret`).
//!
//! Each sealed value gets its own random data key, which encrypts it; the
//! master key wraps the data key. Both layers are XChaCha20-Poly1305 with
//! associated data naming what the value belongs to (account, provider and
//! secret id; or account and assistant id) and which layer and purpose it
//! is, so a ciphertext moved to another row, to the other layer or to the
//! other purpose fails to open instead of yielding someone else's secret.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use getrandom::SysRng;
use getrandom::rand_core::{Rng, UnwrapErr};
use secrecy::{ExposeSecret, SecretString};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

mod assistant;
mod check;
mod rewrap;
mod settings;

pub use assistant::{AssistantRef, open_assistant, seal_assistant};
pub use check::{opens_check, seal_check};
pub use rewrap::{Binding, rewrap};
pub use settings::{open_settings, seal_settings};

pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// Leads every sealed blob, so a later format can be told apart.
const FORMAT_V1: u8 = 1;

/// The key that wraps every data key. Wiped from memory when dropped.
#[derive(Clone)]
pub struct MasterKey([u8; KEY_LEN]);

impl Drop for MasterKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl ZeroizeOnDrop for MasterKey {}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        MasterKey(bytes)
    }

    pub fn generate() -> Self {
        let mut key = MasterKey([0u8; KEY_LEN]);
        // Filled in place, so no copy of the key is left unwiped; a system
        // without randomness cannot make a key, hence the panic.
        UnwrapErr(SysRng).fill_bytes(&mut key.0);
        key
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&self.0).into())
    }

    pub(crate) fn expose(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

/// Where a secret belongs; bound into both layers' associated data.
#[derive(Debug, Clone, Copy)]
pub struct SecretRef<'a> {
    pub account_id: &'a str,
    pub provider: &'a str,
    pub secret_id: &'a str,
}

/// A sealed value at rest: the wrapped data key and the encrypted value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub wrapped_key: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// Deliberately without detail: which check failed is of no use to a caller
/// and of some use to an attacker.
#[derive(Debug, thiserror::Error)]
#[error("the secret could not be encrypted or decrypted")]
pub struct VaultError;

/// Length-prefixed fields, so no choice of ids can make two AADs collide,
/// whatever their number of fields.
fn aad(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

impl SecretRef<'_> {
    /// Unchanged since the first release: keys sealed then still open.
    fn aad(&self, layer: &str) -> Vec<u8> {
        aad(&[
            "voicedock.vault.v1",
            layer,
            self.account_id,
            self.provider,
            self.secret_id,
        ])
    }
}

pub fn seal(
    master: &MasterKey,
    at: SecretRef,
    plaintext: &SecretString,
) -> Result<Sealed, VaultError> {
    seal_with(
        master,
        &at.aad("provider-key"),
        &at.aad("data-key"),
        plaintext.expose_secret().as_bytes(),
    )
}

pub fn open(
    master: &MasterKey,
    at: SecretRef,
    sealed: &Sealed,
) -> Result<SecretString, VaultError> {
    let plain = open_with(master, &at.aad("provider-key"), &at.aad("data-key"), sealed)?;
    let text = std::str::from_utf8(&plain).map_err(|_| VaultError)?;
    // Copied at exact capacity: converting the decrypted buffer itself would
    // reallocate and leave an unwiped copy behind.
    let mut exact = String::with_capacity(text.len());
    exact.push_str(text);
    Ok(SecretString::from(exact))
}

/// `value_aad` binds the encrypted value, `key_aad` the wrapped data key.
fn seal_with(
    master: &MasterKey,
    value_aad: &[u8],
    key_aad: &[u8],
    plaintext: &[u8],
) -> Result<Sealed, VaultError> {
    let mut data_key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(data_key.as_mut()).map_err(|_| VaultError)?;
    let data_cipher = XChaCha20Poly1305::new((&*data_key).into());
    let ciphertext = encrypt(&data_cipher, value_aad, plaintext)?;
    let wrapped_key = encrypt(&master.cipher(), key_aad, data_key.as_ref())?;
    Ok(Sealed {
        wrapped_key,
        ciphertext,
    })
}

fn open_with(
    master: &MasterKey,
    value_aad: &[u8],
    key_aad: &[u8],
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let data_key = unwrap_data_key(master, key_aad, &sealed.wrapped_key)?;
    open_value(&data_key, value_aad, &sealed.ciphertext)
}

fn unwrap_data_key(
    master: &MasterKey,
    key_aad: &[u8],
    wrapped_key: &[u8],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let data_key = Zeroizing::new(decrypt(&master.cipher(), key_aad, wrapped_key)?);
    if data_key.len() != KEY_LEN {
        return Err(VaultError);
    }
    Ok(data_key)
}

fn open_value(
    data_key: &[u8],
    value_aad: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let key = data_key.try_into().map_err(|_| VaultError)?;
    let data_cipher = XChaCha20Poly1305::new(key);
    Ok(Zeroizing::new(decrypt(
        &data_cipher,
        value_aad,
        ciphertext,
    )?))
}

fn encrypt(cipher: &XChaCha20Poly1305, aad: &[u8], msg: &[u8]) -> Result<Vec<u8>, VaultError> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce).map_err(|_| VaultError)?;
    let body = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg, aad })
        .map_err(|_| VaultError)?;
    let mut out = Vec::with_capacity(1 + NONCE_LEN + body.len());
    out.push(FORMAT_V1);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&body);
    Ok(out)
}

fn decrypt(cipher: &XChaCha20Poly1305, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, VaultError> {
    let Some((&FORMAT_V1, rest)) = blob.split_first() else {
        return Err(VaultError);
    };
    if rest.len() < NONCE_LEN {
        return Err(VaultError);
    }
    let (nonce, body) = rest.split_at(NONCE_LEN);
    let nonce = nonce.try_into().map_err(|_| VaultError)?;
    cipher
        .decrypt(nonce, Payload { msg: body, aad })
        .map_err(|_| VaultError)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: SecretRef = SecretRef {
        account_id: "acct-a",
        provider: "openai",
        secret_id: "s1",
    };
    const B: SecretRef = SecretRef {
        account_id: "acct-a",
        provider: "deepgram",
        secret_id: "s2",
    };

    fn key(text: &str) -> SecretString {
        SecretString::from(text.to_owned())
    }

    #[test]
    fn a_sealed_key_opens_only_where_it_was_sealed() {
        let master = MasterKey::generate();
        let sealed = seal(&master, A, &key("sk-0123456789abcdefghij")).unwrap();
        assert_eq!(
            open(&master, A, &sealed).unwrap().expose_secret(),
            "sk-0123456789abcdefghij"
        );
        for other in [
            SecretRef {
                account_id: "acct-b",
                ..A
            },
            SecretRef {
                provider: "deepgram",
                ..A
            },
            SecretRef {
                secret_id: "s9",
                ..A
            },
        ] {
            assert!(open(&master, other, &sealed).is_err(), "{other:?}");
        }
        assert!(open(&MasterKey::generate(), A, &sealed).is_err());
    }

    #[test]
    fn swapped_rows_fail_instead_of_returning_the_other_key() {
        let master = MasterKey::generate();
        let a = seal(&master, A, &key("sk-aaaaaaaaaaaaaaaaaaaa")).unwrap();
        let b = seal(&master, B, &key("bbbbbbbbbbbbbbbbbbbb")).unwrap();
        assert!(open(&master, A, &b).is_err());
        assert!(open(&master, B, &a).is_err());
        // Half swaps too: either layer alone out of place must fail.
        let mixed = Sealed {
            wrapped_key: a.wrapped_key.clone(),
            ciphertext: b.ciphertext.clone(),
        };
        assert!(open(&master, A, &mixed).is_err());
        assert!(open(&master, B, &mixed).is_err());
        let layers_swapped = Sealed {
            wrapped_key: a.ciphertext.clone(),
            ciphertext: a.wrapped_key.clone(),
        };
        assert!(open(&master, A, &layers_swapped).is_err());
    }

    #[test]
    fn the_ciphertext_does_not_contain_the_plaintext() {
        let master = MasterKey::generate();
        let sealed = seal(&master, A, &key("sk-plaintextplaintext")).unwrap();
        let needle = b"plaintext";
        for blob in [&sealed.wrapped_key, &sealed.ciphertext] {
            assert!(!blob.windows(needle.len()).any(|w| w == needle));
        }
        assert_eq!(format!("{master:?}"), "MasterKey([redacted])");
    }

    fn unhex(parts: &[&str]) -> Vec<u8> {
        let text = parts.concat();
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Sealed with chacha20poly1305 0.10, which the vault used until 0.11,
    /// under an all-sevens master key: a vault written then must still open
    /// whatever the crates under it become.
    #[test]
    fn a_value_sealed_with_chacha20poly1305_0_10_still_opens() {
        let sealed = Sealed {
            wrapped_key: unhex(&[
                "01320b242e08b6f20317729121c2c31b277804e0ccb92d6394e5daa32fe683b2",
                "23db70b3c20f713f8ab77e1a49d183a0cc394a081f908a665af4036ec86aecbc",
                "573a86fb77830b37e2",
            ]),
            ciphertext: unhex(&[
                "012a14627a3236f92fc97f8db6eb570cda075c27ce97b5ceadbdc11ed5c858b0",
                "3d6e55458493c00e3e3ff944c9870f98bd6859a45409c4174fccceac3cae87d8",
            ]),
        };
        let master = MasterKey::from_bytes([7; KEY_LEN]);
        assert_eq!(
            open(&master, A, &sealed).unwrap().expose_secret(),
            "sk-0123456789abcdefghij"
        );
    }

    #[test]
    fn a_sealed_blob_is_version_nonce_ciphertext_tag() {
        let master = MasterKey::generate();
        let sealed = seal(&master, A, &key("sk-0123456789abcdefghij")).unwrap();
        assert_eq!(sealed.wrapped_key.len(), 1 + NONCE_LEN + KEY_LEN + 16);
        assert_eq!(sealed.ciphertext.len(), 1 + NONCE_LEN + 23 + 16);
        assert_eq!(sealed.wrapped_key[0], FORMAT_V1);
        assert_eq!(sealed.ciphertext[0], FORMAT_V1);
    }
}

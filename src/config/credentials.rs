//! `credentials.toml`: one account API key per name (`[NAME] api_key = "…"`),
//! kept apart from `config.toml` so the config can be shared or shown and the
//! keys cannot. Written with mode 0600; refused when others may read it.

use std::collections::BTreeMap;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::files::{read_private, toml_error, write_atomic};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    api_key: SecretString,
}

/// The keys of every profile, and of the embedded server's own account under
/// the reserved name `local`.
#[derive(Default)]
pub struct Credentials {
    keys: BTreeMap<String, SecretString>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("names", &self.keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Empty when the file does not exist yet.
    pub fn load(path: &Path) -> anyhow::Result<Credentials> {
        let Some(text) = read_private(path)? else {
            return Ok(Credentials::default());
        };
        // toml's own message may quote a value, which may be a key.
        let entries: BTreeMap<String, Entry> = toml::from_str(&text).map_err(|e| {
            toml_error(
                path,
                &text,
                &e,
                Some("each entry is [NAME] with api_key = \"...\""),
            )
        })?;
        Ok(Credentials {
            keys: entries.into_iter().map(|(n, e)| (n, e.api_key)).collect(),
        })
    }

    /// Writes every key with mode 0600, atomically.
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        // Built by hand into one buffer reserved up front, so the only copy
        // of the keys' text is zeroized when it is dropped (a growing buffer
        // or toml's own values would leave copies behind in freed memory).
        let worst: usize = self
            .keys
            .iter()
            .map(|(name, key)| 6 * (name.len() + key.expose_secret().len()) + 32)
            .sum();
        let mut text = Zeroizing::new(String::with_capacity(worst));
        for (name, key) in &self.keys {
            text.push('[');
            push_key(&mut text, name);
            text.push_str("]\napi_key = ");
            push_quoted(&mut text, key.expose_secret());
            text.push_str("\n\n");
        }
        write_atomic(path, text.as_bytes(), 0o600)
    }

    pub fn get(&self, name: &str) -> Option<&SecretString> {
        self.keys.get(name)
    }

    pub fn set(&mut self, name: &str, api_key: SecretString) {
        self.keys.insert(name.to_owned(), api_key);
    }

    /// Whether there was a key for `name`.
    pub fn remove(&mut self, name: &str) -> bool {
        self.keys.remove(name).is_some()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

/// `NAME` as a bare TOML key when it can be one, so the file reads `[prod]`.
fn push_key(out: &mut String, name: &str) {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        out.push_str(name);
    } else {
        push_quoted(out, name);
    }
}

/// A TOML basic string.
fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    let digit = (c as u32 >> shift) & 0xF;
                    // A nibble is always a valid hex digit.
                    out.push(char::from_digit(digit, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("credentials.toml");
        let mut creds = Credentials::default();
        creds.set("prod", SecretString::from("fl_live_abc\"quoted\\back\u{1}"));
        creds.set("local", SecretString::from("vd_live_0123"));
        creds.set("eu.west", SecretString::from("fl_live_eu"));
        creds.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("[\"eu.west\"]\napi_key = \"fl_live_eu\"\n"),
            "{text}"
        );
        assert!(text.contains("\n[local]\n"), "{text}");
        let back = Credentials::load(&path).unwrap();
        assert_eq!(
            back.get("prod").unwrap().expose_secret(),
            "fl_live_abc\"quoted\\back\u{1}"
        );
        assert_eq!(
            back.names().collect::<Vec<_>>(),
            ["eu.west", "local", "prod"]
        );
        assert!(!format!("{back:?}").contains("vd_live_0123"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_broken_file_is_reported_without_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        write_atomic(&path, b"[prod]\napi_key = \"vd_live_secret\" x\n", 0o600).unwrap();
        let err = Credentials::load(&path).unwrap_err().to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("vd_live_secret"), "{err}");
    }
}

//! Where the master key comes from: the config (embedding and tests), else
//! `VOICEDOCK_MASTER_KEY` (base64 of 32 bytes), else `<data dir>/master.key`,
//! created 0600 on first start. A key file others can read is refused, since
//! it would make the encryption at rest decorative.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::vault::{KEY_LEN, MasterKey};

pub const MASTER_KEY_ENV: &str = "VOICEDOCK_MASTER_KEY";
pub const MASTER_KEY_FILE: &str = "master.key";

pub fn load(configured: Option<&MasterKey>, data_dir: &Path) -> anyhow::Result<MasterKey> {
    if let Some(key) = configured {
        return Ok(key.clone());
    }
    if let Some(text) = std::env::var_os(MASTER_KEY_ENV) {
        let text = Zeroizing::new(text.into_string().unwrap_or_default());
        return decode(&text)
            .with_context(|| format!("{MASTER_KEY_ENV} must be the base64 of {KEY_LEN} bytes"));
    }
    let path = data_dir.join(MASTER_KEY_FILE);
    match read_file(&path) {
        Err(e) if is_not_found(&e) => create_file(&path),
        other => other,
    }
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
}

fn decode(text: &str) -> anyhow::Result<MasterKey> {
    let bytes = Zeroizing::new(STANDARD.decode(text.trim()).context("not valid base64")?);
    let array: &[u8; KEY_LEN] = bytes
        .as_slice()
        .try_into()
        .with_context(|| format!("the key is {} bytes, not {KEY_LEN}", bytes.len()))?;
    Ok(MasterKey::from_bytes(*array))
}

fn read_file(path: &Path) -> anyhow::Result<MasterKey> {
    // The NotFound error stays the root cause so `load` can tell "create it".
    let mut file = std::fs::File::open(path)?;
    super::private::ensure_private(path, "the master key file", 0o600)?;
    let mut text = Zeroizing::new(String::new());
    file.read_to_string(&mut text)
        .with_context(|| format!("cannot read {}", path.display()))?;
    decode(&text).with_context(|| format!("{} does not hold a valid master key", path.display()))
}

/// Written whole to a temporary file, then linked into place: a crash never
/// leaves an empty or half-written key, and the link refuses to replace a
/// key another process created meanwhile (theirs is used instead).
fn create_file(path: &Path) -> anyhow::Result<MasterKey> {
    let key = MasterKey::generate();
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut text = Zeroizing::new(STANDARD.encode(key.expose()));
    text.push('\n');
    let written = options
        .open(&tmp)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        })
        .with_context(|| format!("cannot write {}", tmp.display()));
    let linked = written.and_then(|()| match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    });
    // The temporary name goes either way; failing to remove it hides nothing.
    let _ = std::fs::remove_file(&tmp);
    if linked? { Ok(key) } else { read_file(path) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_key_wins_and_a_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let configured = MasterKey::from_bytes([3; KEY_LEN]);
        let key = load(Some(&configured), dir.path()).unwrap();
        assert_eq!(key.expose(), configured.expose());
        assert!(
            !dir.path().join(MASTER_KEY_FILE).exists(),
            "nothing written"
        );

        let path = dir.path().join(MASTER_KEY_FILE);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options
            .open(&path)
            .unwrap()
            .write_all(STANDARD.encode([1u8; 16]).as_bytes())
            .unwrap();
        let err = format!("{:#}", read_file(&path).err().unwrap());
        assert!(
            err.contains(&path.display().to_string()) && err.contains("16 bytes"),
            "{err}"
        );
    }
}

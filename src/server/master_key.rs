//! Where the master key comes from: the config (embedding and tests), else
//! `VOICEDOCK_MASTER_KEY` (base64 of 32 bytes), else the key file:
//! `VOICEDOCK_MASTER_KEY_FILE` or `<data dir>/master.key`, created 0600 on
//! the first start of an empty vault only. A key file others can read is
//! refused, since it would make the encryption at rest decorative.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::vault::{KEY_LEN, MasterKey};

pub const MASTER_KEY_ENV: &str = "VOICEDOCK_MASTER_KEY";
pub const MASTER_KEY_FILE_ENV: &str = "VOICEDOCK_MASTER_KEY_FILE";
pub const MASTER_KEY_FILE: &str = "master.key";

/// Where this run's master key comes from.
pub enum Source {
    Configured(MasterKey),
    Env(MasterKey),
    File(PathBuf),
}

impl Source {
    pub fn find(configured: Option<&MasterKey>, data_dir: &Path) -> anyhow::Result<Source> {
        if let Some(key) = configured {
            return Ok(Source::Configured(key.clone()));
        }
        let in_env = std::env::var_os(MASTER_KEY_ENV);
        anyhow::ensure!(
            in_env.is_none() || file_from_env().is_none(),
            "both {MASTER_KEY_ENV} and {MASTER_KEY_FILE_ENV} are set; set only one of them"
        );
        if let Some(text) = in_env {
            let text = Zeroizing::new(text.into_string().unwrap_or_default());
            let key = decode(&text).with_context(|| {
                format!("{MASTER_KEY_ENV} must be the base64 of {KEY_LEN} bytes")
            })?;
            return Ok(Source::Env(key));
        }
        Ok(Source::File(file_path(data_dir)))
    }

    /// Names the source in a message, e.g. "the master key file /srv/master.key".
    pub fn describe(&self) -> String {
        match self {
            Source::Configured(_) => "the configured master key".to_owned(),
            Source::Env(_) => MASTER_KEY_ENV.to_owned(),
            Source::File(path) => format!("the master key file {}", path.display()),
        }
    }
}

/// The key file a run would use when `VOICEDOCK_MASTER_KEY` is not set.
pub fn file_path(data_dir: &Path) -> PathBuf {
    file_from_env().unwrap_or_else(|| data_dir.join(MASTER_KEY_FILE))
}

/// An empty value counts as unset, as a shell's `VAR=` means.
fn file_from_env() -> Option<PathBuf> {
    std::env::var_os(MASTER_KEY_FILE_ENV)
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
}

/// Where a rotation writes the new key before the database commits to it.
pub fn pending_path(key_file: &Path) -> PathBuf {
    let mut name = key_file.as_os_str().to_owned();
    name.push(".new");
    PathBuf::from(name)
}

pub fn is_not_found(e: &anyhow::Error) -> bool {
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

/// A missing file stays the root cause, so callers can tell "missing" by
/// [`is_not_found`].
pub fn read_file(path: &Path) -> anyhow::Result<MasterKey> {
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
pub fn create_file(path: &Path) -> anyhow::Result<MasterKey> {
    let key = MasterKey::generate();
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    let linked = write_new(&tmp, &key).and_then(|()| match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    });
    // The temporary name goes either way; failing to remove it hides nothing.
    let _ = std::fs::remove_file(&tmp);
    if !linked? {
        return read_file(path);
    }
    // Secrets are sealed under this key next: its name must outlive a crash.
    sync_parent(path)?;
    Ok(key)
}

/// Writes `key` to a file that must not exist yet, 0600, synced to disk.
pub fn write_new(path: &Path, key: &MasterKey) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut text = Zeroizing::new(STANDARD.encode(key.expose()));
    text.push('\n');
    options
        .open(path)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
        })
        .with_context(|| format!("cannot write {}", path.display()))?;
    // A rotation commits to this key right after: the file's name, not
    // only its bytes, must be on disk first.
    sync_parent(path)
}

/// Renames the pending key over the key file and syncs the directory, so
/// the rename itself survives a crash.
pub fn install_pending(key_file: &Path) -> anyhow::Result<()> {
    let pending = pending_path(key_file);
    std::fs::rename(&pending, key_file).with_context(|| {
        format!(
            "cannot move {} to {}",
            pending.display(),
            key_file.display()
        )
    })?;
    sync_parent(key_file)
}

/// Makes a new or renamed entry in `path`'s directory durable.
fn sync_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("cannot sync {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_configured_key_wins_and_a_bad_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let configured = MasterKey::from_bytes([3; KEY_LEN]);
        let Source::Configured(key) = Source::find(Some(&configured), dir.path()).unwrap() else {
            panic!("the configured key was not used");
        };
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

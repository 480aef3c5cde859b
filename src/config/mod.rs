//! Where the tool keeps its files, the profiles in `config.toml` and which
//! service and key a run talks to.

mod credentials;
mod files;
mod lock;
mod resolve;
mod voices;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

pub use credentials::Credentials;
pub use lock::FileLock;
pub use resolve::{ProfileKind, Resolved, resolve};
pub use voices::{VoiceCache, voice_cache_file};

const LOCAL_LOCK_FILE: &str = "local-account.lock";

/// The embedded server's own account: a name in `credentials.toml`, never a
/// profile in `config.toml` (its port changes on every start).
pub const LOCAL: &str = "local";
/// The `Resolved::profile` of a run configured by the environment.
pub const ENV_PROFILE: &str = "env";

pub const CONFIG_DIR_VAR: &str = "VOICEDOCK_CONFIG_DIR";
pub const DATA_DIR_VAR: &str = "VOICEDOCK_DATA_DIR";
pub const CACHE_DIR_VAR: &str = "VOICEDOCK_CACHE_DIR";
pub const BASE_URL_VAR: &str = "VOICEDOCK_BASE_URL";
pub const API_KEY_VAR: &str = "VOICEDOCK_API_KEY";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub config_file: PathBuf,
    pub credentials_file: PathBuf,
    /// Held while the embedded server's account is checked and created, so
    /// runs that start at once agree on one account.
    pub local_lock_file: PathBuf,
    pub data_dir: PathBuf,
    /// What can be fetched again: the voices of each profile's library.
    pub cache_dir: PathBuf,
}

/// The platform's directories for "voicedock", each overridable by
/// `VOICEDOCK_CONFIG_DIR` / `VOICEDOCK_DATA_DIR` / `VOICEDOCK_CACHE_DIR`.
pub fn paths() -> anyhow::Result<Paths> {
    let dirs = directories::ProjectDirs::from("", "", "voicedock");
    let pick = |var: &str, default: Option<&Path>| -> anyhow::Result<PathBuf> {
        match std::env::var_os(var).filter(|v| !v.is_empty()) {
            Some(dir) => Ok(PathBuf::from(dir)),
            None => default
                .map(Path::to_path_buf)
                .with_context(|| format!("cannot find a home directory; set {var} to a directory")),
        }
    };
    let config_dir = pick(CONFIG_DIR_VAR, dirs.as_ref().map(|d| d.config_dir()))?;
    let data_dir = pick(DATA_DIR_VAR, dirs.as_ref().map(|d| d.data_dir()))?;
    let cache_dir = pick(CACHE_DIR_VAR, dirs.as_ref().map(|d| d.cache_dir()))?;
    Ok(Paths {
        cache_dir,
        config_file: config_dir.join("config.toml"),
        credentials_file: config_dir.join("credentials.toml"),
        local_lock_file: config_dir.join(LOCAL_LOCK_FILE),
        config_dir,
        data_dir,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub base_url: String,
}

/// `config.toml`. Unknown keys are an error rather than silently dropped on
/// the next save.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// The console's key overrides: action name → keys, e.g. `save = ["ctrl-s", "f2"]`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub keys: BTreeMap<String, Vec<String>>,
    /// How often the console checks the server and reloads its lists by
    /// itself, in seconds; 0 turns it off. 10 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_seconds: Option<u64>,
    /// The console's colours: one of `console::theme::Theme::NAMES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Whether the console takes clicks and the wheel; off when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mouse: Option<bool>,
}

impl Config {
    /// Empty when the file does not exist yet; refused when others may
    /// write it.
    pub fn load(path: &Path) -> anyhow::Result<Config> {
        let Some(text) = files::read_not_shared(path)? else {
            return Ok(Config::default());
        };
        toml::from_str(&text).map_err(|e| files::toml_error(path, &text, &e, None))
    }

    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        let text = toml::to_string(self).context("cannot encode the config file")?;
        files::write_atomic(path, text.as_bytes(), 0o644)
    }
}

/// A profile name: short, printable in a table and a TOML key, and not the
/// embedded server's reserved name.
pub fn validate_profile_name(name: &str) -> anyhow::Result<()> {
    if name == LOCAL {
        bail!(
            "the profile name \"{LOCAL}\" is reserved for the embedded server's own account; \
             pick another name"
        );
    }
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        bail!("a profile name is 1–64 of A–Z, a–z, 0–9, '-', '_' and '.' (got {name:?})");
    }
    Ok(())
}

/// Every path under one directory, as the tests lay them out.
#[cfg(test)]
pub(crate) fn paths_in(dir: &Path) -> Paths {
    Paths {
        config_dir: dir.to_path_buf(),
        config_file: dir.join("config.toml"),
        credentials_file: dir.join("credentials.toml"),
        local_lock_file: dir.join(LOCAL_LOCK_FILE),
        data_dir: dir.join("data"),
        cache_dir: dir.join("cache"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_round_trips_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths_in(dir.path());
        let mut config = Config::default();
        config.profiles.insert(
            "prod".into(),
            Profile {
                base_url: "https://api.example.com".into(),
            },
        );
        config.default_profile = Some("prod".into());
        config.save(&p.config_file).unwrap();
        let text = std::fs::read_to_string(&p.config_file).unwrap();
        assert!(text.contains("default_profile = \"prod\""), "{text}");
        assert!(text.contains("[profiles.prod]"), "{text}");
        assert_eq!(Config::load(&p.config_file).unwrap(), config);

        std::fs::write(&p.config_file, "default_profle = \"prod\"\n").unwrap();
        let err = format!("{:#}", Config::load(&p.config_file).unwrap_err());
        // Where it is and what may be there; not what was found, which
        // could be a pasted key.
        assert!(err.contains("line 1, column 1"), "{err}");
        assert!(err.contains("expected one of `default_profile`"), "{err}");
        assert!(!err.contains("default_profle"), "{err}");
    }

    #[test]
    fn profile_names_are_checked() {
        assert!(validate_profile_name("prod-eu.1").is_ok());
        assert!(validate_profile_name("local").is_err());
        assert!(validate_profile_name("").is_err());
        assert!(validate_profile_name("a b").is_err());
    }
}

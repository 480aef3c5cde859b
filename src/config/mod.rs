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
pub(crate) use files::create_private_dir;
pub(crate) use files::write_atomic;
pub use lock::FileLock;
pub use resolve::{ChoiceError, ProfileKind, Resolved, notice, resolve};
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
pub const STATE_DIR_VAR: &str = "VOICEDOCK_STATE_DIR";
/// The console's record of its API calls, in the state dir.
pub const ACTIVITY_LOG_FILE: &str = "activity.log";
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
    /// What is worth keeping but is neither a setting nor data: logs.
    pub state_dir: PathBuf,
    /// One line per API call the console made (no bodies, no keys).
    pub activity_log_file: PathBuf,
}

/// The platform's directories for "voicedock", each overridable by
/// `VOICEDOCK_CONFIG_DIR` / `VOICEDOCK_DATA_DIR` / `VOICEDOCK_CACHE_DIR` /
/// `VOICEDOCK_STATE_DIR`.
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
    // Only Linux has a state dir; elsewhere it lives beside the data.
    let state_default = dirs.as_ref().map(|d| {
        d.state_dir()
            .map_or_else(|| d.data_local_dir().join("state"), Path::to_path_buf)
    });
    let state_dir = pick(STATE_DIR_VAR, state_default.as_deref())?;
    Ok(Paths {
        activity_log_file: state_dir.join(ACTIVITY_LOG_FILE),
        state_dir,
        cache_dir,
        config_file: config_dir.join("config.toml"),
        credentials_file: config_dir.join("credentials.toml"),
        local_lock_file: config_dir.join(LOCAL_LOCK_FILE),
        config_dir,
        data_dir,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub base_url: String,
    /// The console only browses this profile: nothing can be changed, and
    /// `:readonly` cannot turn it off (only this file can).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// How the console's header shows the profile: a colour name (`red`,
    /// `light-blue`), `#rrggbb` or a palette index, so production never
    /// looks like staging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The organization whose key this profile holds, when `orgs create`
    /// made it: how the console's `:orgs` finds the profile of a child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
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
    /// How the console copies: `auto` (the default), `osc52` or `command`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clipboard: Option<ClipboardMode>,
    /// The program the console hands copied text to on stdin, with its
    /// arguments, e.g. `["wl-copy"]` or `["xclip", "-selection", "clipboard"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clipboard_command: Option<Vec<String>>,
    /// The console's colours: one of `console::theme::Theme::NAMES`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Whether the console takes clicks and the wheel; off when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mouse: Option<bool>,
}

/// `clipboard` in config.toml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardMode {
    /// `clipboard_command` when it is there and the console is not run
    /// over SSH, else OSC 52.
    #[default]
    Auto,
    /// Always the terminal's OSC 52, which works over SSH.
    Osc52,
    /// Always `clipboard_command`.
    Command,
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
        state_dir: dir.join("state"),
        activity_log_file: dir.join("state").join(ACTIVITY_LOG_FILE),
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
                ..Profile::default()
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

//! Profiles as the console sees them: whom a profile's server state talks
//! to (its colour, whether it may change anything, where it can switch
//! to), and opening another profile's session while the current one stays
//! on screen.

use std::sync::Arc;
use std::time::Duration;

use ratatui::style::Color;

use super::keymap::Keymap;
use crate::config::{self, Config, LOCAL};
use crate::domain::Catalog;
use crate::session::Session;

pub use crate::config::ProfileKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    /// The header's colour for it, from config.toml; `None` picks one by kind.
    pub color: Option<Color>,
}

impl Profile {
    pub fn local() -> Profile {
        Profile {
            name: "local".into(),
            kind: ProfileKind::Local,
            color: None,
        }
    }

    pub fn env() -> Profile {
        Profile {
            name: "env".into(),
            kind: ProfileKind::Env,
            color: None,
        }
    }

    pub fn named(name: impl Into<String>) -> Profile {
        let name = name.into();
        Profile {
            kind: ProfileKind::Named(name.clone()),
            name,
            color: None,
        }
    }
}

/// A profile's server as config.toml describes it: what a `ServerState`
/// starts from.
#[derive(Debug, Clone)]
pub struct ServerProfile {
    pub profile: Profile,
    pub base_url: String,
    /// Why this profile is read-only whatever `:readonly` says
    /// (`--read-only`, or the profile's `read_only = true`).
    pub read_only_fixed: Option<String>,
    /// The profiles `:profile` can switch to, the embedded server's
    /// `local` among them.
    pub profiles: Vec<String>,
    /// `(organization id, profile)` for each profile `orgs create` made.
    pub org_profiles: Vec<(String, String)>,
}

impl ServerProfile {
    pub fn new(profile: Profile, base_url: impl Into<String>) -> ServerProfile {
        ServerProfile {
            profile,
            base_url: base_url.into(),
            read_only_fixed: None,
            profiles: Vec::new(),
            org_profiles: Vec::new(),
        }
    }
}

/// What the user set once for every session of this run: the keys, the
/// refresh period and `--read-only`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub refresh_every: Option<Duration>,
    /// `--read-only` holds for every profile switched to.
    pub read_only: bool,
    pub clipboard: super::clipboard::Clipboard,
    pub theme: super::theme::Theme,
    pub mouse: bool,
    /// `$VISUAL`, else `$EDITOR`, else `vi` (`external_edit::editor_command`).
    pub editor: String,
}

/// A session opened for a switch, with its profile's description.
pub struct Opened {
    pub session: Session,
    pub server: ServerProfile,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opened({})", self.server.profile.name)
    }
}

/// Opens `name`'s session and describes its profile. Checked before anything starts:
/// a profile whose settings are wrong is refused without a server started.
pub async fn open(
    name: &str,
    settings: &Settings,
    catalog: Arc<Catalog>,
) -> anyhow::Result<Opened> {
    let config = Config::load(&config::paths()?.config_file)?;
    if name != LOCAL && !config.profiles.contains_key(name) {
        anyhow::bail!(
            "there is no profile named {name:?}; profiles: {}",
            switchable(&config).join(", ")
        );
    }
    describe(&config, name)?;
    // A profile named is used even when the environment names a server.
    let session = Session::open(Some(name), || catalog).await?;
    let server = server_profile(&session, &config, settings)?;
    Ok(Opened { session, server })
}

/// A session's profile as config.toml describes it, read-only if
/// `--read-only` or the profile says so.
pub fn server_profile(
    session: &Session,
    config: &Config,
    settings: &Settings,
) -> anyhow::Result<ServerProfile> {
    let (profile_read_only, color) = describe(config, &session.profile)?;
    let read_only_fixed = if settings.read_only {
        Some("the console was started with --read-only".to_owned())
    } else if profile_read_only {
        Some(format!(
            "profile {} has read_only = true in config.toml",
            session.profile
        ))
    } else {
        None
    };
    Ok(ServerProfile {
        profile: Profile {
            name: session.profile.clone(),
            kind: session.kind.clone(),
            color,
        },
        base_url: session.client.base_url().to_owned(),
        read_only_fixed,
        // The environment pins the server: there is nothing to switch to.
        profiles: match session.kind {
            ProfileKind::Env => Vec::new(),
            _ => switchable(config),
        },
        org_profiles: config
            .profiles
            .iter()
            .filter_map(|(name, p)| Some((p.org_id.clone()?, name.clone())))
            .collect(),
    })
}

/// Why a session configured by the environment has nothing to switch to.
pub fn pinned_by_environment() -> String {
    format!(
        "{} and {} choose the server for this run; unset them to switch profiles",
        config::BASE_URL_VAR,
        config::API_KEY_VAR
    )
}

/// What `switchable` gives for the config file at `path`, read now.
pub fn switchable_in(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    Ok(switchable(&Config::load(path)?))
}

/// The embedded server's `local`, then config.toml's profiles.
pub fn switchable(config: &Config) -> Vec<String> {
    std::iter::once(LOCAL.to_owned())
        .chain(config.profiles.keys().cloned())
        .collect()
}

/// A profile's `read_only` and `color`; an unreadable colour is an error
/// that names the profile, so a typo never turns production's header grey.
fn describe(config: &Config, name: &str) -> anyhow::Result<(bool, Option<Color>)> {
    let Some(profile) = config.profiles.get(name) else {
        return Ok((false, None));
    };
    let color = match &profile.color {
        None => None,
        Some(text) => Some(text.parse::<Color>().map_err(|_| {
            anyhow::anyhow!(
                "profile {name}: color = {text:?} is not a colour; give a name (red, \
                 light-blue), #rrggbb or a palette index 0–255"
            )
        })?),
    };
    Ok((profile.read_only, color))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile as Configured;

    fn config_with(name: &str, profile: Configured) -> Config {
        let mut config = Config::default();
        config.profiles.insert(name.into(), profile);
        config
    }

    #[test]
    fn a_profile_gives_its_colour_and_read_only() {
        let config = config_with(
            "prod",
            Configured {
                base_url: "http://127.0.0.1:1".into(),
                read_only: true,
                color: Some("#ff0000".into()),
                ..Configured::default()
            },
        );
        assert_eq!(
            describe(&config, "prod").unwrap(),
            (true, Some(Color::Rgb(255, 0, 0)))
        );
        assert_eq!(describe(&config, LOCAL).unwrap(), (false, None));
        assert_eq!(switchable(&config), ["local", "prod"]);
    }

    #[test]
    fn a_colour_that_is_not_one_is_refused_by_name() {
        let config = config_with(
            "prod",
            Configured {
                base_url: "http://127.0.0.1:1".into(),
                color: Some("redd".into()),
                ..Configured::default()
            },
        );
        let err = describe(&config, "prod").unwrap_err().to_string();
        assert!(
            err.contains("profile prod") && err.contains("\"redd\""),
            "{err}"
        );
    }
}

//! Profiles as contexts: what a console session on a profile is run with
//! (its colour, whether it may change anything, where it can switch to),
//! and opening another profile's session while the current one stays on
//! screen.

use std::sync::Arc;
use std::time::Duration;

use ratatui::style::Color;

use super::context::{Context, Profile};
use super::keymap::Keymap;
use crate::config::{self, Config, LOCAL, ProfileKind};
use crate::domain::Catalog;
use crate::session::Session;

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

/// A session opened for a switch, with the context it runs in.
pub struct Opened {
    pub session: Session,
    pub cx: Context,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opened({})", self.cx.profile.name)
    }
}

/// Opens `name`'s session and its context. Checked before anything starts:
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
    let cx = context_for(&session, &config, settings)?;
    Ok(Opened { session, cx })
}

/// The context of a session: its profile as config.toml describes it, and
/// read-only if `--read-only` or the profile says so.
pub fn context_for(
    session: &Session,
    config: &Config,
    settings: &Settings,
) -> anyhow::Result<Context> {
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
    Ok(Context {
        keymap: settings.keymap.clone(),
        profile: Profile {
            name: session.profile.clone(),
            kind: session.kind.clone(),
            color,
        },
        base_url: session.client.base_url().to_owned(),
        read_only: read_only_fixed.is_some(),
        read_only_fixed,
        // The environment pins the server: there is nothing to switch to.
        profiles: match session.kind {
            ProfileKind::Env => Vec::new(),
            _ => switchable(config),
        },
        refresh_every: settings.refresh_every,
        clipboard: settings.clipboard.clone(),
        theme: settings.theme.clone(),
        mouse: settings.mouse,
        editor: settings.editor.clone(),
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

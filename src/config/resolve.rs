//! Which service and key a run talks to: the environment's, a profile's, or
//! (`None`) the embedded server's.

use anyhow::bail;
use secrecy::SecretString;

use super::{API_KEY_VAR, BASE_URL_VAR, Config, Credentials, ENV_PROFILE, LOCAL, Paths};

/// Where a run's service and key come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileKind {
    /// The embedded server on the local data dir, with its own account.
    Local,
    /// `VOICEDOCK_BASE_URL` and `VOICEDOCK_API_KEY`.
    Env,
    /// A profile of `config.toml`.
    Named(String),
}

impl ProfileKind {
    /// The name files kept per profile (the voice cache) go under.
    pub fn cache_name(&self) -> &str {
        match self {
            ProfileKind::Local => super::LOCAL,
            ProfileKind::Env => super::ENV_PROFILE,
            ProfileKind::Named(name) => name,
        }
    }
}

/// The service and key a run talks to.
#[derive(Debug)]
pub struct Resolved {
    pub kind: ProfileKind,
    /// How the status bar and messages name it.
    pub profile: String,
    pub base_url: String,
    pub api_key: SecretString,
}

/// `VOICEDOCK_BASE_URL` + `VOICEDOCK_API_KEY` win; then `profile`, then the
/// default profile. `Ok(None)` when none is chosen, or when `local` is: the
/// embedded server then runs on the local data dir (see `crate::session`).
pub fn resolve(paths: &Paths, profile: Option<&str>) -> anyhow::Result<Option<Resolved>> {
    resolve_with(paths, profile, &|name| std::env::var(name).ok())
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn resolve_with(
    paths: &Paths,
    profile: Option<&str>,
    env: Env,
) -> anyhow::Result<Option<Resolved>> {
    if let Some(resolved) = from_env(env)? {
        return Ok(Some(resolved));
    }
    let config = Config::load(&paths.config_file)?;
    let Some(name) = profile.or(config.default_profile.as_deref()) else {
        return Ok(None);
    };
    if name == LOCAL {
        return Ok(None);
    }
    let Some(found) = config.profiles.get(name) else {
        bail!(
            "there is no profile named {name:?} in '{}'; `voicedock profile ls` lists them",
            paths.config_file.display()
        );
    };
    let credentials = Credentials::load(&paths.credentials_file)?;
    let Some(api_key) = credentials.get(name) else {
        bail!(
            "profile {name:?} has no API key in '{}'; run `voicedock profile add {name} \
             --base-url {}` to enter it",
            paths.credentials_file.display(),
            found.base_url
        );
    };
    Ok(Some(Resolved {
        kind: ProfileKind::Named(name.to_owned()),
        profile: name.to_owned(),
        base_url: found.base_url.clone(),
        api_key: api_key.clone(),
    }))
}

fn from_env(env: Env) -> anyhow::Result<Option<Resolved>> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    match (var(BASE_URL_VAR), var(API_KEY_VAR)) {
        (Some(base_url), Some(api_key)) => Ok(Some(Resolved {
            kind: ProfileKind::Env,
            profile: ENV_PROFILE.to_owned(),
            base_url,
            api_key: SecretString::from(api_key.trim().to_owned()),
        })),
        (None, None) => Ok(None),
        (Some(_), None) => {
            bail!("{BASE_URL_VAR} is set but {API_KEY_VAR} is not; set both, or neither")
        }
        (None, Some(_)) => {
            bail!("{API_KEY_VAR} is set but {BASE_URL_VAR} is not; set both, or neither")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Profile, paths_in};

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn resolve_reads_the_default_profile_and_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths_in(dir.path());
        assert!(resolve_with(&p, None, &no_env).unwrap().is_none());
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
        let err = resolve_with(&p, None, &no_env).unwrap_err().to_string();
        assert!(err.contains("no API key"), "{err}");
        let mut creds = Credentials::default();
        creds.set("prod", SecretString::from("fl_live_x"));
        creds.save(&p.credentials_file).unwrap();
        let r = resolve_with(&p, None, &no_env).unwrap().unwrap();
        assert_eq!(
            (r.profile.as_str(), r.base_url.as_str()),
            ("prod", "https://api.example.com")
        );
        assert_eq!(r.kind, ProfileKind::Named("prod".into()));
        assert!(resolve_with(&p, Some(LOCAL), &no_env).unwrap().is_none());
        let err = resolve_with(&p, Some("nope"), &no_env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no profile named \"nope\""), "{err}");
    }

    #[test]
    fn the_environment_wins_and_needs_both_variables() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths_in(dir.path());
        let both = |name: &str| match name {
            BASE_URL_VAR => Some("http://127.0.0.1:1".to_owned()),
            API_KEY_VAR => Some(" vd_live_k\n".to_owned()),
            _ => None,
        };
        let r = resolve_with(&p, Some("prod"), &both).unwrap().unwrap();
        assert_eq!(
            (r.kind, r.profile.as_str()),
            (ProfileKind::Env, ENV_PROFILE)
        );
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&r.api_key),
            "vd_live_k"
        );
        let url_only = |name: &str| (name == BASE_URL_VAR).then(|| "http://h".to_owned());
        let err = resolve_with(&p, None, &url_only).unwrap_err().to_string();
        assert!(err.contains("VOICEDOCK_API_KEY is not"), "{err}");
        let key_only = |name: &str| (name == API_KEY_VAR).then(|| "k".to_owned());
        let err = resolve_with(&p, None, &key_only).unwrap_err().to_string();
        assert!(err.contains("VOICEDOCK_BASE_URL is not"), "{err}");
    }
}

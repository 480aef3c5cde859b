//! Which service and key a run talks to: a profile's (`--profile` first),
//! the environment's, or (`None`) the embedded server's.

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

/// A choice of service that cannot be made: an unknown profile, or half of
/// the environment's pair. A usage error (exit 2), said before anything
/// starts.
#[derive(Debug)]
pub struct ChoiceError(String);

impl std::fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChoiceError {}

/// `profile` (from `--profile`) wins: it is the more deliberate choice, and
/// the environment may be left over from another task. Without it,
/// `VOICEDOCK_BASE_URL` + `VOICEDOCK_API_KEY`, then the default profile.
/// `Ok(None)` when none is chosen, or when `local` is: the embedded server
/// then runs on the local data dir (see `crate::session`).
pub fn resolve(paths: &Paths, profile: Option<&str>) -> anyhow::Result<Option<Resolved>> {
    resolve_with(paths, profile, &|name| std::env::var(name).ok())
}

/// What the run says once on stderr about where it goes when the
/// environment has a say: the server it names (never the key), or that
/// `--profile` put it aside.
pub fn notice(profile: Option<&str>) -> Option<String> {
    notice_with(profile, &|name| std::env::var(name).ok())
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

fn set(env: Env, name: &str) -> Option<String> {
    env(name).filter(|v| !v.trim().is_empty())
}

fn notice_with(profile: Option<&str>, env: Env) -> Option<String> {
    let given: Vec<&str> = [BASE_URL_VAR, API_KEY_VAR]
        .into_iter()
        .filter(|name| set(env, name).is_some())
        .collect();
    match (profile, given.as_slice()) {
        (_, []) => None,
        (Some(name), [one]) => Some(format!(
            "using profile {name} (--profile); {one} is set and not used"
        )),
        (Some(name), _) => Some(format!(
            "using profile {name} (--profile); {BASE_URL_VAR} and {API_KEY_VAR} are set and \
             not used"
        )),
        (None, _) => set(env, BASE_URL_VAR).map(|url| {
            format!(
                "using {BASE_URL_VAR}={}  (environment)",
                without_user_info(url.trim())
            )
        }),
    }
}

/// A URL may carry a user and password; the notice names only the server.
fn without_user_info(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            // Only a URL that cannot be a base refuses these; it has no user either.
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

fn resolve_with(
    paths: &Paths,
    profile: Option<&str>,
    env: Env,
) -> anyhow::Result<Option<Resolved>> {
    if profile.is_none()
        && let Some(resolved) = from_env(env)?
    {
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
        let known: Vec<&str> = std::iter::once(LOCAL)
            .chain(config.profiles.keys().map(String::as_str))
            .collect();
        return Err(ChoiceError(format!(
            "there is no profile named {name:?} in '{}'; the profiles are: {} \
             (`voicedock profile ls` lists them)",
            paths.config_file.display(),
            known.join(", ")
        ))
        .into());
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
    let half = |given: &str, missing: &str| {
        ChoiceError(format!(
            "{given} is set but {missing} is not; set both, or neither (--profile NAME uses a \
             profile and leaves them aside)"
        ))
    };
    match (set(env, BASE_URL_VAR), set(env, API_KEY_VAR)) {
        (Some(base_url), Some(api_key)) => Ok(Some(Resolved {
            kind: ProfileKind::Env,
            profile: ENV_PROFILE.to_owned(),
            base_url,
            api_key: SecretString::from(api_key.trim().to_owned()),
        })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(half(BASE_URL_VAR, API_KEY_VAR).into()),
        (None, Some(_)) => Err(half(API_KEY_VAR, BASE_URL_VAR).into()),
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
        assert!(err.contains("the profiles are: local, prod"), "{err}");
    }

    #[test]
    fn the_environment_needs_both_variables_and_gives_way_to_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        let p = paths_in(dir.path());
        let both = |name: &str| match name {
            BASE_URL_VAR => Some("http://user:pw@127.0.0.1:1".to_owned()),
            API_KEY_VAR => Some(" vd_live_k\n".to_owned()),
            _ => None,
        };
        let r = resolve_with(&p, None, &both).unwrap().unwrap();
        assert_eq!(
            (r.kind, r.profile.as_str()),
            (ProfileKind::Env, ENV_PROFILE)
        );
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&r.api_key),
            "vd_live_k"
        );
        assert_eq!(
            notice_with(None, &both).unwrap(),
            "using VOICEDOCK_BASE_URL=http://127.0.0.1:1/  (environment)"
        );
        assert!(resolve_with(&p, Some(LOCAL), &both).unwrap().is_none());
        let err = resolve_with(&p, Some("prod"), &both).unwrap_err();
        assert!(err.downcast_ref::<ChoiceError>().is_some(), "{err}");
        let said = notice_with(Some("prod"), &both).unwrap();
        assert!(
            said.contains("VOICEDOCK_API_KEY are set and not used"),
            "{said}"
        );
        assert!(!said.contains("vd_live"), "{said}");

        let url_only = |name: &str| (name == BASE_URL_VAR).then(|| "http://h".to_owned());
        let err = resolve_with(&p, None, &url_only).unwrap_err();
        assert!(
            err.to_string().contains("VOICEDOCK_API_KEY is not"),
            "{err}"
        );
        assert!(err.downcast_ref::<ChoiceError>().is_some());
        assert!(resolve_with(&p, Some(LOCAL), &url_only).unwrap().is_none());
        let said = notice_with(Some(LOCAL), &url_only).unwrap();
        assert!(
            said.ends_with("VOICEDOCK_BASE_URL is set and not used"),
            "{said}"
        );
        let key_only = |name: &str| (name == API_KEY_VAR).then(|| "k".to_owned());
        let err = resolve_with(&p, None, &key_only).unwrap_err().to_string();
        assert!(err.contains("VOICEDOCK_BASE_URL is not"), "{err}");
        assert_eq!(notice_with(None, &no_env), None);
    }
}

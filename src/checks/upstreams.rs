//! Where each provider's API lives. The defaults are the providers' public
//! API hosts; `VOICEDOCK_UPSTREAM_<PROVIDER>` (for example
//! `VOICEDOCK_UPSTREAM_OPENAI=http://127.0.0.1:9000`) points one elsewhere,
//! for a corporate proxy or a stand-in under test.

use std::collections::BTreeMap;
use std::time::Duration;

/// The variable prefix; the provider id follows in capitals.
pub const UPSTREAM_VAR_PREFIX: &str = "VOICEDOCK_UPSTREAM_";
/// A whole check's time limit, in milliseconds, when not the default.
pub const CHECK_TIMEOUT_VAR: &str = "VOICEDOCK_CHECK_TIMEOUT_MS";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Google's token endpoint, used to turn a Vertex service account into an
/// access token; overridden as the upstream `google_oauth`.
pub const GOOGLE_OAUTH: &str = "google_oauth";

/// Each host as the provider documents it.
const DEFAULTS: &[(&str, &str)] = &[
    ("deepgram", "https://api.deepgram.com"),
    ("openai", "https://api.openai.com"),
    ("elevenlabs", "https://api.elevenlabs.io"),
    ("resend", "https://api.resend.com"),
    ("xai", "https://api.x.ai"),
    ("gladia", "https://api.gladia.io"),
    ("mistral", "https://api.mistral.ai"),
    ("inworld", "https://api.inworld.ai"),
    ("google", "https://generativelanguage.googleapis.com"),
    (
        "google_vertex",
        "https://europe-west4-aiplatform.googleapis.com",
    ),
    (GOOGLE_OAUTH, "https://oauth2.googleapis.com"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstreams {
    overrides: BTreeMap<String, String>,
    pub timeout: Duration,
}

impl Default for Upstreams {
    fn default() -> Self {
        Upstreams {
            overrides: BTreeMap::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl Upstreams {
    /// The defaults with this process's environment applied.
    pub fn from_env() -> Result<Upstreams, BadUpstream> {
        Upstreams::from_vars(std::env::vars())
    }

    /// Each `VOICEDOCK_UPSTREAM_<PROVIDER>` must be `http(s)://host[:port][/path]`:
    /// a login in it would be sent instead of the key (and printed with
    /// every call), and a query or fragment would travel with every call.
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Upstreams, BadUpstream> {
        let mut upstreams = Upstreams::default();
        for (name, value) in vars {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if name == CHECK_TIMEOUT_VAR {
                if let Ok(ms) = value.parse::<u64>() {
                    // Beyond half a minute a check would outlast the client's
                    // own request to a server that runs it.
                    upstreams.timeout = Duration::from_millis(ms.clamp(1, 30_000));
                }
            } else if let Some(provider) = name.strip_prefix(UPSTREAM_VAR_PREFIX) {
                checked_base(value).map_err(|why| BadUpstream {
                    name: name.clone(),
                    why,
                })?;
                upstreams = upstreams.with_base(&provider.to_ascii_lowercase(), value);
            }
        }
        Ok(upstreams)
    }

    /// Sends `provider`'s checks to `base` (scheme, host, port, no path).
    pub fn with_base(mut self, provider: &str, base: &str) -> Upstreams {
        self.overrides
            .insert(provider.to_owned(), base.trim_end_matches('/').to_owned());
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Upstreams {
        self.timeout = timeout;
        self
    }

    /// The address `provider`'s calls go to, if this build knows it.
    pub fn base(&self, provider: &str) -> Option<&str> {
        self.overrides
            .get(provider)
            .map(String::as_str)
            .or_else(|| {
                DEFAULTS
                    .iter()
                    .find(|(id, _)| *id == provider)
                    .map(|(_, url)| *url)
            })
    }

    /// The providers whose address is not the default, with it.
    pub fn overridden(&self) -> impl Iterator<Item = (&str, &str)> {
        self.overrides.iter().map(|(p, b)| (p.as_str(), b.as_str()))
    }
}

/// An upstream variable that is not a plain base URL. Its value is never
/// repeated: it may hold a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name} must be http(s)://host[:port][/path]: {why}")]
pub struct BadUpstream {
    pub name: String,
    pub why: &'static str,
}

fn checked_base(value: &str) -> Result<(), &'static str> {
    let url = reqwest::Url::parse(value).map_err(|_| "it is not a URL")?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https are allowed");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "it holds a login (user:password@), and the provider key is the only \
                    credential a check sends",
        );
    }
    if url.query().is_some() {
        return Err("it holds a query (?…), which would travel with every call");
    }
    if url.fragment().is_some() {
        return Err("it holds a fragment (#…)");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it names no host");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_points_one_provider_elsewhere() {
        let up = Upstreams::from_vars([
            (
                "VOICEDOCK_UPSTREAM_OPENAI".to_owned(),
                "http://127.0.0.1:9000/".to_owned(),
            ),
            (
                "VOICEDOCK_UPSTREAM_GOOGLE_VERTEX".into(),
                "http://127.0.0.1:9001".into(),
            ),
            (CHECK_TIMEOUT_VAR.into(), "250".into()),
            ("PATH".into(), "/usr/bin".into()),
        ])
        .unwrap();
        assert_eq!(up.base("openai"), Some("http://127.0.0.1:9000"));
        assert_eq!(up.base("google_vertex"), Some("http://127.0.0.1:9001"));
        assert_eq!(up.base("deepgram"), Some("https://api.deepgram.com"));
        assert_eq!(up.base("nobody"), None);
        assert_eq!(up.timeout, Duration::from_millis(250));
    }

    #[test]
    fn a_login_query_or_fragment_is_refused_without_repeating_it() {
        for (value, said) in [
            ("http://user:hunter2@127.0.0.1:9000", "login"),
            ("http://user@127.0.0.1:9000", "login"),
            ("http://127.0.0.1:9000/v1?key=hunter2", "query"),
            ("http://127.0.0.1:9000/#hunter2", "fragment"),
            ("ftp://127.0.0.1", "http and https"),
            ("127.0.0.1:9000", "not a URL"),
        ] {
            let vars = [("VOICEDOCK_UPSTREAM_OPENAI".to_owned(), value.to_owned())];
            let err = Upstreams::from_vars(vars).unwrap_err().to_string();
            assert!(
                err.starts_with("VOICEDOCK_UPSTREAM_OPENAI must be"),
                "{err}"
            );
            assert!(err.contains(said), "{value}: {err}");
            assert!(!err.contains("hunter2"), "{err}");
        }
        let path = [(
            "VOICEDOCK_UPSTREAM_OPENAI".to_owned(),
            "https://proxy.example/openai".to_owned(),
        )];
        assert!(Upstreams::from_vars(path).is_ok());
    }

    #[test]
    fn every_byok_provider_has_a_default_host() {
        let cat = crate::domain::Catalog::builtin();
        for id in cat.byok_provider_ids() {
            let base = Upstreams::default().base(id).map(str::to_owned);
            assert!(
                base.as_deref().is_some_and(|b| b.starts_with("https://")),
                "{id}: {base:?}"
            );
        }
    }
}

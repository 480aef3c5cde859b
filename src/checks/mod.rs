//! Provider key checks: for each BYOK provider, one or two documented
//! read-only calls that prove a key works and say what it can do. Run from
//! the operator's machine (the CLI and the console) and by the reference
//! server with a stored key. The key goes only into the calls' headers (or,
//! for a Vertex service account, into the signature of a token request);
//! nothing the provider answers is repeated unless it is data the operator
//! asked for (model ids, voice names), and that only through the scrub
//! boundary (`KeyCheck::scrubbed`): a provider that echoes the key it was
//! sent gets no form of it repeated.

mod deepgram;
mod elevenlabs;
mod gladia;
mod google;
mod inworld;
pub mod mcp;
mod openai_like;
mod probe;
mod resend;
mod upstreams;
mod vertex;

use std::time::Instant;

use secrecy::{ExposeSecret, SecretString};

pub use upstreams::{
    BadUpstream, CHECK_TIMEOUT_VAR, DEFAULT_TIMEOUT, GOOGLE_OAUTH, UPSTREAM_VAR_PREFIX, Upstreams,
};

use crate::domain::text::KeyPieces;
use crate::domain::{CheckNeeds, Found, KeyCheck, Verdict};
use probe::{Answer, Probe, Unreached};

/// What a provider's check concluded, before it is stamped and recorded.
struct Outcome {
    result: Verdict,
    reason: String,
    found: Found,
}

impl Outcome {
    fn new(result: Verdict, reason: impl Into<String>) -> Outcome {
        Outcome {
            result,
            reason: reason.into(),
            found: Found::default(),
        }
    }

    fn with(mut self, found: Found) -> Outcome {
        self.found = found;
        self
    }
}

/// The providers this build can check, by id, with the name it says.
const NAMES: &[(&str, &str)] = &[
    ("deepgram", "Deepgram"),
    ("openai", "OpenAI"),
    ("elevenlabs", "ElevenLabs"),
    ("resend", "Resend"),
    ("xai", "xAI"),
    ("gladia", "Gladia"),
    ("mistral", "Mistral"),
    ("inworld", "Inworld"),
    ("google", "Google AI"),
    ("google_vertex", "Vertex AI"),
];

/// The providers whose check lists the voices the key can speak with.
pub const LISTS_VOICES: &[&str] = &["elevenlabs", "inworld"];

/// Whether this build knows a check for `provider`.
pub fn can_check(provider: &str) -> bool {
    NAMES.iter().any(|(id, _)| *id == provider)
}

fn name_of(provider: &str) -> &str {
    NAMES
        .iter()
        .find(|(id, _)| *id == provider)
        .map_or(provider, |(_, name)| name)
}

/// Checks `key` for `provider` against `upstreams`, within its time limit.
/// `needs` is what the account's assistants ask of the key.
pub async fn check(
    upstreams: &Upstreams,
    provider: &str,
    key: &SecretString,
    needs: &CheckNeeds,
) -> KeyCheck {
    let started = Instant::now();
    let stamp = |outcome: Outcome, calls| {
        KeyCheck {
            provider: provider.to_owned(),
            result: outcome.result,
            reason: outcome.reason,
            checked_at: now_rfc3339(),
            checked_by: "local".to_owned(),
            found: outcome.found,
            calls,
        }
        .scrubbed(&KeyPieces::of_credential(key.expose_secret()))
    };
    let Some(base) = upstreams.base(provider).filter(|_| can_check(provider)) else {
        let outcome = Outcome::new(
            Verdict::Unknown,
            format!("this build knows no check for the provider {provider:?}"),
        );
        return stamp(outcome, Vec::new());
    };
    let http = match crate::client::http_for(base) {
        Ok(http) => http,
        Err(e) => return stamp(Outcome::new(Verdict::Unknown, e.to_string()), Vec::new()),
    };
    let mut probe = Probe::new(http, base, started + upstreams.timeout);
    let name = name_of(provider);
    let key = key.expose_secret();
    let outcome = match provider {
        "openai" | "xai" | "mistral" => {
            openai_like::check(&mut probe, provider, name, key, needs).await
        }
        "deepgram" => deepgram::check(&mut probe, key).await,
        "elevenlabs" => elevenlabs::check(&mut probe, key, needs).await,
        "resend" => resend::check(&mut probe, key).await,
        "gladia" => gladia::check(&mut probe, key).await,
        "inworld" => inworld::check(&mut probe, key, needs).await,
        "google" => google::check(&mut probe, key, needs).await,
        _ => vertex::check(&mut probe, upstreams, key, needs).await,
    };
    let calls = std::mem::take(&mut probe.calls);
    stamp(outcome, calls)
}

fn now_rfc3339() -> String {
    use time::format_description::well_known::Rfc3339;
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// No answer came: no verdict.
fn unreached(name: &str, why: Unreached) -> Outcome {
    Outcome::new(
        Verdict::Unknown,
        format!("{name} did not answer: {}", why.0),
    )
}

/// What an answer that is neither the documented success nor a documented
/// refusal means. 401 and 403 are a refused key everywhere.
fn not_understood(name: &str, answer: &Answer) -> Outcome {
    let status = answer.status;
    match status {
        401 | 403 => Outcome::new(
            Verdict::Invalid,
            format!("{name} refused the key (HTTP {status})"),
        ),
        429 => Outcome::new(
            Verdict::Unknown,
            format!("{name} is rate-limiting this key (HTTP 429); check again in a minute"),
        ),
        500..=599 => Outcome::new(
            Verdict::Unknown,
            format!("{name} had trouble answering (HTTP {status}); check again later"),
        ),
        _ => Outcome::new(
            Verdict::Unknown,
            format!("{name} answered HTTP {status}, which this check does not understand"),
        ),
    }
}

/// A key that lists models: valid, or limited when an assistant uses a
/// model the key does not list.
fn with_models(name: &str, listed: Vec<String>, needs: &CheckNeeds, mut found: Found) -> Outcome {
    let missing: Vec<String> = needs
        .models
        .iter()
        .filter(|m| !listed.iter().any(|l| l == *m))
        .cloned()
        .collect();
    let count = listed.len();
    found.models = Some(listed);
    let outcome = if missing.is_empty() {
        let used = match needs.models.len() {
            0 => String::new(),
            1 => ", including the one your assistants use".to_owned(),
            n => format!(", including the {n} your assistants use"),
        };
        Outcome::new(
            Verdict::Valid,
            format!("{name} accepted the key; it can use {count} models{used}"),
        )
    } else {
        Outcome::new(
            Verdict::Limited,
            format!(
                "{name} accepted the key, but it cannot use {} that your assistants use",
                listed_briefly(&missing)
            ),
        )
    };
    found.missing_models = missing;
    outcome.with(found)
}

/// `a`, `a and b`, `a, b and 3 more`.
fn listed_briefly(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_items_are_counted() {
        let items: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
        assert_eq!(listed_briefly(&items), "a, b and 2 more");
        assert_eq!(listed_briefly(&items[..2]), "a and b");
    }
}

//! `byok test`: a provider key checked with the provider itself. The key is
//! read as `byok set` reads it (a masked prompt, one line of stdin or a
//! file; never an argument) and checked from this machine, through
//! `VOICEDOCK_UPSTREAM_*`; with `--stored` the server checks the key it
//! stores. Either way the key must give what the session's assistants use.
//! Exit 0 valid, 1 invalid or limited, 3 unknown.

use std::path::Path;

use secrecy::ExposeSecret;

use super::table::render;
use super::{Failure, Outcome, print, print_json, secret};
use crate::checks::{self, Upstreams};
use crate::client::ApiError;
use crate::config::{self, VoiceCache};
use crate::domain::{
    Catalog, CheckNeeds, Found, KeyCheck, LibraryVoice, unsupported_provider, validate_provider_key,
};
use crate::session::Session;

/// Where the key to check is.
pub(super) enum How<'a> {
    /// Read here (from the file, when given) and checked from this machine.
    Local(Option<&'a Path>),
    /// The one the server stores, checked by the server.
    Stored,
}

pub(super) async fn test(
    session: &Session,
    cat: &Catalog,
    json: bool,
    provider: &str,
    how: How<'_>,
) -> Outcome {
    let check = match how {
        How::Local(file) => local(session, cat, provider, file).await?,
        How::Stored => stored(session, provider).await?,
    };
    keep_voices(session, &check);
    if json {
        let body = serde_json::to_value(&check)
            .map_err(|e| Failure::failed(format!("cannot print the check: {e}")))?;
        print_json(&body)?;
    } else {
        print(&describe(&check))?;
    }
    Failure::verdict(check.result)
}

async fn local(
    session: &Session,
    cat: &Catalog,
    provider: &str,
    file: Option<&Path>,
) -> Result<KeyCheck, Failure> {
    // Asked before the key: no one should type a key that cannot be checked.
    let Some(info) = cat.secret(provider) else {
        return Err(Failure::failed(unsupported_provider(cat, provider).message));
    };
    let upstreams = Upstreams::from_env().map_err(|e| Failure::failed(e.to_string()))?;
    let key = secret::read_provider_key(Some(info), provider, "test", file)?;
    validate_provider_key(cat, provider, key.expose_secret()).map_err(|e| {
        Failure::failed(format!(
            "invalid {}: {}; nothing was sent",
            e.param, e.message
        ))
    })?;
    let needs = match session.client.list_assistants().await {
        Ok(assistants) => CheckNeeds::of(cat, &assistants, provider),
        Err(e) => {
            super::say(&format!(
                "warning: the assistants could not be listed ({e}), so what they need of \
                 the key is not known; checking the key alone"
            ));
            CheckNeeds::default()
        }
    };
    Ok(checks::check(&upstreams, provider, &key, &needs).await)
}

async fn stored(session: &Session, provider: &str) -> Result<KeyCheck, Failure> {
    match session.client.check_stored_key(provider).await {
        Ok(check) => Ok(check),
        Err(ApiError::NotOffered(_)) => Err(Failure::failed(format!(
            "this server cannot check stored keys (it has no POST /api/v1/byok/{provider}/check); \
             check a key from this machine instead: run `voicedock byok test {provider}` \
             without --stored"
        ))),
        Err(ApiError::NotFound(_)) => Err(Failure::failed(format!(
            "no key is stored for {provider} on this server; store one with \
             `voicedock byok set {provider}`, or check a key from this machine with \
             `voicedock byok test {provider}`"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The voices a check listed, for this profile's voice picker. It is only
/// a cache: failing to write it is a warning, not a failed check.
fn keep_voices(session: &Session, check: &KeyCheck) {
    let Some(cache) = VoiceCache::from_check(check) else {
        return;
    };
    let kept =
        config::paths().and_then(|paths| cache.store(&paths.cache_dir, session.kind.cache_name()));
    if let Err(e) = kept {
        super::say(&format!("warning: the voices were not cached: {e:#}"));
    }
}

/// `PROVIDER: RESULT — reason`, what the check found, and the voices it
/// listed as a table.
fn describe(check: &KeyCheck) -> String {
    let mut out = format!(
        "{}: {} — {}\n",
        check.provider,
        check.result.label(),
        check.reason
    );
    for line in found_lines(&check.found) {
        out.push_str(&format!("  {line}\n"));
    }
    let by = match check.checked_by.as_str() {
        "server" => "by the server",
        _ => "from this machine",
    };
    let at = super::table::utc_time(Some(&check.checked_at));
    out.push_str(&format!("  checked {by} at {at} UTC\n"));
    if let Some(voices) = check.found.voices.as_ref().filter(|v| !v.is_empty()) {
        out.push('\n');
        out.push_str(&voice_table(voices));
    }
    out
}

fn found_lines(found: &Found) -> Vec<String> {
    let mut lines = found.facts.clone();
    if let Some(models) = &found.models {
        let mut line = format!("models: {}", models.len());
        if !found.missing_models.is_empty() {
            line.push_str(&format!("; missing: {}", found.missing_models.join(", ")));
        }
        lines.push(line);
    }
    if let Some(voices) = &found.voices {
        lines.push(format!("voices: {}", voices.len()));
    }
    if !found.missing_voices.is_empty() {
        lines.push(format!(
            "missing voices: {}",
            found.missing_voices.join(", ")
        ));
    }
    if let Some(q) = &found.quota {
        let tier = q
            .tier
            .as_ref()
            .map_or_else(String::new, |t| format!(", {t} tier"));
        lines.push(format!(
            "quota: {} of {} characters used, {} left{tier}",
            q.used,
            q.limit,
            q.left()
        ));
    }
    lines
}

fn voice_table(voices: &[LibraryVoice]) -> String {
    let rows: Vec<Vec<String>> = voices
        .iter()
        .map(|v| {
            let labels: Vec<String> = v.labels.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            vec![
                v.name.clone(),
                v.voice_id.clone(),
                if labels.is_empty() {
                    "-".to_owned()
                } else {
                    labels.join(", ")
                },
            ]
        })
        .collect();
    render(&["NAME", "VOICE ID", "LABELS"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Quota, Verdict};

    #[test]
    fn the_first_line_says_the_verdict_and_the_voices_follow_as_a_table() {
        let check = KeyCheck {
            provider: "elevenlabs".into(),
            result: Verdict::Limited,
            reason: "ElevenLabs accepted the key, but …".into(),
            checked_at: "2026-12-02T10:00:00Z".into(),
            checked_by: "server".into(),
            found: Found {
                voices: Some(vec![LibraryVoice {
                    voice_id: "21m00Tcm4TlvDq8ikWAM".into(),
                    name: "Rachel".into(),
                    category: None,
                    labels: [("gender", "female"), ("accent", "american")]
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .into(),
                }]),
                missing_voices: vec!["gone1".into(), "gone2".into()],
                quota: Some(Quota {
                    used: 1000,
                    limit: 10000,
                    tier: Some("starter".into()),
                }),
                ..Found::default()
            },
            calls: Vec::new(),
        };
        let text = describe(&check);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "elevenlabs: limited — ElevenLabs accepted the key, but …"
        );
        assert!(text.contains("  missing voices: gone1, gone2\n"), "{text}");
        assert!(
            text.contains("  quota: 1000 of 10000 characters used, 9000 left, starter tier\n"),
            "{text}"
        );
        assert!(text.contains("checked by the server at 2026-12-02 10:00:00 UTC\n"));
        let header = lines.iter().position(|l| l.starts_with("NAME")).unwrap();
        assert!(lines[header].contains("VOICE ID") && lines[header].contains("LABELS"));
        assert_eq!(
            lines[header + 1],
            "Rachel  21m00Tcm4TlvDq8ikWAM  accent: american, gender: female"
        );
    }
}

//! Inworld: `GET /voices/v1/voices` with `Authorization: Basic CREDENTIAL`
//! (the portal's key is already the Base64 credential) lists the voices of
//! the key's workspace, built-in and cloned
//! (docs.inworld.ai/api-reference/voiceAPI/voiceservice/list-voices).

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Probe, secret_header};
use super::{Outcome, listed_briefly, not_understood, unreached};
use crate::domain::{CheckNeeds, Found, LibraryVoice, Verdict, plain_text};

const NAME: &str = "Inworld";

pub async fn check(probe: &mut Probe, key: &str, needs: &CheckNeeds) -> Outcome {
    let Some(auth) = secret_header(
        "authorization",
        &zeroize::Zeroizing::new(format!("Basic {key}")),
    ) else {
        return unsendable(NAME);
    };
    let answer = match probe.get("/voices/v1/voices?pageSize=200", &auth).await {
        Err(why) => return unreached(NAME, why),
        Ok(answer) => answer,
    };
    if matches!(answer.status, 401 | 403) {
        return Outcome::new(
            Verdict::Invalid,
            format!("Inworld refused the credential (HTTP {})", answer.status),
        );
    }
    if !answer.ok() {
        return not_understood(NAME, &answer);
    }
    let Some(list) = answer.body.get("voices").and_then(Value::as_array) else {
        return Outcome::new(
            Verdict::Unknown,
            "Inworld answered the voice list in a shape this check does not know",
        );
    };
    let voices: Vec<LibraryVoice> = list.iter().filter_map(voice).collect();
    let missing: Vec<String> = needs
        .voices
        .iter()
        .filter(|v| !voices.iter().any(|l| &l.voice_id == *v))
        .cloned()
        .collect();
    let count = voices.len();
    let mut found = Found {
        voices: Some(voices),
        ..Found::default()
    };
    let outcome = if missing.is_empty() {
        Outcome::new(
            Verdict::Valid,
            format!("Inworld accepted the credential; it can speak with {count} voices"),
        )
    } else {
        Outcome::new(
            Verdict::Limited,
            format!(
                "Inworld accepted the credential, but its workspace lacks {} that your assistants use",
                listed_briefly(&missing)
            ),
        )
    };
    found.missing_voices = missing;
    outcome.with(found)
}

fn voice(v: &Value) -> Option<LibraryVoice> {
    let id = plain_text(v.get("voiceId")?.as_str()?, 120);
    let mut labels = std::collections::BTreeMap::new();
    for (field, label) in [
        ("gender", "gender"),
        ("ageGroup", "age"),
        ("langCode", "language"),
    ] {
        if let Some(text) = v
            .get(field)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        {
            labels.insert(label.to_owned(), plain_text(text, 40));
        }
    }
    Some(LibraryVoice {
        name: v
            .get("displayName")
            .and_then(Value::as_str)
            .map_or_else(|| id.clone(), |n| plain_text(n, 80)),
        voice_id: id,
        category: v
            .get("source")
            .and_then(Value::as_str)
            .map(|s| plain_text(s, 20).to_ascii_lowercase()),
        labels,
    })
}

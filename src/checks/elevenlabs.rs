//! ElevenLabs, with the key in `xi-api-key`: `GET /v1/user/subscription`
//! for the character quota (elevenlabs.io/docs/api-reference/user/subscription/get)
//! and `GET /v2/voices` for the voices in the user's library, a page of 100
//! at a time (elevenlabs.io/docs/api-reference/voices/search). Refusals are
//! `{"detail": {"status": "invalid_api_key" | "missing_permissions" | …}}`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Answer, Probe, percent_encoded, secret_header};
use super::{Outcome, listed_briefly, not_understood, unreached};
use crate::domain::text::MAX_LISTED;
use crate::domain::{CheckNeeds, Found, LibraryVoice, Quota, Verdict, plain_text};

const NAME: &str = "ElevenLabs";
/// Pages of 100 voices: a library larger than this, or than `MAX_LISTED`
/// voices or the check's byte budget, is listed in part.
const MAX_PAGES: usize = 20;

pub async fn check(probe: &mut Probe, key: &str, needs: &CheckNeeds) -> Outcome {
    let Some(auth) = secret_header("xi-api-key", key) else {
        return unsendable(NAME);
    };
    let mut found = Found::default();
    let mut limits: Vec<String> = Vec::new();
    match probe.get("/v1/user/subscription", &auth).await {
        Err(why) => return unreached(NAME, why),
        Ok(answer) if answer.ok() => {
            let quota = quota(&answer.body);
            if let Some(q) = &quota {
                found.facts.push(format!(
                    "{} of {} characters left{}",
                    q.left(),
                    q.limit,
                    q.tier
                        .as_ref()
                        .map_or_else(String::new, |t| format!(" ({t} tier)"))
                ));
                if q.left() == 0 {
                    limits.push("no characters are left this period".to_owned());
                }
            }
            found.quota = quota;
        }
        Ok(answer) => match status(&answer).as_str() {
            "missing_permissions" => found.facts.push(format!(
                "the key may not read the subscription ({})",
                permission(&answer).unwrap_or_else(|| "user_read".into())
            )),
            "quota_exceeded" => limits.push("the character quota is used up".to_owned()),
            _ => return refused(&answer),
        },
    }
    let mut voices: Vec<LibraryVoice> = Vec::new();
    let mut token: Option<String> = None;
    let mut listed = false;
    // Only a whole library says a voice is missing from it.
    let mut complete = false;
    for _ in 0..MAX_PAGES {
        let path = match &token {
            None => "/v2/voices?page_size=100".to_owned(),
            Some(t) => format!(
                "/v2/voices?page_size=100&next_page_token={}",
                percent_encoded(t)
            ),
        };
        match probe.get(&path, &auth).await {
            Err(why) if voices.is_empty() => return unreached(NAME, why),
            Err(why) => {
                found
                    .facts
                    .push(format!("the voice list stopped early: {}", why.0));
                break;
            }
            Ok(answer) if answer.ok() => {
                // A page without its voices is not an empty library: it
                // says nothing of what the assistants' voices need.
                let Some(page) = answer.body.get("voices").and_then(Value::as_array) else {
                    if !listed {
                        return Outcome::new(
                            Verdict::Unknown,
                            "ElevenLabs answered the voice list in a shape this check does not know",
                        );
                    }
                    found.facts.push(
                        "the voice list stopped early: a page this check does not know".to_owned(),
                    );
                    break;
                };
                listed = true;
                voices.extend(page.iter().filter_map(voice));
                if voices.len() >= MAX_LISTED {
                    voices.truncate(MAX_LISTED);
                    break;
                }
                token = answer
                    .text("/next_page_token")
                    .filter(|t| !t.is_empty())
                    .filter(|_| answer.body.get("has_more").and_then(Value::as_bool) == Some(true));
                if token.is_none() {
                    complete = true;
                    break;
                }
            }
            Ok(answer) if status(&answer) == "missing_permissions" => {
                limits.push(format!(
                    "it may not list your voices ({}), so the voice picker stays empty",
                    permission(&answer).unwrap_or_else(|| "voices_read".into())
                ));
                break;
            }
            Ok(answer) if voices.is_empty() => return refused(&answer),
            Ok(answer) => {
                found.facts.push(format!(
                    "the voice list stopped early (HTTP {})",
                    answer.status
                ));
                break;
            }
        }
    }
    if listed && !complete {
        found.facts.push(format!(
            "only the first {} voices were listed, so no voice of your assistants is judged missing",
            voices.len()
        ));
    }
    if listed {
        let missing: Vec<String> = needs
            .voices
            .iter()
            .filter(|v| complete && !voices.iter().any(|l| &l.voice_id == *v))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let word = if missing.len() == 1 {
                "voice"
            } else {
                "voices"
            };
            limits.push(format!(
                "your assistants use {word} {} that your Voice Library does not hold",
                listed_briefly(&missing)
            ));
        }
        found.missing_voices = missing;
        found.voices = Some(voices);
    }
    let count = found.voices.as_ref().map(Vec::len);
    if let Some(first) = limits.first() {
        return Outcome::new(
            Verdict::Limited,
            format!("ElevenLabs accepted the key, but {first}"),
        )
        .with(found);
    }
    let reason = match count {
        Some(n) => format!("ElevenLabs accepted the key; your Voice Library holds {n} voices"),
        None => "ElevenLabs accepted the key".to_owned(),
    };
    Outcome::new(Verdict::Valid, reason).with(found)
}

fn status(answer: &Answer) -> String {
    answer.text("/detail/status").unwrap_or_default()
}

/// The permission a "missing the permission X" message names.
fn permission(answer: &Answer) -> Option<String> {
    let message = answer.text("/detail/message")?;
    let rest = message.split("missing the permission ").nth(1)?;
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

fn refused(answer: &Answer) -> Outcome {
    match (answer.status, status(answer).as_str()) {
        (_, "invalid_api_key") | (401, _) => Outcome::new(
            Verdict::Invalid,
            "ElevenLabs refused the key: invalid API key",
        ),
        _ => not_understood(NAME, answer),
    }
}

fn quota(body: &Value) -> Option<Quota> {
    Some(Quota {
        used: body.get("character_count")?.as_u64()?,
        limit: body.get("character_limit")?.as_u64()?,
        tier: body
            .get("tier")
            .and_then(Value::as_str)
            .map(|t| plain_text(t, 40)),
    })
}

fn voice(v: &Value) -> Option<LibraryVoice> {
    let id = plain_text(v.get("voice_id")?.as_str()?, 80);
    let mut labels = BTreeMap::new();
    if let Some(all) = v.get("labels").and_then(Value::as_object) {
        for (name, value) in all {
            if let Some(text) = value.as_str().filter(|t| !t.is_empty()) {
                labels.insert(plain_text(name, 40), plain_text(text, 60));
            }
        }
    }
    Some(LibraryVoice {
        name: v
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| id.clone(), |n| plain_text(n, 80)),
        voice_id: id,
        category: v
            .get("category")
            .and_then(Value::as_str)
            .map(|c| plain_text(c, 40)),
        labels,
    })
}

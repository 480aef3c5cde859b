//! What every check must keep to, whatever the provider answered: a reason
//! of one sentence that names the provider, no part of the key in anything
//! it returns, and the key sent only where the provider documents it.

use voicedock::domain::KeyCheck;

use super::Seen;

/// Eight characters of a key are enough to be worth keeping back.
pub const WINDOW: usize = 8;

/// The part of `key` that is secret: the whole key, or a service account's
/// private key (its email and project are meant to be shown).
pub fn secret_of(provider: &str, key: &str) -> String {
    if provider != "google_vertex" {
        return key.to_owned();
    }
    let doc: serde_json::Value = serde_json::from_str(key).unwrap();
    doc["private_key"]
        .as_str()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect()
}

/// The first `WINDOW`-character piece of `secret` that `text` holds.
pub fn leaked_piece(text: &str, secret: &str) -> Option<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .windows(WINDOW.min(chars.len()))
        .map(|w| w.iter().collect::<String>())
        .find(|piece| text.contains(piece.as_str()))
}

pub fn assert_no_leak(what: &str, text: &str, secret: &str) {
    if let Some(piece) = leaked_piece(text, secret) {
        panic!(
            "{what} holds a {WINDOW}-character piece of the key (at byte {})",
            text.find(&piece).unwrap_or(0)
        );
    }
}

/// Neither `Debug` nor the JSON of `check` holds any piece of the key.
pub fn assert_keeps_secret(check: &KeyCheck, provider: &str, key: &str) {
    let secret = secret_of(provider, key);
    assert_no_leak(
        &format!("{provider}: Debug"),
        &format!("{check:?}"),
        &secret,
    );
    assert_no_leak(
        &format!("{provider}: JSON"),
        &serde_json::to_string(check).unwrap(),
        &secret,
    );
}

/// How the provider's own name appears in a reason.
pub fn spoken_name(provider: &str) -> &'static [&'static str] {
    match provider {
        "openai" => &["OpenAI"],
        "xai" => &["xAI"],
        "mistral" => &["Mistral"],
        "deepgram" => &["Deepgram"],
        "elevenlabs" => &["ElevenLabs"],
        "resend" => &["Resend"],
        "gladia" => &["Gladia"],
        "inworld" => &["Inworld"],
        "google" => &["Google"],
        "google_vertex" => &["Vertex AI", "Google"],
        _ => &[],
    }
}

pub fn assert_reason(check: &KeyCheck, provider: &str) {
    let reason = &check.reason;
    assert!(
        reason.len() > 15 && reason.len() < 300,
        "{provider}: {reason:?}"
    );
    assert!(
        !reason.contains(['\n', '\r']) && !reason.contains(". "),
        "{provider}: one sentence, got {reason:?}"
    );
    assert!(
        spoken_name(provider).iter().any(|n| reason.contains(n)),
        "{provider}: the reason names no provider: {reason:?}"
    );
}

/// The header, and its whole value, in which `provider` takes its key.
pub fn documented_header(provider: &str, key: &str) -> (&'static str, String) {
    match provider {
        "deepgram" => ("authorization", format!("Token {key}")),
        "elevenlabs" => ("xi-api-key", key.to_owned()),
        "gladia" => ("x-gladia-key", key.to_owned()),
        "inworld" => ("authorization", format!("Basic {key}")),
        "google" => ("x-goog-api-key", key.to_owned()),
        _ => ("authorization", format!("Bearer {key}")),
    }
}

/// Every request that carried the key carried it in the documented header
/// and nowhere else: not in the path, the body or another header. A
/// service account's private key never leaves at all: only the assertion it
/// signed does. Returns how many requests carried the key.
pub fn assert_key_only_in_header(seen: &[Seen], provider: &str, key: &str) -> usize {
    let secret = secret_of(provider, key);
    let (header, documented) = documented_header(provider, key);
    let mut carried = 0;
    for s in seen {
        let what = format!("{provider}: {} {}", s.method, s.path);
        assert_no_leak(&format!("{what}: the path"), &s.path, &secret);
        assert_no_leak(&format!("{what}: the body"), &s.body, &secret);
        for (name, value) in &s.headers {
            if provider != "google_vertex" && *name == header && *value == documented {
                carried += 1;
                continue;
            }
            assert_no_leak(&format!("{what}: the header {name}"), value, &secret);
        }
    }
    carried
}

/// Checks `provider`'s key for `b` against `standins` with `needs`, and
/// asserts what every check keeps to.
pub async fn checked(
    standins: &super::StandIns,
    provider: &str,
    b: super::Behaviour,
    needs: &voicedock::domain::CheckNeeds,
) -> KeyCheck {
    let key = super::key(provider, b);
    let secret = secrecy::SecretString::from(key.clone());
    let check = voicedock::checks::check(&standins.upstreams(), provider, &secret, needs).await;
    assert_reason(&check, provider);
    assert_keeps_secret(&check, provider, &key);
    assert_key_only_in_header(&standins.seen(), provider, &key);
    check
}

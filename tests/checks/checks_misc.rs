//! Resend, Vertex AI's service-account flow, what the assistants ask of
//! each key, and the stand-ins' own contract.

use testkit::upstream_support;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use upstream_support::{
    Behaviour, PROVIDERS, StandIns, VERTEX_PROJECT, VERTEX_ROTATED_KEY, assert_keeps_secret,
    assert_key_only_in_header, assert_reason, checked, key, vertex_account, vertex_key,
};
use voicedock::checks::{Upstreams, check};
use voicedock::domain::{Assistant, Catalog, CheckNeeds, Verdict, validate_provider_key};

#[tokio::test]
async fn resend_lists_the_domains_of_a_full_access_key() {
    let s = StandIns::start();
    let check = checked(&s, "resend", Behaviour::Valid, &CheckNeeds::default()).await;
    assert_eq!(check.result, Verdict::Valid);
    assert_eq!(
        check.reason,
        "Resend accepted the key (full access); 1 of 2 domains verified"
    );
    assert_eq!(
        check.found.facts,
        ["domains: calls.example.com (verified) and news.example.com (pending)"]
    );
}

#[tokio::test]
async fn a_sending_only_resend_key_is_valid_and_an_unknown_one_is_not() {
    let s = StandIns::start();
    let sending = checked(&s, "resend", Behaviour::Limited, &CheckNeeds::default()).await;
    assert_eq!(sending.result, Verdict::Valid);
    assert!(sending.reason.starts_with("valid, sending-only key"));
    assert_eq!(sending.calls[0].status, Some(401));

    let unknown = checked(&s, "resend", Behaviour::Invalid, &CheckNeeds::default()).await;
    assert_eq!(unknown.result, Verdict::Invalid);
    assert_eq!(unknown.reason, "Resend refused the key: API key is invalid");
    assert_eq!(unknown.calls[0].status, Some(400));
}

fn jwt_part(jwt: &str, n: usize) -> Value {
    let part = jwt.split('.').nth(n).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn vertex_signs_a_short_lived_assertion_and_sends_only_that() {
    let s = StandIns::start();
    let check = checked(
        &s,
        "google_vertex",
        Behaviour::Valid,
        &CheckNeeds::default(),
    )
    .await;
    assert_eq!(check.result, Verdict::Valid, "{}", check.reason);
    assert_eq!(
        check.reason,
        format!(
            "Google accepted the service account, and project {VERTEX_PROJECT} may use Vertex AI in europe-west4"
        )
    );
    let seen = s.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let (token, models) = (&seen[0], &seen[1]);
    assert_eq!(
        (token.provider.as_str(), token.method.as_str()),
        ("google_oauth", "POST")
    );
    assert_eq!(token.path, "/token");
    let form: Vec<(String, String)> = token
        .body
        .split('&')
        .map(|p| p.split_once('=').unwrap())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(form.len(), 2, "only the grant type and the assertion");
    assert_eq!(
        form[0],
        (
            "grant_type".to_owned(),
            "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer".to_owned()
        )
    );
    assert_eq!(form[1].0, "assertion");
    let header = jwt_part(&form[1].1, 0);
    assert_eq!(header["alg"], "RS256");
    let claims = jwt_part(&form[1].1, 1);
    assert_eq!(claims["iss"], vertex_account(Behaviour::Valid));
    assert_eq!(claims["aud"], "https://oauth2.googleapis.com/token");
    assert_eq!(
        claims["scope"],
        "https://www.googleapis.com/auth/cloud-platform"
    );
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!((1..=3600).contains(&lifetime), "{lifetime}");

    assert_eq!(models.provider, "google_vertex");
    assert_eq!(
        models.path,
        format!("/v1/projects/{VERTEX_PROJECT}/locations/europe-west4/models?pageSize=1")
    );
    let bearer = models
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(bearer.starts_with("Bearer ya29.c."), "{bearer}");
    // The access token is as much a secret as the key it came from.
    let token_value = bearer.trim_start_matches("Bearer ");
    assert!(!format!("{check:?}").contains(token_value));
    assert!(!serde_json::to_string(&check).unwrap().contains(token_value));
}

#[tokio::test]
async fn a_vertex_key_the_account_no_longer_has_is_invalid() {
    let s = StandIns::start();
    let rotated = vertex_key(VERTEX_ROTATED_KEY, Behaviour::Valid);
    let secret = secrecy::SecretString::from(rotated.clone());
    let check = check(
        &s.upstreams(),
        "google_vertex",
        &secret,
        &CheckNeeds::default(),
    )
    .await;
    assert_eq!(check.result, Verdict::Invalid, "{}", check.reason);
    assert!(check.reason.contains("invalid_grant"), "{}", check.reason);
    assert_reason(&check, "google_vertex");
    assert_keeps_secret(&check, "google_vertex", &rotated);
    assert_key_only_in_header(&s.seen(), "google_vertex", &rotated);
    // Refused at the token endpoint: Vertex AI itself is never asked.
    assert!(s.seen().iter().all(|r| r.provider == "google_oauth"));
}

#[tokio::test]
async fn vertex_with_the_api_disabled_is_limited() {
    let s = StandIns::start();
    let check = checked(
        &s,
        "google_vertex",
        Behaviour::Limited,
        &CheckNeeds::default(),
    )
    .await;
    assert_eq!(check.result, Verdict::Limited);
    assert_eq!(
        check.reason,
        "Google accepted the service account, but the Vertex AI API is disabled in the project"
    );
}

fn assistant(value: Value) -> Assistant {
    let mut value = value;
    value["id"] = json!("asst_0000000000000000");
    value["name"] = json!("front desk");
    serde_json::from_value(value).unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn needs_are_the_llm_models_and_tts_voices_each_key_serves() {
    let cat = Catalog::builtin();
    let assistants = [
        assistant(json!({
            "stt_config": {"provider": "deepgram", "model": "nova-3"},
            "llm_config": {"provider": "openai", "model": "gpt-5.4-mini"},
            "tts_config": {"provider": "elevenlabs", "voice_id": "21m00Tcm4TlvDq8ikWAM", "model": "eleven_v3"}
        })),
        assistant(json!({
            "stt_config": {"provider": "elevenlabs"},
            "llm_config": {"provider": "openai"},
            "tts_config": {"provider": "elevenlabs", "voice_id": "pNInz6obpgDQGcFmaJgB"}
        })),
        assistant(json!({
            "stt_config": {"provider": "mistral", "model": "voxtral-mini-latest"},
            "llm_config": {"provider": "mistral", "model": "mistral-small-latest"},
            "tts_config": {"provider": "inworld", "voice_id": "Ashley", "model": "inworld-tts-2"}
        })),
        assistant(json!({
            "llm_config": {"provider": "google_realtime", "model": "gemini-3.1-flash-live-preview"},
            "tts_config": {"provider": "google", "model": "gemini-3.1-flash-tts-preview", "voice_id": "Kore"}
        })),
        assistant(json!({
            "llm_config": {"provider": "google", "model": "gemini-3.5-flash"},
            "tts_config": {"provider": "google", "model": "chirp-3-hd", "voice_id": "Charon"}
        })),
        assistant(json!({
            "llm_config": {"provider": "xai_realtime"},
            "tts_config": {"provider": "xai", "voice_id": "eve"}
        })),
    ];
    let expect = |models: &[&str], voices: &[&str]| CheckNeeds {
        models: strings(models),
        voices: strings(voices),
    };
    let cases = [
        // The catalog default fills in a model left out; one used twice is one need.
        ("openai", expect(&["gpt-5.4-mini", "gpt-5.4"], &[])),
        // STT and TTS models are not in model lists: only voices count.
        (
            "elevenlabs",
            expect(&[], &["21m00Tcm4TlvDq8ikWAM", "pNInz6obpgDQGcFmaJgB"]),
        ),
        ("mistral", expect(&["mistral-small-latest"], &[])),
        ("inworld", expect(&[], &["Ashley"])),
        // Google's models each name the key they need.
        (
            "google",
            expect(&["gemini-3.1-flash-live-preview"], &["Kore"]),
        ),
        ("google_vertex", expect(&["gemini-3.5-flash"], &["Charon"])),
        ("xai", expect(&["grok-voice-think-fast-2.0"], &["eve"])),
        ("deepgram", CheckNeeds::default()),
        ("gladia", CheckNeeds::default()),
        ("resend", CheckNeeds::default()),
    ];
    for (provider, expected) in cases {
        assert_eq!(
            CheckNeeds::of(&cat, &assistants, provider),
            expected,
            "{provider}"
        );
    }
}

#[test]
fn every_stand_in_key_is_well_formed_and_tells_its_behaviour_apart() {
    let cat = Catalog::builtin();
    let byok: Vec<&str> = cat.byok_provider_ids().collect();
    assert_eq!(byok, PROVIDERS);
    for provider in PROVIDERS {
        let keys: Vec<String> = Behaviour::ALL.iter().map(|b| key(provider, *b)).collect();
        for (b, k) in Behaviour::ALL.iter().zip(&keys) {
            validate_provider_key(&cat, provider, k)
                .unwrap_or_else(|e| panic!("{provider} {b:?}: {e:?}"));
        }
        let mut distinct = keys.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len(), "{provider}");
    }
}

#[test]
fn the_environment_names_the_same_upstreams() {
    let s = StandIns::start();
    assert_eq!(Upstreams::from_vars(s.env()).unwrap(), s.upstreams());
    for provider in PROVIDERS.into_iter().chain(["google_oauth"]) {
        let base = s.base(provider);
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        assert_eq!(s.upstreams().base(provider), Some(base.as_str()));
    }
}

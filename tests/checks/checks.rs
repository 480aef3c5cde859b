//! Every provider's key check against its stand-in, one behaviour at a
//! time, all providers at once: the verdict, a reason that names the
//! provider, nothing of the key in what comes back, and the key sent only
//! in the header the provider documents.

use testkit::upstream_support;

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use secrecy::SecretString;
use upstream_support::{
    Behaviour, PROVIDERS, StandIns, TIMEOUT, assert_keeps_secret, assert_key_only_in_header,
    assert_reason, key, needs, refused_upstreams,
};
use voicedock::checks::{Upstreams, check};
use voicedock::domain::{KeyCheck, Verdict};

struct Checked {
    provider: &'static str,
    key: String,
    check: KeyCheck,
    took: Duration,
}

/// Checks every provider's key for `b` against `upstreams`, at once.
async fn check_every_provider(upstreams: &Upstreams, b: Behaviour) -> Vec<Checked> {
    join_all(PROVIDERS.map(|provider| async move {
        let key = key(provider, b);
        let started = Instant::now();
        let check = check(
            upstreams,
            provider,
            &SecretString::from(key.clone()),
            &needs(provider),
        )
        .await;
        Checked {
            provider,
            key,
            check,
            took: started.elapsed(),
        }
    }))
    .await
}

/// What holds for every check, whatever its verdict.
fn assert_well_behaved(all: &[Checked], standins: Option<&StandIns>) {
    let seen = standins.map(StandIns::seen).unwrap_or_default();
    for c in all {
        assert_eq!(c.check.provider, c.provider);
        assert_reason(&c.check, c.provider);
        assert_keeps_secret(&c.check, c.provider, &c.key);
        let carried = assert_key_only_in_header(&seen, c.provider, &c.key);
        if standins.is_some() && c.provider != "google_vertex" {
            assert!(carried >= 1, "{}: the key never arrived", c.provider);
        }
        assert!(
            c.took < TIMEOUT + Duration::from_millis(500),
            "{} took {:?}",
            c.provider,
            c.took
        );
    }
}

fn assert_verdicts(all: &[Checked], expected: impl Fn(&str) -> Verdict) {
    for c in all {
        assert_eq!(
            c.check.result,
            expected(c.provider),
            "{}: {}",
            c.provider,
            c.check.reason
        );
    }
}

async fn run(b: Behaviour) -> (StandIns, Vec<Checked>) {
    let standins = StandIns::start();
    let all = check_every_provider(&standins.upstreams(), b).await;
    assert_well_behaved(&all, Some(&standins));
    (standins, all)
}

#[tokio::test]
async fn valid_keys_are_valid() {
    let (_s, all) = run(Behaviour::Valid).await;
    assert_verdicts(&all, |_| Verdict::Valid);
    for c in &all {
        assert!(
            c.check.found.missing_models.is_empty() && c.check.found.missing_voices.is_empty(),
            "{}: {:?}",
            c.provider,
            c.check.found
        );
        assert!(
            !c.check.calls.is_empty(),
            "{}: no calls recorded",
            c.provider
        );
        for call in &c.check.calls {
            assert!(!call.url.contains('?'), "{}: {}", c.provider, call.url);
        }
    }
}

#[tokio::test]
async fn unknown_keys_are_invalid() {
    let (_s, all) = run(Behaviour::Invalid).await;
    assert_verdicts(&all, |_| Verdict::Invalid);
}

#[tokio::test]
async fn limited_keys_are_limited_where_the_provider_has_a_limited_case() {
    let (_s, all) = run(Behaviour::Limited).await;
    // Resend's sending-only key is all the platform needs; Gladia keys have
    // no scopes.
    assert_verdicts(&all, |p| match p {
        "resend" | "gladia" => Verdict::Valid,
        _ => Verdict::Limited,
    });
}

#[tokio::test]
async fn slow_answers_are_unknown_within_the_time_limit() {
    let (_s, all) = run(Behaviour::Slow).await;
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(
            c.check.reason.contains("did not answer"),
            "{}",
            c.check.reason
        );
        assert!(
            c.took >= TIMEOUT - Duration::from_millis(100),
            "{:?}",
            c.took
        );
        let last = c.check.calls.last().unwrap();
        assert_eq!(last.status, None, "{}", c.provider);
    }
}

#[tokio::test]
async fn dropped_connections_are_unknown() {
    let (_s, all) = run(Behaviour::Dropped).await;
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(
            c.check.reason.contains("did not answer"),
            "{}",
            c.check.reason
        );
    }
}

#[tokio::test]
async fn refused_connections_are_unknown() {
    let all = check_every_provider(&refused_upstreams(), Behaviour::Valid).await;
    assert_well_behaved(&all, None);
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(
            c.check.reason.contains("refused"),
            "{}: {}",
            c.provider,
            c.check.reason
        );
    }
}

#[tokio::test]
async fn server_errors_are_unknown() {
    let (_s, all) = run(Behaviour::ServerError).await;
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(c.check.reason.contains("HTTP 5"), "{}", c.check.reason);
    }
}

#[tokio::test]
async fn rate_limits_are_unknown() {
    let (_s, all) = run(Behaviour::RateLimited).await;
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(c.check.reason.contains("HTTP 429"), "{}", c.check.reason);
    }
}

#[tokio::test]
async fn garbled_answers_are_unknown() {
    let (_s, all) = run(Behaviour::Garbled).await;
    assert_verdicts(&all, |_| Verdict::Unknown);
    for c in &all {
        assert!(
            c.check.reason.contains("shape this check does not know"),
            "{}: {}",
            c.provider,
            c.check.reason
        );
    }
}

//! Replies and the connection: answers filling the model, superseded
//! replies, failures, the rate-limit countdown, retries with backoff and
//! outages.

use testkit::console_support;

use std::time::{Duration, Instant};

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::app::{Connection, Remote};
use voicedock::console::msg::{Call, Msg, Reply};
use voicedock::domain::{Catalog, CatalogSource};

#[test]
fn replies_fill_the_model_and_idle_stops_ticking() {
    let h = Harness::loaded();
    assert!(
        h.model
            .server
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("deepgram")
    );
    assert_eq!(h.model.server.assistants.loaded().unwrap().len(), 2);
    assert_eq!(h.model.server.connection, Connection::Ok);
    assert_eq!(h.model.in_flight(), 0);
    assert!(!h.model.needs_tick(), "nothing moves, so nothing ticks");
}

#[test]
fn a_superseded_reply_is_dropped() {
    let mut h = Harness::new();
    let (old, _) = h.take(|c| matches!(c, Call::Byok));
    h.key(KeyCode::Char('r'));
    h.reply(
        old,
        Ok(Answer::Byok(byok(&[("openai", "stale", "sk-…0000")]))),
    );
    assert!(
        matches!(h.model.server.byok, Remote::Loading),
        "the old answer must not land"
    );
    let (new, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(
        new,
        Ok(Answer::Byok(byok(&[("openai", "fresh", "sk-…1111")]))),
    );
    assert_eq!(
        h.model
            .server
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .secret_id("openai"),
        Some("fresh")
    );
}

#[test]
fn connection_state_follows_failures() {
    let cases = [
        (ApiError::Unreachable("refused".into()), "unreachable"),
        (ApiError::Unauthorized("no".into()), "unauthorized"),
        (
            ApiError::RateLimited {
                message: "x".into(),
                retry_after: Some(Duration::from_secs(3)),
            },
            "rate",
        ),
    ];
    for (error, expect) in cases {
        let mut h = Harness::new();
        let (id, _) = h.take(|c| matches!(c, Call::Byok));
        h.reply(id, Err(error));
        let state = format!("{:?}", h.model.server.connection).to_lowercase();
        assert!(state.contains(expect), "{state}");
        assert!(matches!(h.model.server.byok, Remote::Failed(_)));
    }
}

#[test]
fn the_rate_limit_countdown_ends() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Account));
    let at = Instant::now();
    h.send(Msg::Api {
        id,
        received: at,
        reply: Reply::Account(Err(ApiError::RateLimited {
            message: "x".into(),
            retry_after: Some(Duration::from_secs(2)),
        })),
    });
    assert!(h.model.needs_tick());
    h.send(Msg::Tick(at + Duration::from_secs(1)));
    assert!(matches!(
        h.model.server.connection,
        Connection::RateLimited { .. }
    ));
    h.send(Msg::Tick(at + Duration::from_secs(3)));
    assert_eq!(h.model.server.connection, Connection::Unknown);
}

#[test]
fn a_missing_catalog_degrades_only_the_models_screen() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Catalog));
    h.reply(
        id,
        Ok(Answer::Catalog(
            Box::new(Catalog::builtin()),
            CatalogSource::BuiltIn,
        )),
    );
    assert_eq!(h.model.server.catalog_source, CatalogSource::BuiltIn);
    assert!(matches!(h.model.server.models.config(), Remote::Loaded(_)));
    assert_eq!(h.model.server.connection, Connection::Ok);
    h.key(KeyCode::Char('2'));
    assert!(h.render(100, 20).contains("built-in catalog"));
}

#[test]
fn an_unreachable_server_is_asked_again_with_backoff() {
    let mut h = Harness::new();
    let at = Instant::now();
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    h.fail_at(id, at, ApiError::Unreachable("refused".into()));
    assert!(h.model.needs_tick(), "the retry countdown is on screen");
    h.outbox.clear();
    h.send(Msg::Tick(at + Duration::from_millis(500)));
    assert!(h.outbox.is_empty(), "not yet");
    h.send(Msg::Tick(at + Duration::from_secs(3)));
    let (retry, _) = h.take(|c| matches!(c, Call::Byok));
    // Still away: the next wait is longer.
    let later = at + Duration::from_secs(3);
    h.fail_at(retry, later, ApiError::Unreachable("refused".into()));
    h.send(Msg::Tick(later + Duration::from_secs(3)));
    assert!(
        h.outbox.iter().all(|(_, c)| !matches!(c, Call::Byok)),
        "backed off beyond 2 s"
    );
    h.send(Msg::Tick(later + Duration::from_secs(5)));
    let (again, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(again, Ok(Answer::Byok(byok(&[]))));
    assert_eq!(h.model.server.connection, Connection::Ok);
    assert!(!h.model.needs_tick() || h.model.in_flight() > 0);
}

#[test]
fn one_outage_doubles_the_wait_once_however_many_requests_failed() {
    let mut h = Harness::new();
    let at = Instant::now();
    for (id, _) in std::mem::take(&mut h.outbox) {
        h.fail_at(id, at, ApiError::Unreachable("refused".into()));
    }
    h.send(Msg::Tick(at + Duration::from_secs(2)));
    assert_eq!(
        h.outbox.len(),
        4,
        "all four loads are asked again after the first wait"
    );
}

#[test]
fn a_failed_refresh_keeps_what_was_shown_and_recovery_reloads_what_failed() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('r'));
    let (byok, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(byok, Err(ApiError::Unreachable("refused".into())));
    assert!(
        h.model.server.byok.loaded().is_some(),
        "the keys stay on screen"
    );
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("Could not refresh")
    );

    let mut h = Harness::new();
    let (account, _) = h.take(|c| matches!(c, Call::Account));
    h.reply(account, Err(ApiError::Unreachable("refused".into())));
    let (byok, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(byok, Ok(Answer::Byok(byok_state())));
    assert!(
        h.outbox.iter().any(|(_, c)| matches!(c, Call::Account)),
        "the account is asked for again"
    );
}

fn byok_state() -> voicedock::domain::ByokState {
    byok(&[])
}

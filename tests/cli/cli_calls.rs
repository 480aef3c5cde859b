//! `calls ls|get` and `numbers ls` on our server (calls recorded through
//! the store, since it places none) and on the hosted stand-in.

use std::process::Output;

use testkit::cli_support;
use testkit::common::calls::call;
use testkit::hosted_support;

use cli_support::*;
use voicedock::domain::Call;

fn record(h: &Harness, call: &Call) {
    voicedock::server::record_call(h.data.path(), &h.account_key, call).unwrap();
}

/// The binary pointed at the hosted stand-in.
fn hosted(args: &[&str]) -> Output {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, _state) = runtime.block_on(hosted_support::start());
    let h = harness();
    let mut cmd = h.command(args);
    cmd.env("VOICEDOCK_BASE_URL", &base)
        .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
    run(cmd, "")
}

fn seeded(h: &Harness) {
    record(h, &call("c-ok", "ended", "2026-12-01T09:00:00+02:00"));
    record(
        h,
        &call("c-err", "ended-with-error", "2026-12-03T09:00:00Z"),
    );
    record(
        h,
        &call("c-credits", "insufficient-credits", "2026-12-04T09:00:00Z"),
    );
    record(h, &call("c-live", "ringing", "2026-12-05T09:00:00Z"));
}

#[test]
fn calls_ls_failed_lists_the_failed_calls_newest_first_in_utc() {
    let h = harness();
    seeded(&h);
    let table = ok(h.api(&["calls", "ls", "--failed"], ""));
    let ids: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids, ["c-credits", "c-err"], "{table}");
    assert!(table.contains("CREATED (UTC)"), "{table}");
    assert!(table.contains("2026-12-03 09:00:00"), "{table}");
    assert!(table.contains("ElevenLabs"), "{table}");

    let all = ok(h.api(&["calls", "ls", "--since", "2026-12-01"], ""));
    // 09:00 at +02:00 is 07:00 UTC, as every table prints times.
    assert!(all.contains("2026-12-01 07:00:00"), "{all}");
    let live = json_of(h.api(&["calls", "ls", "--live", "--json"], ""));
    assert_eq!(live["calls"].as_array().unwrap().len(), 1, "{live}");
    assert_eq!(live["calls"][0]["id"], "c-live");

    let refused = h.api(&["calls", "ls", "--since", "last week"], "");
    assert!(!refused.status.success());
    assert!(text(&refused).contains("start_date"), "{}", text(&refused));
}

#[test]
fn calls_ls_assistant_keeps_the_calls_of_the_assistant_the_name_finds() {
    let h = harness();
    let draft = voicedock::domain::AssistantDraft {
        name: Some("Front Desk".into()),
        ..voicedock::domain::AssistantDraft::default()
    };
    let id = h.block_on(h.client().create_assistant(&draft)).unwrap().id;
    let mut theirs = call("c-front", "ended", "2026-12-02T09:00:00Z");
    theirs.agent_id = Some(id);
    record(&h, &theirs);
    record(&h, &call("c-other", "ended", "2026-12-03T09:00:00Z"));
    let table = ok(h.api(&["calls", "ls", "--assistant", "front"], ""));
    assert!(table.contains("c-front"), "{table}");
    assert!(!table.contains("c-other"), "{table}");
    let missing = h.api(&["calls", "ls", "--assistant", "nobody"], "");
    assert!(!missing.status.success());
}

#[test]
fn calls_get_shows_transcript_error_end_reason_summary_and_recording() {
    let h = harness();
    seeded(&h);
    let details = ok(h.api(&["calls", "get", "c-err"], ""));
    for expected in [
        "ended-with-error",
        "ElevenLabs",
        "end reason",
        "The caller asked for opening hours.",
        "https://recordings.example/c-err.mp3",
        "user: When are you open?",
    ] {
        assert!(details.contains(expected), "{expected}: {details}");
    }
    let body = json_of(h.api(&["calls", "get", "c-err", "--json"], ""));
    assert_eq!(body["id"], "c-err");
    assert_eq!(body["status"], "ended-with-error");
    let missing = h.api(&["calls", "get", "nope"], "");
    assert!(!missing.status.success());
}

#[test]
fn numbers_ls_on_our_server_says_there_are_none() {
    let h = harness();
    assert!(ok(h.api(&["numbers", "ls"], "")).contains("no phone numbers"));
    let body = json_of(h.api(&["numbers", "ls", "--json"], ""));
    assert_eq!(body, serde_json::json!({"numbers": []}));
}

#[test]
fn calls_and_numbers_on_the_hosted_service() {
    let failed = ok(hosted(&["calls", "ls", "--failed"]));
    assert!(failed.contains("call_err"), "{failed}");
    assert!(failed.contains("ElevenLabs"), "{failed}");
    assert!(!failed.contains("call_ok"), "{failed}");

    let body = json_of(hosted(&["calls", "ls", "--json"]));
    let ids: Vec<&str> = body["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["call_live", "call_err", "call_ok"]);

    let details = ok(hosted(&["calls", "get", "call_ok"]));
    assert!(details.contains("The caller booked a table"), "{details}");
    assert!(details.contains("call_ok.mp3"), "{details}");
    assert!(details.contains("customer-ended-call"), "{details}");
    let raw = json_of(hosted(&["calls", "get", "call_err", "--json"]));
    assert_eq!(raw["end_reason"], "pipeline-error");

    let numbers = ok(hosted(&["numbers", "ls"]));
    assert!(numbers.contains("+31208765432"), "{numbers}");
    assert!(numbers.contains("Front Desk"), "{numbers}");
    let numbers_json = json_of(hosted(&["numbers", "ls", "--json"]));
    assert_eq!(numbers_json["numbers"][0]["id"], "num_1");
}

#[test]
fn what_a_call_says_is_scrubbed_before_it_is_printed() {
    use secrecy::ExposeSecret;
    let h = harness();
    let mut hostile = call("c-hostile", "ended-with-error", "2026-12-03T09:00:00Z");
    hostile.summary = Some("fine\u{1b}]0;owned\u{7} summary".into());
    hostile.error = Some(format!("bad key {}", h.account_key.expose_secret()));
    record(&h, &hostile);
    for args in [&["calls", "get", "c-hostile"][..], &["calls", "ls"][..]] {
        let out = ok(h.api(args, ""));
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(!out.contains(h.account_key.expose_secret()), "{out}");
        assert!(out.contains("[withheld]"), "{out}");
    }
}

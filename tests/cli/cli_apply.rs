//! `assistants get --json` → edit → `assistants apply -f` through the real
//! binary, on our server and on a stand-in of the hosted one: every hosted
//! field survives, secrets are printed only with --reveal and a redacted one
//! is never sent, and a file older than the server's copy is refused.

use testkit::cli_support;
use testkit::client_support;

use std::path::Path;
use std::process::{Command, Output};

use cli_support::*;
use client_support::{KEY, reply, seen, serve};
use serde_json::{Value, json};
use tempfile::TempDir;

// No 8-character run in common with the account key: the CLI hides any.
const WEBHOOK_SECRET: &str = "whsec_Webhook0Secret0x7HOOK";
const TOOL_SECRET: &str = "tool_Bearer0Secret0x7TOOL";

/// An assistant with every hosted field and a tool that has a secret.
fn full(name: &str) -> Value {
    json!({
        "name": name, "business_name": "Acme", "notification_email": "ops@acme.example",
        "first_message": "Hello, how can I help?", "is_active": false,
        "max_duration_seconds": 600, "autonomous_silence_handling": true,
        "silence_timeout_seconds": 20, "voicemail_detection": true,
        "voicemail_message": "Please call back", "gdpr_mode": true,
        "webhook_url": "https://hooks.acme.example/voicedock", "webhook_secret": WEBHOOK_SECRET,
        "webhook_events": ["end-of-call-report"],
        "analysis_plan": {"structured_data_plan": {"enabled": true, "template_id": "t1"}},
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
            "messages": [{"role": "system", "content": "You are a receptionist."}],
            "tools": [{"type": "function",
                       "function": {"name": "book", "description": "Books a table"},
                       "server": {"url": "https://tools.acme.example/book", "secret": TOOL_SECRET}}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "your-voice-id"}
    })
}

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn no_secret(output: &Output) {
    let all = text(output);
    assert!(
        !all.contains(WEBHOOK_SECRET) && !all.contains(TOOL_SECRET),
        "{all}"
    );
}

#[test]
fn get_json_applies_back_on_our_server_and_secrets_stay_secret() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let out = h.api(
        &["assistants", "apply", "-f", "-", "--json"],
        &full("Front Desk").to_string(),
    );
    no_secret(&out);
    let created = json_of(out);
    assert_eq!(created["assistant"]["webhook_secret"], "••••HOOK");
    let id = created["assistant"]["id"].as_str().unwrap().to_owned();

    // Printed redacted unless --reveal, in JSON and in every table.
    let out = h.api(&["assistants", "get", &id, "--json"], "");
    no_secret(&out);
    let got = json_of(out);
    let tool = &got["assistant"]["llm_config"]["tools"][0]["server"];
    assert_eq!(tool["secret"], "••••TOOL");
    let revealed = json_of(h.api(&["assistants", "get", &id, "--json", "--reveal"], ""));
    assert_eq!(revealed["assistant"]["webhook_secret"], WEBHOOK_SECRET);
    let out = h.api(&["assistants", "ls", "--json"], "");
    no_secret(&out);
    assert_eq!(json_of(out)["assistants"][0]["webhook_secret"], "••••HOOK");
    let all = ok(h.api(&["assistants", "ls", "--json", "--reveal"], ""));
    assert!(all.contains(WEBHOOK_SECRET) && all.contains(TOOL_SECRET));
    for args in [
        &["assistants", "get", &id][..],
        &["assistants", "get", &id, "--reveal"],
        &["assistants", "ls"],
    ] {
        let out = h.api(args, "");
        no_secret(&out);
        assert!(out.status.success(), "{}", text(&out));
    }
    let table = ok(h.api(&["assistants", "get", &id], ""));
    assert!(
        table.contains("••••HOOK") && table.contains("is_active"),
        "{table}"
    );

    // Applied back unchanged, it changes nothing.
    let file = write(work.path(), "a.json", &got);
    let same = ok(h.api(&["assistants", "apply", "-f", &file], ""));
    assert!(same.contains("unchanged"), "{same}");

    // Edited, only the edits go out and the redacted secrets are kept.
    let mut edited = got.clone();
    edited["assistant"]["name"] = json!("Reception");
    edited["assistant"]["is_active"] = json!(true);
    edited["assistant"]["llm_config"]["temperature"] = json!(0.3);
    let file = write(work.path(), "b.json", &edited);
    let out = h.api(&["assistants", "apply", "-f", &file], "");
    no_secret(&out);
    let said = ok(out);
    assert!(
        said.contains("updated: name, llm_config, is_active, revision 2"),
        "{said}"
    );
    let after = json_of(h.api(&["assistants", "get", &id, "--json", "--reveal"], ""));
    let a = &after["assistant"];
    assert_eq!(a["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(a["llm_config"]["tools"][0]["server"]["secret"], TOOL_SECRET);
    assert_eq!(
        (a["name"].clone(), a["is_active"].clone()),
        (json!("Reception"), json!(true))
    );
    for field in [
        "analysis_plan",
        "webhook_events",
        "voicemail_message",
        "gdpr_mode",
    ] {
        assert_eq!(a[field], full("x")[field], "{field}");
    }

    // A new secret given in full is sent; the output still redacts it.
    let mut rotated = after.clone();
    rotated["assistant"]["webhook_secret"] = json!("whsec_rotated_0123456789NEW1");
    let out = h.api(
        &["assistants", "apply", "-f", "-", "--json"],
        &rotated.to_string(),
    );
    assert!(!text(&out).contains("whsec_rotated"), "{}", text(&out));
    assert_eq!(json_of(out)["assistant"]["webhook_secret"], "••••NEW1");

    // A new assistant cannot keep a secret it does not have: refused by name.
    let mut copy = got["assistant"].clone();
    copy.as_object_mut().unwrap().remove("id");
    let out = h.api(&["assistants", "apply", "-f", "-"], &copy.to_string());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let why = text(&out);

    assert!(
        why.contains("webhook_secret, llm_config.tools[0].server.secret are redacted"),
        "{why}"
    );
    let list = json_of(h.api(&["assistants", "ls", "--json"], ""));
    assert_eq!(list["assistants"].as_array().unwrap().len(), 1);
}

#[test]
fn a_stale_file_gets_412_on_our_server_and_force_applies_it() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let created = json_of(h.api(
        &["assistants", "apply", "-f", "-", "--json"],
        &full("Desk").to_string(),
    ));
    let id = created["assistant"]["id"].as_str().unwrap().to_owned();
    let mut mine = json_of(h.api(&["assistants", "get", &id, "--json"], ""));
    assert_eq!(mine["assistant"]["revision"], 1);

    // Someone else changes it meanwhile.
    let theirs = json!({"id": id, "voicemail_message": "Changed elsewhere"});
    ok(h.api(&["assistants", "apply", "-f", "-"], &theirs.to_string()));

    mine["assistant"]["first_message"] = json!("Mine");
    let file = write(work.path(), "mine.json", &mine);
    let out = h.api(&["assistants", "apply", "-f", &file], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    no_secret(&out);
    let why = text(&out);
    assert!(
        why.contains("changed on the server since you read it"),
        "{why}"
    );
    assert!(
        why.contains("your file is revision 1, the server's copy revision 2"),
        "{why}"
    );
    assert!(
        why.contains(
            "voicemail_message: server \"Changed elsewhere\", your file \"Please call back\""
        ),
        "{why}"
    );
    assert!(why.contains("--force"), "{why}");
    let now = json_of(h.api(&["assistants", "get", &id, "--json"], ""));
    assert_eq!(now["assistant"]["first_message"], "Hello, how can I help?");
    assert_eq!(now["assistant"]["revision"], 2);

    // --force: the file wins, and the kept secrets are still kept.
    let said = ok(h.api(&["assistants", "apply", "-f", &file, "--force"], ""));
    assert!(said.contains("revision 3"), "{said}");
    let now = json_of(h.api(&["assistants", "get", &id, "--json", "--reveal"], ""));
    assert_eq!(now["assistant"]["first_message"], "Mine");
    assert_eq!(now["assistant"]["voicemail_message"], "Please call back");
    assert_eq!(now["assistant"]["webhook_secret"], WEBHOOK_SECRET);
}

/// The assistant as the hosted service answers it: no revision, no ETag.
fn hosted_assistant(updated_at: &str) -> Value {
    let mut a = full("Front Desk");
    let extra = json!({"id": "a1", "created_at": "2026-01-05T09:00:00Z", "updated_at": updated_at});
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

/// The binary pointed at a canned service, as a user of the hosted one would.
fn hosted(base: &str, args: &[&str], stdin: &str) -> Output {
    let config = TempDir::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.args(args)
        .env("VOICEDOCK_CONFIG_DIR", config.path())
        .env("VOICEDOCK_DATA_DIR", config.path())
        .env("VOICEDOCK_BASE_URL", base)
        .env("VOICEDOCK_API_KEY", KEY);
    run(cmd, stdin)
}

#[test]
fn get_json_applies_back_on_the_hosted_shape_without_sending_redactions() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let now = "2026-03-01T10:00:00Z";
    let one = json!({"assistant": hosted_assistant(now)}).to_string();
    let all = json!({"assistants": [hosted_assistant(now)]}).to_string();
    let (base, log) = runtime.block_on(serve(vec![
        ("GET", "/api/v1/assistants/a1", reply(200, &one)),
        ("GET", "/api/v1/assistants", reply(200, &all)),
        ("PATCH", "/api/v1/assistants/a1", reply(200, &one)),
        (
            "DELETE",
            "/api/v1/assistants/a1",
            reply(200, r#"{"success": true}"#),
        ),
    ]));
    let patches = || {
        seen(&log)
            .into_iter()
            .filter(|r| r.method == "PATCH")
            .collect::<Vec<_>>()
    };

    let out = hosted(&base, &["assistants", "get", "a1", "--json"], "");
    no_secret(&out);
    let got = json_of(out);
    assert_eq!(got["assistant"]["webhook_secret"], "••••HOOK");
    let out = hosted(&base, &["assistants", "ls", "--json"], "");
    no_secret(&out);
    let shown = ok(hosted(
        &base,
        &["assistants", "get", "a1", "--json", "--reveal"],
        "",
    ));
    assert!(shown.contains(WEBHOOK_SECRET) && shown.contains(TOOL_SECRET));

    // Only the edit goes out: no redaction, no secret, no invented If-Match.
    let mut edited = got.clone();
    edited["assistant"]["name"] = json!("Reception");
    let out = hosted(
        &base,
        &["assistants", "apply", "-f", "-", "--json"],
        &edited.to_string(),
    );
    no_secret(&out);
    ok(out);
    let patch = patches().pop().unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&patch.body).unwrap(),
        json!({"name": "Reception"})
    );
    assert!(
        !patch.headers.contains_key("if-match"),
        "{:?}",
        patch.headers
    );

    // A config is sent whole: its redacted tool secret goes out restored.
    let mut edited = got.clone();
    edited["assistant"]["llm_config"]["temperature"] = json!(0.2);
    let out = hosted(
        &base,
        &["assistants", "apply", "-f", "-"],
        &edited.to_string(),
    );
    no_secret(&out);
    assert!(ok(out).contains("updated: llm_config"));
    let body: Value = serde_json::from_str(&patches().pop().unwrap().body).unwrap();
    assert!(!body.to_string().contains("••••"), "{body}");
    assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    assert_eq!(
        body["llm_config"]["tools"][0]["server"]["secret"],
        TOOL_SECRET
    );
    assert_eq!(body["llm_config"]["temperature"], 0.2);

    // A file read before the server's last change is refused, with the diff.
    let sent = patches().len();
    let mut old = json!({"assistant": hosted_assistant("2026-02-01T08:30:00Z")});
    old["assistant"]["voicemail_message"] = json!("Old message");
    let out = hosted(&base, &["assistants", "apply", "-f", "-"], &old.to_string());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    no_secret(&out);
    let why = text(&out);
    assert!(
        why.contains("changed on the server since you read it"),
        "{why}"
    );
    assert!(why.contains(now), "{why}");
    assert!(
        why.contains("voicemail_message: server \"Please call back\", your file \"Old message\""),
        "{why}"
    );
    assert!(
        !why.contains("webhook_secret"),
        "equal secrets are no difference: {why}"
    );
    assert_eq!(patches().len(), sent, "nothing was sent");
    ok(hosted(
        &base,
        &["assistants", "apply", "-f", "-", "--force"],
        &old.to_string(),
    ));
    let body: Value = serde_json::from_str(&patches().pop().unwrap().body).unwrap();
    assert_eq!(body, json!({"voicemail_message": "Old message"}));

    let gone = ok(hosted(&base, &["assistants", "rm", "a1"], ""));
    assert!(gone.contains("deleted"), "{gone}");
    assert_eq!(
        json_of(hosted(&base, &["assistants", "rm", "a1", "--json"], "")),
        json!({"success": true})
    );
}

//! `assistants` through the real binary: apply creates, then updates only
//! what changed; errors exit 1 naming the field.

use testkit::cli_support;
use testkit::client_support;

use std::path::Path;
use std::process::Command;

use cli_support::*;
use client_support::{KEY, reply, seen, serve};
use serde_json::{Value, json};
use tempfile::TempDir;

fn write(dir: &Path, name: &str, value: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

#[test]
fn assistants_apply_creates_then_updates_only_what_changed() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let body = json!({
        "name": "My Assistant",
        "first_message": "Hello, how can I help?",
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                       "messages": [{"role": "system", "content": "You are a receptionist."}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "your-voice-id"}
    });
    let created = json_of(h.api(
        &[
            "assistants",
            "apply",
            "-f",
            &write(work.path(), "a.json", &body),
            "--json",
        ],
        "",
    ));
    let id = created["assistant"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["assistant"]["revision"], 1);

    // Read-only fields are not sent (`revision` says which version the file
    // was read from), and fields left out of the file are not touched:
    // only `name` and the LLM config go out.
    let update = json!({
        "id": id, "created_at": "1970-01-01T00:00:00Z", "revision": 1,
        "name": "Front Desk",
        "llm_config": {"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.2,
                       "messages": [{"role": "system", "content": "You are a receptionist."}]}
    });
    let human = ok(h.api(&["assistants", "apply", "-f", "-"], &update.to_string()));
    assert!(human.contains("updated: name, llm_config"), "{human}");

    let got = json_of(h.api(&["assistants", "get", &id, "--json"], ""));
    let a = &got["assistant"];
    assert_eq!(a["name"], "Front Desk");
    assert_eq!(a["llm_config"]["model"], "gpt-4o-mini");
    assert_eq!(a["first_message"], "Hello, how can I help?");
    assert_eq!(a["stt_config"]["language"], "nl");
    assert_eq!(a["revision"], 2);
    assert_ne!(a["created_at"], "1970-01-01T00:00:00Z");

    let again = ok(h.api(&["assistants", "apply", "-f", "-"], &update.to_string()));
    assert!(again.contains("unchanged"), "{again}");

    let list = ok(h.api(&["assistants", "ls"], ""));
    assert!(list.contains(&id) && list.contains("Front Desk"), "{list}");
    ok(h.api(&["assistants", "rm", &id], ""));
    let missing = h.api(&["assistants", "get", &id], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing).contains("not found"), "{}", text(&missing));
}

#[test]
fn api_and_file_errors_exit_1_naming_the_field() {
    let h = harness();
    let bad = json!({"name": "A", "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 5}});
    let out = h.api(&["assistants", "apply", "-f", "-"], &bad.to_string());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("llm_config.temperature"),
        "{}",
        text(&out)
    );

    let typo = json!({"name": "A", "llm_config": {"provider": "openai", "model": "gpt-4o", "temprature": 1}});
    let out = h.api(&["assistants", "apply", "-f", "-"], &typo.to_string());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("llm_config.temprature"),
        "{}",
        text(&out)
    );

    let mut half = h.command(&["byok", "ls"]);
    half.env("VOICEDOCK_BASE_URL", &h.base_url);
    let out = run(half, "");
    // Half of the environment's pair is a usage error, as an unknown profile is.
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("VOICEDOCK_API_KEY is not"),
        "{}",
        text(&out)
    );

    let mut wrong = h.command(&["byok", "ls"]);
    wrong
        .env("VOICEDOCK_BASE_URL", &h.base_url)
        .env("VOICEDOCK_API_KEY", "vd_live_not_a_real_key");
    let out = run(wrong, "");
    assert_eq!(out.status.code(), Some(1));
    assert!(!text(&out).contains("vd_live_not_a_real_key"));
}

#[test]
fn get_json_can_be_edited_and_applied_back() {
    let h = harness();
    let body = json!({"name": "Desk", "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7}});
    let created = json_of(h.api(
        &["assistants", "apply", "-f", "-", "--json"],
        &body.to_string(),
    ));
    let id = created["assistant"]["id"].as_str().unwrap().to_owned();

    let mut got = json_of(h.api(&["assistants", "get", &id, "--json"], ""));
    got["assistant"]["llm_config"]["temperature"] = json!(0.3);
    let human = ok(h.api(&["assistants", "apply", "-f", "-"], &got.to_string()));
    assert!(human.contains("updated: llm_config, revision 2"), "{human}");
    let after = json_of(h.api(&["assistants", "get", &id, "--json"], ""));
    assert_eq!(after["assistant"]["llm_config"]["temperature"], 0.3);
}

/// The binary pointed at a canned service, as a user of the hosted one would.
fn hosted(base: &str, args: &[&str], stdin: &str) -> std::process::Output {
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
fn apply_passes_config_fields_it_does_not_know_on_but_refuses_top_level_typos() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let assistant = json!({"assistant": {
        "id": "a1", "name": "Desk",
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                       "tools": [{"type": "transfer"}]}}});
    let mut get = reply(200, &assistant.to_string());
    get.headers.push(("ETag", "\"3\"".into()));
    let (base, log) = runtime.block_on(serve(vec![
        ("GET", "/api/v1/assistants/a1", get),
        (
            "PATCH",
            "/api/v1/assistants/a1",
            reply(200, &assistant.to_string()),
        ),
    ]));

    // What `get --json` printed, with the temperature edited.
    let mut file = assistant.clone();
    file["assistant"]["llm_config"]["temperature"] = json!(0.2);
    ok(hosted(
        &base,
        &["assistants", "apply", "-f", "-"],
        &file.to_string(),
    ));
    let patch = seen(&log)
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(patch.headers["if-match"], "\"3\"");
    let sent: Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(sent, json!({"llm_config": file["assistant"]["llm_config"]}));

    let requests = seen(&log).len();
    let typo =
        json!({"id": "a1", "nam": "Desk", "llm_config": {"provider": "openai", "model": "gpt-4o"}});
    let out = hosted(
        &base,
        &["assistants", "apply", "-f", "-"],
        &typo.to_string(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("unknown field nam"), "{}", text(&out));
    assert_eq!(seen(&log).len(), requests, "refused before any request");
}

#[test]
fn get_finds_an_assistant_by_name_as_the_console_edit_does() {
    let h = harness();
    let mut ids = std::collections::HashMap::new();
    for name in ["Front Desk", "Sales EU", "Sales US"] {
        let body = json!({"name": name});
        let created = json_of(h.api(
            &["assistants", "apply", "-f", "-", "--json"],
            &body.to_string(),
        ));
        ids.insert(
            name,
            created["assistant"]["id"].as_str().unwrap().to_owned(),
        );
    }

    for given in ["Front Desk", "front desk", "fro", &ids["Front Desk"]] {
        let got = json_of(h.api(&["assistants", "get", given, "--json"], ""));
        assert_eq!(
            got["assistant"]["id"],
            ids["Front Desk"].as_str(),
            "{given}"
        );
    }
    let table = ok(h.api(&["assistants", "get", "sales us"], ""));
    assert!(table.contains(&ids["Sales US"]), "{table}");

    let both = h.api(&["assistants", "get", "sales", "--json"], "");
    assert_eq!(both.status.code(), Some(1));
    assert!(both.stdout.is_empty(), "{}", text(&both));
    let said = String::from_utf8_lossy(&both.stderr);
    for name in ["Sales EU", "Sales US"] {
        assert!(said.contains(&ids[name]) && said.contains(name), "{said}");
    }

    let none = h.api(&["assistants", "get", "nobody"], "");
    assert_eq!(none.status.code(), Some(1));
    assert!(
        text(&none).contains("no assistant has the id or name \"nobody\""),
        "{}",
        text(&none)
    );
}

#[test]
fn get_by_name_works_against_the_hosted_service_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, state) = runtime.block_on(testkit::hosted_support::start());
    state.lock().unwrap().assistants = vec![
        json!({"id": "asst_1", "name": "Front Desk"}),
        json!({"id": "asst_2", "name": "Night Line"}),
    ];
    // The hosted service answers 404 for a name given as an id; the list has it.
    let config = TempDir::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.args(["assistants", "get", "night", "--json"])
        .env("VOICEDOCK_CONFIG_DIR", config.path())
        .env("VOICEDOCK_DATA_DIR", config.path())
        .env("VOICEDOCK_BASE_URL", &base)
        .env("VOICEDOCK_API_KEY", testkit::hosted_support::HOSTED_KEY);
    let got = json_of(run(cmd, ""));
    assert_eq!(got["assistant"]["id"], "asst_2");
}

//! Assistants as code through the real binary and our server: `pull` to a
//! private file, `diff` against the server's copy, `apply` back, and the
//! warning when the server does not keep a value as it was sent.

use testkit::cli_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use cli_support::*;
use serde_json::{Value, json};
use tempfile::TempDir;

// No 8-character run in common with the account key: the CLI hides any.
const WEBHOOK_SECRET: &str = "whsec_Pulled0Secret0x7HOOK";
const TOOL_SECRET: &str = "tool_Pulled0Bearer0x7TOOL";

fn assistant(name: &str) -> Value {
    json!({
        "name": name, "first_message": "Hello, how can I help?", "voicemail_message": "Call back",
        "webhook_url": "https://hooks.acme.example/voicedock", "webhook_secret": WEBHOOK_SECRET,
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
            "tools": [{"type": "function", "function": {"name": "book"},
                       "server": {"url": "https://tools.acme.example/book", "secret": TOOL_SECRET}}]}
    })
}

fn no_secret(output: &Output) {
    let all = text(output);
    assert!(
        !all.contains(WEBHOOK_SECRET) && !all.contains(TOOL_SECRET),
        "{all}"
    );
}

/// A new assistant on the harness's server, and its id.
fn created(h: &Harness, body: &Value) -> String {
    let out = h.api(
        &["assistants", "apply", "-f", "-", "--json"],
        &body.to_string(),
    );
    json_of(out)["assistant"]["id"].as_str().unwrap().to_owned()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn write(path: &Path, value: &Value) -> String {
    std::fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

fn stored(h: &Harness, id: &str) -> Value {
    json_of(h.api(&["assistants", "get", id, "--json", "--reveal"], ""))["assistant"].take()
}

#[cfg(unix)]
/// "Front Desk" stored, then pulled into `desk.json` in `work`: its id and
/// the file.
fn front_desk_pulled(h: &Harness, work: &TempDir) -> (String, PathBuf) {
    let id = created(h, &assistant("Front Desk"));
    let file = work.path().join("desk.json");
    ok(h.api(
        &["assistants", "pull", &id, "-o", file.to_str().unwrap()],
        "",
    ));
    (id, file)
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn pull_writes_a_private_file_with_secrets_redacted_unless_revealed() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let id = created(&h, &assistant("Front Desk"));

    let file = work.path().join("desk.json");
    let out = h.api(
        &["assistants", "pull", &id, "-o", file.to_str().unwrap()],
        "",
    );
    no_secret(&out);
    let said = ok(out);
    assert!(
        said.contains("written to") && said.contains("redacted"),
        "{said}"
    );
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let pulled = read(&file);
    assert_eq!(pulled["id"], id.as_str(), "bare, with its id");
    assert_eq!(pulled["revision"], 1);
    assert_eq!(pulled["name"], "Front Desk");
    assert_eq!(pulled["webhook_secret"], "••••HOOK");
    assert_eq!(
        pulled["llm_config"]["tools"][0]["server"]["secret"],
        "••••TOOL"
    );
    let raw = std::fs::read_to_string(&file).unwrap();
    assert!(!raw.contains("Pulled0"), "{raw}");

    // "-" is stdout: the same assistant, as redacted.
    let out = h.api(&["assistants", "pull", &id, "-o", "-"], "");
    no_secret(&out);
    assert_eq!(json_of(out), pulled);

    // --reveal puts the secrets in the file, and only there; an existing
    // file is replaced, and that is said.
    let out = h.api(
        &[
            "assistants",
            "pull",
            &id,
            "-o",
            file.to_str().unwrap(),
            "--reveal",
        ],
        "",
    );
    no_secret(&out);
    assert!(
        text(&out).contains("replaced the existing"),
        "{}",
        text(&out)
    );
    ok(out);
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o600);
    let revealed = read(&file);
    assert_eq!(revealed["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(
        revealed["llm_config"]["tools"][0]["server"]["secret"],
        TOOL_SECRET
    );

    let out = h.api(&["assistants", "pull", "no-such-id", "-o", "-"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}

#[test]
fn a_pulled_file_applies_back_and_keeps_the_stored_secrets() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let (id, file) = front_desk_pulled(&h, &work);

    let out = h.api(&["assistants", "apply", "-f", file.to_str().unwrap()], "");
    no_secret(&out);
    assert!(ok(out).contains("unchanged"));

    // Edited next to its redacted secrets: the edit goes out, the secrets
    // stay the stored ones, never the redaction.
    let mut edited = read(&file);
    edited["name"] = json!("Reception");
    edited["llm_config"]["temperature"] = json!(0.3);
    let out = h.api(&["assistants", "apply", "-f", &write(&file, &edited)], "");
    no_secret(&out);
    assert!(!text(&out).contains("warning"), "{}", text(&out));
    assert!(ok(out).contains("updated: name, llm_config"));
    let now = stored(&h, &id);
    assert_eq!(now["name"], "Reception");
    assert_eq!(now["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(
        now["llm_config"]["tools"][0]["server"]["secret"],
        TOOL_SECRET
    );
    assert_eq!(now["llm_config"]["temperature"], 0.3);
}

#[test]
fn diff_lists_what_apply_would_change_and_exits_like_diff() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let (id, file) = front_desk_pulled(&h, &work);
    let path = file.to_str().unwrap();

    let out = h.api(&["assistants", "diff", "-f", path], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("would change nothing"),
        "{}",
        text(&out)
    );

    let mut edited = read(&file);
    edited["name"] = json!("Reception");
    edited["voicemail_message"] = Value::Null;
    edited["llm_config"]["temperature"] = json!(0.3);
    edited["webhook_secret"] = json!("whsec_Rotated0Secret0x7NEW1");
    write(&file, &edited);
    let out = h.api(&["assistants", "diff", "-f", path], "");
    no_secret(&out);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(!shown.contains("Rotated0"), "{shown}");
    for line in [
        "  name: \"Front Desk\" → \"Reception\"",
        "  voicemail_message: \"Call back\" → (none)",
        "  llm_config.temperature: 0.7 → 0.3",
        "  webhook_secret: changed (secret)",
        // The config goes out whole, its tool's secret with it as it was.
        "  llm_config.tools[0].server.secret: unchanged (secret)",
    ] {
        assert!(shown.contains(&format!("{line}\n")), "{line}:\n{shown}");
    }
    assert!(!shown.contains("first_message"), "{shown}");
    assert!(!shown.contains("note:"), "{shown}");
    // Nothing was sent.
    let now = stored(&h, &id);
    assert_eq!(
        (now["name"].clone(), now["revision"].clone()),
        (json!("Front Desk"), json!(1))
    );

    // Changed on the server since: still listed, with a note that apply
    // would refuse the file.
    ok(h.api(
        &["assistants", "apply", "-f", "-"],
        &json!({"id": id, "first_message": "Changed elsewhere"}).to_string(),
    ));
    let out = h.api(&["assistants", "diff", "-f", path], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(
        shown.contains("  first_message: \"Changed elsewhere\" → \"Hello, how can I help?\""),
        "{shown}"
    );
    assert!(
        shown.contains("revision 1 in the file, 2 on the server") && shown.contains("--force"),
        "{shown}"
    );

    // No id: everything would be new.
    let fresh = work.path().join("new.json");
    write(
        &fresh,
        &json!({"name": "New desk", "webhook_secret": "••••HOOK"}),
    );
    let out = h.api(&["assistants", "diff", "-f", fresh.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let shown = text(&out);
    assert!(shown.contains("apply would create"), "{shown}");
    assert!(shown.contains("  name: (none) → \"New desk\""), "{shown}");
    assert!(
        shown.contains("apply refuses this file: webhook_secret"),
        "{shown}"
    );

    // Trouble is 2, as diff(1)'s.
    let broken = work.path().join("broken.json");
    std::fs::write(&broken, "{").unwrap();
    let out = h.api(&["assistants", "diff", "-f", broken.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("not valid JSON"), "{}", text(&out));
    let gone = work.path().join("gone.json");
    write(&gone, &json!({"id": "no-such-id", "name": "x"}));
    let out = h.api(&["assistants", "diff", "-f", gone.to_str().unwrap()], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

#[test]
fn apply_warns_where_the_server_does_not_keep_a_value_as_sent() {
    // Our server trims a name: the file then says something the service
    // does not hold.
    let h = harness();
    let work = TempDir::new().unwrap();
    let out = h.api(
        &["assistants", "apply", "-f", "-"],
        &assistant("  Padded desk  ").to_string(),
    );
    no_secret(&out);
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("warning: assistant"), "{all}");
    assert!(
        all.contains("  name: sent \"  Padded desk  \", the server keeps \"Padded desk\""),
        "{all}"
    );
    assert!(
        !all.contains("webhook_secret"),
        "a kept secret is no news: {all}"
    );
    let warning = String::from_utf8(out.stderr).unwrap();
    assert!(
        warning.contains("the server does not keep"),
        "on stderr: {warning}"
    );

    let id = json_of(h.api(&["assistants", "ls", "--json"], ""))["assistants"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = work.path().join("desk.json");
    ok(h.api(
        &["assistants", "pull", &id, "-o", file.to_str().unwrap()],
        "",
    ));
    let mut edited = read(&file);
    edited["name"] = json!("Reception ");
    let out = h.api(
        &[
            "assistants",
            "apply",
            "-f",
            &write(&file, &edited),
            "--json",
        ],
        "",
    );
    let all = text(&out);
    assert!(out.status.success(), "{all}");
    assert!(
        all.contains("  name: sent \"Reception \", the server keeps \"Reception\""),
        "{all}"
    );
    assert_eq!(stored(&h, &id)["name"], "Reception");
}

#[test]
fn diff_that_cannot_find_out_is_trouble_not_changes() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let (_, file) = front_desk_pulled(&h, &work);
    let path = file.to_str().unwrap();
    // A server out of reach (a loopback port nobody listens on) and a
    // profile that does not exist: neither answer is "changes" (1).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut cmd = h.command(&["assistants", "diff", "-f", path]);
    cmd.env("VOICEDOCK_BASE_URL", &url)
        .env("VOICEDOCK_API_KEY", "vd_live_not_a_real_key_0000");
    let out = run(cmd, "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let out = run(
        h.command(&["--profile", "nosuch", "assistants", "diff", "-f", path]),
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("nosuch"), "{}", text(&out));
}

#[test]
fn diff_json_lists_the_changes_and_only_says_whether_a_secret_changed() {
    let h = harness();
    let work = TempDir::new().unwrap();
    let (id, file) = front_desk_pulled(&h, &work);
    let path = file.to_str().unwrap();

    let out = h.api(&["assistants", "diff", "-f", path, "--json"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let same: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        same,
        json!({"id": id, "action": "update", "changes": [], "unchanged": true, "notes": []})
    );

    let mut edited = read(&file);
    edited["name"] = json!("Reception");
    edited["voicemail_message"] = Value::Null;
    edited["llm_config"]["temperature"] = json!(0.3);
    edited["webhook_secret"] = json!("whsec_Rotated0Secret0x7NEW1");
    write(&file, &edited);
    let out = h.api(&["assistants", "diff", "-f", path, "--json"], "");
    no_secret(&out);
    assert!(!text(&out).contains("Rotated0"), "{}", text(&out));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["unchanged"], false, "{body}");
    assert_eq!(body["action"], "update", "{body}");
    let changes = body["changes"].as_array().unwrap();
    for entry in [
        json!({"field": "name", "from": "Front Desk", "to": "Reception"}),
        json!({"field": "voicemail_message", "from": "Call back", "to": null}),
        json!({"field": "llm_config.temperature", "from": 0.7, "to": 0.3}),
        json!({"field": "webhook_secret", "secret": "changed"}),
        // The config goes out whole, its tool's secret with it as it was.
        json!({"field": "llm_config.tools[0].server.secret", "secret": "unchanged"}),
    ] {
        assert!(changes.contains(&entry), "{entry}: {body}");
    }

    let fresh = work.path().join("new.json");
    write(&fresh, &json!({"name": "New desk"}));
    let out = h.api(
        &[
            "assistants",
            "diff",
            "-f",
            fresh.to_str().unwrap(),
            "--json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let body: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["action"], "create", "{body}");
    assert_eq!(body["id"], Value::Null, "{body}");
    assert!(
        body["changes"]
            .as_array()
            .unwrap()
            .contains(&json!({"field": "name", "from": null, "to": "New desk"})),
        "{body}"
    );
}

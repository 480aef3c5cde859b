//! `byok config PROVIDER -f FILE`: settings merged on the server, from a
//! file or stdin, against ours and the hosted service; their values never
//! printed, whatever the server says back.

use testkit::cli_support;
use testkit::hosted_support;

use cli_support::*;
use serde_json::json;

const SECRET_VALUE: &str = "org-SettingNeverPrinted0042";

#[test]
fn settings_from_a_file_or_stdin_are_merged_by_our_server_and_never_printed() {
    let h = harness();
    let before_key = h.api(
        &["byok", "config", "openai", "-f", "-"],
        r#"{"region": "eu"}"#,
    );
    assert_eq!(before_key.status.code(), Some(1), "{}", text(&before_key));
    assert!(
        text(&before_key).contains("store one"),
        "{}",
        text(&before_key)
    );

    ok(h.api(&["byok", "set", "openai"], &format!("{OPENAI_KEY}\n")));
    let file = h.config.path().join("settings.json");
    std::fs::write(
        &file,
        json!({"organization": SECRET_VALUE, "region": "eu"}).to_string(),
    )
    .unwrap();
    let out = h.api(
        &["byok", "config", "OpenAI", "-f", file.to_str().unwrap()],
        "",
    );
    let all = text(&out);
    let stdout = ok(out);
    assert!(stdout.contains("organization, region"), "{stdout}");
    assert!(!all.contains(SECRET_VALUE), "{all}");

    let merged = json_of(h.api(
        &["byok", "config", "openai", "-f", "-", "--json"],
        r#"{"region": null, "project": "p1"}"#,
    ));
    assert_eq!(
        merged,
        json!({"success": true, "byok_config": {"openai": {}}, "stored": ["organization", "project"]})
    );

    let not_object = h.api(&["byok", "config", "openai", "-f", "-"], "[1, 2]");
    assert_eq!(not_object.status.code(), Some(1));
    assert!(
        text(&not_object).contains("one JSON object"),
        "{}",
        text(&not_object)
    );
    let not_json = h.api(&["byok", "config", "openai", "-f", "-"], "region=eu");
    assert_eq!(not_json.status.code(), Some(1));
    assert!(
        text(&not_json).contains("not valid JSON"),
        "{}",
        text(&not_json)
    );
}

#[test]
fn settings_sent_to_the_hosted_service_are_merged_there_and_its_echo_is_not_printed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (base, state) = runtime.block_on(hosted_support::start());
    let h = harness();
    let hosted = |args: &[&str], stdin: &str| {
        let mut cmd = h.command(args);
        cmd.env("VOICEDOCK_BASE_URL", &base)
            .env("VOICEDOCK_API_KEY", hosted_support::HOSTED_KEY);
        run(cmd, stdin)
    };
    let no_key = hosted(
        &["byok", "config", "openai", "-f", "-"],
        r#"{"region": "eu"}"#,
    );
    assert_eq!(no_key.status.code(), Some(1), "{}", text(&no_key));

    ok(hosted(
        &["byok", "set", "openai"],
        &format!("{OPENAI_KEY}\n"),
    ));
    let body = json!({"organization": SECRET_VALUE}).to_string();
    let out = hosted(&["byok", "config", "openai", "-f", "-"], &body);
    let all = text(&out);
    let stdout = ok(out);
    assert!(stdout.contains("organization"), "{stdout}");
    assert!(!all.contains(SECRET_VALUE), "{all}");
    let json_out = hosted(
        &["byok", "config", "openai", "-f", "-", "--json"],
        r#"{"region": "eu"}"#,
    );
    let all = text(&json_out);
    let answer = json_of(json_out);
    assert_eq!(answer["stored"], json!(["organization", "region"]), "{all}");
    assert!(!all.contains(SECRET_VALUE), "{all}");
    assert_eq!(
        state.lock().unwrap().settings["openai"],
        json!({"organization": SECRET_VALUE, "region": "eu"})
    );
}

//! Profiles as contexts in the real binary: `:profile NAME` moves the
//! console from one live server to another in place, the header shows the
//! profile in its colour, and a read-only profile stays read-only.

use testkit::common;
use testkit::pty_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::TestServer;
use pty_support::*;
use secrecy::SecretString;
use voicedock::client::ApiClient;

/// Two profiles on two servers: `staging` (the default) and `prod`,
/// read-only and red.
fn write_profiles(home: &Path, staging: &TestServer, prod: &TestServer) {
    let dir = home.join("config");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "default_profile = \"staging\"\n\n\
             [profiles.staging]\nbase_url = \"{}\"\ncolor = \"#00ff00\"\n\n\
             [profiles.prod]\nbase_url = \"{}\"\nread_only = true\ncolor = \"red\"\n",
            staging.base_url, prod.base_url
        ),
    )
    .unwrap();
    let credentials = dir.join("credentials.toml");
    std::fs::write(
        &credentials,
        format!(
            "[staging]\napi_key = \"{}\"\n\n[prod]\napi_key = \"{}\"\n",
            staging.api_key, prod.api_key
        ),
    )
    .unwrap();
    std::fs::set_permissions(&credentials, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn named_assistant(runtime: &tokio::runtime::Runtime, server: &TestServer, name: &str) {
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let draft = serde_json::from_value(serde_json::json!({ "name": name })).unwrap();
    runtime.block_on(client.create_assistant(&draft)).unwrap();
}

#[test]
fn a_profile_switch_moves_the_console_from_one_live_server_to_another() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let staging = runtime.block_on(TestServer::start());
    let prod = runtime.block_on(TestServer::start());
    named_assistant(&runtime, &staging, "Staging greeter");
    named_assistant(&runtime, &prod, "Prod greeter");
    let home = tempfile::tempdir().unwrap();
    write_profiles(home.path(), &staging, &prod);

    let mut c = Pty::spawn(voicedock(home.path(), &[("COLORTERM", "truecolor")]));
    c.wait_for("platform default keys");
    c.send("3");
    c.wait_for("Staging greeter");
    assert!(!c.text().contains("read-only"), "{}", c.text());

    c.send(":profile prod\r");
    c.wait_for("Prod greeter");
    c.wait_for("Switched to profile prod");
    let text = c.text();
    assert!(
        !text.contains("Staging greeter"),
        "the old session's data is gone:\n{text}"
    );
    assert!(text.contains("prod read-only"), "{text}");
    assert!(text.contains(&prod.base_url), "{text}");
    // The header draws each profile in its own colour from config.toml.
    let style = c.style_before("prod").unwrap_or_default();
    assert!(
        style.starts_with("38;5;1;"),
        "red, as SGR 38;5;1: {style:?}"
    );

    // Read-only stays on: config.toml says so, not the console.
    c.send(":readonly\r");
    c.wait_for("Read-only stays on");
    c.send("n");
    c.wait_for("nothing can be changed");
    assert!(
        !c.text().contains("New assistant"),
        "no editor opens: {}",
        c.text()
    );

    // And back, through the list of profiles, with the history kept.
    c.send(":profile\r");
    c.wait_for("Switch to profile");
    c.send("staging\r");
    c.wait_for("Switched to profile staging");
    c.wait_for("Staging greeter");
    let style = c.style_before("staging").unwrap_or_default();
    assert!(
        style.starts_with("38;2;0;255;0"),
        "#00ff00 on a 24-bit terminal: {style:?}"
    );
    // Newest first: ":profile", then ":readonly" from before the switch.
    c.send(":\u{1b}[A\u{1b}[A");
    c.wait_for(":readonly▏");
    c.send("\u{1b}");
    c.send("q");
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn a_profile_that_cannot_be_opened_leaves_the_session_running() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let staging = runtime.block_on(TestServer::start());
    let prod = runtime.block_on(TestServer::start());
    named_assistant(&runtime, &staging, "Staging greeter");
    let home = tempfile::tempdir().unwrap();
    write_profiles(home.path(), &staging, &prod);
    // prod's colour is broken after the start: the switch must refuse it.
    let config = home.path().join("config/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace("color = \"red\"", "color = \"redd\"")).unwrap();

    let mut c = Pty::spawn(voicedock(home.path(), &[]));
    c.send("3");
    c.wait_for("Staging greeter");
    c.send(":profile prod\r");
    c.wait_for("Profile prod was not opened");
    c.wait_for("is not a colour");
    // Still the staging session: a new assistant there shows on refresh.
    named_assistant(&runtime, &staging, "Second greeter");
    c.send("r");
    c.wait_for("Second greeter");
    c.send("q");
    assert_eq!(c.exit_code(), 0);
}

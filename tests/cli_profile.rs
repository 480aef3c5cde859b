//! `profile`, `accounts create` and `paths` through the real binary: keys
//! live in a private file, and every file is listed.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli_support;

use std::path::Path;

use cli_support::*;
use secrecy::ExposeSecret;
use serde_json::Value;

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn profiles_keep_keys_in_a_private_file() {
    use std::os::unix::fs::PermissionsExt;

    let h = harness();
    let key = format!("{}\n", h.account_key.expose_secret());
    let added = ok(h.local(
        &[
            "profile",
            "add",
            "dev",
            "--base-url",
            &format!("{}/api/v1/", h.base_url),
        ],
        &key,
    ));
    assert!(added.contains("now the default"), "{added}");
    assert!(added.contains("key works"), "{added}");
    assert_eq!(mode(&h.credentials()), 0o600);
    let config = std::fs::read_to_string(h.config.path().join("config.toml")).unwrap();
    assert!(
        config.contains(&format!("base_url = \"{}\"", h.base_url)),
        "{config}"
    );
    assert!(!config.contains(h.account_key.expose_secret()));

    // The stored key works without any environment.
    ok(h.local(&["byok", "ls"], ""));

    ok(h.local(
        &[
            "profile",
            "add",
            "prod",
            "--base-url",
            // A closed loopback port: the key cannot be checked, so it is saved with a warning.
            "http://127.0.0.1:9",
        ],
        "fl_live_0123456789\n",
    ));
    let refused = h.local(
        &["profile", "add", "wrong", "--base-url", &h.base_url],
        "vd_live_not-a-real-key\n",
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused).contains("refused this API key"),
        "{}",
        text(&refused)
    );
    let creds = std::fs::read_to_string(h.credentials()).unwrap();
    assert!(!creds.contains("wrong"), "a refused key is not saved");
    let ls = ok(h.local(&["profile", "ls"], ""));
    let dev = ls.lines().find(|l| l.contains(" dev ")).unwrap();
    assert!(dev.starts_with('*'), "{ls}");
    ok(h.local(&["profile", "use", "prod"], ""));
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], "prod");
    assert_eq!(listed["profiles"]["dev"]["base_url"], h.base_url.as_str());

    ok(h.local(&["profile", "rm", "prod"], ""));
    let creds = std::fs::read_to_string(h.credentials()).unwrap();
    assert!(
        creds.contains("[dev]\n") && !creds.contains("prod"),
        "{creds}"
    );
    assert_eq!(mode(&h.credentials()), 0o600);
    let listed = json_of(h.local(&["profile", "ls", "--json"], ""));
    assert_eq!(listed["default_profile"], Value::Null);
    ok(h.local(&["--profile", "dev", "byok", "ls"], ""));

    let local = h.local(
        &[
            "profile",
            "add",
            "local",
            "--base-url",
            "http://127.0.0.1:9",
        ],
        "k\n",
    );
    assert_eq!(local.status.code(), Some(1));
    assert!(text(&local).contains("reserved"), "{}", text(&local));

    std::fs::set_permissions(h.credentials(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let refused = h.local(&["--profile", "dev", "byok", "ls"], "");
    assert_eq!(refused.status.code(), Some(1));
    let shown = h.credentials().display().to_string();
    assert!(
        text(&refused).contains(&format!(
            "permissions 0644 for '{shown}' are too open; run chmod 600 '{shown}'"
        )),
        "{}",
        text(&refused)
    );
}

#[test]
fn accounts_create_prints_only_a_working_key() {
    let h = harness();
    let data = h.data.path().display().to_string();
    let out = ok(h.local(
        &[
            "accounts",
            "create",
            "--name",
            "Second",
            "--data-dir",
            &data,
        ],
        "",
    ));
    assert_eq!(out.lines().count(), 1, "{out}");
    let mut cmd = h.command(&["byok", "ls", "--json"]);
    cmd.env("VOICEDOCK_BASE_URL", &h.base_url)
        .env("VOICEDOCK_API_KEY", out.trim());
    let state = json_of(run(cmd, ""));
    assert!(state["byok_keys"].is_object());
}

#[test]
fn paths_lists_every_file() {
    let h = harness();
    let paths = json_of(h.local(&["paths", "--json"], ""));
    let config = h.config.path();
    assert_eq!(
        paths["config"],
        config.join("config.toml").display().to_string()
    );
    assert_eq!(
        paths["credentials"],
        config.join("credentials.toml").display().to_string()
    );
    assert_eq!(paths["data_dir"], h.data.path().display().to_string());
    assert!(
        paths["database"]
            .as_str()
            .unwrap()
            .starts_with(&*h.data.path().to_string_lossy())
    );
    assert!(
        paths["master_key"]
            .as_str()
            .unwrap()
            .ends_with("master.key")
    );
    let human = ok(h.local(&["paths"], ""));
    assert!(
        human.lines().any(|l| l.starts_with("credentials ")),
        "{human}"
    );
}

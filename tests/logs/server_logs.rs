//! Provider keys and the secrets inside assistants never reach the SQLite
//! files or the logs, on success or on any error path.
//!
//! Alone in its test binary on purpose: tracing caches whether a log line is
//! wanted per call site, and when exactly one subscriber exists it decides
//! with the default of whichever thread first reaches the line. A parallel
//! test thread (with no subscriber) could thus switch this test's capture off.

use testkit::common;

use std::path::Path;

use common::disk::{contains, db_files};
use common::{TestServer, provider_key};
use rusqlite::Connection;
use serde_json::json;
use voicedock::server::DB_FILE;

fn assert_no_secret_in_files(data_dir: &Path, secrets: &[String], when: &str) {
    let files = db_files(data_dir);
    assert!(!files.is_empty());
    for (path, bytes) in &files {
        for secret in secrets {
            assert!(
                !contains(bytes, secret.as_bytes()),
                "{when}: a secret is in {path}"
            );
        }
    }
}

// A current-thread runtime: the server's tasks run on this thread, where the
// capturing subscriber is the default.
#[tokio::test(flavor = "current_thread")]
async fn secrets_never_reach_disk_or_logs() {
    let (logs, _guard) = common::logs::on_this_thread();

    let mut server = TestServer::start().await;
    let mut secrets = vec![server.api_key.clone()];
    for provider in ["deepgram", "openai", "elevenlabs", "resend"] {
        let key = provider_key(provider);
        let r = server
            .post(
                "/api/v1/byok",
                json!({"provider": provider, "api_key": key}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(!r.text.contains(&key));
        secrets.push(key);
    }
    // Rotated, refused and misplaced keys must not leak either.
    let rotated = "sk-proj-RotatedKey00000000000000000005".to_owned();
    server
        .post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": rotated}),
        )
        .await;
    let refused = "pk-RefusedKey000000000000000000000006".to_owned();
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": refused}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(!r.text.contains(&refused));
    let misplaced = "sk-proj-MisplacedKey0000000000000000007".to_owned();
    let r = server
        .post(
            "/api/v1/assistants",
            json!({"name": "x", "llm_config": {"provider": "openai", "temperature": misplaced}}),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(!r.text.contains(&misplaced), "{}", r.text);
    let r = server
        .post("/api/v1/byok", json!({"provider": misplaced, "api_key": 1}))
        .await;
    assert_eq!(r.status, 400);
    server
        .delete("/api/v1/byok", Some(json!({"provider": "resend"})))
        .await;
    secrets.extend([rotated, refused, misplaced]);
    secrets.extend(assistant_secrets(&server).await);
    secrets.extend(mcp_header_values(&server).await);

    let data_dir = server.data_dir().to_path_buf();
    assert_no_secret_in_files(&data_dir, &secrets, "while running");
    server.shutdown().await;
    assert_no_secret_in_files(&data_dir, &secrets, "after shutdown");

    let text = String::from_utf8(logs.bytes()).unwrap();
    // The capture works: every request left a line, and the failure its own.
    assert!(
        text.contains("handled") && text.contains("/api/v1/byok") && text.contains("status=400"),
        "{text}"
    );
    assert!(
        text.contains("status=500") && text.contains("cannot open the secrets of assistant"),
        "{text}"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret is in the logs:\n{text}"
        );
    }
}

/// Stores, replaces, refuses and tests MCP header values; returns each.
async fn mcp_header_values(server: &TestServer) -> Vec<String> {
    let stored = "mcp-hdr-Stored0000000000000000001".to_owned();
    let replaced = "mcp-hdr-Replaced00000000000000002".to_owned();
    let refused = "mcp-hdr-Refused00000000000000003".to_owned();
    let r = server
        .post(
            "/api/v1/mcp-servers",
            json!({"name": "Orders", "url": "http://127.0.0.1:9/mcp", "timeout_seconds": 5,
                   "headers": {"X-Api-Key": stored}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let path = format!(
        "/api/v1/mcp-servers/{}",
        r.body["mcp_server"]["id"].as_str().unwrap()
    );
    let r = server
        .patch(&path, json!({"headers": {"Authorization": replaced}}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = server
        .patch(&path, json!({"headers": {"Host": refused}}))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    // Nothing listens on port 9: the test fails, its error logged without the value.
    let r = server.post(&format!("{path}/test"), json!({})).await;
    assert_eq!(r.body["ok"], false, "{}", r.text);
    vec![stored, replaced, refused]
}

/// Creates, reads, rotates and refuses assistant secrets, and makes one fail
/// to open; returns every secret used.
async fn assistant_secrets(server: &TestServer) -> Vec<String> {
    let webhook = "whsec_LogWebhookSecret000000000008".to_owned();
    let tool = "tool-LogToolSecret00000000000009".to_owned();
    let rotated = "whsec_LogRotatedSecret00000000010".to_owned();
    let too_long = format!("whsec_LogTooLong{}", "0".repeat(250));
    let mistyped = "whsec_LogMistyped0000000000000011".to_owned();
    let body = json!({"name": "Logged", "webhook_secret": webhook,
        "llm_config": {"provider": "openai", "model": "gpt-5.4",
            "tools": [{"type": "function", "server": {"url": "https://example.com/t", "secret": tool}}]}});
    let r = server.post("/api/v1/assistants", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/assistants/{id}");
    assert_eq!(server.get(&path).await.status, 200);
    assert_eq!(server.get("/api/v1/assistants").await.status, 200);
    let r = server
        .patch(&path, json!({"webhook_secret": rotated}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for refused in [
        json!({"webhook_secret": too_long}),
        json!({"is_active": mistyped}),
        json!({"webhook_url": mistyped}),
    ] {
        let r = server.patch(&path, refused).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(!r.text.contains(&mistyped) && !r.text.contains(&too_long));
    }
    // Damaged at rest: the 500 is logged, the secret is not.
    let conn = Connection::open(server.data_dir().join(DB_FILE)).unwrap();
    conn.execute(
        "UPDATE assistants SET secrets_ciphertext = secrets_wrapped_key WHERE id = ?1",
        [&id],
    )
    .unwrap();
    assert_eq!(server.get(&path).await.status, 500);
    assert_eq!(server.delete(&path, None).await.status, 204);
    vec![webhook, tool, rotated, too_long, mistyped]
}

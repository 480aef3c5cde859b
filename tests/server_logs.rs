//! Provider keys never reach the SQLite files or the logs.
//!
//! Alone in its test binary on purpose: tracing caches whether a log line is
//! wanted per call site, and when exactly one subscriber exists it decides
//! with the default of whichever thread first reaches the line. A parallel
//! test thread (with no subscriber) could thus switch this test's capture off.

mod common;

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{TestServer, provider_key};
use serde_json::json;
use voicedock::server::DB_FILE;

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The database and its -wal and -shm files, whichever exist.
fn db_files(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| {
            let path = data_dir.join(format!("{DB_FILE}{suffix}"));
            std::fs::read(&path)
                .ok()
                .map(|bytes| (path.display().to_string(), bytes))
        })
        .collect()
}

fn assert_no_secret_in_files(data_dir: &Path, secrets: &[String], when: &str) {
    let files = db_files(data_dir);
    assert!(!files.is_empty());
    for (path, bytes) in &files {
        for secret in secrets {
            assert!(!contains(bytes, secret), "{when}: a key is in {path}");
        }
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// A current-thread runtime: the server's tasks run on this thread, where the
// capturing subscriber is the default.
#[tokio::test(flavor = "current_thread")]
async fn provider_keys_never_reach_disk_or_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

    let data_dir = server.data_dir().to_path_buf();
    assert_no_secret_in_files(&data_dir, &secrets, "while running");
    server.shutdown().await;
    assert_no_secret_in_files(&data_dir, &secrets, "after shutdown");

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    // The capture works: every request left a line.
    assert!(
        text.contains("handled") && text.contains("/api/v1/byok") && text.contains("status=400"),
        "{text}"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a key is in the logs:\n{text}"
        );
    }
}

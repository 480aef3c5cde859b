//! The secrets inside an assistant (`webhook_secret`, a tool's
//! `server.secret`): answered exactly as sent, sealed at rest to their
//! account and assistant, and never in any database file in plain text.

use testkit::common;

use common::disk::{assistant_rows, files_holding, open_assistant_secrets};
use common::{TEST_MASTER_KEY, TestServer};
use rusqlite::Connection;
use serde_json::{Value, json};
use voicedock::server::DB_FILE;
use voicedock::server::vault::MasterKey;

const WEBHOOK_SECRET: &str = "whsec_Webhook0Secret0Plaintext0001";
const TOOL_SECRET: &str = "tool-Secret0Plaintext0Bearer0002";
const ROTATED: &str = "whsec_Rotated0Secret0Plaintext0003";

fn with_secrets(name: &str) -> Value {
    json!({
        "name": name,
        "webhook_url": "https://example.com/hooks/voicedock",
        "webhook_secret": WEBHOOK_SECRET,
        "webhook_events": ["call.ended"],
        "llm_config": {
            "provider": "openai",
            "model": "gpt-5.4",
            "tools": [
                {"type": "function", "name": "lookup"},
                {"type": "function", "name": "book",
                 "server": {"url": "https://example.com/tools/book", "secret": TOOL_SECRET}}
            ]
        }
    })
}

fn assert_nowhere_on_disk(server: &TestServer, plaintexts: &[&str], when: &str) {
    for text in plaintexts {
        assert_eq!(
            files_holding(server.data_dir(), text.as_bytes()),
            Vec::<String>::new(),
            "{when}: a secret in plain text"
        );
    }
}

async fn account_id(server: &TestServer) -> String {
    let r = server.get("/api/v1/account").await;
    r.body["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn secrets_are_answered_as_sent_and_sealed_at_rest() {
    let server = TestServer::start().await;
    let sent = with_secrets("Front desk");
    let r = server.post("/api/v1/assistants", sent.clone()).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/assistants/{id}");
    let answered = &r.body["assistant"];
    assert_eq!(answered["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(answered["llm_config"], sent["llm_config"]);

    let r = server.get(&path).await;
    let got = &r.body["assistant"];
    assert_eq!(got["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(
        got["llm_config"], sent["llm_config"],
        "tools exactly as sent"
    );
    let r = server.get("/api/v1/assistants").await;
    assert_eq!(r.body["assistants"][0]["webhook_secret"], WEBHOOK_SECRET);
    assert_nowhere_on_disk(&server, &[WEBHOOK_SECRET, TOOL_SECRET], "after create");

    // Sealed beside the JSON, to this account and assistant.
    let rows = assistant_rows(server.data_dir());
    let row = &rows[0];
    assert_eq!(
        (row.id.as_str(), row.account_id.clone()),
        (id.as_str(), account_id(&server).await)
    );
    assert!(!row.body.contains(WEBHOOK_SECRET) && !row.body.contains(TOOL_SECRET));
    let master = MasterKey::from_bytes(TEST_MASTER_KEY);
    assert_eq!(
        open_assistant_secrets(&master, row).unwrap(),
        json!({"llm_config.tools[1].server.secret": TOOL_SECRET, "webhook_secret": WEBHOOK_SECRET})
    );
    let first = row.sealed.clone().unwrap();

    // A change elsewhere keeps the ciphertext as it is.
    let r = server.patch(&path, json!({"name": "Back office"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["assistant"]["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(
        assistant_rows(server.data_dir())[0].sealed.as_ref(),
        Some(&first)
    );

    // Rotation: the new secret is sealed, the old ciphertext destroyed.
    let r = server
        .patch(&path, json!({"webhook_secret": ROTATED}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["assistant"]["webhook_secret"], ROTATED);
    let r = server.get(&path).await;
    assert_eq!(r.body["assistant"]["webhook_secret"], ROTATED);
    assert_eq!(r.body["assistant"]["llm_config"], sent["llm_config"]);
    assert_nowhere_on_disk(
        &server,
        &[WEBHOOK_SECRET, TOOL_SECRET, ROTATED],
        "after rotation",
    );
    for blob in [&first.ciphertext, &first.wrapped_key] {
        assert_eq!(files_holding(server.data_dir(), blob), Vec::<String>::new());
    }
    let second = assistant_rows(server.data_dir())[0].sealed.clone().unwrap();
    assert_ne!(second, first);

    // Cleared: null is kept as null, the tool's secret stays.
    let r = server.patch(&path, json!({"webhook_secret": null})).await;
    assert!(
        r.body["assistant"]["webhook_secret"].is_null(),
        "{}",
        r.text
    );
    let row = &assistant_rows(server.data_dir())[0];
    assert_eq!(
        open_assistant_secrets(&master, row).unwrap(),
        json!({"llm_config.tools[1].server.secret": TOOL_SECRET})
    );
    assert_eq!(
        server.get(&path).await.body["assistant"]["llm_config"],
        sent["llm_config"]
    );

    let last = row.sealed.clone().unwrap();
    assert_eq!(server.delete(&path, None).await.status, 204);
    for blob in [&last.ciphertext, &last.wrapped_key] {
        assert_eq!(
            files_holding(server.data_dir(), blob),
            Vec::<String>::new(),
            "deleted"
        );
    }
}

#[tokio::test]
async fn an_assistant_without_secrets_stores_none() {
    let server = TestServer::start().await;
    let r = server
        .post(
            "/api/v1/assistants",
            json!({"name": "Plain", "webhook_secret": null}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert!(r.body["assistant"]["webhook_secret"].is_null());
    assert!(assistant_rows(server.data_dir())[0].sealed.is_none());
}

/// Whether `r` is the documented bare 500, with no secret in it.
fn assert_bare_500(r: &common::Resp) {
    assert_eq!(r.error(), (500, "internal".to_owned(), None), "{}", r.text);
    assert_eq!(
        r.body["error"]["message"],
        "The server failed to handle the request."
    );
    for secret in [WEBHOOK_SECRET, TOOL_SECRET, "assistant", "secret"] {
        assert!(!r.text.contains(secret), "{}", r.text);
    }
}

#[tokio::test]
async fn a_sealed_secret_moved_or_damaged_fails_to_open_with_a_bare_500() {
    let server = TestServer::start().await;
    let mut ids = Vec::new();
    for name in ["A", "B"] {
        let r = server.post("/api/v1/assistants", with_secrets(name)).await;
        ids.push(r.body["assistant"]["id"].as_str().unwrap().to_owned());
    }
    let rows = assistant_rows(server.data_dir());
    let (a, b) = (
        rows[0].sealed.clone().unwrap(),
        rows[1].sealed.clone().unwrap(),
    );
    let conn = Connection::open(server.data_dir().join(DB_FILE)).unwrap();
    let put = |id: &str, wrapped: &[u8], ciphertext: &[u8]| {
        conn.execute(
            "UPDATE assistants SET secrets_wrapped_key = ?1, secrets_ciphertext = ?2 WHERE id = ?3",
            rusqlite::params![wrapped, ciphertext, id],
        )
        .unwrap();
    };
    // Swapped between two assistants of the same account.
    put(&ids[0], &b.wrapped_key, &b.ciphertext);
    put(&ids[1], &a.wrapped_key, &a.ciphertext);
    for id in &ids {
        assert_bare_500(&server.get(&format!("/api/v1/assistants/{id}")).await);
        let r = server
            .patch(&format!("/api/v1/assistants/{id}"), json!({"name": "C"}))
            .await;
        assert_bare_500(&r);
    }
    assert_bare_500(&server.get("/api/v1/assistants").await);

    // Back in place, then one byte of the ciphertext changed.
    put(&ids[0], &a.wrapped_key, &a.ciphertext);
    put(&ids[1], &b.wrapped_key, &b.ciphertext);
    assert_eq!(server.get("/api/v1/assistants").await.status, 200);
    let mut damaged = a.ciphertext.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    put(&ids[0], &a.wrapped_key, &damaged);
    assert_bare_500(&server.get(&format!("/api/v1/assistants/{}", ids[0])).await);

    // The whole row moved to another account.
    put(&ids[0], &a.wrapped_key, &a.ciphertext);
    let other_key = server.new_account("Other Company");
    let r = server
        .call_as(&other_key, reqwest::Method::GET, "/api/v1/account", None)
        .await;
    let other = r.body["id"].as_str().unwrap().to_owned();
    conn.execute(
        "UPDATE assistants SET account_id = ?1 WHERE id = ?2",
        rusqlite::params![other, ids[0]],
    )
    .unwrap();
    let path = format!("/api/v1/assistants/{}", ids[0]);
    let r = server
        .call_as(&other_key, reqwest::Method::GET, &path, None)
        .await;
    assert_bare_500(&r);
    // Deleting is still possible: it needs no secret.
    let r = server
        .call_as(&other_key, reqwest::Method::DELETE, &path, None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
}

#[tokio::test]
async fn secrets_stored_in_plain_text_by_an_older_version_are_sealed_at_start() {
    let mut server = TestServer::start().await;
    let sent = with_secrets("Older");
    let r = server.post("/api/v1/assistants", sent.clone()).await;
    let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/assistants/{id}");
    server.shutdown().await;

    // As an older version wrote it: the secrets in the JSON, no ciphertext.
    let mut body: Value = serde_json::from_str(&assistant_rows(server.data_dir())[0].body).unwrap();
    body["webhook_secret"] = json!(WEBHOOK_SECRET);
    body["llm_config"] = sent["llm_config"].clone();
    let conn = Connection::open(server.data_dir().join(DB_FILE)).unwrap();
    conn.execute(
        "UPDATE assistants SET body = ?1, secrets_wrapped_key = NULL, secrets_ciphertext = NULL",
        [body.to_string()],
    )
    .unwrap();
    drop(conn);
    assert!(!files_holding(server.data_dir(), WEBHOOK_SECRET.as_bytes()).is_empty());

    server.restart().await;
    assert_nowhere_on_disk(&server, &[WEBHOOK_SECRET, TOOL_SECRET], "after start");
    let row = &assistant_rows(server.data_dir())[0];
    assert!(row.sealed.is_some());
    let r = server.get(&path).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["assistant"]["webhook_secret"], WEBHOOK_SECRET);
    assert_eq!(r.body["assistant"]["llm_config"], sent["llm_config"]);
}

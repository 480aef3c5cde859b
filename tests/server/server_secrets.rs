//! Provider keys at rest: bound to their row, destroyed on rotation and
//! delete, and never part of a response.

use testkit::common;

use common::disk::files_holding;
use common::{TEST_MASTER_KEY, TestServer, open_secret, provider_key, secret_rows};
use reqwest::Method;
use rusqlite::Connection;
use serde_json::json;
use voicedock::server::DB_FILE;
use voicedock::server::vault::MasterKey;

#[tokio::test]
async fn swapped_ciphertext_rows_fail_to_decrypt() {
    let server = TestServer::start().await;
    for provider in ["deepgram", "openai"] {
        server
            .post(
                "/api/v1/byok",
                json!({"provider": provider, "api_key": provider_key(provider)}),
            )
            .await;
    }
    let master = MasterKey::from_bytes(TEST_MASTER_KEY);
    let before = secret_rows(server.data_dir());
    assert_eq!(before.len(), 2);
    for row in &before {
        assert_eq!(
            open_secret(&master, row).unwrap(),
            provider_key(&row.provider),
            "the decrypt path works"
        );
    }

    let conn = Connection::open(server.data_dir().join(DB_FILE)).unwrap();
    let (a, b) = (&before[0], &before[1]);
    for (row, from) in [(a, b), (b, a)] {
        conn.execute(
            "UPDATE secrets SET wrapped_key = ?1, ciphertext = ?2 WHERE id = ?3",
            rusqlite::params![from.sealed.wrapped_key, from.sealed.ciphertext, row.id],
        )
        .unwrap();
    }
    let after = secret_rows(server.data_dir());
    assert_eq!(after[0].sealed, b.sealed, "the rows were swapped");
    for row in &after {
        assert!(
            open_secret(&master, row).is_err(),
            "{} opened another row's key",
            row.provider
        );
    }
    // The server never decrypts to answer, so it still describes both.
    let r = server.get("/api/v1/byok").await;
    assert_eq!(r.body["keys"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn rotation_gives_a_new_secret_and_destroys_the_old_ciphertext() {
    let server = TestServer::start().await;
    let post = |key: &str| {
        server.post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": key}),
        )
    };
    let first = post(&provider_key("openai")).await;
    let old_id = first.body["byok_keys"]["openai_secret_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let old = secret_rows(server.data_dir()).pop().unwrap();
    assert_eq!(old.id, old_id);

    let new_key = "sk-proj-RotatedKey0000000000000000wxyz";
    let second = post(new_key).await;
    assert_eq!(second.status, 200, "{}", second.text);
    let new_id = second.body["byok_keys"]["openai_secret_id"]
        .as_str()
        .unwrap();
    assert_ne!(new_id, old_id);
    assert_eq!(second.body["keys"][0]["key_hint"], "sk-…wxyz");

    let now = secret_rows(server.data_dir());
    assert_eq!(now.len(), 1, "one key per provider");
    assert_eq!(now[0].id, new_id);
    assert_ne!(now[0].sealed.ciphertext, old.sealed.ciphertext);
    assert_ne!(now[0].sealed.wrapped_key, old.sealed.wrapped_key);
    assert_eq!(
        open_secret(&MasterKey::from_bytes(TEST_MASTER_KEY), &now[0]).unwrap(),
        new_key
    );

    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    assert_eq!(r.status, 200);
    assert!(
        secret_rows(server.data_dir()).is_empty(),
        "delete destroys the ciphertext"
    );
}

#[tokio::test]
async fn a_key_never_appears_in_a_response_to_any_route() {
    let server = TestServer::start().await;
    let key = provider_key("elevenlabs");
    server
        .post(
            "/api/v1/byok",
            json!({"provider": "elevenlabs", "api_key": key}),
        )
        .await;
    for path in [
        "/api/v1/byok",
        "/api/v1/byok/config",
        "/api/v1/account",
        "/api/v1/assistants",
        "/api/openapi.json",
    ] {
        let r = server.call(Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.text.contains(&key), "{path}");
        assert!(
            !r.text.contains(&key[key.len() - 8..]),
            "{path} shows more than the last four"
        );
    }
}

#[tokio::test]
async fn a_destroyed_ciphertext_is_gone_from_every_database_file() {
    let server = TestServer::start().await;
    let post = |key: String| {
        server.post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": key}),
        )
    };
    assert_eq!(post(provider_key("openai")).await.status, 200);
    let first = secret_rows(server.data_dir()).pop().unwrap();
    for blob in [&first.sealed.ciphertext, &first.sealed.wrapped_key] {
        assert!(
            !files_holding(server.data_dir(), blob).is_empty(),
            "the check can see a stored blob"
        );
    }

    let rotated = post("sk-proj-RotatedKey0000000000000000wxyz".into()).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    for blob in [&first.sealed.ciphertext, &first.sealed.wrapped_key] {
        assert_eq!(files_holding(server.data_dir(), blob), Vec::<String>::new());
    }

    let second = secret_rows(server.data_dir()).pop().unwrap();
    let r = server
        .delete("/api/v1/byok", Some(json!({"provider": "openai"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for blob in [&second.sealed.ciphertext, &second.sealed.wrapped_key] {
        assert_eq!(files_holding(server.data_dir(), blob), Vec::<String>::new());
    }
}

#[tokio::test]
async fn a_reader_holding_the_wal_does_not_fail_a_rotation() {
    let server = TestServer::start().await;
    let post = |key: String| {
        server.post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": key}),
        )
    };
    assert_eq!(post(provider_key("openai")).await.status, 200);
    // Another process reading: its snapshot keeps the WAL from being truncated.
    let reader = Connection::open(server.data_dir().join(DB_FILE)).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT COUNT(*) FROM secrets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    let rotated = post("sk-proj-RotatedKey0000000000000000wxyz".into()).await;
    assert_eq!(rotated.status, 200, "{}", rotated.text);
    reader.execute_batch("COMMIT").unwrap();
    assert_eq!(secret_rows(server.data_dir()).len(), 1);
}

//! `accounts create|ls|revoke|rotate` through the binary, on the data dir of
//! a running server: a revoked or replaced key is answered 401
//! `api_key_revoked` at once, the new key works, and no key or hash is listed.

use testkit::common;
use testkit::vault_support;

use common::TestServer;
use reqwest::Method;
use secrecy::SecretString;
use vault_support::{output, voicedock};
use voicedock::client::{ApiClient, ApiError};

fn accounts(server: &TestServer, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["accounts"];
    all.extend_from_slice(args);
    output(&mut voicedock(server.data_dir(), &all))
}

fn created_key(server: &TestServer, name: &str) -> String {
    let (code, stdout, stderr) = accounts(server, &["create", "--name", name]);
    assert_eq!(code, 0, "{stderr}");
    let key = stdout.trim_end_matches('\n');
    assert!(
        key.starts_with("vd_live_") && !key.contains('\n'),
        "{stdout}"
    );
    key.to_owned()
}

async fn status_and_code(server: &TestServer, key: &str) -> (u16, String) {
    let r = server
        .call_as(key, Method::GET, "/api/v1/account", None)
        .await;
    let code = r.body["error"]["code"].as_str().unwrap_or("").to_owned();
    (r.status, code)
}

fn account_id_named(listing: &serde_json::Value, name: &str) -> String {
    listing["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["company_name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn revoked_and_replaced_keys_are_answered_api_key_revoked_at_once() {
    let server = TestServer::start().await;
    let globex = created_key(&server, "Globex");
    let initech = created_key(&server, "Initech");

    let (code, stdout, _) = output(&mut voicedock(
        server.data_dir(),
        &["--json", "accounts", "ls"],
    ));
    assert_eq!(code, 0);
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(listing["accounts"].as_array().unwrap().len(), 3);
    let globex_id = account_id_named(&listing, "Globex");
    let initech_id = account_id_named(&listing, "Initech");
    for account in listing["accounts"].as_array().unwrap() {
        let fields: Vec<&String> = account.as_object().unwrap().keys().collect();
        assert_eq!(fields, ["id", "company_name", "created_at", "revoked_at"]);
        assert!(account["revoked_at"].is_null());
    }

    let (code, stdout, stderr) = accounts(&server, &["revoke", &globex_id]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("account {globex_id}: key revoked\n"));
    assert_eq!(
        status_and_code(&server, &globex).await,
        (401, "api_key_revoked".into())
    );
    // The real client: a refused key, and the server's reason with it.
    let client = ApiClient::new(&server.base_url, SecretString::from(globex.clone())).unwrap();
    match client.account().await {
        Err(ApiError::Unauthorized(message)) => {
            assert!(message.to_string().contains("revoked"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    let (code, stdout, _) = accounts(&server, &["revoke", &globex_id]);
    assert_eq!(
        (code, stdout),
        (0, format!("account {globex_id}: key already revoked\n"))
    );

    // Rotating: the new key works at once, the old one is revoked.
    let (code, stdout, stderr) = accounts(&server, &["rotate", &initech_id]);
    assert_eq!(code, 0, "{stderr}");
    let new_key = stdout.trim_end_matches('\n').to_owned();
    assert!(new_key.starts_with("vd_live_") && new_key != initech);
    assert!(!stderr.contains(&new_key));
    assert_eq!(status_and_code(&server, &new_key).await.0, 200);
    assert_eq!(
        status_and_code(&server, &initech).await,
        (401, "api_key_revoked".into())
    );
    // A key never issued stays merely unknown.
    let unknown = format!("vd_live_{}", "Q".repeat(43));
    assert_eq!(
        status_and_code(&server, &unknown).await,
        (401, "unauthorized".into())
    );
    // A revoked account rotated gets a working key again.
    let (code, stdout, _) = accounts(&server, &["rotate", &globex_id]);
    assert_eq!(code, 0);
    assert_eq!(status_and_code(&server, stdout.trim()).await.0, 200);
    assert_eq!(
        status_and_code(&server, &globex).await,
        (401, "api_key_revoked".into())
    );
    assert_eq!(status_and_code(&server, &server.api_key).await.0, 200);
}

#[tokio::test]
async fn the_listing_shows_who_and_when_and_never_a_key() {
    let server = TestServer::start().await;
    let key = created_key(&server, "Globex");
    let (_, stdout, _) = output(&mut voicedock(
        server.data_dir(),
        &["--json", "accounts", "ls"],
    ));
    let listing: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = account_id_named(&listing, "Globex");
    accounts(&server, &["revoke", &id]);

    let (code, stdout, stderr) = accounts(&server, &["ls"]);
    assert_eq!(code, 0, "{stderr}");
    let mut lines = stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        ["ID", "NAME", "CREATED", "(UTC)", "REVOKED", "(UTC)"]
    );
    let row = stdout.lines().find(|l| l.starts_with(&id)).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1], "Globex");
    // Each time is a date and a time to the second, in UTC.
    let to_the_second = regex::Regex::new(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").unwrap();
    for time in [cells[2..4].join(" "), cells[4..6].join(" ")] {
        assert!(to_the_second.is_match(&time), "{row}");
    }
    let test_row = stdout.lines().find(|l| l.contains("Test Company")).unwrap();
    assert!(test_row.ends_with(" -"), "{test_row}");
    for secret in [&key, &server.api_key] {
        assert!(!stdout.contains(secret.as_str()));
    }
    // Nor their hashes, in any spelling.
    let hash = sha_hex(&key);
    assert!(!stdout.to_lowercase().contains(&hash), "{stdout}");

    let (code, _, stderr) = accounts(&server, &["revoke", "no-such-account"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no account no-such-account"), "{stderr}");
    let (code, stdout, _) = accounts(&server, &["rotate", "no-such-account"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
}

fn sha_hex(key: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

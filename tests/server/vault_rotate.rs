//! `vault rotate-master`: every data key and the check value wrapped with a
//! new key in one transaction, the key file replaced; refused for a key in
//! the environment and while a server runs; a rotation interrupted on either
//! side of its commit is finished or undone at the next start.

use testkit::common;
use testkit::vault_support;

use common::disk::{assistant_rows, open_assistant_secrets};
use common::{open_secret, provider_key, secret_rows, test_config};
use vault_support::{
    WEBHOOK_SECRET, encode_bytes, key_file, output, populate, read_key, voicedock, write_key,
};
use voicedock::server::vault::MasterKey;
use voicedock::server::{self, MASTER_KEY_ENV, ServerConfig, rotate_master_key, verify_vault};

fn file_based(config: &mut ServerConfig) {
    config.master_key = None;
}

fn no_key_in_env() {
    assert!(
        std::env::var_os(MASTER_KEY_ENV).is_none(),
        "unset {MASTER_KEY_ENV} to run this test"
    );
}

fn pending(dir: &std::path::Path) -> std::path::PathBuf {
    dir.join("master.key.new")
}

/// Every stored secret opens with `key`, and none with `other`.
fn all_open_with(dir: &std::path::Path, key: &MasterKey, other: &MasterKey) {
    let rows = secret_rows(dir);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(open_secret(key, row).unwrap(), provider_key(&row.provider));
        assert!(open_secret(other, row).is_err());
    }
    let assistants = assistant_rows(dir);
    let secrets = open_assistant_secrets(key, &assistants[0]).unwrap();
    assert_eq!(secrets["webhook_secret"], WEBHOOK_SECRET);
    assert!(open_assistant_secrets(other, &assistants[0]).is_err());
}

#[tokio::test]
async fn a_rotation_moves_every_secret_to_a_new_key_that_replaces_the_file() {
    no_key_in_env();
    let (server, stored) = populate(file_based).await;
    let dir = server.data_dir().to_owned();
    let file = key_file(&dir);
    let old_text = std::fs::read_to_string(&file).unwrap();
    let old = read_key(&file);

    let (code, stdout, stderr) = output(&mut voicedock(&dir, &["vault", "rotate-master"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("4 sealed values"), "{stdout}");
    let new_text = std::fs::read_to_string(&file).unwrap();
    assert_ne!(new_text, old_text);
    assert!(!stdout.contains(new_text.trim()) && !stderr.contains(new_text.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    assert!(!pending(&dir).exists());
    let new = read_key(&file);
    all_open_with(&dir, &new, &old);
    assert!(verify_vault(&dir, None).unwrap().is_sound());
    assert!(!verify_vault(&dir, Some(&old)).unwrap().is_sound());

    // The server starts on the new key and answers the secrets as stored.
    let mut config = test_config(&dir);
    file_based(&mut config);
    let running = server::start(config).await.unwrap();
    let r: serde_json::Value = voicedock::client::http_builder()
        .build()
        .unwrap()
        .get(format!(
            "{}/api/v1/assistants/{}",
            running.base_url(),
            stored.assistant_id
        ))
        .bearer_auth(&server.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["assistant"]["webhook_secret"], WEBHOOK_SECRET, "{r}");
    running.shutdown().await;
}

#[tokio::test]
async fn a_rotation_is_refused_for_a_key_in_the_environment_and_while_a_server_runs() {
    no_key_in_env();
    let (server, _) = populate(|_| {}).await;
    let (code, stdout, stderr) = output(
        voicedock(server.data_dir(), &["vault", "rotate-master"])
            .env(MASTER_KEY_ENV, encode_bytes(common::TEST_MASTER_KEY)),
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("VOICEDOCK_MASTER_KEY_FILE"), "{stderr}");
    assert!(stdout.is_empty());

    let (server, _) = populate(file_based).await;
    let dir = server.data_dir();
    let before = std::fs::read(key_file(dir)).unwrap();
    let mut config = test_config(dir);
    file_based(&mut config);
    let running = server::start(config).await.unwrap();
    let (code, stdout, stderr) = output(&mut voicedock(dir, &["vault", "rotate-master"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("a server is running on"), "{stderr}");
    assert_eq!(std::fs::read(key_file(dir)).unwrap(), before);
    assert!(!pending(dir).exists());
    running.shutdown().await;
}

#[tokio::test]
async fn a_rotation_interrupted_after_its_commit_is_finished_at_start() {
    no_key_in_env();
    let (server, _) = populate(file_based).await;
    let dir = server.data_dir();
    let file = key_file(dir);
    let old_text = std::fs::read_to_string(&file).unwrap();
    let old = read_key(&file);
    rotate_master_key(dir).unwrap();
    let new_text = std::fs::read_to_string(&file).unwrap();
    // As a crash after the commit leaves it: the new key not yet renamed.
    std::fs::rename(&file, pending(dir)).unwrap();
    std::fs::write(&file, &old_text).unwrap();
    // Verify tells the half-done rotation apart from a damaged vault.
    let said = format!("{:#}", verify_vault(dir, None).err().unwrap());
    assert!(said.contains("rotation committed"), "{said}");

    let mut config = test_config(dir);
    file_based(&mut config);
    server::start(config).await.unwrap().shutdown().await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), new_text);
    assert!(!pending(dir).exists());
    all_open_with(dir, &read_key(&file), &old);
}

#[tokio::test]
async fn a_rotation_interrupted_before_its_commit_leaves_the_old_key() {
    no_key_in_env();
    let (server, _) = populate(file_based).await;
    let dir = server.data_dir();
    let file = key_file(dir);
    let old_text = std::fs::read_to_string(&file).unwrap();
    // As a crash before the commit leaves it: a new key the vault never used.
    write_key(&pending(dir), [5; 32]);

    let mut config = test_config(dir);
    file_based(&mut config);
    server::start(config).await.unwrap().shutdown().await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), old_text);
    assert!(!pending(dir).exists(), "the unused key is removed");
    all_open_with(dir, &read_key(&file), &MasterKey::from_bytes([5; 32]));

    // A rotation after that works as any other.
    rotate_master_key(dir).unwrap();
    assert!(verify_vault(dir, None).unwrap().is_sound());
}

/// A provider's settings are sealed values too: moved to the new key with
/// the rest, and still merged into after the rotation.
#[tokio::test]
async fn a_rotation_moves_a_providers_settings_too() {
    no_key_in_env();
    let mut server = common::TestServer::start_with(file_based).await;
    let dir = server.data_dir().to_owned();
    let r = server
        .post(
            "/api/v1/byok",
            serde_json::json!({"provider": "openai", "api_key": provider_key("openai")}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = server
        .post(
            "/api/v1/byok/config",
            serde_json::json!({"provider": "openai", "config": {"organization": "org-1"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    server.shutdown().await;

    let rotated = rotate_master_key(&dir).unwrap();
    assert_eq!(rotated.rewrapped, 2, "the key and its settings");
    assert!(verify_vault(&dir, None).unwrap().is_sound());

    let mut config = test_config(&dir);
    file_based(&mut config);
    let running = server::start(config).await.unwrap();
    let r: serde_json::Value = voicedock::client::http_builder()
        .build()
        .unwrap()
        .post(format!("{}/api/v1/byok/config", running.base_url()))
        .bearer_auth(&server.api_key)
        .json(&serde_json::json!({"provider": "openai", "config": {"region": "eu"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        r["stored"],
        serde_json::json!(["organization", "region"]),
        "{r}"
    );
    running.shutdown().await;
}

//! The master key file: created private on first start, read again on a
//! restart, and refused once others can read it.

use testkit::common;

use common::{open_secret, private_tempdir, provider_key, secret_rows, test_config};
use secrecy::ExposeSecret;
use serde_json::json;
use voicedock::server::vault::MasterKey;
use voicedock::server::{self, MASTER_KEY_ENV, MASTER_KEY_FILE};

#[cfg(unix)]
#[tokio::test]
async fn the_master_key_file_is_private_and_a_readable_one_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    assert!(
        std::env::var_os(MASTER_KEY_ENV).is_none(),
        "unset {MASTER_KEY_ENV} to run this test"
    );

    let dir = private_tempdir();
    let mut config = test_config(dir.path());
    config.master_key = None;
    let running = server::start(config.clone()).await.unwrap();
    let file = dir.path().join(MASTER_KEY_FILE);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let key = server::create_account(dir.path(), "Files").unwrap();
    let http = voicedock::client::http_builder().build().unwrap();
    let r = http
        .post(format!("{}/api/v1/byok", running.base_url()))
        .bearer_auth(key.expose_secret())
        .json(&json!({"provider": "openai", "api_key": provider_key("openai")}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    running.shutdown().await;

    // A restart reads the same key: the saved secret still opens with it.
    let running = server::start(config.clone()).await.unwrap();
    running.shutdown().await;
    use base64::Engine;
    let text = std::fs::read_to_string(&file).unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap();
    let master = MasterKey::from_bytes(bytes.try_into().unwrap());
    assert_eq!(
        open_secret(&master, &secret_rows(dir.path())[0]).unwrap(),
        provider_key("openai")
    );

    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = match server::start(config).await {
        Ok(_) => panic!("started with a world-readable master key"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("chmod 600"), "{err}");
}

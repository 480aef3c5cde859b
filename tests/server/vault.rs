//! The vault at start: a fresh data dir starts and gets its key-check value;
//! a wrong master key (configured, file or environment) and a missing key
//! file are refused with how to recover, and nothing is written under them;
//! a vault from before check values is proven by a stored secret first.

use testkit::common;
use testkit::vault_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{TEST_MASTER_KEY, open_secret, private_tempdir, secret_rows, test_config};
use rusqlite::Connection;
use vault_support::{encode_bytes, key_file, populate, read_key, voicedock, write_key};
use voicedock::server::vault::{self, MasterKey, Sealed};
use voicedock::server::{self, DB_FILE, MASTER_KEY_ENV, ServerConfig};

fn file_based(config: &mut ServerConfig) {
    config.master_key = None;
}

fn check_value(data_dir: &std::path::Path) -> Option<Sealed> {
    let conn = Connection::open(data_dir.join(DB_FILE)).unwrap();
    conn.query_row("SELECT wrapped_key, ciphertext FROM vault_check", [], |r| {
        Ok(Sealed {
            wrapped_key: r.get(0)?,
            ciphertext: r.get(1)?,
        })
    })
    .ok()
}

async fn start_error(config: ServerConfig) -> String {
    match server::start(config).await {
        Ok(_) => panic!("started with a key that does not open the vault"),
        Err(e) => format!("{e:#}"),
    }
}

fn no_key_in_env() {
    assert!(
        std::env::var_os(MASTER_KEY_ENV).is_none(),
        "unset {MASTER_KEY_ENV} to run this test"
    );
}

#[tokio::test]
async fn a_fresh_data_dir_starts_and_seals_a_check_value_with_its_new_key() {
    no_key_in_env();
    let dir = private_tempdir();
    let mut config = test_config(dir.path());
    file_based(&mut config);
    server::start(config.clone())
        .await
        .unwrap()
        .shutdown()
        .await;
    let key = read_key(&key_file(dir.path()));
    let check = check_value(dir.path()).expect("a check value was written");
    assert!(vault::opens_check(&key, &check));
    // A restart with the same key file is no first start: nothing changes.
    server::start(config).await.unwrap().shutdown().await;
    assert_eq!(check_value(dir.path()), Some(check));

    // The embedded path: a configured key seals the check value too.
    let dir = private_tempdir();
    server::start(test_config(dir.path()))
        .await
        .unwrap()
        .shutdown()
        .await;
    let check = check_value(dir.path()).unwrap();
    assert!(vault::opens_check(
        &MasterKey::from_bytes(TEST_MASTER_KEY),
        &check
    ));
    assert!(
        !key_file(dir.path()).exists(),
        "no key file for a configured key"
    );
}

#[tokio::test]
async fn a_key_file_that_differs_from_the_vaults_is_refused() {
    no_key_in_env();
    let (server, _) = populate(file_based).await;
    let dir = server.data_dir();
    let file = key_file(dir);
    let original = std::fs::read(&file).unwrap();
    let original_key = read_key(&file);
    write_key(&file, [9; 32]);
    let mut config = test_config(dir);
    file_based(&mut config);
    let err = start_error(config.clone()).await;
    assert!(err.contains("wrong master key"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("from backup"), "{err}");
    let check = check_value(dir).unwrap();
    assert!(
        vault::opens_check(&original_key, &check),
        "nothing resealed"
    );

    // Restored from backup, the vault opens and its secrets with it.
    std::fs::write(&file, original).unwrap();
    server::start(config).await.unwrap().shutdown().await;
    let key = read_key(&file);
    for row in secret_rows(dir) {
        open_secret(&key, &row).unwrap();
    }
}

#[tokio::test]
async fn a_missing_key_file_is_refused_and_never_replaced() {
    no_key_in_env();
    let (server, _) = populate(file_based).await;
    let dir = server.data_dir();
    let file = key_file(dir);
    std::fs::remove_file(&file).unwrap();
    let mut config = test_config(dir);
    file_based(&mut config);
    let err = start_error(config.clone()).await;
    assert!(err.contains("missing master key"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("Restore it from backup"), "{err}");
    assert!(
        !file.exists(),
        "a new key was made for a vault that holds secrets"
    );

    // A vault from before check values is known by its secrets alone.
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute("DELETE FROM vault_check", []).unwrap();
    drop(conn);
    let err = start_error(config).await;
    assert!(err.contains("missing master key"), "{err}");
    assert!(!file.exists());
}

#[tokio::test]
async fn a_configured_key_that_differs_is_refused() {
    let (server, _) = populate(|_| {}).await;
    let mut config = test_config(server.data_dir());
    config.master_key = Some(MasterKey::from_bytes([8; 32]));
    let err = start_error(config).await;
    assert!(
        err.contains("wrong master key: the configured master key"),
        "{err}"
    );
}

#[tokio::test]
async fn a_key_in_the_environment_that_differs_is_refused() {
    let (server, _) = populate(|_| {}).await;
    let mut child = voicedock(server.data_dir(), &["serve", "--listen", "127.0.0.1:0"])
        .env(MASTER_KEY_ENV, encode_bytes([8; 32]))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Generous: the refusal comes before the server listens; a server that
    // started instead would run until killed.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server started with the wrong key");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(!output.status.success());
    assert!(err.contains("refusing to start: wrong master key"), "{err}");
    assert!(
        err.contains(&format!("{MASTER_KEY_ENV} does not open the vault")),
        "{err}"
    );
    assert!(
        !err.contains(&encode_bytes([8; 32])),
        "the key was echoed: {err}"
    );
}

#[tokio::test]
async fn a_vault_from_before_check_values_is_proven_by_a_secret_then_gets_one() {
    let (server, _) = populate(|_| {}).await;
    let dir = server.data_dir();
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    conn.execute("DELETE FROM vault_check", []).unwrap();
    drop(conn);

    let mut wrong = test_config(dir);
    wrong.master_key = Some(MasterKey::from_bytes([8; 32]));
    let err = start_error(wrong).await;
    assert!(err.contains("wrong master key"), "{err}");
    assert_eq!(check_value(dir), None, "nothing sealed under a wrong key");

    server::start(test_config(dir))
        .await
        .unwrap()
        .shutdown()
        .await;
    let check = check_value(dir).expect("the right key gets its check value");
    assert!(vault::opens_check(
        &MasterKey::from_bytes(TEST_MASTER_KEY),
        &check
    ));
}

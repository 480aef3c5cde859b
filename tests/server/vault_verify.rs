//! `vault verify`: every sealed value opened, each failure named by
//! account, provider (or assistant and fields) and id; every single flipped
//! byte and every row moved to another account found; no secret printed.

use testkit::common;
use testkit::vault_support;

use std::path::Path;

use common::{TEST_MASTER_KEY, secret_rows};
use rusqlite::{Connection, params};
use vault_support::{encode_bytes, output, plaintexts, populate, voicedock};
use voicedock::server::vault::MasterKey;
use voicedock::server::{DB_FILE, Failed, MASTER_KEY_ENV, VaultReport, verify_vault};

fn verify(dir: &Path) -> VaultReport {
    verify_vault(dir, Some(&MasterKey::from_bytes(TEST_MASTER_KEY))).unwrap()
}

fn failed(report: &VaultReport) -> Vec<Failed> {
    report.failures.iter().map(|f| f.failed.clone()).collect()
}

fn blob(conn: &Connection, table: &str, column: &str, id: &str) -> Vec<u8> {
    conn.query_row(
        &format!("SELECT {column} FROM {table} WHERE id = ?1"),
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

fn set_blob(conn: &Connection, table: &str, column: &str, id: &str, value: &[u8]) {
    conn.execute(
        &format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2"),
        params![value, id],
    )
    .unwrap();
}

/// Flips each byte of the column in turn (the format byte, the 24-byte
/// nonce, the encrypted body and its tag all lie in it), expecting exactly
/// `expected` to fail each time.
fn every_flip_is_found(dir: &Path, table: &str, column: &str, id: &str, expected: &Failed) {
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    let original = blob(&conn, table, column, id);
    assert!(original.len() > 24 + 16, "{column} is a whole sealed blob");
    for i in 0..original.len() {
        let mut flipped = original.clone();
        flipped[i] ^= 0x01;
        set_blob(&conn, table, column, id, &flipped);
        let report = verify(dir);
        assert_eq!(
            failed(&report),
            std::slice::from_ref(expected),
            "{table}.{column} byte {i}"
        );
    }
    set_blob(&conn, table, column, id, &original);
    assert!(verify(dir).is_sound());
}

#[tokio::test]
async fn a_sound_vault_verifies_every_secret() {
    let (server, _) = populate(|_| {}).await;
    let report = verify(server.data_dir());
    assert!(report.is_sound(), "{:?}", report.failures);
    assert_eq!((report.provider_keys, report.assistants), (3, 1));
}

#[tokio::test]
async fn every_flipped_byte_of_a_provider_key_or_an_assistants_secrets_is_found() {
    let (server, stored) = populate(|_| {}).await;
    let dir = server.data_dir();
    let row = secret_rows(dir)
        .into_iter()
        .find(|r| r.account_id == stored.account_a && r.provider == "openai")
        .unwrap();
    let expected = Failed::ProviderKey {
        account_id: stored.account_a.clone(),
        provider: "openai".into(),
        secret_id: row.id.clone(),
    };
    for column in ["ciphertext", "wrapped_key"] {
        every_flip_is_found(dir, "secrets", column, &row.id, &expected);
    }
    let expected = Failed::Assistant {
        account_id: stored.account_a.clone(),
        assistant_id: stored.assistant_id.clone(),
        fields: vec![
            "webhook_secret".into(),
            "llm_config.tools[0].server.secret".into(),
        ],
    };
    for column in ["secrets_ciphertext", "secrets_wrapped_key"] {
        every_flip_is_found(dir, "assistants", column, &stored.assistant_id, &expected);
    }
}

#[tokio::test]
async fn rows_swapped_between_accounts_are_found() {
    let (server, stored) = populate(|_| {}).await;
    let dir = server.data_dir();
    let rows = secret_rows(dir);
    let openai_of = |account: &str| {
        rows.iter()
            .find(|r| r.account_id == account && r.provider == "openai")
            .unwrap()
    };
    let (a, b) = (openai_of(&stored.account_a), openai_of(&stored.account_b));
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    for (to, from) in [(a, b), (b, a)] {
        set_blob(
            &conn,
            "secrets",
            "wrapped_key",
            &to.id,
            &from.sealed.wrapped_key,
        );
        set_blob(
            &conn,
            "secrets",
            "ciphertext",
            &to.id,
            &from.sealed.ciphertext,
        );
    }
    // And the assistant moved to the other account, sealed secrets and all.
    conn.execute(
        "UPDATE assistants SET account_id = ?1 WHERE id = ?2",
        [&stored.account_b, &stored.assistant_id],
    )
    .unwrap();
    let report = verify(dir);
    let failed = failed(&report);
    for row in [a, b] {
        let key = Failed::ProviderKey {
            account_id: row.account_id.clone(),
            provider: "openai".into(),
            secret_id: row.id.clone(),
        };
        assert!(failed.contains(&key), "{failed:?}");
    }
    assert!(
        failed.iter().any(
            |f| matches!(f, Failed::Assistant { account_id, assistant_id, .. }
            if *account_id == stored.account_b && *assistant_id == stored.assistant_id)
        ),
        "{failed:?}"
    );
    assert_eq!(
        failed.len(),
        3,
        "A's deepgram key is still sound: {failed:?}"
    );
}

#[tokio::test]
async fn the_command_names_each_failure_prints_no_secret_and_exits_1() {
    let (server, stored) = populate(|_| {}).await;
    let dir = server.data_dir();
    let key = encode_bytes(TEST_MASTER_KEY);
    let run =
        |env_key: &str| output(voicedock(dir, &["vault", "verify"]).env(MASTER_KEY_ENV, env_key));

    let (code, stdout, stderr) = run(&key);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "4 checked (3 provider keys, 1 assistants with secrets): 0 failed\n"
    );

    let row = secret_rows(dir)
        .into_iter()
        .find(|r| r.account_id == stored.account_b)
        .unwrap();
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    let mut damaged = row.sealed.ciphertext.clone();
    damaged[30] ^= 0x80;
    set_blob(&conn, "secrets", "ciphertext", &row.id, &damaged);
    let (code, stdout, stderr) = run(&key);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let line = format!(
        "FAILED account {}: provider openai, secret {}: does not decrypt",
        stored.account_b, row.id
    );
    assert!(stdout.contains(&line), "{stdout}");
    assert!(
        stdout.ends_with("4 checked (3 provider keys, 1 assistants with secrets): 1 failed\n"),
        "{stdout}"
    );

    // Another key: the check value says so, and every secret fails.
    let (code, stdout, stderr) = run(&encode_bytes([8; 32]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("FAILED key-check value: does not open with this master key"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("assistant {}, fields", stored.assistant_id)),
        "{stdout}"
    );
    assert!(stdout.ends_with(": 4 failed\n"), "{stdout}");
    for secret in plaintexts() {
        assert!(
            !stdout.contains(&secret) && !stderr.contains(&secret),
            "{secret} printed"
        );
    }

    // No key at all: the key file is missing, said as such.
    let (code, stdout, stderr) = output(&mut voicedock(dir, &["vault", "verify"]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("missing master key"), "{stderr}");
}

/// What `serve` says of a vault damaged in its shape: which table and row,
/// what is wrong with it, and where to see the rest; never a stored byte.
async fn start_refusal(dir: &Path) -> String {
    let config = common::test_config(dir);
    match voicedock::server::start(config).await {
        Ok(_) => panic!("started on a damaged vault"),
        Err(e) => format!("{e:#}"),
    }
}

#[tokio::test]
async fn a_damaged_vault_stops_the_start_naming_the_row_and_vault_verify() {
    let (mut server, stored) = populate(|_| {}).await;
    server.shutdown().await;
    let dir = server.data_dir().to_path_buf();
    let conn = Connection::open(dir.join(DB_FILE)).unwrap();
    let row = secret_rows(&dir)
        .into_iter()
        .find(|r| r.account_id == stored.account_b)
        .unwrap();
    let damaged_prefix = format!("the vault in {} is damaged: ", dir.display());
    let no_bytes_of = |message: &str, stored: &[u8]| {
        let hex: String = stored.iter().map(|b| format!("{b:02x}")).collect();
        assert!(!message.to_lowercase().contains(&hex[..16]), "{message}");
    };

    // A wrapped key stored as TEXT, as an import by hand may leave it.
    conn.execute(
        "UPDATE secrets SET wrapped_key = hex(wrapped_key) WHERE id = ?1",
        [&row.id],
    )
    .unwrap();
    let message = start_refusal(&dir).await;
    assert!(message.contains(&damaged_prefix), "{message}");
    assert!(
        message.contains(&format!(
            "table secrets, account {}: provider openai, secret {}: its wrapped key is stored as TEXT",
            stored.account_b, row.id
        )),
        "{message}"
    );
    assert!(message.contains("voicedock vault verify"), "{message}");
    assert!(!message.contains("Invalid column type"), "{message}");
    no_bytes_of(&message, &row.sealed.wrapped_key);
    let report = verify(&dir);
    assert_eq!(
        failed(&report),
        [Failed::ProviderKey {
            account_id: stored.account_b.clone(),
            provider: "openai".into(),
            secret_id: row.id.clone(),
        }]
    );
    assert_eq!(report.provider_keys, 3);
    set_blob(
        &conn,
        "secrets",
        "wrapped_key",
        &row.id,
        &row.sealed.wrapped_key,
    );

    // A truncated ciphertext of an assistant's secrets.
    let sealed = blob(
        &conn,
        "assistants",
        "secrets_ciphertext",
        &stored.assistant_id,
    );
    conn.execute(
        "UPDATE assistants SET secrets_ciphertext = substr(secrets_ciphertext, 1, 20) WHERE id = ?1",
        [&stored.assistant_id],
    )
    .unwrap();
    let message = start_refusal(&dir).await;
    assert!(message.contains(&damaged_prefix), "{message}");
    assert!(
        message.contains(&format!(
            "table assistants, account {}: assistant {}",
            stored.account_a, stored.assistant_id
        )),
        "{message}"
    );
    assert!(message.contains("too short"), "{message}");
    no_bytes_of(&message, &sealed);
    set_blob(
        &conn,
        "assistants",
        "secrets_ciphertext",
        &stored.assistant_id,
        &sealed,
    );

    // A check value that no longer opens, while the key opens every secret:
    // the check is damaged, not the key wrong.
    let check: Vec<u8> = conn
        .query_row("SELECT ciphertext FROM vault_check", [], |r| r.get(0))
        .unwrap();
    let mut flipped = check.clone();
    flipped[30] ^= 0x01;
    conn.execute("UPDATE vault_check SET ciphertext = ?1", [&flipped])
        .unwrap();
    let message = start_refusal(&dir).await;
    assert!(message.contains(&damaged_prefix), "{message}");
    assert!(
        message.contains("table vault_check, key-check value"),
        "{message}"
    );
    assert!(message.contains("voicedock vault verify"), "{message}");
    conn.execute("UPDATE vault_check SET ciphertext = ?1", [&check])
        .unwrap();

    // Mended, it starts again.
    let started = voicedock::server::start(common::test_config(&dir)).await;
    started.unwrap().shutdown().await;
}

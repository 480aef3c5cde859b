//! `kill -9` in the middle of writes: every write the server acknowledged is
//! there after a restart, decrypts to what was sent, and SQLite's own
//! integrity check passes. Several seeds, each a different interleaving and
//! a different moment of death. And a disk that fills up: what could not
//! be written is answered so.

use testkit::common;
use testkit::serve_support;
use testkit::vault_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::json;
use voicedock::client::ApiClient;
use voicedock::domain::AssistantDraft;
use voicedock::server::DB_FILE;

use common::tmpfs::Tmpfs;
use common::{TestServer, open_secret, private_tempdir, secret_rows, seed_assistant};
use serve_support::{Serve, create_account};
use vault_support::{key_file, read_key};

/// Each writer owns one provider, so the last key it had acknowledged is the
/// one that must be stored (or the one still in flight when the server died).
const PROVIDERS: [(&str, &str); 4] = [
    ("openai", "sk-proj-"),
    ("resend", "re_"),
    ("deepgram", ""),
    ("elevenlabs", ""),
];
const SEEDS: [u64; 4] = [1, 7, 42, 2026];

/// xorshift64*: enough to vary the interleaving and the moment of the kill,
/// and the same run again for the same seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }
}

/// What one writer saw acknowledged, and what it had in flight at the end.
#[derive(Default)]
struct Acknowledged {
    key: Option<String>,
    key_in_flight: Option<String>,
    assistants: BTreeMap<String, String>,
    deleted: Vec<String>,
}

async fn write_until_refused(
    client: ApiClient,
    writer: usize,
    seed: u64,
    seen: Arc<Mutex<Acknowledged>>,
) {
    let (provider, prefix) = PROVIDERS[writer];
    let mut rng = Rng::new(seed ^ (writer as u64 + 1));
    let mut serial = 0u32;
    loop {
        serial += 1;
        match rng.below(3) {
            0 => {
                let key = format!("{prefix}{}", rng.token(36));
                seen.lock().unwrap().key_in_flight = Some(key.clone());
                let sent = client
                    .set_key(provider, &SecretString::from(key.clone()))
                    .await;
                let mut seen = seen.lock().unwrap();
                match sent {
                    Ok(_) => {
                        seen.key = Some(key);
                        seen.key_in_flight = None;
                    }
                    Err(_) => return,
                }
            }
            1 => {
                let name = format!("crash {seed} writer {writer} #{serial}");
                let mut body = seed_assistant();
                body["name"] = json!(name);
                let draft: AssistantDraft = serde_json::from_value(body).unwrap();
                match client.create_assistant(&draft).await {
                    Ok(made) => {
                        seen.lock().unwrap().assistants.insert(made.id, name);
                    }
                    Err(_) => return,
                }
            }
            _ => {
                // Out of the map before the request: a delete the server
                // never answered may or may not have happened.
                let victim = {
                    let mut seen = seen.lock().unwrap();
                    let id = seen.assistants.keys().next().cloned();
                    id.inspect(|id| {
                        seen.assistants.remove(id);
                    })
                };
                let Some(id) = victim else { continue };
                if client.delete_assistant(&id).await.is_err() {
                    return;
                }
                seen.lock().unwrap().deleted.push(id);
            }
        }
    }
}

fn integrity(data: &Path) -> String {
    let conn = rusqlite::Connection::open(data.join(DB_FILE)).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

async fn crash_and_check(seed: u64, runtime_data: &Path, api_key: &SecretString) {
    let mut server = Serve::on(runtime_data, &[], &[], None);
    let client = ApiClient::new(&server.base_url, api_key.clone()).unwrap();
    let seen: Vec<Arc<Mutex<Acknowledged>>> = (0..PROVIDERS.len())
        .map(|_| Arc::new(Mutex::new(Acknowledged::default())))
        .collect();
    let writers: Vec<_> = seen
        .iter()
        .enumerate()
        .map(|(w, s)| tokio::spawn(write_until_refused(client.clone(), w, seed, s.clone())))
        .collect();
    let mut rng = Rng::new(seed);
    tokio::time::sleep(Duration::from_millis(150 + rng.below(600))).await;
    server.kill();
    for writer in writers {
        tokio::time::timeout(Duration::from_secs(30), writer)
            .await
            .expect("a writer noticed the server was gone")
            .unwrap();
    }

    assert_eq!(integrity(runtime_data), "ok", "seed {seed}");
    let mut server = Serve::on(runtime_data, &[], &[], None);
    let client = ApiClient::new(&server.base_url, api_key.clone()).unwrap();
    let master = read_key(&key_file(runtime_data));
    let stored: BTreeMap<String, String> = secret_rows(runtime_data)
        .iter()
        .map(|row| (row.provider.clone(), open_secret(&master, row).unwrap()))
        .collect();
    let mut acknowledged_writes = 0;
    for (w, seen) in seen.iter().enumerate() {
        let seen = std::mem::take(&mut *seen.lock().unwrap());
        let provider = PROVIDERS[w].0;
        if let Some(key) = &seen.key {
            acknowledged_writes += 1;
            let now = stored.get(provider).expect("an acknowledged key is stored");
            assert!(
                now == key || Some(now) == seen.key_in_flight.as_ref(),
                "seed {seed}: {provider} holds neither the acknowledged key nor the one in flight"
            );
        }
        for (id, name) in &seen.assistants {
            acknowledged_writes += 1;
            let (assistant, _) = client
                .get_assistant(id)
                .await
                .unwrap_or_else(|e| panic!("seed {seed}: acknowledged assistant {id} lost: {e}"));
            assert_eq!(assistant.name, *name);
        }
        for id in &seen.deleted {
            acknowledged_writes += 1;
            assert!(
                client.get_assistant(id).await.is_err(),
                "seed {seed}: deleted assistant {id} came back"
            );
        }
    }
    assert!(
        acknowledged_writes > 0,
        "seed {seed}: the server died before acknowledging anything"
    );
    eprintln!("seed {seed}: {acknowledged_writes} acknowledged writes checked");
    // The restarted server still takes writes on the same data dir.
    let draft: AssistantDraft = serde_json::from_value(seed_assistant()).unwrap();
    let after = client.create_assistant(&draft).await.unwrap();
    assert!(!after.id.is_empty());
    server.kill();
}

#[test]
fn every_acknowledged_write_survives_kill_9() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for seed in SEEDS {
        let dir = private_tempdir();
        let api_key = SecretString::from(create_account(dir.path()));
        runtime.block_on(crash_and_check(seed, dir.path(), &api_key));
    }
}

/// On a disk that is really full: a write answers 507 and changes nothing,
/// now and after a restart; health says so until a write succeeds again.
#[tokio::test]
async fn a_full_disk_is_answered_507_and_nothing_is_reported_done_that_was_not() {
    let test = "a_full_disk_is_answered_507_and_nothing_is_reported_done_that_was_not";
    let tmpfs = match Tmpfs::mount("8m", test) {
        Tmpfs::Mounted(tmpfs) => tmpfs,
        Tmpfs::RanInNamespace => return,
    };
    let mut server = TestServer::start_in(tmpfs.data_dir(), |_| {}).await;
    let made = server.post("/api/v1/assistants", seed_assistant()).await;
    assert_eq!(made.status, 201, "{}", made.text);
    let path = format!(
        "/api/v1/assistants/{}",
        made.body["assistant"]["id"].as_str().unwrap()
    );
    let health = |server: &TestServer| {
        let url = format!("{}/api/v1/health", server.base_url);
        async move {
            reqwest::get(url)
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    assert_eq!(health(&server).await["status"], "ok");

    tmpfs.fill();
    let r = server.delete(&path, None).await;
    let (status, code, _) = r.error();
    assert_eq!(
        (status, code.as_str()),
        (507, "insufficient_storage"),
        "{}",
        r.text
    );
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("disk is full"),
        "{}",
        r.text
    );
    assert_eq!(
        server.get(&path).await.status,
        200,
        "the refused delete deleted"
    );
    let mut unsaved = seed_assistant();
    unsaved["name"] = json!("Never saved");
    let r = server.post("/api/v1/assistants", unsaved).await;
    assert_eq!(r.error().0, 507, "{}", r.text);
    let degraded = health(&server).await;
    assert_eq!(
        (degraded["status"].as_str(), degraded["store"].as_str()),
        (Some("degraded"), Some("writes_failing")),
        "{degraded}"
    );

    tmpfs.free();
    // Space alone proves nothing: only a write that succeeds does.
    assert_eq!(health(&server).await["status"], "degraded");
    let mut saved = seed_assistant();
    saved["name"] = json!("Saved later");
    assert_eq!(server.post("/api/v1/assistants", saved).await.status, 201);
    assert_eq!(
        health(&server).await,
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );

    server.restart().await;
    assert_eq!(server.get(&path).await.status, 200, "gone after a restart");
    let listed = server.get("/api/v1/assistants").await;
    let names: Vec<_> = listed.body["assistants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["My Assistant", "Saved later"], "{}", listed.text);
    server.shutdown().await;
}

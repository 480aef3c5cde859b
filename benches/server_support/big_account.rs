//! An account with 50,000 assistants, seeded straight into the database
//! (creating them through the API would take minutes of fsyncs), then read
//! a page at a time as the console and `assistants ls` do.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use rusqlite::{Connection, params};
use secrecy::SecretString;
use serde_json::json;
use voicedock::client::ApiClient;
use voicedock::domain::AssistantList;
use voicedock::server::vault::MasterKey;
use voicedock::server::{self, DB_FILE, ServerConfig};

const ASSISTANTS: usize = 50_000;
const PAGE: u32 = 100;

/// `n` assistants of about 500 bytes each (the size of a typical one) for
/// the only account in `data`.
fn seed(data: &Path, n: usize) {
    let mut conn = Connection::open(data.join(DB_FILE)).unwrap();
    let account: String = conn
        .query_row("SELECT id FROM accounts", [], |r| r.get(0))
        .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO assistants (id, account_id, body, created_at, updated_at, revision)
                 VALUES (?1, ?2, ?3, ?4, ?4, 1)",
            )
            .unwrap();
        let now = "2026-12-02T09:00:00Z";
        for i in 0..n {
            let id = format!("00000000-0000-4000-8000-{i:012}");
            let body = json!({
                "id": id, "name": format!("Assistant {i}"),
                "first_message": "Hello, you are speaking with the front desk. How can I help?",
                "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
                "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                               "messages": [{"role": "system", "content": "You are a helpful receptionist. Keep answers short and friendly."}]},
                "tts_config": {"provider": "elevenlabs", "voice_id": format!("voice-{i}")},
                "created_at": now, "updated_at": now, "revision": 1
            });
            insert
                .execute(params![id, account, body.to_string(), now])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

pub fn paging(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key: SecretString = server::create_account(&data, "Big").unwrap();
    seed(&data, ASSISTANTS);
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), &data);
    config.master_key = Some(MasterKey::from_bytes([7; 32]));
    config.rate_limit_per_minute = u32::MAX;
    let running = runtime.block_on(server::start(config)).unwrap();
    let client = ApiClient::new(&running.base_url(), key).unwrap();

    let mut group = c.benchmark_group("GET /assistants?limit=100 at 50,000");
    for offset in [0, 25_000, 49_900] {
        group.bench_with_input(BenchmarkId::new("offset", offset), &offset, |b, &o| {
            b.iter(|| {
                let page = runtime.block_on(client.assistants_page(PAGE, o)).unwrap();
                assert_eq!(page.assistants.len(), PAGE as usize);
            })
        });
    }
    group.finish();

    let mut walk = c.benchmark_group("list_assistants at 50,000");
    // Each iteration reads the whole account: a few are enough.
    walk.sample_size(10);
    walk.bench_function("every page of 500", |b| {
        b.iter(|| {
            let all = runtime.block_on(client.list_assistants()).unwrap();
            assert_eq!(all.len(), ASSISTANTS);
        })
    });
    walk.finish();

    // The decode alone, of the one answer of a server that does not page.
    let mut whole = runtime.block_on(client.list_assistants_json()).unwrap();
    whole["assistants"].as_array_mut().unwrap().truncate(10_000);
    let body = serde_json::to_vec(&whole).unwrap();
    let mut decode = c.benchmark_group("decode a 10,000-assistant list");
    decode.sample_size(20);
    decode.bench_function("serde_json", |b| {
        b.iter(|| serde_json::from_slice::<AssistantList>(black_box(&body)).unwrap())
    });
    decode.bench_function("serde_path_to_error", |b| {
        b.iter(|| {
            let mut de = serde_json::Deserializer::from_slice(black_box(&body));
            serde_path_to_error::deserialize::<_, AssistantList>(&mut de).unwrap()
        })
    });
    decode.finish();
    runtime.block_on(running.shutdown());
}

//! The reference server under the real client, over loopback.
//! `cargo bench --bench server`
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "server_support/big_account.rs"]
mod big_account;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use secrecy::SecretString;
use serde_json::json;
use voicedock::client::ApiClient;
use voicedock::domain::AssistantDraft;
use voicedock::server::vault::MasterKey;
use voicedock::server::{self, ServerConfig};

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Created by the server, private; it refuses a data dir others can read.
    let data = dir.path().join("data");
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), &data);
    config.master_key = Some(MasterKey::from_bytes([7; 32]));
    // The benchmark measures the server, not its rate limiter's refusals.
    config.rate_limit_per_minute = u32::MAX;
    let running = runtime.block_on(server::start(config)).unwrap();
    let key = server::create_account(&data, "Bench").unwrap();
    let client = ApiClient::new(&running.base_url(), key).unwrap();
    let draft: AssistantDraft = serde_json::from_value(json!({
        "name": "Bench",
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                       "messages": [{"role": "system", "content": "You are brief."}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "voice-1"}
    }))
    .unwrap();
    let provider_key = SecretString::from("sk-bench-0123456789abcdefghij");

    c.bench_function("GET /byok", |b| {
        b.iter(|| runtime.block_on(client.byok()).unwrap())
    });
    c.bench_function("POST /byok (encrypt + rotate, fsync)", |b| {
        b.iter(|| {
            runtime
                .block_on(client.set_key("openai", black_box(&provider_key)))
                .unwrap()
        })
    });
    c.bench_function("POST /assistants (fsync)", |b| {
        b.iter(|| {
            runtime
                .block_on(client.create_assistant(black_box(&draft)))
                .unwrap()
        })
    });
    c.bench_function("GET /assistants?limit=100", |b| {
        b.iter(|| runtime.block_on(client.assistants_page(100, 0)).unwrap())
    });
    runtime.block_on(running.shutdown());
}

criterion_group!(benches, requests, big_account::paging);
criterion_main!(benches);

//! The catalog's cost: parsing the compiled-in copy (once per start-up) and
//! checking an assistant against it (once per save on the server, once per
//! frame with edits in the console). `cargo bench --bench catalog`
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use voicedock::domain::validate::{Authority, DraftKind, validate_draft};
use voicedock::domain::{AssistantDraft, Catalog};

fn catalog(c: &mut Criterion) {
    c.bench_function("Catalog::builtin (parse assets/catalog.json)", |b| {
        b.iter(|| black_box(Catalog::builtin()))
    });
    let cat = Catalog::builtin();
    let seed: AssistantDraft = serde_json::from_value(json!({
        "name": "My Assistant",
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                       "messages": [{"role": "system", "content": "You are a helpful assistant."}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "your-voice-id"}
    }))
    .unwrap();
    c.bench_function("validate the seed's assistant", |b| {
        b.iter(|| {
            validate_draft(
                black_box(&seed),
                DraftKind::Create,
                &cat,
                Authority::Binding,
            )
        })
    });
    let full: AssistantDraft = serde_json::from_value(json!({
        "name": "Front desk", "is_active": true, "gdpr_mode": true, "max_duration_seconds": 900,
        "webhook_url": "https://hooks.example.com/vd", "webhook_secret": "whsec_0123456789abcdef",
        "webhook_events": ["call.ended"], "voicemail_detection": true,
        "stt_config": {"provider": "gladia", "model": "solaria-1", "language": "nl",
                       "region": "eu-west", "code_switching": true, "custom_vocabulary": ["VoiceDock"]},
        "llm_config": {"provider": "xai_realtime", "model": "grok-voice-think-fast-2.0", "voice": "ara",
                       "turn_detection": {"threshold": 0.6, "silence_duration_ms": 400}},
        "tts_config": null
    }))
    .unwrap();
    c.bench_function(
        "validate an assistant with hosted and provider fields",
        |b| {
            b.iter(|| {
                validate_draft(
                    black_box(&full),
                    DraftKind::Create,
                    &cat,
                    Authority::Binding,
                )
            })
        },
    );
}

criterion_group!(benches, catalog);
criterion_main!(benches);

//! How fast the console draws and filters, with the data sizes operators have.
//! `cargo bench --bench console`
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use voicedock::console::app::Model;
use voicedock::console::editor::Editor;
use voicedock::console::fuzzy::rank;
use voicedock::console::msg::{Call, Cmd, Msg, Page, Reply};
use voicedock::console::screens::AssistantRow;
use voicedock::console::{update, view};
use voicedock::domain::{Account, Assistant, ByokState, Catalog};

fn assistants(n: usize) -> Vec<Assistant> {
    let models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini"];
    (0..n)
        .map(|i| {
            serde_json::from_value(json!({
                "id": format!("id-{i}"), "name": format!("Assistant {i} {}", ["Reception", "Support", "Sales"][i % 3]),
                "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
                "llm_config": {"provider": "openai", "model": models[i % 4], "temperature": 0.7},
                "tts_config": {"provider": "elevenlabs", "voice_id": format!("voice-{i}")},
                "updated_at": "2026-11-26T09:30:00Z"
            }))
            .unwrap()
        })
        .collect()
}

/// A model that has received its first loads, with `n` assistants.
fn loaded_model(n: usize) -> Model {
    let mut model = Model::local(Catalog::builtin());
    let list = assistants(n);
    for cmd in update::init(&mut model) {
        let Cmd::Api { id, call } = cmd else { continue };
        let reply = match call {
            Call::Account => Reply::Account(Ok(Account {
                id: "a".into(),
                company_name: Some("Acme".into()),
                active_agents: None,
                ..Account::default()
            })),
            Call::Byok => Reply::Byok(Ok(ByokState::default())),
            Call::Assistants => Reply::Assistants(Ok(Page {
                assistants: list.iter().map(AssistantRow::from).collect(),
                offset: 0,
                total: Some(n as u64),
                last: true,
                listed_at: std::time::SystemTime::now(),
            })),
            _ => continue,
        };
        update::update(
            &mut model,
            Msg::Api {
                id,
                received: Instant::now(),
                reply,
            },
        );
    }
    model
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// `view` plus ratatui's diff against the previous frame: the cost of one redraw.
fn bench_draw(c: &mut Criterion, name: &str, terminal: &mut Terminal<TestBackend>, model: &Model) {
    c.bench_function(name, |b| {
        b.iter(|| {
            terminal.draw(|f| view::view(black_box(model), f)).unwrap();
        })
    });
}

fn render(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let big = loaded_model(50_000);
    bench_draw(
        c,
        "render providers, 50000 assistants, 120x40",
        &mut terminal,
        &big,
    );
    drop(big);
    let mut model = loaded_model(5_000);
    bench_draw(c, "render providers 120x40", &mut terminal, &model);
    update::update(&mut model, key(KeyCode::Char('3')));
    bench_draw(c, "render 5000 assistants 120x40", &mut terminal, &model);
    update::update(&mut model, key(KeyCode::Enter));
    bench_draw(c, "render editor 120x40", &mut terminal, &model);

    // The largest assistant the API allows a prompt for: 100 messages of 8 KiB.
    let mut big = assistants(1).remove(0);
    let message = json!({"role": "user", "content": "word ".repeat(8 * 1024 / 5)});
    big.llm_config.as_mut().unwrap().messages =
        Some(serde_json::from_value(json!(vec![message; 100])).unwrap());
    model.server.editor = Some(Editor::open(big, None, &Catalog::builtin()));
    if let Some(editor) = &mut model.server.editor {
        editor.refresh(
            &model.server.catalog,
            model.server.catalog_source.authority(),
        );
    }
    bench_draw(
        c,
        "render editor, 100 messages of 8 KiB, 120x40",
        &mut terminal,
        &model,
    );
}

fn filter(c: &mut Criterion) {
    let list = assistants(5_000);
    let haystacks: Vec<String> = list.iter().map(update::assistant_haystack).collect();
    c.bench_function("fuzzy rank 5000 assistants", |b| {
        b.iter(|| rank(black_box("sup 4o"), haystacks.iter().map(String::as_str)))
    });
    let mut model = loaded_model(10_000);
    update::update(&mut model, key(KeyCode::Char('3')));
    update::update(&mut model, key(KeyCode::Char('/')));
    // The key path: the filter text changes and a rank is handed to the
    // worker; Backspace returns to the whole list, known without ranking.
    c.bench_function(
        "filter 10000 assistants: keystroke (update, the key path)",
        |b| {
            b.iter(|| {
                update::update(&mut model, key(KeyCode::Char('s')));
                update::update(&mut model, key(KeyCode::Backspace));
            })
        },
    );
    // Keystroke to ranked list: the key, the worker's rank, its answer.
    c.bench_function(
        "filter 10000 assistants: keystroke to ranked list (update + worker)",
        |b| {
            b.iter(|| {
                for cmd in update::update(&mut model, key(KeyCode::Char('s'))) {
                    if let Cmd::Rank(job) = cmd {
                        update::update(&mut model, Msg::Ranked(job.run()));
                    }
                }
                update::update(&mut model, key(KeyCode::Backspace));
            })
        },
    );
    // Typing on: ranked within what "s" matched.
    for cmd in update::update(&mut model, key(KeyCode::Char('s'))) {
        if let Cmd::Rank(job) = cmd {
            update::update(&mut model, Msg::Ranked(job.run()));
        }
    }
    c.bench_function(
        "filter 10000 assistants: next keystroke to ranked list (update + worker)",
        |b| {
            b.iter(|| {
                for cmd in update::update(&mut model, key(KeyCode::Char('u'))) {
                    if let Cmd::Rank(job) = cmd {
                        update::update(&mut model, Msg::Ranked(job.run()));
                    }
                }
                update::update(&mut model, key(KeyCode::Backspace));
            })
        },
    );
}

fn navigation(c: &mut Criterion) {
    let mut model = loaded_model(100);
    c.bench_function("update: move provider focus", |b| {
        b.iter(|| {
            update::update(&mut model, key(KeyCode::Right));
            update::update(&mut model, key(KeyCode::Left));
        })
    });
}

criterion_group!(benches, render, filter, navigation);
criterion_main!(benches);

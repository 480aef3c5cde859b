//! What the console's terminal life costs: fitting every frame's colours to
//! the terminal, and starting the embedded server on an existing data dir.
//! `cargo bench --bench terminal`
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use voicedock::console::colors::{self, Depth};
use voicedock::domain::Catalog;
use voicedock::server::{self, ServerConfig};

/// A 120×40 frame whose colours change every `run` cells (1: every cell
/// its own RGB colour, the worst case; a drawn screen has runs of words).
fn painted(run: usize) -> Buffer {
    let mut buffer = Buffer::empty(Rect::new(0, 0, 120, 40));
    for (i, cell) in buffer.content.iter_mut().enumerate() {
        let v = (i / run % 256) as u8;
        cell.set_symbol("x").set_style(
            Style::new()
                .fg(Color::Rgb(v, 255 - v, v / 2))
                .bg(Color::Indexed(v)),
        );
    }
    buffer
}

fn fit(c: &mut Criterion) {
    for (name, run, depth) in [
        (
            "fit 120×40, a new RGB colour every cell, to 16 colours",
            1,
            Depth::Ansi16,
        ),
        (
            "fit 120×40, a new RGB colour every 8 cells, to 16 colours",
            8,
            Depth::Ansi16,
        ),
        (
            "fit 120×40, a new RGB colour every cell, to the 256 palette",
            1,
            Depth::Palette256,
        ),
        ("fit 120×40 to NO_COLOR", 1, Depth::Monochrome),
    ] {
        let frame = painted(run);
        c.bench_function(name, |b| {
            b.iter_batched_ref(
                || frame.clone(),
                |buffer| colors::fit(black_box(buffer), depth),
                criterion::BatchSize::SmallInput,
            )
        });
    }
}

/// The console's start on its local data dir, the second time: as it was
/// (the account checked on a connection of its own, then the server started,
/// each opening the data dir) and as it is (the server first, the account
/// checked on its connection).
fn start(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let catalog = Arc::new(Catalog::builtin());
    let config =
        || ServerConfig::with_catalog("127.0.0.1:0".parse().unwrap(), &data, catalog.clone());
    // The first start makes the database, the master key and the account.
    let key = runtime.block_on(async {
        let running = server::start(config()).await.unwrap();
        let key = running.create_account("Local workspace").await.unwrap();
        running.shutdown().await;
        key
    });
    let mut group = c.benchmark_group("embedded start");
    group.sample_size(30);
    group.bench_function("check the account apart, then start", |b| {
        b.iter(|| {
            runtime.block_on(async {
                assert!(server::account_exists(&data, &key).unwrap());
                let running = server::start(config()).await.unwrap();
                running.shutdown().await;
            })
        })
    });
    group.bench_function("start, then check the account on its connection", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let running = server::start(config()).await.unwrap();
                assert!(running.account_exists(&key).await.unwrap());
                running.shutdown().await;
            })
        })
    });
    group.finish();
}

criterion_group!(benches, fit, start);
criterion_main!(benches);

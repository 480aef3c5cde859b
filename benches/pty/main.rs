//! The whole `voicedock` process in a 120×40 pseudo-terminal: start-up to a
//! complete screen, memory with a large assistant list, a filter keystroke,
//! and what an idle console costs. Medians over several runs; informative,
//! never asserted.
//!
//! `cargo bench --bench pty`, tuned by the environment:
//! - `PTY_RUNS` (9): runs of each start-up and large-list figure
//! - `PTY_IDLE_RUNS` (3) and `PTY_IDLE_SECS` (10): idle runs and their length
//! - `PTY_ASSISTANTS` (10000): list sizes, comma-separated, e.g. `10000,50000`
//! - `PTY_SHOW_SCREENS` (unset): print each screen a wait ended on

mod procfs;
mod runs;
mod screens;
mod serve;
mod table;
mod term;

use std::process::ExitCode;
use std::time::Duration;

use runs::{Home, Idle, Large, thousands};
use serve::Serve;
use table::{Figure, Unit};

/// Built by cargo for benches in the same profile: target/release/voicedock.
const EXE: &str = env!("CARGO_BIN_EXE_voicedock");

struct Settings {
    runs: usize,
    idle_runs: usize,
    idle: Duration,
    sizes: Vec<usize>,
}

impl Settings {
    fn from_env() -> anyhow::Result<Settings> {
        let number = |name: &str, default: usize| -> anyhow::Result<usize> {
            match std::env::var(name) {
                Ok(text) => Ok(text.trim().parse()?),
                Err(_) => Ok(default),
            }
        };
        let sizes = match std::env::var("PTY_ASSISTANTS") {
            Ok(text) => text
                .split(',')
                .map(|n| n.trim().parse())
                .collect::<Result<_, _>>()?,
            Err(_) => vec![10_000],
        };
        Ok(Settings {
            runs: number("PTY_RUNS", 9)?.max(1),
            idle_runs: number("PTY_IDLE_RUNS", 3)?,
            idle: Duration::from_secs(number("PTY_IDLE_SECS", 10)? as u64),
            sizes,
        })
    }
}

fn main() -> ExitCode {
    match measure() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the table; whether every figure could be measured.
fn measure() -> anyhow::Result<bool> {
    let settings = Settings::from_env()?;
    let mut figures = start_ups(&settings)?;
    let mut failures = Vec::new();
    for &count in &settings.sizes {
        // One size the console cannot cope with must not cost the others' figures.
        match large_list(&settings, count) {
            Ok(more) => figures.extend(more),
            Err(e) => failures.push(format!("{} assistants: {e:#}", thousands(count))),
        }
    }
    println!();
    table::print(&figures);
    for failure in &failures {
        println!("\nnot measured: {failure}");
    }
    Ok(failures.is_empty())
}

fn start_ups(settings: &Settings) -> anyhow::Result<Vec<Figure>> {
    let secs = settings.idle.as_secs();
    let mut server = Figure::new("start → start-up screen complete, `serve`", Unit::Millis);
    let mut first = Figure::new(
        "start → start-up screen complete, embedded, new data dir",
        Unit::Millis,
    );
    let mut embedded = Figure::new(
        "start → start-up screen complete, embedded, existing data dir",
        Unit::Millis,
    );
    let mut idle_bytes = Figure::new(
        format!("idle {secs} s: bytes written, `serve`"),
        Unit::Bytes,
    );
    let mut idle_cpu = Figure::new(format!("idle {secs} s: CPU time, `serve`"), Unit::Millis);
    let mut embedded_bytes = Figure::new(
        format!("idle {secs} s: bytes written, embedded"),
        Unit::Bytes,
    );
    let mut embedded_cpu = Figure::new(format!("idle {secs} s: CPU time, embedded"), Unit::Millis);

    let serve = Serve::start(EXE, "Bench Company")?;
    for run in 0..settings.runs {
        eprintln!("start-up run {}/{}", run + 1, settings.runs);
        let home = Home::new()?;
        let console = home.remote(EXE, &serve)?;
        runs::start_up(&console, &mut server)?;
        if run < settings.idle_runs {
            let figures = Idle {
                bytes: &mut idle_bytes,
                cpu: &mut idle_cpu,
            };
            runs::idle(&console, settings.idle, figures)?;
        }
        console.stop()?;

        let home = Home::new()?;
        let console = home.embedded(EXE)?;
        runs::start_up(&console, &mut first)?;
        console.stop()?;
        let console = home.embedded(EXE)?;
        runs::start_up(&console, &mut embedded)?;
        if run < settings.idle_runs {
            let figures = Idle {
                bytes: &mut embedded_bytes,
                cpu: &mut embedded_cpu,
            };
            runs::idle(&console, settings.idle, figures)?;
        }
        console.stop()?;
    }
    Ok(vec![
        server,
        first,
        embedded,
        idle_bytes,
        idle_cpu,
        embedded_bytes,
        embedded_cpu,
    ])
}

fn large_list(settings: &Settings, count: usize) -> anyhow::Result<[Figure; 6]> {
    let serve = Serve::start(EXE, "Bench Company")?;
    let took = serve.seed(count)?;
    eprintln!(
        "seeded {} assistants over HTTP in {:.1} s",
        thousands(count),
        took.as_secs_f64()
    );
    let mut figures = Large::new(count);
    for run in 0..settings.runs {
        eprintln!(
            "{} assistants, run {}/{}",
            thousands(count),
            run + 1,
            settings.runs
        );
        let home = Home::new()?;
        let mut console = home.remote(EXE, &serve)?;
        runs::large(&mut console, &mut figures)?;
        console.stop()?;
    }
    Ok(figures.into_figures())
}

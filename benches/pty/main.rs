//! The whole `voicedock` process in a 120×40 pseudo-terminal: start-up to a
//! complete screen, memory with a large assistant list, a filter keystroke,
//! and what an idle console costs. Medians over several runs; informative,
//! never asserted.
//!
//! `cargo bench --bench pty`, tuned by the environment:
//! - `PTY_RUNS` (9): runs of each start-up and large-list figure
//! - `PTY_IDLE_RUNS` (3) and `PTY_IDLE_SECS` (10): idle runs and their length
//! - `PTY_ASSISTANTS` (10000): list sizes, comma-separated, e.g. `10000,50000`;
//!   empty for none
//! - `PTY_BUILDS` (unset): other builds of the console to measure beside this
//!   one, `label=path` comma-separated; each run goes through every build in
//!   turn, so a busy machine weighs on all of them alike
//! - `PTY_SLUMBER` (unset): the path of a slumber binary, whose start-up to
//!   its first complete frame is measured in the same runs
//! - `PTY_SHOW_SCREENS` (unset): print each screen a wait ended on

mod procfs;
mod runs;
mod screens;
mod serve;
mod slumber;
mod table;
mod term;

use std::process::ExitCode;
use std::time::Duration;

use runs::{Home, Idle, Large, thousands};
use serve::Serve;
use table::{Figure, Unit};

/// Built by cargo for benches in the same profile: target/release/voicedock.
const EXE: &str = env!("CARGO_BIN_EXE_voicedock");

/// One console binary under measurement and how its figures are labelled.
struct Build {
    label: String,
    exe: String,
}

impl Build {
    fn figure(&self, name: impl std::fmt::Display, unit: Unit) -> Figure {
        match self.label.as_str() {
            "" => Figure::new(name.to_string(), unit),
            label => Figure::new(format!("{label}: {name}"), unit),
        }
    }
}

struct Settings {
    runs: usize,
    idle_runs: usize,
    idle: Duration,
    sizes: Vec<usize>,
    builds: Vec<Build>,
    slumber: Option<String>,
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
                .filter(|n| !n.trim().is_empty())
                .map(|n| n.trim().parse())
                .collect::<Result<_, _>>()?,
            Err(_) => vec![10_000],
        };
        let mut builds = Vec::new();
        if let Ok(text) = std::env::var("PTY_BUILDS") {
            builds.push(Build {
                label: "this build".into(),
                exe: EXE.into(),
            });
            for entry in text.split(',').filter(|e| !e.trim().is_empty()) {
                let (label, exe) = entry
                    .split_once('=')
                    .ok_or_else(|| anyhow::anyhow!("PTY_BUILDS: {entry:?} is not label=path"))?;
                anyhow::ensure!(
                    std::path::Path::new(exe.trim()).is_file(),
                    "PTY_BUILDS: {exe:?} is not a file"
                );
                builds.push(Build {
                    label: label.trim().into(),
                    exe: exe.trim().into(),
                });
            }
        } else {
            builds.push(Build {
                label: String::new(),
                exe: EXE.into(),
            });
        }
        Ok(Settings {
            runs: number("PTY_RUNS", 9)?.max(1),
            idle_runs: number("PTY_IDLE_RUNS", 3)?,
            idle: Duration::from_secs(number("PTY_IDLE_SECS", 10)? as u64),
            sizes,
            builds,
            slumber: std::env::var("PTY_SLUMBER").ok(),
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

/// One build's start-up and idle figures.
struct StartUps {
    server: Figure,
    first: Figure,
    embedded: Figure,
    idle_bytes: Figure,
    idle_cpu: Figure,
    embedded_bytes: Figure,
    embedded_cpu: Figure,
}

impl StartUps {
    fn new(build: &Build, idle_secs: u64) -> StartUps {
        let millis = |name: &str| build.figure(name, Unit::Millis);
        StartUps {
            server: millis("start → start-up screen complete, `serve`"),
            first: millis("start → start-up screen complete, embedded, new data dir"),
            embedded: millis("start → start-up screen complete, embedded, existing data dir"),
            idle_bytes: build.figure(
                format!("idle {idle_secs} s: bytes written, `serve`"),
                Unit::Bytes,
            ),
            idle_cpu: millis(&format!("idle {idle_secs} s: CPU time, `serve`")),
            embedded_bytes: build.figure(
                format!("idle {idle_secs} s: bytes written, embedded"),
                Unit::Bytes,
            ),
            embedded_cpu: millis(&format!("idle {idle_secs} s: CPU time, embedded")),
        }
    }

    fn into_figures(self) -> [Figure; 7] {
        [
            self.server,
            self.first,
            self.embedded,
            self.idle_bytes,
            self.idle_cpu,
            self.embedded_bytes,
            self.embedded_cpu,
        ]
    }

    /// One run: on `serve`, then embedded on a new data dir and again on it.
    fn run(&mut self, exe: &str, serve: &Serve, idle: Option<Duration>) -> anyhow::Result<()> {
        let home = Home::new()?;
        let console = home.remote(exe, serve)?;
        runs::start_up(&console, &mut self.server)?;
        if let Some(span) = idle {
            let figures = Idle {
                bytes: &mut self.idle_bytes,
                cpu: &mut self.idle_cpu,
            };
            runs::idle(&console, span, figures)?;
        }
        console.stop()?;

        let home = Home::new()?;
        let console = home.embedded(exe)?;
        runs::start_up(&console, &mut self.first)?;
        console.stop()?;
        let console = home.embedded(exe)?;
        runs::start_up(&console, &mut self.embedded)?;
        if let Some(span) = idle {
            let figures = Idle {
                bytes: &mut self.embedded_bytes,
                cpu: &mut self.embedded_cpu,
            };
            runs::idle(&console, span, figures)?;
        }
        console.stop()
    }
}

fn start_ups(settings: &Settings) -> anyhow::Result<Vec<Figure>> {
    let secs = settings.idle.as_secs();
    let mut builds: Vec<StartUps> = settings
        .builds
        .iter()
        .map(|build| StartUps::new(build, secs))
        .collect();
    let mut slumber = Figure::new("slumber: start → first complete frame", Unit::Millis);
    let serve = Serve::start(EXE, "Bench Company")?;
    for run in 0..settings.runs {
        eprintln!("start-up run {}/{}", run + 1, settings.runs);
        let idle = (run < settings.idle_runs).then_some(settings.idle);
        for (build, figures) in settings.builds.iter().zip(&mut builds) {
            figures.run(&build.exe, &serve, idle)?;
        }
        if let Some(exe) = &settings.slumber {
            slumber::start_up(exe, &serve, &mut slumber)?;
        }
    }
    let mut figures: Vec<Figure> = builds
        .into_iter()
        .flat_map(StartUps::into_figures)
        .collect();
    figures.push(slumber);
    Ok(figures)
}

fn large_list(settings: &Settings, count: usize) -> anyhow::Result<Vec<Figure>> {
    let serve = Serve::start(EXE, "Bench Company")?;
    let took = serve.seed(count)?;
    eprintln!(
        "seeded {} assistants over HTTP in {:.1} s",
        thousands(count),
        took.as_secs_f64()
    );
    let mut figures: Vec<Large> = settings
        .builds
        .iter()
        .map(|build| Large::new(count, |name, unit| build.figure(name, unit)))
        .collect();
    for run in 0..settings.runs {
        eprintln!(
            "{} assistants, run {}/{}",
            thousands(count),
            run + 1,
            settings.runs
        );
        for (build, figures) in settings.builds.iter().zip(&mut figures) {
            let home = Home::new()?;
            let mut console = home.remote(&build.exe, &serve)?;
            runs::large(&mut console, figures)?;
            console.stop()?;
        }
    }
    Ok(figures.into_iter().flat_map(Large::into_figures).collect())
}

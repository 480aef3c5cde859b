//! One run of each measurement: a console started, driven and stopped.

use std::ffi::OsString;
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use tempfile::TempDir;
use voicedock::config::{API_KEY_VAR, BASE_URL_VAR, CONFIG_DIR_VAR, DATA_DIR_VAR};

use crate::procfs;
use crate::screens::{self, ASSISTANTS_KEY, BACKSPACE, FILTER_KEY, FILTER_QUERY};
use crate::serve::Serve;
use crate::table::{Figure, Unit};
use crate::term::Console;

/// A frame comes in a few reads microseconds apart; this much silence ends it.
const FRAME_GAP: Duration = Duration::from_millis(50);
/// How long a screen may keep drawing before the harness goes on anyway.
const SETTLE_LIMIT: Duration = Duration::from_secs(5);

/// Everything the console could read or write on disk, in one temporary
/// directory: its config and data dirs, HOME and the XDG dirs.
pub struct Home {
    dir: TempDir,
}

impl Home {
    pub fn new() -> anyhow::Result<Home> {
        Ok(Home {
            dir: tempfile::tempdir()?,
        })
    }

    fn env(&self) -> Vec<(&'static str, OsString)> {
        let at = |sub: &str| self.dir.path().join(sub).into_os_string();
        vec![
            ("HOME", at("home")),
            ("XDG_CONFIG_HOME", at("home/.config")),
            ("XDG_DATA_HOME", at("home/.local/share")),
            ("XDG_STATE_HOME", at("home/.local/state")),
            ("XDG_CACHE_HOME", at("home/.cache")),
            (CONFIG_DIR_VAR, at("config")),
            (DATA_DIR_VAR, at("data")),
        ]
    }

    /// The console on its embedded server, as it runs out of the box.
    pub fn embedded(&self, exe: &str) -> anyhow::Result<Console> {
        self.spawn_plain(exe)
    }

    /// The console on `serve`, configured by the environment (never argv).
    pub fn remote(&self, exe: &str, serve: &Serve) -> anyhow::Result<Console> {
        let mut env = self.env();
        env.push((BASE_URL_VAR, serve.base_url.clone().into()));
        env.push((API_KEY_VAR, serve.api_key.expose_secret().into()));
        self.spawn(exe, env)
    }

    /// Another program in the same kind of home, nothing of voicedock's set.
    pub fn spawn_plain(&self, exe: &str) -> anyhow::Result<Console> {
        self.spawn(exe, self.env())
    }

    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    fn spawn(&self, exe: &str, env: Vec<(&'static str, OsString)>) -> anyhow::Result<Console> {
        let env: Vec<(&str, &std::ffi::OsStr)> =
            env.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        Console::spawn(exe, self.dir.path(), &env)
    }
}

/// Spawn → the start-up screen complete.
pub fn start_up(console: &Console, figure: &mut Figure) -> anyhow::Result<()> {
    let complete = console.wait_for("the start-up screen", screens::start_complete)?;
    figure.add_duration(complete.saturating_duration_since(console.spawned_at));
    Ok(())
}

pub struct Idle<'a> {
    pub bytes: &'a mut Figure,
    pub cpu: &'a mut Figure,
}

/// `span` without input right after the start-up screen: what the console
/// writes and how much CPU it burns meanwhile.
pub fn idle(console: &Console, span: Duration, figures: Idle) -> anyhow::Result<()> {
    // The rest of the start-up frame is not idle output.
    console.settle(FRAME_GAP, Duration::from_secs(1));
    let pid = console.pid()?;
    let (bytes, cpu) = (console.bytes_written(), procfs::cpu_time(pid)?);
    std::thread::sleep(span);
    let cpu_used = procfs::cpu_time(pid)?.saturating_sub(cpu);
    figures.bytes.add((console.bytes_written() - bytes) as f64);
    figures.cpu.add_duration(cpu_used);
    Ok(())
}

pub struct Large {
    pub start: Figure,
    pub list: Figure,
    pub peak: Figure,
    pub resident: Figure,
    pub key_first: Figure,
    pub key_done: Figure,
}

impl Large {
    /// `figure` names a figure for the build it measures.
    pub fn new(count: usize, figure: impl Fn(String, Unit) -> Figure) -> Large {
        use crate::table::Unit::{Mebibytes, Millis};
        let n = thousands(count);
        Large {
            start: figure(
                format!("start → start-up screen complete, {n} assistants"),
                Millis,
            ),
            list: figure(
                format!("`{ASSISTANTS_KEY}` → assistant list drawn, {n}"),
                Millis,
            ),
            peak: figure(format!("console VmHWM, list of {n} shown"), Mebibytes),
            resident: figure(format!("console VmRSS, list of {n} shown"), Mebibytes),
            key_first: figure(format!("filter key → first screen change, {n}"), Millis),
            key_done: figure(format!("filter key → frame finished, {n}"), Millis),
        }
    }

    pub fn into_figures(self) -> [Figure; 6] {
        [
            self.start,
            self.list,
            self.peak,
            self.resident,
            self.key_first,
            self.key_done,
        ]
    }
}

/// Start-up, the Assistants screen, its memory, then a filter typed and
/// taken back one key at a time.
pub fn large(console: &mut Console, figures: &mut Large) -> anyhow::Result<()> {
    start_up(console, &mut figures.start)?;
    console.settle(FRAME_GAP, SETTLE_LIMIT);
    let pressed = console.press(ASSISTANTS_KEY)?;
    let shown = console.wait_for("the assistant list", screens::list_shown)?;
    figures
        .list
        .add_duration(shown.saturating_duration_since(pressed));
    console.settle(FRAME_GAP, SETTLE_LIMIT);
    let memory = procfs::memory(console.pid()?)?;
    figures.peak.add_kib(memory.peak_kib);
    figures.resident.add_kib(memory.resident_kib);

    press_and_settle(console, FILTER_KEY)?;
    let typed = FILTER_QUERY.chars().map(String::from);
    let taken_back = FILTER_QUERY.chars().map(|_| BACKSPACE.to_owned());
    for key in typed.chain(taken_back) {
        let (pressed, first, done) = press_and_settle(console, &key)?;
        figures
            .key_first
            .add_duration(first.saturating_duration_since(pressed));
        figures
            .key_done
            .add_duration(done.saturating_duration_since(pressed));
    }
    Ok(())
}

/// When `key` was written, when the screen first changed, and when the
/// frame that answered it ended.
fn press_and_settle(
    console: &mut Console,
    key: &str,
) -> anyhow::Result<(Instant, Instant, Instant)> {
    let before = console.contents();
    let pressed = console.press(key)?;
    let first = console.wait_for(
        &format!("an answer to {key:?}"),
        screens::changed_from(before),
    )?;
    let done = console.settle(FRAME_GAP, SETTLE_LIMIT);
    Ok((pressed, first, done))
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

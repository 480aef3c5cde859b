//! The binary in a pseudo-terminal, its output fed into a terminal emulator
//! by a reader thread that timestamps every read, so a wait can say when the
//! bytes that completed a screen arrived rather than when it noticed.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 40;
pub const COLS: u16 = 120;
/// Set to print every screen a wait ended on: the way to check the texts in
/// `screens.rs` after the console's wording changes.
const SHOW_SCREENS: &str = "PTY_SHOW_SCREENS";
/// Generous: the machine is shared. A wait ends as soon as its screen shows.
const PATIENCE: Duration = Duration::from_secs(120);

struct Output {
    parser: vt100::Parser,
    bytes: u64,
    /// When the last read returned.
    last_read: Instant,
    closed: bool,
}

struct Shared {
    output: Mutex<Output>,
    arrived: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Output> {
        // The reader thread holds the lock only to parse; a panic there
        // leaves the emulator as usable as it was.
        self.output.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What a wait makes of the screen after a read.
pub enum Seen {
    Done,
    NotYet,
    /// The screen says it will not get there; the text says why.
    Failed(String),
}

pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    shared: Arc<Shared>,
    pub spawned_at: Instant,
    // Closing the master hangs the child up: it lives as long as the console.
    _master: Box<dyn MasterPty + Send>,
}

impl Console {
    /// Starts `exe` in `dir` with `env` and little else: nothing of the
    /// caller's own settings, home or profile reaches it.
    pub fn spawn(exe: &str, dir: &Path, env: &[(&str, &OsStr)]) -> anyhow::Result<Console> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .context("cannot open a pseudo-terminal")?;
        let mut cmd = CommandBuilder::new(exe);
        cmd.env_clear();
        cmd.cwd(dir);
        for name in ["PATH", "LANG", "LC_ALL"] {
            if let Some(value) = std::env::var_os(name) {
                cmd.env(name, value);
            }
        }
        cmd.env("TERM", "xterm-256color");
        for (name, value) in env {
            cmd.env(name, value);
        }
        let shared = Arc::new(Shared {
            output: Mutex::new(Output {
                parser: vt100::Parser::new(non_zero(ROWS), non_zero(COLS), 0),
                bytes: 0,
                last_read: Instant::now(),
                closed: false,
            }),
            arrived: Condvar::new(),
        });
        let mut reader = pty.master.try_clone_reader()?;
        let keys = pty.master.take_writer()?;
        let spawned_at = Instant::now();
        let child = pty.slave.spawn_command(cmd)?;
        drop(pty.slave);
        let feed = shared.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let at = Instant::now();
                let mut output = feed.lock();
                if n == 0 {
                    output.closed = true;
                } else {
                    output.parser.process(&buf[..n]);
                    output.bytes += n as u64;
                    output.last_read = at;
                }
                drop(output);
                feed.arrived.notify_all();
                if n == 0 {
                    break;
                }
            }
        });
        Ok(Console {
            child,
            keys,
            shared,
            spawned_at,
            _master: pty.master,
        })
    }

    pub fn pid(&self) -> anyhow::Result<u32> {
        self.child.process_id().context("the console has no pid")
    }

    /// Writes `keys` and returns when they were written.
    pub fn press(&mut self, keys: &str) -> anyhow::Result<Instant> {
        let at = Instant::now();
        self.keys.write_all(keys.as_bytes())?;
        self.keys.flush()?;
        Ok(at)
    }

    pub fn bytes_written(&self) -> u64 {
        self.shared.lock().bytes
    }

    pub fn contents(&self) -> String {
        self.shared.lock().parser.screen().contents()
    }

    /// Checks the screen after every read of the console's output and
    /// returns when the read that made `check` see it done returned.
    pub fn wait_for(
        &self,
        what: &str,
        check: impl Fn(&vt100::Screen) -> Seen,
    ) -> anyhow::Result<Instant> {
        let give_up = Instant::now() + PATIENCE;
        let mut output = self.shared.lock();
        loop {
            match check(output.parser.screen()) {
                Seen::Done => {
                    if std::env::var_os(SHOW_SCREENS).is_some() {
                        eprintln!("--- {what}:\n{}", output.parser.screen().contents());
                    }
                    return Ok(output.last_read);
                }
                Seen::Failed(why) => bail!(
                    "{what} cannot happen ({why}); the screen shows:\n{}",
                    output.parser.screen().contents()
                ),
                Seen::NotYet => {}
            }
            if output.closed {
                bail!(
                    "the console exited before {what}; it showed:\n{}",
                    output.parser.screen().contents()
                );
            }
            let left = give_up.saturating_duration_since(Instant::now());
            if left.is_zero() {
                bail!(
                    "{what} never happened; the screen shows:\n{}",
                    output.parser.screen().contents()
                );
            }
            output = self
                .shared
                .arrived
                .wait_timeout(output, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Waits until the console has written nothing for `quiet` (at most
    /// `limit`) and returns when its last read returned: the end of a frame
    /// that may have come in several reads.
    pub fn settle(&self, quiet: Duration, limit: Duration) -> Instant {
        let give_up = Instant::now() + limit;
        let mut output = self.shared.lock();
        loop {
            let now = Instant::now();
            let silent_until = output.last_read + quiet;
            if output.closed || now >= silent_until || now >= give_up {
                return output.last_read;
            }
            let wait = silent_until.min(give_up) - now;
            output = self
                .shared
                .arrived
                .wait_timeout(output, wait)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// SIGTERM, which the console answers by restoring the terminal and
    /// exiting 143 (128 + SIGTERM).
    pub fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.pid()?;
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        anyhow::ensure!(sent.success(), "kill -TERM {pid} failed");
        let status = self.child.wait()?;
        anyhow::ensure!(
            status.exit_code() == 143,
            "the console exited with {status:?}"
        );
        Ok(())
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        // After `stop` this finds the child gone; after an error it must not linger.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The screen's last row, where the console keeps its status bar.
pub fn last_row(screen: &vt100::Screen) -> String {
    screen.rows(0, COLS).last().unwrap_or_default()
}

fn non_zero(n: u16) -> NonZeroU16 {
    // ROWS and COLS are non-zero constants.
    NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN)
}

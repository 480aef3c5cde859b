//! The binary in a pseudo-terminal, its output fed into a terminal emulator,
//! for tests of what a real terminal sees: the screen, the raw bytes, the
//! exit status, the process's state.

use std::fs::File;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 120;
/// Generous: CI machines are slow and shared. A wait ends as soon as its
/// condition holds.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Polls `done` until it holds; panics with `what` and `context()` if it never does.
pub fn wait_until(what: &str, mut done: impl FnMut() -> bool, context: impl Fn() -> String) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what} never happened; {}", context());
}

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Option<Box<dyn Write + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    // Closing the master hangs the child up: it lives as long as the test's
    // handle, or until `hang_up`.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

/// The binary with its config and data under `home`, nothing inherited that
/// could point it elsewhere, and `env` on top.
pub fn voicedock(home: &Path, env: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(crate::exe());
    isolate(&mut cmd, home, env);
    cmd
}

/// The binary run by a shell with job control, as from an interactive
/// prompt: Ctrl-Z can stop it, and a line typed at the stopped prompt runs
/// `fg`. (A process whose group no shell could resume is never stopped.)
pub fn voicedock_under_a_shell(home: &Path, env: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new("bash");
    cmd.args([
        "--norc",
        "--noprofile",
        "-c",
        r#"set -m; "$0"; while jobs %1 >/dev/null 2>&1; do read -r _; fg %1; done"#,
    ]);
    cmd.arg(crate::exe());
    isolate(&mut cmd, home, env);
    cmd
}

fn isolate(cmd: &mut CommandBuilder, home: &Path, env: &[(&str, &str)]) {
    cmd.env("TERM", "xterm-256color");
    cmd.env("VOICEDOCK_CONFIG_DIR", home.join("config"));
    cmd.env("VOICEDOCK_DATA_DIR", home.join("data"));
    cmd.env("VOICEDOCK_STATE_DIR", home.join("state"));
    // The periodic refresh is off, so what a test sees is what it did.
    cmd.env("VOICEDOCK_REFRESH_SECONDS", "0");
    for var in [
        "VOICEDOCK_BASE_URL",
        "VOICEDOCK_API_KEY",
        "VOICEDOCK_MASTER_KEY",
        "NO_COLOR",
        "COLORTERM",
    ] {
        cmd.env_remove(var);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
}

impl Pty {
    pub fn spawn(cmd: CommandBuilder) -> Pty {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(ROWS).unwrap(),
            NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let master_fd = pty.master.as_raw_fd().expect("a unix pty has a descriptor");
        // Its own descriptor, which it closes when told to stop: a hang-up
        // needs every descriptor of the master closed.
        let mut reader = {
            // SAFETY: `pty.master` owns `master_fd` and is still here when
            // this borrow ends, with the block.
            let master = unsafe { BorrowedFd::borrow_raw(master_fd) };
            File::from(master.try_clone_to_owned().unwrap())
        };
        let (into_parser, into_raw, stopping) = (parser.clone(), raw.clone(), stop.clone());
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopping.load(Ordering::SeqCst) {
                let mut ready = libc::pollfd {
                    fd: reader.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one pollfd alive across the call. The short wait
                // only bounds how late a stop is noticed.
                if unsafe { libc::poll(&mut ready, 1, 50) } <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        into_parser.lock().unwrap().process(&buf[..n]);
                        into_raw.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        let keys = pty.master.take_writer().unwrap();
        Pty {
            child,
            keys: Some(keys),
            parser,
            raw,
            master: Some(pty.master),
            stop,
            reader: Some(reader_thread),
        }
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// How many cells show in reverse video.
    pub fn reversed_cells(&self) -> usize {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        (0..ROWS)
            .flat_map(|row| (0..COLS).map(move |col| (row, col)))
            .filter(|(row, col)| screen.cell(*row, *col).is_some_and(|c| c.inverse()))
            .count()
    }

    /// The parameters of the SGR sequence written right before the latest
    /// `text` that has one: how the terminal was told to draw it.
    pub fn style_before(&self, text: &str) -> Option<String> {
        let raw = self.raw();
        raw.rmatch_indices(text).find_map(|(at, _)| {
            let sgr = raw[..at].strip_suffix('m')?;
            let start = sgr.rfind("\u{1b}[")?;
            let params = &sgr[start + 2..];
            params
                .chars()
                .all(|c| c.is_ascii_digit() || c == ';')
                .then(|| params.to_owned())
        })
    }

    pub fn on_alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn wait_for(&self, needle: &str) {
        wait_until(
            &format!("{needle:?} on screen"),
            || self.text().contains(needle),
            || format!("the screen shows:\n{}", self.text()),
        );
    }

    pub fn send(&mut self, bytes: &str) {
        let keys = self.keys.as_mut().expect("the terminal is still there");
        keys.write_all(bytes.as_bytes()).unwrap();
        keys.flush().unwrap();
        // A lone Esc is told apart from the start of an escape sequence only
        // by the pause after it: the terminal protocol itself is timed here.
        if bytes.ends_with('\x1b') {
            std::thread::sleep(Duration::from_millis(80));
        }
    }

    /// Closes the terminal as a closed window does: the kernel hangs up
    /// the session.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.keys = None;
        self.master = None;
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("a running child has a pid")
    }

    pub fn signal(&self, pid: u32, name: &str) {
        let sent = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{name} {pid}");
    }

    /// Waits for the exit and gives its code, once the last output is in.
    pub fn exit_code(&mut self) -> u32 {
        let mut status = None;
        wait_until(
            "the exit",
            || {
                status = self.child.try_wait().unwrap();
                status.is_some()
            },
            || "it is still running".to_owned(),
        );
        // The last bytes are in once the reader has met the end of the
        // output, when no process has the terminal open any more.
        if let Some(reader) = &self.reader {
            wait_until(
                "the end of the output",
                || reader.is_finished(),
                || "the terminal is still open".to_owned(),
            );
        }
        status.map_or(u32::MAX, |s| s.exit_code())
    }
}

impl Drop for Pty {
    /// A test that failed midway leaves no console running behind it.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
    }
}

/// A process's state letter in /proc (`T` stopped, `S` sleeping, …).
pub fn process_state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The name in parentheses may hold spaces; the state follows it.
    stat.rsplit_once(") ")
        .and_then(|(_, rest)| rest.chars().next())
        .unwrap_or('?')
}

/// The only child of `pid`, once it has one.
pub fn child_of(pid: u32) -> u32 {
    let path = format!("/proc/{pid}/task/{pid}/children");
    let mut found = None;
    wait_until(
        "a child process",
        || {
            found = std::fs::read_to_string(&path)
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse().ok());
            found.is_some()
        },
        || path.clone(),
    );
    found.unwrap_or_default()
}

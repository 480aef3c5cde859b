//! The binary itself in a pseudo-terminal: an operator adds a key, creates an
//! assistant and removes the key, and gets their terminal back on quit.

use testkit::common;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestServer;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use secrecy::SecretString;
use voicedock::client::ApiClient;

const ROWS: u16 = 30;
const COLS: u16 = 120;
/// Generous: CI machines are slow and shared. A wait ends as soon as the text shows.
const PATIENCE: Duration = Duration::from_secs(60);

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{needle:?} never appeared; the screen shows:\n{}",
            self.text()
        );
    }
}

struct Console {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    screen: Screen,
    // Closing the master hangs the child up: it lives as long as the test's handle.
    _master: Box<dyn portable_pty::MasterPty + Send>,
    _config_dir: Option<tempfile::TempDir>,
}

/// Starts the binary in a pseudo-terminal against `server`, and a thread
/// that feeds everything it writes into a terminal emulator.
fn spawn_console(server: &TestServer) -> Console {
    let config_dir = tempfile::tempdir().unwrap();
    let remote = [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        // The environment, never argv: the key stays out of the process list.
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ];
    let mut console = spawn_in(config_dir.path(), &remote);
    console._config_dir = Some(config_dir);
    console
}

/// The binary with its config and data under `dir` and `env` on top.
fn spawn_in(dir: &std::path::Path, env: &[(&str, &str)]) -> Console {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("VOICEDOCK_CONFIG_DIR", dir.join("config"));
    cmd.env("VOICEDOCK_DATA_DIR", dir.join("data"));
    cmd.env("VOICEDOCK_STATE_DIR", dir.join("state"));
    // The periodic refresh is off, so what a test sees is what it did.
    cmd.env("VOICEDOCK_REFRESH_SECONDS", "0");
    // Whatever the developer's shell has must not leak into the run.
    cmd.env_remove("VOICEDOCK_BASE_URL");
    cmd.env_remove("VOICEDOCK_API_KEY");
    cmd.env_remove("VOICEDOCK_MASTER_KEY");
    for (name, value) in env {
        cmd.env(name, value);
    }
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let screen = Screen {
        parser: Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(ROWS).unwrap(),
            NonZeroU16::new(COLS).unwrap(),
            0,
        ))),
        raw: Arc::new(Mutex::new(Vec::new())),
    };
    let mut reader = pty.master.try_clone_reader().unwrap();
    let (parser, raw) = (screen.parser.clone(), screen.raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.lock().unwrap().process(&buf[..n]);
            raw.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let keys = pty.master.take_writer().unwrap();
    Console {
        child,
        keys,
        screen,
        _master: pty.master,
        _config_dir: None,
    }
}

impl Console {
    fn send(&mut self, bytes: &str) {
        self.keys.write_all(bytes.as_bytes()).unwrap();
        self.keys.flush().unwrap();
        // A lone Esc is told apart from an escape sequence by the pause after it.
        std::thread::sleep(Duration::from_millis(80));
    }

    /// Waits for a clean exit and checks the terminal was handed back as it was.
    fn assert_restored(self) -> String {
        self.assert_restored_with(0)
    }

    fn assert_restored_with(mut self, exit_code: u32) -> String {
        let status = self.child.wait().unwrap();
        assert_eq!(status.exit_code(), exit_code, "{status:?}");
        // Give the reader thread the last bytes.
        std::thread::sleep(Duration::from_millis(200));
        let raw = String::from_utf8_lossy(&self.screen.raw.lock().unwrap()).into_owned();
        let entered = raw
            .rfind("\x1b[?1049h")
            .expect("entered the alternate screen");
        let tail = &raw[entered..];
        assert!(tail.contains("\x1b[?1049l"), "left the alternate screen");
        assert!(tail.contains("\x1b[?2004l"), "bracketed paste switched off");
        assert!(tail.contains("\x1b[?25h"), "cursor shown again");
        assert!(
            !self
                .screen
                .parser
                .lock()
                .unwrap()
                .screen()
                .alternate_screen()
        );
        raw
    }
}

#[test]
fn the_whole_byok_workflow_in_a_real_terminal() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let mut c = spawn_console(&server);

    c.screen.wait_for("Test Company");
    c.screen.wait_for("platform default keys");

    // Add an OpenAI key, pasted the way terminals paste.
    let key = "sk-e2e-0123456789abcdefWXYZ";
    // OpenAI heads the language models, after the three speech-to-text keys.
    c.send("\x1b[C\x1b[C\x1b[C");
    c.send("a");
    c.screen.wait_for("Create new secret key");
    c.send(&format!("\x1b[200~{key}\n\x1b[201~"));
    assert!(!c.screen.text().contains("0123456789"), "the key is masked");
    c.send("\r");
    c.screen.wait_for("OpenAI key saved");
    c.screen.wait_for("sk-…WXYZ");
    c.screen.wait_for("configured (BYOK)");
    let byok = runtime.block_on(client.byok()).unwrap();
    assert!(byok.byok_keys.is_configured("openai"));

    // Create the seed's assistant without typing any JSON.
    c.send("3");
    c.send("n");
    c.send("E2E Assistant");
    c.send("\t\t\r"); // STT model → the Models screen
    c.screen.wait_for("choose the STT model");
    c.send("\x1b[B\r"); // nova-3-general, the seed's, below the default nova-3
    c.send("\t\r"); // STT language picker
    c.screen.wait_for("STT language");
    c.send("nl\r");
    c.send("\t\r"); // LLM model
    c.screen.wait_for("choose the LLM model");
    c.send("/gpt-4o\r\r");
    c.send("\t0.7");
    c.send("\t\t\tyour-voice-id"); // past the messages and the LLM voice
    c.send("\x13"); // Ctrl-S
    c.screen.wait_for("Created E2E Assistant");
    let list = runtime.block_on(client.list_assistants()).unwrap();
    let created = list
        .iter()
        .find(|a| a.name == "E2E Assistant")
        .expect("created on the server");
    let stt = created.stt_config.as_ref().unwrap();
    assert_eq!(
        (stt.model.as_deref(), stt.language.as_deref()),
        (Some("nova-3-general"), Some("nl"))
    );
    let llm = created.llm_config.as_ref().unwrap();
    assert_eq!(
        (llm.model.as_deref(), llm.temperature),
        (Some("gpt-4o"), Some(0.7))
    );
    assert_eq!(
        created.tts_config.as_ref().unwrap().voice_id.as_deref(),
        Some("your-voice-id")
    );

    // Remove the key again: the confirmation names the assistant.
    c.send("\x1b");
    c.send("1");
    c.send("d");
    c.screen.wait_for("E2E Assistant");
    c.send("y");
    c.screen.wait_for("OpenAI key removed");
    let byok = runtime.block_on(client.byok()).unwrap();
    assert!(!byok.byok_keys.is_configured("openai"));

    c.send("q");
    let raw = c.assert_restored();
    assert!(!raw.contains(key), "the key never reached the terminal");
}

#[test]
fn sigterm_restores_the_terminal_and_idle_writes_nothing() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let console = spawn_console(&server);
    console.screen.wait_for("Test Company");
    console.screen.wait_for("platform default keys");
    // Settled: with nothing to show, the console must not write a byte.
    std::thread::sleep(Duration::from_millis(500));
    let before = console.screen.raw.lock().unwrap().len();
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        console.screen.raw.lock().unwrap().len(),
        before,
        "idle console wrote to the terminal"
    );
    let pid = console
        .child
        .process_id()
        .expect("a running child has a pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // 128 + SIGTERM, as a shell reports it.
    console.assert_restored_with(143);
}

#[test]
fn out_of_the_box_it_runs_its_own_server_and_keeps_the_account() {
    let home = tempfile::tempdir().unwrap();
    let mut first = spawn_in(home.path(), &[]);
    first.screen.wait_for("Local workspace");
    first.screen.wait_for("platform default keys");
    assert!(
        first.screen.text().contains("local"),
        "the header says local"
    );
    first.send("q");
    first.assert_restored();
    let credentials = home.path().join("config/credentials.toml");
    let saved = std::fs::read_to_string(&credentials).unwrap();
    assert!(saved.contains("[local]"), "the local account's key is kept");

    // The second run reuses that account instead of creating another.
    let mut second = spawn_in(home.path(), &[]);
    second.screen.wait_for("Local workspace");
    second.screen.wait_for("platform default keys");
    second.send("q");
    second.assert_restored();
    assert_eq!(std::fs::read_to_string(&credentials).unwrap(), saved);
}

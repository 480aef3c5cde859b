//! `byok` through the real binary: keys go in through stdin only and come
//! out only as hints.

mod cli_support;

use cli_support::*;
use serde_json::Value;

#[test]
fn byok_set_from_stdin_then_ls_shows_it_configured_and_never_the_key() {
    let h = harness();
    let set = h.api(&["byok", "set", "openai"], &format!("{OPENAI_KEY}\n"));
    let all = text(&set);
    let stdout = ok(set);
    assert!(stdout.contains("sk-…WXYZ"), "{stdout}");
    assert!(!all.contains(OPENAI_KEY), "{all}");

    let ls = h.api(&["byok", "ls", "--json"], "");
    assert!(!text(&ls).contains(OPENAI_KEY));
    let body = json_of(ls);
    let secret_id = body["byok_keys"]["openai_secret_id"].as_str().unwrap();
    assert!(stdout.contains(secret_id), "{stdout}");
    assert_eq!(body["byok_keys"]["deepgram_secret_id"], Value::Null);
    assert_eq!(body["keys"][0]["key_hint"], "sk-…WXYZ");

    let table = ok(h.api(&["byok", "ls"], ""));
    let openai = table.lines().find(|l| l.starts_with("openai")).unwrap();
    assert!(
        openai.contains("yes") && openai.contains(secret_id),
        "{table}"
    );

    // Checked here before anything is sent: the server still has the first key.
    let bad = h.api(&["byok", "set", "openai"], "pk-0123456789abcdefghij\n");
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("api_key"), "{}", text(&bad));
    let two_lines = h.api(
        &["byok", "set", "openai"],
        "sk-aaaaaaaaaaaaaaaaaaaaaa\nsk-b\n",
    );
    assert_eq!(two_lines.status.code(), Some(1));
    let after = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(after["byok_keys"]["openai_secret_id"], secret_id);

    let rm = ok(h.api(&["byok", "rm", "openai"], ""));
    assert!(rm.contains("removed"), "{rm}");
    let gone = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(gone["byok_keys"]["openai_secret_id"], Value::Null);
}

#[test]
fn a_key_given_as_an_argument_is_refused_with_the_reason() {
    let h = harness();
    for args in [
        &["byok", "set", "openai", OPENAI_KEY][..],
        &["byok", "set", "openai", "--", OPENAI_KEY],
        &["byok", "set", "openai", &format!("--api-key={OPENAI_KEY}")],
        &["--key", OPENAI_KEY, "byok", "ls"],
        &[
            "profile",
            "add",
            "dev",
            "--base-url",
            "http://127.0.0.1:9",
            OPENAI_KEY,
        ],
    ] {
        let out = h.api(args, "");
        let all = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {all}");
        assert!(all.contains("shell's history"), "{all}");
        assert!(all.contains("process list"), "{all}");
        assert!(all.contains("stdin"), "{all}");
        assert!(!all.contains(OPENAI_KEY), "{all}");
    }
    let state = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(state["byok_keys"]["openai_secret_id"], Value::Null);
    assert!(!h.config.path().join("config.toml").exists());
}

#[cfg(unix)]
const ROWS: std::num::NonZeroU16 = std::num::NonZeroU16::new(24).unwrap();
#[cfg(unix)]
const COLS: std::num::NonZeroU16 = std::num::NonZeroU16::new(100).unwrap();

/// The screen of a pseudo-terminal, read on a thread as the program writes.
#[cfg(unix)]
struct Screen {
    parser: std::sync::Arc<std::sync::Mutex<vt100::Parser>>,
}

#[cfg(unix)]
impl Screen {
    fn follow(mut reader: Box<dyn std::io::Read + Send>) -> Screen {
        let parser = std::sync::Arc::new(std::sync::Mutex::new(vt100::Parser::new(ROWS, COLS, 0)));
        let shared = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shared.lock().unwrap().process(&buf[..n]);
            }
        });
        Screen { parser }
    }

    fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits for `text` to appear; gives up (and fails) after a generous bound.
    fn wait_for(&self, text: &str) {
        for _ in 0..1000 {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("never saw {text:?} on screen:\n{}", self.contents());
    }
}

#[cfg(unix)]
#[test]
fn on_a_terminal_the_key_is_typed_at_a_masked_prompt() {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use secrecy::ExposeSecret;

    let h = harness();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS.get(),
            cols: COLS.get(),
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let screen = Screen::follow(pty.master.try_clone_reader().unwrap());
    let mut keyboard = pty.master.take_writer().unwrap();

    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.args(["byok", "set", "openai"]);
    cmd.env("VOICEDOCK_CONFIG_DIR", h.config.path());
    cmd.env("VOICEDOCK_DATA_DIR", h.data.path());
    cmd.env("VOICEDOCK_BASE_URL", &h.base_url);
    cmd.env("VOICEDOCK_API_KEY", h.account_key.expose_secret());
    let mut child = pty.slave.spawn_command(cmd).unwrap();

    screen.wait_for("OpenAI API key: ");
    // A typo corrected with backspace, as a person would.
    keyboard.write_all(b"sk-x\x7f").unwrap();
    keyboard
        .write_all(OPENAI_KEY.strip_prefix("sk-").unwrap().as_bytes())
        .unwrap();
    keyboard.write_all(b"\r").unwrap();
    let status = child.wait().unwrap();
    screen.wait_for("stored (secret id");
    let shown = screen.contents();
    assert!(status.success(), "{shown}");
    assert!(
        !shown.contains(OPENAI_KEY) && !shown.contains("0123456789"),
        "{shown}"
    );
    let stars = "*".repeat(OPENAI_KEY.len());
    assert!(
        shown.contains(&format!("OpenAI API key: {stars}\n")),
        "{shown}"
    );
    assert!(shown.contains("sk-…WXYZ"), "{shown}");

    // The terminal is back in cooked mode with echo once the prompt is done.
    let mut stty = CommandBuilder::new("stty");
    stty.arg("-a");
    pty.slave.spawn_command(stty).unwrap().wait().unwrap();
    screen.wait_for("icanon");
    let modes = screen.contents();
    assert!(
        !modes.contains("-icanon") && !modes.contains("-echo "),
        "{modes}"
    );

    let state = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert!(state["byok_keys"]["openai_secret_id"].is_string());
}

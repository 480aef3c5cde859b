//! `byok` through the real binary: keys go in through stdin only and come
//! out only as hints.

use testkit::cli_support;

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

/// A service-account key file as Google hands it out: several lines, and a
/// private key whose own line breaks are escaped inside the JSON string.
const CREDENTIAL: &str = r#"{
  "type": "service_account",
  "project_id": "acme-voice",
  "private_key_id": "0123456789abcdef",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
  "client_email": "voicedock@acme-voice.iam.gserviceaccount.com",
  "client_id": "1234567890"
}
"#;

fn secret_id(h: &Harness, provider: &str) -> Value {
    json_of(h.api(&["byok", "ls", "--json"], ""))["byok_keys"][format!("{provider}_secret_id")]
        .clone()
}

#[test]
fn a_json_credential_is_stored_from_a_file_or_stdin_and_checked_first() {
    let h = harness();
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("sa.json");
    std::fs::write(&file, CREDENTIAL).unwrap();
    let path = file.display().to_string();

    let out = h.api(&["byok", "set", "google_vertex", "--file", &path], "");
    assert!(!text(&out).contains("MIIEvQ"), "{}", text(&out));
    let said = ok(out);
    assert!(
        said.contains("JSON credential of voicedock@acme-voice.iam.gserviceaccount.com"),
        "{said}"
    );
    let first = secret_id(&h, "google_vertex");
    assert!(first.is_string(), "{first}");
    let table = ok(h.api(&["byok", "ls"], ""));
    let row = table
        .lines()
        .find(|l| l.starts_with("google_vertex"))
        .unwrap();
    assert!(
        row.contains("LLM+STT+TTS") && row.contains("yes"),
        "{table}"
    );
    // Every provider the server reports has a row.
    assert_eq!(table.lines().count(), 1 + 10, "{table}");

    // Refused before sending, naming what is missing and never a value.
    let partial = r#"{"type": "service_account", "project_id": "acme-voice",
        "private_key_id": "0123456789abcdef"}"#;
    for (body, expected) in [
        (partial, "the credential lacks private_key, client_email"),
        ("AIzaSyA-this-is-not-a-document", "must be a JSON object"),
        ("{\"type\": \"service_account\",\n", "must be a JSON object"),
    ] {
        std::fs::write(&file, body).unwrap();
        let out = h.api(&["byok", "set", "google_vertex", "--file", &path], "");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        let why = text(&out);
        assert!(why.contains(expected), "{why}");
        assert!(
            !why.contains("0123456789abcdef") && !why.contains("AIzaSy"),
            "{why}"
        );
    }
    let missing = h.api(
        &[
            "byok",
            "set",
            "google_vertex",
            "--file",
            "/nonexistent/sa.json",
        ],
        "",
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing).contains("cannot read"), "{}", text(&missing));
    assert_eq!(secret_id(&h, "google_vertex"), first);

    // The whole of stdin, up to EOF, is the document; it rotates the key.
    ok(h.api(&["byok", "set", "google_vertex"], CREDENTIAL));
    let second = secret_id(&h, "google_vertex");
    assert!(second.is_string() && second != first, "{second}");

    // A path where the key would go is refused like a key, pointing at --file.
    let out = h.api(&["byok", "set", "google_vertex", &path], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("--file PATH"), "{}", text(&out));
}

#[test]
fn a_token_on_two_lines_is_refused_never_joined() {
    let h = harness();
    for stdin in [
        "sk-aaaaaaaaaaaaaaaaaaaaaa\rsk-bbbbbbbbbbbbbbbbbbbbbb\n",
        "sk-aaaaaaaaaaaaaaaaaaaaaa\n\n  sk-bbbbbbbbbbbbbbbbbbbbbb\n",
        "sk-aaaaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbbbb\n",
    ] {
        let out = h.api(&["byok", "set", "openai"], stdin);
        assert_eq!(out.status.code(), Some(1), "{stdin:?}: {}", text(&out));
        let why = text(&out);
        assert!(why.contains("2 lines with text"), "{why}");
        assert!(!why.contains("sk-a") && !why.contains("bbbb"), "{why}");
    }
    assert_eq!(secret_id(&h, "openai"), Value::Null);
    // Blank lines around the one key are fine; so is a key in a file.
    ok(h.api(&["byok", "set", "openai"], &format!("\n\n{OPENAI_KEY}\n\n")));
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("key.txt");
    std::fs::write(&file, format!("{OPENAI_KEY}\n")).unwrap();
    let said = ok(h.api(
        &[
            "byok",
            "set",
            "openai",
            "--file",
            &file.display().to_string(),
        ],
        "",
    ));
    assert!(said.contains("sk-…WXYZ"), "{said}");
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

/// `byok set openai` on a pseudo-terminal, waiting at its prompt.
#[cfg(unix)]
struct Prompt {
    pty: portable_pty::PtyPair,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    screen: Screen,
    keyboard: Box<dyn std::io::Write + Send>,
}

#[cfg(unix)]
fn prompt(h: &Harness) -> Prompt {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use secrecy::ExposeSecret;

    let pty = native_pty_system()
        .openpty(PtySize {
            rows: ROWS.get(),
            cols: COLS.get(),
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let screen = Screen::follow(pty.master.try_clone_reader().unwrap());
    let keyboard = pty.master.take_writer().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_voicedock"));
    cmd.args(["byok", "set", "openai"]);
    cmd.env("VOICEDOCK_CONFIG_DIR", h.config.path());
    cmd.env("VOICEDOCK_DATA_DIR", h.data.path());
    cmd.env("VOICEDOCK_BASE_URL", &h.base_url);
    cmd.env("VOICEDOCK_API_KEY", h.account_key.expose_secret());
    let child = pty.slave.spawn_command(cmd).unwrap();
    screen.wait_for("OpenAI API key: ");
    Prompt {
        pty,
        child,
        screen,
        keyboard,
    }
}

#[cfg(unix)]
#[test]
fn on_a_terminal_the_key_is_typed_at_a_masked_prompt() {
    use portable_pty::CommandBuilder;

    let h = harness();
    let Prompt {
        pty,
        mut child,
        screen,
        mut keyboard,
    } = prompt(&h);
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

/// How the prompt ended; a prompt still waiting after a generous bound
/// (a paste taken as one unfinished line) fails the test instead of hanging it.
#[cfg(unix)]
fn exit_of(p: &mut Prompt) -> portable_pty::ExitStatus {
    for _ in 0..1000 {
        if let Some(status) = p.child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    p.child.kill().unwrap();
    panic!("the prompt is still waiting:\n{}", p.screen.contents());
}

/// A paste of two lines, on a terminal that marks pastes and on one that
/// does not (where it arrives as typing, line feeds and all): refused, never
/// joined into one key, and nothing is left over for the shell to run.
#[cfg(unix)]
#[test]
fn a_paste_of_two_lines_at_the_prompt_is_refused() {
    let two = "sk-aaaaaaaaaaaaaaaaaaaaaaaa\nsk-bbbbbbbbbbbbbbbbbbbbbbbb";
    let h = harness();
    for typed in [
        format!("{two}\n"),
        format!("{}\r", two.replace('\n', "\r")),
        format!("\x1b[200~{two}\x1b[201~"),
    ] {
        let mut p = prompt(&h);
        p.keyboard.write_all(typed.as_bytes()).unwrap();
        let status = exit_of(&mut p);
        p.screen.wait_for("nothing was sent");
        let shown = p.screen.contents();
        assert!(!status.success(), "{typed:?}: {shown}");
        assert!(shown.contains("more than one line"), "{shown}");
        assert!(
            !shown.contains("sk-a") && !shown.contains("bbbb"),
            "{shown}"
        );
        drop(p.pty);
    }
    let state = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(state["byok_keys"]["openai_secret_id"], Value::Null);
}

/// A "key" shorter than any key is refused before it is used to hide
/// anything: the message is whole, not `[redacted]rror`.
#[test]
fn a_key_too_short_to_be_one_is_refused_and_hides_nothing() {
    let h = harness();
    for typed in ["e", "error", "api_key"] {
        let out = h.api(&["byok", "set", "openai"], &format!("{typed}\n"));
        assert!(!out.status.success(), "{}", text(&out));
        let said = text(&out);
        assert!(
            said.contains("error: invalid api_key: the key must be at least 20 characters"),
            "{said}"
        );
        assert!(!said.contains("[redacted]"), "{said}");
    }
    let ls = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(ls["byok_keys"]["openai_secret_id"], Value::Null);
}

#[test]
fn byok_takes_the_provider_by_id_or_name_in_any_case() {
    let h = harness();
    let set = h.api(&["byok", "set", "OpenAI"], &format!("{OPENAI_KEY}\n"));
    let all = text(&set);
    let stdout = ok(set);
    assert!(stdout.starts_with("openai: "), "{stdout}");
    assert!(!all.contains(OPENAI_KEY), "{all}");
    let body = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert!(body["byok_keys"]["openai_secret_id"].is_string(), "{body}");

    // A key after a provider in any case is still refused, not stored.
    let refused = h.api(&["byok", "set", "OPENAI", OPENAI_KEY], "");
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(!text(&refused).contains(OPENAI_KEY));
    // A credential file's path after its provider, in any case, points at --file.
    let path = h.api(&["byok", "set", "Google_Vertex", "sa.json"], "");
    assert!(text(&path).contains("--file PATH"), "{}", text(&path));

    ok(h.api(&["byok", "rm", "OPENAI"], ""));
    let gone = json_of(h.api(&["byok", "ls", "--json"], ""));
    assert_eq!(gone["byok_keys"]["openai_secret_id"], Value::Null);
}

//! The console's life in a real terminal: a dumb terminal is refused, a
//! signal drops unsaved edits and says which, Ctrl-Z stops it until `fg`,
//! and the CLI works on the same local workspace while it runs.

use testkit::common;
use testkit::pty_support;

use std::process::{Command, Stdio};

use common::TestServer;
use pty_support::*;
use secrecy::SecretString;
use voicedock::client::ApiClient;

const OPENAI_KEY: &str = "sk-proj-0123456789abcdefWXYZ";

fn remote(server: &TestServer) -> [(&str, &str); 2] {
    [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        // The environment, never argv: the key stays out of the process list.
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ]
}

#[test]
fn a_dumb_terminal_is_refused_before_anything_starts() {
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &[("TERM", "dumb")]));
    let code = c.exit_code();
    assert_ne!(code, 0);
    let text = c.text();
    assert!(text.contains("TERM=dumb"), "{text}");
    assert!(text.contains("voicedock byok ls"), "{text}");
    assert!(text.contains("voicedock assistants ls"), "{text}");
    assert!(!c.raw().contains("\x1b[?1049h"), "the screen never changed");
    assert!(
        !home.path().join("data").exists(),
        "the embedded server never started"
    );
}

/// `ssh host voicedock` without `-t`, or a start from a service: no
/// terminal to draw on or read keys from. Said as plainly as TERM=dumb,
/// with the CLI to use instead, before anything starts.
#[test]
fn without_a_terminal_the_console_says_so_and_starts_nothing() {
    let home = tempfile::tempdir().unwrap();
    let plain = Command::new(testkit::exe());
    // setsid: no controlling terminal either, as under a service manager.
    let mut detached = Command::new("setsid");
    detached.arg(testkit::exe());
    for mut cmd in [plain, detached] {
        cmd.env("TERM", "xterm-256color")
            .env("VOICEDOCK_CONFIG_DIR", home.path().join("config"))
            .env("VOICEDOCK_DATA_DIR", home.path().join("data"))
            .env("VOICEDOCK_STATE_DIR", home.path().join("state"))
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = format!("{cmd:?}");
        let out = cmd.output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{what}: {said}");
        for words in [
            "needs a terminal",
            "ssh -t",
            "voicedock byok ls",
            "voicedock --help",
        ] {
            assert!(
                said.contains(words),
                "{what}: {words:?} missing from {said}"
            );
        }
        assert!(!said.contains("os error"), "{what}: {said}");
        assert!(
            out.stdout.is_empty(),
            "{what}: nothing drawn: {:?}",
            out.stdout
        );
        assert!(
            !home.path().join("data").exists(),
            "{what}: the embedded server never started"
        );
    }
}

#[test]
fn no_color_draws_without_colour_and_keeps_the_focus_reversed() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let [url, key] = remote(&server);
    let mut c = Pty::spawn(voicedock(home.path(), &[url, key, ("NO_COLOR", "1")]));
    c.wait_for("platform default keys");
    wait_until(
        "the focused provider in reverse video",
        || c.reversed_cells() > 0,
        || c.text(),
    );
    c.send("q");
    assert_eq!(c.exit_code(), 0);
    let raw = c.raw();
    for colour in ["\x1b[38;", "\x1b[48;", ";38;", ";48;"] {
        assert!(!raw.contains(colour), "{colour:?} in the output");
    }
}

#[test]
fn sigterm_drops_an_assistant_edit_names_it_and_saves_nothing() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let draft = serde_json::from_value(serde_json::json!({
        "name": "Support line", "first_message": "Hello, how can I help?"
    }))
    .unwrap();
    let before = runtime.block_on(client.create_assistant(&draft)).unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &remote(&server)));
    c.wait_for("platform default keys");
    c.send("3");
    c.wait_for("Support line");
    c.send("\r");
    c.wait_for("First message");
    c.send(" v2");
    c.wait_for("Support line v2");

    c.signal(c.pid(), "TERM");
    assert_eq!(c.exit_code(), 143, "128 + SIGTERM");
    assert!(!c.on_alternate_screen(), "the terminal is back");
    let text = c.text();
    assert!(
        text.contains("Dropped unsaved edits: assistant \"Support line\" (name)"),
        "{text}"
    );
    let (after, _) = runtime.block_on(client.get_assistant(&before.id)).unwrap();
    assert_eq!(after.name, "Support line");
    assert_eq!(after.revision, before.revision, "nothing was saved");
}

#[test]
fn sighup_drops_a_typed_key_without_showing_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &remote(&server)));
    c.wait_for("platform default keys");
    // OpenAI heads the language models, after the three speech-to-text keys.
    c.send("\x1b[C\x1b[C\x1b[C");
    c.send("a");
    c.wait_for("Create new secret key");
    c.send(&format!("\x1b[200~{OPENAI_KEY}\x1b[201~"));
    // The paste is in the form (shown as its length only) before the hang-up.
    c.wait_for(&format!("{} characters", OPENAI_KEY.chars().count()));

    c.signal(c.pid(), "HUP");
    assert_eq!(c.exit_code(), 129, "128 + SIGHUP");
    let text = c.text();
    assert!(
        text.contains("Dropped unsaved edits: a typed OpenAI key"),
        "{text}"
    );
    assert!(!c.raw().contains("0123456789abcdef"), "the key never shows");
    let byok = runtime.block_on(client.byok()).unwrap();
    assert!(!byok.byok_keys.is_configured("openai"), "nothing was saved");
}

#[test]
fn without_unsaved_edits_a_signal_ends_it_silently() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &remote(&server)));
    c.wait_for("platform default keys");
    c.signal(c.pid(), "HUP");
    assert_eq!(c.exit_code(), 129);
    assert!(!c.text().contains("Dropped"), "{}", c.text());
}

#[test]
fn a_closed_terminal_ends_it_as_a_hang_up() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &remote(&server)));
    c.wait_for("platform default keys");
    c.hang_up();
    // The kernel's SIGHUP, and a terminal that refuses every write.
    assert_eq!(c.exit_code(), 129, "128 + SIGHUP, not a panic");
}

#[test]
fn a_closed_terminal_ends_it_even_when_no_sighup_comes() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let status = home.path().join("status");
    // A session leader that keeps SIGHUP to itself, as `ssh -t host cmd`
    // wrappers can: only the terminal itself tells the console it is gone.
    let mut shell = portable_pty::CommandBuilder::new("sh");
    shell.args([
        "-c",
        r#"trap true HUP; "$0"; echo "$?" > "$1""#,
        env!("CARGO_BIN_EXE_voicedock"),
    ]);
    shell.arg(&status);
    let [url, key] = remote(&server);
    for (name, value) in [url, key, ("TERM", "xterm-256color")] {
        shell.env(name, value);
    }
    shell.env("VOICEDOCK_CONFIG_DIR", home.path().join("config"));
    shell.env("VOICEDOCK_DATA_DIR", home.path().join("data"));
    shell.env("VOICEDOCK_STATE_DIR", home.path().join("state"));
    let mut c = Pty::spawn(shell);
    c.wait_for("platform default keys");
    c.hang_up();
    c.exit_code();
    let code = std::fs::read_to_string(&status).expect("the shell wrote the console's status");
    assert_eq!(code.trim(), "129");
}

#[test]
fn ctrl_z_stops_the_console_and_fg_redraws_it() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock_under_a_shell(home.path(), &remote(&server)));
    let console = child_of(c.pid());
    c.wait_for("platform default keys");

    c.send("\x1a");
    wait_until(
        "the console stopping",
        || process_state(console) == 'T',
        || format!("state {}", process_state(console)),
    );
    assert!(!c.on_alternate_screen(), "the shell got its screen back");
    let stopped_at = c.raw().len();
    let raw = c.raw();
    let entered = raw
        .find("\x1b[?1049h")
        .expect("entered the alternate screen");
    let left = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(entered < left);
    assert!(
        raw[entered..].contains("\x1b[?2004l"),
        "bracketed paste off for the shell"
    );
    assert!(
        raw[entered..].contains("\x1b[?25h"),
        "cursor shown for the shell"
    );

    // The line lets the shell run `fg`, which continues the console (SIGCONT).
    c.send("\r");
    wait_until(
        "the console redrawn",
        || c.on_alternate_screen() && c.text().contains("platform default keys"),
        || format!("the screen shows:\n{}", c.text()),
    );
    assert_ne!(process_state(console), 'T');
    let resumed = c.raw()[stopped_at..].to_owned();
    assert!(
        resumed.contains("\x1b[?1049h"),
        "back on the alternate screen"
    );
    assert!(
        resumed.contains("default keys"),
        "every cell drawn again, not only what changed"
    );
    c.send("q");
    assert_eq!(c.exit_code(), 0);
}

#[test]
fn the_cli_writes_the_local_workspace_a_running_console_shows() {
    let home = tempfile::tempdir().unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &[]));
    c.wait_for("Local workspace");
    c.wait_for("platform default keys");

    let mut set = Command::new(env!("CARGO_BIN_EXE_voicedock"));
    set.args(["--profile", "local", "byok", "set", "openai"])
        .env("VOICEDOCK_CONFIG_DIR", home.path().join("config"))
        .env("VOICEDOCK_DATA_DIR", home.path().join("data"))
        .env_remove("VOICEDOCK_BASE_URL")
        .env_remove("VOICEDOCK_API_KEY")
        .env_remove("VOICEDOCK_MASTER_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = set.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{OPENAI_KEY}\n").as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    c.send("\x1b[C\x1b[C\x1b[C"); // focus OpenAI
    c.send("r");
    c.wait_for("sk-…WXYZ");
    c.send("q");
    assert_eq!(c.exit_code(), 0);
}

//! The binary itself in a pseudo-terminal: an operator adds a key, creates an
//! assistant and removes the key, and gets their terminal back on quit.

use std::time::Duration;

use secrecy::SecretString;
use tempfile::TempDir;
use testkit::common::TestServer;
use testkit::pty_support::{Pty, voicedock};
use voicedock::client::ApiClient;

/// The binary in a pseudo-terminal against `server`, with its config and
/// data under a home of its own (kept as long as the console runs).
fn spawn_console(server: &TestServer) -> (Pty, TempDir) {
    let home = tempfile::tempdir().unwrap();
    let remote = [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        // The environment, never argv: the key stays out of the process list.
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ];
    (Pty::spawn(voicedock(home.path(), &remote)), home)
}

/// Waits for a clean exit and checks the terminal was handed back as it was.
fn assert_restored(c: &mut Pty) -> String {
    assert_restored_with(c, 0)
}

fn assert_restored_with(c: &mut Pty, exit_code: u32) -> String {
    assert_eq!(c.exit_code(), exit_code);
    let raw = c.raw();
    let entered = raw
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    let tail = &raw[entered..];
    assert!(tail.contains("\x1b[?1049l"), "left the alternate screen");
    assert!(tail.contains("\x1b[?2004l"), "bracketed paste switched off");
    assert!(tail.contains("\x1b[?25h"), "cursor shown again");
    assert!(!c.on_alternate_screen());
    raw
}

#[test]
fn the_whole_byok_workflow_in_a_real_terminal() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let (mut c, _home) = spawn_console(&server);

    c.wait_for("Test Company");
    c.wait_for("platform default keys");

    // Add an OpenAI key, pasted the way terminals paste.
    let key = "sk-e2e-0123456789abcdefWXYZ";
    // OpenAI heads the language models, after the three speech-to-text keys.
    c.send("\x1b[C\x1b[C\x1b[C");
    c.send("a");
    c.wait_for("Create new secret key");
    c.send(&format!("\x1b[200~{key}\n\x1b[201~"));
    assert!(!c.text().contains("0123456789"), "the key is masked");
    c.send("\r");
    c.wait_for("OpenAI key saved");
    c.wait_for("sk-…WXYZ");
    c.wait_for("configured (BYOK)");
    let byok = runtime.block_on(client.byok()).unwrap();
    assert!(byok.byok_keys.is_configured("openai"));

    // Create the seed's assistant without typing any JSON.
    c.send("3");
    c.send("n");
    c.send("E2E Assistant");
    c.send("\t\t\r"); // STT model → the Models screen
    c.wait_for("choose the STT model");
    c.send("\x1b[B\r"); // nova-3-general, the seed's, below the default nova-3
    c.send("\t\r"); // STT language picker
    c.wait_for("STT language");
    c.send("nl\r");
    c.send("\t\r"); // LLM model
    c.wait_for("choose the LLM model");
    c.send("/gpt-4o\r\r");
    c.send("\t0.7");
    // Past the messages, the LLM voice, the TTS provider and model.
    c.send("\t\t\t\t\tyour-voice-id");
    c.send("\x13"); // Ctrl-S
    c.wait_for("Created E2E Assistant");
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
    c.wait_for("E2E Assistant");
    c.send("y");
    c.wait_for("OpenAI key removed");
    let byok = runtime.block_on(client.byok()).unwrap();
    assert!(!byok.byok_keys.is_configured("openai"));

    c.send("q");
    let raw = assert_restored(&mut c);
    assert!(!raw.contains(key), "the key never reached the terminal");
}

#[test]
fn sigterm_restores_the_terminal_and_idle_writes_nothing() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let (mut console, _home) = spawn_console(&server);
    console.wait_for("Test Company");
    console.wait_for("platform default keys");
    // Settled: with nothing to show, the console must not write a byte.
    std::thread::sleep(Duration::from_millis(500));
    let before = console.raw().len();
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(
        console.raw().len(),
        before,
        "idle console wrote to the terminal"
    );
    console.signal(console.pid(), "TERM");
    // 128 + SIGTERM, as a shell reports it.
    assert_restored_with(&mut console, 143);
}

#[test]
fn out_of_the_box_it_runs_its_own_server_and_keeps_the_account() {
    let home = tempfile::tempdir().unwrap();
    let mut first = Pty::spawn(voicedock(home.path(), &[]));
    first.wait_for("Local workspace");
    first.wait_for("platform default keys");
    assert!(first.text().contains("local"), "the header says local");
    first.send("q");
    assert_restored(&mut first);
    let credentials = home.path().join("config/credentials.toml");
    let saved = std::fs::read_to_string(&credentials).unwrap();
    assert!(saved.contains("[local]"), "the local account's key is kept");

    // The second run reuses that account instead of creating another.
    let mut second = Pty::spawn(voicedock(home.path(), &[]));
    second.wait_for("Local workspace");
    second.wait_for("platform default keys");
    second.send("q");
    assert_restored(&mut second);
    assert_eq!(std::fs::read_to_string(&credentials).unwrap(), saved);
}

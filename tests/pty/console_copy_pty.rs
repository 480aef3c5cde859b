//! Copies as a real terminal receives them: the exact OSC 52 bytes, plain
//! and inside tmux, and a clipboard program that gets the text on stdin.

use testkit::common;
use testkit::pty_support;

use std::path::Path;

use base64::Engine;
use common::TestServer;
use portable_pty::CommandBuilder;
use pty_support::*;

/// `printf nova-3 | base64`: the first model of the Models screen.
const NOVA_OSC52: &str = "\x1b]52;c;bm92YS0z\x07";

/// The console against `server`, with `config` as its config.toml and
/// nothing of this machine's SSH or tmux session, then `env` on top.
fn console(server: &TestServer, home: &Path, config: &str, env: &[(&str, &str)]) -> Pty {
    std::fs::create_dir_all(home.join("config")).unwrap();
    std::fs::write(home.join("config/config.toml"), config).unwrap();
    let mut cmd: CommandBuilder = voicedock(
        home,
        &[
            ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
            // The environment, never argv: the key stays out of the process list.
            ("VOICEDOCK_API_KEY", server.api_key.as_str()),
        ],
    );
    for var in ["TMUX", "SSH_TTY", "SSH_CONNECTION", "SSH_CLIENT"] {
        cmd.env_remove(var);
    }
    for (name, value) in env {
        cmd.env(name, value);
    }
    let c = Pty::spawn(cmd);
    c.wait_for("platform default keys");
    c
}

/// Copies the first model's id on the Models screen.
fn copy_first_model(c: &mut Pty) {
    c.send("2");
    c.wait_for("nova-3");
    c.send("y");
    c.wait_for("copied model id nova-3");
}

fn quit(mut c: Pty) -> String {
    c.send("q");
    assert_eq!(c.exit_code(), 0);
    c.raw()
}

/// A clipboard program that keeps its arguments and its stdin in `dir`.
fn recording_program(dir: &Path, exit_code: u8) -> String {
    let script = dir.join("copy.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argv}'\ncat > '{stdin}'\nexit {exit_code}\n",
            argv = dir.join("argv").display(),
            stdin = dir.join("stdin").display(),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script.display().to_string()
}

#[test]
fn osc52_goes_to_the_terminal_byte_for_byte() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let mut c = console(&server, home.path(), "", &[]);
    copy_first_model(&mut c);
    c.send("c");
    c.wait_for("copied curl for GET /api/v1/byok/config");
    let raw = quit(c);
    assert_eq!(raw.matches(NOVA_OSC52).count(), 1, "{raw:?}");
    let curl = format!(
        "curl -sS -H \"Authorization: Bearer $VOICEDOCK_API_KEY\" '{}/api/v1/byok/config'",
        server.base_url
    );
    let encoded = base64::engine::general_purpose::STANDARD.encode(curl);
    assert!(raw.contains(&format!("\x1b]52;c;{encoded}\x07")), "{raw:?}");
    assert!(
        !raw.contains("\x1bPtmux;"),
        "no tmux passthrough outside tmux"
    );
    assert!(
        !raw.contains(&server.api_key),
        "the account key never reaches the terminal"
    );
}

#[test]
fn inside_tmux_the_copy_goes_through_the_passthrough_and_plain() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let tmux = [("TMUX", "/tmp/tmux-1000/default,4242,0")];
    let mut c = console(&server, home.path(), "clipboard = \"osc52\"\n", &tmux);
    copy_first_model(&mut c);
    let raw = quit(c);
    let wrapped = "\x1bPtmux;\x1b\x1b]52;c;bm92YS0z\x07\x1b\\";
    assert_eq!(
        raw.matches(&format!("{wrapped}{NOVA_OSC52}")).count(),
        1,
        "{raw:?}"
    );
}

#[test]
fn a_clipboard_program_gets_the_text_on_stdin_and_never_in_argv() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let program = recording_program(home.path(), 0);
    let config = format!(
        "clipboard = \"command\"\nclipboard_command = [\"{program}\", \"--selection\", \"clipboard\"]\n"
    );
    // Over SSH too: "command" is the user's explicit choice.
    let mut c = console(&server, home.path(), &config, &[("SSH_TTY", "/dev/pts/9")]);
    copy_first_model(&mut c);
    let stdin = home.path().join("stdin");
    wait_until(
        "the program's input",
        || std::fs::read_to_string(&stdin).is_ok_and(|t| !t.is_empty()),
        || "no input yet".to_owned(),
    );
    assert_eq!(std::fs::read_to_string(&stdin).unwrap(), "nova-3");
    let argv = std::fs::read_to_string(home.path().join("argv")).unwrap();
    assert_eq!(argv, "--selection\nclipboard\n");
    let raw = quit(c);
    assert!(!raw.contains("]52;"), "no OSC 52 when the program worked");
}

#[test]
fn a_failing_program_is_said_and_nothing_else_is_tried() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let program = recording_program(home.path(), 1);
    let config = format!("clipboard = \"command\"\nclipboard_command = [\"{program}\"]\n");
    let mut c = console(&server, home.path(), &config, &[]);
    c.send("2");
    c.wait_for("nova-3");
    c.send("y");
    c.wait_for("could not copy model id nova-3: ");
    let raw = quit(c);
    assert!(!raw.contains("]52;"), "{raw:?}");
}

#[test]
fn auto_over_ssh_leaves_the_program_alone_and_uses_the_terminal() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let program = recording_program(home.path(), 0);
    let config = format!("clipboard_command = [\"{program}\"]\n");
    let ssh = [("SSH_CONNECTION", "127.0.0.1 50000 127.0.0.1 22")];
    let mut c = console(&server, home.path(), &config, &ssh);
    copy_first_model(&mut c);
    let raw = quit(c);
    assert_eq!(raw.matches(NOVA_OSC52).count(), 1, "{raw:?}");
    assert!(!home.path().join("stdin").exists(), "the program never ran");
}

#[test]
fn auto_runs_a_present_program_here_and_falls_back_to_the_terminal_when_it_fails() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let program = recording_program(home.path(), 0);
    let config = format!("clipboard_command = [\"{program}\"]\n");
    let mut c = console(&server, home.path(), &config, &[]);
    copy_first_model(&mut c);
    let stdin = home.path().join("stdin");
    wait_until(
        "the program's input",
        || std::fs::read_to_string(&stdin).is_ok_and(|t| !t.is_empty()),
        || "no input yet".to_owned(),
    );
    assert_eq!(std::fs::read_to_string(&stdin).unwrap(), "nova-3");
    assert!(!quit(c).contains("]52;"), "the program did it");

    let failing = tempfile::tempdir().unwrap();
    let program = recording_program(failing.path(), 1);
    let config = format!("clipboard = \"auto\"\nclipboard_command = [\"{program}\"]\n");
    let mut c = console(&server, failing.path(), &config, &[]);
    c.send("2");
    c.wait_for("nova-3");
    c.send("y");
    c.wait_for("copied model id nova-3 through the terminal (OSC 52): ");
    assert!(c.text().contains("failed"), "{}", c.text());
    let raw = quit(c);
    assert_eq!(raw.matches(NOVA_OSC52).count(), 1, "{raw:?}");
}

#[test]
fn command_without_a_program_stops_the_console_before_it_starts() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config/config.toml"),
        "clipboard = \"command\"\n",
    )
    .unwrap();
    let mut c = Pty::spawn(voicedock(home.path(), &[]));
    assert_ne!(c.exit_code(), 0);
    let text = c.text();
    assert!(text.contains("clipboard_command"), "{text}");
    assert!(!c.raw().contains("\x1b[?1049h"), "the screen never changed");
}

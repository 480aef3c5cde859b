//! Themes and the mouse as a real terminal sees them: no mouse escape is
//! ever written unless config.toml asks for the mouse, capture ends when
//! the console does, and an unknown theme stops the start with the choices.

use testkit::common;
use testkit::pty_support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::TestServer;
use pty_support::*;

/// The escapes that turn button reports on and off.
const MOUSE_ON: &str = "\x1b[?1000h";
const MOUSE_OFF: &str = "\x1b[?1000l";

fn write_config(home: &Path, text: &str) {
    let dir = home.join("config");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(&file, text).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn run_and_quit(home: &Path, server: &TestServer) -> String {
    let env = [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ];
    let mut c = Pty::spawn(voicedock(home, &env));
    c.wait_for("platform default keys");
    c.send("3");
    c.wait_for("No assistants yet");
    c.send("q");
    assert_eq!(c.exit_code(), 0, "{}", c.text());
    c.raw()
}

#[test]
fn without_mouse_in_the_config_no_mouse_escape_is_written() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "theme = \"light\"\n");
    let raw = run_and_quit(home.path(), &server);
    assert!(raw.contains("\x1b[?1049h"), "the console did draw");
    for escape in [MOUSE_ON, MOUSE_OFF, "\x1b[?1003h", "\x1b[?1006h"] {
        assert!(!raw.contains(escape), "{escape:?} written");
    }
}

#[test]
fn mouse_in_the_config_turns_capture_on_and_off_again_on_quit() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "mouse = true\n");
    let raw = run_and_quit(home.path(), &server);
    let on = raw.find(MOUSE_ON).expect("capture turned on");
    let off = raw.rfind(MOUSE_OFF).expect("capture turned off");
    assert!(off > on, "off after on");
}

/// `:mouse` asks for clicks, the wheel and button drags in SGR form, never
/// any-motion reports (1003), which flood a slow link with every move of
/// the pointer; `:mouse` again and quitting turn the same modes off.
#[test]
fn the_mouse_command_asks_for_button_and_drag_reports_only() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::start());
    let home = tempfile::tempdir().unwrap();
    let env = [
        ("VOICEDOCK_BASE_URL", server.base_url.as_str()),
        ("VOICEDOCK_API_KEY", server.api_key.as_str()),
    ];
    let mut c = Pty::spawn(voicedock(home.path(), &env));
    c.wait_for("platform default keys");
    c.send(":mouse\r");
    c.wait_for("Mouse: on");
    let on = c.raw();
    for escape in [MOUSE_ON, "\x1b[?1002h", "\x1b[?1006h"] {
        assert!(on.contains(escape), "{escape:?} not written");
    }
    assert!(!on.contains("\x1b[?1003h"), "any-motion reports asked for");
    c.send(":mouse\r");
    c.wait_for("Mouse: off");
    let off = c.raw();
    let after = &off[off.rfind("\x1b[?1006h").unwrap()..];
    for escape in [MOUSE_OFF, "\x1b[?1002l", "\x1b[?1006l"] {
        assert!(after.contains(escape), "{escape:?} not written");
    }
    c.send("q");
    assert_eq!(c.exit_code(), 0, "{}", c.text());
    assert!(!c.raw().contains("\x1b[?1003"), "any-motion touched");
}

#[test]
fn an_unknown_theme_stops_the_start_and_names_the_themes() {
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "theme = \"solarized\"\n");
    let mut c = Pty::spawn(voicedock(home.path(), &[]));
    assert_ne!(c.exit_code(), 0);
    let text = c.text();
    assert!(text.contains("solarized"), "{text}");
    for name in voicedock::console::theme::Theme::NAMES {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    assert!(!c.raw().contains("\x1b[?1049h"), "the screen never changed");
    assert!(!home.path().join("data").exists(), "no server started");
}

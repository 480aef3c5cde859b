//! The real event loop on a `TestBackend`: keys from a script, a worker
//! talking to live test servers, and a screen that records what only a
//! terminal could do. What `update` asks of the loop (quit, suspend, copy,
//! the user's editor, another profile) is carried out here as in a terminal.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyCode;
use serde_json::json;
use testkit::common::{self, TestServer};
use testkit::console_support::live::{self, Asked, TestProfiles, User};
use voicedock::console::clipboard::osc52;
use voicedock::console::signals::{Ended, Signal};
use voicedock::console::theme::Theme;

/// A server holding one assistant named `name`; returns its id too.
async fn server_with(name: &str) -> (TestServer, String) {
    let server = TestServer::start().await;
    let mut body = common::seed_assistant();
    body["name"] = json!(name);
    let created = server.post("/api/v1/assistants", body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["assistant"]["id"].as_str().unwrap().to_owned();
    (server, id)
}

fn profiles(server: &TestServer) -> TestProfiles {
    TestProfiles::default().with("one", &server.base_url, &server.api_key)
}

/// On the Assistants screen once the list is in.
async fn at_the_assistants(user: &User, name: &str) {
    user.wait_for("platform default keys").await;
    user.key(KeyCode::Char('3'));
    user.wait_for(name).await;
}

/// An assistant begun and not saved.
async fn typing_a_new_assistant(user: &User) {
    user.key(KeyCode::Char('3'));
    user.key(KeyCode::Char('n'));
    user.wait_for("New assistant").await;
    user.type_text("Front desk");
    user.wait_for("Front desk").await;
}

async fn wait_asked(user: &User, what: Asked) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while !user.asked().contains(&what) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never asked {what:?}: {:?}",
            user.asked()
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn with_nothing_unsaved_the_quit_key_ends_the_console_at_once() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert!(finished.unsaved.is_empty(), "{:?}", finished.unsaved);
    assert!(!user.screen().contains("Quit?"), "nothing was asked");
}

#[tokio::test]
async fn with_unsaved_work_quitting_asks_and_no_keeps_the_edit() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        typing_a_new_assistant(&user).await;
        user.ctrl('c');
        user.wait_for("Quit?").await;
        user.key(KeyCode::Char('n'));
        let kept = user
            .wait_until("the question gone", |s| !s.contains("Quit?"))
            .await;
        assert!(kept.contains("Front desk"), "{kept}");
        user.ctrl('c');
        user.wait_for("Quit?").await;
        user.key(KeyCode::Char('y'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    let dropped = finished.unsaved.join("; ");
    assert!(dropped.contains("a new assistant"), "{dropped:?}");
}

#[tokio::test]
async fn a_suspend_hands_the_terminal_back_and_everything_is_drawn_again() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Reception").await;
        user.ctrl('z');
        wait_asked(&user, Asked::Suspend).await;
        // The test screen forgets its cells when suspended, as a shell
        // writes over them: they come back only with a new frame.
        user.wait_for("Reception").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(user.asked(), [Asked::Mouse(false), Asked::Suspend]);
}

#[tokio::test]
async fn a_copy_reaches_the_terminal_as_osc_52_and_is_said() {
    let (server, id) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Reception").await;
        user.key(KeyCode::Char('y'));
        user.wait_for(&format!("copied assistant id {id}")).await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(
        String::from_utf8(user.beside()).unwrap(),
        osc52::plain(&id),
        "the id, once, beside the frames"
    );
}

/// The text an OSC 52 sequence sets the clipboard to.
fn clipboard_text(osc52: &[u8]) -> String {
    use base64::Engine;
    let text = String::from_utf8(osc52.to_vec()).unwrap();
    let encoded = text
        .strip_prefix("\x1b]52;c;")
        .and_then(|rest| rest.strip_suffix('\x07'))
        .unwrap_or_else(|| panic!("not one OSC 52 sequence: {text:?}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    String::from_utf8(decoded).unwrap()
}

#[tokio::test]
async fn copy_as_curl_on_the_local_profile_reaches_its_server_and_holds_no_key() {
    let (server, _) = server_with("Reception").await;
    let profiles = TestProfiles::default().with("local", &server.base_url, &server.api_key);
    let (console, user) = live::console(profiles, "local", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        user.key(KeyCode::Char('c'));
        user.wait_for("copied curl for GET /api/v1/byok").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    let beside = user.beside();
    assert!(
        !common::disk::contains(&beside, server.api_key.as_bytes()),
        "the key never reaches the clipboard"
    );
    let copied = clipboard_text(&beside);
    assert!(
        copied.contains("voicedock paths") && copied.contains("[local]"),
        "it says where the key is: {copied}"
    );
    let command = copied.lines().last().unwrap();
    assert!(
        command.contains("\"Authorization: Bearer $VOICEDOCK_API_KEY\""),
        "{copied}"
    );
    let url = command.rsplit(' ').next().unwrap().trim_matches('\'');
    let path = url
        .strip_prefix(server.base_url.as_str())
        .unwrap_or_else(|| panic!("{url} is not the server's address {}", server.base_url));
    // The command as the shell runs it once the key is filled in.
    let answered = server.get(path).await;
    assert_eq!(answered.status, 200, "{}", answered.text);
    assert!(answered.body["keys"].is_array(), "{}", answered.text);
}

/// A shell script as `$VISUAL`: renames the assistant in the file it gets.
fn renaming_editor(dir: &Path) -> PathBuf {
    let path = dir.join("editor.sh");
    let script = "#!/bin/sh\nfor f; do :; done\nsed -i 's/Front desk/Back office/' \"$f\"\n";
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[tokio::test]
async fn the_users_editor_gets_the_terminal_and_its_edit_reaches_the_form() {
    let (server, _) = server_with("Reception").await;
    let dir = tempfile::tempdir().unwrap();
    let editor = renaming_editor(dir.path()).display().to_string();
    let (console, user) = live::console(profiles(&server), "one", |session| {
        session.editor_command = editor
    });
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        typing_a_new_assistant(&user).await;
        user.ctrl('e');
        let shown = user.wait_for("Took your JSON edit").await;
        assert!(shown.contains("Back office"), "{shown}");
        assert!(!shown.contains("Front desk"), "{shown}");
        user.ctrl('c');
        user.wait_for("Quit?").await;
        user.key(KeyCode::Char('y'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(
        user.asked(),
        [
            Asked::Mouse(false),
            Asked::ReleaseKeys,
            Asked::Leave,
            Asked::Reenter
        ],
        "the keys let go before the terminal is handed over"
    );
}

#[tokio::test]
async fn a_profile_switch_moves_to_the_other_server_and_keeps_the_screen() {
    let (first, _) = server_with("Alpha line").await;
    let (second, _) = server_with("Bravo line").await;
    let profiles = profiles(&first).with("two", &second.base_url, &second.api_key);
    let (console, user) = live::console(profiles, "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Alpha line").await;
        user.key(KeyCode::Char(':'));
        user.type_text("profile two");
        user.key(KeyCode::Enter);
        let shown = user.wait_for("Bravo line").await;
        assert!(!shown.contains("Alpha line"), "{shown}");
        user.wait_for("Switched to profile two").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(finished.session.profile, "two");
}

/// The style of the first cell showing `needle`.
fn style_of(user: &User, needle: &str) -> ratatui::style::Style {
    let buffer = user.buffer();
    let screen = user.screen();
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not on screen:\n{screen}"));
    let x = line[..line.find(needle).unwrap()].chars().count();
    buffer[(x as u16, y as u16)].style()
}

/// Whether the `:` command line holds `text` (a toast may quote a command too).
fn command_line_holds(screen: &str, text: &str) -> bool {
    let line = format!(":{text}");
    screen
        .lines()
        .any(|l| l.trim_end().trim_end_matches('▏') == line)
}

async fn command(user: &User, line: &str, said: &str) {
    user.key(KeyCode::Char(':'));
    user.type_text(line);
    user.key(KeyCode::Enter);
    user.wait_for(said).await;
}

#[tokio::test]
async fn a_profile_switch_keeps_the_session_and_replaces_the_servers_data() {
    let (first, _) = server_with("Alpha line").await;
    let (second, _) = server_with("Bravo line").await;
    let profiles = profiles(&first).with("two", &second.base_url, &second.api_key);
    let (console, user) = live::console(profiles, "one", |_| {});
    let high_contrast = Theme::named("high-contrast").unwrap().header;
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Alpha line").await;
        user.wait_for(&format!(" one · {} · ", first.base_url))
            .await;
        assert_ne!(style_of(&user, "VoiceDock").bg, high_contrast.bg);
        command(&user, "theme high-contrast", "Theme: high-contrast").await;
        command(&user, "readonly", "Read-only: on").await;
        command(&user, "profile two", "Switched to profile two").await;

        let shown = user.wait_for("Bravo line").await;
        assert!(!shown.contains("Alpha line"), "{shown}");
        // The status line names whom the console talks to.
        assert!(
            shown.contains(&format!(" two · {} · ", second.base_url)),
            "{shown}"
        );
        assert!(
            !shown.contains(&format!(" {} · ", first.base_url)),
            "{shown}"
        );
        assert!(shown.contains("read-only"), "{shown}");
        assert_eq!(style_of(&user, "VoiceDock").bg, high_contrast.bg);
        user.key(KeyCode::Char('n'));
        user.wait_for("Read-only session").await;

        // The history is the run's: older commands come back after the switch.
        user.key(KeyCode::Char(':'));
        user.key(KeyCode::Up);
        user.wait_until("profile two", |s| command_line_holds(s, "profile two"))
            .await;
        user.key(KeyCode::Up);
        user.wait_until("readonly", |s| command_line_holds(s, "readonly"))
            .await;
        user.key(KeyCode::Esc);
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(finished.session.profile, "two");
}

#[tokio::test]
async fn a_profile_that_cannot_open_is_said_and_the_session_goes_on() {
    let (server, _) = server_with("Reception").await;
    let profiles = profiles(&server).broken("ghost");
    let (console, user) = live::console(profiles, "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Reception").await;
        user.key(KeyCode::Char(':'));
        user.type_text("profile ghost");
        user.key(KeyCode::Enter);
        user.wait_for("Profile ghost was not opened").await;
        user.key(KeyCode::Char('1'));
        user.wait_for("Speech to text").await;
        user.key(KeyCode::Char('3'));
        user.wait_for("Reception").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(finished.session.profile, "one");
}

#[tokio::test]
async fn a_profile_added_in_another_shell_is_switched_to_without_a_restart() {
    let (first, _) = server_with("Alpha line").await;
    let (second, _) = server_with("Bravo line").await;
    let dir = tempfile::tempdir().unwrap();
    let config_file = dir.path().join("config.toml");
    let add = |name: &str, base_url: &str| {
        use voicedock::config::{Config, Profile};
        let mut config = Config::load(&config_file).unwrap();
        let profile = Profile {
            base_url: base_url.into(),
            ..Profile::default()
        };
        config.profiles.insert(name.into(), profile);
        config.save(&config_file).unwrap();
    };
    add("one", &first.base_url);
    let profiles = profiles(&first)
        .with("staging", &second.base_url, &second.api_key)
        .named_by(&config_file);
    let (console, user) = live::console(profiles, "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Alpha line").await;
        // As `voicedock profile add staging` in another shell leaves it.
        add("staging", &second.base_url);
        command(&user, "profile staging", "Switched to profile staging").await;
        user.wait_for("Bravo line").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    assert_eq!(finished.session.profile, "staging");
}

#[tokio::test]
async fn a_signal_ends_the_console_and_names_what_it_dropped() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        typing_a_new_assistant(&user).await;
        user.signal(Signal::Terminate);
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::By(Signal::Terminate));
    let dropped = finished.unsaved.join("; ");
    assert!(dropped.contains("a new assistant"), "{dropped:?}");
}

/// A terminal that hangs up may fail the next read before its SIGHUP (or
/// the watcher of the terminal) is seen: that read is the hang-up.
#[tokio::test]
async fn a_read_the_hung_up_terminal_fails_ends_the_console_as_a_hang_up() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        typing_a_new_assistant(&user).await;
        user.fail_read(libc::EIO);
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::By(Signal::HangUp));
    let dropped = finished.unsaved.join("; ");
    assert!(dropped.contains("a new assistant"), "{dropped:?}");
}

#[tokio::test]
async fn another_failed_read_is_an_error_not_a_hang_up() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        user.fail_read(libc::EBADF);
    })
    .await;
    let error = finished.ended.expect_err("a read that failed otherwise");
    assert!(
        error.to_string().contains("Bad file descriptor"),
        "{error:#}"
    );
}

#[tokio::test]
async fn mouse_capture_follows_the_mouse_command() {
    let (server, _) = server_with("Reception").await;
    let (console, user) = live::console(profiles(&server), "one", |_| {});
    let (finished, ()) = live::run_with(console, async {
        user.wait_for("platform default keys").await;
        for _ in 0..2 {
            user.key(KeyCode::Char(':'));
            user.type_text("mouse");
            user.key(KeyCode::Enter);
        }
        user.wait_for("Mouse: off").await;
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
    let asked = [Asked::Mouse(false), Asked::Mouse(true), Asked::Mouse(false)];
    assert_eq!(user.asked(), asked, "off at the start, then on and off");
}

/// How many times the keys were read, so far: once per refresh round.
fn key_reads(log: &Path) -> usize {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.matches("\"/api/v1/byok\"").count()
}

/// Waits for `n` more refresh rounds in the log than there are now.
async fn more_refreshes(log: &Path, n: usize) {
    let asked = key_reads(log) + n;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while key_reads(log) < asked {
        assert!(tokio::time::Instant::now() < deadline, "no refresh came");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_background_reload_that_finds_the_same_data_sends_no_cell() {
    let (server, _) = server_with("Reception").await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("activity.log");
    let profiles = profiles(&server).recording_to(&log);
    let every = std::time::Duration::from_millis(100);
    let (console, user) = live::console(profiles, "one", |session| {
        session.refresh_every = Some(every)
    });
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Reception").await;
        // Once the first round is in, nothing on screen moves any more.
        more_refreshes(&log, 1).await;
        let sent = user.frames_sent();
        more_refreshes(&log, 3).await;
        assert_eq!(user.frames_sent(), sent, "three quiet reloads sent a cell");
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
}

/// How many calls the log's row for `route` counts on `screen`, if it has one.
fn counted(screen: &str, route: &str) -> Option<usize> {
    let marker = format!("{route} ×");
    let line = screen.lines().find(|l| l.contains(&marker))?;
    let after = &line[line.find(&marker)? + marker.len()..];
    after.split(' ').next()?.parse().ok()
}

#[tokio::test]
async fn the_background_refresh_adds_to_one_log_row_per_kind_of_read() {
    let (server, _) = server_with("Reception").await;
    let every = std::time::Duration::from_millis(50);
    let (console, user) = live::console(profiles(&server), "one", |session| {
        session.refresh_every = Some(every)
    });
    let (finished, ()) = live::run_with(console, async {
        at_the_assistants(&user, "Reception").await;
        user.key(KeyCode::Char('L'));
        let shown = user
            .wait_until("five reads of the keys on one row", |s| {
                counted(s, "/api/v1/byok").is_some_and(|n| n >= 5)
            })
            .await;
        let rows = shown
            .lines()
            .filter(|l| l.contains(" GET ") && l.contains("/api/v1/byok "))
            .count();
        assert_eq!(rows, 1, "{shown}");
        user.key(KeyCode::Esc);
        user.key(KeyCode::Char('q'));
    })
    .await;
    assert_eq!(finished.ended.unwrap(), Ended::Quit);
}

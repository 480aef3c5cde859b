//! What a session lets through: quitting with and without unsaved edits, a
//! read-only session, and key bindings the user overrides.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::editor::text_of;
use voicedock::console::msg::{Call, Msg};

#[test]
fn quit_is_immediate_without_edits_and_asks_with_them() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('q'));
    assert!(h.quit_asked());

    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.ctrl('c');
    assert!(!h.quit_asked());
    assert!(h.model.server.confirm.is_some());
    h.key(KeyCode::Esc);
    assert_eq!(
        text_of(&h.model.server.editor.as_ref().unwrap().name),
        "Draft",
        "declining keeps the edits"
    );
    h.ctrl('c');
    h.key(KeyCode::Char('y'));
    assert!(h.quit_asked());
}

#[test]
fn ctrl_c_twice_quits_even_with_unsaved_edits() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.quit_asked());
}

#[test]
fn a_tiny_terminal_with_unsaved_edits_still_quits_after_asking() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.send(Msg::Resize(30, 10));
    // In a text field q is a letter, but Ctrl-C always asks.
    h.ctrl('c');
    assert!(!h.quit_asked(), "unsaved edits: nothing quits unseen");
    let screen = h.render(30, 10);
    assert!(
        screen.contains("Quit?") && screen.contains("y yes"),
        "{screen}"
    );
    h.key(KeyCode::Char('n'));
    assert!(h.model.server.confirm.is_none() && !h.quit_asked());
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.quit_asked(), "the quit key twice quits");
}

#[test]
fn a_read_only_session_refuses_every_change_and_says_why() {
    let mut h = Harness::loaded();
    h.model.session.read_only = true;
    h.key(KeyCode::Char('a'));
    assert!(h.model.server.key_form.is_none());
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("Read-only")
    );
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('2'));
    assert!(h.model.server.confirm.is_none() && h.model.server.key_form.is_none());
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Char('d'));
    assert!(h.model.server.editor.is_none() && h.model.server.confirm.is_none());
    open_first_fresh(&mut h, None);
    h.type_text("x");
    h.ctrl('s');
    assert!(h.outbox.is_empty(), "nothing but reads was ever requested");
    assert!(
        h.render(80, 24)
            .lines()
            .next()
            .unwrap()
            .contains("read-only"),
        "the header says so"
    );
}

#[test]
fn keys_can_be_rebound_and_help_follows() {
    use std::collections::BTreeMap;
    use voicedock::console::keymap::Keymap;

    let overrides = BTreeMap::from([
        ("save".to_owned(), vec!["f2".to_owned()]),
        ("quit".to_owned(), vec!["ctrl-q".to_owned()]),
    ]);
    let mut h = Harness::loaded();
    h.model.session.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.key(KeyCode::Char('q'));
    assert!(!h.quit_asked(), "q is no longer quit");
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Rebound");
    h.ctrl('s');
    assert!(h.outbox.is_empty(), "Ctrl-S no longer saves");
    h.key(KeyCode::F(2));
    assert!(
        h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::CreateAssistant { .. }))
    );
    h.key(KeyCode::F(1));
    assert!(
        h.render(120, 40).contains("F2  save"),
        "help shows the user's key"
    );

    let bad = BTreeMap::from([("sav".to_owned(), vec!["f2".to_owned()])]);
    assert!(Keymap::with_overrides(&bad).unwrap_err().contains("save"));
    let bad = BTreeMap::from([("save".to_owned(), vec!["hyper-s".to_owned()])]);
    assert!(Keymap::with_overrides(&bad).unwrap_err().contains("hyper"));
}

#[test]
fn overrides_match_upper_case_and_leave_letters_to_text_fields() {
    use std::collections::BTreeMap;
    use voicedock::console::keymap::Keymap;
    let overrides = BTreeMap::from([
        ("refresh".to_owned(), vec!["R".to_owned()]),
        ("back".to_owned(), vec!["q".to_owned(), "esc".to_owned()]),
    ]);
    let mut h = Harness::loaded();
    h.model.session.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.send(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('R'),
        ratatui::crossterm::event::KeyModifiers::SHIFT,
    )));
    assert_eq!(h.outbox.len(), 4, "R with Shift held refreshes");
    open_key_form(&mut h, "openai");
    h.type_text("sk-q");
    assert_eq!(
        h.model.server.key_form.as_ref().unwrap().input.lines()[0],
        "sk-q",
        "q stays a letter in the key field"
    );
}

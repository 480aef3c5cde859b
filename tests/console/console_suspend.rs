//! Ctrl-Z asks the event loop to suspend from wherever the user is, and
//! changes nothing else: no text typed, no overlay closed.

use testkit::console_support;

use std::collections::BTreeMap;

use console_support::Harness;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::editor::text_of;
use voicedock::console::keymap::Keymap;

#[test]
fn ctrl_z_suspends_from_a_list_the_editor_and_the_key_form() {
    let mut h = Harness::loaded();
    h.ctrl('z');
    assert!(h.suspend_asked(), "from the Providers screen");

    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Front desk");
    h.ctrl('z');
    assert!(h.suspend_asked(), "from a text field");
    let editor = h
        .model
        .server
        .editor
        .as_ref()
        .expect("the editor stays open");
    assert_eq!(text_of(&editor.name), "Front desk", "nothing typed");

    let mut h = Harness::loaded();
    h.key(KeyCode::Char('a'));
    assert!(h.model.server.key_form.is_some());
    h.ctrl('z');
    assert!(h.suspend_asked(), "from the key form");
    assert!(!h.model.server.key_form.as_ref().unwrap().has_typed());
}

#[test]
fn suspend_can_be_rebound_and_a_plain_letter_stays_a_letter_in_text() {
    let overrides = BTreeMap::from([("suspend".to_owned(), vec!["z".to_owned()])]);
    let mut h = Harness::loaded();
    h.model.session.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.ctrl('z');
    assert!(!h.suspend_asked(), "ctrl-z is no longer bound");
    h.key(KeyCode::Char('z'));
    assert!(h.suspend_asked(), "z on a list suspends");

    let mut h = Harness::loaded();
    h.model.session.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("zed");
    assert!(!h.suspend_asked());
    assert_eq!(
        text_of(&h.model.server.editor.as_ref().unwrap().name),
        "zed"
    );
}

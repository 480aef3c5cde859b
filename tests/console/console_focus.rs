//! Who gets a key: one focus for dispatch, paste, footer and help; every
//! key through the keymap; read-only sessions that offer no write.

use testkit::console_support;

use std::collections::{BTreeMap, HashMap};

use console_support::*;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use voicedock::console::app::Screen;
use voicedock::console::editor::{Field, text_of};
use voicedock::console::keymap::{Action, Keymap, Scope};
use voicedock::console::msg::{Call, Msg};

fn rebound(pairs: &[(&str, &[&str])]) -> Harness {
    let overrides: BTreeMap<String, Vec<String>> = pairs
        .iter()
        .map(|(a, keys)| (a.to_string(), keys.iter().map(|k| k.to_string()).collect()))
        .collect();
    let mut h =
        Harness::with(|model| model.session.keymap = Keymap::with_overrides(&overrides).unwrap());
    h.answer_all(&sample_state());
    h
}

fn press(h: &mut Harness, code: KeyCode, modifiers: KeyModifiers) {
    h.send(Msg::Key(KeyEvent::new(code, modifiers)));
}

/// The footer line (second to last) of a frame.
fn footer(h: &Harness) -> String {
    let screen = h.render(120, 40);
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 2].to_owned()
}

#[test]
fn a_rebound_help_key_works_in_the_editor_and_the_old_one_does_not() {
    let mut h = rebound(&[("help", &["f2"])]);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    assert!(footer(&h).contains("F2 help"), "{}", footer(&h));
    h.key(KeyCode::F(1));
    assert!(!h.model.server.help, "F1 is no longer help");
    h.key(KeyCode::F(2));
    assert!(h.model.server.help, "F2 opens help in a text field");
}

#[test]
fn a_rebound_quit_key_quits_from_inside_the_key_form() {
    let mut h = rebound(&[("quit", &["ctrl-q"])]);
    h.key(KeyCode::Char('a'));
    assert!(h.model.server.key_form.is_some());
    press(&mut h, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!h.quit_asked(), "Ctrl-C is no longer quit");
    press(&mut h, KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert!(h.quit_asked(), "Ctrl-Q quits from the key form");
}

/// Every action on a key no default uses, in every scope it applies to.
fn everything_rebound() -> (Harness, HashMap<Action, (KeyCode, KeyModifiers)>) {
    let mut keys = HashMap::new();
    let mut pairs: Vec<(String, Vec<String>)> = Vec::new();
    for (i, action) in Action::ALL.iter().enumerate() {
        // F13–F24, then Alt with a letter or digit: keys no default binds,
        // enough for 74 actions.
        const SPARE: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let (name, key) = if i < 12 {
            let n = 13 + i as u8;
            (format!("f{n}"), (KeyCode::F(n), KeyModifiers::NONE))
        } else {
            let c = SPARE
                .chars()
                .nth(i - 12)
                .expect("more actions than spare keys");
            (format!("alt-{c}"), (KeyCode::Char(c), KeyModifiers::ALT))
        };
        pairs.push((snake_case(&format!("{action:?}")), vec![name]));
        keys.insert(*action, key);
    }
    let overrides: BTreeMap<String, Vec<String>> = pairs.into_iter().collect();
    let mut h =
        Harness::with(|model| model.session.keymap = Keymap::with_overrides(&overrides).unwrap());
    h.answer_all(&sample_state());
    (h, keys)
}

fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn rebinding_every_action_moves_every_binding_and_leaves_no_default_behind() {
    let (h, keys) = everything_rebound();
    let keymap = &h.model.session.keymap;
    for bound in keymap.bindings() {
        let (code, modifiers) = keys[&bound.action];
        assert_eq!(bound.keys, vec![(code, modifiers)], "{:?}", bound.action);
        let event = KeyEvent::new(code, modifiers);
        assert_eq!(
            keymap.action_for(&[bound.scope], &event),
            Some(bound.action),
            "{:?} in {:?}",
            bound.action,
            bound.scope
        );
    }
    let defaults = Keymap::defaults().unwrap();
    for bound in defaults.bindings() {
        for (code, modifiers) in &bound.keys {
            let event = KeyEvent::new(*code, *modifiers);
            let now = keymap.action_for(&[bound.scope], &event);
            assert_ne!(
                now,
                Some(bound.action),
                "{event:?} still {:?}",
                bound.action
            );
        }
    }
}

#[test]
fn a_session_driven_only_by_rebound_keys_does_everything() {
    let (mut h, keys) = everything_rebound();
    let act = |h: &mut Harness, action: Action| {
        let (code, modifiers) = keys[&action];
        press(h, code, modifiers);
    };
    act(&mut h, Action::Right);
    assert_eq!(h.model.server.providers.focus(), 1);
    act(&mut h, Action::AddKey);
    assert!(h.model.server.key_form.is_some(), "add_key opens the form");
    act(&mut h, Action::Back);
    assert!(h.model.server.key_form.is_none());
    act(&mut h, Action::Models);
    assert_eq!(h.model.session.screen, Screen::Models);
    act(&mut h, Action::NextScreen);
    assert_eq!(h.model.session.screen, Screen::Assistants);
    act(&mut h, Action::Help);
    assert!(h.model.server.help);
    h.key(KeyCode::Char('x'));
    assert!(!h.model.server.help);
    act(&mut h, Action::New);
    assert!(h.model.server.editor.is_some(), "new opens the editor");
    h.type_text("Rebound");
    act(&mut h, Action::NextField);
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().focus,
        Field::FirstMessage
    );
    act(&mut h, Action::TogglePreview);
    assert!(h.model.server.editor.as_ref().unwrap().preview);
    act(&mut h, Action::Back);
    assert!(!h.model.server.editor.as_ref().unwrap().preview);
    act(&mut h, Action::Save);
    h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    act(&mut h, Action::Quit);
    assert!(
        h.model.server.confirm.is_some(),
        "a save in flight asks first"
    );
    act(&mut h, Action::Yes);
    assert!(h.quit_asked());
}

#[test]
fn read_only_offers_no_write_anywhere_on_screen() {
    let mut h = Harness::read_only();
    let writes = [
        "add key",
        "remove key",
        " new",
        "delete",
        " save",
        " rotate",
    ];
    let mut screens = Vec::new();
    screens.push(h.render(160, 40));
    screens.push(h.render(80, 24));
    h.key(KeyCode::Char('?'));
    screens.push(h.render(120, 40));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('3'));
    screens.push(h.render(120, 40));
    h.key(KeyCode::Enter);
    assert!(
        h.model.server.editor.is_some(),
        "an assistant can still be looked at"
    );
    screens.push(h.render(120, 40));
    h.key(KeyCode::F(1));
    screens.push(h.render(120, 40));
    for screen in &screens {
        for word in writes {
            assert!(!screen.contains(word), "{word:?} offered:\n{screen}");
        }
    }
}

#[test]
fn read_only_opens_nothing_editable() {
    let mut h = Harness::read_only();
    h.key(KeyCode::Char('a'));
    assert!(h.model.server.key_form.is_none(), "no key form");
    h.key(KeyCode::Enter);
    assert!(
        h.model.server.key_form.is_none(),
        "Enter does not open it either"
    );
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    assert!(h.model.server.editor.is_none(), "no new assistant");
    h.key(KeyCode::Enter);
    let before = text_of(&h.model.server.editor.as_ref().unwrap().name);
    h.type_text("typed");
    h.send(Msg::Paste("pasted".into()));
    assert_eq!(
        text_of(&h.model.server.editor.as_ref().unwrap().name),
        before
    );
    h.focus(Field::SttModel);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.model.session.screen,
        Screen::Assistants,
        "no model picker"
    );
    h.key(KeyCode::Delete);
    assert!(
        h.model.server.editor.as_ref().unwrap().stt.is_some(),
        "nothing cleared"
    );
    assert!(!h.model.server.editor.as_ref().unwrap().is_dirty());
    h.key(KeyCode::Esc);
    assert!(
        h.model.server.editor.is_none(),
        "leaving asks nothing: nothing changed"
    );
    assert!(
        h.outbox.iter().all(|(_, c)| !c.is_write()),
        "{:?}",
        h.outbox
    );
}

#[test]
fn the_footer_and_help_name_the_keys_of_what_has_the_focus() {
    let mut h = Harness::loaded();
    assert!(footer(&h).contains("a/Enter add key"), "{}", footer(&h));
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    assert!(footer(&h).contains("Enter keep"), "filter: {}", footer(&h));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Enter);
    assert!(footer(&h).contains("C-s save"), "editor: {}", footer(&h));
    h.key(KeyCode::F(1));
    let screen = h.render(120, 40);
    assert!(screen.contains("leave the editor"), "{screen}");
    // Help lists every scope, the focused one first: the editor's keys open it.
    assert!(screen.contains("Here: Assistant editor"), "{screen}");
    if let Some(providers) = screen.find("add or rotate") {
        assert!(
            screen.find("leave the editor") < Some(providers),
            "the Providers keys before the editor's:\n{screen}"
        );
    }
}

#[test]
fn a_paste_goes_only_where_the_focus_takes_text() {
    let mut h = Harness::loaded();
    h.send(Msg::Paste("sk-should-go-nowhere".into()));
    assert!(h.model.server.key_form.is_none() && h.model.server.editor.is_none());
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.send(Msg::Paste("supp".into()));
    assert_eq!(h.model.server.assistants.list.filter(), "supp");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('?'));
    h.send(Msg::Paste("into help".into()));
    assert!(
        h.model.server.assistants.list.filter().is_empty(),
        "not behind the help"
    );
}

#[test]
fn home_end_and_pages_move_the_provider_focus() {
    let mut h = Harness::loaded();
    let last = h.model.server.providers.rows().len() - 1;
    h.key(KeyCode::End);
    assert_eq!(h.model.server.providers.focus(), last);
    h.key(KeyCode::Home);
    assert_eq!(h.model.server.providers.focus(), 0);
    h.key(KeyCode::PageDown);
    assert!(h.model.server.providers.focus() > 0);
    h.key(KeyCode::PageUp);
    assert_eq!(h.model.server.providers.focus(), 0);
}

#[test]
fn keys_in_scopes_are_looked_up_in_the_scope_then_everywhere() {
    let keymap = Keymap::defaults().unwrap();
    assert_eq!(keymap.key_of(Scope::Editor, Action::Save), "C-s");
    assert_eq!(keymap.key_of(Scope::Editor, Action::Help), "F1");
    assert_eq!(keymap.key_of(Scope::Confirm, Action::Yes), "y");
}

#[test]
fn a_page_down_moves_by_the_rows_the_screen_shows_even_with_a_toast() {
    let mut state = sample_state();
    state.assistants = (0..100)
        .map(|i| assistant(&format!("a-{i}"), &format!("Assistant {i:03}")))
        .collect();
    let mut h = Harness::new();
    h.send(Msg::Resize(80, 24));
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    // A notice takes a line of the screen while it shows.
    h.key(KeyCode::Char('2'));
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('3'));
    assert!(h.model.server.toast.is_some(), "a toast is showing");
    let screen = h.render(80, 24);
    let shown = screen.lines().filter(|l| l.contains("Assistant 0")).count();
    h.key(KeyCode::PageDown);
    assert_eq!(h.model.server.assistants.list.selected(), shown, "{screen}");
    let after = h.render(80, 24);
    let first = format!("Assistant {:03}", shown);
    assert!(
        after.contains(&first),
        "the new page starts on screen:\n{after}"
    );
}

#[test]
fn q_closes_the_help_instead_of_quitting() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('?'));
    h.key(KeyCode::Char('q'));
    assert!(!h.model.server.help && !h.quit_asked() && h.model.server.confirm.is_none());
}

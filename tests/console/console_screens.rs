//! Screens and moving between them: start-up, the Providers focus, Tab and
//! digits, help, toasts, list filters and paging, a terminal too small, and
//! where a paste goes.

use testkit::console_support;

use std::time::Instant;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::app::{Remote, Screen};
use voicedock::console::editor::text_of;
use voicedock::console::msg::Msg;

#[test]
fn start_up_asks_for_everything_and_shows_loading() {
    let h = Harness::new();
    assert_eq!(h.outbox.len(), 4);
    assert!(matches!(h.model.server.byok, Remote::Loading));
    assert_eq!(h.model.in_flight(), 4);
    assert!(
        h.model.needs_tick(),
        "the spinner runs while requests are in flight"
    );
}

#[test]
fn arrows_and_hjkl_move_the_provider_focus_within_bounds() {
    let mut h = Harness::loaded();
    // Ten providers do not fit as panels at 120×40: a list, one row a step.
    h.model.session.size = (120, 40);
    assert_eq!(h.model.server.providers.focus(), 0);
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Down);
    assert_eq!(
        h.model.server.providers.focus(),
        2,
        "down one row at a time"
    );
    for _ in 0..12 {
        h.key(KeyCode::Right);
    }
    assert_eq!(h.model.server.providers.focus(), 9, "stops at the last row");
    h.key(KeyCode::Char('k'));
    assert_eq!(h.model.server.providers.focus(), 8);
    // Four across from 140 columns, with room for three rows of panels.
    h.model.session.size = (160, 45);
    h.key(KeyCode::Up);
    assert_eq!(h.model.server.providers.focus(), 4, "up one row of four");
    h.key(KeyCode::Char('l'));
    h.key(KeyCode::Down);
    assert_eq!(h.model.server.providers.focus(), 9);
    h.model.session.size = (80, 24);
    h.key(KeyCode::Up);
    assert_eq!(
        h.model.server.providers.focus(),
        8,
        "a list again: every row is reachable"
    );
}

#[test]
fn screens_switch_with_digits_and_tab() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    assert_eq!(h.model.session.screen, Screen::Models);
    h.key(KeyCode::Char('3'));
    assert_eq!(h.model.session.screen, Screen::Assistants);
    h.key(KeyCode::Tab);
    assert_eq!(h.model.session.screen, Screen::Providers);
    h.key(KeyCode::BackTab);
    assert_eq!(h.model.session.screen, Screen::Assistants);
    // Key entry is a form over Providers, not a screen of its own.
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.session.screen, Screen::Providers);
    assert_eq!(
        h.model.server.key_form.as_ref().unwrap().provider,
        "deepgram"
    );
}

#[test]
fn tab_goes_from_providers_to_models_and_back() {
    let mut h = Harness::loaded();
    h.model.session.read_only = true;
    h.key(KeyCode::Tab);
    assert_eq!(h.model.session.screen, Screen::Models);
    h.key(KeyCode::BackTab);
    assert_eq!(h.model.session.screen, Screen::Providers);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('?'));
    assert!(h.model.server.help);
    h.key(KeyCode::Esc);
    assert!(!h.model.server.help);
}

#[test]
fn toasts_expire_with_ticks() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Right);
    h.key(KeyCode::Char('d'));
    assert!(h.model.server.toast.is_some());
    for _ in 0..voicedock::console::update::TOAST_TICKS {
        h.send(Msg::Tick(Instant::now()));
    }
    assert!(h.model.server.toast.is_none());
    assert!(!h.model.needs_tick());
}

#[test]
fn the_models_filter_ranks_as_you_type() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    let tabs = h.model.model_tabs();
    let config = h.model.server.models.config().loaded().unwrap();
    let openai = tabs
        .iter()
        .position(|&i| config.providers[i].id == "openai")
        .unwrap();
    for _ in 0..openai {
        h.key(KeyCode::Right);
    }
    h.key(KeyCode::Char('/'));
    h.type_text("4.1m");
    let visible = h.model.visible_models();
    assert_eq!(visible[0].id, "gpt-4.1-mini");
    h.key(KeyCode::Esc);
    assert!(h.model.server.models.list.filter().is_empty());
}

#[test]
fn the_assistant_filter_matches_names_and_models() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.type_text("supp");
    assert_eq!(h.model.server.assistants.list.visible(), vec![1]);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.model
            .server
            .editor
            .as_ref()
            .unwrap()
            .original
            .as_ref()
            .unwrap()
            .id,
        "a-2"
    );
}

#[test]
fn esc_clears_a_list_filter_before_anything_else() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.type_text("supp");
    h.key(KeyCode::Enter);
    assert_eq!(h.model.server.assistants.list.visible().len(), 1);
    h.key(KeyCode::Esc);
    assert!(h.model.server.assistants.list.filter().is_empty());
    assert_eq!(h.model.server.assistants.list.visible().len(), 2);
}

#[test]
fn long_lists_page_and_the_rows_stay_still_while_the_highlight_moves() {
    let mut h = Harness::new();
    let mut state = sample_state();
    state.assistants = (0..300)
        .map(|i| assistant(&format!("a-{i}"), &format!("Bulk {i:03}")))
        .collect();
    h.answer_all(&state);
    h.send(Msg::Resize(100, 30)); // 23 rows per page
    h.key(KeyCode::Char('3'));
    for _ in 0..30 {
        h.key(KeyCode::Down);
    }
    let list = &h.model.server.assistants.list;
    assert_eq!((list.selected(), list.offset()), (30, 8));
    h.key(KeyCode::Up);
    assert_eq!(
        h.model.server.assistants.list.offset(),
        8,
        "moving back up inside the page scrolls nothing"
    );
    h.key(KeyCode::End);
    assert_eq!(h.model.server.assistants.list.selected(), 299);
    h.key(KeyCode::PageUp);
    assert_eq!(h.model.server.assistants.list.selected(), 276);
    h.key(KeyCode::Char('g'));
    assert_eq!(
        (
            h.model.server.assistants.list.selected(),
            h.model.server.assistants.list.offset()
        ),
        (0, 0)
    );
    assert!(h.render(100, 30).contains("Assistants 1/300"));
}

#[test]
fn a_terminal_too_small_ignores_keys_but_lets_a_clean_session_quit() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.send(Msg::Resize(30, 10));
    h.type_text("x");
    h.send(Msg::Resize(80, 24));
    assert_eq!(
        text_of(&h.model.server.editor.as_ref().unwrap().name),
        "Draft",
        "nothing typed into hidden fields"
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    h.send(Msg::Resize(30, 10));
    h.key(KeyCode::Char('q'));
    assert!(h.quit_asked());
}

#[test]
fn a_paste_never_lands_in_a_field_that_is_not_on_screen() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.key(KeyCode::Char('1')); // typed into the name: the editor keeps focus
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter); // the Models screen, picking for the editor
    h.key(KeyCode::Char('1')); // Providers; the editor stays open behind
    h.key(KeyCode::Char('a'));
    h.send(Msg::Paste("sk-0123456789abcdefghij".into()));
    h.key(KeyCode::Enter);
    h.send(Msg::Paste("sk-0123456789abcdefghij".into()));
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(
        text_of(&editor.name),
        "Draft",
        "the key went nowhere near the name"
    );
}

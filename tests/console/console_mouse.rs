//! The mouse, once turned on: a click on a header tab switches screen, on a
//! row selects it (again: opens it), on a panel focuses it, on an editor
//! field focuses that field; the wheel moves the selection. Off, the mouse
//! does nothing. Positions are read off the drawn screen, so a click lands
//! where the user sees the thing.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use voicedock::console::app::Screen;
use voicedock::console::editor::Field;
use voicedock::console::msg::{Call, Effect, Msg};

fn sized(mut h: Harness, (w, height): (u16, u16)) -> Harness {
    h.send(Msg::Resize(w, height));
    h
}

fn with_mouse(h: Harness, size: (u16, u16)) -> Harness {
    let mut h = sized(h, size);
    h.type_text(":mouse");
    h.key(KeyCode::Enter);
    assert!(h.model.session.mouse, "turned on");
    assert_eq!(h.effects, [Effect::Mouse(true)], "the terminal is told");
    h
}

/// Where `needle` starts on the screen drawn at the harness's size.
fn find(h: &Harness, needle: &str) -> (u16, u16) {
    let (w, height) = h.model.session.size;
    let text = h.render(w, height);
    for (y, line) in text.lines().enumerate() {
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} is not on screen:\n{text}");
}

fn mouse(h: &mut Harness, kind: MouseEventKind, (column, row): (u16, u16)) {
    h.send(Msg::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }));
}

fn click(h: &mut Harness, at: (u16, u16)) {
    mouse(h, MouseEventKind::Down(MouseButton::Left), at);
}

fn many(count: usize) -> Harness {
    let state = State {
        assistants: (1..=count)
            .map(|i| assistant(&format!("a-{i}"), &format!("Assistant {i:02}")))
            .collect(),
        ..sample_state()
    };
    let mut h = Harness::new();
    h.answer_all(&state);
    h
}

#[test]
fn without_the_mouse_turned_on_a_click_does_nothing() {
    let mut h = sized(Harness::loaded(), (120, 40));
    let tab = find(&h, "3 Assistants");
    let drawn = h.changes_screen(|h| click(h, tab));
    assert_eq!(h.model.session.screen, Screen::Providers);
    assert!(!drawn, "nothing to redraw");
}

#[test]
fn a_click_on_a_header_tab_switches_to_its_screen() {
    for size in [(120, 40), (80, 24)] {
        let mut h = with_mouse(Harness::loaded(), size);
        let tab = find(&h, "3 Assistants");
        click(&mut h, (tab.0 + 3, tab.1));
        assert_eq!(h.model.session.screen, Screen::Assistants, "{size:?}");
        let tab = find(&h, "2 Models");
        click(&mut h, tab);
        assert_eq!(h.model.session.screen, Screen::Models, "{size:?}");
        // The company name is not a tab.
        let company = find(&h, "Acme Voice");
        click(&mut h, company);
        assert_eq!(h.model.session.screen, Screen::Models);
    }
}

#[test]
fn a_click_selects_an_assistant_and_a_second_click_opens_it() {
    let mut h = with_mouse(Harness::loaded(), (120, 40));
    h.key(KeyCode::Char('3'));
    let row = find(&h, "Support EN");
    click(&mut h, row);
    assert_eq!(h.model.server.assistants.list.selected(), 1);
    assert!(h.model.server.editor.is_none(), "one click only selects");
    click(&mut h, row);
    assert!(h.model.server.editor.is_some(), "the second opens it");
    let (_, call) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    assert!(matches!(call, Call::GetAssistant { id } if id == "a-2"));
}

#[test]
fn a_click_below_the_last_row_selects_nothing() {
    let mut h = with_mouse(Harness::loaded(), (120, 40));
    h.key(KeyCode::Char('3'));
    let (x, y) = find(&h, "Support EN");
    click(&mut h, (x, y + 3));
    assert_eq!(h.model.server.assistants.list.selected(), 0);
}

#[test]
fn the_wheel_moves_the_selection_and_the_rows_follow() {
    let mut h = with_mouse(many(40), (80, 24));
    h.key(KeyCode::Char('3'));
    let at = find(&h, "Assistant 01");
    for _ in 0..3 {
        mouse(&mut h, MouseEventKind::ScrollDown, at);
    }
    assert_eq!(h.model.server.assistants.list.selected(), 9);
    for _ in 0..10 {
        mouse(&mut h, MouseEventKind::ScrollDown, at);
    }
    assert_eq!(
        h.model.server.assistants.list.selected(),
        39,
        "stops at the last"
    );
    let text = h.render(80, 24);
    assert!(text.contains("Assistant 40"), "{text}");
    // A click on a row scrolled into view selects that very row.
    let row = find(&h, "Assistant 35");
    click(&mut h, row);
    assert_eq!(h.model.server.assistants.list.selected(), 34);
    mouse(&mut h, MouseEventKind::ScrollUp, at);
    assert_eq!(h.model.server.assistants.list.selected(), 31);
}

#[test]
fn a_click_on_a_provider_focuses_it_in_the_grid_and_in_the_list() {
    for size in [(140, 50), (80, 24)] {
        let mut h = with_mouse(Harness::loaded(), size);
        let target = "Gladia";
        let (x, y) = find(&h, target);
        // Inside the panel (or on the list row), past the name.
        click(&mut h, (x + 2, y + u16::from(size.0 > 100)));
        let focused = &h.model.server.providers.rows()[h.model.server.providers.focus()];
        assert_eq!(focused.name, target, "{size:?}");
        assert!(h.model.server.key_form.is_none(), "a click opens no form");
    }
}

#[test]
fn a_click_on_a_models_row_selects_it() {
    let mut h = with_mouse(Harness::loaded(), (120, 40));
    h.key(KeyCode::Char('2'));
    // A provider with a few models to click between.
    for _ in 0..20 {
        if h.model.visible_models().len() > 2 {
            break;
        }
        h.key(KeyCode::Right);
    }
    let models = h.model.visible_models();
    assert!(models.len() > 2);
    let first = find(&h, &format!("│{}", models[0].id));
    click(&mut h, (first.0 + 1, first.1 + 2));
    assert_eq!(h.model.server.models.list.selected(), 2);
    assert!(h.model.server.editor.is_none());
    click(&mut h, (first.0 + 1, first.1 + 2));
    assert_eq!(
        h.model.session.screen,
        Screen::Models,
        "nothing to choose for: it stays"
    );
}

#[test]
fn a_click_on_an_editor_field_gives_it_the_focus() {
    let mut h = with_mouse(Harness::loaded(), (120, 40));
    open_first_fresh(&mut h, Some("\"r1\""));
    assert_eq!(h.model.server.editor.as_ref().unwrap().focus, Field::Name);
    for field in [Field::Temperature, Field::FirstMessage, Field::GdprMode] {
        let label = find(&h, field.label());
        click(&mut h, label);
        assert_eq!(h.model.server.editor.as_ref().unwrap().focus, field);
    }
    mouse(&mut h, MouseEventKind::ScrollDown, (1, 5));
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().focus,
        Field::GdprMode.next()
    );
}

#[test]
fn a_click_under_an_open_form_or_question_does_nothing() {
    let mut h = with_mouse(Harness::loaded(), (120, 40));
    open_key_form(&mut h, "openai");
    let tab = find(&h, "3 Assistants");
    click(&mut h, tab);
    assert_eq!(h.model.session.screen, Screen::Providers);
    assert!(h.model.server.key_form.is_some());
}

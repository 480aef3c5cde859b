//! The Models screen's search runs over every provider, the tab bar
//! following the selected match; languages read with their names.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::editor::Field;
use voicedock::console::msg::Msg;

const BOTH: &[(u16, u16)] = &[(120, 40), (80, 24)];

fn screen(h: &mut Harness, (width, height): (u16, u16)) -> String {
    h.send(Msg::Resize(width, height));
    h.render(width, height)
}

fn tab_id(h: &Harness) -> String {
    h.model.current_tab().unwrap().id.clone()
}

fn on_openai_models() -> Harness {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    while tab_id(&h) != "openai" {
        h.key(KeyCode::Right);
    }
    h
}

#[test]
fn a_search_finds_models_of_other_providers_and_the_tab_follows() {
    let mut h = on_openai_models();
    h.type_text("/=nova");
    assert_eq!(tab_id(&h), "deepgram", "the tab of the match");
    let selected = h
        .model
        .server
        .models
        .list
        .selected_item()
        .unwrap()
        .id
        .clone();
    assert!(selected.starts_with("nova-3"), "{selected}");
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(
            text.contains("Deepgram (STT): 2"),
            "no match count on the tab at {size:?}:\n{text}"
        );
        assert!(text.contains("nova-3-general"), "{text}");
    }
}

#[test]
fn moving_through_the_matches_moves_the_tab() {
    let mut h = on_openai_models();
    h.type_text("/=mini");
    assert_eq!(tab_id(&h), "openai", "the current tab's matches come first");
    let mut tabs = vec![tab_id(&h)];
    for _ in 0..40 {
        h.key(KeyCode::Down);
        let id = tab_id(&h);
        let selected = h.model.server.models.list.selected_item().unwrap();
        assert!(selected.id.contains("mini"), "{}", selected.id);
        if tabs.last() != Some(&id) {
            tabs.push(id);
        }
    }
    assert!(tabs.len() > 1, "the tab never followed: {tabs:?}");
    // A kept search: the tab keys pass over the tabs without a match.
    h.key(KeyCode::Enter);
    for _ in 0..tabs.len() * 2 {
        h.key(KeyCode::Right);
        let selected = h.model.server.models.list.selected_item().unwrap();
        assert!(selected.id.contains("mini"), "{}", selected.id);
        assert!(tabs.contains(&tab_id(&h)), "{} has no match", tab_id(&h));
    }
    // Leaving the search keeps the tab of the last match.
    let last = tab_id(&h);
    h.key(KeyCode::Esc);
    assert_eq!(tab_id(&h), last);
    assert!(h.model.server.models.list.filter().is_empty());
}

#[test]
fn languages_show_their_names_beside_the_codes() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(text.contains("nl — Dutch"), "field at {size:?}:\n{text}");
    }
    h.focus(Field::SttLanguage);
    h.key(KeyCode::Enter);
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(
            text.contains("de — German") && text.contains("ja — Japanese"),
            "picker at {size:?}:\n{text}"
        );
    }
    h.type_text("dutch");
    h.key(KeyCode::Enter);
    let stt = h.model.server.editor.as_ref().unwrap().stt.clone().unwrap();
    assert_eq!(
        stt.language.as_deref(),
        Some("nl"),
        "the code is what is set"
    );
}

#[test]
fn a_match_too_long_for_the_list_says_it_is_cut_and_the_details_name_its_provider() {
    let mut h = on_openai_models();
    h.type_text("/eleven_multilingual");
    let text = screen(&mut h, (80, 24));
    let row = text
        .lines()
        .find(|l| l.contains("eleven_multilingual_v2"))
        .unwrap_or_else(|| panic!("no match:\n{text}"));
    let cell = row.split("││").next().unwrap().trim_end_matches('│');
    assert!(
        cell.ends_with("ElevenLabs") || cell.ends_with('…'),
        "cut without a mark: {row}\n{text}"
    );
    assert!(text.contains("provider ElevenLabs"), "{text}");
}

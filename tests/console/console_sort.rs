//! `s` orders the Assistants and Models lists by a column, marked ▲/▼ in
//! its title; a filter picks the rows and the chosen order lines them up.
//! `=text` filters by exact text in any case instead of fuzzily, and `/`
//! filters the Providers screen too.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::app::{Sort, SortColumn};
use voicedock::console::msg::Msg;
use voicedock::domain::Assistant;

/// An assistant with nothing but a name and a time, so a filter's text is its name.
fn dated(id: &str, name: &str, updated: &str) -> Assistant {
    let mut a = assistant(id, name);
    a.updated_at = Some(updated.into());
    (a.stt_config, a.llm_config, a.tts_config) = (None, None, None);
    a
}

/// Four assistants whose name order, update order and server order differ.
fn four() -> Harness {
    let state = State {
        assistants: vec![
            dated("a-1", "reception", "2026-11-20T10:00:00Z"),
            dated("a-2", "Billing", "2026-11-25T10:00:00Z"),
            dated("a-3", "Support EN", "2026-11-22T10:00:00Z"),
            dated("a-4", "after hours", "2026-11-21T10:00:00Z"),
        ],
        ..sample_state()
    };
    let mut h = Harness::new();
    h.answer_all(&state);
    h.send(Msg::Resize(120, 40));
    h.key(KeyCode::Char('3'));
    h
}

fn names(h: &Harness) -> Vec<String> {
    let all = h.model.server.assistants.loaded().unwrap();
    h.model
        .server
        .assistants
        .list
        .visible()
        .iter()
        .map(|&i| all[i].name.to_string())
        .collect()
}

fn header(h: &Harness) -> String {
    let text = h.render(120, 40);
    text.lines()
        .find(|l| l.contains("Name") && l.contains("STT"))
        .unwrap_or_else(|| panic!("no column titles:\n{text}"))
        .to_owned()
}

#[test]
fn s_steps_through_the_orders_and_marks_the_column() {
    let mut h = four();
    let server = ["reception", "Billing", "Support EN", "after hours"];
    assert_eq!(names(&h), server);
    assert!(!header(&h).contains('▲') && !header(&h).contains('▼'));
    let steps: [(&[&str], &str); 5] = [
        (
            &["after hours", "Billing", "reception", "Support EN"],
            "Name ▲",
        ),
        (
            &["Support EN", "reception", "Billing", "after hours"],
            "Name ▼",
        ),
        (
            &["Billing", "Support EN", "after hours", "reception"],
            "Updated ▼",
        ),
        (
            &["reception", "after hours", "Support EN", "Billing"],
            "Updated ▲",
        ),
        (&server, ""),
    ];
    for (order, mark) in steps {
        h.key(KeyCode::Char('s'));
        assert_eq!(names(&h), order, "{mark}");
        let line = header(&h);
        if mark.is_empty() {
            assert!(!line.contains('▲') && !line.contains('▼'), "{line}");
        } else {
            assert!(line.contains(mark), "{line}");
        }
    }
}

#[test]
fn sorting_keeps_the_selected_assistant_selected() {
    let mut h = four();
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    assert_eq!(
        names(&h)[h.model.server.assistants.list.selected()],
        "Support EN"
    );
    h.key(KeyCode::Char('s'));
    assert_eq!(
        names(&h)[h.model.server.assistants.list.selected()],
        "Support EN"
    );
    assert_eq!(h.model.server.assistants.list.selected(), 3);
}

#[test]
fn with_a_filter_the_order_lines_up_the_matches() {
    let mut h = four();
    h.key(KeyCode::Char('/'));
    h.type_text("e");
    let mut ranked = names(&h);
    assert_eq!(ranked.len(), 3, "Billing has no e");
    h.key(KeyCode::Enter);
    // Name ▼ among the matches, whatever the ranking said.
    h.key(KeyCode::Char('s'));
    h.key(KeyCode::Char('s'));
    assert_eq!(names(&h), ["Support EN", "reception", "after hours"]);
    // The filter still narrows: typing on keeps the order.
    h.key(KeyCode::Char('/'));
    h.type_text("n");
    let narrowed = names(&h);
    assert_eq!(narrowed.len(), 2, "{narrowed:?}");
    let mut sorted = narrowed.clone();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(narrowed, sorted);
    // Back to the server's order: the ranking shows again.
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Enter);
    for _ in 0..3 {
        h.key(KeyCode::Char('s'));
    }
    assert_eq!(h.model.server.assistants.list.sort(), None);
    ranked.sort();
    let mut now = names(&h);
    now.sort();
    assert_eq!(now, ranked);
}

#[test]
fn an_exact_filter_matches_text_in_any_case_where_fuzzy_matches_letters() {
    let mut h = four();
    h.key(KeyCode::Char('/'));
    h.type_text("rcp");
    assert_eq!(names(&h), ["reception"], "fuzzy: r…c…p");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('/'));
    h.type_text("=rcp");
    assert!(names(&h).is_empty(), "no name holds \"rcp\"");
    for _ in 0..3 {
        h.key(KeyCode::Backspace);
    }
    h.type_text("en");
    // Only "Support EN" holds "en", in capitals; fuzzy "en" takes "reception" too.
    assert_eq!(names(&h), ["Support EN"]);
    let text = h.render(120, 40);
    assert!(text.contains("filter (exact, any case): =en"), "{text}");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('/'));
    h.type_text("en");
    assert_eq!(names(&h).len(), 2);
    let text = h.render(120, 40);
    assert!(
        text.contains("filter: en") && !text.contains("exact"),
        "{text}"
    );
}

#[test]
fn an_exact_filter_of_a_long_list_is_ranked_off_the_key_path_too() {
    let count = voicedock::console::update::INLINE_RANK + 500;
    let state = State {
        assistants: (1..=count)
            .map(|i| assistant(&format!("a-{i}"), &format!("Line {i:05}")))
            .collect(),
        ..sample_state()
    };
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.hold_ranks = true;
    h.key(KeyCode::Char('/'));
    h.type_text("=e 0012");
    assert!(!h.ranks.is_empty(), "sent to the worker");
    h.finish_ranks();
    let shown = names(&h);
    assert_eq!(shown.len(), 10, "{shown:?}");
    assert!(shown.iter().all(|n| n.contains("e 0012")));
}

#[test]
fn the_models_list_sorts_by_id() {
    let mut h = Harness::loaded();
    h.send(Msg::Resize(120, 40));
    h.key(KeyCode::Char('2'));
    let ids = |h: &Harness| -> Vec<String> {
        h.model
            .visible_models()
            .iter()
            .map(|m| m.id.clone())
            .collect()
    };
    // A provider with a few models to order.
    for _ in 0..20 {
        if ids(&h).len() > 2 {
            break;
        }
        h.key(KeyCode::Right);
    }
    let catalog = ids(&h);
    assert!(catalog.len() > 2);
    h.key(KeyCode::Char('s'));
    let mut up = catalog.clone();
    up.sort_by_key(|id| id.to_lowercase());
    assert_eq!(ids(&h), up);
    assert!(h.render(120, 40).contains("· id ▲"));
    h.key(KeyCode::Char('s'));
    up.reverse();
    assert_eq!(ids(&h), up);
    assert!(h.render(120, 40).contains("· id ▼"));
    assert_eq!(
        h.model.server.models.list.sort(),
        Some(Sort {
            column: SortColumn::Id,
            descending: true
        })
    );
    h.key(KeyCode::Char('s'));
    assert_eq!(ids(&h), catalog);
    // An exact filter on models: only ids or names holding the text.
    h.key(KeyCode::Char('/'));
    let part: String = catalog[0].chars().take(4).collect();
    h.type_text(&format!("={part}"));
    let kept = ids(&h);
    assert!(!kept.is_empty());
    assert!(kept.iter().all(|id| {
        let m = h.model.visible_models();
        m.iter().any(|x| {
            &x.id == id
                && format!("{} {}", x.id, x.name.as_deref().unwrap_or(""))
                    .to_lowercase()
                    .contains(&part.to_lowercase())
        })
    }));
}

#[test]
fn slash_on_providers_filters_the_panels_and_the_focus_follows() {
    let mut h = Harness::loaded();
    h.send(Msg::Resize(140, 50));
    h.key(KeyCode::Char('/'));
    h.type_text("open");
    let text = h.render(140, 50);
    assert!(text.contains("filter: open"), "{text}");
    assert!(text.contains("OpenAI"), "{text}");
    assert!(!text.contains("Deepgram"), "{text}");
    assert_eq!(
        h.model.server.providers.rows()[h.model.server.providers.focus()].id,
        "openai"
    );
    // Enter keeps the filter; the keys act on what is shown.
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.server.key_form.as_ref().unwrap().provider, "openai");
    h.key(KeyCode::Esc);
    // Esc drops the filter: every provider is back.
    h.key(KeyCode::Esc);
    let text = h.render(140, 50);
    assert!(
        text.contains("Deepgram") && !text.contains("filter:"),
        "{text}"
    );
}

#[test]
fn an_exact_provider_filter_and_arrows_move_among_the_matches() {
    let mut h = Harness::loaded();
    h.send(Msg::Resize(80, 24));
    h.key(KeyCode::Char('/'));
    h.type_text("=google");
    let text = h.render(80, 24);
    assert!(text.contains("Google AI"), "{text}");
    assert!(text.contains("Google Vertex"), "{text}");
    assert!(!text.contains("OpenAI"), "{text}");
    let first = h.model.server.providers.focus();
    h.key(KeyCode::Down);
    assert_ne!(h.model.server.providers.focus(), first);
    assert!(
        h.model.server.providers.rows()[h.model.server.providers.focus()]
            .name
            .starts_with("Google")
    );
    h.key(KeyCode::Down);
    assert!(
        h.model.server.providers.rows()[h.model.server.providers.focus()]
            .name
            .starts_with("Google"),
        "the last match stays focused"
    );
    h.type_text("zzz");
    let text = h.render(80, 24);
    assert!(text.contains("No provider matches"), "{text}");
}

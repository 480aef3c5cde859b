//! Loading and staying fresh: assistants in pages, superseded loads
//! cancelled, and the background check that notices an outage or a change
//! without a key press — and draws nothing when nothing changed.

use testkit::console_support;

use std::time::{Duration, Instant};

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::app::{Connection, Remote};
use voicedock::console::msg::{Call, Msg, Page, Reply};
use voicedock::console::screens::AssistantRow;

fn numbered(from: usize, to: usize) -> Vec<voicedock::domain::Assistant> {
    (from..to)
        .map(|i| assistant(&format!("a-{i}"), &format!("Assistant {i}")))
        .collect()
}

fn page(from: usize, to: usize, total: usize) -> Reply {
    Reply::Assistants(Ok(Page {
        assistants: numbered(from, to).iter().map(AssistantRow::from).collect(),
        offset: from as u64,
        total: Some(total as u64),
        last: to >= total,
        listed_at: sample_clock(),
    }))
}

/// The Assistants filter open over more assistants than are ranked inline.
fn filtering_a_long_list() -> (Harness, State) {
    let mut state = sample_state();
    state.assistants = numbered(0, voicedock::console::update::INLINE_RANK * 3);
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    (h, state)
}

fn refreshing() -> Harness {
    let mut h = Harness::with(|model| model.session.refresh_every = Some(Duration::from_secs(10)));
    h.answer_all(&sample_state());
    h
}

#[test]
fn a_first_load_shows_each_page_as_it_comes_with_a_count() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    h.send_reply(id, page(0, 100, 250));
    assert_eq!(
        h.model.server.assistants.loaded().map(<[_]>::len),
        Some(100)
    );
    h.key(KeyCode::Char('3'));
    let screen = h.render(120, 40);
    assert!(screen.contains("Assistant 0"), "the list is usable at once");
    assert!(screen.contains("loading assistants 100 of 250"), "{screen}");
    // The list takes keys while pages arrive.
    h.key(KeyCode::Down);
    h.send_reply(id, page(100, 200, 250));
    assert_eq!(
        h.model.server.assistants.list.selected(),
        1,
        "the selection stays"
    );
    assert!(
        h.model.server.providers.usage().is_none(),
        "who uses what is counted once, at the end"
    );
    h.send_reply(id, page(200, 250, 250));
    assert_eq!(
        h.model.server.assistants.loaded().map(<[_]>::len),
        Some(250)
    );
    assert!(h.model.server.providers.usage().is_some());
    assert!(!h.render(120, 40).contains("loading assistants"));
    assert_eq!(
        h.model.in_flight(),
        3,
        "the other first loads are still out"
    );
}

#[test]
fn a_filter_typed_during_a_load_applies_to_the_pages_that_follow() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    h.send_reply(id, page(0, 100, 200));
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.type_text("Assistant 15");
    let before = h.model.server.assistants.list.visible().len();
    h.send_reply(id, page(100, 200, 200));
    let after = h.model.server.assistants.list.visible().len();
    assert!(
        after > before,
        "{before} then {after}: assistant 150–159 joined"
    );
    let best = h.model.server.assistants.list.visible()[0];
    assert_eq!(
        &*h.model.server.assistants.loaded().unwrap()[best].name,
        "Assistant 15"
    );
}

#[test]
fn a_newer_load_cancels_the_older_and_its_late_pages_are_dropped() {
    let mut h = Harness::new();
    let (old, _) = h.take(|c| matches!(c, Call::Assistants));
    h.key(KeyCode::Char('r'));
    assert!(h.cancelled.contains(&old), "the superseded load is stopped");
    let (new, _) = h.take(|c| matches!(c, Call::Assistants));
    h.send_reply(old, page(0, 100, 100));
    assert!(
        matches!(h.model.server.assistants.status, Remote::Loading),
        "a late page of the old load shows nothing"
    );
    h.send_reply(new, page(0, 3, 3));
    assert_eq!(h.model.server.assistants.loaded().map(<[_]>::len), Some(3));
}

#[test]
fn a_reload_replaces_the_list_only_when_complete() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('r'));
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    h.send_reply(id, page(0, 100, 150));
    assert_eq!(
        h.model.server.assistants.loaded().map(<[_]>::len),
        Some(2),
        "the old list stays until the new one is whole"
    );
    h.send_reply(id, page(100, 150, 150));
    assert_eq!(
        h.model.server.assistants.loaded().map(<[_]>::len),
        Some(150)
    );
}

#[test]
fn the_background_check_is_quiet_and_invisible_when_nothing_changed() {
    let mut h = refreshing();
    let now = Instant::now();
    let drawn = h.changes_screen(|h| h.send(Msg::Refresh(now)));
    assert!(!drawn, "asking draws nothing");
    assert_eq!(h.model.in_flight(), 0, "background requests are not shown");
    assert!(!h.model.needs_tick(), "and animate nothing");
    let calls: Vec<String> = h.outbox.iter().map(|(_, c)| format!("{c:?}")).collect();
    assert!(calls.iter().any(|c| c.starts_with("Byok")), "{calls:?}");
    assert!(
        !calls.iter().any(|c| c.starts_with("Health")),
        "the keys' answer says the server is there: {calls:?}"
    );
    assert!(
        calls.iter().any(|c| c.starts_with("Assistants")),
        "{calls:?}"
    );
    let state = sample_state();
    for (id, call) in std::mem::take(&mut h.outbox) {
        let reply = match call {
            Call::Health => Reply::Health(Ok(())),
            Call::Byok => Reply::Byok(Ok(state.byok.clone())),
            Call::Assistants => Reply::Assistants(Ok(Page {
                assistants: state.assistants.iter().map(AssistantRow::from).collect(),
                offset: 0,
                total: Some(2),
                last: true,
                listed_at: sample_clock(),
            })),
            other => panic!("not a background load: {other:?}"),
        };
        let drawn = h.changes_screen(|h| h.send_reply(id, reply));
        assert!(!drawn, "the same data draws nothing");
    }
}

#[test]
fn a_refresh_while_the_first_loads_are_out_still_asks_whether_the_server_is_there() {
    let mut h = Harness::with(|model| model.session.refresh_every = Some(Duration::from_secs(10)));
    h.outbox.clear();
    h.send(Msg::Refresh(Instant::now()));
    let calls: Vec<String> = h.outbox.iter().map(|(_, c)| format!("{c:?}")).collect();
    assert_eq!(calls, ["Health"], "loads in flight are not asked again");
}

#[test]
fn the_background_check_brings_in_an_assistant_created_elsewhere() {
    let mut h = refreshing();
    h.key(KeyCode::Char('3'));
    h.send(Msg::Refresh(Instant::now()));
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    let mut list = sample_state().assistants;
    list.push(assistant("a-3", "Made elsewhere"));
    let drawn = h.changes_screen(|h| h.reply(id, Ok(Answer::Assistants(list))));
    assert!(drawn);
    assert!(h.render(120, 40).contains("Made elsewhere"));
}

#[test]
fn a_stopped_server_is_noticed_without_a_key_and_the_age_is_shown() {
    let mut h = refreshing();
    let at = Instant::now();
    h.send(Msg::Refresh(at));
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    let drawn = h.changes_screen(|h| {
        h.fail_at(id, at, ApiError::Unreachable("connection refused".into()));
    });
    assert!(matches!(
        h.model.server.connection,
        Connection::Unreachable { .. }
    ));
    assert!(drawn, "the outage is drawn");
    h.send(Msg::Tick(at + Duration::from_secs(1)));
    let status = h.render(160, 40);
    assert!(status.contains("unreachable"), "{status}");
    assert!(status.contains("s ago"), "{status}");
}

#[test]
fn a_background_failure_of_a_shown_list_keeps_it_and_says_nothing_extra() {
    let mut h = refreshing();
    h.send(Msg::Refresh(Instant::now()));
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    h.reply(id, Err(ApiError::Unreachable("refused".into())));
    assert_eq!(h.model.server.assistants.loaded().map(<[_]>::len), Some(2));
    assert!(h.model.server.toast.is_none(), "the status bar says it");
}

#[test]
fn a_big_account_is_not_reloaded_every_few_seconds() {
    let mut h = Harness::with(|model| model.session.refresh_every = Some(Duration::from_secs(10)));
    let mut state = sample_state();
    state.assistants = numbered(0, voicedock::console::update::BACKGROUND_RELOAD_MAX + 1);
    h.answer_all(&state);
    h.send(Msg::Refresh(Instant::now()));
    assert!(h.outbox.iter().any(|(_, c)| matches!(c, Call::Byok)));
    assert!(!h.outbox.iter().any(|(_, c)| matches!(c, Call::Assistants)));
}

#[test]
fn a_keystroke_in_a_long_filter_never_waits_for_the_rank() {
    let (mut h, state) = filtering_a_long_list();
    h.hold_ranks = true;
    h.type_text("Assistant 12");
    assert_eq!(
        h.model.server.assistants.list.filter(),
        "Assistant 12",
        "the text is there at once"
    );
    assert_eq!(
        h.ranks.len(),
        1,
        "one rank for the worker: {}",
        h.ranks.len()
    );
    assert_eq!(
        h.model.server.assistants.list.visible().len(),
        state.assistants.len(),
        "the list stays as it was until the answer"
    );
    assert!(h.render(120, 40).contains('⋯'), "and says it is filtering");
    h.finish_ranks();
    let best = h.model.server.assistants.list.visible()[0];
    assert_eq!(
        &*h.model.server.assistants.loaded().unwrap()[best].name,
        "Assistant 12"
    );
    assert!(h.model.server.assistants.list.ranking().is_none());
}

#[test]
fn an_answer_for_an_older_filter_is_dropped() {
    let (mut h, state) = filtering_a_long_list();
    h.hold_ranks = true;
    h.type_text("1");
    let first = h.ranks.remove(0);
    h.type_text("0");
    assert!(h.ranks.is_empty(), "one rank at a time");
    // Esc drops the filter; the answer for "1" comes after and is not shown.
    h.key(KeyCode::Esc);
    let drawn = h.changes_screen(|h| h.send(Msg::Ranked(first.run())));
    assert_eq!(
        h.model.server.assistants.list.visible().len(),
        state.assistants.len()
    );
    assert!(!drawn, "a dropped answer draws nothing");
    assert!(h.ranks.is_empty());
}

#[test]
fn a_list_change_while_a_rank_is_out_drops_its_answer_and_shows_no_stale_row() {
    let (mut h, _) = filtering_a_long_list();
    h.type_text("Assistant 5999");
    h.key(KeyCode::Enter);
    h.key(KeyCode::End);
    h.hold_ranks = true;
    // The last assistant goes while the filter is on: the list shrinks.
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('y'));
    let (id, _) = h.take(|c| matches!(c, Call::DeleteAssistant { .. }));
    h.reply(id, Ok(Answer::Ok));
    let count = h.model.server.assistants.loaded().unwrap().len();
    assert!(
        h.model
            .server
            .assistants
            .list
            .visible()
            .iter()
            .all(|&i| i < count)
    );
    h.render(120, 40);
    let stale = h.ranks.remove(0);
    h.send(Msg::Ranked(stale.run()));
    h.finish_ranks();
    assert!(
        h.model
            .server
            .assistants
            .list
            .visible()
            .iter()
            .all(|&i| i < count)
    );
    h.render(120, 40);
}

#[test]
fn a_first_load_cut_short_keeps_what_came_and_says_it_is_partial() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Assistants));
    h.send_reply(id, page(0, 100, 300));
    h.send_reply(id, Reply::Assistants(Err(ApiError::Timeout)));
    assert_eq!(
        h.model.server.assistants.loaded().map(<[_]>::len),
        Some(100)
    );
    assert!(h.toast_text().contains("partial"), "{}", h.toast_text());
    assert!(
        h.model.server.providers.usage().is_some(),
        "who uses what is counted on what came"
    );
    assert!(h.model.server.assistants.incoming.is_none());
}

#[test]
fn a_key_saved_while_a_keys_reload_is_out_asks_for_the_keys_again() {
    let mut h = refreshing();
    h.send(Msg::Refresh(Instant::now()));
    let (stale, _) = h.take(|c| matches!(c, Call::Byok));
    h.focus_provider("openai");
    h.key(KeyCode::Char('a'));
    h.type_text("sk-proj-abcdefghijklmnopqrstuvwx");
    h.key(KeyCode::Enter);
    let (save, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    h.reply(
        save,
        Ok(Answer::Byok(byok(&[("openai", "sec-oa-1", "sk-…uvwx")]))),
    );
    assert!(
        h.cancelled.contains(&stale),
        "the reload from before the save is stopped"
    );
    let (again, _) = h.take(|c| matches!(c, Call::Byok));
    assert!(again > save, "and asked again after it");
}

//! The activity log as the user sees it: the log view, its keys, entries
//! arriving while it is open or closed, the bounded ring, a file failure.
//! What the real worker records of real calls is in console_activity_calls.rs.

use testkit::console_support;

use std::time::{Duration, SystemTime};

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::console::activity::{Entry, KEPT, Report, open_log};
use voicedock::console::focus::Focus;
use voicedock::console::msg::Msg;

fn entry(route: &str, status: Option<u16>, error: Option<&str>) -> Entry {
    Entry {
        at: SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_698_645) + Duration::from_millis(42),
        profile: "local".into(),
        method: "GET".into(),
        upstream: None,
        route: route.into(),
        status,
        latency: Duration::from_millis(12),
        request_id: Some("5b1c0d2e-7a31-4e0f-9c55-0d6a1b2c3d4e".into()),
        error: error.map(str::to_owned),
    }
}

fn sample_entries() -> Vec<Entry> {
    let mut check = entry(
        "/v1/models",
        None,
        Some("OpenAI did not answer: it timed out"),
    );
    check.upstream = Some("openai".into());
    check.request_id = None;
    let mut save = entry("/api/v1/byok", Some(200), None);
    save.method = "POST".into();
    vec![
        entry("/api/v1/health", Some(200), None),
        entry(
            "/api/v1/assistants/{id}",
            Some(412),
            Some(
                "it was changed elsewhere since it was read; reload and try again \
                 (The assistant was changed by another request after you read it; \
                 read it again and retry with its new ETag.)",
            ),
        ),
        save,
        check,
    ]
}

fn screen(h: &mut Harness, width: u16, height: u16) -> String {
    h.send(Msg::Resize(width, height));
    h.render(width, height)
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_log_key_opens_the_view_on_the_newest_call_and_esc_closes_it() {
    let mut h = Harness::loaded();
    h.log(sample_entries());
    assert!(!h.model.session.activity.open);
    h.key(KeyCode::Char('L'));
    assert_eq!(Focus::of(&h.model), Focus::Log);
    assert_eq!(h.model.session.activity.rows.selected(), 3);
    h.key(KeyCode::Up);
    h.key(KeyCode::Up);
    assert_eq!(h.model.session.activity.rows.selected(), 1);
    h.key(KeyCode::Home);
    assert_eq!(h.model.session.activity.rows.selected(), 0);
    h.key(KeyCode::PageDown);
    assert_eq!(
        h.model.session.activity.rows.selected(),
        3,
        "a page down stops at the newest"
    );
    h.key(KeyCode::Char('q'));
    assert!(!h.quit_asked(), "q is not a key of the log");
    h.key(KeyCode::Esc);
    assert!(!h.model.session.activity.open);
    assert!(matches!(Focus::of(&h.model), Focus::Screen(_)));
}

#[test]
fn calls_arriving_while_the_view_is_closed_redraw_nothing_and_an_open_view_follows() {
    let mut h = Harness::loaded();
    let drawn = h.changes_screen(|h| h.log(vec![entry("/api/v1/health", Some(200), None)]));
    assert!(!drawn, "a closed log changes nothing on screen");
    open_log(&mut h.model);
    let drawn = h.changes_screen(|h| h.log(vec![entry("/api/v1/byok", Some(200), None)]));
    assert!(drawn);
    assert_eq!(
        h.model.session.activity.rows.selected(),
        1,
        "the view stays on the newest"
    );
    let text = screen(&mut h, 120, 40);
    assert!(text.contains("/api/v1/byok"), "{text}");
}

#[test]
fn the_model_keeps_only_the_newest_thousand() {
    let mut h = Harness::loaded();
    let many: Vec<Entry> = (0..KEPT + 10)
        .map(|i| entry(&format!("/api/v1/{i}"), Some(200), None))
        .collect();
    h.log(many);
    assert_eq!(h.model.session.activity.entries.len(), KEPT);
    assert_eq!(h.model.session.activity.entries[0].route, "/api/v1/10");
    open_log(&mut h.model);
    let text = screen(&mut h, 80, 24);
    assert!(
        text.contains("10 older calls are only in the log file"),
        "{text}"
    );
}

#[test]
fn a_file_that_cannot_be_written_is_said_once_and_the_log_goes_on() {
    let mut h = Harness::loaded();
    h.send(Msg::Activity(Report::FileFailed(
        "cannot open '/state/activity.log': Permission denied".into(),
    )));
    assert!(h.toast_text().contains("activity log file is not written"));
    h.log(sample_entries());
    h.key(KeyCode::Char('L'));
    let text = screen(&mut h, 120, 40);
    assert!(text.contains("The log file is not written"), "{text}");
    assert!(text.contains("/api/v1/health"), "{text}");
}

#[test]
fn help_over_the_log_lists_its_keys() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('L'));
    h.key(KeyCode::Char('?'));
    let text = screen(&mut h, 120, 40);
    assert!(text.contains("close the activity log"), "{text}");
    assert!(text.contains("newest call"), "{text}");
}

#[test]
fn the_log_view() {
    let mut h = Harness::loaded();
    h.log(sample_entries());
    h.key(KeyCode::Char('L'));
    h.key(KeyCode::Up);
    h.key(KeyCode::Up);
    for (width, height) in [(120, 40), (80, 24)] {
        let text = screen(&mut h, width, height);
        insta::assert_snapshot!(format!("log_{width}x{height}"), text);
    }
    let mut empty = Harness::loaded();
    empty.key(KeyCode::Char('L'));
    insta::assert_snapshot!("log_empty_80x24", screen(&mut empty, 80, 24));
}

/// Three minutes of the background refresh: the reads of each kind, a
/// second apart, with one failed read and one save among them.
fn a_refresh_flood() -> Vec<Entry> {
    let mut calls = Vec::new();
    for second in 0..37u64 {
        for route in ["/api/v1/byok", "/api/v1/health"] {
            let mut read = entry(route, Some(200), None);
            read.at += Duration::from_secs(second);
            calls.push(read);
        }
        if second == 20 {
            let mut failed = entry("/api/v1/byok", Some(503), Some("the server is busy"));
            failed.at += Duration::from_secs(second);
            calls.push(failed);
            let mut save = entry("/api/v1/byok/{provider}", Some(200), None);
            save.method = "PUT".into();
            save.at += Duration::from_secs(second);
            calls.push(save);
        }
    }
    calls
}

#[test]
fn background_reads_collapse_by_kind_and_writes_and_failures_stand_apart() {
    let mut h = Harness::loaded();
    h.log(a_refresh_flood());
    h.key(KeyCode::Char('L'));
    let text = screen(&mut h, 120, 40);
    let rows_naming = |route: &str| text.lines().filter(|l| l.contains(route)).count();
    assert_eq!(
        rows_naming("GET    200"),
        2,
        "one row per kind of read: {text}"
    );
    assert!(text.contains("/api/v1/byok ×37"), "{text}");
    assert!(text.contains("/api/v1/health ×37"), "{text}");
    assert!(
        text.contains("503") && text.contains("the server is busy"),
        "a failed read is never collapsed away: {text}"
    );
    assert!(text.contains("PUT"), "{text}");
    for (width, height) in [(120, 40), (80, 24)] {
        let text = screen(&mut h, width, height);
        insta::assert_snapshot!(format!("log_collapsed_{width}x{height}"), text);
    }
}

#[test]
fn slash_filters_the_log_and_esc_clears_the_filter_before_closing() {
    let mut h = Harness::loaded();
    h.log(sample_entries());
    h.key(KeyCode::Char('L'));
    h.key(KeyCode::Char('/'));
    h.type_text("assistants");
    let text = screen(&mut h, 120, 40);
    assert!(text.contains("filter: assistants"), "{text}");
    assert!(text.contains("/api/v1/assistants/{id}"), "{text}");
    assert!(!text.contains("/api/v1/health"), "{text}");
    assert!(!text.contains("upstream openai"), "{text}");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('g'));
    assert_eq!(Focus::of(&h.model), Focus::Log, "Enter keeps the filter");
    let text = screen(&mut h, 80, 24);
    assert!(!text.contains("/api/v1/health"), "{text}");
    insta::assert_snapshot!("log_filtered_80x24", text);
    h.key(KeyCode::Esc);
    assert_eq!(
        Focus::of(&h.model),
        Focus::Log,
        "Esc drops the filter first"
    );
    let text = screen(&mut h, 120, 40);
    assert!(text.contains("/api/v1/health"), "{text}");
    h.key(KeyCode::Esc);
    assert!(!h.model.session.activity.open);
}

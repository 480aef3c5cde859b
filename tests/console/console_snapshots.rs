//! What the console draws, screen by screen and state by state, at the two
//! usual terminal sizes. A changed snapshot is a changed screen: review it.

use testkit::console_support;

use std::time::Duration;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::json;
use voicedock::client::ApiError;
use voicedock::console::editor::Field;
use voicedock::console::msg::{Call, Msg};
use voicedock::domain::ByokState;

const WIDE: (u16, u16) = (120, 40);
const NARROW: (u16, u16) = (80, 24);
const BOTH: &[(u16, u16)] = &[WIDE, NARROW];
/// The smallest size the console accepts.
const SMALLEST: &[(u16, u16)] = &[(40, 12)];

/// A key that must never be drawn: only its length (as a mask) and,
/// once saved, the server's hint "sk-…1234" may show.
const SECRET_KEY: &str = "sk-proj-SECRETSECRETSECRET1234";

/// The screen as text, trailing blanks cut so the files survive editors.
fn screen(h: &mut Harness, (width, height): (u16, u16)) -> String {
    h.send(Msg::Resize(width, height));
    let text = h.render(width, height);
    text.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
}

fn snap(h: &mut Harness, name: &str, sizes: &[(u16, u16)]) {
    for &size in sizes {
        let text = screen(h, size);
        insta::assert_snapshot!(format!("{name}_{}x{}", size.0, size.1), text);
    }
}

fn assert_no_secret(h: &mut Harness) {
    for &size in BOTH {
        let text = screen(h, size);
        for part in ["SECRET", "proj", "sk-proj"] {
            assert!(!text.contains(part), "{part:?} drawn at {size:?}:\n{text}");
        }
    }
}

/// One test per state: `name [at sizes] => setup;` (both usual sizes by default).
macro_rules! snapshots {
    ($($name:ident $(at $sizes:expr)? => $setup:expr;)*) => {$(
        #[test]
        fn $name() {
            let mut h: Harness = $setup;
            snap(&mut h, stringify!($name), snapshots!(@sizes $($sizes)?));
        }
    )*};
    (@sizes) => { BOTH };
    (@sizes $sizes:expr) => { $sizes };
}

fn with_state(state: State) -> Harness {
    let mut h = Harness::new();
    h.answer_all(&state);
    h
}

/// Everything loads except the one request `which` picks, which fails last
/// (so the status bar reports it).
fn failing(which: fn(&Call) -> bool, error: ApiError) -> Harness {
    let mut h = Harness::new();
    let (id, _) = h.take(which);
    h.answer_all(&sample_state());
    h.reply(id, Err(error));
    h
}

fn keys(mut h: Harness, codes: &[KeyCode]) -> Harness {
    codes.iter().for_each(|&c| h.key(c));
    h
}

/// Presses each character as a key: `press(h, "4n")` opens a new assistant.
fn press(mut h: Harness, chars: &str) -> Harness {
    h.type_text(chars);
    h
}

fn byok_failing(error: ApiError) -> Harness {
    failing(|c| matches!(c, Call::Byok), error)
}

// Providers

fn unknown_provider_state() -> State {
    let byok: ByokState = serde_json::from_value(json!({
        "byok_keys": {"deepgram_secret_id": "sec-dg-1", "openai_secret_id": null,
                      "elevenlabs_secret_id": null, "resend_secret_id": null,
                      "acme_secret_id": "sec-acme-7"},
        "keys": [
            {"provider": "deepgram", "secret_id": "sec-dg-1", "key_hint": "…a1b2",
             "updated_at": "2026-11-26T10:00:00Z"},
            {"provider": "acme", "secret_id": "sec-acme-7", "key_hint": "…9f9f",
             "updated_at": "2026-11-27T08:15:00Z"}
        ]
    }))
    .unwrap();
    State {
        byok,
        ..sample_state()
    }
}

fn unknown_provider_focused() -> Harness {
    let mut h = with_state(unknown_provider_state());
    h.focus_provider("acme");
    h
}

snapshots! {
    providers_loading => Harness::new();
    providers_loaded => Harness::loaded();
    providers_none_configured => with_state(State { byok: byok(&[]), ..sample_state() });
    providers_unreachable => byok_failing(ApiError::Unreachable("connection refused".into()));
    providers_unauthorized => byok_failing(ApiError::Unauthorized("invalid API key".into()));
    providers_unknown_extra => with_state(unknown_provider_state());
    providers_unknown_focused => unknown_provider_focused();
    providers_unknown_add_key => press(unknown_provider_focused(), "a");
    providers_rate_limited => byok_failing(ApiError::RateLimited {
        message: "slow down".into(),
        retry_after: Some(Duration::from_secs(5)),
    });
    providers_focus_openai => keys(Harness::loaded(), &[KeyCode::Right]);
    providers_smallest at SMALLEST => Harness::loaded();
    too_small at &[(39, 11), (39, 24), (80, 11)] => Harness::loaded();
}

// Key entry

/// The form for the provider at `focus` (0 Deepgram, 1 OpenAI, 2 ElevenLabs, 3 Resend).
fn key_form(provider: &str) -> Harness {
    let mut h = Harness::loaded();
    h.focus_provider(provider);
    press(h, "a")
}

fn key_typed() -> Harness {
    press(key_form("openai"), SECRET_KEY)
}

fn key_sending() -> Harness {
    keys(key_typed(), &[KeyCode::Enter])
}

fn key_save_failed() -> Harness {
    let mut h = key_sending();
    let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    h.reply(id, Err(ApiError::Unreachable("connection refused".into())));
    h
}

fn key_saved_toast() -> Harness {
    let mut h = key_sending();
    let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
    let state = byok(&[
        ("deepgram", "sec-dg-1", "…a1b2"),
        ("openai", "sec-oa-9", "sk-…1234"),
    ]);
    h.reply(id, Ok(Answer::Byok(state)));
    h
}

snapshots! {
    key_entry_openai_opened => key_form("openai");
    key_entry_openai_invalid => press(key_form("openai"), "pk-0123456789abcdefghij");
    key_entry_openai_too_short_submitted => keys(press(key_form("openai"), "sk-abc"), &[KeyCode::Enter]);
    key_entry_deepgram_by_add_key => press(Harness::loaded(), "a");
    key_entry_elevenlabs => key_form("elevenlabs");
    key_entry_resend => key_form("resend");
    key_entry_smallest at SMALLEST => key_typed();
}

#[test]
fn key_entry_openai_typed() {
    let mut h = key_typed();
    assert_no_secret(&mut h);
    snap(&mut h, "key_entry_openai_typed", BOTH);
}

#[test]
fn key_entry_sending() {
    let mut h = key_sending();
    assert_no_secret(&mut h);
    snap(&mut h, "key_entry_sending", BOTH);
}

#[test]
fn key_entry_save_failed() {
    let mut h = key_save_failed();
    assert!(h.model.server.key_form.as_ref().unwrap().error.is_some());
    assert_no_secret(&mut h);
    snap(&mut h, "key_entry_save_failed", BOTH);
}

#[test]
fn toast_key_saved() {
    let mut h = key_saved_toast();
    assert_no_secret(&mut h);
    assert!(screen(&mut h, WIDE).contains("sk-…1234"));
    snap(&mut h, "toast_key_saved", BOTH);
}

// Models

/// The Models screen on `provider`'s tab (of `category`: Google has three).
fn models_tab(provider: &str, category: &str) -> Harness {
    let mut h = press(Harness::loaded(), "2");
    for _ in 0..30 {
        let tab = h.model.current_tab().unwrap();
        if tab.id == provider && tab.category.label() == category {
            return h;
        }
        h.key(KeyCode::Right);
    }
    panic!("no {category} tab for {provider}");
}

/// Filters the OpenAI tab.
fn models_filter(text: &str) -> Harness {
    press(models_tab("openai", "LLM"), &format!("/{text}"))
}

snapshots! {
    models_loading => press(Harness::new(), "2");
    models_loaded_deepgram => models_tab("deepgram", "STT");
    models_loaded_openai => models_tab("openai", "LLM");
    models_loaded_elevenlabs => models_tab("elevenlabs", "TTS");
    models_filtered => models_filter("4.1m");
    models_no_match => models_filter("zzzz");
    models_search_across_providers => models_filter("=mini");
    models_catalog_unavailable => press(
        failing(|c| matches!(c, Call::Catalog), ApiError::NotFound("no route".into())),
        "2",
    );
    models_pick_stt_for_editor => {
        let mut h = open_editor();
        focus(&mut h, Field::SttModel);
        keys(h, &[KeyCode::Enter])
    };
}

// Assistants

fn many_assistants(count: usize) -> State {
    let assistants = (1..=count)
        .map(|i| assistant(&format!("a-{i}"), &format!("Assistant {i:04}")))
        .collect();
    State {
        assistants,
        ..sample_state()
    }
}

/// Two keys of yours and one of the platform's: the Keys cell is the
/// widest of the samples.
fn two_keys_of_yours() -> State {
    State {
        byok: byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-1", "…3c4d"),
        ]),
        ..sample_state()
    }
}

#[test]
fn the_list_gives_ages_for_times_and_never_cuts_the_platform_mark() {
    let mut h = press(with_state(two_keys_of_yours()), "3");
    let wide = screen(&mut h, WIDE);
    assert!(wide.contains("deepgram ● openai ● +1 ○"), "{wide}");
    assert!(wide.contains("3m ago"), "{wide}");
    assert!(
        !wide.contains("09:30:00"),
        "the full time is in the editor: {wide}"
    );
    assert!(wide.contains("Reception NL"), "{wide}");
    let narrow = screen(&mut h, NARROW);
    let row = narrow.lines().find(|l| l.contains("Reception NL")).unwrap();
    assert!(row.contains("+1 ○"), "{narrow}");
    h.key(KeyCode::Enter);
    assert!(screen(&mut h, WIDE).contains("updated 2026-11-26 09:30:00 UTC"));
}

/// The seed's set-up: a key of yours for each of the three providers.
#[test]
fn three_keys_of_yours_fit_the_keys_column_at_120() {
    let state = State {
        byok: byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-1", "…3c4d"),
            ("elevenlabs", "sec-el-1", "…5e6f"),
        ]),
        ..sample_state()
    };
    let mut h = press(with_state(state), "3");
    let wide = screen(&mut h, WIDE);
    assert!(wide.contains("deepgram ● openai ● elevenlabs ●"), "{wide}");
}

snapshots! {
    assistants_loading => press(Harness::new(), "3");
    assistants_loaded => press(Harness::loaded(), "3");
    assistants_empty => press(with_state(many_assistants(0)), "3");
    assistants_error => press(failing(|c| matches!(c, Call::Assistants), ApiError::Server {
        status: 500,
        message: "database is locked".into(),
    }), "3");
    assistants_filtered => press(Harness::loaded(), "3/supp");
    assistants_sorted_name_descending => press(Harness::loaded(), "3ss");
    assistants_exact_filter => press(Harness::loaded(), "3/=SUPPORT");
    assistants_two_keys_of_yours => press(with_state(two_keys_of_yours()), "3");
    models_sorted_by_id => press(Harness::loaded(), "2s");
    providers_filtered => press(Harness::loaded(), "/=labs");
}

#[test]
fn assistants_five_thousand() {
    let mut h = press(with_state(many_assistants(5000)), "3");
    (0..4321).for_each(|_| h.key(KeyCode::Down));
    assert_eq!(h.model.server.assistants.list.selected(), 4321);
    for size in BOTH {
        let text = screen(&mut h, *size);
        assert!(text.contains("Assistants 4322/5000"), "{text}");
        assert!(
            text.contains("Assistant 4322"),
            "selection off screen:\n{text}"
        );
    }
    snap(&mut h, "assistants_five_thousand", BOTH);
}

// Editor

/// The editor as it opens, from the list's copy, before the fresh one arrives.
fn open_editor_fetching() -> Harness {
    keys(press(Harness::loaded(), "3"), &[KeyCode::Enter])
}

fn answer_fetch(mut h: Harness, result: Result<Answer, ApiError>) -> Harness {
    let (id, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply(id, result);
    h
}

fn open_editor() -> Harness {
    let reply = Answer::Assistant {
        assistant: Box::new(assistant("a-1", "Reception NL")),
        etag: Some("\"1\"".into()),
    };
    answer_fetch(open_editor_fetching(), Ok(reply))
}

fn focus(h: &mut Harness, field: Field) {
    while h.model.server.editor.as_ref().unwrap().focus != field {
        h.key(KeyCode::Tab);
    }
}

fn edit_name() -> Harness {
    press(keys(open_editor(), &[KeyCode::End]), " 2")
}

/// The sample after the server found the stored Deepgram key invalid.
fn deepgram_failed_its_check() -> Harness {
    let mut h = Harness::loaded();
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('t'));
    let (id, _) = h.take(|c| matches!(c, Call::CheckStored { .. }));
    let check = serde_json::from_value(json!({
        "provider": "deepgram", "result": "invalid", "checked_by": "server",
        "reason": "Deepgram refused the key (401)", "checked_at": "2026-12-02T10:03:04Z"
    }))
    .unwrap();
    h.reply(id, Ok(Answer::Check(Box::new(check))));
    h
}

/// Replaces the temperature (0.7) with `value`.
fn editor_temperature(value: &str) -> Harness {
    let mut h = open_editor();
    focus(&mut h, Field::Temperature);
    press(keys(h, &[KeyCode::Backspace; 3]), value)
}

fn edit_messages() -> Harness {
    let mut h = open_editor();
    focus(&mut h, Field::Messages);
    h.key(KeyCode::Enter);
    h.ctrl('n');
    h.type_text("What are your opening hours?");
    h
}

fn save_failing(error: ApiError) -> Harness {
    let mut h = edit_name();
    h.ctrl('s');
    let (id, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(id, Err(error));
    h
}

/// A first message longer than the preview is wide: it wraps between words.
fn long_first_message() -> Harness {
    let mut h = open_editor();
    focus(&mut h, Field::FirstMessage);
    press(
        keys(h, &[KeyCode::Backspace; 5]),
        "Welcome to the reception desk of Acme Voice; this call may be recorded for quality-assurance purposes.",
    )
}

fn open_language_picker() -> Harness {
    let mut h = open_editor();
    focus(&mut h, Field::SttLanguage);
    keys(h, &[KeyCode::Enter])
}

snapshots! {
    editor_new => press(Harness::loaded(), "4n");
    editor_existing => open_editor();
    editor_edited => edit_name();
    editor_invalid_temperature => editor_temperature("3");
    editor_messages => edit_messages();
    editor_fetching => open_editor_fetching();
    editor_fetch_failed => answer_fetch(open_editor_fetching(), Err(ApiError::Timeout));
    editor_conflict => save_failing(ApiError::PreconditionFailed("stale".into()));
    editor_save_failed => save_failing(ApiError::Unreachable("connection reset".into()));
    editor_saving => { let mut h = edit_name(); h.ctrl('s'); h };
    editor_preview at &[NARROW] => { let mut h = edit_name(); h.ctrl('p'); h };
    editor_language_picker => open_language_picker();
    editor_long_first_message at &[WIDE] => long_first_message();
    editor_long_first_message_preview at &[NARROW] => { let mut h = long_first_message(); h.ctrl('p'); h };
    editor_smallest at SMALLEST => open_editor();
    editor_new_smallest at SMALLEST => press(Harness::loaded(), "4n");
}

// Overlays

snapshots! {
    help_providers => press(Harness::loaded(), "?");
    help_models => press(Harness::loaded(), "3?");
    help_assistants => press(Harness::loaded(), "4?");
    help_providers_smallest at SMALLEST => press(Harness::loaded(), "?");
    confirm_remove_key => press(Harness::loaded(), "d");
    confirm_remove_key_many_users => press(with_state(many_assistants(30)), "d");
    confirm_delete_assistant => press(Harness::loaded(), "4d");
    confirm_discard_edits => keys(edit_name(), &[KeyCode::Esc]);
    confirm_save_with_a_failed_key => {
        let opened = keys(press(deepgram_failed_its_check(), "3"), &[KeyCode::Enter]);
        let reply = Answer::Assistant {
            assistant: Box::new(assistant("a-1", "Reception NL")),
            etag: Some("\"1\"".into()),
        };
        let mut h = press(keys(answer_fetch(opened, Ok(reply)), &[KeyCode::End]), " 2");
        h.ctrl('s');
        h
    };
    confirm_quit_unsaved => {
        let mut h = press(Harness::loaded(), "4nDraft");
        h.ctrl('c');
        h
    };
    toast_remove_unconfigured => press(keys(Harness::loaded(), &[KeyCode::Right]), "d");
}

// The command line

snapshots! {
    command_typing => press(Harness::loaded(), ":models deep");
    command_completions => keys(press(Harness::loaded(), ":pro"), &[KeyCode::Tab]);
    command_help => keys(press(Harness::loaded(), ":help"), &[KeyCode::Enter]);
    command_unknown => keys(press(Harness::loaded(), ":frobnicate"), &[KeyCode::Enter]);
}

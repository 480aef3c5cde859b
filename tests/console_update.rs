//! The console's `update` for every user action and every API outcome.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod console_support;

use std::time::{Duration, Instant};

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;
use voicedock::client::ApiError;
use voicedock::console::app::{Connection, PickTarget, Remote, Screen};
use voicedock::console::editor::{Field, text_of};
use voicedock::console::msg::{Call, Msg, Reply};
use voicedock::domain::validate::Authority;
use voicedock::domain::{Catalog, CatalogSource};

#[test]
fn start_up_asks_for_everything_and_shows_loading() {
    let h = Harness::new();
    assert_eq!(h.outbox.len(), 4);
    assert!(matches!(h.model.byok, Remote::Loading));
    assert_eq!(h.model.in_flight(), 4);
    assert!(
        h.model.needs_tick(),
        "the spinner runs while requests are in flight"
    );
}

#[test]
fn replies_fill_the_model_and_idle_stops_ticking() {
    let h = Harness::loaded();
    assert!(
        h.model
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("deepgram")
    );
    assert_eq!(h.model.assistants.loaded().unwrap().len(), 2);
    assert_eq!(h.model.connection, Connection::Ok);
    assert_eq!(h.model.in_flight(), 0);
    assert!(!h.model.needs_tick(), "nothing moves, so nothing ticks");
}

#[test]
fn a_superseded_reply_is_dropped() {
    let mut h = Harness::new();
    let (old, _) = h.take(|c| matches!(c, Call::Byok));
    h.key(KeyCode::Char('r'));
    h.reply(
        old,
        Ok(Answer::Byok(byok(&[("openai", "stale", "sk-…0000")]))),
    );
    assert!(
        matches!(h.model.byok, Remote::Loading),
        "the old answer must not land"
    );
    let (new, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(
        new,
        Ok(Answer::Byok(byok(&[("openai", "fresh", "sk-…1111")]))),
    );
    assert_eq!(
        h.model.byok.loaded().unwrap().byok_keys.secret_id("openai"),
        Some("fresh")
    );
}

#[test]
fn arrows_and_hjkl_move_the_provider_focus_within_bounds() {
    let mut h = Harness::loaded();
    // Ten providers do not fit as panels at 120×40: a list, one row a step.
    h.model.size = (120, 40);
    assert_eq!(h.model.provider_focus, 0);
    h.key(KeyCode::Char('j'));
    h.key(KeyCode::Down);
    assert_eq!(h.model.provider_focus, 2, "down one row at a time");
    for _ in 0..12 {
        h.key(KeyCode::Right);
    }
    assert_eq!(h.model.provider_focus, 9, "stops at the last row");
    h.key(KeyCode::Char('k'));
    assert_eq!(h.model.provider_focus, 8);
    // Four across from 140 columns, with room for three rows of panels.
    h.model.size = (160, 45);
    h.key(KeyCode::Up);
    assert_eq!(h.model.provider_focus, 4, "up one row of four");
    h.key(KeyCode::Char('l'));
    h.key(KeyCode::Down);
    assert_eq!(h.model.provider_focus, 9);
    h.model.size = (80, 24);
    h.key(KeyCode::Up);
    assert_eq!(
        h.model.provider_focus, 8,
        "a list again: every row is reachable"
    );
}

#[test]
fn screens_switch_with_digits_and_tab() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    assert_eq!(h.model.screen, Screen::Models);
    h.key(KeyCode::Char('3'));
    assert_eq!(h.model.screen, Screen::Assistants);
    h.key(KeyCode::Tab);
    assert_eq!(h.model.screen, Screen::Providers);
    h.key(KeyCode::BackTab);
    assert_eq!(h.model.screen, Screen::Assistants);
    // Key entry is a form over Providers, not a screen of its own.
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.screen, Screen::Providers);
    assert_eq!(h.model.key_form.as_ref().unwrap().provider, "deepgram");
}

fn open_openai_form(h: &mut Harness) {
    h.focus_provider("openai");
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.key_form.as_ref().unwrap().provider, "openai");
}

#[test]
fn saving_a_key_sends_it_once_and_updates_the_panel() {
    let mut h = Harness::loaded();
    open_openai_form(&mut h);
    h.send(Msg::Paste("  sk-proj-0123456789abcdefWXYZ\n".into()));
    h.key(KeyCode::Enter);
    let (id, call) = h.take(|c| matches!(c, Call::SetKey { .. }));
    let Call::SetKey { provider, key } = call else {
        unreachable!()
    };
    assert_eq!(provider, "openai");
    assert_eq!(
        key.expose_secret(),
        "sk-proj-0123456789abcdefWXYZ",
        "trimmed"
    );
    let form = h.model.key_form.as_ref().unwrap();
    assert!(
        form.input.is_empty(),
        "the text area no longer holds the key"
    );
    assert!(form.is_sending());
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-9", "sk-…WXYZ"),
        ]))),
    );
    assert!(h.model.key_form.is_none());
    assert_eq!(h.model.screen, Screen::Providers);
    let toast = h.model.toast.as_ref().unwrap();
    assert!(
        toast.text.contains("sec-oa-9") && toast.text.contains("sk-…WXYZ"),
        "{}",
        toast.text
    );
    assert!(!toast.text.contains("0123456789"));
}

#[test]
fn an_invalid_key_is_refused_inline_and_nothing_is_sent() {
    let mut h = Harness::loaded();
    open_openai_form(&mut h);
    h.type_text("pk-0123456789abcdefghij");
    h.key(KeyCode::Enter);
    assert!(h.outbox.is_empty());
    let form = h.model.key_form.as_ref().unwrap();
    assert!(form.error.as_ref().unwrap().contains("sk-"));
    assert_eq!(
        form.input.lines()[0],
        "pk-0123456789abcdefghij",
        "nothing typed is lost"
    );
}

#[test]
fn every_failure_keeps_the_form_and_the_key() {
    let failures = [
        ApiError::Unreachable("connection refused".into()),
        ApiError::Timeout,
        ApiError::Unauthorized("bad key".into()),
        ApiError::RateLimited {
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(5)),
        },
        ApiError::Server {
            status: 500,
            message: "internal".into(),
        },
        ApiError::Malformed("not json".into()),
        ApiError::Validation {
            code: "invalid_request".into(),
            message: "OpenAI keys start with sk-".into(),
            param: Some("api_key".into()),
        },
    ];
    for failure in failures {
        let mut h = Harness::loaded();
        open_openai_form(&mut h);
        h.type_text("sk-0123456789abcdefghij");
        h.key(KeyCode::Enter);
        let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
        h.reply(id, Err(failure.clone()));
        let form = h
            .model
            .key_form
            .as_ref()
            .unwrap_or_else(|| panic!("form closed on {failure:?}"));
        assert_eq!(
            form.input.lines()[0],
            "sk-0123456789abcdefghij",
            "{failure:?}"
        );
        assert!(form.error.is_some(), "{failure:?}");
        assert!(!form.is_sending());
    }
}

#[test]
fn connection_state_follows_failures() {
    let cases = [
        (ApiError::Unreachable("refused".into()), "unreachable"),
        (ApiError::Unauthorized("no".into()), "unauthorized"),
        (
            ApiError::RateLimited {
                message: "x".into(),
                retry_after: Some(Duration::from_secs(3)),
            },
            "rate",
        ),
    ];
    for (error, expect) in cases {
        let mut h = Harness::new();
        let (id, _) = h.take(|c| matches!(c, Call::Byok));
        h.reply(id, Err(error));
        let state = format!("{:?}", h.model.connection).to_lowercase();
        assert!(state.contains(expect), "{state}");
        assert!(matches!(h.model.byok, Remote::Failed(_)));
    }
}

#[test]
fn the_rate_limit_countdown_ends() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Account));
    let at = Instant::now();
    h.send(Msg::Api {
        id,
        received: at,
        reply: Reply::Account(Err(ApiError::RateLimited {
            message: "x".into(),
            retry_after: Some(Duration::from_secs(2)),
        })),
    });
    assert!(h.model.needs_tick());
    h.send(Msg::Tick(at + Duration::from_secs(1)));
    assert!(matches!(h.model.connection, Connection::RateLimited { .. }));
    h.send(Msg::Tick(at + Duration::from_secs(3)));
    assert_eq!(h.model.connection, Connection::Unknown);
}

#[test]
fn a_missing_catalog_degrades_only_the_models_screen() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Catalog));
    h.reply(
        id,
        Ok(Answer::Catalog(
            Box::new(Catalog::builtin()),
            CatalogSource::BuiltIn,
        )),
    );
    assert_eq!(h.model.catalog_source, CatalogSource::BuiltIn);
    assert!(matches!(h.model.config, Remote::Loaded(_)));
    assert_eq!(h.model.connection, Connection::Ok);
    h.key(KeyCode::Char('2'));
    assert!(h.render(100, 20).contains("built-in catalog"));
}

#[test]
fn removing_a_key_asks_first_and_names_the_assistants() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('d'));
    let confirm = h.model.confirm.as_ref().expect("asks first");
    let text = confirm.lines.join(" ");
    assert!(
        text.contains("Reception NL")
            && text.contains("Support EN")
            && text.contains("default keys"),
        "{text}"
    );
    h.key(KeyCode::Char('n'));
    assert!(h.model.confirm.is_none() && h.outbox.is_empty());
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('y'));
    let (id, call) = h.take(|c| matches!(c, Call::DeleteKey { .. }));
    assert!(matches!(call, Call::DeleteKey { provider } if provider == "deepgram"));
    h.reply(id, Ok(Answer::Byok(byok(&[]))));
    assert!(
        !h.model
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("deepgram")
    );
    assert!(
        h.model
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("2 assistants")
    );
}

#[test]
fn removing_an_unconfigured_key_explains_instead() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Right);
    h.key(KeyCode::Char('d'));
    assert!(h.model.confirm.is_none());
    assert!(
        h.model
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("default keys")
    );
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('?'));
    assert!(h.model.help);
    h.key(KeyCode::Esc);
    assert!(!h.model.help);
}

#[test]
fn quit_is_immediate_without_edits_and_asks_with_them() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('q'));
    assert!(h.model.quit);

    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.ctrl('c');
    assert!(!h.model.quit);
    assert!(h.model.confirm.is_some());
    h.key(KeyCode::Esc);
    assert_eq!(
        text_of(&h.model.editor.as_ref().unwrap().name),
        "Draft",
        "declining keeps the edits"
    );
    h.ctrl('c');
    h.key(KeyCode::Char('y'));
    assert!(h.model.quit);
}

#[test]
fn the_models_filter_ranks_as_you_type() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    let tabs = voicedock::console::update::model_tabs(&h.model);
    let config = h.model.config.loaded().unwrap();
    let openai = tabs
        .iter()
        .position(|&i| config.providers[i].id == "openai")
        .unwrap();
    for _ in 0..openai {
        h.key(KeyCode::Right);
    }
    h.key(KeyCode::Char('/'));
    h.type_text("4.1m");
    let visible = voicedock::console::update::visible_models(&h.model);
    assert_eq!(visible[0].id, "gpt-4.1-mini");
    h.key(KeyCode::Esc);
    assert!(h.model.models.list.filter.is_empty());
}

fn new_seed_assistant(h: &mut Harness) {
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("My Assistant");
    // STT model: Enter opens the Models screen for Deepgram.
    for _ in 0..2 {
        h.key(KeyCode::Tab);
    }
    assert_eq!(h.model.editor.as_ref().unwrap().focus, Field::SttModel);
    h.key(KeyCode::Enter);
    assert_eq!(h.model.screen, Screen::Models);
    assert_eq!(h.model.models.target, Some(PickTarget::SttModel));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter); // nova-3-general, below the default nova-3
    assert_eq!(h.model.screen, Screen::Assistants);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter); // language picker
    h.type_text("nl");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('/'));
    h.type_text("gpt-4o");
    h.key(KeyCode::Enter); // leave the filter
    h.key(KeyCode::Down);
    h.key(KeyCode::Up);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Tab);
    h.type_text("0.7");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter); // messages
    h.type_text("You are a helpful receptionist.");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Tab); // the LLM voice: a text LLM has none
    h.key(KeyCode::Tab);
    h.type_text("your-voice-id");
}

#[test]
fn creating_an_assistant_sends_the_seed_body() {
    let mut h = Harness::loaded();
    new_seed_assistant(&mut h);
    let editor = h.model.editor.as_ref().unwrap();
    assert!(editor.is_dirty());
    assert_eq!(
        editor.validation(&h.model.catalog, Authority::Binding),
        None
    );
    h.ctrl('s');
    let (id, call) = h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    let Call::CreateAssistant { draft } = call else {
        unreachable!()
    };
    let body = serde_json::to_value(&draft).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "My Assistant",
            "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
            "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                           "messages": [{"role": "system", "content": "You are a helpful receptionist."}]},
            "tts_config": {"provider": "elevenlabs", "voice_id": "your-voice-id"}
        })
    );
    let mut created = assistant("a-3", "My Assistant");
    created.revision = Some(1);
    h.reply_assistant(id, created, Some("\"1\""));
    let editor = h.model.editor.as_ref().unwrap();
    assert!(!editor.is_new() && !editor.is_dirty());
    assert_eq!(h.model.assistants.loaded().unwrap().len(), 3);
    assert!(h.model.toast.as_ref().unwrap().text.contains("Created"));
}

#[test]
fn invalid_edits_are_flagged_before_sending() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.ctrl('s');
    assert!(h.outbox.is_empty());
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(editor.server_error.as_ref().unwrap().param, "name");
    assert_eq!(editor.focus, Field::Name);
}

fn open_first(h: &mut Harness) -> u64 {
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Enter);
    assert!(h.model.editor.is_some(), "opens at once");
    let (id, call) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    assert!(matches!(call, Call::GetAssistant { id } if id == "a-1"));
    id
}

/// Opens the first assistant and answers its fetch with the server's copy.
fn open_first_fresh(h: &mut Harness, etag: Option<&str>) {
    let id = open_first(h);
    let assistant = Box::new(assistant("a-1", "Reception NL"));
    h.reply(
        id,
        Ok(Answer::Assistant {
            assistant,
            etag: etag.map(str::to_owned),
        }),
    );
}

#[test]
fn editing_sends_only_the_changes_with_if_match() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h.key(KeyCode::End);
    h.type_text(" 2");
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant {
        id,
        changes,
        if_match,
    } = call
    else {
        unreachable!()
    };
    assert_eq!(id, "a-1");
    assert_eq!(
        serde_json::to_string(&changes).unwrap(),
        r#"{"name":"Reception NL 2"}"#
    );
    assert_eq!(if_match.as_deref(), Some("\"1\""));
}

#[test]
fn a_conflict_offers_reload_and_keeps_the_edits() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h.key(KeyCode::End);
    h.type_text(" mine");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(save, Err(ApiError::PreconditionFailed("stale".into())));
    let editor = h.model.editor.as_ref().unwrap();
    assert!(editor.conflict);
    assert!(
        editor
            .server_error
            .as_ref()
            .unwrap()
            .message
            .contains("C-r loads their version")
    );
    h.ctrl('r');
    let (reload, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    let mut theirs = assistant("a-1", "Reception NL");
    theirs.first_message = Some("Goedemiddag".into());
    theirs.revision = Some(2);
    h.reply_assistant(reload, theirs, Some("\"2\""));
    let editor = h.model.editor.as_ref().unwrap();
    assert!(!editor.conflict);
    assert_eq!(text_of(&editor.name), "Reception NL mine");
    assert_eq!(text_of(&editor.first_message), "Goedemiddag");
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant {
        changes, if_match, ..
    } = call
    else {
        unreachable!()
    };
    assert_eq!(
        serde_json::to_string(&changes).unwrap(),
        r#"{"name":"Reception NL mine"}"#
    );
    assert_eq!(if_match.as_deref(), Some("\"2\""));
}

#[test]
fn a_server_validation_error_lands_on_its_field() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.type_text("x");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(
        save,
        Err(ApiError::Validation {
            code: "invalid_request".into(),
            message: "too long".into(),
            param: Some("name".into()),
        }),
    );
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(editor.server_error.as_ref().unwrap().param, "name");
    assert_eq!(text_of(&editor.name), "Reception NLx");
}

#[test]
fn leaving_with_unsaved_edits_asks_first() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.key(KeyCode::Esc);
    assert!(h.model.editor.is_none(), "clean: leaves at once");
    let _ = open_first(&mut h);
    h.type_text("!");
    h.key(KeyCode::Esc);
    assert!(h.model.confirm.is_some() && h.model.editor.is_some());
    h.key(KeyCode::Enter);
    assert!(
        h.model.editor.is_some(),
        "Enter is not an answer to a destructive question"
    );
    h.key(KeyCode::Char('y'));
    assert!(h.model.editor.is_none());
}

#[test]
fn deleting_an_assistant_asks_then_removes_it() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Char('d'));
    assert!(h.model.confirm.as_ref().unwrap().lines[0].contains("Support EN"));
    h.key(KeyCode::Char('y'));
    let (id, call) = h.take(|c| matches!(c, Call::DeleteAssistant { .. }));
    assert!(matches!(call, Call::DeleteAssistant { id } if id == "a-2"));
    h.reply(id, Ok(Answer::Ok));
    assert_eq!(h.model.assistants.loaded().unwrap().len(), 1);
}

#[test]
fn the_assistant_filter_matches_names_and_models() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.type_text("supp");
    assert_eq!(h.model.assistant_list.visible, vec![1]);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.model
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
fn toasts_expire_with_ticks() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Right);
    h.key(KeyCode::Char('d'));
    assert!(h.model.toast.is_some());
    for _ in 0..voicedock::console::update::TOAST_TICKS {
        h.send(Msg::Tick(Instant::now()));
    }
    assert!(h.model.toast.is_none());
    assert!(!h.model.needs_tick());
}

#[test]
fn models_only_the_server_knows_pass_inline_validation() {
    let mut state = sample_state();
    // The hosted service's shape: no `configured`, no `languages`, a model this build lacks.
    let config = serde_json::from_value(serde_json::json!({"providers": [
        {"id": "deepgram", "name": "Deepgram", "category": "stt", "models": [{"id": "nova-3-medical", "name": "Nova 3 Medical", "default": true}]},
        {"id": "openai", "name": "OpenAI", "category": "llm", "models": [{"id": "gpt-5", "name": "GPT-5", "default": true}]}
    ]}))
    .unwrap();
    state.catalog = Catalog::from_byok_config(&config, &Catalog::builtin());
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Clinic");
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter); // nova-3-medical
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter); // gpt-5
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(
        editor.stt.as_ref().unwrap().model.as_deref(),
        Some("nova-3-medical")
    );
    assert_eq!(
        editor.validation(&h.model.catalog, Authority::Binding),
        None
    );
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    let Call::CreateAssistant { draft } = call else {
        unreachable!()
    };
    assert_eq!(
        draft.llm_config.unwrap().unwrap().model.as_deref(),
        Some("gpt-5")
    );
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
        text_of(&h.model.editor.as_ref().unwrap().name),
        "Draft",
        "nothing typed into hidden fields"
    );
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    h.send(Msg::Resize(30, 10));
    h.key(KeyCode::Char('q'));
    assert!(h.model.quit);
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
    assert!(!h.model.quit, "unsaved edits: nothing quits unseen");
    let screen = h.render(30, 10);
    assert!(
        screen.contains("Quit?") && screen.contains("y yes"),
        "{screen}"
    );
    h.key(KeyCode::Char('n'));
    assert!(h.model.confirm.is_none() && !h.model.quit);
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.model.quit, "the quit key twice quits");
}

#[test]
fn the_key_form_guards_a_typed_key() {
    let mut h = Harness::loaded();
    open_openai_form(&mut h);
    h.key(KeyCode::Tab);
    assert!(
        h.model.key_form.is_none(),
        "an empty form lets Tab cycle on"
    );
    assert_eq!(h.model.screen, Screen::Models);
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('a'));
    h.type_text("sk-abc");
    h.key(KeyCode::Tab);
    assert_eq!(
        h.model.key_form.as_ref().unwrap().input.lines()[0],
        "sk-abc",
        "Tab types nothing and keeps the form"
    );
    h.key(KeyCode::Esc);
    assert!(h.model.confirm.is_some() && h.model.key_form.is_some());
    h.key(KeyCode::Char('n'));
    assert_eq!(
        h.model.key_form.as_ref().unwrap().input.lines()[0],
        "sk-abc"
    );
    h.ctrl('c');
    assert!(!h.model.quit, "quitting asks when a key was typed");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    assert!(h.model.key_form.is_none());
}

#[test]
fn removing_a_key_of_unknown_status_asks_for_a_refresh() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(id, Err(ApiError::Unreachable("refused".into())));
    h.key(KeyCode::Char('d'));
    assert!(h.model.confirm.is_none());
    assert!(h.model.toast.as_ref().unwrap().text.contains("refresh"));
}

#[test]
fn a_failed_refresh_keeps_what_was_shown_and_recovery_reloads_what_failed() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('r'));
    let (byok, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(byok, Err(ApiError::Unreachable("refused".into())));
    assert!(h.model.byok.loaded().is_some(), "the keys stay on screen");
    assert!(
        h.model
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("Could not refresh")
    );

    let mut h = Harness::new();
    let (account, _) = h.take(|c| matches!(c, Call::Account));
    h.reply(account, Err(ApiError::Unreachable("refused".into())));
    let (byok, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(byok, Ok(Answer::Byok(byok_state())));
    assert!(
        h.outbox.iter().any(|(_, c)| matches!(c, Call::Account)),
        "the account is asked for again"
    );
}

fn byok_state() -> voicedock::domain::ByokState {
    byok(&[])
}

#[test]
fn the_preview_is_read_only_and_scrolls() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.ctrl('p');
    h.type_text("Zj");
    h.key(KeyCode::Down);
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(
        text_of(&editor.name),
        "Reception NL",
        "keys do not reach the form"
    );
    assert_eq!(editor.preview_scroll, 2);
    h.key(KeyCode::Esc);
    let editor = h.model.editor.as_ref().unwrap();
    assert!(
        !editor.preview && h.model.confirm.is_none(),
        "Esc closes the preview, nothing else"
    );
}

#[test]
fn pasted_prompts_keep_their_lines_and_blank_messages_are_not_sent() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    for _ in 0..6 {
        h.key(KeyCode::Tab);
    }
    h.key(KeyCode::Enter); // messages
    h.ctrl('n');
    h.send(Msg::Paste("Line one\rLine two\r".into()));
    h.ctrl('n');
    h.key(KeyCode::Esc);
    let draft = h.model.editor.as_ref().unwrap().draft().unwrap();
    let messages = draft.llm_config.unwrap().unwrap().messages.unwrap();
    assert_eq!(messages.len(), 2, "the blank third message is left out");
    assert_eq!(messages[1].content, "Line one\nLine two\n");
}

#[test]
fn esc_clears_a_list_filter_before_anything_else() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('/'));
    h.type_text("supp");
    h.key(KeyCode::Enter);
    assert_eq!(h.model.assistant_list.visible.len(), 1);
    h.key(KeyCode::Esc);
    assert!(h.model.assistant_list.filter.is_empty());
    assert_eq!(h.model.assistant_list.visible.len(), 2);
}

#[test]
fn a_read_only_session_refuses_every_change_and_says_why() {
    let mut h = Harness::loaded();
    h.cx.read_only = true;
    h.key(KeyCode::Char('a'));
    assert!(h.model.key_form.is_none());
    assert!(h.model.toast.as_ref().unwrap().text.contains("Read-only"));
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('2'));
    assert!(h.model.confirm.is_none() && h.model.key_form.is_none());
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.key(KeyCode::Char('d'));
    assert!(h.model.editor.is_none() && h.model.confirm.is_none());
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
    h.cx.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.key(KeyCode::Char('q'));
    assert!(!h.model.quit, "q is no longer quit");
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
fn an_unreachable_server_is_asked_again_with_backoff() {
    let mut h = Harness::new();
    let at = Instant::now();
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    h.fail_at(id, at, ApiError::Unreachable("refused".into()));
    assert!(h.model.needs_tick(), "the retry countdown is on screen");
    h.outbox.clear();
    h.send(Msg::Tick(at + Duration::from_millis(500)));
    assert!(h.outbox.is_empty(), "not yet");
    h.send(Msg::Tick(at + Duration::from_secs(3)));
    let (retry, _) = h.take(|c| matches!(c, Call::Byok));
    // Still away: the next wait is longer.
    let later = at + Duration::from_secs(3);
    h.fail_at(retry, later, ApiError::Unreachable("refused".into()));
    h.send(Msg::Tick(later + Duration::from_secs(3)));
    assert!(
        h.outbox.iter().all(|(_, c)| !matches!(c, Call::Byok)),
        "backed off beyond 2 s"
    );
    h.send(Msg::Tick(later + Duration::from_secs(5)));
    let (again, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(again, Ok(Answer::Byok(byok(&[]))));
    assert_eq!(h.model.connection, Connection::Ok);
    assert!(!h.model.needs_tick() || h.model.in_flight() > 0);
}

#[test]
fn a_reload_after_a_conflict_says_what_they_changed_and_what_clashed() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h.key(KeyCode::Tab);
    h.key(KeyCode::End);
    h.type_text(" there");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(save, Err(ApiError::PreconditionFailed("stale".into())));
    h.ctrl('r');
    let (reload, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    let mut theirs = assistant("a-1", "Receptie");
    theirs.first_message = Some("Goedendag".into());
    let assistant = Box::new(theirs);
    h.reply(
        reload,
        Ok(Answer::Assistant {
            assistant,
            etag: Some("\"2\"".into()),
        }),
    );
    let editor = h.model.editor.as_ref().unwrap();
    let notice = editor.notice.as_deref().unwrap();
    assert!(notice.contains("name, first message"), "{notice}");
    assert!(
        notice.contains("You both changed first message"),
        "{notice}"
    );
    assert_eq!(
        text_of(&editor.name),
        "Receptie",
        "their change where I made none"
    );
    assert_eq!(
        text_of(&editor.first_message),
        "Hello there",
        "mine where both changed"
    );
}

#[test]
fn an_assistant_deleted_elsewhere_becomes_a_new_one_to_save() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.type_text("!");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(save, Err(ApiError::NotFound("gone".into())));
    let editor = h.model.editor.as_ref().unwrap();
    assert!(editor.is_new());
    assert!(
        editor
            .server_error
            .as_ref()
            .unwrap()
            .message
            .contains("new assistant")
    );
    assert_eq!(
        h.model.assistants.loaded().unwrap().len(),
        1,
        "the row is gone"
    );
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    let Call::CreateAssistant { draft } = call else {
        unreachable!()
    };
    assert_eq!(draft.name.as_deref(), Some("Reception NL!"));

    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('y'));
    let (id, _) = h.take(|c| matches!(c, Call::DeleteAssistant { .. }));
    h.reply(id, Err(ApiError::NotFound("gone".into())));
    assert_eq!(
        h.model.assistants.loaded().unwrap().len(),
        1,
        "already deleted is deleted"
    );
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
    let list = &h.model.assistant_list;
    assert_eq!((list.selected, list.offset), (30, 8));
    h.key(KeyCode::Up);
    assert_eq!(
        h.model.assistant_list.offset, 8,
        "moving back up inside the page scrolls nothing"
    );
    h.key(KeyCode::End);
    assert_eq!(h.model.assistant_list.selected, 299);
    h.key(KeyCode::PageUp);
    assert_eq!(h.model.assistant_list.selected, 276);
    h.key(KeyCode::Char('g'));
    assert_eq!(
        (
            h.model.assistant_list.selected,
            h.model.assistant_list.offset
        ),
        (0, 0)
    );
    assert!(h.render(100, 30).contains("Assistants 1/300"));
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
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(
        text_of(&editor.name),
        "Draft",
        "the key went nowhere near the name"
    );
}

#[test]
fn ctrl_c_twice_quits_even_with_unsaved_edits() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Draft");
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.model.quit);
}

#[test]
fn tab_goes_from_providers_to_models_and_back() {
    let mut h = Harness::loaded();
    h.cx.read_only = true;
    h.key(KeyCode::Tab);
    assert_eq!(h.model.screen, Screen::Models);
    h.key(KeyCode::BackTab);
    assert_eq!(h.model.screen, Screen::Providers);
}

#[test]
fn one_outage_doubles_the_wait_once_however_many_requests_failed() {
    let mut h = Harness::new();
    let at = Instant::now();
    for (id, _) in std::mem::take(&mut h.outbox) {
        h.fail_at(id, at, ApiError::Unreachable("refused".into()));
    }
    h.send(Msg::Tick(at + Duration::from_secs(2)));
    assert_eq!(
        h.outbox.len(),
        4,
        "all four loads are asked again after the first wait"
    );
}

#[test]
fn a_prompt_ending_in_a_line_break_opens_unmodified() {
    let mut a = assistant("a-1", "Reception NL");
    a.llm_config.as_mut().unwrap().messages.as_mut().unwrap()[0].content = "Be brief.\r\n".into();
    let editor = voicedock::console::editor::Editor::open(a, None, &Catalog::builtin());
    assert!(!editor.is_dirty());
}

#[test]
fn typing_during_a_save_is_kept_and_stays_unsaved() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.type_text("X");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.type_text("Y");
    assert_eq!(
        text_of(&h.model.editor.as_ref().unwrap().name),
        "Reception NLXY",
        "the form stays editable while the save is in flight"
    );
    let mut saved = assistant("a-1", "Reception NLX");
    saved.revision = Some(2);
    h.reply_assistant(save, saved, Some("\"2\""));
    let editor = h.model.editor.as_ref().unwrap();
    assert_eq!(
        text_of(&editor.name),
        "Reception NLXY",
        "nothing typed is lost"
    );
    assert!(editor.is_dirty(), "the later edit is still to be saved");
    assert_eq!(
        editor.etag.as_deref(),
        Some("\"2\""),
        "the next save sends the new version"
    );
    assert!(
        h.toast_text().contains("later edits are not saved"),
        "{}",
        h.toast_text()
    );
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant {
        changes, if_match, ..
    } = call
    else {
        unreachable!()
    };
    assert_eq!(changes.name.as_deref(), Some("Reception NLXY"));
    assert_eq!(if_match.as_deref(), Some("\"2\""));
}

#[test]
fn a_discard_question_asked_during_a_save_goes_when_the_save_lands() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.type_text("X");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.key(KeyCode::Esc);
    assert!(
        h.model.confirm.is_some(),
        "unsaved until the server answers"
    );
    let mut saved = assistant("a-1", "Reception NLX");
    saved.revision = Some(2);
    h.reply_assistant(save, saved, None);
    assert!(h.model.confirm.is_none(), "nothing is left to discard");
    assert!(h.model.editor.is_none(), "the user asked to leave");
}

#[test]
fn a_conflict_stands_until_the_form_can_be_merged() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.type_text("x"); // temperature "0.7x"
    h.model.editor.as_mut().unwrap().conflict = true;
    h.ctrl('r');
    let (reload, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(reload, assistant("a-1", "Theirs"), Some("\"2\""));
    let editor = h.model.editor.as_ref().unwrap();
    assert!(editor.conflict);
    assert_eq!(
        editor.etag.as_deref(),
        Some("\"1\""),
        "not merged, so not their revision either"
    );
    assert!(
        editor
            .server_error
            .as_ref()
            .unwrap()
            .param
            .contains("temperature")
    );
}

#[test]
fn a_load_error_for_one_assistant_is_not_shown_on_another() {
    let mut h = Harness::loaded();
    let first = open_first(&mut h);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.reply(
        first,
        Err(ApiError::Server {
            status: 500,
            message: "boom".into(),
        }),
    );
    assert!(h.model.editor.as_ref().unwrap().server_error.is_none());
}

#[test]
fn a_save_before_the_fetch_lands_still_carries_if_match() {
    let mut h = Harness::loaded();
    let _ = open_first(&mut h);
    h.type_text("!");
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant { if_match, .. } = call else {
        unreachable!()
    };
    assert_eq!(if_match.as_deref(), Some("\"1\""));
}

#[test]
fn the_list_hears_of_a_save_whose_editor_was_closed() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Late");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    let created = Box::new(assistant("a-9", "Late"));
    h.reply(
        save,
        Ok(Answer::Assistant {
            assistant: created.clone(),
            etag: None,
        }),
    );
    h.key(KeyCode::Char('r'));
    let (list, _) = h.take(|c| matches!(c, Call::Assistants));
    let mut all = sample_state().assistants;
    all.push(*created);
    h.reply(list, Ok(Answer::Assistants(all)));
    let names: Vec<_> = h
        .model
        .assistants
        .loaded()
        .unwrap()
        .iter()
        .map(|a| a.name.clone())
        .collect();
    assert_eq!(
        names.iter().filter(|n| *n == "Late").count(),
        1,
        "{names:?}"
    );
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
    h.cx.keymap = Keymap::with_overrides(&overrides).unwrap();
    h.send(Msg::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('R'),
        ratatui::crossterm::event::KeyModifiers::SHIFT,
    )));
    assert_eq!(h.outbox.len(), 4, "R with Shift held refreshes");
    open_openai_form(&mut h);
    h.type_text("sk-q");
    assert_eq!(
        h.model.key_form.as_ref().unwrap().input.lines()[0],
        "sk-q",
        "q stays a letter in the key field"
    );
}

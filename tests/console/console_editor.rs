//! The assistant editor: creating and editing an assistant, checks before
//! sending, leaving and deleting, the preview, messages and model pickers.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::app::{PickTarget, Screen};
use voicedock::console::editor::{Field, text_of};
use voicedock::console::msg::{Call, Msg};
use voicedock::domain::Catalog;
use voicedock::domain::validate::Authority;

fn new_seed_assistant(h: &mut Harness) {
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("My Assistant");
    // STT model: Enter opens the Models screen for Deepgram.
    for _ in 0..2 {
        h.key(KeyCode::Tab);
    }
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().focus,
        Field::SttModel
    );
    h.key(KeyCode::Enter);
    assert_eq!(h.model.session.screen, Screen::Models);
    assert_eq!(h.model.server.models.target(), Some(PickTarget::SttModel));
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter); // nova-3-general, below the default nova-3
    assert_eq!(h.model.session.screen, Screen::Assistants);
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
    h.focus(Field::VoiceId); // past the TTS provider and model, left to the platform
    h.type_text("your-voice-id");
}

#[test]
fn creating_an_assistant_sends_the_seed_body() {
    let mut h = Harness::loaded();
    new_seed_assistant(&mut h);
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(editor.is_dirty());
    assert_eq!(
        editor.validation(&h.model.server.catalog, Authority::Binding),
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
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(!editor.is_new() && !editor.is_dirty());
    assert_eq!(h.model.server.assistants.loaded().unwrap().len(), 3);
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("Created")
    );
}

#[test]
fn invalid_edits_are_flagged_before_sending() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.ctrl('s');
    assert!(h.outbox.is_empty());
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(editor.server_error.as_ref().unwrap().param, "name");
    assert_eq!(editor.focus, Field::Name);
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
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(editor.server_error.as_ref().unwrap().param, "name");
    assert_eq!(text_of(&editor.name), "Reception NLx");
}

#[test]
fn leaving_with_unsaved_edits_asks_first() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.key(KeyCode::Esc);
    assert!(h.model.server.editor.is_none(), "clean: leaves at once");
    let _ = open_first(&mut h);
    h.type_text("!");
    h.key(KeyCode::Esc);
    assert!(h.model.server.confirm.is_some() && h.model.server.editor.is_some());
    h.key(KeyCode::Enter);
    assert!(
        h.model.server.editor.is_some(),
        "Enter is not an answer to a destructive question"
    );
    h.key(KeyCode::Char('y'));
    assert!(h.model.server.editor.is_none());
}

#[test]
fn deleting_an_assistant_asks_then_removes_it() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Down);
    h.key(KeyCode::Char('d'));
    assert!(h.model.server.confirm.as_ref().unwrap().lines[0].contains("Support EN"));
    h.key(KeyCode::Char('y'));
    let (id, call) = h.take(|c| matches!(c, Call::DeleteAssistant { .. }));
    assert!(matches!(call, Call::DeleteAssistant { id } if id == "a-2"));
    h.reply(id, Ok(Answer::Ok));
    assert_eq!(h.model.server.assistants.loaded().unwrap().len(), 1);
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
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(
        editor.stt.as_ref().unwrap().model.as_deref(),
        Some("nova-3-medical")
    );
    assert_eq!(
        editor.validation(&h.model.server.catalog, Authority::Binding),
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
fn the_preview_is_read_only_and_scrolls() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.ctrl('p');
    h.type_text("Zj");
    h.key(KeyCode::Down);
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(
        text_of(&editor.name),
        "Reception NL",
        "keys do not reach the form"
    );
    assert_eq!(editor.preview_scroll, 2);
    h.key(KeyCode::Esc);
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(
        !editor.preview && h.model.server.confirm.is_none(),
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
    let draft = h.model.server.editor.as_ref().unwrap().draft().unwrap();
    let messages = draft.llm_config.unwrap().unwrap().messages.unwrap();
    assert_eq!(messages.len(), 2, "the blank third message is left out");
    assert_eq!(messages[1].content, "Line one\nLine two\n");
}

#[test]
fn a_prompt_ending_in_a_line_break_opens_unmodified() {
    let mut a = assistant("a-1", "Reception NL");
    a.llm_config.as_mut().unwrap().messages.as_mut().unwrap()[0].content = "Be brief.\r\n".into();
    let editor = voicedock::console::editor::Editor::open(a, None, &Catalog::builtin());
    assert!(!editor.is_dirty());
}

/// The TTS provider of the open editor, and its model.
fn tts_of(h: &Harness) -> (String, Option<String>) {
    let editor = h.model.server.editor.as_ref().unwrap();
    let tts = editor.tts.as_ref().expect("a TTS provider is chosen");
    (tts.provider.clone(), tts.model.clone())
}

/// Enter on the TTS provider field, then the provider whose name has `name`.
fn choose_tts_provider(h: &mut Harness, name: &str) {
    h.focus(Field::TtsProvider);
    h.key(KeyCode::Enter);
    let picker = h.model.server.picker.as_ref().expect("the TTS providers");
    assert!(
        picker.labels().iter().any(|l| l.starts_with("ElevenLabs")),
        "{:?}",
        picker.labels()
    );
    h.type_text(name);
    h.key(KeyCode::Enter);
    assert!(h.model.server.picker.is_none());
}

#[test]
fn the_tts_provider_comes_first_and_a_change_says_what_it_cleared() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    choose_tts_provider(&mut h, "elevenlabs");
    assert_eq!(tts_of(&h), ("elevenlabs".to_owned(), None));
    // The model field opens on the provider chosen.
    h.focus(Field::TtsModel);
    h.key(KeyCode::Enter);
    assert_eq!(
        h.model.current_tab().map(|p| p.id.as_str()),
        Some("elevenlabs")
    );
    h.key(KeyCode::Esc);
    h.pick(Field::TtsModel, "elevenlabs", "eleven_v3");
    h.focus(Field::VoiceId);
    h.type_text("my-voice-123");
    for (width, height) in [(120, 40), (80, 24)] {
        insta::assert_snapshot!(
            format!("editor_tts_provider_{width}x{height}"),
            h.render(width, height)
        );
    }

    // Google's voices are a list: neither the model nor the typed voice fit.
    choose_tts_provider(&mut h, "google");
    assert_eq!(tts_of(&h), ("google".to_owned(), None));
    let told = h.toast_text();
    assert!(
        told.contains("eleven_v3") && told.contains("my-voice-123"),
        "what was cleared is said, typed text included: {told}"
    );
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(text_of(&editor.voice_id), "Kore", "Google's default voice");
    // Enter on the voice: the catalog's voices of the provider.
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    let picker = h.model.server.picker.as_ref().expect("Google's voices");
    assert!(picker.labels().contains(&"Zephyr"), "{:?}", picker.labels());
    h.key(KeyCode::Esc);

    // Without a listed library, Enter says why there is no list.
    choose_tts_provider(&mut h, "inworld");
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    assert!(h.model.server.picker.is_none());
    let told = h.toast_text();
    assert!(
        told.contains("Inworld voices are ids from your Inworld account: type one"),
        "{told}"
    );
    assert_eq!(
        h.model.server.editor.as_ref().unwrap().focus,
        Field::VoiceId
    );

    // A model of another provider picked on the Models screen: the typed
    // voice that does not fit is said too.
    h.type_text("inworld-voice-7");
    h.pick(Field::TtsModel, "google", "gemini-2.5-flash-preview-tts");
    assert_eq!(tts_of(&h).0, "google");
    let told = h.toast_text();
    assert!(told.contains("inworld-voice-7"), "{told}");
}

//! The editor on the platform as it is: providers and models from the
//! catalog, realtime LLMs that speak themselves, enum voices, per-model
//! settings, the hosted fields, secrets that never reach the screen, and
//! checks that only warn when the catalog is not the server's.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::{Value, json};
use voicedock::console::editor::Field;
use voicedock::console::msg::Call;
use voicedock::domain::{Assistant, Catalog, CatalogSource};

fn new_assistant(name: &str) -> Harness {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text(name);
    h
}

fn created_body(h: &mut Harness) -> Value {
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::CreateAssistant { .. }));
    let Call::CreateAssistant { draft } = call else {
        unreachable!()
    };
    serde_json::to_value(draft).unwrap()
}

#[test]
fn a_realtime_llm_clears_tts_and_speaks_with_a_voice_from_its_list() {
    let mut h = new_assistant("Live");
    h.focus(Field::VoiceId);
    h.type_text("some-voice");
    h.pick(Field::LlmModel, "xai_realtime", "grok-voice");
    let screen = h.render(120, 40);
    assert!(screen.contains("speaks by itself"), "{screen}");
    assert!(
        screen.contains("ara"),
        "the provider's default voice: {screen}"
    );
    h.focus(Field::LlmVoice);
    h.key(KeyCode::Enter);
    assert_eq!(h.model.server.picker.as_ref().unwrap().title, "LLM voice");
    h.type_text("orion");
    h.key(KeyCode::Enter);
    let body = created_body(&mut h);
    assert_eq!(body["llm_config"]["provider"], "xai_realtime");
    assert_eq!(body["llm_config"]["voice"], "orion");
    assert!(body.get("tts_config").is_none(), "{body}");
}

#[test]
fn an_enum_voice_provider_offers_its_voices_in_a_picker() {
    let mut h = new_assistant("Google voice");
    h.pick(Field::TtsModel, "google", "chirp-3-hd");
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    let picker = h.model.server.picker.as_ref().unwrap();
    assert_eq!(picker.title, "TTS voice");
    assert!(picker.labels().contains(&"Charon"));
    h.type_text("charon");
    h.key(KeyCode::Enter);
    let screen = h.render(120, 40);
    assert!(
        screen.contains("Google Vertex AI (EU) (○ platform's key)"),
        "chirp-3-hd needs the Vertex key: {screen}"
    );
    let body = created_body(&mut h);
    assert_eq!(
        body["tts_config"],
        json!({"provider": "google", "voice_id": "Charon", "model": "chirp-3-hd"})
    );
}

#[test]
fn a_tts_model_keeps_only_the_settings_it_takes() {
    let mut state = sample_state();
    let mut a = assistant("a-1", "Reception NL");
    let tts = a.tts_config.as_mut().unwrap();
    tts.model = Some("eleven_flash_v2_5".into());
    tts.stability = Some(0.4);
    tts.similarity_boost = Some(0.8);
    state.assistants = vec![a.clone()];
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(id, a, Some("\"1\""));
    h.pick(Field::TtsModel, "elevenlabs", "eleven_v3");
    let toast = h.model.server.toast.as_ref().unwrap();
    assert!(toast.text.contains("similarity_boost"), "{}", toast.text);
    let screen = h.render(140, 40);
    assert!(
        screen.contains("takes stability, apply_text_normalization"),
        "{screen}"
    );
    let tts = h.model.server.editor.as_ref().unwrap().tts.clone().unwrap();
    assert_eq!((tts.stability, tts.similarity_boost), (Some(0.4), None));
}

fn hosted_assistant() -> Assistant {
    serde_json::from_value(json!({
        "id": "h-1", "name": "Front desk", "is_active": true, "gdpr_mode": false,
        "max_duration_seconds": 600, "webhook_url": "https://hooks.example.com/vd",
        "webhook_secret": "whsec_SUPERsecretVALUE0123", "webhook_events": ["call.ended"],
        "speech_config": {"silence": {"max_attempts": 2}},
        "stt_config": {"provider": "deepgram", "model": "nova-3", "language": "nl"},
        "llm_config": {"provider": "openai", "model": "gpt-5.4",
            "tools": [{"type": "function", "function": {"name": "book"},
                       "server": {"url": "https://tools.example.com", "secret": "toolSECRETtoolSECRET"}}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": "v1"},
        "created_at": "2026-11-30T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z"
    }))
    .unwrap()
}

fn open_hosted() -> Harness {
    let mut state = sample_state();
    state.assistants = vec![hosted_assistant()];
    let mut h = Harness::new();
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(id, hosted_assistant(), None);
    h
}

#[test]
fn secrets_inside_an_assistant_never_reach_the_screen_and_stay_unchanged() {
    let mut h = open_hosted();
    for field in Field::ALL {
        h.focus(field);
        for (w, hgt) in [(140, 45), (80, 24)] {
            let screen = h.render(w, hgt);
            assert!(!screen.contains("SUPERsecret"), "{field:?}: {screen}");
            assert!(!screen.contains("toolSECRET"), "{field:?}: {screen}");
        }
    }
    h.focus(Field::WebhookSecret);
    let screen = h.render(140, 45);
    assert!(
        screen.contains("••••0123 · type a new one"),
        "focused: {screen}"
    );
    h.focus(Field::Name);
    let screen = h.render(140, 45);
    assert!(
        screen.contains("••••0123 (type to replace)"),
        "the hint: {screen}"
    );
    assert!(screen.contains("https://hooks.example.com/vd"));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(id, hosted_assistant(), None);
    h.focus(Field::GdprMode);
    h.key(KeyCode::Enter);
    h.focus(Field::WebhookUrl);
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.type_text("v2");
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant { changes, .. } = call else {
        unreachable!()
    };
    let sent = serde_json::to_value(changes).unwrap();
    assert_eq!(
        sent,
        json!({"gdpr_mode": true, "webhook_url": "https://hooks.example.com/v2"}),
        "only what changed; the secrets and the fields not shown stay as they are"
    );
}

#[test]
fn a_new_webhook_secret_is_typed_masked_and_sent_once() {
    let mut h = open_hosted();
    h.focus(Field::WebhookSecret);
    h.type_text("whsec_NEWnewNEWnew0000");
    let screen = h.render(140, 45);
    assert!(!screen.contains("NEWnew"), "masked while typed: {screen}");
    h.key(KeyCode::Tab);
    assert!(h.render(140, 45).contains("new secret, 22 characters"));
    h.ctrl('s');
    let (_, call) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    let Call::UpdateAssistant { changes, .. } = call else {
        unreachable!()
    };
    assert_eq!(
        serde_json::to_value(changes).unwrap(),
        json!({"webhook_secret": "whsec_NEWnewNEWnew0000"})
    );
}

#[test]
fn an_unknown_model_only_warns_when_the_catalog_is_not_the_servers() {
    // The hosted service publishes no catalog: this build's copy stands in.
    let mut h = Harness::new();
    let mut state = sample_state();
    state.catalog = Catalog::builtin();
    let (id, _) = h.take(|c| matches!(c, Call::Catalog));
    h.reply(
        id,
        Ok(Answer::Catalog(
            Box::new(Catalog::builtin()),
            CatalogSource::BuiltIn,
        )),
    );
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Next model");
    let editor = h.model.server.editor.as_mut().unwrap();
    editor.set_llm_model("openai", "gpt-7-preview", &Catalog::builtin());
    // Changed behind `update`'s back, so the test refreshes what update would.
    editor.refresh(
        &h.model.server.catalog,
        h.model.server.catalog_source.authority(),
    );
    let screen = h.render(120, 40);
    assert!(
        screen.contains("⚠ LLM model (the server decides"),
        "{screen}"
    );
    let body = created_body(&mut h);
    assert_eq!(body["llm_config"]["model"], "gpt-7-preview");

    // Against the server's own catalog the same model blocks the save.
    let mut h = new_assistant("Next model");
    let editor = h.model.server.editor.as_mut().unwrap();
    editor.set_llm_model("openai", "gpt-7-preview", &Catalog::builtin());
    h.ctrl('s');
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::CreateAssistant { .. })),
        "not sent"
    );
    assert!(h.render(120, 40).contains("is not a OpenAI model"));
}

#[test]
fn a_model_field_opens_the_picker_on_its_own_provider_and_model() {
    let mut h = new_assistant("Picker");
    h.pick(Field::LlmModel, "openai_live", "gpt-live-1");
    h.focus(Field::LlmModel);
    h.key(KeyCode::Enter);
    let tab = h.model.current_tab().unwrap();
    assert_eq!(
        tab.id, "openai_live",
        "the field's provider, not the first tab"
    );
    let visible = h.model.visible_models();
    assert_eq!(
        visible[h.model.server.models.list.selected()].id,
        "gpt-live-1"
    );
    let screen = h.render(80, 24);
    assert!(
        screen.contains("OpenAI GPT-Live"),
        "the selected tab is on screen even when the bar cannot hold them all: {screen}"
    );
    assert!(screen.contains("more"), "{screen}");
}

#[test]
fn a_tts_provider_with_voices_but_no_model_can_be_chosen() {
    let mut h = new_assistant("Grok voice");
    h.focus(Field::TtsModel);
    h.key(KeyCode::Enter);
    while h.model.current_tab().is_some_and(|p| p.id != "xai") {
        h.key(KeyCode::Right);
    }
    assert!(
        h.render(120, 40)
            .contains("no model to choose: Enter takes this")
    );
    h.key(KeyCode::Enter);
    h.focus(Field::VoiceId);
    h.key(KeyCode::Enter);
    h.type_text("eve");
    h.key(KeyCode::Enter);
    let body = created_body(&mut h);
    assert_eq!(
        body["tts_config"],
        json!({"provider": "xai", "voice_id": "eve"})
    );
}

#[test]
fn a_realtime_assistant_offers_no_tts_and_lists_its_own_voice() {
    let mut h = new_assistant("Live");
    h.pick(Field::LlmModel, "google_realtime", "gemini-3.1-flash-live");
    h.focus(Field::TtsModel);
    h.key(KeyCode::Enter);
    assert!(h.model.server.editor.is_some(), "no Models screen for TTS");
    assert!(
        h.toast_text().contains("speaks by itself"),
        "{}",
        h.toast_text()
    );
    let body = created_body(&mut h);
    assert!(body.get("tts_config").is_none());
    assert_eq!(body["llm_config"]["voice"], "Puck");
}

#[test]
fn a_new_provider_keeps_the_fields_it_takes_and_says_which_it_dropped() {
    let mut h = new_assistant("Switch");
    h.pick(Field::SttModel, "deepgram", "nova-3");
    h.pick(Field::LlmModel, "openai", "gpt-5.4");
    {
        let editor = h.model.server.editor.as_mut().unwrap();
        let stt = editor.stt.as_mut().unwrap();
        stt.keyterms = Some(vec!["VoiceDock".into()]);
        stt.extra.insert("smart_format".into(), json!(true));
        editor.llm.as_mut().unwrap().max_completion_tokens = Some(500);
    }
    h.pick(Field::LlmModel, "xai", "grok-4.3");
    assert!(
        h.toast_text()
            .contains("xai does not take max_completion_tokens"),
        "{}",
        h.toast_text()
    );
    h.pick(Field::SttModel, "gladia", "solaria-1");
    assert!(
        h.toast_text().contains("smart_format"),
        "{}",
        h.toast_text()
    );
    let body = created_body(&mut h);
    assert_eq!(
        body["stt_config"],
        json!({"provider": "gladia", "model": "solaria-1", "keyterms": ["VoiceDock"]}),
        "every STT provider takes keyterms: they stay"
    );
    assert!(
        body["llm_config"].get("max_completion_tokens").is_none(),
        "{body}"
    );
}

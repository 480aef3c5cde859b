//! A new user's first session, twice: the console (its real `update`,
//! `view` and worker, over HTTP with the real client) against a stand-in
//! for the hosted service, and against our reference server. On both the
//! seed's workflow — see the providers, add a key, create the seed's
//! assistant, remove the key — goes through without an error.

use testkit::common;
use testkit::console_support;
use testkit::hosted_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::SecretString;
use serde_json::json;
use tokio::runtime::Runtime;
use voicedock::client::ApiClient;
use voicedock::console::editor::Field;
use voicedock::console::msg::Msg;
use voicedock::domain::CatalogSource;

/// The seed's workflow through the keyboard; returns the screens seen.
fn seed_workflow(h: &mut Harness, rt: &Runtime, client: &ApiClient) {
    h.pump(rt, client);
    let screen = h.render(120, 40);
    for name in [
        "Deepgram",
        "OpenAI",
        "ElevenLabs",
        "Resend",
        "Gladia",
        "Google Vertex AI (EU)",
    ] {
        assert!(
            screen.contains(name),
            "{name} on the Providers screen: {screen}"
        );
    }
    assert!(!screen.contains('✗'), "no error: {screen}");

    // Step 2: an OpenAI key, pasted.
    h.focus_provider("openai");
    h.key(KeyCode::Char('a'));
    h.send(Msg::Paste("sk-proj-0123456789abcdefWXYZ".into()));
    h.key(KeyCode::Enter);
    h.pump(rt, client);
    let toast = h.toast_text();
    assert!(toast.contains("OpenAI key saved"), "{toast}");
    assert!(
        h.model
            .server
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("openai"),
        "step 3: the key shows as configured"
    );

    // Step 4: the seed's assistant.
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("My Assistant");
    h.pick(Field::SttModel, "deepgram", "nova-3-general");
    h.focus(Field::SttLanguage);
    h.key(KeyCode::Enter);
    h.type_text("nl");
    h.key(KeyCode::Enter);
    h.pick(Field::LlmModel, "openai", "gpt-4o");
    h.focus(Field::Temperature);
    h.type_text("0.7");
    h.focus(Field::Messages);
    h.key(KeyCode::Enter);
    h.type_text("You are a helpful receptionist.");
    h.key(KeyCode::Esc);
    h.focus(Field::VoiceId);
    h.type_text("your-voice-id");
    h.ctrl('s');
    h.pump(rt, client);
    let toast = h.toast_text();
    assert!(toast.contains("Created My Assistant"), "{toast}");
    assert!(!toast.contains("server changed"), "kept as sent: {toast}");
    let screen = h.render(120, 40);
    assert!(!screen.contains('✗'), "no error: {screen}");

    // Removing the key again names the assistant that falls back.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('1'));
    h.focus_provider("openai");
    h.key(KeyCode::Char('d'));
    assert!(h.render(120, 40).contains("My Assistant"));
    h.key(KeyCode::Char('y'));
    h.pump(rt, client);
    assert!(
        !h.model
            .server
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("openai")
    );
}

#[test]
fn the_seed_workflow_against_the_hosted_service() {
    let rt = Runtime::new().unwrap();
    let (base, hosted) = rt.block_on(hosted_support::start());
    let client = ApiClient::new(&base, SecretString::from(hosted_support::HOSTED_KEY)).unwrap();
    let mut h = Harness::new();
    seed_workflow(&mut h, &rt, &client);

    assert_eq!(
        h.model.server.catalog_source,
        CatalogSource::BuiltIn,
        "no catalog is served there"
    );
    h.key(KeyCode::Char('2'));
    assert!(
        h.render(120, 40).contains("built-in catalog"),
        "the UI says which"
    );
    let header = h.render(120, 40);
    assert!(
        header.contains("Hosted Org"),
        "/organizations names the account: {header}"
    );

    let state = hosted.lock().unwrap();
    let (_, _, created) = state
        .bodies
        .iter()
        .find(|(m, p, _)| m == "POST" && p == "/assistants")
        .unwrap();
    assert_eq!(
        created,
        &json!({"name": "My Assistant",
            "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
            "llm_config": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7,
                           "messages": [{"role": "system", "content": "You are a helpful receptionist."}]},
            "tts_config": {"provider": "elevenlabs", "voice_id": "your-voice-id"}}),
        "the seed's body, exactly"
    );
}

#[test]
fn the_seed_workflow_against_our_server() {
    let rt = Runtime::new().unwrap();
    let server = rt.block_on(common::TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let mut h = Harness::new();
    seed_workflow(&mut h, &rt, &client);
    assert_eq!(h.model.server.catalog_source, CatalogSource::Served);
    h.key(KeyCode::Char('2'));
    assert!(h.render(120, 40).contains("catalog from the server"));
    let list = rt.block_on(client.list_assistants()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "My Assistant");
}

#[test]
fn a_save_the_service_does_not_keep_as_sent_names_the_field_in_the_status_line() {
    let rt = Runtime::new().unwrap();
    let (base, hosted) = rt.block_on(hosted_support::start());
    hosted.lock().unwrap().temperature_kept_at_most = Some(1.0);
    let client = ApiClient::new(&base, SecretString::from(hosted_support::HOSTED_KEY)).unwrap();
    let mut h = Harness::new();
    h.pump(&rt, &client);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Warm");
    h.pick(Field::LlmModel, "openai", "gpt-4o");
    h.focus(Field::Temperature);
    h.type_text("1.5");
    h.ctrl('s');
    h.pump(&rt, &client);
    let toast = h.toast_text();
    assert!(
        toast.contains(
            "Created Warm, but the server changed llm_config.temperature (sent 1.5, kept 1.0)"
        ),
        "{toast}"
    );

    // An edit of the assistant, sent as a change, is compared the same way.
    h.focus(Field::Temperature);
    (0..3).for_each(|_| h.key(KeyCode::Backspace));
    h.type_text("1.8");
    h.ctrl('s');
    h.pump(&rt, &client);
    let toast = h.toast_text();
    assert!(
        toast.contains(
            "Saved Warm, but the server changed llm_config.temperature (sent 1.8, kept 1.0)"
        ),
        "{toast}"
    );
}

#[test]
fn hosted_errors_reach_the_screen_as_sentences_with_their_details() {
    let rt = Runtime::new().unwrap();
    let (base, hosted) = rt.block_on(hosted_support::start());
    let client = ApiClient::new(&base, SecretString::from(hosted_support::HOSTED_KEY)).unwrap();
    let mut h = Harness::new();
    h.pump(&rt, &client);
    hosted.lock().unwrap().out_of_credits = true;
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Broke");
    h.ctrl('s');
    h.pump(&rt, &client);
    let screen = h.render(120, 40);
    assert!(screen.contains("run out of credits"), "{screen}");
    assert!(
        screen.contains("(Insufficient credits: minutes_balance is"),
        "the details: {screen}"
    );
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(
        voicedock::console::editor::text_of(&editor.name),
        "Broke",
        "the form is kept"
    );
}

/// A new assistant on the seed's `gpt-4o`, up to the save; the screen then.
fn gpt_4o_draft(h: &mut Harness, rt: &Runtime, client: &ApiClient) -> String {
    h.pump(rt, client);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Legacy");
    h.pick(Field::LlmModel, "openai", "gpt-4o");
    h.render(160, 40)
}

#[test]
fn the_seeds_gpt_4o_is_ours_on_our_server_and_flagged_against_the_hosted_service() {
    // The sentence wraps on a narrow form; its start is on one line.
    const FLAG: &str = "is not offered by";
    let rt = Runtime::new().unwrap();
    let (base, hosted) = rt.block_on(hosted_support::start());
    let client = ApiClient::new(&base, SecretString::from(hosted_support::HOSTED_KEY)).unwrap();
    let mut h = Harness::new();
    let screen = gpt_4o_draft(&mut h, &rt, &client);
    assert!(screen.contains(FLAG), "{screen}");
    assert!(screen.contains("saving is allowed"), "{screen}");
    h.ctrl('s');
    h.pump(&rt, &client);
    assert!(
        h.toast_text().contains("Created Legacy"),
        "{}",
        h.toast_text()
    );
    assert_eq!(hosted.lock().unwrap().assistants.len(), 1);

    let server = rt.block_on(common::TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let mut h = Harness::new();
    let screen = gpt_4o_draft(&mut h, &rt, &client);
    assert!(!screen.contains(FLAG), "{screen}");
    h.ctrl('s');
    h.pump(&rt, &client);
    assert!(
        h.toast_text().contains("Created Legacy"),
        "{}",
        h.toast_text()
    );
}

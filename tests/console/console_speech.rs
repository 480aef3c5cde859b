//! The speech settings as a section of the assistant editor: typed with
//! their ranges shown, checked by the server's own rules as they are typed,
//! and carried to our server and back.

use testkit::common;
use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::SecretString;
use serde_json::json;
use tokio::runtime::Runtime;
use voicedock::client::ApiClient;
use voicedock::console::editor::Field;
use voicedock::console::external_edit::{Edited, JsonText};
use voicedock::console::msg::{Call, Effect, Msg};

fn type_into(h: &mut Harness, field: Field, text: &str) {
    h.focus(field);
    h.type_text(text);
}

#[test]
fn speech_settings_typed_in_the_editor_reach_our_server_and_read_back() {
    let rt = Runtime::new().unwrap();
    let server = rt.block_on(common::TestServer::start());
    let client =
        ApiClient::new(&server.base_url, SecretString::from(server.api_key.clone())).unwrap();
    let mut h = Harness::new();
    h.pump(&rt, &client);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('n'));
    h.type_text("Speech NL");
    type_into(&mut h, Field::Speech(0), "0.4");
    type_into(&mut h, Field::Speech(1), "1.5");
    type_into(&mut h, Field::Speech(2), "0.3");
    type_into(&mut h, Field::Speech(3), "2");
    type_into(&mut h, Field::Speech(4), "1");
    type_into(&mut h, Field::Speech(5), "goodbye, bye now");
    type_into(&mut h, Field::Speech(6), "Hi, VoiceDock calling");
    type_into(&mut h, Field::Speech(7), "yes");
    type_into(&mut h, Field::Speech(8), "This call is recorded.");
    let consent = json!({"enabled": true, "message": "This call is recorded."});
    let sent = json!({
        "turn_taking": {"endpointing_min_delay": 0.4, "endpointing_max_delay": 1.5,
                        "interruption_min_duration": 0.3, "interruption_min_words": 2,
                        "false_interruption_timeout": 1.0},
        "end_call_phrases": ["goodbye", "bye now"],
        "first_message_outbound": "Hi, VoiceDock calling"
    });
    let body = h
        .model
        .server
        .editor
        .as_ref()
        .unwrap()
        .request_body()
        .unwrap();
    assert_eq!(body.extra["speech_config"], sent, "the preview's body");
    assert_eq!(body.extra["recording_consent"], consent);
    h.ctrl('s');
    assert!(
        h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::CreateAssistant { .. })),
        "{:?}",
        h.outbox
    );
    h.pump(&rt, &client);
    let list = rt.block_on(client.list_assistants()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].extra["speech_config"], sent,
        "as the server keeps it"
    );
}

#[test]
fn an_out_of_range_speech_setting_is_refused_at_its_field_and_kept() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    type_into(&mut h, Field::Speech(0), "9");
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(editor.speech.typed(0), "9", "the typed text stays");
    let problem = editor
        .derived
        .checked
        .error
        .clone()
        .expect("refused as typed");
    assert_eq!(
        problem.param,
        "speech_config.turn_taking.endpointing_min_delay"
    );
    let screen = h.render(120, 40);
    assert!(screen.contains("✗Endpt min (s)"), "{screen}");
    assert!(screen.contains("must be between 0.1 and 5"), "{screen}");
    h.ctrl('s');
    assert!(
        !h.outbox.iter().any(|(_, c)| matches!(
            c,
            Call::UpdateAssistant { .. } | Call::CreateAssistant { .. }
        )),
        "nothing sent"
    );
    for (width, height) in [(120, 40), (80, 24)] {
        insta::assert_snapshot!(
            format!("speech_out_of_range_{width}x{height}"),
            h.render(width, height)
        );
    }
}

#[test]
fn speech_settings_say_their_range_and_platform_default() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h.focus(Field::Speech(0));
    for (width, height) in [(120, 40), (80, 24)] {
        let screen = h.render(width, height);
        assert!(screen.contains("Endpt min (s)"), "{screen}");
        assert!(screen.contains("0.1–5 s"), "{screen}");
        insta::assert_snapshot!(format!("speech_defaults_{width}x{height}"), screen);
    }
}

#[test]
fn a_speech_setting_goes_through_the_json_round_trip() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    type_into(&mut h, Field::Speech(0), "0.4");
    h.ctrl('e');
    let Some(Effect::EditJson { text, .. }) = h.effects.last().cloned() else {
        panic!("no edit asked for: {:?}", h.effects);
    };
    assert!(
        text.0.contains("\"endpointing_min_delay\": 0.4"),
        "{}",
        text.0
    );
    let edited = text.0.replace(
        "\"endpointing_min_delay\": 0.4",
        "\"endpointing_min_delay\": 0.8",
    );
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));
    let editor = h.model.server.editor.as_ref().unwrap();
    assert!(editor.json_edit.problems.is_empty());
    assert_eq!(editor.speech.typed(0), "0.8", "the field shows the edit");
    let body = editor.request_body().unwrap();
    assert_eq!(
        body.extra["speech_config"],
        json!({"turn_taking": {"endpointing_min_delay": 0.8}})
    );
}

#[test]
fn recording_consent_takes_yes_or_no_and_says_so_at_its_field() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    type_into(&mut h, Field::Speech(7), "maybe");
    let editor = h.model.server.editor.as_ref().unwrap();
    assert_eq!(editor.speech.typed(7), "maybe", "the typed text stays");
    let screen = h.render(120, 40);
    assert!(screen.contains("✗Rec. consent"), "{screen}");
    assert!(
        screen.contains("recording_consent.enabled is yes or no"),
        "{screen}"
    );
}

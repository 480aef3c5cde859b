//! The key form's settings step: only beside a stored key, typed masked or
//! written in the user's editor, sent to be merged, never shown back; a
//! failed save or bad JSON keeps what was typed.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::external_edit::{Edited, JsonText};
use voicedock::console::msg::{Call, Effect, Msg};
use voicedock::domain::SettingsSaved;

const SECRET: &str = "tok-SecretSetting0042";

fn open_step(h: &mut Harness) {
    h.model.session.size = (120, 40);
    open_key_form(h, "deepgram");
    h.ctrl('e');
    assert!(
        h.model.server.key_form.as_ref().unwrap().settings.is_some(),
        "{}",
        h.frame()
    );
}

fn step_text(h: &Harness) -> bool {
    let form = h.model.server.key_form.as_ref().unwrap();
    form.settings.as_ref().unwrap().has_typed()
}

#[test]
fn settings_need_a_stored_key() {
    let mut h = Harness::loaded();
    h.model.session.size = (120, 40);
    open_key_form(&mut h, "openai");
    h.ctrl('e');
    assert!(h.model.server.key_form.as_ref().unwrap().settings.is_none());
    assert!(h.frame().contains("store the key first"), "{}", h.frame());
}

#[test]
fn typed_settings_are_masked_sent_and_only_their_names_come_back() {
    let mut h = Harness::loaded();
    open_step(&mut h);
    let screen = h.frame();
    assert!(screen.contains("settings (write-only)"), "{screen}");
    assert!(screen.contains("read back, not even here"), "{screen}");

    h.type_text(&format!(r#"{{"region": "eu", "token": "{SECRET}"}}"#));
    assert!(!h.frame().contains(SECRET), "{}", h.frame());
    h.key(KeyCode::Enter);
    let (id, call) = h.take(|c| matches!(c, Call::SetSettings { .. }));
    let Call::SetSettings { provider, settings } = call else {
        unreachable!()
    };
    assert_eq!(provider, "deepgram");
    assert_eq!(settings.0["token"], SECRET);
    assert!(!format!("{settings:?}").contains(SECRET));

    // Refused: the message shows, the text stays for another try.
    h.reply(
        id,
        Err(ApiError::Validation {
            code: "invalid_request".into(),
            message: "At most 32 settings per provider.".into(),
            param: Some("config".into()),
        }),
    );
    assert!(step_text(&h), "the typed settings were kept");
    assert!(h.frame().contains("At most 32 settings"), "{}", h.frame());

    h.key(KeyCode::Enter);
    let (id, _) = h.take(|c| matches!(c, Call::SetSettings { .. }));
    h.reply(
        id,
        Ok(Answer::Settings(SettingsSaved {
            success: Some(true),
            byok_config: [("deepgram".to_owned(), serde_json::json!({}))]
                .into_iter()
                .collect(),
            stored: vec!["region".into(), "token".into()],
        })),
    );
    assert!(!step_text(&h), "nothing is kept once saved");
    let screen = h.frame();
    assert!(screen.contains("stored now: region, token"), "{screen}");
    assert!(!screen.contains(SECRET), "{screen}");
}

#[test]
fn bad_json_is_refused_here_and_kept() {
    let mut h = Harness::loaded();
    open_step(&mut h);
    h.type_text(r#"{"region": "#);
    h.key(KeyCode::Enter);
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::SetSettings { .. })),
        "nothing was sent"
    );
    assert!(h.frame().contains("not valid JSON"), "{}", h.frame());
    assert!(step_text(&h));
    h.ctrl('u');
    h.type_text("[1]");
    h.key(KeyCode::Enter);
    assert!(h.frame().contains("one JSON object"), "{}", h.frame());
}

#[test]
fn settings_written_in_the_editor_are_taken_unsent() {
    let mut h = Harness::loaded();
    open_step(&mut h);
    let before = h.effects.len();
    h.ctrl('e');
    assert_eq!(h.effects.len(), before + 1);
    let Effect::EditJson { name, .. } = h.effects.last().unwrap().clone() else {
        panic!("not an edit: {:?}", h.effects.last())
    };
    assert_eq!(name, "settings.json");
    h.send(Msg::Edited(Edited::Done(JsonText(format!(
        "{{\"token\": \"{SECRET}\"}}\n"
    )))));
    assert!(step_text(&h));
    assert!(!h.frame().contains(SECRET), "{}", h.frame());
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::SetSettings { .. })),
        "nothing is sent until the user saves"
    );
    h.key(KeyCode::Enter);
    let (_, call) = h.take(|c| matches!(c, Call::SetSettings { .. }));
    let Call::SetSettings { settings, .. } = call else {
        unreachable!()
    };
    assert_eq!(settings.0["token"], SECRET);
}

//! The hosted platform's 2.2 assistant fields in the console: no form for
//! them yet, but an edit of them as JSON is checked by the same rules as
//! the server's, and a value out of range is shown by its path.

use testkit::console_support;
use testkit::hosted_support::fields_2_2;

use console_support::*;
use voicedock::console::external_edit::{Edited, JsonText};
use voicedock::console::msg::{Effect, Msg};

#[test]
fn an_out_of_range_speech_setting_is_shown_by_its_path_and_nothing_changes() {
    let mut h = Harness::loaded();
    let id = open_first(&mut h);
    let mut a = assistant("a-1", "Reception NL");
    a.extra
        .insert("speech_config".into(), fields_2_2::speech_config());
    h.reply_assistant(id, a, Some("\"1\""));
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
        "\"endpointing_min_delay\": 9",
    );
    h.send(Msg::Edited(Edited::Done(JsonText(edited))));

    let editor = h.model.server.editor.as_ref().unwrap();
    let paths: Vec<&str> = editor
        .json_edit
        .problems
        .iter()
        .map(|p| p.path.as_str())
        .collect();
    assert_eq!(paths, ["speech_config.turn_taking.endpointing_min_delay"]);
    assert_eq!(
        editor.extra["speech_config"],
        fields_2_2::speech_config(),
        "the draft keeps the valid value"
    );
    h.send(Msg::Resize(140, 40));
    let screen = h.render(140, 40);
    assert!(
        screen.contains("JSON speech_config.turn_taking.endpointing_min_delay"),
        "{screen}"
    );
    assert!(screen.contains("must be between 0.1 and 5"), "{screen}");
}

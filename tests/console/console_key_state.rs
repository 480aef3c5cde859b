//! One vocabulary for what is known of a key, in the editor, the
//! Assistants list and the Providers panel alike (✓ only for a key whose
//! last check passed), and saving an assistant: a question first only when
//! a key it uses failed its check, otherwise the save goes and the status
//! line says which keys nobody vouched for.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::json;
use voicedock::console::editor::Field;
use voicedock::console::msg::{Call, Msg};
use voicedock::domain::KeyCheck;

/// The server checks the stored Deepgram key and answers `result`.
fn check_deepgram(h: &mut Harness, result: &str) {
    h.key(KeyCode::Char('1'));
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('t'));
    let (id, _) = h.take(|c| matches!(c, Call::CheckStored { .. }));
    let check: KeyCheck = serde_json::from_value(json!({
        "provider": "deepgram", "result": result, "checked_by": "server",
        "reason": "what the provider said", "checked_at": "2026-12-02T10:03:04Z"
    }))
    .unwrap();
    h.reply(id, Ok(Answer::Check(Box::new(check))));
}

/// The first sample assistant open in the editor, its name edited.
fn edit_first(h: &mut Harness) {
    h.key(KeyCode::Char('1'));
    open_first_fresh(h, Some("\"1\""));
    h.focus(Field::Name);
    h.type_text("!");
}

fn save_and_answer(h: &mut Harness) {
    h.ctrl('s');
    let (id, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply_assistant(id, assistant("a-1", "Reception NL!"), Some("\"2\""));
}

#[test]
fn a_key_nobody_checked_is_not_ticked_and_every_screen_says_it_alike() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('1'));
    open_first_fresh(&mut h, Some("\"1\""));
    let editor = h.render(120, 40);
    assert!(
        editor.contains("Deepgram (● stored, not checked)"),
        "{editor}"
    );
    assert!(!editor.contains('✓'), "nothing was checked: {editor}");
    h.key(KeyCode::Esc);
    let list = h.render(120, 40);
    assert!(list.contains("deepgram ●"), "{list}");
    assert!(!list.contains('✓'), "{list}");

    check_deepgram(&mut h, "unknown");
    let panels = h.render(160, 40);
    assert!(panels.contains("? check inconclusive"), "{panels}");
    assert!(panels.contains("? configured (BYOK)"), "{panels}");
    h.key(KeyCode::Char('3'));
    assert!(h.render(120, 40).contains("deepgram ?"));
    h.key(KeyCode::Char('1'));
    open_first_fresh(&mut h, Some("\"1\""));
    let editor = h.render(120, 40);
    assert!(
        editor.contains("Deepgram (? check inconclusive)"),
        "{editor}"
    );

    h.key(KeyCode::Esc);
    check_deepgram(&mut h, "valid");
    assert!(h.render(160, 40).contains("✓ configured (BYOK)"));
    h.key(KeyCode::Char('1'));
    open_first_fresh(&mut h, Some("\"1\""));
    let editor = h.render(120, 40);
    assert!(editor.contains("Deepgram (✓ checked valid)"), "{editor}");
    assert!(editor.contains("OpenAI (○ platform's key)"), "{editor}");
}

#[test]
fn keys_nobody_checked_are_named_together_after_a_save() {
    let mut state = sample_state();
    state.byok = byok(&[
        ("deepgram", "sec-dg-1", "…a1b2"),
        ("openai", "sec-oa-1", "…3c4d"),
        ("elevenlabs", "sec-el-1", "…5e6f"),
    ]);
    let mut h = Harness::new();
    h.answer_all(&state);
    check_deepgram(&mut h, "unknown");
    edit_first(&mut h);
    save_and_answer(&mut h);
    let toast = h.toast_text();
    assert!(
        toast.contains(
            "the OpenAI and ElevenLabs keys were not checked — press t on Providers to check them · \
             the Deepgram key's check was inconclusive"
        ),
        "{toast}"
    );
}

#[test]
fn help_over_the_list_and_the_editor_explains_the_key_marks() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('?'));
    for (width, height) in [(120, 40), (80, 24)] {
        let help = h.render(width, height);
        for said in [
            "✓ checked valid",
            "● stored, not checked",
            "? check inconclusive",
            "✗ check failed",
            "+2 ○ two keys are the platform's",
            "⚠ a voice not in your voice library",
        ] {
            assert!(help.contains(said), "{said:?} at {width}x{height}:\n{help}");
        }
    }
    h.key(KeyCode::Esc);
    open_first_fresh(&mut h, Some("\"1\""));
    h.key(KeyCode::F(1));
    let help = h.render(120, 40);
    assert!(help.contains("○ platform's key"), "{help}");
}

#[test]
fn saving_asks_first_only_when_a_key_the_assistant_uses_failed_its_check() {
    let mut h = Harness::loaded();
    check_deepgram(&mut h, "invalid");
    edit_first(&mut h);
    h.ctrl('s');
    let confirm = h.model.server.confirm.as_ref().expect("asked first");
    let said = confirm.lines.join(" ");
    assert!(said.contains("Deepgram key check failed"), "{said}");
    assert!(said.contains("what the provider said"), "{said}");
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::UpdateAssistant { .. })),
        "nothing sent before the answer"
    );
    h.key(KeyCode::Char('y'));
    h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
}

#[test]
fn a_key_not_checked_or_inconclusive_is_said_after_saving_not_asked_before() {
    let mut h = Harness::loaded();
    edit_first(&mut h);
    save_and_answer(&mut h);
    assert!(h.model.server.confirm.is_none());
    let toast = h.toast_text();
    assert!(
        toast.contains("Saved Reception NL! · the Deepgram key was not checked — press t on Providers to check it"),
        "{toast}"
    );

    h.key(KeyCode::Esc);
    check_deepgram(&mut h, "unknown");
    edit_first(&mut h);
    save_and_answer(&mut h);
    assert!(
        h.model.server.confirm.is_none(),
        "inconclusive is not failed"
    );
    let toast = h.toast_text();
    assert!(
        toast.contains(
            "the Deepgram key's check was inconclusive — press t on Providers to check it again"
        ),
        "{toast}"
    );

    h.key(KeyCode::Esc);
    check_deepgram(&mut h, "valid");
    edit_first(&mut h);
    save_and_answer(&mut h);
    let toast = h.toast_text();
    assert!(
        !toast.contains("Deepgram"),
        "a valid key needs no word: {toast}"
    );
}

#[test]
fn a_typed_key_of_the_right_length_is_not_ticked_before_a_check() {
    let mut h = Harness::loaded();
    h.model.session.size = (120, 40);
    open_key_form(&mut h, "openai");
    h.send(Msg::Paste("sk-proj-0123456789abcdefWXYZ".into()));
    let form = h.render(120, 40);
    assert!(form.contains("28 characters, saves as sk-…WXYZ"), "{form}");
    assert!(!form.contains('✓'), "nothing was checked: {form}");
}

//! The editor against a server that moves on: conflicts and reloads, an
//! assistant deleted elsewhere, edits while a save is in flight, and answers
//! that arrive after the user moved on.

use testkit::console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use voicedock::client::ApiError;
use voicedock::console::editor::text_of;
use voicedock::console::msg::Call;

#[test]
fn a_conflict_offers_reload_and_keeps_the_edits() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    h.key(KeyCode::End);
    h.type_text(" mine");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(save, Err(ApiError::PreconditionFailed("stale".into())));
    let editor = h.model.server.editor.as_ref().unwrap();
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
    let editor = h.model.server.editor.as_ref().unwrap();
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
    let editor = h.model.server.editor.as_ref().unwrap();
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
fn a_conflict_stands_until_the_form_can_be_merged() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, Some("\"1\""));
    for _ in 0..5 {
        h.key(KeyCode::Tab);
    }
    h.type_text("x"); // temperature "0.7x"
    h.model.server.editor.as_mut().unwrap().conflict = true;
    h.ctrl('r');
    let (reload, _) = h.take(|c| matches!(c, Call::GetAssistant { .. }));
    h.reply_assistant(reload, assistant("a-1", "Theirs"), Some("\"2\""));
    let editor = h.model.server.editor.as_ref().unwrap();
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
fn an_assistant_deleted_elsewhere_becomes_a_new_one_to_save() {
    let mut h = Harness::loaded();
    open_first_fresh(&mut h, None);
    h.type_text("!");
    h.ctrl('s');
    let (save, _) = h.take(|c| matches!(c, Call::UpdateAssistant { .. }));
    h.reply(save, Err(ApiError::NotFound("gone".into())));
    let editor = h.model.server.editor.as_ref().unwrap();
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
        h.model.server.assistants.loaded().unwrap().len(),
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
        h.model.server.assistants.loaded().unwrap().len(),
        1,
        "already deleted is deleted"
    );
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
        text_of(&h.model.server.editor.as_ref().unwrap().name),
        "Reception NLXY",
        "the form stays editable while the save is in flight"
    );
    let mut saved = assistant("a-1", "Reception NLX");
    saved.revision = Some(2);
    h.reply_assistant(save, saved, Some("\"2\""));
    let editor = h.model.server.editor.as_ref().unwrap();
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
        h.model.server.confirm.is_some(),
        "unsaved until the server answers"
    );
    let mut saved = assistant("a-1", "Reception NLX");
    saved.revision = Some(2);
    h.reply_assistant(save, saved, None);
    assert!(
        h.model.server.confirm.is_none(),
        "nothing is left to discard"
    );
    assert!(h.model.server.editor.is_none(), "the user asked to leave");
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
    assert!(
        h.model
            .server
            .editor
            .as_ref()
            .unwrap()
            .server_error
            .is_none()
    );
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
        .server
        .assistants
        .loaded()
        .unwrap()
        .iter()
        .map(|a| a.name.to_string())
        .collect();
    assert_eq!(
        names.iter().filter(|n| *n == "Late").count(),
        1,
        "{names:?}"
    );
}

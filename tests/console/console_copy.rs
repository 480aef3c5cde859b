//! Copying what has the focus: the secret id, the model id, the assistant
//! id, the assistant as redacted JSON, and the curl command that fetches
//! it, in every form each focus offers, listed in help and said on screen.

use testkit::console_support;
use testkit::copy_support;

use console_support::*;
use copy_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::Value;
use voicedock::console::editor::Field;
use voicedock::console::msg::Msg;

#[test]
fn providers_copy_the_secret_id_their_state_and_the_curl_for_byok() {
    let mut h = Harness::loaded();
    h.focus_provider("deepgram");
    h.key(KeyCode::Char('y'));
    assert_eq!(
        one_copy(&mut h),
        ("secret id sec-dg-1".to_owned(), "sec-dg-1".to_owned())
    );

    h.key(KeyCode::Char('Y'));
    let (what, text) = one_copy(&mut h);
    assert_eq!(what, "Deepgram as JSON");
    let state: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(state["provider"], "deepgram");
    assert_eq!(state["secret_id"], "sec-dg-1");
    assert_eq!(state["configured"], true);
    assert!(!text.contains("a1b2"), "no piece of the key: {text}");

    h.key(KeyCode::Char('c'));
    assert_eq!(
        one_copy(&mut h),
        (
            format!("curl for GET /api/v1/byok{LOCAL_KEY_WHERE}"),
            local_curl("/api/v1/byok")
        )
    );

    // Without a key there is no secret id: the provider's own id instead.
    h.focus_provider("openai");
    h.key(KeyCode::Char('y'));
    let (what, text) = one_copy(&mut h);
    assert_eq!(text, "openai");
    assert!(what.contains("no key stored"), "{what}");
}

#[test]
fn models_copy_the_model_id_its_json_and_the_curl_for_the_config() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('2'));
    h.key(KeyCode::Down);
    let shown = h.model.visible_models()[1].clone();
    let provider = h.model.current_tab().unwrap().id.clone();
    h.key(KeyCode::Char('y'));
    assert_eq!(
        one_copy(&mut h),
        (format!("model id {}", shown.id), shown.id.clone())
    );

    h.key(KeyCode::Char('Y'));
    let (what, text) = one_copy(&mut h);
    assert_eq!(what, format!("model {} as JSON", shown.id));
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["id"], shown.id.as_str());
    assert_eq!(json["provider"], provider.as_str());

    h.key(KeyCode::Char('c'));
    assert_eq!(
        one_copy(&mut h),
        (
            format!("curl for GET /api/v1/byok/config{LOCAL_KEY_WHERE}"),
            local_curl("/api/v1/byok/config")
        )
    );
}

#[test]
fn assistants_copy_the_id_the_redacted_json_and_the_curl_that_fetches_it() {
    let mut h = loaded_with_secrets();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('y'));
    assert_eq!(
        one_copy(&mut h),
        ("assistant id a-1".to_owned(), "a-1".to_owned())
    );

    h.key(KeyCode::Char('Y'));
    let (what, text) = one_copy(&mut h);
    assert_eq!(what, "assistant a-1 as JSON (secrets redacted)");
    assert_no_secret(&text);
    let json: Value = serde_json::from_str(&text).unwrap();
    // The CLI's redaction: the last four characters of a long secret.
    assert_eq!(json["webhook_secret"], "••••ABCD");
    assert_eq!(
        json["llm_config"]["tools"][0]["server"]["secret"],
        "••••side"
    );
    assert_eq!(json["name"], "Reception NL");
    assert_eq!(json["webhook_url"], "https://hooks.example.com/in");

    h.key(KeyCode::Char('c'));
    let (what, text) = one_copy(&mut h);
    assert_eq!(
        what,
        format!("curl for GET /api/v1/assistants/{{id}}{LOCAL_KEY_WHERE}")
    );
    assert_eq!(text, local_curl("/api/v1/assistants/a-1"));

    h.key(KeyCode::Down);
    h.key(KeyCode::Char('y'));
    assert_eq!(one_copy(&mut h).1, "a-2");
}

#[test]
fn the_editor_copies_with_alt_keys_and_its_preview_with_plain_ones() {
    let mut h = loaded_with_secrets();
    let id = open_first(&mut h);
    h.reply_assistant(id, with_secrets("a-1", "Reception NL"), Some("\"r1\""));
    alt(&mut h, 'y');
    assert_eq!(one_copy(&mut h).1, "a-1");
    alt(&mut h, 'Y');
    let (what, text) = one_copy(&mut h);
    assert!(what.contains("as JSON (secrets redacted)"), "{what}");
    assert_no_secret(&text);
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["id"], "a-1");
    alt(&mut h, 'c');
    assert_eq!(one_copy(&mut h).1, local_curl("/api/v1/assistants/a-1"));

    // In a text field a plain letter is text, never a copy.
    h.key(KeyCode::Char('y'));
    assert!(copies(&mut h).is_empty());
    assert!(
        voicedock::console::editor::text_of(&h.model.server.editor.as_ref().unwrap().name)
            .ends_with('y')
    );

    // The messages and the preview copy too.
    h.focus(Field::Messages);
    h.key(KeyCode::Enter);
    assert!(h.model.server.editor.as_ref().unwrap().in_messages);
    alt(&mut h, 'y');
    assert_eq!(one_copy(&mut h).1, "a-1");
    h.key(KeyCode::Esc);
    h.ctrl('p');
    assert!(h.model.server.editor.as_ref().unwrap().preview);
    for (key, wanted) in [('y', "a-1"), ('c', "/api/v1/assistants/a-1")] {
        h.key(KeyCode::Char(key));
        assert!(one_copy(&mut h).1.contains(wanted));
    }
    h.key(KeyCode::Char('Y'));
    assert_no_secret(&one_copy(&mut h).1);
}

#[test]
fn a_read_only_session_copies_too() {
    let mut h = Harness::read_only();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('y'));
    assert_eq!(one_copy(&mut h).1, "a-1");
}

#[test]
fn nothing_to_copy_is_said_and_nothing_is_sent() {
    let mut h = Harness::new();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('y'));
    assert!(copies(&mut h).is_empty());
    assert_eq!(h.toast_text(), "no assistant is selected");
}

#[test]
fn a_failed_program_replaces_the_toast_with_why() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('y'));
    assert_eq!(copies(&mut h).len(), 1);
    h.send(Msg::Copied(voicedock::console::clipboard::Notice {
        text: "could not copy secret id sec-dg-1: wl-copy failed (exit status: 1)".into(),
        is_error: true,
    }));
    assert!(h.toast_text().starts_with("could not copy"));
    assert!(h.model.server.toast.as_ref().unwrap().is_error);
}

#[test]
fn help_lists_every_copy_form_where_it_applies() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('?'));
    let help = h.render(120, 50);
    for line in [
        "copy the assistant id",
        "copy the assistant as JSON, secrets redacted",
        "copy as curl (the key stays $VOICEDOCK_API_KEY)",
    ] {
        assert!(help.contains(line), "{line} in help:\n{help}");
    }
    h.key(KeyCode::Esc);
    open_first_fresh(&mut h, None);
    h.key(KeyCode::F(1));
    let help = h.render(120, 50);
    for key in ["M-y", "M-Y", "M-c"] {
        assert!(help.contains(key), "{key} in the editor's help:\n{help}");
    }
}

#[test]
fn the_status_line_after_a_copy() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('c'));
    let screen = h.render(100, 24);
    let bottom: Vec<&str> = screen.lines().rev().take(3).collect();
    let bottom: Vec<&str> = bottom.into_iter().rev().collect();
    insta::assert_snapshot!("copied_curl_status", bottom.join("\n"));
}

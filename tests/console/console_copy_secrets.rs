//! No copy ever holds a secret: not a provider key typed in the key form
//! or stored, not a webhook secret typed in the editor or kept by the
//! server, not the account key of a curl command.

use testkit::console_support;
use testkit::copy_support;

use console_support::*;
use copy_support::*;
use ratatui::crossterm::event::KeyCode;
use serde_json::Value;
use voicedock::console::editor::Field;
use voicedock::console::msg::{Call, Msg};

#[test]
fn a_webhook_secret_typed_in_the_editor_is_in_no_copy() {
    let typed = "whsec_typed_in_the_editor_5678";
    let mut h = loaded_with_secrets();
    open_first_fresh(&mut h, None);
    h.focus(Field::WebhookSecret);
    h.type_text(typed);
    let mut all = Vec::new();
    for c in ['y', 'Y', 'c'] {
        alt(&mut h, c);
        all.extend(copies(&mut h));
    }
    h.ctrl('p');
    for c in ['y', 'Y', 'c'] {
        h.key(KeyCode::Char(c));
        all.extend(copies(&mut h));
    }
    assert_eq!(all.len(), 6);

    // A new assistant has no id; its JSON is the form's body, redacted.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    if h.model.server.confirm.is_some() {
        h.key(KeyCode::Char('y'));
    }
    assert!(h.model.server.editor.is_none());
    h.key(KeyCode::Char('n'));
    h.type_text("Fresh");
    h.focus(Field::WebhookSecret);
    h.type_text(typed);
    alt(&mut h, 'y');
    assert!(copies(&mut h).is_empty());
    assert!(
        h.toast_text().contains("not saved yet"),
        "{}",
        h.toast_text()
    );
    assert!(h.model.server.toast.as_ref().unwrap().is_error);
    alt(&mut h, 'Y');
    let (what, text) = one_copy(&mut h);
    assert_eq!(what, "the new assistant as JSON (secrets redacted)");
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["name"], "Fresh");
    assert_eq!(json["webhook_secret"], "••••5678");
    all.push((what, text));

    for (what, text) in &all {
        assert!(!text.contains("typed_in_the"), "{what}: {text}");
        assert!(!what.contains("typed_in_the"), "{what}");
        assert_no_secret(text);
    }
    assert!(!h.render(120, 40).contains("typed_in_the"));
}

#[test]
fn a_provider_key_typed_or_saved_is_in_no_copy() {
    let key = "sk-proj-copytest-0123456789WXYZ";
    let mut h = Harness::loaded();
    open_key_form(&mut h, "openai");
    h.send(Msg::Paste(key.into()));
    // Every copy key, plain or with Alt, is text or nothing in the key form.
    for c in ['y', 'Y', 'c'] {
        alt(&mut h, c);
    }
    assert!(copies(&mut h).is_empty(), "the key form copies nothing");
    h.ctrl('u');
    h.send(Msg::Paste(key.into()));
    h.key(KeyCode::Enter);
    let (id, call) = h.take(|c| matches!(c, Call::SetKey { .. }));
    assert!(matches!(call, Call::SetKey { provider, .. } if provider == "openai"));
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-9", "sk-…WXYZ"),
        ]))),
    );
    assert!(h.model.server.key_form.is_none());
    let mut all = Vec::new();
    for c in ['y', 'Y', 'c'] {
        h.key(KeyCode::Char(c));
        all.extend(copies(&mut h));
    }
    assert_eq!(all[0].1, "sec-oa-9");
    assert_eq!(all.len(), 3);
    for (what, text) in &all {
        for piece in [key, "0123456789", "copytest", "WXYZ"] {
            assert!(
                !text.contains(piece) && !what.contains(piece),
                "{piece}: {what} {text}"
            );
        }
    }
}

#[test]
fn curl_never_holds_the_account_key_and_follows_the_base_url() {
    let account_key = "vd_live_account_key_0123456789";
    let mut h = Harness::with(|model| {
        model.server.profile = voicedock::console::profiles::Profile::named("prod");
        model.server.base_url = "https://api.example.com/proxy".into();
    });
    h.answer_all(&sample_state());
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('c'));
    let (_, text) = one_copy(&mut h);
    assert_eq!(
        text,
        format!("{CURL} 'https://api.example.com/proxy/api/v1/assistants/a-1'")
    );
    assert!(text.contains("$VOICEDOCK_API_KEY") && !text.contains(account_key));
}

#[test]
fn a_copy_of_a_name_with_hidden_characters_holds_them_only_escaped() {
    let name = "Evil\u{202e}txt.exe\u{2066}\u{200b}\u{feff}\u{9b}31m\u{7f}!";
    let mut h = Harness::new();
    let mut state = sample_state();
    state.assistants = vec![assistant("a-1", name)];
    h.answer_all(&state);
    h.key(KeyCode::Char('3'));
    h.key(KeyCode::Char('Y'));
    let (what, text) = one_copy(&mut h);
    for (form, copied) in [("what", &what), ("text", &text)] {
        let raw = copied
            .chars()
            .find(|&c| c != '\n' && voicedock::domain::safe_json::needs_escape(c));
        assert_eq!(raw, None, "{form} of the copy: {copied:?}");
    }
    assert!(
        text.contains("\\u202e") && text.contains("\\u009b31m"),
        "{text}"
    );
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["name"], name, "the same value, escaped");
}

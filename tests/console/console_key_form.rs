//! Keys on the Providers screen: saving one, every way a save can fail,
//! removing one, and a form that never stores a wrong key nobody can see (a
//! paste with a line break is refused, the masked field can be cleared and
//! edited, and what is about to be saved is shown before Enter).

use testkit::console_support;

use std::time::Duration;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;
use voicedock::client::ApiError;
use voicedock::console::app::Screen;
use voicedock::console::msg::{Call, Msg};

fn open_form(h: &mut Harness, provider: &str) {
    h.model.session.size = (120, 40);
    open_key_form(h, provider);
}

fn sent_key(h: &mut Harness) -> (String, String) {
    let (_, call) = h.take(|c| matches!(c, Call::SetKey { .. }));
    let Call::SetKey { provider, key } = call else {
        unreachable!()
    };
    (provider, key.expose_secret().to_owned())
}

#[test]
fn a_paste_of_two_lines_is_refused_and_nothing_is_joined() {
    let mut h = Harness::loaded();
    open_form(&mut h, "openai");
    h.send(Msg::Paste(
        "sk-proj-0123456789abcdefAAAA\nsk-proj-0123456789abcdefBBBB".into(),
    ));
    let form = h.model.server.key_form.as_ref().unwrap();
    assert!(!form.has_typed(), "nothing of the paste went in");
    let screen = h.render(120, 40);
    assert!(screen.contains("line break"), "{screen}");
    h.key(KeyCode::Enter);
    assert!(
        !h.outbox
            .iter()
            .any(|(_, c)| matches!(c, Call::SetKey { .. })),
        "no key was sent"
    );
}

#[test]
fn ctrl_u_clears_old_text_in_front_of_the_new_key() {
    let mut h = Harness::loaded();
    open_form(&mut h, "openai");
    h.type_text("sk-old-typo");
    h.ctrl('u');
    assert!(!h.model.server.key_form.as_ref().unwrap().has_typed());
    h.send(Msg::Paste("sk-proj-0123456789abcdefWXYZ".into()));
    h.key(KeyCode::Enter);
    assert_eq!(
        sent_key(&mut h),
        ("openai".into(), "sk-proj-0123456789abcdefWXYZ".into())
    );
}

#[test]
fn ctrl_w_and_ctrl_k_edit_the_masked_field() {
    let mut h = Harness::loaded();
    open_form(&mut h, "deepgram");
    h.type_text("0123456789abcdefghij stale");
    h.ctrl('w');
    h.ctrl('w');
    assert!(
        !h.model.server.key_form.as_ref().unwrap().has_typed(),
        "two words gone"
    );
    h.type_text("0123456789abcdefghijKLMN");
    for _ in 0..4 {
        h.key(KeyCode::Left);
    }
    h.ctrl('k');
    h.type_text("WXYZ");
    h.key(KeyCode::Enter);
    assert_eq!(
        sent_key(&mut h),
        ("deepgram".into(), "0123456789abcdefghijWXYZ".into())
    );
}

#[test]
fn the_status_line_shows_the_length_and_the_hint_before_enter() {
    let mut h = Harness::loaded();
    open_form(&mut h, "openai");
    h.send(Msg::Paste("sk-proj-0123456789abcdefWXYZ".into()));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("28 characters, saves as sk-…WXYZ"),
        "{screen}"
    );
    assert!(
        !screen.contains("0123456789"),
        "the key itself is never drawn"
    );
    h.ctrl('u');
    h.type_text("sk-short");
    let screen = h.render(120, 40);
    assert!(screen.contains("8 characters"), "{screen}");
}

#[test]
fn a_json_credential_is_pasted_whole_and_checked_as_json() {
    let mut h = Harness::loaded();
    open_form(&mut h, "google_vertex");
    h.send(Msg::Paste(
        r#"{"type": "service_account", "project_id": "p"}"#.into(),
    ));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("lacks private_key, client_email"),
        "{screen}"
    );
    h.ctrl('u');
    let doc = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"vd\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nX\\n\",\n  \"client_email\": \"vd@vd.iam.gserviceaccount.com\"\n}\n";
    h.send(Msg::Paste(doc.into()));
    let screen = h.render(120, 40);
    assert!(
        screen.contains("on 6 lines, saves as JSON credential of")
            && screen.contains("vd@vd.iam.gserviceaccount.com: Enter saves"),
        "{screen}"
    );
    assert!(screen.contains("a JSON document on 6 lines"), "{screen}");
    assert!(
        screen.contains("3. Keys > Add key > Create new key > JSON"),
        "every step fits the form: {screen}"
    );
    h.key(KeyCode::Enter);
    assert_eq!(
        sent_key(&mut h),
        ("google_vertex".into(), doc.trim().into())
    );
}

#[test]
fn saving_a_key_sends_it_once_and_updates_the_panel() {
    let mut h = Harness::loaded();
    open_key_form(&mut h, "openai");
    h.send(Msg::Paste("  sk-proj-0123456789abcdefWXYZ\n".into()));
    h.key(KeyCode::Enter);
    let (id, call) = h.take(|c| matches!(c, Call::SetKey { .. }));
    let Call::SetKey { provider, key } = call else {
        unreachable!()
    };
    assert_eq!(provider, "openai");
    assert_eq!(
        key.expose_secret(),
        "sk-proj-0123456789abcdefWXYZ",
        "trimmed"
    );
    let form = h.model.server.key_form.as_ref().unwrap();
    assert!(
        form.input.is_empty(),
        "the text area no longer holds the key"
    );
    assert!(form.is_sending());
    h.reply(
        id,
        Ok(Answer::Byok(byok(&[
            ("deepgram", "sec-dg-1", "…a1b2"),
            ("openai", "sec-oa-9", "sk-…WXYZ"),
        ]))),
    );
    assert!(h.model.server.key_form.is_none());
    assert_eq!(h.model.session.screen, Screen::Providers);
    let toast = h.model.server.toast.as_ref().unwrap();
    assert!(
        toast.text.contains("sec-oa-9") && toast.text.contains("sk-…WXYZ"),
        "{}",
        toast.text
    );
    assert!(!toast.text.contains("0123456789"));
}

#[test]
fn an_invalid_key_is_refused_inline_and_nothing_is_sent() {
    let mut h = Harness::loaded();
    open_key_form(&mut h, "openai");
    h.type_text("pk-0123456789abcdefghij");
    h.key(KeyCode::Enter);
    assert!(h.outbox.is_empty());
    let form = h.model.server.key_form.as_ref().unwrap();
    assert!(form.error.as_ref().unwrap().contains("sk-"));
    assert_eq!(
        form.input.lines()[0],
        "pk-0123456789abcdefghij",
        "nothing typed is lost"
    );
}

#[test]
fn every_failure_keeps_the_form_and_the_key() {
    let failures = [
        ApiError::Unreachable("connection refused".into()),
        ApiError::Timeout,
        ApiError::Unauthorized("bad key".into()),
        ApiError::RateLimited {
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(5)),
        },
        ApiError::Server {
            status: 500,
            message: "internal".into(),
        },
        ApiError::Malformed("not json".into()),
        ApiError::Validation {
            code: "invalid_request".into(),
            message: "OpenAI keys start with sk-".into(),
            param: Some("api_key".into()),
        },
    ];
    for failure in failures {
        let mut h = Harness::loaded();
        open_key_form(&mut h, "openai");
        h.type_text("sk-0123456789abcdefghij");
        h.key(KeyCode::Enter);
        let (id, _) = h.take(|c| matches!(c, Call::SetKey { .. }));
        h.reply(id, Err(failure.clone()));
        let form = h
            .model
            .server
            .key_form
            .as_ref()
            .unwrap_or_else(|| panic!("form closed on {failure:?}"));
        assert_eq!(
            form.input.lines()[0],
            "sk-0123456789abcdefghij",
            "{failure:?}"
        );
        assert!(form.error.is_some(), "{failure:?}");
        assert!(!form.is_sending());
    }
}

#[test]
fn the_key_form_guards_a_typed_key() {
    let mut h = Harness::loaded();
    open_key_form(&mut h, "openai");
    h.key(KeyCode::Tab);
    assert!(
        h.model.server.key_form.is_none(),
        "an empty form lets Tab cycle on"
    );
    assert_eq!(h.model.session.screen, Screen::Models);
    h.key(KeyCode::Char('1'));
    h.key(KeyCode::Char('a'));
    h.type_text("sk-abc");
    h.key(KeyCode::Tab);
    assert_eq!(
        h.model.server.key_form.as_ref().unwrap().input.lines()[0],
        "sk-abc",
        "Tab types nothing and keeps the form"
    );
    h.key(KeyCode::Esc);
    assert!(h.model.server.confirm.is_some() && h.model.server.key_form.is_some());
    h.key(KeyCode::Char('n'));
    assert_eq!(
        h.model.server.key_form.as_ref().unwrap().input.lines()[0],
        "sk-abc"
    );
    h.ctrl('c');
    assert!(!h.quit_asked(), "quitting asks when a key was typed");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('y'));
    assert!(h.model.server.key_form.is_none());
}

#[test]
fn removing_a_key_asks_first_and_names_the_assistants() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Char('d'));
    let confirm = h.model.server.confirm.as_ref().expect("asks first");
    let text = confirm.lines.join(" ");
    assert!(
        text.contains("Reception NL")
            && text.contains("Support EN")
            && text.contains("default keys"),
        "{text}"
    );
    h.key(KeyCode::Char('n'));
    assert!(h.model.server.confirm.is_none() && h.outbox.is_empty());
    h.key(KeyCode::Char('d'));
    h.key(KeyCode::Char('y'));
    let (id, call) = h.take(|c| matches!(c, Call::DeleteKey { .. }));
    assert!(matches!(call, Call::DeleteKey { provider } if provider == "deepgram"));
    h.reply(id, Ok(Answer::Byok(byok(&[]))));
    assert!(
        !h.model
            .server
            .byok
            .loaded()
            .unwrap()
            .byok_keys
            .is_configured("deepgram")
    );
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("2 assistants")
    );
}

#[test]
fn removing_an_unconfigured_key_explains_instead() {
    let mut h = Harness::loaded();
    h.key(KeyCode::Right);
    h.key(KeyCode::Char('d'));
    assert!(h.model.server.confirm.is_none());
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("default keys")
    );
}

#[test]
fn removing_a_key_of_unknown_status_asks_for_a_refresh() {
    let mut h = Harness::new();
    let (id, _) = h.take(|c| matches!(c, Call::Byok));
    h.reply(id, Err(ApiError::Unreachable("refused".into())));
    h.key(KeyCode::Char('d'));
    assert!(h.model.server.confirm.is_none());
    assert!(
        h.model
            .server
            .toast
            .as_ref()
            .unwrap()
            .text
            .contains("refresh")
    );
}

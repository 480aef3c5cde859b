//! The key form never stores a wrong key nobody can see: a paste with a line
//! break is refused, the masked field can be cleared and edited, and what is
//! about to be saved is shown before Enter.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod console_support;

use console_support::*;
use ratatui::crossterm::event::KeyCode;
use secrecy::ExposeSecret;
use voicedock::console::msg::{Call, Msg};

fn open_form(h: &mut Harness, provider: &str) {
    h.model.size = (120, 40);
    h.focus_provider(provider);
    h.key(KeyCode::Char('a'));
    assert_eq!(h.model.key_form.as_ref().unwrap().provider, provider);
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
    let form = h.model.key_form.as_ref().unwrap();
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
    assert!(!h.model.key_form.as_ref().unwrap().has_typed());
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
        !h.model.key_form.as_ref().unwrap().has_typed(),
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

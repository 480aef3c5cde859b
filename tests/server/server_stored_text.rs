//! No stored string carries a control character: an escape sequence in one
//! account's assistant or company name would reach the terminal of whoever
//! lists it. Line breaks and tabs stay allowed in prose.

use testkit::common;

use common::{TestServer, seed_assistant};
use serde_json::{Value, json};

fn set(body: &mut Value, pointer: &str, value: &str) {
    *body.pointer_mut(pointer).unwrap() = Value::String(value.to_owned());
}

#[tokio::test]
async fn a_control_character_anywhere_is_refused_by_field_and_position() {
    let server = TestServer::start().await;
    let cases = [
        ("/name", "Acme\x1b]0;owned\x07", "name"),
        (
            "/llm_config/messages/0/content",
            "Be kind.\x1b[2J",
            "llm_config.messages[0].content",
        ),
        (
            "/llm_config/messages/0/content",
            "Be kind.\u{9b}2J",
            "llm_config.messages[0].content",
        ),
        ("/stt_config/language", "nl\r", "stt_config.language"),
        ("/llm_config/model", "gpt-4o\x7f", "llm_config.model"),
    ];
    for (pointer, value, param) in cases {
        let mut body = seed_assistant();
        set(&mut body, pointer, value);
        let resp = server.post("/api/v1/assistants", body).await;
        let (status, code, got) = resp.error();
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_request"),
            "{}",
            resp.text
        );
        assert_eq!(got.as_deref(), Some(param), "{}", resp.text);
        let message = resp.body["error"]["message"].as_str().unwrap();
        assert!(!message.chars().any(char::is_control), "{message:?}");
        if param != "name" {
            let at = value.chars().position(char::is_control).unwrap();
            assert!(message.contains(&format!("at position {at}")), "{message}");
        }
    }
    let mut body = seed_assistant();
    body["first_message"] = json!("Hi!\x1bc");
    let resp = server.post("/api/v1/assistants", body).await;
    assert!(resp.text.contains("U+001B at position 3"), "{}", resp.text);
    assert_eq!(
        server.get("/api/v1/assistants").await.body["assistants"],
        json!([])
    );
}

#[tokio::test]
async fn prose_keeps_line_breaks_and_tabs_and_an_update_is_held_to_the_same_rule() {
    let server = TestServer::start().await;
    let mut body = seed_assistant();
    body["first_message"] = json!("Hello!\n\tHow can I help?");
    set(
        &mut body,
        "/llm_config/messages/0/content",
        "Line one.\nLine two.",
    );
    let created = server.post("/api/v1/assistants", body).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let id = created.body["assistant"]["id"].as_str().unwrap().to_owned();
    let resp = server
        .patch(
            &format!("/api/v1/assistants/{id}"),
            json!({"first_message": "a\x1b]52;c;eA==\x07"}),
        )
        .await;
    assert_eq!(
        resp.error().2.as_deref(),
        Some("first_message"),
        "{}",
        resp.text
    );
    let resp = server
        .patch(
            &format!("/api/v1/assistants/{id}"),
            json!({"name": "two\nlines"}),
        )
        .await;
    assert_eq!(resp.status, 400, "{}", resp.text);
    let stored = server.get(&format!("/api/v1/assistants/{id}")).await;
    assert_eq!(
        stored.body["assistant"]["first_message"],
        "Hello!\n\tHow can I help?"
    );
}

#[test]
fn a_company_name_with_a_control_character_makes_no_account() {
    let data = common::private_tempdir();
    let err = voicedock::server::create_account(data.path(), "Acme\x1b]0;owned\x07")
        .unwrap_err()
        .to_string();
    assert!(err.contains("U+001B at position 4"), "{err}");
    assert!(!err.contains('\x1b'));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_voicedock"))
        .args(["accounts", "create", "--name", "Acme\u{9b}2J", "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no key was printed");
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("U+009B at position 4"), "{said}");
    assert!(voicedock::server::create_account(data.path(), "Acme\tInc").is_err());
    assert!(voicedock::server::create_account(data.path(), "Acme Inc").is_ok());
}

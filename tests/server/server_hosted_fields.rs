//! The hosted assistant fields (`HOSTED_FIELDS`): each is accepted with its
//! documented type and answered as sent, on create and on update; a value
//! of another type, out of its bounds, or null where it may not be, is
//! refused by the field's name.

use testkit::common;
use testkit::hosted_support::fields_2_2;

use common::TestServer;
use serde_json::{Value, json};
use voicedock::domain::{HOSTED_FIELDS, HostedField, HostedKind};

/// Values of `f`'s documented type, its bounds included.
fn valid(f: &HostedField) -> Vec<Value> {
    match f.kind {
        HostedKind::Bool => vec![json!(true), json!(false)],
        HostedKind::Count => vec![json!(1), json!(600)],
        HostedKind::Text { max } => vec![json!("Acme Dental"), json!("é".repeat(max))],
        HostedKind::Email => vec![json!("ops@example.com")],
        HostedKind::Url => vec![
            json!("https://example.com/hooks/voicedock"),
            json!("http://127.0.0.1:9/h"),
        ],
        HostedKind::Texts { max_items } => vec![json!([]), json!(vec!["call.ended"; max_items])],
        HostedKind::Object => match f.name {
            // Typed by the catalog: `server_fields_2_2` walks their fields.
            "speech_config" => vec![json!({}), fields_2_2::speech_config()],
            "recording_consent" => vec![json!({}), fields_2_2::recording_consent()],
            _ => vec![json!({}), json!({"enabled": true, "prompt": "Summarise"})],
        },
    }
}

/// Values that are not of `f`'s type or break its bounds.
fn invalid(f: &HostedField) -> Vec<Value> {
    match f.kind {
        HostedKind::Bool => vec![json!("yes"), json!(1)],
        HostedKind::Count => vec![json!("30"), json!(0), json!(-1), json!(1.5)],
        HostedKind::Text { max } => vec![json!(5), json!(["x"]), json!("x".repeat(max + 1))],
        HostedKind::Email => vec![json!("not-an-email"), json!("a@b"), json!(5)],
        HostedKind::Url => vec![
            json!("ftp://example.com"),
            json!("https://a b"),
            json!(true),
        ],
        HostedKind::Texts { max_items } => {
            vec![
                json!("call.ended"),
                json!([1]),
                json!(vec!["e"; max_items + 1]),
            ]
        }
        HostedKind::Object => vec![json!("x"), json!([]), json!(1)],
    }
}

#[tokio::test]
async fn every_hosted_field_is_accepted_and_answered_as_sent() {
    let server = TestServer::start().await;
    for round in 0..2 {
        let mut body = json!({"name": "Hosted"});
        for f in HOSTED_FIELDS {
            let values = valid(f);
            body[f.name] = values[round % values.len()].clone();
        }
        let r = server.post("/api/v1/assistants", body.clone()).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let path = format!(
            "/api/v1/assistants/{}",
            r.body["assistant"]["id"].as_str().unwrap()
        );
        let got = server.get(&path).await.body["assistant"].clone();
        for f in HOSTED_FIELDS {
            assert_eq!(got[f.name], body[f.name], "{}", f.name);
        }
    }

    // One at a time on update, null where the field may be null.
    let r = server
        .post("/api/v1/assistants", json!({"name": "Updated"}))
        .await;
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    for f in HOSTED_FIELDS {
        let mut values = valid(f);
        if f.nullable {
            values.push(Value::Null);
        }
        for value in values {
            let r = server.patch(&path, json!({ f.name: value })).await;
            assert_eq!(r.status, 200, "{} = {value}: {}", f.name, r.text);
            assert_eq!(r.body["assistant"][f.name], value, "{}", f.name);
            let got = server.get(&path).await.body["assistant"].clone();
            assert_eq!(got[f.name], value, "{} persisted", f.name);
        }
    }
}

#[tokio::test]
async fn a_hosted_field_of_the_wrong_type_is_refused_by_its_name() {
    let server = TestServer::start().await;
    let r = server
        .post("/api/v1/assistants", json!({"name": "Kept"}))
        .await;
    let path = format!(
        "/api/v1/assistants/{}",
        r.body["assistant"]["id"].as_str().unwrap()
    );
    for f in HOSTED_FIELDS {
        let mut values = invalid(f);
        if !f.nullable {
            values.push(Value::Null);
        }
        for value in values {
            let expected = (400, "invalid_request".to_owned(), Some(f.name.to_owned()));
            let r = server
                .post("/api/v1/assistants", json!({"name": "x", f.name: value}))
                .await;
            assert_eq!(
                r.error(),
                expected,
                "create {} = {value}: {}",
                f.name,
                r.text
            );
            let r = server.patch(&path, json!({ f.name: value })).await;
            assert_eq!(
                r.error(),
                expected,
                "update {} = {value}: {}",
                f.name,
                r.text
            );
        }
    }
    let r = server.get("/api/v1/assistants").await;
    assert_eq!(
        r.body["assistants"].as_array().unwrap().len(),
        1,
        "nothing refused was stored"
    );
    assert_eq!(r.body["assistants"][0]["revision"], 1);
}

#[tokio::test]
async fn is_active_defaults_to_true_and_keeps_what_is_sent() {
    let server = TestServer::start().await;
    let r = server
        .post("/api/v1/assistants", json!({"name": "Default"}))
        .await;
    assert_eq!(
        r.body["assistant"]["is_active"], true,
        "as the hosted service answers"
    );
    let r = server
        .post(
            "/api/v1/assistants",
            json!({"name": "Off", "is_active": false}),
        )
        .await;
    assert_eq!(r.body["assistant"]["is_active"], false);
    let r = server
        .post(
            "/api/v1/assistants",
            json!({"name": "x", "is_active": "yes"}),
        )
        .await;
    assert_eq!(
        r.error(),
        (400, "invalid_request".into(), Some("is_active".into()))
    );
}

/// A redaction (what `get` prints for a secret) is never stored as the
/// secret, a secret that is not a string could not be sealed as one, and an
/// unknown field name that may be a secret is not repeated in the answer.
#[tokio::test]
async fn secrets_must_be_real_and_unknown_names_are_not_echoed() {
    let server = TestServer::start().await;
    let base = || common::seed_assistant();
    let mut redacted = base();
    redacted["webhook_secret"] = json!("••••cdef");
    let r = server.post("/api/v1/assistants", redacted).await;
    assert_eq!(r.error().0, 400, "{}", r.text);
    assert_eq!(r.error().2.as_deref(), Some("webhook_secret"), "{}", r.text);

    let mut tool = base();
    tool["llm_config"]["tools"] = json!([{"type": "function", "function": {"name": "book"},
        "server": {"url": "https://tools.example.com", "secret": {"value": "s3cr3t-value"}}}]);
    let r = server.post("/api/v1/assistants", tool).await;
    assert_eq!(
        r.error().2.as_deref(),
        Some("llm_config.tools[0].server.secret"),
        "{}",
        r.text
    );

    let key = "sk-proj-SECRETSECRETSECRET0123";
    let nested = json!({"name": "a", "llm_config": {"provider": "xai_realtime",
        "model": "grok-voice-think-fast-2.0", "turn_detection": {key: 1}}});
    let r = server.post("/api/v1/assistants", nested).await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        !r.text.contains("SECRET"),
        "the name is not repeated: {}",
        r.text
    );
    assert_eq!(
        r.error().2.as_deref(),
        Some("llm_config.turn_detection"),
        "{}",
        r.text
    );
}

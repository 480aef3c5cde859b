//! The documented error shape, transport failures, and what never leaks:
//! keys echoed by a server, and ids that try to change the route.

use testkit::client_support;

use client_support::*;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use voicedock::client::ApiError;
use voicedock::domain::AssistantDraft;

#[tokio::test]
async fn documented_validation_and_precondition_errors_are_mapped() {
    let (base, _) = serve(vec![
        (
            "POST",
            "/api/v1/assistants",
            reply(
                400,
                r#"{"error":{"code":"invalid_request","message":"temperature must be between 0 and 2","param":"llm_config.temperature","type":"invalid_request_error"}}"#,
            ),
        ),
        (
            "PATCH",
            "/api/v1/assistants/a1",
            reply(
                412,
                r#"{"error":{"code":"precondition_failed","message":"revision 3 is stale","param":null,"type":"conflict_error"}}"#,
            ),
        ),
    ])
    .await;
    let c = client(&base);
    let draft = AssistantDraft {
        name: Some("A".into()),
        ..AssistantDraft::default()
    };
    let err = c.create_assistant(&draft).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::Validation {
            code: "invalid_request".into(),
            message: "temperature must be between 0 and 2".into(),
            param: Some("llm_config.temperature".into()),
        }
    );
    assert_eq!(
        err.to_string(),
        "invalid llm_config.temperature: temperature must be between 0 and 2"
    );
    assert_eq!(
        c.update_assistant("a1", &draft, Some("\"3\"")).await,
        Err(ApiError::PreconditionFailed("revision 3 is stale".into()))
    );
}

#[tokio::test]
async fn keys_echoed_by_a_server_never_reach_an_error_message() {
    let provider_key = "sk-0123456789abcdefghij";
    let echo = format!(
        r#"{{"error":{{"code":"invalid_request","message":"bad key {provider_key} for account {KEY}","param":"api_key","type":"invalid_request_error"}}}}"#
    );
    let (base, log) = serve(vec![("POST", "/api/v1/byok", reply(400, &echo))]).await;
    let c = client(&base);
    let err = c
        .set_key("openai", &SecretString::from(provider_key))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(
        !text.contains(provider_key) && !text.contains(KEY),
        "{text}"
    );
    assert!(!format!("{c:?}").contains(KEY));
    let sent: Value = serde_json::from_str(&seen(&log)[0].body).unwrap();
    assert_eq!(sent, json!({"provider": "openai", "api_key": provider_key}));
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&base).account().await.unwrap_err();
    assert!(matches!(err, ApiError::Unreachable(_)), "{err:?}");
    assert!(
        err.to_string().starts_with("cannot reach the server"),
        "{err}"
    );
}

#[tokio::test]
async fn ids_cannot_change_the_route() {
    let (base, log) = serve(vec![]).await;
    let c = client(&base);
    let err = c.get_assistant("../byok").await.unwrap_err();
    assert_eq!(err, ApiError::NotFound("no route".into()));
    assert_eq!(seen(&log)[0].path, "/api/v1/assistants/..%2Fbyok");
    assert!(matches!(
        c.get_assistant("..").await,
        Err(ApiError::NotFound(_))
    ));
    assert_eq!(seen(&log).len(), 1, "'..' is refused before any request");
}

//! What a recording client tells its recorder, against a server that
//! answers with a request id and echoes the secrets it was sent: the route
//! template, the status, that request id, and an error without the keys.

use testkit::client_support;

use std::sync::{Arc, Mutex};

use client_support::{Canned, KEY, client, reply, serve};
use secrecy::SecretString;
use voicedock::client::{Exchange, REQUEST_ID_HEADER};

const PROVIDER_KEY: &str = "sk-proj-EchoedProviderKey0123456789abcdef";

fn with_request_id(status: u16, body: &str, id: &str) -> Canned {
    let mut canned = reply(status, body);
    canned.headers.push((REQUEST_ID_HEADER, id.to_owned()));
    canned
}

#[tokio::test]
async fn a_recorder_hears_the_template_status_and_request_id_but_no_secret() {
    let echo = format!(
        r#"{{"error":"Bad Request","message":"key {PROVIDER_KEY} for account {KEY} is bad"}}"#
    );
    let (base, _) = serve(vec![
        (
            "POST",
            "/api/v1/byok",
            with_request_id(400, &echo, "req-400"),
        ),
        (
            "GET",
            "/api/v1/assistants/asst_secret_id",
            with_request_id(200, r#"{"id":"asst_secret_id","name":"A"}"#, "req-200"),
        ),
    ])
    .await;
    let heard: Arc<Mutex<Vec<Exchange>>> = Arc::default();
    let ear = heard.clone();
    let api = client(&base).recording(Arc::new(move |e| ear.lock().unwrap().push(e)));

    let err = api
        .set_key("openai", &SecretString::from(PROVIDER_KEY))
        .await
        .unwrap_err();
    api.get_assistant("asst_secret_id").await.unwrap();
    api.get_assistant("missing").await.unwrap_err();

    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 3, "{heard:#?}");
    let refused = &heard[0];
    assert_eq!(
        (refused.method.as_str(), refused.route.as_str()),
        ("POST", "/api/v1/byok")
    );
    assert_eq!(refused.status, Some(400));
    assert_eq!(refused.request_id.as_deref(), Some("req-400"));
    let said = refused.error.clone().unwrap();
    assert!(said.contains("is bad"), "{said}");
    for secret in [PROVIDER_KEY, KEY] {
        for piece in secret.as_bytes().windows(8) {
            let piece = std::str::from_utf8(piece).unwrap();
            assert!(!said.contains(piece), "{piece:?} of a key in {said}");
        }
    }
    assert!(!err.to_string().contains(PROVIDER_KEY));
    let read = &heard[1];
    assert_eq!(read.route, "/api/v1/assistants/{id}");
    assert_eq!(read.status, Some(200));
    assert_eq!(read.request_id.as_deref(), Some("req-200"));
    assert_eq!(read.error, None);
    let missing = &heard[2];
    assert_eq!(missing.route, "/api/v1/assistants/{id}");
    assert_eq!(missing.status, Some(404));
    assert_eq!(missing.request_id, None, "that answer named no request");
    assert!(
        missing
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no route"))
    );
}

//! HTTP details a client relies on: every 401 says how to authenticate, a
//! compressed body is refused with a reason, and `If-Match` compares
//! strongly.
// Tests and benchmarks fail loudly by design: a panic is the report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{TestServer, provider_key};
use reqwest::Method;
use serde_json::json;

const REALM: &str = r#"Bearer realm="voicedock""#;

#[tokio::test]
async fn every_401_carries_a_bearer_challenge() {
    let server = TestServer::start().await;
    let unknown = format!("Bearer vd_live_{}", "A".repeat(43));
    let routes = [
        (Method::GET, "/api/v1/account"),
        (Method::POST, "/api/v1/byok"),
        (Method::GET, "/api/v1/assistants"),
        (Method::PATCH, "/api/v1/assistants/asst_x"),
    ];
    for (method, path) in routes {
        let r = server
            .raw(method.clone(), path, None, Some(b"{}".to_vec()), &[])
            .await;
        assert_eq!(r.status, 401, "{method} {path}");
        // No key sent: the challenge names no error (RFC 6750 §3.1).
        assert_eq!(r.header("www-authenticate"), Some(REALM), "{method} {path}");

        let headers = [("Authorization", unknown.as_str())];
        let r = server
            .raw(method.clone(), path, None, Some(b"{}".to_vec()), &headers)
            .await;
        assert_eq!(r.status, 401, "{method} {path}");
        let challenge = r.header("www-authenticate").unwrap();
        assert!(challenge.starts_with(REALM), "{challenge}");
        assert!(
            challenge.contains(r#"error="invalid_token""#),
            "{challenge}"
        );
    }
    let r = server.get("/api/v1/account").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("www-authenticate"), None);
}

#[tokio::test]
async fn a_compressed_body_is_refused_with_415_and_what_to_send_instead() {
    let server = TestServer::start().await;
    let key = Some(server.api_key.as_str());
    let body = json!({"provider": "openai", "api_key": provider_key("openai")});
    let bytes = serde_json::to_vec(&body).unwrap();
    for coding in ["gzip", "br", "identity, gzip", "deflate"] {
        let headers = [("Content-Encoding", coding)];
        let r = server
            .raw(
                Method::POST,
                "/api/v1/byok",
                key,
                Some(bytes.clone()),
                &headers,
            )
            .await;
        assert_eq!(
            r.error(),
            (415, "unsupported_media_type".into(), None),
            "{coding}"
        );
        assert_eq!(r.header("accept-encoding"), Some("identity"), "{coding}");
    }
    // Nothing stored by a refused request.
    let r = server.get("/api/v1/byok").await;
    assert!(
        r.body["byok_keys"]["openai_secret_id"].is_null(),
        "{}",
        r.text
    );
    let headers = [("Content-Encoding", "Identity")];
    let r = server
        .raw(Method::POST, "/api/v1/byok", key, Some(bytes), &headers)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_weak_if_match_never_matches() {
    let server = TestServer::start().await;
    let r = server
        .post("/api/v1/assistants", json!({"name": "A"}))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/assistants/{id}");
    let key = Some(server.api_key.as_str());
    let body = || Some(serde_json::to_vec(&json!({"name": "B"})).unwrap());
    let current = r.header("etag").unwrap().to_owned();
    let weak = format!("W/{current}");
    let r = server
        .raw(Method::PATCH, &path, key, body(), &[("If-Match", &weak)])
        .await;
    assert_eq!(r.error(), (412, "precondition_failed".into(), None));
    let r = server
        .raw(Method::PATCH, &path, key, body(), &[("If-Match", &current)])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

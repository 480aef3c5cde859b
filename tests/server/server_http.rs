//! HTTP details a client relies on: every 401 says how to authenticate, a
//! compressed body or one not declared as JSON is refused with a reason, one
//! Authorization header is all a request may carry, and `If-Match` compares
//! strongly.

use testkit::common;

use common::{TestServer, provider_key};
use reqwest::Method;
use serde_json::json;

const JSON: (&str, &str) = ("Content-Type", "application/json");
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
    let headers = [("Content-Encoding", "Identity"), JSON];
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
        .raw(
            Method::PATCH,
            &path,
            key,
            body(),
            &[JSON, ("If-Match", &weak)],
        )
        .await;
    assert_eq!(r.error(), (412, "precondition_failed".into(), None));
    let r = server
        .raw(
            Method::PATCH,
            &path,
            key,
            body(),
            &[JSON, ("If-Match", &current)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_body_not_declared_as_json_is_refused_with_415() {
    let server = TestServer::start().await;
    let key = Some(server.api_key.as_str());
    let draft = serde_json::to_vec(&json!({"name": "Typed"})).unwrap();
    let form = ("Content-Type", "application/x-www-form-urlencoded");
    for headers in [
        vec![form],
        vec![("Content-Type", "text/plain")],
        vec![("Content-Type", "application/json; charset=latin1")],
        vec![
            ("Content-Type", "application/json"),
            ("Content-Type", "text/plain"),
        ],
        // No header at all: a body must say what it is.
        vec![],
    ] {
        for (method, path) in [
            (Method::POST, "/api/v1/assistants"),
            (Method::POST, "/api/v1/byok"),
        ] {
            let r = server
                .raw(method, path, key, Some(draft.clone()), &headers)
                .await;
            assert_eq!(
                r.error(),
                (415, "unsupported_media_type".into(), None),
                "{path} {headers:?}"
            );
            assert!(r.text.contains("application/json"), "{}", r.text);
        }
    }
    assert_eq!(
        server.get("/api/v1/assistants").await.body["assistants"],
        json!([])
    );
    for content_type in [
        "application/json",
        "Application/JSON; charset=UTF-8",
        "application/json;charset=\"utf-8\"",
    ] {
        let r = server
            .raw(
                Method::POST,
                "/api/v1/assistants",
                key,
                Some(draft.clone()),
                &[("Content-Type", content_type)],
            )
            .await;
        assert_eq!(r.status, 201, "{content_type}: {}", r.text);
    }
    // No body, nothing to declare.
    let r = server
        .raw(Method::POST, "/api/v1/byok/openai/check", key, None, &[])
        .await;
    assert_eq!(r.error().0, 404, "{}", r.text);
}

#[tokio::test]
async fn two_authorization_headers_are_refused() {
    let server = TestServer::start().await;
    let mine = format!("Bearer {}", server.api_key);
    let other = format!("Bearer {}", server.new_account("Other Ltd"));
    for second in [
        mine.as_str(),
        other.as_str(),
        "Bearer vd_live_unknown",
        "Basic eDp5",
    ] {
        let headers = [("Authorization", mine.as_str()), ("Authorization", second)];
        let r = server
            .raw(Method::GET, "/api/v1/assistants", None, None, &headers)
            .await;
        assert_eq!(r.error(), (400, "invalid_request".into(), None), "{second}");
        assert!(r.text.contains("one Authorization header"), "{}", r.text);
    }
    let r = server
        .raw(
            Method::GET,
            "/api/v1/assistants",
            None,
            None,
            &[("Authorization", mine.as_str())],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// A filter `serve` cannot read is said before anything starts, with the
/// form it takes, rather than quietly logging at another level.
#[test]
fn a_rust_log_serve_cannot_read_is_refused_with_the_form_it_takes() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let mut serve = testkit::vault_support::voicedock(&data, &["serve", "--listen", "127.0.0.1:0"]);
    serve.env("RUST_LOG", "=debug=");
    let (code, out, err) = testkit::vault_support::output(&mut serve);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains(r#"RUST_LOG="=debug=""#), "{err}");
    assert!(err.contains("levels per module"), "{err}");
    assert!(!data.exists(), "nothing was made before the refusal");
}

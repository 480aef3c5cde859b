//! Request-level failures: BYOK bodies, malformed and oversized bodies,
//! paging parameters, unknown routes and methods.

use testkit::common;

use common::{TestServer, provider_key};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn byok_requests_are_validated() {
    let server = TestServer::start().await;
    let cases = [
        (
            json!({"provider": "acme", "api_key": "acme-0123456789abcdefghij"}),
            "unsupported_provider",
            "provider",
        ),
        (
            json!({"provider": "", "api_key": "0123456789abcdefghij"}),
            "unsupported_provider",
            "provider",
        ),
        (
            json!({"provider": "openai", "api_key": "sk-short"}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "openai", "api_key": "pk-0123456789abcdefghij"}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "resend", "api_key": provider_key("openai")}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "deepgram", "api_key": "0123456789 abcdefghij"}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "deepgram", "api_key": "0123456789abcdéfghijk"}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "deepgram", "api_key": "x".repeat(513)}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "deepgram", "api_key": ""}),
            "invalid_request",
            "api_key",
        ),
        (json!({"provider": "openai"}), "invalid_request", "api_key"),
        (
            json!({"api_key": provider_key("openai")}),
            "invalid_request",
            "provider",
        ),
        (
            json!({"provider": "openai", "api_key": 12345}),
            "invalid_request",
            "api_key",
        ),
        (
            json!({"provider": "openai", "api_key": provider_key("openai"), "apikey": "x"}),
            "unknown_field",
            "apikey",
        ),
    ];
    for (body, code, param) in cases {
        let r = server.post("/api/v1/byok", body.clone()).await;
        assert_eq!(
            r.error(),
            (400, code.to_owned(), Some(param.to_owned())),
            "{body}: {}",
            r.text
        );
    }
    let r = server
        .post(
            "/api/v1/byok",
            json!({"provider": "acme", "api_key": "acme-0123456789abcdefghij"}),
        )
        .await;
    let message = r.body["error"]["message"].as_str().unwrap();
    for valid in voicedock::domain::Catalog::builtin().byok_provider_ids() {
        assert!(message.contains(valid), "{message} lists {valid}");
    }

    for (body, code, param) in [
        (
            json!({"provider": "acme"}),
            "unsupported_provider",
            "provider",
        ),
        (json!({}), "invalid_request", "provider"),
        (
            json!({"provider": "openai", "force": true}),
            "unknown_field",
            "force",
        ),
    ] {
        let r = server.delete("/api/v1/byok", Some(body.clone())).await;
        assert_eq!(
            r.error(),
            (400, code.to_owned(), Some(param.to_owned())),
            "{body}: {}",
            r.text
        );
    }
    let r = server.get("/api/v1/byok").await;
    assert!(
        r.body["keys"].as_array().unwrap().is_empty(),
        "nothing invalid was saved"
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies() {
    let server = TestServer::start().await;
    let key = Some(server.api_key.as_str());
    let json_type = [("Content-Type", "application/json")];
    for body in [
        "{",
        "",
        "not json",
        "{\"name\": \"a\"} trailing",
        // serde would build a struct from its fields in order.
        "[\"Array name\"]",
        "null",
    ] {
        let r = server
            .raw(
                Method::POST,
                "/api/v1/assistants",
                key,
                Some(body.as_bytes().to_vec()),
                &json_type,
            )
            .await;
        let (status, code, _) = r.error();
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_request"),
            "{body:?}: {}",
            r.text
        );
    }

    let big = json!({"name": "big", "first_message": "x".repeat(70 * 1024)});
    for path in ["/api/v1/assistants", "/api/v1/byok"] {
        let r = server
            .raw(
                Method::POST,
                path,
                key,
                Some(serde_json::to_vec(&big).unwrap()),
                &json_type,
            )
            .await;
        assert_eq!(r.error(), (413, "payload_too_large".into(), None), "{path}");
        assert!(r.header("x-ratelimit-limit").is_some());
    }
    // Just under the limit is parsed (and then validated).
    let near = json!({"name": "near", "first_message": "x".repeat(63 * 1024)});
    let r = server
        .raw(
            Method::POST,
            "/api/v1/assistants",
            key,
            Some(serde_json::to_vec(&near).unwrap()),
            &json_type,
        )
        .await;
    assert_eq!(
        r.error(),
        (400, "invalid_request".into(), Some("first_message".into()))
    );

    // curl without `-H` sends its form type, and a body may not go
    // without a type: both are told what to send (415), not parsed.
    let body = serde_json::to_vec(&json!({"name": "No header"})).unwrap();
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    for headers in [&form[..], &[]] {
        let r = server
            .raw(
                Method::POST,
                "/api/v1/assistants",
                key,
                Some(body.clone()),
                headers,
            )
            .await;
        assert_eq!(
            r.error(),
            (415, "unsupported_media_type".into(), None),
            "{headers:?}"
        );
    }
}

#[tokio::test]
async fn paging_parameters_are_checked() {
    let server = TestServer::start().await;
    for query in [
        "limit=0",
        "limit=501",
        "limit=ten",
        "limit=-5",
        "limit=",
        "limit=10&offset=x",
    ] {
        let r = server.get(&format!("/api/v1/assistants?{query}")).await;
        let expected = if query.contains("offset") {
            "offset"
        } else {
            "limit"
        };
        assert_eq!(
            r.error(),
            (400, "invalid_request".into(), Some(expected.into())),
            "{query}"
        );
    }
    let r = server.get("/api/v1/assistants?limit=500&offset=0").await;
    assert_eq!(
        r.body["pagination"],
        json!({"total": 0, "limit": 500, "offset": 0})
    );
    let r = server.get("/api/v1/assistants").await;
    assert!(r.body.get("pagination").is_none());
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let server = TestServer::start().await;
    let r = server.get("/api/v1/nothing").await;
    assert_eq!(r.error(), (404, "not_found".into(), None));
    assert!(r.header("x-request-id").is_some());
    assert!(r.header("x-ratelimit-remaining").is_some());
    let r = server
        .call(Method::PUT, "/api/v1/byok", Some(json!({})))
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(r.body["error"]["code"], "method_not_allowed");
    assert!(r.body["error"]["message"].is_string());
}

#[tokio::test]
async fn a_value_that_may_be_a_secret_is_never_repeated_in_an_error() {
    let server = TestServer::start().await;
    let secrets = [
        "sk-proj-SECRETsecretSECRETsecret0123",
        // A Deepgram key is 40 lowercase hex characters: it looks like an id.
        "0123456789abcdef0123456789abcdef01234567",
    ];
    for secret in secrets {
        let config = |config: &str, field: &str| {
            let mut body = common::seed_assistant();
            body[config][field] = json!(secret);
            body
        };
        let mut unknown_top = common::seed_assistant();
        unknown_top[secret] = json!("x");
        let mut unknown_nested = common::seed_assistant();
        unknown_nested["llm_config"][secret] = json!(1);
        let mut unknown_message = common::seed_assistant();
        unknown_message["llm_config"]["messages"][0][secret] = json!(1);
        let cases = [
            (
                "/api/v1/byok",
                json!({"provider": secret, "api_key": "openai"}),
                Some("provider"),
            ),
            (
                "/api/v1/assistants",
                config("stt_config", "provider"),
                Some("stt_config.provider"),
            ),
            (
                "/api/v1/assistants",
                config("stt_config", "model"),
                Some("stt_config.model"),
            ),
            (
                "/api/v1/assistants",
                config("stt_config", "language"),
                Some("stt_config.language"),
            ),
            (
                "/api/v1/assistants",
                config("llm_config", "model"),
                Some("llm_config.model"),
            ),
            (
                "/api/v1/assistants",
                config("tts_config", "model"),
                Some("tts_config.model"),
            ),
            ("/api/v1/assistants", unknown_top, None),
            ("/api/v1/assistants", unknown_nested, Some("llm_config")),
            (
                "/api/v1/assistants",
                unknown_message,
                Some("llm_config.messages[0]"),
            ),
        ];
        for (path, body, param) in cases {
            let r = server.post(path, body.clone()).await;
            let (status, _, got) = r.error();
            assert_eq!((status, got.as_deref()), (400, param), "{body}: {}", r.text);
            assert!(!r.text.contains(&secret[..12]), "{body}: {}", r.text);
        }
        let r = server
            .delete("/api/v1/byok", Some(json!({"provider": secret})))
            .await;
        assert_eq!(r.status, 400);
        assert!(!r.text.contains(&secret[..12]), "{}", r.text);
    }

    // What looks like a name is still quoted, so a typo can be seen.
    let r = server
        .post("/api/v1/byok", json!({"provider": "acme", "api_key": "x"}))
        .await;
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"acme\""),
        "{}",
        r.text
    );
    let mut body = common::seed_assistant();
    body["llm_config"]["model"] = json!("gpt-9");
    let r = server.post("/api/v1/assistants", body).await;
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"gpt-9\""),
        "{}",
        r.text
    );
}

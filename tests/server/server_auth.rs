//! Authentication, isolation between accounts, accounts created while the
//! server runs, and the per-key rate limit.

use testkit::common;

use common::{TestServer, provider_key, seed_assistant};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn requests_without_a_valid_key_are_refused() {
    let server = TestServer::start().await;
    let routes = [
        (Method::GET, "/api/v1/account"),
        (Method::GET, "/api/v1/byok"),
        (Method::POST, "/api/v1/byok"),
        (Method::DELETE, "/api/v1/byok"),
        (Method::GET, "/api/v1/byok/config"),
        (Method::GET, "/api/v1/assistants"),
        (Method::POST, "/api/v1/assistants"),
    ];
    let unknown = format!("vd_live_{}", "A".repeat(43));
    let almost = format!("{}x", server.api_key);
    let headers: [Option<String>; 6] = [
        None,
        Some(format!("Bearer {unknown}")),
        Some(format!("Bearer {almost}")),
        Some("Bearer".into()),
        Some(format!("Basic {}", server.api_key)),
        Some(server.api_key.clone()),
    ];
    for (method, path) in routes {
        for header in &headers {
            let pairs: Vec<(&str, &str)> = header
                .iter()
                .map(|h| ("Authorization", h.as_str()))
                .collect();
            let body = Some(b"{}".to_vec());
            let r = server.raw(method.clone(), path, None, body, &pairs).await;
            assert_eq!(
                r.error(),
                (401, "unauthorized".into(), None),
                "{method} {path} {header:?}"
            );
        }
    }
    // The scheme is case-insensitive; the right key works.
    let lower = format!("bearer {}", server.api_key);
    let r = server
        .raw(
            Method::GET,
            "/api/v1/account",
            None,
            None,
            &[("Authorization", &lower)],
        )
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn another_account_sees_none_of_it() {
    let server = TestServer::start().await;
    let r = server.post("/api/v1/assistants", seed_assistant()).await;
    let id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/assistants/{id}");
    server
        .post(
            "/api/v1/byok",
            json!({"provider": "openai", "api_key": provider_key("openai")}),
        )
        .await;

    let b = server.new_account("Other Company");
    let as_b = |method: Method, path: &str, body: Option<serde_json::Value>| {
        let b = b.clone();
        let path = path.to_owned();
        let server = &server;
        async move { server.call_as(&b, method, &path, body).await }
    };
    let not_found = (404, "not_found".to_owned());
    let r = as_b(Method::GET, &path, None).await;
    assert_eq!((r.error().0, r.error().1), not_found.clone());
    let r = as_b(Method::PATCH, &path, Some(json!({"name": "Taken"}))).await;
    assert_eq!((r.error().0, r.error().1), not_found.clone());
    let r = as_b(Method::DELETE, &path, None).await;
    assert_eq!((r.error().0, r.error().1), not_found.clone());
    let r = as_b(
        Method::DELETE,
        "/api/v1/byok",
        Some(json!({"provider": "openai"})),
    )
    .await;
    assert_eq!((r.error().0, r.error().1), not_found);

    let r = as_b(Method::GET, "/api/v1/assistants", None).await;
    assert_eq!(r.body["assistants"], json!([]));
    let r = as_b(Method::GET, "/api/v1/byok", None).await;
    assert!(r.body["byok_keys"]["openai_secret_id"].is_null());
    let r = as_b(Method::GET, "/api/v1/byok/config", None).await;
    assert_eq!(r.body["providers"][1]["configured"], false);
    let r = as_b(Method::GET, "/api/v1/account", None).await;
    assert_eq!(
        (
            r.body["company_name"].as_str(),
            r.body["active_agents"].as_u64()
        ),
        (Some("Other Company"), Some(0))
    );

    // A's things are untouched.
    let r = server.get(&path).await;
    assert_eq!(
        (r.status, r.body["assistant"]["name"].as_str()),
        (200, Some("My Assistant"))
    );
    let r = server.get("/api/v1/byok").await;
    assert!(r.body["byok_keys"]["openai_secret_id"].is_string());
}

#[tokio::test]
async fn an_account_created_while_running_is_usable_at_once() {
    let server = TestServer::start().await;
    assert_eq!(server.get("/api/v1/account").await.status, 200);
    let key = server.new_account("Late Company");
    let r = server
        .call_as(&key, Method::GET, "/api/v1/account", None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["company_name"], "Late Company");
    let first = server.get("/api/v1/account").await;
    assert_ne!(r.body["id"], first.body["id"]);
    assert!(voicedock::server::account_exists(server.data_dir(), &key.clone().into()).unwrap());
    let stranger = format!("vd_live_{}", "B".repeat(43)).into();
    assert!(!voicedock::server::account_exists(server.data_dir(), &stranger).unwrap());
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let server = TestServer::start_with(|c| c.rate_limit_per_minute = 5).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for remaining in (0..5).rev() {
        let r = server.get("/api/v1/account").await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.header("x-ratelimit-limit"), Some("5"));
        assert_eq!(
            r.header("x-ratelimit-remaining"),
            Some(remaining.to_string().as_str())
        );
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(
            reset >= now && reset <= now + 120,
            "reset {reset} is Unix seconds"
        );
        assert!(r.header("x-request-id").is_some());
    }
    let r = server.get("/api/v1/account").await;
    assert_eq!(r.error(), (429, "rate_limit_exceeded".into(), None));
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert!(r.header("x-ratelimit-reset").is_some() && r.header("x-request-id").is_some());

    // The limit is per key: another account has its own.
    let other = server.new_account("Other");
    let r = server
        .call_as(&other, Method::GET, "/api/v1/account", None)
        .await;
    assert_eq!(
        (r.status, r.header("x-ratelimit-remaining")),
        (200, Some("4"))
    );
}

#[tokio::test]
async fn unauthenticated_routes_carry_the_headers_too() {
    let server = TestServer::start().await;
    for path in ["/api/v1/health", "/api/openapi.json"] {
        let r = server.raw(Method::GET, path, None, None, &[]).await;
        assert_eq!(r.status, 200);
        for header in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
            "x-request-id",
        ] {
            assert!(r.header(header).is_some(), "{path} lacks {header}");
        }
    }
}

/// The server remembers which account a key matched, to count it against
/// its own rate limit without a lookup first; a key revoked by another
/// process after it was used is still refused on its next request, on every
/// route, and an account's new key works at once.
#[tokio::test]
async fn a_key_revoked_by_another_process_after_use_is_refused_on_every_route() {
    let server = TestServer::start().await;
    let routes = [
        "/api/v1/byok",
        "/api/v1/byok/config",
        "/api/v1/account",
        "/api/v1/organizations",
        "/api/v1/catalog",
        "/api/v1/assistants",
    ];
    for path in routes {
        let r = server.call(Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
    let accounts = voicedock::server::list_accounts(server.data_dir()).unwrap();
    let id = accounts[0].id.clone();
    let new_key = voicedock::server::rotate_account_key(server.data_dir(), &id)
        .unwrap()
        .unwrap();
    for path in routes {
        let r = server.call(Method::GET, path, None).await;
        assert_eq!(
            r.error(),
            (401, "api_key_revoked".into(), None),
            "{path}: {}",
            r.body
        );
    }
    let new_key = secrecy::ExposeSecret::expose_secret(&new_key).to_owned();
    for path in routes {
        let r = server.call_as(&new_key, Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
    }
}

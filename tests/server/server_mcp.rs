//! MCP servers: header values sealed like provider keys and never answered,
//! the 409 of a delete naming the assistants that use the server, MCP tools
//! of assistants checked against the account's servers, and `test` against
//! stand-ins on loopback (the SDK's server, one that hangs, one that answers
//! garbage without end, one that echoes the headers it was sent).

use testkit::common;
use testkit::mcp_support::{McpStandIn, TOOLS};

use common::disk::{contains, db_files};
use common::{TEST_MASTER_KEY, TestServer, open_secret, secret_rows, seed_assistant};
use reqwest::Method;
use serde_json::{Value, json};
use voicedock::server::vault::MasterKey;

const HEADER_VALUE: &str = "mcp-hdr-Zq8Wx3Lk9Pv2Rt7Yb4";

async fn add(server: &TestServer, body: Value) -> String {
    let r = server.post("/api/v1/mcp-servers", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["mcp_server"]["id"].as_str().unwrap().to_owned()
}

fn with_mcp_tool(server_id: &str) -> Value {
    let mut a = seed_assistant();
    a["llm_config"]["tools"] =
        json!([{"type": "mcp", "mcp_server_id": server_id, "allowed_tools": ["lookup_order"]}]);
    a
}

#[tokio::test]
async fn header_values_are_sealed_and_never_answered() {
    let server = TestServer::start().await;
    let id = add(
        &server,
        json!({"name": "Orders", "url": "https://mcp.example.com/mcp",
               "headers": {"X-Api-Key": HEADER_VALUE}}),
    )
    .await;
    let r = server.get(&format!("/api/v1/mcp-servers/{id}")).await;
    assert_eq!(r.body["mcp_server"]["header_names"], json!(["X-Api-Key"]));
    assert_eq!(r.body["mcp_server"]["timeout_seconds"], 20);
    assert_eq!(r.body["mcp_server"]["transport"], "streamable_http");
    for path in [
        "/api/v1/mcp-servers",
        &format!("/api/v1/mcp-servers/{id}"),
        "/api/v1/byok",
    ] {
        let r = server.call(Method::GET, path, None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.text.contains(HEADER_VALUE), "{path}: {}", r.text);
    }
    let rows = secret_rows(server.data_dir());
    assert_eq!(rows.len(), 1, "one sealed value holds the headers");
    let opened = open_secret(&MasterKey::from_bytes(TEST_MASTER_KEY), &rows[0]).unwrap();
    assert!(opened.contains(HEADER_VALUE), "the vault opens them");
    for (path, bytes) in db_files(server.data_dir()) {
        assert!(
            !contains(&bytes, HEADER_VALUE.as_bytes()),
            "in plain text in {path}"
        );
    }

    // `headers` replaces them all; `{}` removes them, sealed value and all.
    let r = server
        .patch(
            &format!("/api/v1/mcp-servers/{id}"),
            json!({"headers": {"Authorization": "Bearer other-Secret-Value-123"}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.body["mcp_server"]["header_names"],
        json!(["Authorization"])
    );
    assert!(!r.text.contains("other-Secret-Value-123"));
    let r = server
        .patch(&format!("/api/v1/mcp-servers/{id}"), json!({"headers": {}}))
        .await;
    assert_eq!(r.body["mcp_server"]["header_names"], json!([]));
    assert!(secret_rows(server.data_dir()).is_empty());
}

#[tokio::test]
async fn url_rules_http_only_on_loopback_and_headers_follow_a_new_host() {
    let server = TestServer::start().await;
    let r = server
        .post(
            "/api/v1/mcp-servers",
            json!({"name": "A", "url": "http://mcp.example.com/mcp"}),
        )
        .await;
    assert_eq!(r.error().0, 400);
    assert_eq!(r.error().2.as_deref(), Some("url"));
    let r = server
        .post(
            "/api/v1/mcp-servers",
            json!({"name": "A", "url": "https://x.example/", "timeout_seconds": 61}),
        )
        .await;
    assert_eq!(r.error().2.as_deref(), Some("timeout_seconds"));
    let id = add(
        &server,
        json!({"name": "A", "url": "http://127.0.0.1:9/mcp", "headers": {"X-Api-Key": HEADER_VALUE}}),
    )
    .await;
    let r = server
        .post(
            "/api/v1/mcp-servers",
            json!({"name": "A", "url": "https://x.example/"}),
        )
        .await;
    assert_eq!(r.status, 409, "names are unique: {}", r.text);
    let r = server
        .patch(
            &format!("/api/v1/mcp-servers/{id}"),
            json!({"url": "https://elsewhere.example/mcp"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.error().2.as_deref(), Some("headers"));
    let r = server
        .patch(
            &format!("/api/v1/mcp-servers/{id}"),
            json!({"url": "http://127.0.0.1:10/other"}),
        )
        .await;
    assert_eq!(r.status, 200, "the same host keeps its headers: {}", r.text);
}

#[tokio::test]
async fn delete_answers_409_naming_the_assistants_that_use_it() {
    let server = TestServer::start().await;
    let id = add(
        &server,
        json!({"name": "Orders", "url": "https://mcp.example.com/mcp"}),
    )
    .await;
    let r = server.post("/api/v1/assistants", with_mcp_tool(&id)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let assistant = r.body["assistant"]["id"].as_str().unwrap().to_owned();

    let r = server
        .delete(&format!("/api/v1/mcp-servers/{id}"), None)
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let message = r.body["error"]["message"].as_str().unwrap();
    assert_eq!(r.body["error"]["code"], "conflict");
    assert!(
        message.contains("My Assistant") && message.contains(&assistant),
        "{message}"
    );
    assert_eq!(
        server
            .get(&format!("/api/v1/mcp-servers/{id}"))
            .await
            .status,
        200
    );

    server
        .delete(&format!("/api/v1/assistants/{assistant}"), None)
        .await;
    let r = server
        .delete(&format!("/api/v1/mcp-servers/{id}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"success": true}));
    assert_eq!(
        server
            .get(&format!("/api/v1/mcp-servers/{id}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn an_mcp_tool_must_name_a_server_of_the_same_account() {
    let server = TestServer::start().await;
    let other_key = server.new_account("Other");
    let r = server
        .call_as(
            &other_key,
            Method::POST,
            "/api/v1/mcp-servers",
            Some(json!({"name": "Theirs", "url": "https://mcp.example.com/mcp"})),
        )
        .await;
    let theirs = r.body["mcp_server"]["id"].as_str().unwrap().to_owned();
    let r = server
        .post("/api/v1/assistants", with_mcp_tool(&theirs))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.error().2.as_deref(),
        Some("llm_config.tools[0].mcp_server_id")
    );
    assert_eq!(
        server.get("/api/v1/assistants").await.body["assistants"],
        json!([])
    );

    let ours = add(
        &server,
        json!({"name": "Ours", "url": "https://mcp.example.com/mcp"}),
    )
    .await;
    let r = server
        .post("/api/v1/assistants", with_mcp_tool(&ours))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let assistant = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let r = server
        .patch(
            &format!("/api/v1/assistants/{assistant}"),
            json!({"llm_config": with_mcp_tool(&theirs)["llm_config"]}),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        r.error().2.as_deref(),
        Some("llm_config.tools[0].mcp_server_id")
    );
}

async fn test_of(server: &TestServer, url: &str, timeout: u32) -> Value {
    let id = add(
        server,
        json!({"name": url, "url": url, "timeout_seconds": timeout, "headers": {"X-Api-Key": HEADER_VALUE}}),
    )
    .await;
    let r = server
        .call(
            Method::POST,
            &format!("/api/v1/mcp-servers/{id}/test"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(!r.text.contains(HEADER_VALUE), "{}", r.text);
    r.body
}

#[tokio::test]
async fn test_lists_the_tools_of_an_sdk_server_with_the_stored_header() {
    let stand_in = McpStandIn::tools("x-api-key", HEADER_VALUE).await;
    let server = TestServer::start().await;
    let answer = test_of(&server, &stand_in.url, 10).await;
    assert_eq!(answer["ok"], true, "{answer}");
    let names: Vec<&str> = answer["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, TOOLS);
    assert_eq!(answer["tools"][0]["input_schema"]["type"], "object");
    assert!(answer["duration_ms"].is_u64());
}

#[tokio::test]
async fn test_without_the_right_header_says_why() {
    let stand_in = McpStandIn::tools("x-api-key", "not-the-stored-value").await;
    let server = TestServer::start().await;
    let answer = test_of(&server, &stand_in.url, 10).await;
    assert_eq!(answer["ok"], false, "{answer}");
    assert!(
        answer["error"].as_str().unwrap().contains("initialize"),
        "{answer}"
    );
}

#[tokio::test]
async fn test_of_a_hanging_server_ends_at_its_timeout() {
    let stand_in = McpStandIn::hanging().await;
    let server = TestServer::start().await;
    let answer = test_of(&server, &stand_in.url, 5).await;
    assert_eq!(answer["ok"], false, "{answer}");
    assert_eq!(answer["error"], "no answer within 5 s", "{answer}");
}

#[tokio::test]
async fn test_of_endless_garbage_is_a_clear_error_not_a_full_memory() {
    let stand_in = McpStandIn::garbage().await;
    let server = TestServer::start().await;
    let answer = test_of(&server, &stand_in.url, 30).await;
    assert_eq!(answer["ok"], false, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.starts_with("initialize failed: HTTP response body exceeded"),
        "{error}"
    );
    assert!(
        !error.contains("no answer within"),
        "the read was bounded, not timed out: {error}"
    );
}

#[tokio::test]
async fn test_of_a_server_echoing_the_headers_withholds_them() {
    let stand_in = McpStandIn::echoing().await;
    let server = TestServer::start().await;
    // `test_of` asserts the value is absent from the answer.
    let answer = test_of(&server, &stand_in.url, 10).await;
    assert_eq!(answer["ok"], false, "{answer}");
    let error = answer["error"].as_str().unwrap();
    assert!(
        error.contains("x-api-key: [redacted]"),
        "the echo came back scrubbed: {error}"
    );
}

#[tokio::test]
async fn a_master_key_rotation_moves_the_header_values_too() {
    use testkit::vault_support::{output, voicedock};
    assert!(std::env::var_os(voicedock::server::MASTER_KEY_ENV).is_none());
    let stand_in = McpStandIn::tools("x-api-key", HEADER_VALUE).await;
    let mut server = TestServer::start_with(|c| c.master_key = None).await;
    let id = add(
        &server,
        json!({"name": "Orders", "url": stand_in.url, "headers": {"X-Api-Key": HEADER_VALUE}}),
    )
    .await;
    server.shutdown().await;
    let dir = server.data_dir().to_owned();
    let (code, stdout, stderr) = output(&mut voicedock(&dir, &["vault", "rotate-master"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let (code, stdout, stderr) = output(&mut voicedock(&dir, &["vault", "verify"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!format!("{stdout}{stderr}").contains(HEADER_VALUE));

    let mut config = common::test_config(&dir);
    config.master_key = None;
    let restarted = voicedock::server::start(config).await.unwrap();
    let r = voicedock::client::http_builder()
        .build()
        .unwrap()
        .post(format!(
            "{}/api/v1/mcp-servers/{id}/test",
            restarted.base_url()
        ))
        .bearer_auth(&server.api_key)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["ok"], true,
        "the headers open with the new key: {body}"
    );
    restarted.shutdown().await;
}

//! The client's `/mcp-servers` against the hosted stand-in: the SDK's
//! shapes, a header value sent once and never read back, a real `test`,
//! and the 409 of a delete with the assistants named.

use testkit::hosted_support::{self, HOSTED_KEY};
use testkit::mcp_support::{McpStandIn, TOOLS};

use secrecy::SecretString;
use serde_json::json;
use voicedock::client::{ApiClient, ApiError};
use voicedock::domain::mcp::{CreateMcpServer, McpHeaders, McpTestRequest};

const VALUE: &str = "mcp-hosted-Rk3Nw8Tq5Zy1";

#[tokio::test]
async fn mcp_servers_on_the_hosted_stand_in_add_test_and_refuse_a_delete_in_use() {
    let (base, hosted) = hosted_support::start().await;
    let stand_in = McpStandIn::tools("x-api-key", VALUE).await;
    let client = ApiClient::new(&base, SecretString::from(HOSTED_KEY)).unwrap();
    let headers = McpHeaders([("x-api-key".to_owned(), SecretString::from(VALUE))].into());
    let created = client
        .create_mcp_server(&CreateMcpServer {
            name: "Orders".into(),
            url: stand_in.url.clone(),
            transport: None,
            headers: Some(headers),
            timeout_seconds: None,
        })
        .await
        .unwrap();
    assert_eq!(created.header_names, ["x-api-key"]);
    assert_eq!(created.timeout_seconds, 20);
    let listed = client.mcp_servers().await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created));

    let tested = client
        .test_mcp_server(&created.id, &McpTestRequest::default())
        .await
        .unwrap();
    assert!(tested.ok, "{tested:?}");
    let names: Vec<String> = tested.tools.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, TOOLS);

    hosted.lock().unwrap().assistants.push(json!({
        "id": "a1", "name": "Front desk",
        "llm_config": {"provider": "openai", "tools": [{"type": "mcp", "mcp_server_id": created.id, "allowed_tools": []}]}
    }));
    let refused = client.delete_mcp_server(&created.id).await.unwrap_err();
    assert!(matches!(refused, ApiError::Conflict(_)), "{refused:?}");
    assert!(refused.to_string().contains("Front desk"), "{refused}");
    hosted.lock().unwrap().assistants.clear();
    client.delete_mcp_server(&created.id).await.unwrap();
    assert!(client.mcp_servers().await.unwrap().is_empty());
}

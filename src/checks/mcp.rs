//! An MCP server's `test`: `initialize` and one `tools/list` with the
//! official SDK's client (`rmcp`), bounded in time by the server's
//! `timeout_seconds` and in bytes by the key checks' read budget, the
//! answer through the scrub boundary with the header values as secrets.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue};
use rmcp::ServiceExt;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use secrecy::ExposeSecret;

use crate::domain::mcp::{McpHeaders, McpTestResult, McpTool, McpTransport};
use crate::domain::text::{KeyPieces, MAX_ANSWER_BYTES};

const ERROR: usize = 300;

/// Connects to `url`, lists its tools and closes; never longer than
/// `timeout`, never more than `MAX_ANSWER_BYTES` in one answer.
pub async fn test_server(
    url: &str,
    transport: McpTransport,
    headers: &McpHeaders,
    timeout: Duration,
) -> McpTestResult {
    let started = Instant::now();
    let mut secrets = KeyPieces::default();
    for value in headers.values() {
        secrets.add(value);
    }
    let outcome = match transport {
        McpTransport::StreamableHttp => {
            match tokio::time::timeout(timeout, streamable(url, headers)).await {
                Ok(result) => result,
                Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
            }
        }
        McpTransport::Sse => Err(
            "this server tests streamable_http servers only; an sse server is stored but not tested here"
                .to_owned(),
        ),
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    let answer = match outcome {
        Ok(tools) => McpTestResult {
            ok: true,
            duration_ms,
            tools: Some(tools.into_iter().map(plain_tool).collect()),
            error: None,
        },
        Err(why) => McpTestResult {
            ok: false,
            duration_ms,
            tools: None,
            error: Some(why),
        },
    };
    answer.scrubbed(&secrets)
}

fn plain_tool(t: rmcp::model::Tool) -> McpTool {
    McpTool {
        name: t.name.into_owned(),
        description: t.description.map(|d| d.into_owned()),
        input_schema: serde_json::Value::Object(t.input_schema.as_ref().clone()),
    }
}

async fn streamable(url: &str, headers: &McpHeaders) -> Result<Vec<rmcp::model::Tool>, String> {
    let http = crate::client::http_for(url).map_err(|e| e.to_string())?;
    let mut sent = HashMap::new();
    for (name, value) in &headers.0 {
        let name = HeaderName::try_from(name.as_str()).map_err(|_| "a header name is invalid")?;
        let mut value = HeaderValue::from_str(value.expose_secret())
            .map_err(|_| format!("the value of header {name} is invalid"))?;
        value.set_sensitive(true);
        sent.insert(name, value);
    }
    let config = StreamableHttpClientTransportConfig::with_uri(url)
        .custom_headers(sent)
        .max_json_response_size(MAX_ANSWER_BYTES)
        .max_sse_event_size(MAX_ANSWER_BYTES)
        .max_error_response_size(4 << 10);
    let transport = StreamableHttpClientTransport::with_client(http, config);
    let client = ()
        .serve(transport)
        .await
        .map_err(|e| format!("initialize failed: {}", short(&e.to_string())))?;
    let listed = client.list_tools(None).await;
    // Dropped, the service is cancelled at once: a server slow to close
    // the session costs the test nothing more.
    drop(client);
    let listed = listed.map_err(|e| format!("tools/list failed: {}", short(&e.to_string())))?;
    Ok(listed.tools)
}

/// The first line of an error, which is where rmcp says what went wrong,
/// after the transport's type name; the rest (answers quoted whole) is not
/// for a person.
fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let said = line.rsplit_once("] error: ").map_or(line, |(_, said)| said);
    said.chars().take(ERROR).collect()
}

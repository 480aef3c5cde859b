//! `mcp ls|add|test|rm`. Header values never come from argv: each is read
//! as a key is (`secret::read_header_values`) and hidden from all output.

use std::collections::BTreeMap;

use reqwest::Method;

use super::mcp_headers::read_header_values;
use super::table::render;
use super::{Failure, McpCommand, Outcome, print, print_json};
use crate::client::ApiClient;
use crate::domain::mcp::{CreateMcpServer, McpHeaders, McpServer, McpTestRequest, McpTransport};

pub(super) async fn run(client: &ApiClient, json: bool, command: McpCommand) -> Outcome {
    match command {
        McpCommand::Ls if json => print_json(&client.raw(Method::GET, "/mcp-servers", None).await?),
        McpCommand::Ls => print(&table(&client.mcp_servers().await?)),
        McpCommand::Add {
            name,
            url,
            transport,
            headers,
            timeout,
        } => add(client, json, name, url, &transport, &headers, timeout).await,
        McpCommand::Test { server } => test(client, json, &server).await,
        McpCommand::Rm { server } => {
            let found = find(client, &server).await?;
            client.delete_mcp_server(&found.id).await?;
            if json {
                return print_json(&serde_json::json!({"success": true}));
            }
            print(&format!("{}: removed\n", found.name))
        }
    }
}

fn table(servers: &[McpServer]) -> String {
    if servers.is_empty() {
        return "No MCP servers. Add one with `voicedock mcp add NAME --url URL`.\n".to_owned();
    }
    let rows: Vec<Vec<String>> = servers
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.transport.label().to_owned(),
                s.url.clone(),
                if s.header_names.is_empty() {
                    "-".to_owned()
                } else {
                    s.header_names.join(", ")
                },
                format!("{} s", s.timeout_seconds),
                s.id.clone(),
            ]
        })
        .collect();
    render(
        &["NAME", "TRANSPORT", "URL", "HEADERS", "TIMEOUT", "ID"],
        &rows,
    )
}

async fn add(
    client: &ApiClient,
    json: bool,
    name: String,
    url: String,
    transport: &str,
    names: &[String],
    timeout: Option<u32>,
) -> Outcome {
    // `--header X-Api-Key=...` puts a value in argv: refused, never repeated.
    if names.iter().any(|n| n.contains(['=', ':', ' '])) {
        return Err(Failure::failed(
            "a --header takes the header's NAME only; its value is read at a masked prompt \
             or from stdin (one line per header), never from the command line. If a value \
             was real, consider rotating it.",
        ));
    }
    let values = read_header_values(names)?;
    let headers: BTreeMap<_, _> = names.iter().cloned().zip(values).collect();
    let request = CreateMcpServer {
        name,
        url,
        transport: McpTransport::parse(transport),
        headers: (!headers.is_empty()).then_some(McpHeaders(headers)),
        timeout_seconds: timeout,
    };
    let created = client.create_mcp_server(&request).await?;
    if json {
        let body = serde_json::json!({"mcp_server": created});
        return print_json(&body);
    }
    print(&format!(
        "{}: added ({} header(s) stored sealed), id {}\n",
        created.name,
        created.header_names.len(),
        created.id
    ))
}

async fn test(client: &ApiClient, json: bool, server: &str) -> Outcome {
    let found = find(client, server).await?;
    let result = client
        .test_mcp_server(&found.id, &McpTestRequest::default())
        .await?;
    if json {
        print_json(&serde_json::to_value(&result).map_err(|e| Failure::failed(e.to_string()))?)?;
    } else if result.ok {
        let tools = result.tools.as_deref().unwrap_or_default();
        let mut text = format!(
            "{}: reachable in {} ms, {} tool(s)\n",
            found.name,
            result.duration_ms,
            tools.len()
        );
        for tool in tools {
            let about = tool.description.as_deref().unwrap_or_default();
            text.push_str(&format!("  {}  {about}\n", tool.name));
        }
        print(&text)?;
    } else {
        print(&format!(
            "{}: not reachable after {} ms: {}\n",
            found.name,
            result.duration_ms,
            result.error.as_deref().unwrap_or("no reason given")
        ))?;
    }
    if result.ok {
        Ok(())
    } else {
        Err(Failure {
            message: None,
            code: 1,
        })
    }
}

/// The server named `wanted` by id, else by name.
async fn find(client: &ApiClient, wanted: &str) -> Result<McpServer, Failure> {
    let servers = client.mcp_servers().await?;
    let by_id = servers.iter().find(|s| s.id == wanted);
    let found = by_id.or_else(|| servers.iter().find(|s| s.name == wanted));
    found.cloned().ok_or_else(|| {
        Failure::failed(format!(
            "no MCP server with the id or name {wanted:?}; `voicedock mcp ls` lists them"
        ))
    })
}

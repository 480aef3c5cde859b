//! MCP servers on 127.0.0.1 for `POST /mcp-servers/{id}/test`: one written
//! with the official SDK's server side (`rmcp`) that lists two tools and
//! refuses a request without its header, and raw ones that hang, answer
//! garbage without end, or echo the headers they were sent.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use rmcp::model::{
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The tools the SDK stand-in lists.
pub const TOOLS: [&str; 2] = ["lookup_order", "book_table"];

/// A running stand-in; stopped when dropped.
pub struct McpStandIn {
    pub url: String,
    task: JoinHandle<()>,
}

impl Drop for McpStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Tools;

impl ServerHandler for Tools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let schema = |field: &str| {
            let value = json!({"type": "object", "properties": {field: {"type": "string"}}});
            Arc::new(value.as_object().unwrap().clone())
        };
        Ok(ListToolsResult::with_all_items(vec![
            Tool::new(
                TOOLS[0],
                "Finds an order by its number",
                schema("order_number"),
            ),
            Tool::new(TOOLS[1], "Books a table for a party", schema("party")),
        ]))
    }
}

impl McpStandIn {
    /// The SDK's server at `/mcp`, answering only requests that carry
    /// `header: value`.
    pub async fn tools(header: &'static str, value: &str) -> McpStandIn {
        let service = StreamableHttpService::new(
            || Ok(Tools),
            Arc::new(LocalSessionManager::default()),
            StreamableHttpServerConfig::default(),
        );
        let wanted = value.to_owned();
        let guard = move |request: Request, next: Next| {
            let wanted = wanted.clone();
            async move {
                let given = request.headers().get(header).and_then(|v| v.to_str().ok());
                if given != Some(wanted.as_str()) {
                    return (StatusCode::UNAUTHORIZED, "missing or wrong key").into_response();
                }
                next.run(request).await
            }
        };
        let app = axum::Router::new()
            .nest_service("/mcp", service)
            .layer(middleware::from_fn(guard));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/mcp", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        McpStandIn { url, task }
    }

    /// Accepts connections and never answers.
    pub async fn hanging() -> McpStandIn {
        raw(|mut socket| async move {
            let mut sink = [0u8; 1024];
            while matches!(socket.read(&mut sink).await, Ok(n) if n > 0) {}
            std::future::pending::<()>().await;
        })
        .await
    }

    /// Answers `200 application/json` with bytes that are not JSON, without
    /// end (until the client stops reading, or 256 MiB).
    pub async fn garbage() -> McpStandIn {
        raw(|mut socket| async move {
            read_head(&mut socket).await;
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let chunk = vec![b'#'; 64 << 10];
            for _ in 0..4096 {
                if socket.write_all(&chunk).await.is_err() {
                    return;
                }
            }
        })
        .await
    }

    /// Answers 400 with the request's head, headers and all, on one line
    /// as its body.
    pub async fn echoing() -> McpStandIn {
        raw(|mut socket| async move {
            let head = read_head(&mut socket).await.trim_end().replace("\r\n", " | ");
            let answer = format!(
                "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{head}",
                head.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        })
        .await
    }
}

async fn raw<F, Fut>(serve: F) -> McpStandIn
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket));
        }
    });
    McpStandIn { url, task }
}

/// The request line and headers, read up to the blank line.
async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 64 << 10 {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

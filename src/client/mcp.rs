//! `/mcp-servers` (platform SDK 2.2). Header values go out only in a
//! create's or test's body and are hidden from any error that quotes it;
//! a test's answer passes the scrub boundary with them as secrets.

use reqwest::Method;

use super::wire::{parse, to_body};
use super::{ApiClient, ApiError};
use crate::domain::mcp::{
    CreateMcpServer, McpServer, McpServerEnvelope, McpServerList, McpTestRequest, McpTestResult,
};

impl ApiClient {
    pub async fn mcp_servers(&self) -> Result<Vec<McpServer>, ApiError> {
        let list: McpServerList = self.get_json(&["mcp-servers"]).await?;
        Ok(list.mcp_servers)
    }

    pub async fn create_mcp_server(
        &self,
        request: &CreateMcpServer,
    ) -> Result<McpServer, ApiError> {
        let values: Vec<&str> = request.headers.iter().flat_map(|h| h.values()).collect();
        let hiding = self.hiding(values.iter().copied());
        let body = to_body(request)?;
        let answer = hiding
            .send(
                Method::POST,
                self.at(&["mcp-servers"])?,
                Some(body),
                None,
                true,
            )
            .await?;
        let created: McpServerEnvelope = parse(&answer.body)?;
        Ok(created.mcp_server)
    }

    pub async fn delete_mcp_server(&self, id: &str) -> Result<(), ApiError> {
        self.send(
            Method::DELETE,
            self.at(&["mcp-servers", id])?,
            None,
            None,
            true,
        )
        .await?;
        Ok(())
    }

    /// `POST /mcp-servers/{id}/test`: the server reaches the MCP server
    /// with its stored headers (and `request`'s, for this test only).
    pub async fn test_mcp_server(
        &self,
        id: &str,
        request: &McpTestRequest,
    ) -> Result<McpTestResult, ApiError> {
        let values: Vec<&str> = request.headers.iter().flat_map(|h| h.values()).collect();
        let hiding = self.hiding(values.iter().copied());
        let body = to_body(request)?;
        let answer = hiding
            .send(
                Method::POST,
                self.at(&["mcp-servers", id, "test"])?,
                Some(body),
                None,
                true,
            )
            .await?;
        let result: McpTestResult = parse(&answer.body)?;
        Ok(result.scrubbed(hiding.hidden_pieces()))
    }
}

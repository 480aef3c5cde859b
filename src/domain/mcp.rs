//! MCP servers (`/api/v1/mcp-servers`, platform SDK 2.2): an endpoint whose
//! tools an assistant may use, with header values that are write-only
//! secrets, sealed at rest and never answered (only `header_names`).

use std::collections::BTreeMap;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use super::FieldError;
use super::assistant::whole_u32;
use super::text::{KeyPieces, MAX_LISTED, Scrubber};

pub const MAX_HEADERS: usize = 10;
pub const MIN_TIMEOUT_SECONDS: u32 = 5;
pub const MAX_TIMEOUT_SECONDS: u32 = 60;
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 20;
pub const MAX_URL: usize = 2048;
pub const MAX_HEADER_VALUE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum McpTransport {
    #[default]
    StreamableHttp,
    Sse,
}

impl McpTransport {
    pub fn label(self) -> &'static str {
        match self {
            McpTransport::StreamableHttp => "streamable_http",
            McpTransport::Sse => "sse",
        }
    }

    pub fn parse(text: &str) -> Option<McpTransport> {
        match text {
            "streamable_http" => Some(McpTransport::StreamableHttp),
            "sse" => Some(McpTransport::Sse),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpServer {
    pub id: String,
    pub name: String,
    pub url: String,
    pub transport: McpTransport,
    /// Which headers are sent; their values are never answered.
    pub header_names: Vec<String>,
    pub timeout_seconds: u32,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpServerEnvelope {
    pub mcp_server: McpServer,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpServerList {
    pub mcp_servers: Vec<McpServer>,
}

/// Header names and their secret values. `Debug` shows the names only;
/// serializing exposes the values, which only a client sending them does.
#[derive(Default, Deserialize, utoipa::ToSchema)]
#[schema(value_type = BTreeMap<String, String>)]
pub struct McpHeaders(pub BTreeMap<String, SecretString>);

impl std::fmt::Debug for McpHeaders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

impl Serialize for McpHeaders {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v.expose_secret())))
    }
}

impl McpHeaders {
    pub fn names(&self) -> Vec<String> {
        self.0.keys().cloned().collect()
    }

    /// Every value, for the scrubber: none may come back in an answer.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.values().map(|v| v.expose_secret())
    }

    /// Names are case-insensitive on the wire, so two spellings of one name
    /// would send the header twice.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.0.len() > MAX_HEADERS {
            return Err(FieldError::new(
                "headers",
                format!("at most {MAX_HEADERS} headers"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (name, value) in &self.0 {
            let param = "headers";
            if !is_header_name(name) {
                return Err(FieldError::new(
                    param,
                    "a header name is 1–64 letters, digits or -_ characters",
                ));
            }
            if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                return Err(FieldError::new(
                    param,
                    format!("the header {name} is set by the connection itself"),
                ));
            }
            if !seen.insert(name.to_ascii_lowercase()) {
                return Err(FieldError::new(
                    param,
                    format!("the header {name} is given twice"),
                ));
            }
            let value = value.expose_secret();
            // The value is never repeated in an error: it is a secret.
            if value.is_empty()
                || value.chars().count() > MAX_HEADER_VALUE
                || value.chars().any(char::is_control)
            {
                return Err(FieldError::new(
                    format!("headers.{name}"),
                    format!(
                        "a header value is 1–{MAX_HEADER_VALUE} characters without control characters"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Headers the MCP connection sets itself; a stored one would clash with it.
const RESERVED: &[&str] = &[
    "host",
    "content-length",
    "content-type",
    "accept",
    "connection",
    "transfer-encoding",
    "mcp-session-id",
    "mcp-protocol-version",
    "last-event-id",
];

fn is_header_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `POST /api/v1/mcp-servers`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMcpServer {
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<McpTransport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<McpHeaders>,
    #[serde(
        default,
        deserialize_with = "whole_u32",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<u32>)]
    pub timeout_seconds: Option<u32>,
}

/// `PATCH /api/v1/mcp-servers/{id}`: `headers` replaces every stored one.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMcpServer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<McpTransport>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<McpHeaders>,
    #[serde(
        default,
        deserialize_with = "whole_u32",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<u32>)]
    pub timeout_seconds: Option<u32>,
}

/// `POST /api/v1/mcp-servers/{id}/test`: headers merged over the stored
/// ones for this test only.
#[derive(Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct McpTestRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<McpHeaders>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpTool {
    pub name: String,
    pub description: Option<String>,
    #[schema(value_type = Object)]
    pub input_schema: serde_json::Value,
}

/// `{ok: true, duration_ms, tools}` or `{ok: false, duration_ms, error}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct McpTestResult {
    pub ok: bool,
    pub duration_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<McpTool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

const TOOL_NAME: usize = 128;
const TOOL_DESCRIPTION: usize = 1_000;
const TEST_ERROR: usize = 300;
/// A tool's parameters past this are not a schema anyone reads on a screen.
const MAX_SCHEMA_BYTES: usize = 16 << 10;

impl McpTestResult {
    /// This answer through the scrub boundary: it came from an MCP server
    /// (or a server we do not own), so no form of `secrets`, no terminal
    /// control, and bounded lists and texts, wherever it was made or read.
    pub fn scrubbed(self, secrets: &KeyPieces) -> McpTestResult {
        let mut scrub = Scrubber::new(secrets);
        let tools = self.tools.map(|tools| {
            tools
                .into_iter()
                .take(MAX_LISTED)
                .map(|t| {
                    let text = t.input_schema.to_string();
                    let keep = text.len() <= MAX_SCHEMA_BYTES && !secrets.found_in(&text);
                    McpTool {
                        name: scrub.value(&t.name, TOOL_NAME),
                        description: t.description.map(|d| scrub.sentence(&d, TOOL_DESCRIPTION)),
                        input_schema: if keep {
                            t.input_schema
                        } else {
                            serde_json::json!({})
                        },
                    }
                })
                .collect()
        });
        McpTestResult {
            ok: self.ok,
            duration_ms: self.duration_ms,
            tools,
            error: self.error.map(|e| scrub.sentence(&e, TEST_ERROR)),
        }
    }
}

/// The name as an assistant's name is checked, and stored trimmed.
pub fn validate_name(name: &str) -> Result<String, FieldError> {
    super::validate::validate_name(name)?;
    Ok(name.trim().to_owned())
}

pub fn validate_timeout(seconds: u32) -> Result<u32, FieldError> {
    if !(MIN_TIMEOUT_SECONDS..=MAX_TIMEOUT_SECONDS).contains(&seconds) {
        return Err(FieldError::new(
            "timeout_seconds",
            format!("timeout_seconds is {MIN_TIMEOUT_SECONDS}–{MAX_TIMEOUT_SECONDS}"),
        ));
    }
    Ok(seconds)
}

/// The URL as stored: `https://`, or `http://` to a loopback address
/// only (a server on this machine, as in tests: nothing crosses a network
/// in the clear). No credentials in it (they go in `headers`), no fragment.
/// The host is returned too, so a change of host can be told.
pub fn validate_url(url: &str) -> Result<(String, String), FieldError> {
    let bad = |why: &str| FieldError::new("url", why.to_owned());
    let url = url.trim();
    if url.chars().count() > MAX_URL || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(bad("url is an https:// address of at most 2048 characters"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("url must start with https://"))?;
    let scheme = scheme.to_ascii_lowercase();
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad("url must not hold credentials; put them in headers"));
    }
    if rest.contains('#') {
        return Err(bad("url must not have a fragment"));
    }
    let host = host_of(authority).ok_or_else(|| bad("url has no host"))?;
    match scheme.as_str() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(bad(
                "url must use https://; http:// is taken only for a loopback address (127.0.0.1, [::1], localhost)",
            ));
        }
        _ => return Err(bad("url must start with https://")),
    }
    let path = &rest[authority.len()..];
    Ok((
        format!("{scheme}://{}{path}", authority.to_ascii_lowercase()),
        host,
    ))
}

/// The host of `host[:port]` or `[v6]:port`, lowercase.
fn host_of(authority: &str) -> Option<String> {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    let ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:_".contains(&b));
    ok.then(|| host.to_ascii_lowercase())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where an assistant's `llm_config.tools` name MCP servers: each tool's
/// index and the id it names, read from the JSON so that however the
/// tools are typed this one reading serves.
pub fn mcp_server_ids(llm_config: &serde_json::Value) -> Vec<(usize, String)> {
    let Some(tools) = llm_config.get("tools").and_then(|t| t.as_array()) else {
        return Vec::new();
    };
    tools
        .iter()
        .enumerate()
        .filter(|(_, t)| t.get("type").and_then(|v| v.as_str()) == Some("mcp"))
        .map(|(i, t)| {
            let id = t
                .get("mcp_server_id")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            (i, id.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_is_taken_for_loopback_only() {
        assert!(validate_url("https://mcp.example.com/mcp").is_ok());
        assert!(validate_url("http://127.0.0.1:8080/mcp").is_ok());
        assert!(validate_url("http://[::1]:8080/mcp").is_ok());
        assert!(validate_url("http://localhost/mcp").is_ok());
        assert!(validate_url("http://mcp.example.com/mcp").is_err());
        assert!(validate_url("http://127.0.0.1.example.com/mcp").is_err());
        assert!(validate_url("ftp://127.0.0.1/mcp").is_err());
        assert!(validate_url("https://user:pw@mcp.example.com/").is_err());
    }

    #[test]
    fn header_debug_names_no_value() {
        let h: McpHeaders =
            serde_json::from_str(r#"{"Authorization":"Bearer s3cr3t-value"}"#).unwrap();
        assert!(!format!("{h:?}").contains("s3cr3t"));
        assert!(h.validate().is_ok());
    }
}

//! An LLM's tools, as far as the platform types them: an MCP tool names one
//! of the account's MCP servers and which of its tools the assistant may call.
//! Other tools (functions, transfers) are the platform's business.

use serde_json::Value;

use super::Check;
use crate::domain::FieldError;

pub const MCP_ALLOWED_TOOLS_MAX: usize = 25;
pub const MCP_SERVER_ID_MAX: usize = 64;
pub const MCP_TOOL_FIELDS: [&str; 4] = ["type", "mcp_server_id", "allowed_tools", "required"];

/// Checks the MCP entries of `tools` (the LLM config's `tools`).
pub(super) fn validate_tools(tools: &Value) -> Check {
    let entries = tools.as_array().into_iter().flatten();
    for (i, tool) in entries.enumerate() {
        if tool["type"] == "mcp" {
            validate_mcp(tool).map_err(|e| e.under(&format!("tools[{i}]")))?;
        }
    }
    Ok(())
}

fn validate_mcp(tool: &Value) -> Check {
    let Some(fields) = tool.as_object() else {
        return Ok(());
    };
    if let Some(other) = fields
        .keys()
        .find(|k| !MCP_TOOL_FIELDS.contains(&k.as_str()))
    {
        let (param, message) = match crate::domain::quoted(other) {
            Some(_) => (other.clone(), format!("an MCP tool does not take {other}")),
            None => (
                String::new(),
                "an MCP tool takes only type, mcp_server_id, allowed_tools and required".to_owned(),
            ),
        };
        return Err(FieldError::new(param, message));
    }
    // The form only: whether the server exists is the account's data, which
    // the reference server checks where it stores the assistant (and the
    // console cannot know offline).
    let id_ok = tool["mcp_server_id"].as_str().is_some_and(|id| {
        !id.is_empty()
            && id.len() <= MCP_SERVER_ID_MAX
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    if !id_ok {
        return Err(FieldError::new(
            "mcp_server_id",
            format!("mcp_server_id is required: 1–{MCP_SERVER_ID_MAX} of A–Z, a–z, 0–9, _ and -"),
        ));
    }
    match &tool["allowed_tools"] {
        Value::Null => {}
        Value::Array(names) if names.iter().all(Value::is_string) => {
            if names.len() > MCP_ALLOWED_TOOLS_MAX {
                return Err(FieldError::new(
                    "allowed_tools",
                    format!("allowed_tools takes at most {MCP_ALLOWED_TOOLS_MAX} tool names"),
                ));
            }
        }
        _ => {
            return Err(FieldError::new(
                "allowed_tools",
                "allowed_tools must be a list of tool names",
            ));
        }
    }
    if !matches!(tool["required"], Value::Null | Value::Bool(_)) {
        return Err(FieldError::new(
            "required",
            "required must be true or false",
        ));
    }
    Ok(())
}

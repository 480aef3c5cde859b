//! The MCP server rules (`domain::mcp`) stated in the document from the same
//! constants, so what it allows is what the server accepts: the name as an
//! assistant's, the URL rule (`https://`, `http://` to loopback only), the
//! timeout's range and the headers' names and values.

use serde_json::{Value, json};

use super::doc_rules::{WHITE_SPACE, name_pattern};
use super::doc_text::control_class;
use crate::domain::mcp::{
    MAX_HEADER_VALUE, MAX_HEADERS, MAX_TIMEOUT_SECONDS, MAX_URL, MIN_TIMEOUT_SECONDS,
};

/// A subset of what `validate_url` takes: enough for every real address.
fn url_pattern() -> String {
    let control = control_class(&[]);
    let host = r"(?:https://[a-z0-9.-]+|http://(?:127\.0\.0\.1|localhost|\[::1\]))";
    format!(r"^{host}(?::[0-9]{{1,5}})?(?:/[^{control}{WHITE_SPACE}#]*)?$")
}

pub fn add_mcp_rules(doc: &mut Value) {
    let schemas = &mut doc["components"]["schemas"];
    for name in ["CreateMcpServer", "UpdateMcpServer"] {
        let fields = &mut schemas[name]["properties"];
        fields["name"]["pattern"] = name_pattern().into();
        fields["url"]["pattern"] = url_pattern().into();
        fields["url"]["maxLength"] = MAX_URL.into();
        fields["timeout_seconds"]["minimum"] = MIN_TIMEOUT_SECONDS.into();
        fields["timeout_seconds"]["maximum"] = MAX_TIMEOUT_SECONDS.into();
    }
    let control = control_class(&[]);
    schemas["McpHeaders"] = json!({
        "type": "object",
        "description": "Header names and their values, which are write-only: sealed at rest, never answered.",
        "maxProperties": MAX_HEADERS,
        // Names the connection sets itself (Host, Accept, ...) are refused too.
        "propertyNames": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
        "additionalProperties": {
            "type": "string",
            "format": "password",
            "pattern": format!("^[^{control}]{{1,{MAX_HEADER_VALUE}}}$"),
        },
    });
    for path in ["/api/v1/mcp-servers/{id}", "/api/v1/mcp-servers/{id}/test"] {
        let Some(item) = doc["paths"].get_mut(path).and_then(Value::as_object_mut) else {
            continue;
        };
        for op in item.values_mut() {
            let params = op.get_mut("parameters").and_then(Value::as_array_mut);
            for p in params.into_iter().flatten().filter(|p| p["name"] == "id") {
                p["schema"] = json!({"type": "string", "format": "uuid"});
            }
        }
    }
    // An empty body or an object: never `null`.
    let body = &mut doc["paths"]["/api/v1/mcp-servers/{id}/test"]["post"]["requestBody"];
    body["required"] = false.into();
    body["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/McpTestRequest"});
}

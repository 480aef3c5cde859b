//! The served OpenAPI document, for the tests that read it.

use reqwest::Method;
use serde_json::Value;
use voicedock::server::ServerConfig;

use super::TestServer;

pub async fn document() -> Value {
    document_with(|_| {}).await
}

pub async fn document_with(adjust: impl FnOnce(&mut ServerConfig)) -> Value {
    let server = TestServer::start_with(adjust).await;
    let r = server
        .raw(Method::GET, "/api/openapi.json", None, None, &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// The response object, following a `$ref` into components.
pub fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(pointer) => doc
            .pointer(pointer.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{pointer} does not resolve")),
        None => value,
    }
}

/// The provider variants of a config schema, by provider id.
pub fn variants<'a>(doc: &'a Value, config: &str) -> Vec<(String, &'a Value)> {
    doc["components"]["schemas"][config]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| resolve(doc, v))
        .map(|v| {
            (
                v["properties"]["provider"]["enum"][0]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                v,
            )
        })
        .collect()
}

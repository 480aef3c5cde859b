//! The rules of `domain::validate`, the key check and the routes, stated in
//! the document from the same constants and the same catalog, so what the
//! document allows is what the server accepts. The regular expressions are
//! written for both ECMA-262 and Python, which is what clients test with.

use serde_json::{Value, json};

use super::doc_text::{add_text_rules, control_class};
use super::paging::{OFFSET_MAX, PAGE_MAX};
use crate::domain::catalog::{CatalogProvider, KeyFormat};
use crate::domain::validate::{
    FIRST_MESSAGE_MAX, MESSAGE_CONTENT_MAX, NAME_MAX, ROLES, VOICE_ID_MAX,
};
use crate::domain::{
    CONTENT_RETENTION_DAYS, CallStatus, Catalog, MAX_CREDENTIAL_LEN, MAX_KEY_LEN, MAX_SETTING_NAME,
    MAX_SETTINGS, METADATA_RETENTION_DAYS, MIN_KEY_LEN, ORGANIZATION_NAME_MAX, SectionId,
};

/// What Rust's `trim` takes away: Unicode's White_Space. Spelt out, since
/// `\s` differs between regex dialects.
pub(super) const WHITE_SPACE: &str =
    r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";

/// `schema` that also takes `null`.
pub fn nullable(mut schema: Value) -> Value {
    let kind = schema["type"].clone();
    match kind {
        Value::String(t) => schema["type"] = json!([t, "null"]),
        Value::Array(mut ts) if !ts.iter().any(|t| t == "null") => {
            ts.push("null".into());
            schema["type"] = ts.into();
        }
        _ => return schema,
    }
    if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    }
    schema
}

/// A name after trimming: 1–`NAME_MAX` characters, none of them control
/// characters; around it, any white space (`validate_name`).
pub(super) fn name_pattern() -> String {
    trimmed_pattern(NAME_MAX)
}

/// 1–`max` characters after trimming, as `name_pattern`.
fn trimmed_pattern(max: usize) -> String {
    let padding = format!("[{WHITE_SPACE}]*");
    let control = control_class(&[]);
    let edge = format!("[^{control} {WHITE_SPACE}]");
    let inner = format!("[^{control}]");
    let middle = max - 2;
    format!("^{padding}{edge}(?:{inner}{{0,{middle}}}{edge})?{padding}$")
}

pub fn voice_id_schema(p: &CatalogProvider) -> Value {
    let mut schema = json!({
        "type": "string",
        "pattern": format!("^[A-Za-z0-9_-]{{1,{VOICE_ID_MAX}}}$"),
    });
    if p.voices_are_enum() {
        schema["enum"] = p.voices.clone().into();
    }
    schema
}

pub(super) fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if r"\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One body per BYOK provider: its key's format (`validate_provider_key`).
fn set_key_variant(provider: &str, format: &KeyFormat) -> Value {
    let api_key = match format {
        KeyFormat::Token { prefix } => json!({
            "type": "string",
            "format": "password",
            "minLength": MIN_KEY_LEN,
            "maxLength": MAX_KEY_LEN,
            "pattern": format!("^{}[!-~]*$", regex_escape(prefix.as_deref().unwrap_or(""))),
            "description": "Printable ASCII without white space.",
        }),
        KeyFormat::JsonCredential {
            required_fields,
            document_type,
        } => {
            let mut fields = serde_json::Map::new();
            for f in required_fields {
                fields.insert(f.clone(), json!({"type": "string", "minLength": 1}));
            }
            if let Some(t) = document_type {
                fields.insert("type".into(), json!({"type": "string", "enum": [t]}));
            }
            json!({
                "type": "string",
                "format": "json-credential",
                "maxLength": MAX_CREDENTIAL_LEN,
                "contentMediaType": "application/json",
                "contentSchema": {"type": "object", "required": required_fields, "properties": fields},
                "description": "The service account's JSON key file, as text.",
            })
        }
    };
    json!({
        "type": "object",
        "title": provider,
        "required": ["provider", "api_key"],
        "properties": {"provider": {"type": "string", "enum": [provider]}, "api_key": api_key},
        "additionalProperties": false,
    })
}

fn byok_rules(doc: &mut Value, cat: &Catalog) {
    let providers: Vec<&str> = cat.byok_provider_ids().collect();
    let schemas = &mut doc["components"]["schemas"];
    let variants: Vec<Value> = cat
        .secrets()
        .iter()
        .map(|s| set_key_variant(&s.provider, &s.key_format))
        .collect();
    let description = schemas["SetKeyRequest"]["description"].clone();
    schemas["SetKeyRequest"] = json!({"description": description, "oneOf": variants});
    schemas["DeleteKeyRequest"]["properties"]["provider"]["enum"] = json!(providers);
    let settings = &mut schemas["SetSettingsRequest"]["properties"];
    settings["provider"]["enum"] = json!(providers);
    settings["config"]["maxProperties"] = MAX_SETTINGS.into();
    settings["config"]["propertyNames"] =
        json!({"pattern": format!("^[A-Za-z0-9_.-]{{1,{MAX_SETTING_NAME}}}$")});
    let check = &mut doc["paths"]["/api/v1/byok/{provider}/check"]["post"];
    if let Some(params) = check.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params.iter_mut().filter(|p| p["name"] == "provider") {
            p["schema"] = json!({"type": "string", "enum": providers});
        }
    }
    // An empty body or `{}`: never `null`.
    let body = &mut check["requestBody"];
    body["required"] = false.into();
    body["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/CheckKeyRequest"});
}

/// An `If-Match` header `parse_if_match` takes: `*`, or a list of entity
/// tags of visible ASCII but the quote (and the comma, which splits the list).
fn if_match_pattern() -> String {
    let tag = r#"(?:W/)?"[!#-+\--~]*""#;
    format!(r"^[ \t]*(?:\*|(?:,[ \t]*)*{tag}(?:[ \t]*,(?:[ \t]*{tag})?)*)[ \t]*$")
}

/// The parameters of the operations under `path`.
fn parameters<'d>(doc: &'d mut Value, path: &str) -> impl Iterator<Item = (String, &'d mut Value)> {
    let item = doc["paths"].get_mut(path).and_then(Value::as_object_mut);
    item.into_iter().flat_map(|item| {
        item.iter_mut().flat_map(|(method, op)| {
            let list = op.get_mut("parameters").and_then(Value::as_array_mut);
            list.into_iter().flatten().map(move |p| (method.clone(), p))
        })
    })
}

fn parameter_rules(doc: &mut Value) {
    for (_, p) in parameters(doc, "/api/v1/calls") {
        if p["name"] == "status" {
            p["schema"] = json!({"type": "string", "enum": CallStatus::DOCUMENTED});
            p["description"] = format!(
                "Only calls with this status: {}",
                CallStatus::DOCUMENTED.join(", ")
            )
            .into();
        }
    }
    for (_, p) in parameters(doc, "/api/v1/assistants") {
        match p["name"].as_str() {
            Some("limit") => {
                p["schema"] = json!({"type": "integer", "minimum": 1, "maximum": PAGE_MAX})
            }
            Some("offset") => {
                p["schema"] = json!({"type": "integer", "minimum": 0, "maximum": OFFSET_MAX})
            }
            _ => {}
        }
    }
    for (_, p) in parameters(doc, "/api/v1/assistants/{id}") {
        match p["name"].as_str() {
            Some("If-Match") => {
                p["schema"] = json!({
                    "type": "string",
                    "pattern": if_match_pattern(),
                    "example": "\"1\"",
                })
            }
            Some("id") => p["schema"] = json!({"type": "string", "format": "uuid"}),
            _ => {}
        }
    }
}

/// A realtime LLM speaks by itself: beside one, `tts_config` is null or left out.
fn realtime_rule(cat: &Catalog) -> Value {
    let section = cat.section(SectionId::Llm);
    let mut realtime: Vec<&str> = section
        .providers
        .iter()
        .filter(|p| p.is_realtime())
        .map(|p| p.id.as_str())
        .collect();
    let aliases = section
        .aliases
        .iter()
        .filter(|(_, to)| realtime.contains(&to.as_str()));
    let aliases: Vec<&str> = aliases.map(|(a, _)| a.as_str()).collect();
    realtime.extend(aliases);
    json!({
        "if": {
            "required": ["llm_config"],
            "properties": {"llm_config": {
                "type": "object", "required": ["provider"],
                "properties": {"provider": {"enum": realtime}},
            }},
        },
        "then": {"properties": {"tts_config": {"type": "null"}}},
    })
}

fn draft_rules(doc: &mut Value, cat: &Catalog) {
    let rule = realtime_rule(cat);
    for name in ["AssistantDraft", super::doc_hosted::NEW_ASSISTANT] {
        let draft = &mut doc["components"]["schemas"][name];
        draft["properties"]["name"]["pattern"] = name_pattern().into();
        draft["properties"]["first_message"]["maxLength"] = FIRST_MESSAGE_MAX.into();
        // `known.rs` refuses a field the draft does not list.
        draft["additionalProperties"] = false.into();
        draft["if"] = rule["if"].clone();
        draft["then"] = rule["then"].clone();
    }
    let message = &mut doc["components"]["schemas"]["Message"];
    message["properties"]["role"]["enum"] = json!(ROLES);
    message["properties"]["content"]["maxLength"] = MESSAGE_CONTENT_MAX.into();
    message["properties"]["content"]["description"] =
        format!("At most {} KiB of UTF-8", MESSAGE_CONTENT_MAX / 1024).into();
}

/// The retentions offered, and content never kept longer than metadata when
/// a request sets both (against what is stored, the answer is 409).
fn organization_rules(doc: &mut Value) {
    let schemas = &mut doc["components"]["schemas"];
    schemas["CreateOrganizationRequest"]["properties"]["name"]["pattern"] =
        trimmed_pattern(ORGANIZATION_NAME_MAX).into();
    schemas["CreateOrganizationRequest"]["additionalProperties"] = false.into();
    let retention = &mut schemas["RetentionRequest"];
    retention["properties"]["content_retention_days"]["enum"] = json!(CONTENT_RETENTION_DAYS);
    retention["properties"]["metadata_retention_days"]["enum"] = json!(METADATA_RETENTION_DAYS);
    retention["additionalProperties"] = false.into();
    retention["minProperties"] = 1.into();
    retention["allOf"] = CONTENT_RETENTION_DAYS
        .iter()
        .map(|days| {
            json!({
                "if": {
                    "required": ["content_retention_days", "metadata_retention_days"],
                    "properties": {"content_retention_days": {"const": days}},
                },
                "then": {"properties": {"metadata_retention_days": {"minimum": days}}},
            })
        })
        .collect();
}

pub fn add_rules(doc: &mut Value, cat: &Catalog) {
    byok_rules(doc, cat);
    organization_rules(doc);
    parameter_rules(doc);
    draft_rules(doc, cat);
    add_text_rules(doc, &["AssistantDraft", super::doc_hosted::NEW_ASSISTANT]);
    super::doc_mcp::add_mcp_rules(doc);
}

//! JSON request bodies: at most 64 KiB, sent as `application/json`, with no
//! key twice in an object, and parsed so that every failure names the field
//! it is about.
//!
//! The Content-Type is checked ([`content_type`]) rather than the bytes
//! sniffed: a body declared as a form or as text was meant as something
//! else, and reading it as JSON anyway would let what the sender meant and
//! what the server did part ways. A forgotten `-H` in curl sends the form
//! type, and the 415 says which header to add.

mod content_type;
mod duplicates;
mod read;

use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::error::Category;

use super::error::ServerError;
use crate::domain::{
    AssistantDraft, CheckKeyRequest, CreateOrganizationRequest, DeleteKeyRequest, ErrorCode,
    RetentionRequest, SetKeyRequest, SetSettingsRequest, UnknownField, quoted,
    without_string_value,
};

pub use duplicates::refuse_duplicate_keys;
pub use read::{BodyTimeout, DEFAULT_BODY_TIMEOUT, RawBody};

/// A request body parsed as `T`; rejects with the documented error body.
pub struct JsonBody<T>(pub T);

/// Where a request type finds the fields it does not know. The shared
/// config types keep such fields aside instead of refusing them (so a client
/// can pass on what a newer server sent); the server still refuses them.
pub trait KnownFields {
    /// The first field in `body` that is not known.
    fn first_unknown(_body: &[u8]) -> Option<UnknownField> {
        None
    }
}

impl KnownFields for AssistantDraft {
    fn first_unknown(body: &[u8]) -> Option<UnknownField> {
        // Malformed JSON is reported by the typed parse that follows.
        let value: Value = serde_json::from_slice(body).ok()?;
        AssistantDraft::unknown_fields_in(&value).into_iter().next()
    }
}

// These deny unknown fields themselves; a key request is also never copied
// into a `Value`, which would leave the key in memory that is not wiped.
impl KnownFields for SetKeyRequest {}
impl KnownFields for DeleteKeyRequest {}
impl KnownFields for CheckKeyRequest {}
impl KnownFields for SetSettingsRequest {}
impl KnownFields for CreateOrganizationRequest {}
impl KnownFields for RetentionRequest {}
impl KnownFields for crate::domain::mcp::CreateMcpServer {}
impl KnownFields for crate::domain::mcp::UpdateMcpServer {}
impl KnownFields for crate::domain::mcp::McpTestRequest {}

impl<S: Send + Sync, T: DeserializeOwned + KnownFields> FromRequest<S> for JsonBody<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ServerError> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses `bytes` as `T`. Top-level request types deny unknown fields
/// themselves; the config types keep them aside ([`KnownFields`]), and any
/// other liberal type is caught by `serde_ignored`, so a typo never passes
/// silently at any depth.
pub fn parse<T: DeserializeOwned + KnownFields>(bytes: &[u8]) -> Result<T, ServerError> {
    // serde also builds a struct from an array of its fields in order; every
    // request body of the API is an object.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ServerError::new(
            ErrorCode::InvalidRequest,
            "The request body must be a JSON object.",
        ));
    }
    refuse_duplicate_keys(bytes)?;
    if let Some(field) = T::first_unknown(bytes) {
        return Err(unknown_field(field));
    }
    let mut ignored: Vec<UnknownField> = Vec::new();
    let mut note = |path: serde_ignored::Path| ignored.push(ignored_field(&path));
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note));
    let value = result.map_err(path_error)?;
    de.end().map_err(|_| malformed())?;
    if let Some(field) = ignored.into_iter().next() {
        return Err(unknown_field(field));
    }
    Ok(value)
}

fn malformed() -> ServerError {
    ServerError::new(
        ErrorCode::InvalidRequest,
        "The request body is not valid JSON.",
    )
}

/// Names the field when its name looks like one. Otherwise `param` names the
/// object holding it: a key sent as a field name must not come back in the
/// answer, nor in the log of whoever shows it.
pub(crate) fn unknown_field(field: UnknownField) -> ServerError {
    if quoted(&field.name).is_some() {
        let param = field.path();
        return ServerError::new(ErrorCode::UnknownField, format!("Unknown field `{param}`."))
            .with_param(param);
    }
    let unnamed = "a field this server does not know (its name is not repeated)";
    match field.parent {
        Some(parent) => ServerError::new(
            ErrorCode::UnknownField,
            format!("`{parent}` has {unnamed}."),
        )
        .with_param(parent),
        None => ServerError::new(ErrorCode::UnknownField, format!("The body has {unnamed}.")),
    }
}

fn path_error(err: serde_path_to_error::Error<serde_json::Error>) -> ServerError {
    let segments: Vec<_> = err.path().iter().cloned().collect();
    let last_key = match segments.last() {
        Some(serde_path_to_error::Segment::Map { key }) => Some(key.clone()),
        _ => None,
    };
    let path = json_path(&segments);
    let inner = err.into_inner();
    if !matches!(inner.classify(), Category::Data) {
        return malformed();
    }
    let message = without_position(&inner.to_string());
    let join = |field: &str| match &path {
        Some(p) => format!("{p}.{field}"),
        None => field.to_owned(),
    };
    if let Some(field) = quoted_after(&message, "unknown field `") {
        // The path may already end at the unknown key itself.
        let parent = match last_key {
            Some(key) if key == field => json_path(&segments[..segments.len() - 1]),
            _ => path,
        };
        return unknown_field(UnknownField {
            parent,
            name: field.to_owned(),
        });
    }
    if let Some(field) = quoted_after(&message, "missing field `") {
        return ServerError::invalid(join(field), format!("{} is required.", join(field)));
    }
    let detail = without_string_value(&message);
    match path {
        Some(param) => {
            let message = format!("Invalid value for `{param}`: {detail}.");
            ServerError::invalid(param, message)
        }
        None => ServerError::new(
            ErrorCode::InvalidRequest,
            format!("The request body must be a JSON object: {detail}."),
        ),
    }
}

/// The name serde quotes in messages like "unknown field `x`, expected ...".
fn quoted_after<'a>(message: &'a str, lead: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(lead)?;
    rest.split_once('`').map(|(name, _)| name)
}

/// serde_json appends " at line L column C", which means nothing to a caller
/// that built the body as a value.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// `llm_config.messages[0].role`, the notation validation errors use too.
fn json_path(segments: &[serde_path_to_error::Segment]) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    (!out.is_empty()).then_some(out)
}

fn ignored_field(path: &serde_ignored::Path) -> UnknownField {
    match path {
        serde_ignored::Path::Map { parent, key } => {
            let parent = ignored_path(parent);
            UnknownField {
                parent: (!parent.is_empty()).then_some(parent),
                name: key.clone(),
            }
        }
        other => UnknownField {
            parent: None,
            name: ignored_path(other),
        },
    }
}

fn ignored_path(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        Path::Map { parent, key } => {
            let parent = ignored_path(parent);
            if parent.is_empty() {
                key.clone()
            } else {
                format!("{parent}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err<T: DeserializeOwned + KnownFields>(json: &str) -> (ErrorCode, Option<String>, String) {
        match parse::<T>(json.as_bytes()) {
            Ok(_) => panic!("{json} parsed"),
            Err(e) => (e.code, e.param, e.message),
        }
    }

    #[test]
    fn failures_name_their_field() {
        // Config fields depend on the provider: the catalog judges those
        // (tests/server_validation.rs).
        let cases: [(&str, ErrorCode, Option<&str>); 8] = [
            ("{", ErrorCode::InvalidRequest, None),
            (r#"{"name":"a"} x"#, ErrorCode::InvalidRequest, None),
            (r#"["a", null]"#, ErrorCode::InvalidRequest, None),
            (r#"{"nam":"a"}"#, ErrorCode::UnknownField, Some("nam")),
            (
                r#"{"name":"a","llm_config":{"provider":"openai","messages":[{"role":"user","content":"x","extra":1}]}}"#,
                ErrorCode::UnknownField,
                Some("llm_config.messages[0].extra"),
            ),
            (
                r#"{"name":"a","llm_config":{"provider":"openai","temperature":"hot"}}"#,
                ErrorCode::InvalidRequest,
                Some("llm_config.temperature"),
            ),
            (
                r#"{"name":"a","llm_config":{"model":"gpt-4o"}}"#,
                ErrorCode::InvalidRequest,
                Some("llm_config.provider"),
            ),
            (r#"{"name":5}"#, ErrorCode::InvalidRequest, Some("name")),
        ];
        for (json, code, param) in cases {
            let (c, p, _) = err::<AssistantDraft>(json);
            assert_eq!((c, p.as_deref()), (code, param), "{json}");
        }
    }

    #[test]
    fn a_string_value_is_never_echoed() {
        let (_, param, message) = err::<AssistantDraft>(
            r#"{"name":"a","llm_config":{"provider":"openai","temperature":"sk-secret-value"}}"#,
        );
        assert_eq!(param.as_deref(), Some("llm_config.temperature"));
        assert!(!message.contains("sk-secret"), "{message}");
        let (code, param, message) = err::<SetKeyRequest>(r#"{"provider":"openai"}"#);
        assert_eq!(
            (code, param.as_deref()),
            (ErrorCode::InvalidRequest, Some("api_key"))
        );
        assert!(message.contains("required"));
    }
}

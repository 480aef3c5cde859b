//! JSON request bodies: at most 64 KiB, parsed so that every failure names
//! the field it is about.
//!
//! The Content-Type header is not checked. The seed's curl commands send
//! `application/json`, but a forgotten `-H` makes curl send the same JSON as
//! `application/x-www-form-urlencoded`; the body is parsed as JSON either way
//! and anything that is not JSON fails as malformed JSON (400), which tells
//! the user more than a 415 the error table does not have.

use axum::extract::{FromRequest, Request};
use axum::http::header;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use zeroize::Zeroizing;

use super::error::ServerError;
use crate::domain::ErrorCode;

pub const BODY_LIMIT: usize = 64 * 1024;

/// A request body parsed as `T`; rejects with the documented error body.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ServerError> {
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        parse(&bytes).map(JsonBody)
    }
}

/// The body's bytes, at most [`BODY_LIMIT`] of them (413 beyond), wiped
/// when dropped since they may hold a provider key.
pub struct RawBody(pub Zeroizing<Vec<u8>>);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ServerError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ServerError> {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > BODY_LIMIT as u64) {
            return Err(ServerError::payload_too_large(BODY_LIMIT));
        }
        // Counted while streaming too: a chunked body declares no length.
        let mut stream = req.into_body().into_data_stream();
        // Allocated once at the limit: growing would leave unwiped copies of
        // a provider key in freed memory.
        let mut bytes = Zeroizing::new(Vec::with_capacity(BODY_LIMIT));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| {
                ServerError::new(
                    ErrorCode::InvalidRequest,
                    "The request body could not be read.",
                )
            })?;
            if bytes.len() + chunk.len() > BODY_LIMIT {
                return Err(ServerError::payload_too_large(BODY_LIMIT));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(RawBody(bytes))
    }
}

/// Parses `bytes` as `T`. Top-level request types deny unknown fields
/// themselves; fields unknown to the nested, liberal config types are caught
/// by `serde_ignored`, so a typo never passes silently at any depth.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ServerError> {
    // serde also builds a struct from an array of its fields in order; every
    // request body of the API is an object.
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ServerError::new(
            ErrorCode::InvalidRequest,
            "The request body must be a JSON object.",
        ));
    }
    let mut ignored: Vec<String> = Vec::new();
    let mut note = |path: serde_ignored::Path| ignored.push(ignored_path(&path));
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note));
    let value = result.map_err(path_error)?;
    de.end().map_err(|_| malformed())?;
    if let Some(param) = ignored.into_iter().next() {
        return Err(unknown_field(param));
    }
    Ok(value)
}

fn malformed() -> ServerError {
    ServerError::new(
        ErrorCode::InvalidRequest,
        "The request body is not valid JSON.",
    )
}

fn unknown_field(param: String) -> ServerError {
    ServerError::new(ErrorCode::UnknownField, format!("Unknown field `{param}`.")).with_param(param)
}

fn path_error(err: serde_path_to_error::Error<serde_json::Error>) -> ServerError {
    let last_key = match err.path().iter().next_back() {
        Some(serde_path_to_error::Segment::Map { key }) => Some(key.clone()),
        _ => None,
    };
    let path = json_path(err.path());
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
        // The path already ends at the unknown key itself.
        let param = match (&path, last_key) {
            (Some(p), Some(key)) if key == field => p.clone(),
            _ => join(field),
        };
        return unknown_field(param);
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

/// "invalid type: string \"...\", expected f64" would echo the value back; a
/// misplaced secret must not appear in an error, so only the kinds remain.
fn without_string_value(message: &str) -> String {
    for lead in ["invalid type: string ", "invalid value: string "] {
        if let Some(rest) = message.strip_prefix(lead) {
            let expected = rest.rfind(", expected ").map_or("", |i| &rest[i..]);
            return format!("{}string{expected}", &lead[..lead.len() - "string ".len()]);
        }
    }
    message.to_owned()
}

/// `llm_config.messages[0].role`, the notation validation errors use too.
fn json_path(path: &serde_path_to_error::Path) -> Option<String> {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
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
    use crate::domain::{AssistantDraft, SetKeyRequest};

    fn err<T: DeserializeOwned>(json: &str) -> (ErrorCode, Option<String>, String) {
        match parse::<T>(json.as_bytes()) {
            Ok(_) => panic!("{json} parsed"),
            Err(e) => (e.code, e.param, e.message),
        }
    }

    #[test]
    fn failures_name_their_field() {
        let cases: [(&str, ErrorCode, Option<&str>); 9] = [
            ("{", ErrorCode::InvalidRequest, None),
            (r#"{"name":"a"} x"#, ErrorCode::InvalidRequest, None),
            (r#"["a", null]"#, ErrorCode::InvalidRequest, None),
            (r#"{"nam":"a"}"#, ErrorCode::UnknownField, Some("nam")),
            (
                r#"{"name":"a","llm_config":{"provider":"openai","temprature":1}}"#,
                ErrorCode::UnknownField,
                Some("llm_config.temprature"),
            ),
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

    #[tokio::test]
    async fn a_body_without_a_length_is_counted_as_it_streams() {
        use axum::body::Body;
        let stream = |n: usize| {
            let chunks = (0..n).map(|_| Ok::<_, std::io::Error>(vec![b' '; 8 * 1024]));
            let body = Body::from_stream(futures_util::stream::iter(chunks));
            Request::builder().uri("/").body(body).unwrap()
        };
        let err = RawBody::from_request(stream(9), &()).await.err().unwrap();
        assert_eq!(err.code, ErrorCode::PayloadTooLarge);
        let RawBody(bytes) = RawBody::from_request(stream(8), &()).await.ok().unwrap();
        assert_eq!(bytes.len(), BODY_LIMIT);
    }
}

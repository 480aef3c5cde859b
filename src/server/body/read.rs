//! Reading a request body: bounded in size and in time, into memory that is
//! wiped when dropped, since the body may hold a provider key.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use futures_util::StreamExt;
use zeroize::Zeroizing;

use super::content_type::{Declared, declared};
use crate::domain::ErrorCode;
use crate::server::error::ServerError;

pub const BODY_LIMIT: usize = 64 * 1024;
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The first buffer of a body that declares no length; it grows from here.
const UNDECLARED_START: usize = 4 * 1024;

/// How long a body may take to arrive, as a request extension (the server
/// sets it from its config; [`DEFAULT_BODY_TIMEOUT`] without one). A client
/// that stops sending halfway would otherwise hold its connection, and hold
/// up a graceful shutdown, for as long as it likes.
#[derive(Debug, Clone, Copy)]
pub struct BodyTimeout(pub Duration);

/// The body's bytes, at most [`BODY_LIMIT`] of them (413 beyond), declared
/// as JSON unless there are none (415 otherwise), wiped when dropped.
pub struct RawBody(pub Zeroizing<Vec<u8>>);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ServerError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ServerError> {
        // A compressed body parsed as JSON would fail as malformed, which
        // tells the client nothing about what to change.
        if !req
            .headers()
            .get_all(header::CONTENT_ENCODING)
            .iter()
            .all(is_identity)
        {
            return Err(ServerError::unsupported_encoding());
        }
        let declared_type = declared(req.headers())?;
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > BODY_LIMIT as u64) {
            return Err(ServerError::payload_too_large(BODY_LIMIT));
        }
        // Within the limit, checked above, so the cast cannot truncate.
        let capacity = declared.map_or(UNDECLARED_START, |len| len as usize);
        let timeout = req
            .extensions()
            .get::<BodyTimeout>()
            .map_or(DEFAULT_BODY_TIMEOUT, |t| t.0);
        let bytes = match tokio::time::timeout(timeout, read(req.into_body(), capacity)).await {
            Ok(bytes) => bytes?,
            Err(_) => {
                return Err(ServerError::new(
                    ErrorCode::RequestTimeout,
                    "The request body did not arrive in time.",
                ));
            }
        };
        if declared_type == Declared::Nothing && !bytes.is_empty() {
            return Err(ServerError::unsupported_media_type());
        }
        Ok(RawBody(bytes))
    }
}

/// `identity`, possibly in a list of codings that are all `identity`.
fn is_identity(value: &header::HeaderValue) -> bool {
    value.to_str().is_ok_and(|text| {
        text.split(',')
            .map(str::trim)
            .filter(|coding| !coding.is_empty())
            .all(|coding| coding.eq_ignore_ascii_case("identity"))
    })
}

/// Counted while streaming too: a chunked body declares no length, and a
/// declared one is only what the client claims.
async fn read(body: Body, capacity: usize) -> Result<Zeroizing<Vec<u8>>, ServerError> {
    let mut stream = body.into_data_stream();
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            ServerError::new(
                ErrorCode::InvalidRequest,
                "The request body could not be read.",
            )
        })?;
        let needed = bytes.len() + chunk.len();
        if needed > BODY_LIMIT {
            return Err(ServerError::payload_too_large(BODY_LIMIT));
        }
        if needed > bytes.capacity() {
            grow(&mut bytes, needed);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Moves the bytes into a larger buffer and drops the old one, which wipes
/// it: `Vec`'s own growth would free the old buffer with a key still in it.
fn grow(bytes: &mut Zeroizing<Vec<u8>>, needed: usize) {
    let capacity = needed.max(bytes.capacity() * 2).min(BODY_LIMIT);
    let mut larger = Zeroizing::new(Vec::with_capacity(capacity));
    larger.extend_from_slice(bytes);
    *bytes = larger;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(n: usize) -> Request {
        let chunks = (0..n).map(|_| Ok::<_, std::io::Error>(vec![b' '; 8 * 1024]));
        let body = Body::from_stream(futures_util::stream::iter(chunks));
        Request::builder()
            .uri("/")
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap()
    }

    #[tokio::test]
    async fn a_body_without_a_length_is_counted_as_it_streams() {
        let err = RawBody::from_request(chunked(9), &()).await.err().unwrap();
        assert_eq!(err.code, ErrorCode::PayloadTooLarge);
        let RawBody(bytes) = RawBody::from_request(chunked(8), &()).await.ok().unwrap();
        assert_eq!(bytes.len(), BODY_LIMIT);
        assert!(bytes.iter().all(|&b| b == b' '));
    }

    #[tokio::test]
    async fn the_buffer_is_sized_by_the_declared_length() {
        let body = br#"{"provider":"openai"}"#;
        let req = Request::builder()
            .uri("/")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(&body[..]))
            .unwrap();
        let RawBody(bytes) = RawBody::from_request(req, &()).await.ok().unwrap();
        assert_eq!(&bytes[..], body);
        assert!(bytes.capacity() < 1024, "{}", bytes.capacity());
    }

    #[tokio::test]
    async fn a_body_that_stops_arriving_times_out() {
        let stalled = Body::from_stream(futures_util::stream::pending::<
            Result<Vec<u8>, std::io::Error>,
        >());
        let mut req = Request::builder().uri("/").body(stalled).unwrap();
        req.extensions_mut()
            .insert(BodyTimeout(Duration::from_millis(10)));
        let err = RawBody::from_request(req, &()).await.err().unwrap();
        assert_eq!(err.code, ErrorCode::RequestTimeout);
        assert_eq!(err.status().as_u16(), 408);
    }
}

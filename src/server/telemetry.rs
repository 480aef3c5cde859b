//! One span per request, carrying a fresh request id that is also returned
//! as `x-request-id`. Only the method, the route template, the status and
//! the latency are logged: never a body, a header, a query string or the
//! path itself, since a path can carry a key pasted in the wrong place
//! (`/api/v1/assistants/sk-...`).

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// What an unrouted request is logged as.
const NO_ROUTE: &str = "(no route)";

pub async fn layer(req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or(NO_ROUTE, MatchedPath::as_str)
        .to_owned();
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = method_name(req.method()),
        route = %route,
    );
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, latency_ms, "handled"));
    // A uuid is always a valid header value.
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A method HTTP defines, or "other": an extension method is whatever token
/// the client sent, a key included.
fn method_name(method: &Method) -> &'static str {
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
    ]
    .iter()
    .find(|known| *known == method)
    .map_or("other", Method::as_str)
}

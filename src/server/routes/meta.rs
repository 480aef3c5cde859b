//! The unauthenticated routes: health and the OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use crate::domain::{ApiErrorBody, Health};
use crate::server::AppState;

/// Still 200 while degraded: the server answers, and reads go on working;
/// `status` says that writes do not.
#[utoipa::path(get, path = "/api/v1/health", tag = "service", operation_id = "get_health",
    responses((status = 200, description = "The server is up; `status` is `degraded` (and `store` is `writes_failing`) while its store cannot write, until a write succeeds again", body = Health)))]
pub async fn health(State(app): State<AppState>) -> Json<Health> {
    let failing = app.store.writes_failing();
    Json(Health {
        status: if failing { "degraded" } else { "ok" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        // Absent while all is well, so a healthy answer is exactly API.md's.
        store: failing.then(|| "writes_failing".to_owned()),
    })
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "service", operation_id = "get_openapi",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json"),
              (status = 500, description = "The document could not be generated", body = ApiErrorBody)))]
pub async fn openapi(State(app): State<AppState>) -> impl IntoResponse {
    match super::doc::document(&app.catalog) {
        Ok(doc) => (
            [(header::CONTENT_TYPE, "application/json")],
            doc.to_string(),
        )
            .into_response(),
        Err(e) => crate::server::error::ServerError::internal(e).into_response(),
    }
}

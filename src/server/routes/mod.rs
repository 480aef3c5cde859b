//! The HTTP surface: every route of API.md, the OpenAPI document generated
//! from the handlers' annotations, and JSON answers for unknown routes and
//! methods.

mod account;
mod assistants;
mod byok;
mod calls;
mod check;
mod doc;
mod doc_config;
mod doc_fields;
mod doc_hosted;
mod doc_mcp;
mod doc_rules;
mod doc_text;
mod if_match;
mod mcp;
mod mcp_test;
mod meta;
mod organizations;
mod paging;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::AppState;
use super::error::ServerError;
use crate::domain::{ApiErrorBody, ErrorCode, ErrorDetail};

pub use doc::ApiDoc;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/health", get(meta::health))
        .route("/api/openapi.json", get(meta::openapi))
        .route("/api/v1/account", get(account::get))
        .route(
            "/api/v1/organizations",
            get(organizations::get)
                .post(organizations::create)
                .patch(organizations::update),
        )
        .route("/api/v1/catalog", get(byok::catalog))
        .route(
            "/api/v1/byok",
            get(byok::get_byok)
                .post(byok::set_key)
                .delete(byok::delete_key),
        )
        .route(
            "/api/v1/byok/config",
            get(byok::config).post(byok::set_settings),
        )
        .route("/api/v1/byok/{provider}/check", post(check::check_key))
        .route(
            "/api/v1/assistants",
            get(assistants::list).post(assistants::create),
        )
        .route(
            "/api/v1/assistants/{id}",
            get(assistants::get)
                .patch(assistants::update)
                .delete(assistants::delete),
        )
        .route("/api/v1/mcp-servers", get(mcp::list).post(mcp::create))
        .route(
            "/api/v1/mcp-servers/{id}",
            get(mcp::get).patch(mcp::update).delete(mcp::delete),
        )
        .route("/api/v1/mcp-servers/{id}/test", post(mcp_test::test))
        .route("/api/v1/calls", get(calls::list))
        .route("/api/v1/calls/outbound", post(calls::outbound))
        .route("/api/v1/calls/{id}", get(calls::get))
        .route("/api/v1/numbers", get(calls::numbers))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ServerError {
    ServerError::new(ErrorCode::NotFound, "No such route.")
}

/// The error table has no code for this; the body keeps the documented shape.
async fn method_not_allowed() -> Response {
    let body = ApiErrorBody {
        error: ErrorDetail {
            code: "method_not_allowed".to_owned(),
            message: "This route does not support that method.".to_owned(),
            param: None,
            error_type: ErrorCode::InvalidRequest.error_type().to_owned(),
        },
    };
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

//! `/api/v1/organizations`: the key's organization, the child organizations
//! it makes (each an account of its own, whose key is answered once) and
//! its retention. A parent's key lists its children and acts on none.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::ExposeSecret;

use crate::domain::{
    ApiErrorBody, CreateOrganizationRequest, CreatedOrganization, ErrorCode, Organization,
    RetentionRequest, checked_organization_name,
};
use crate::server::AppState;
use crate::server::auth::{self, Authed, KeyHolder};
use crate::server::body::JsonBody;
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::{accounts, organizations};

/// `include_children=true|false`; anything else is refused by name.
fn include_children(query: Option<&str>) -> Result<bool, ServerError> {
    let mut include = false;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name == "include_children" {
            include = match value {
                "true" => true,
                "false" => false,
                _ => {
                    return Err(ServerError::invalid(
                        "include_children",
                        "include_children must be true or false",
                    ));
                }
            };
        }
    }
    Ok(include)
}

#[utoipa::path(get, path = "/api/v1/organizations", tag = "account", operation_id = "get_organizations",
    security(("bearer" = [])),
    params(("include_children" = Option<bool>, Query, description = "Adds `children`: the organizations this one made")),
    responses((status = 200, description = "The organization of the key (the hosted service's successor of `/account`)", body = Organization),
              (status = 400, description = "`include_children` is not true or false", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    holder: KeyHolder,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Organization>> {
    let children = include_children(query.as_deref())?;
    let found = holder
        .read(&app, move |conn, account| {
            organizations::get(conn, account, children)
        })
        .await?;
    // The key matched this account in the same snapshot; a missing row is
    // an account removed under it all the same.
    found.map(Json).ok_or_else(ServerError::unauthorized)
}

#[utoipa::path(post, path = "/api/v1/organizations", tag = "account", operation_id = "create_organization",
    security(("bearer" = [])),
    request_body = CreateOrganizationRequest,
    responses((status = 201, description = "A child of the key's organization, with its own key: `api_key` is sent this once and never again", body = CreatedOrganization),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a bad name; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "`parent_org_id` names another organization than the key's (`param` names it): the new one is always the key's child", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    Authed(account): Authed,
    JsonBody(req): JsonBody<CreateOrganizationRequest>,
) -> ApiResult<Response> {
    let name = checked_organization_name("name", &req.name)?;
    // Another account's organization is answered as one that does not
    // exist (API.md: never 403), so whether an id names an account at all
    // is not the caller's to learn.
    if req.parent_org_id.as_deref().is_some_and(|p| p != account) {
        return Err(ServerError::new(
            ErrorCode::NotFound,
            "No such organization for this key: a new organization is a child of the key's \
             own organization, so parent_org_id may only name that one, or be left out.",
        )
        .with_param("parent_org_id"));
    }
    let api_key = auth::generate_api_key();
    let hash = auth::hash_key(api_key.expose_secret());
    let parent = account.clone();
    let stored_name = name.clone();
    let (id, created_at) = app
        .store
        .run(move |conn| accounts::insert_under(conn, Some(&parent), &stored_name, &hash))
        .await?;
    let created = CreatedOrganization {
        id,
        name,
        parent_org_id: Some(account),
        api_key,
        created_at,
    };
    let mut response = (StatusCode::CREATED, Json(created)).into_response();
    // The one answer carrying a key: no cache along the way keeps it.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[utoipa::path(patch, path = "/api/v1/organizations", tag = "account", operation_id = "update_organization",
    security(("bearer" = [])),
    request_body = RetentionRequest,
    responses((status = 200, description = "The organization with its new retention; content is never kept longer than metadata", body = Organization),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field, a retention the platform does not offer, or content kept longer than metadata; `param` names the field", body = ApiErrorBody),
              (status = 409, description = "One retention, valid alone, would keep content longer than the stored metadata retention (`conflict`); `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    Authed(account): Authed,
    JsonBody(change): JsonBody<RetentionRequest>,
) -> ApiResult<Json<Organization>> {
    let answer = app
        .store
        .run(move |conn| organizations::set_retention(conn, &account, &change))
        .await?;
    match answer {
        Ok(Some(org)) => Ok(Json(org)),
        Ok(None) => Err(ServerError::unauthorized()),
        // No field to name when none was given.
        Err(e) if e.param.is_empty() => Err(ServerError::new(ErrorCode::InvalidRequest, e.message)),
        Err(e) => Err(e.into()),
    }
}

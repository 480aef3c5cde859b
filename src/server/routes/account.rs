//! `GET /api/v1/account`.

use axum::Json;
use axum::extract::State;

use crate::domain::{Account, ApiErrorBody};
use crate::server::AppState;
use crate::server::auth::KeyHolder;
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::accounts;

#[utoipa::path(get, path = "/api/v1/account", tag = "account", operation_id = "get_account",
    security(("bearer" = [])),
    responses((status = 200, description = "The account of the key; `active_agents` counts its assistants", body = Account),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn get(State(app): State<AppState>, holder: KeyHolder) -> ApiResult<Json<Account>> {
    let found = holder.read(&app, accounts::get).await?;
    // The key matched this account in the same snapshot; a missing row is
    // an account removed under it all the same.
    found.map(Json).ok_or_else(ServerError::unauthorized)
}

#[utoipa::path(get, path = "/api/v1/organizations", tag = "account", operation_id = "get_organizations",
    security(("bearer" = [])),
    responses((status = 200, description = "The organization of the key (the hosted service's successor of `/account`); ours answers the same fields", body = Account),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn organizations(app: State<AppState>, holder: KeyHolder) -> ApiResult<Json<Account>> {
    get(app, holder).await
}

//! `/api/v1/byok`: provider keys. A key is sealed by the vault before it
//! reaches the store; answers carry only secret ids and hints.

use axum::Json;
use axum::extract::State;
use rusqlite::Connection;
use secrecy::ExposeSecret;

use crate::domain::{
    ApiErrorBody, ByokConfig, ByokKeys, ByokState, Catalog, DeleteKeyRequest, ErrorCode, KeyInfo,
    SetKeyRequest, key_hint, unsupported_provider, validate_provider_key,
};
use crate::server::AppState;
use crate::server::auth::{Authed, KeyHolder};
use crate::server::body::JsonBody;
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::secrets::{self, NewSecret};
use crate::server::vault::{self, SecretRef};

/// The seed's `byok_keys` (every catalog provider, in catalog order, null when
/// not configured) and our `keys`.
fn state(
    conn: &Connection,
    cat: &Catalog,
    account_id: &str,
    success: Option<bool>,
) -> anyhow::Result<ByokState> {
    let rows = secrets::list(conn, account_id)?;
    let mut byok_keys = Vec::new();
    let mut keys = Vec::new();
    for provider in cat.byok_provider_ids() {
        let row = rows.iter().find(|r| r.provider == provider);
        byok_keys.push((provider.to_owned(), row.map(|r| r.id.clone())));
        if let Some(r) = row {
            keys.push(KeyInfo {
                provider: r.provider.clone(),
                secret_id: r.id.clone(),
                key_hint: Some(r.key_hint.clone()),
                updated_at: Some(r.updated_at.clone()),
            });
        }
    }
    Ok(ByokState {
        success,
        byok_keys: ByokKeys(byok_keys),
        keys,
    })
}

fn unsupported(cat: &Catalog, provider: &str) -> ServerError {
    unsupported_provider(cat, provider).into()
}

#[utoipa::path(get, path = "/api/v1/byok", tag = "byok", operation_id = "get_byok",
    security(("bearer" = [])),
    responses((status = 200, description = "Which providers are configured", body = ByokState),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn get_byok(
    State(app): State<AppState>,
    holder: KeyHolder,
) -> ApiResult<Json<ByokState>> {
    let cat = app.catalog.clone();
    let answer = holder
        .read(&app, move |conn, account| state(conn, &cat, account, None))
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(post, path = "/api/v1/byok", tag = "byok", operation_id = "set_byok_key",
    security(("bearer" = [])),
    request_body = SetKeyRequest,
    responses((status = 200, description = "Saved; posting again for a provider rotates its key", body = ByokState),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a failed rule; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody), (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn set_key(
    State(app): State<AppState>,
    Authed(account): Authed,
    JsonBody(req): JsonBody<SetKeyRequest>,
) -> ApiResult<Json<ByokState>> {
    let key = req.api_key.expose_secret();
    validate_provider_key(&app.catalog, &req.provider, key)?;
    let info = app
        .catalog
        .secret(&req.provider)
        .ok_or_else(|| unsupported(&app.catalog, &req.provider))?;
    let id = uuid::Uuid::new_v4().to_string();
    let at = SecretRef {
        account_id: &account,
        provider: &info.provider,
        secret_id: &id,
    };
    let sealed = vault::seal(&app.master, at, &req.api_key).map_err(ServerError::internal)?;
    let secret = NewSecret {
        id,
        provider: info.provider.clone(),
        sealed,
        key_hint: key_hint(Some(info), key),
    };
    let cat = app.catalog.clone();
    let answer = app
        .store
        .run(move |conn| {
            secrets::put(conn, &account, &secret)?;
            state(conn, &cat, &account, Some(true))
        })
        .await?;
    Ok(Json(answer))
}

#[utoipa::path(delete, path = "/api/v1/byok", tag = "byok", operation_id = "delete_byok_key",
    security(("bearer" = [])),
    request_body = DeleteKeyRequest,
    responses((status = 200, description = "Destroyed; the provider is back on the platform's keys", body = ByokState),
              (status = 400, description = "Malformed JSON, a wrong type, an unknown field or a failed rule; `param` names the field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "Nothing was configured for the provider", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn delete_key(
    State(app): State<AppState>,
    Authed(account): Authed,
    JsonBody(req): JsonBody<DeleteKeyRequest>,
) -> ApiResult<Json<ByokState>> {
    if app.catalog.secret(&req.provider).is_none() {
        return Err(unsupported(&app.catalog, &req.provider));
    }
    let provider = req.provider.clone();
    let cat = app.catalog.clone();
    let answer = app
        .store
        .run(move |conn| {
            if !secrets::delete(conn, &account, &provider)? {
                return Ok(None);
            }
            state(conn, &cat, &account, Some(true)).map(Some)
        })
        .await?;
    let not_configured = || {
        ServerError::new(
            ErrorCode::NotFound,
            format!("No key is configured for {}.", req.provider),
        )
        .with_param("provider")
    };
    answer.map(Json).ok_or_else(not_configured)
}

#[utoipa::path(get, path = "/api/v1/byok/config", tag = "byok", operation_id = "get_byok_config",
    security(("bearer" = [])),
    responses((status = 200, description = "Available models per provider", body = ByokConfig),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn config(State(app): State<AppState>, holder: KeyHolder) -> ApiResult<Json<ByokConfig>> {
    let configured = holder.read(&app, secrets::list).await?;
    Ok(Json(app.catalog.byok_config(|provider| {
        configured.iter().any(|s| s.provider == provider)
    })))
}

#[utoipa::path(get, path = "/api/v1/catalog", tag = "byok", operation_id = "get_catalog",
    security(("bearer" = [])),
    responses((status = 200, description = "(ours) The whole version-1 catalog the server checks assistants against, with our key metadata under `voicedock`", body = Catalog),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn catalog(State(app): State<AppState>, Authed(_account): Authed) -> Json<Catalog> {
    Json(Catalog::clone(&app.catalog))
}

//! `POST /api/v1/byok/{provider}/check` (ours): the account's stored key for
//! a provider, opened by the vault and checked by this server against the
//! provider, for what the account's assistants need of it. The answer is
//! the check; the key never leaves the vault's `SecretString`, which is
//! wiped as soon as the check is done.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};

use crate::checks;
use crate::domain::{
    ApiErrorBody, CheckKeyRequest, CheckNeeds, ErrorCode, KeyCheck, unsupported_provider,
};
use crate::server::AppState;
use crate::server::auth::Authed;
use crate::server::body::{RawBody, parse};
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::{assistants, secrets};
use crate::server::vault::{self, SecretRef};

#[utoipa::path(post, path = "/api/v1/byok/{provider}/check", tag = "byok", operation_id = "check_byok_key",
    security(("bearer" = [])),
    params(("provider" = String, Path, description = "A BYOK provider id of the catalog, e.g. `openai`")),
    request_body(content = Option<CheckKeyRequest>, description = "Empty, or `{}`"),
    responses((status = 200, description = "(ours) The stored key checked by this server with one or two read-only calls to the provider; `result` is valid, invalid, limited or unknown, and `checked_by` is `server`. Never holds the key", body = KeyCheck),
              (status = 400, description = "A provider the catalog does not know (`unsupported_provider`), malformed JSON or an unknown field", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No key is stored for the provider; `param` is `provider`", body = ApiErrorBody),
              (status = 408, description = "The body did not arrive in time", body = ApiErrorBody),
              (status = 413, description = "The body is over 64 KiB", body = ApiErrorBody)))]
pub async fn check_key(
    State(app): State<AppState>,
    Authed(account): Authed,
    provider: Result<Path<String>, PathRejection>,
    RawBody(body): RawBody,
) -> ApiResult<Json<KeyCheck>> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        parse::<CheckKeyRequest>(&body)?;
    }
    // A segment that does not decode to text names no provider either.
    let provider = provider.map_or_else(|_| String::new(), |Path(p)| p);
    let provider = match app.catalog.secret(&provider) {
        Some(info) => info.provider.clone(),
        None => return Err(unsupported_provider(&app.catalog, &provider).into()),
    };
    let (cat, wanted, owner) = (app.catalog.clone(), provider.clone(), account.clone());
    let found = app
        .store
        .run(move |conn| {
            let Some(stored) = secrets::get(conn, &owner, &wanted)? else {
                return Ok(None);
            };
            let mut needs = CheckNeeds::default();
            assistants::each_sealed(conn, &owner, |a| needs.add(&cat, a, &wanted))?;
            Ok(Some((stored, needs)))
        })
        .await?;
    let Some((stored, needs)) = found else {
        return Err(ServerError::new(
            ErrorCode::NotFound,
            format!("No key is configured for {provider}."),
        )
        .with_param("provider"));
    };
    let at = SecretRef {
        account_id: &account,
        provider: &stored.provider,
        secret_id: &stored.id,
    };
    let key = vault::open(&app.master, at, &stored.sealed).map_err(ServerError::internal)?;
    let mut check = checks::check(&app.upstreams, &provider, &key, &needs).await;
    drop(key);
    check.checked_by = "server".to_owned();
    tracing::info!(
        provider = %provider,
        result = check.result.label(),
        calls = check.calls.len(),
        "checked a stored key"
    );
    Ok(Json(check))
}

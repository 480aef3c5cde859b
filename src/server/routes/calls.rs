//! `/api/v1/calls` and `/api/v1/numbers`: the account's recorded calls,
//! newest first, with the platform's filters. This server has no telephone
//! line, so it has no numbers and places no call.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, Time};

use crate::domain::{ApiErrorBody, Call, CallList, CallStatus, ErrorCode, NumberList, Pagination};
use crate::server::AppState;
use crate::server::auth::{Authed, KeyHolder};
use crate::server::error::{ApiResult, ServerError};
use crate::server::store::calls::{self as store, CallFilter};

use super::paging::{PAGE_DEFAULT, page};

/// Where calls can be placed, for the answer to an outbound call.
const HOSTED_CALLS: &str = "https://api.hmsovereign.com/api/v1/calls/outbound";

/// The query's pairs, decoded; a query that cannot be read is refused
/// rather than taken as no filter.
fn pairs(uri: &Uri) -> Result<Vec<(String, String)>, ServerError> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|Query(pairs)| pairs)
        .map_err(|_| {
            ServerError::new(
                ErrorCode::InvalidRequest,
                "The query string is not valid URL encoding.",
            )
        })
}

fn status_filter(value: &str) -> Result<String, ServerError> {
    if CallStatus::DOCUMENTED.contains(&value) {
        return Ok(value.to_owned());
    }
    Err(ServerError::invalid(
        "status",
        format!(
            "status must be one of {}",
            CallStatus::DOCUMENTED.join(", ")
        ),
    ))
}

/// An ISO 8601 date (`2026-12-08`, the whole day) or date-time with an
/// offset (`2026-12-08T10:00:00Z`), as Unix seconds: a day's first second
/// for the start of a range, its last for the end.
fn date_filter(param: &str, value: &str, end_of_day: bool) -> Result<i64, ServerError> {
    // A `+` offset sent unencoded arrives as a space.
    let value = value.replace(' ', "+");
    if let Ok(at) = OffsetDateTime::parse(&value, &Rfc3339) {
        return Ok(at.unix_timestamp());
    }
    if let Some(day) = calendar_date(&value) {
        let time = if end_of_day {
            Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT)
        } else {
            Time::MIDNIGHT
        };
        return Ok(day.with_time(time).assume_utc().unix_timestamp());
    }
    Err(ServerError::invalid(
        param,
        format!(
            "{param} must be an ISO 8601 date (2026-12-08) or date-time with an offset \
             (2026-12-08T10:00:00Z)"
        ),
    ))
}

/// `YYYY-MM-DD`, a real day of the calendar.
fn calendar_date(value: &str) -> Option<Date> {
    let mut parts = value.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || !digits(year, 4) || !digits(month, 2) || !digits(day, 2) {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

fn filter_of(pairs: &[(String, String)]) -> Result<CallFilter, ServerError> {
    let mut filter = CallFilter::default();
    for (name, value) in pairs {
        match name.as_str() {
            "status" => filter.status = Some(status_filter(value)?),
            "start_date" => filter.since = Some(date_filter(name, value, false)?),
            "end_date" => filter.until = Some(date_filter(name, value, true)?),
            _ => {}
        }
    }
    Ok(filter)
}

#[utoipa::path(get, path = "/api/v1/calls", tag = "calls", operation_id = "list_calls",
    security(("bearer" = [])),
    params(("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "At most this many calls (default 100)"),
           ("offset" = Option<u64>, Query, minimum = 0, maximum = 9223372036854775807_u64, description = "Skip this many calls first"),
           ("status" = Option<String>, Query, description = "Only calls with this status"),
           ("start_date" = Option<String>, Query, format = DateTime, description = "Only calls made at or after this ISO 8601 date-time (a date, `2026-12-08`, is taken from its first second)"),
           ("end_date" = Option<String>, Query, format = DateTime, description = "Only calls made at or before this ISO 8601 date-time (a date, `2026-12-08`, is taken to its last second); an end before the start matches no call")),
    responses((status = 200, description = "The account's calls, newest first; empty until a call is recorded, since this server places none", body = CallList),
              (status = 400, description = "A filter that is not valid; `param` names it", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    holder: KeyHolder,
    uri: Uri,
) -> ApiResult<Json<CallList>> {
    let (limit, offset) = page(uri.query())?.unwrap_or((PAGE_DEFAULT, 0));
    let filter = filter_of(&pairs(&uri)?)?;
    let (calls, total) = holder
        .read(&app, move |conn, account| {
            store::list(conn, account, &filter, limit, offset)
        })
        .await?;
    Ok(Json(CallList {
        calls,
        pagination: Pagination {
            total,
            limit,
            offset,
        },
    }))
}

#[utoipa::path(get, path = "/api/v1/calls/{id}", tag = "calls", operation_id = "get_call",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The call's id")),
    responses((status = 200, description = "The call with its transcript, error, end reason, summary and recording", body = Call),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody),
              (status = 404, description = "No such call for this account", body = ApiErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    holder: KeyHolder,
    Path(id): Path<String>,
) -> ApiResult<Json<Call>> {
    holder
        .read(&app, move |conn, account| store::get(conn, account, &id))
        .await?
        .map(Json)
        .ok_or_else(|| ServerError::not_found("call"))
}

#[utoipa::path(post, path = "/api/v1/calls/outbound", tag = "calls", operation_id = "create_outbound_call",
    security(("bearer" = [])),
    responses((status = 501, description = "This server has no telephone line: calls are placed on the hosted platform", body = ApiErrorBody),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn outbound(Authed(_account): Authed) -> ServerError {
    ServerError::new(
        ErrorCode::NotImplemented,
        format!(
            "This server has no telephone line and places no calls: place calls on the \
             hosted platform ({HOSTED_CALLS})."
        ),
    )
}

#[utoipa::path(get, path = "/api/v1/numbers", tag = "calls", operation_id = "list_numbers",
    security(("bearer" = [])),
    responses((status = 200, description = "The account's phone numbers: none, since this server has no telephone line", body = NumberList),
              (status = 401, description = "No, malformed or unknown API key", body = ApiErrorBody)))]
pub async fn numbers(Authed(_account): Authed) -> Json<NumberList> {
    Json(NumberList {
        numbers: Vec::new(),
    })
}

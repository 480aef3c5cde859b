//! Calls and phone numbers (`GET /calls`, `/calls/{id}`, `/numbers`).
//! Whatever a server says of a call is text from elsewhere: it is decoded
//! here and scrubbed where it is shown.

use reqwest::{Method, Url};
use serde::Deserialize;

use super::wire::{MAX_LIST_BODY, parse};
use super::{ApiClient, ApiError};
use crate::domain::{Call, CallList, PhoneNumber};

/// The page size a walk through the calls asks for.
pub const CALLS_PAGE: u32 = 100;
/// The most calls one walk keeps: a server claiming more is not trusted
/// with more memory.
pub const CALLS_WALK_MAX: usize = 10_000;

/// The filters of `GET /calls`; `None` sends nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallQuery {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
    /// One status, as the platform spells it.
    pub status: Option<String>,
    /// ISO 8601 dates or date-times, both ends included.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// The calls a walk found, newest first, and whether it stopped at
/// [`CALLS_WALK_MAX`] with more left.
#[derive(Debug, Clone, PartialEq)]
pub struct CallWalk {
    pub calls: Vec<Call>,
    pub truncated: bool,
}

#[derive(Deserialize)]
struct NumbersBody {
    numbers: Vec<PhoneNumber>,
}

impl ApiClient {
    /// One page of calls, newest first.
    pub async fn calls_page(&self, query: &CallQuery) -> Result<CallList, ApiError> {
        let mut url = self.at(&["calls"])?;
        append_query(&mut url, query);
        let answer = self
            .send_capped(Method::GET, url, None, None, true, MAX_LIST_BODY)
            .await?;
        parse(&answer.body)
    }

    /// Every call `query` matches, page by page from its offset on.
    pub async fn list_calls(&self, query: &CallQuery) -> Result<CallWalk, ApiError> {
        let mut query = query.clone();
        query.limit = Some(query.limit.unwrap_or(CALLS_PAGE));
        let mut calls = Vec::new();
        loop {
            let page = self.calls_page(&query).await?;
            let got = page.calls.len() as u64;
            calls.extend(page.calls);
            let next = query.offset.unwrap_or(0).saturating_add(got);
            // An empty page ends the walk even below the total: the list
            // shrank since it was counted.
            let done = got == 0 || next >= page.pagination.total;
            if calls.len() >= CALLS_WALK_MAX {
                let truncated = !done || calls.len() > CALLS_WALK_MAX;
                calls.truncate(CALLS_WALK_MAX);
                return Ok(CallWalk { calls, truncated });
            }
            if done {
                return Ok(CallWalk {
                    calls,
                    truncated: false,
                });
            }
            query.offset = Some(next);
        }
    }

    /// One call with its transcript, error, end reason and summary.
    pub async fn get_call(&self, id: &str) -> Result<Call, ApiError> {
        // "." and ".." would be resolved away and address the collection.
        if id.is_empty() || id == "." || id == ".." {
            return Err(ApiError::NotFound(format!("no call with id {id:?}").into()));
        }
        self.get_json(&["calls", id]).await
    }

    /// The account's phone numbers.
    pub async fn numbers(&self) -> Result<Vec<PhoneNumber>, ApiError> {
        let body: NumbersBody = self.get_json(&["numbers"]).await?;
        Ok(body.numbers)
    }
}

fn append_query(url: &mut Url, query: &CallQuery) {
    let mut pairs = url.query_pairs_mut();
    if let Some(limit) = query.limit {
        pairs.append_pair("limit", &limit.to_string());
    }
    if let Some(offset) = query.offset {
        pairs.append_pair("offset", &offset.to_string());
    }
    for (name, value) in [
        ("status", &query.status),
        ("start_date", &query.start_date),
        ("end_date", &query.end_date),
    ] {
        if let Some(value) = value {
            pairs.append_pair(name, value);
        }
    }
    drop(pairs);
    // An empty query would leave a bare `?`.
    if url.query() == Some("") {
        url.set_query(None);
    }
}

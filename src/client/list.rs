//! The assistant list: a page at a time from our reference server
//! (`?limit=&offset=`), in one answer from a server that does not page (the
//! hosted service). Either way the items are decoded straight from the bytes.

use std::time::Duration;

use reqwest::{Method, Url};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::wire::{MAX_LIST_BODY, parse, parse_or_null};
use super::{ApiClient, ApiError};
use crate::domain::{Assistant, Pagination};

/// The largest page the reference server answers; `list_assistants` asks
/// for pages of this size.
pub const PAGE_MAX: u32 = 500;

/// Room reserved for the whole list when the first page tells its size, up
/// to this many: a total the server claims is not trusted with more memory.
const RESERVE_MAX: u64 = 100_000;

/// The longest `Retry-After` a walk through the pages waits out: one
/// rate-limit window.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// One answer of the assistant list.
#[derive(Debug, Clone, PartialEq)]
pub struct AssistantPage {
    pub assistants: Vec<Assistant>,
    /// How many assistants the account has in all, when the server paged
    /// its answer. `None` when it did not: `assistants` is then the whole
    /// list, whatever page was asked for.
    pub total: Option<u64>,
    /// Where this page starts in the list (0 for a whole list).
    pub offset: u64,
}

impl AssistantPage {
    /// The offset to ask for next; `None` after the last page, and after a
    /// whole list.
    pub fn next_offset(&self) -> Option<u64> {
        next_offset(self.total, self.offset, self.assistants.len())
    }
}

fn next_offset(total: Option<u64>, offset: u64, len: usize) -> Option<u64> {
    let total = total?;
    // The list shrank since the total was counted: asking on would only
    // get more empty pages.
    if len == 0 {
        return None;
    }
    let next = offset.saturating_add(len as u64);
    (next < total).then_some(next)
}

/// `{"assistants": [...], "pagination": {...}}`; anything else beside them
/// (the hosted service's `total`) is ignored.
#[derive(Deserialize)]
struct ListBody<T> {
    assistants: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

struct Page<T> {
    items: Vec<T>,
    total: Option<u64>,
    offset: u64,
}

/// The answer to `?limit=&offset=`. A server that pages says so in
/// `pagination` and answers at most `limit` items; any other answer (no
/// `pagination`, or more items than asked for, so the query was ignored)
/// is the whole list.
fn page_of<T>(body: ListBody<T>, limit: u32, offset: u64) -> Result<Page<T>, ApiError> {
    let ListBody {
        assistants: items,
        pagination,
    } = body;
    match pagination {
        Some(p) if items.len() as u64 <= u64::from(limit) => {
            // Taking another page for this one would skip or repeat
            // assistants without a sign of it.
            if p.offset != offset {
                return Err(ApiError::Malformed(format!(
                    "asked for the assistants from {offset} on, the server answered those from {}",
                    p.offset
                )));
            }
            Ok(Page {
                items,
                total: Some(p.total),
                offset,
            })
        }
        _ => Ok(Page {
            items,
            total: None,
            offset: 0,
        }),
    }
}

impl ApiClient {
    /// At most `limit` assistants (1–500 on ours) from `offset` on, oldest
    /// first. A server that does not page answers the whole list, told by
    /// `total: None`. The query is sent unless the server is known not to
    /// be ours (after `catalog`): the hosted service is then asked plainly.
    pub async fn assistants_page(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<AssistantPage, ApiError> {
        let page = if self.inner.kind.known() == Some(false) {
            self.whole_list::<Assistant>().await?
        } else {
            self.page::<Assistant>(limit, offset).await?
        };
        Ok(AssistantPage {
            assistants: page.items,
            total: page.total,
            offset: page.offset,
        })
    }

    /// Every assistant, oldest first: page by page from our reference
    /// server, in one answer from any other (asking which it is once per
    /// client, unless `catalog` has told). Once pages have come, a rate
    /// limit met on the way is waited out (its `Retry-After`, at most a
    /// minute) once per page that came after the last wait.
    pub async fn list_assistants(&self) -> Result<Vec<Assistant>, ApiError> {
        if self.reference_server().await? {
            self.every_page().await
        } else {
            Ok(self.whole_list().await?.items)
        }
    }

    /// `list_assistants` with each assistant as the server sent it, for
    /// `--json`: `{"assistants": [...]}` from our server, the one answer
    /// unchanged from any other.
    pub async fn list_assistants_json(&self) -> Result<Value, ApiError> {
        if self.reference_server().await? {
            let all: Vec<Value> = self.every_page().await?;
            return Ok(json!({ "assistants": all }));
        }
        let answer = self
            .send_capped(
                Method::GET,
                self.list_url()?,
                None,
                None,
                true,
                MAX_LIST_BODY,
            )
            .await?;
        parse_or_null(&answer.body)
    }

    async fn every_page<T: DeserializeOwned>(&self) -> Result<Vec<T>, ApiError> {
        let mut all = Vec::new();
        let mut offset = 0;
        // A wait is taken only after a page has come since the last one, so
        // a server that keeps refusing ends the walk.
        let mut may_wait = false;
        loop {
            let page = match self.page::<T>(PAGE_MAX, offset).await {
                Ok(page) => page,
                // 50,000 assistants are 100 pages: a whole minute's requests
                // where the limit is the hosted service's 100 per minute. A
                // walk under way waits for the next window instead of
                // failing near its end.
                Err(ApiError::RateLimited {
                    retry_after: Some(wait),
                    ..
                }) if may_wait && wait <= MAX_RATE_LIMIT_WAIT => {
                    tokio::time::sleep(wait).await;
                    may_wait = false;
                    continue;
                }
                Err(e) => return Err(e),
            };
            may_wait = true;
            let Some(total) = page.total else {
                // Not paged after all: this answer is the whole list.
                return Ok(page.items);
            };
            if all.is_empty() {
                all.reserve(usize::try_from(total.min(RESERVE_MAX)).unwrap_or(0));
            }
            let next = next_offset(page.total, page.offset, page.items.len());
            all.extend(page.items);
            match next {
                Some(n) => offset = n,
                None => return Ok(all),
            }
        }
    }

    async fn page<T: DeserializeOwned>(
        &self,
        limit: u32,
        offset: u64,
    ) -> Result<Page<T>, ApiError> {
        let mut url = self.list_url()?;
        url.query_pairs_mut()
            .append_pair("limit", &limit.to_string())
            .append_pair("offset", &offset.to_string());
        page_of(self.get_list(url).await?, limit, offset)
    }

    async fn whole_list<T: DeserializeOwned>(&self) -> Result<Page<T>, ApiError> {
        let body: ListBody<T> = self.get_list(self.list_url()?).await?;
        Ok(Page {
            items: body.assistants,
            total: None,
            offset: 0,
        })
    }

    async fn get_list<T: DeserializeOwned>(&self, url: Url) -> Result<ListBody<T>, ApiError> {
        let answer = self
            .send_capped(Method::GET, url, None, None, true, MAX_LIST_BODY)
            .await?;
        parse(&answer.body)
    }

    fn list_url(&self) -> Result<Url, ApiError> {
        self.at(&["assistants"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(n: usize, pagination: Option<(u64, u32, u64)>) -> ListBody<u32> {
        ListBody {
            assistants: (0..n as u32).collect(),
            pagination: pagination.map(|(total, limit, offset)| Pagination {
                total,
                limit,
                offset,
            }),
        }
    }

    #[test]
    fn a_paged_answer_keeps_its_total_and_offset() {
        let page = page_of(body(10, Some((25, 10, 10))), 10, 10).unwrap();
        assert_eq!(
            (page.total, page.offset, page.items.len()),
            (Some(25), 10, 10)
        );
        assert_eq!(next_offset(page.total, page.offset, 10), Some(20));
        assert_eq!(next_offset(Some(25), 20, 5), None);
    }

    #[test]
    fn an_answer_without_pagination_or_with_more_than_asked_is_the_whole_list() {
        let plain = page_of(body(3, None), 2, 40).unwrap();
        assert_eq!((plain.total, plain.offset, plain.items.len()), (None, 0, 3));
        let ignored = page_of(body(7, Some((7, 500, 0))), 5, 0).unwrap();
        assert_eq!((ignored.total, ignored.items.len()), (None, 7));
        assert_eq!(next_offset(None, 0, 7), None);
    }

    #[test]
    fn a_page_from_elsewhere_than_asked_is_refused() {
        let err = page_of(body(2, Some((9, 2, 0))), 2, 4).err().unwrap();
        assert!(
            matches!(err, ApiError::Malformed(ref m) if m.contains("from 4 on")),
            "{err}"
        );
    }

    #[test]
    fn an_empty_page_ends_the_walk_even_below_the_total() {
        assert_eq!(next_offset(Some(100), 40, 0), None);
    }
}

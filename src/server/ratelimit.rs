//! Per-key rate limiting: a fixed one-minute window per caller, opened by the
//! caller's first request (not aligned to the clock, so a burst cannot get
//! two windows' worth by straddling a minute boundary). Callers with a valid
//! key are counted by its hash; everyone else by peer IP, so unknown keys
//! cannot be used to open unlimited buckets.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::auth::{Caller, identify};
use super::error::ServerError;
use crate::domain::ErrorCode;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BucketKey {
    ApiKey([u8; 32]),
    Peer(IpAddr),
}

pub struct RateLimiter {
    limit: u32,
    state: Mutex<Buckets>,
}

struct Buckets {
    map: HashMap<BucketKey, Bucket>,
    last_prune: Instant,
}

struct Bucket {
    started: Instant,
    count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Until the caller's window ends.
    pub reset_after: Duration,
}

impl RateLimiter {
    /// A limit of 0 would refuse every request; it is read as 1.
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            limit: per_minute.max(1),
            state: Mutex::new(Buckets {
                map: HashMap::new(),
                last_prune: Instant::now(),
            }),
        }
    }

    pub fn check(&self, key: BucketKey, now: Instant) -> Decision {
        // The map holds counters only; a panic elsewhere cannot corrupt them.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if now.saturating_duration_since(state.last_prune) >= WINDOW {
            // Once a window: bounds the map by the callers of the last minute.
            state
                .map
                .retain(|_, b| now.saturating_duration_since(b.started) < WINDOW);
            state.last_prune = now;
        }
        let bucket = state.map.entry(key).or_insert(Bucket {
            started: now,
            count: 0,
        });
        if now.saturating_duration_since(bucket.started) >= WINDOW {
            *bucket = Bucket {
                started: now,
                count: 0,
            };
        }
        let allowed = bucket.count < self.limit;
        if allowed {
            bucket.count += 1;
        }
        Decision {
            allowed,
            limit: self.limit,
            remaining: self.limit - bucket.count,
            reset_after: WINDOW.saturating_sub(now.saturating_duration_since(bucket.started)),
        }
    }
}

/// Identifies the caller, counts the request and stamps every response with
/// the X-RateLimit headers, 429s included.
pub async fn layer(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let caller = identify(&app, req.headers()).await;
    let key = match &caller {
        Caller::Account { key_hash, .. } => BucketKey::ApiKey(*key_hash),
        _ => {
            let peer = req.extensions().get::<ConnectInfo<SocketAddr>>();
            BucketKey::Peer(peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip()))
        }
    };
    req.extensions_mut().insert(caller);
    let decision = app.limiter.check(key, Instant::now());
    let retry_after = decision.reset_after.as_secs_f64().ceil().max(1.0) as u64;
    let mut response = if decision.allowed {
        next.run(req).await
    } else {
        let mut err = ServerError::new(
            ErrorCode::RateLimitExceeded,
            format!(
                "Too many requests: the limit is {} per minute. Try again in {retry_after} s.",
                decision.limit
            ),
        );
        err.retry_after = Some(retry_after);
        err.into_response()
    };
    stamp(response.headers_mut(), &decision);
    response
}

fn stamp(headers: &mut HeaderMap, decision: &Decision) {
    let reset = SystemTime::now()
        .checked_add(decision.reset_after)
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0));
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert(
        "x-ratelimit-remaining",
        HeaderValue::from(decision.remaining),
    );
    headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_allows_the_limit_then_refuses_until_it_ends() {
        let limiter = RateLimiter::new(3);
        let t0 = Instant::now();
        let key = BucketKey::ApiKey([1; 32]);
        let remaining: Vec<_> = (0..3)
            .map(|_| limiter.check(key.clone(), t0).remaining)
            .collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limiter.check(key.clone(), t0 + Duration::from_secs(59));
        assert!(!refused.allowed);
        assert_eq!(refused.reset_after, Duration::from_secs(1));
        // Another caller has its own window.
        assert!(limiter.check(BucketKey::ApiKey([2; 32]), t0).allowed);
        let next = limiter.check(key, t0 + WINDOW);
        assert!(next.allowed);
        assert_eq!(next.remaining, 2);
    }
}

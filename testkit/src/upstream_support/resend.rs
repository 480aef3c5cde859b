//! Resend: `GET /domains` behind `Authorization: Bearer re_KEY`.

use serde_json::{Value, json};

use super::answers::{Documented, Refusal, credential};
use super::http::{Reply, Request};

fn resend_error(status: u16, name: &str, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"statusCode": status, "message": message, "name": name}),
    )
}

/// Resend has no limited key for what the platform asks (sending): its
/// `Limited` key is a sending-only one, refused only the domain list with
/// the documented 401 `restricted_api_key`, which makes it valid. An unknown
/// key gets the newest revision's 400 `validation_error`.
pub fn resend(req: &Request) -> Reply {
    let (behaviour, refusal) = credential("resend", req.header("authorization"), "Bearer ");
    let (valid, limited) = if req.method == "GET" && req.path() == "/domains" {
        let domains = [
            json!({"id": "d91cd9bd-1176-453e-8fc1-35364d380206", "name": "calls.example.com",
                   "status": "verified", "created_at": "2024-01-15T10:30:00.000Z",
                   "region": "eu-west-1", "capabilities": {"sending": "enabled", "receiving": "disabled"}}),
            json!({"id": "ac7503a3-4f1c-4e2a-9f4b-2b0d0d5c8a11", "name": "news.example.com",
                   "status": "pending", "created_at": "2024-03-02T08:00:00.000Z",
                   "region": "us-east-1", "capabilities": {"sending": "enabled", "receiving": "disabled"}}),
        ];
        let limit: Option<usize> = req.query("limit").and_then(|l| l.parse().ok());
        let shown: Vec<Value> = domains
            .iter()
            .take(limit.unwrap_or(domains.len()))
            .cloned()
            .collect();
        let more = shown.len() < domains.len();
        (
            Reply::json(
                200,
                json!({"object": "list", "has_more": more, "data": shown}),
            ),
            Some(resend_error(
                401,
                "restricted_api_key",
                "This API key is restricted to only send emails.",
            )),
        )
    } else {
        (
            resend_error(404, "not_found", "The requested endpoint does not exist."),
            None,
        )
    };
    Documented {
        behaviour,
        refused: |why| match why {
            Refusal::Missing => resend_error(
                401,
                "missing_api_key",
                "Missing API key in the authorization header.",
            ),
            Refusal::Unknown(_) => resend_error(400, "validation_error", "API key is invalid"),
        },
        valid,
        limited,
        server_error: resend_error(
            500,
            "application_error",
            "An unexpected error occurred, please try again later.",
        ),
        rate_limited: resend_error(
            429,
            "rate_limit_exceeded",
            "Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit.",
        )
        .with_header("ratelimit-limit", "2")
        .with_header("ratelimit-remaining", "0")
        .with_header("ratelimit-reset", "1")
        .with_header("retry-after", "1"),
    }
    .reply(refusal)
}

//! Resend: `GET /domains` with the key as a bearer token
//! (resend.com/docs/api-reference/domains/list-domains). A sending-only key
//! gets the documented `restricted_api_key` refusal, which proves it valid:
//! sending is all the platform asks of it (resend.com/docs/api-reference/errors).

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Answer, Probe, secret_header};
use super::{Outcome, listed_briefly, not_understood, unreached};
use crate::domain::{Found, Verdict, plain_text};

const NAME: &str = "Resend";

pub async fn check(probe: &mut Probe, key: &str) -> Outcome {
    let Some(auth) = secret_header(
        "authorization",
        &zeroize::Zeroizing::new(format!("Bearer {key}")),
    ) else {
        return unsendable(NAME);
    };
    let answer = match probe.get("/domains", &auth).await {
        Err(why) => return unreached(NAME, why),
        Ok(answer) => answer,
    };
    if !answer.ok() {
        return refused(&answer);
    }
    let Some(domains) = answer.body.get("data").and_then(Value::as_array) else {
        return Outcome::new(
            Verdict::Unknown,
            "Resend answered the domain list in a shape this check does not know",
        );
    };
    let mut found = Found::default();
    let shown: Vec<String> = domains
        .iter()
        .filter_map(|d| {
            let name = plain_text(d.get("name")?.as_str()?, 100);
            let status = d
                .get("status")
                .and_then(Value::as_str)
                .map_or_else(|| "status unknown".to_owned(), |s| plain_text(s, 30));
            Some(format!("{name} ({status})"))
        })
        .collect();
    let verified = domains
        .iter()
        .filter(|d| d.get("status").and_then(Value::as_str) == Some("verified"))
        .count();
    if shown.is_empty() {
        found.facts.push("domains: none".to_owned());
    } else {
        found
            .facts
            .push(format!("domains: {}", listed_briefly(&shown)));
    }
    if verified == 0 {
        found.facts.push(
            "no verified domain: Resend sends only test mail to your own address until one is"
                .to_owned(),
        );
    }
    Outcome::new(
        Verdict::Valid,
        format!(
            "Resend accepted the key (full access); {} of {} domains verified",
            verified,
            domains.len()
        ),
    )
    .with(found)
}

fn refused(answer: &Answer) -> Outcome {
    let name = answer.text("/name").unwrap_or_default();
    let message = answer.text("/message").unwrap_or_default();
    match (answer.status, name.as_str()) {
        (401, "restricted_api_key") => Outcome::new(
            Verdict::Valid,
            "valid, sending-only key: Resend accepted it and refused only to list domains, as it does for keys restricted to sending",
        ),
        (_, "invalid_api_key") | (401, "missing_api_key") => Outcome::new(
            Verdict::Invalid,
            "Resend refused the key: API key is invalid",
        ),
        (400 | 401, "validation_error") if message.contains("API key is invalid") => Outcome::new(
            Verdict::Invalid,
            "Resend refused the key: API key is invalid",
        ),
        _ => not_understood(NAME, answer),
    }
}

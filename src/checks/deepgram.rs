//! Deepgram: `GET /v1/projects` with `Authorization: Token KEY` lists the
//! key's projects (developers.deepgram.com/reference/manage/projects/list),
//! then `GET /v1/projects/{id}/balances` the first one's balance where the
//! key may read it (developers.deepgram.com/reference/manage/billing/list).
//! Refusals: `{"err_code": "INVALID_AUTH", …}` (a bad key) and
//! `INSUFFICIENT_PERMISSIONS` (developers.deepgram.com/reference/errors).

use serde_json::Value;

use super::openai_like::unsendable;
use super::probe::{Answer, Probe, secret_header};
use super::{Outcome, listed_briefly, not_understood, unreached};
use crate::domain::{Found, Verdict, plain_text};

const NAME: &str = "Deepgram";

pub async fn check(probe: &mut Probe, key: &str) -> Outcome {
    let Some(auth) = secret_header(
        "authorization",
        &zeroize::Zeroizing::new(format!("Token {key}")),
    ) else {
        return unsendable(NAME);
    };
    let answer = match probe.get("/v1/projects", &auth).await {
        Err(why) => return unreached(NAME, why),
        Ok(answer) if answer.ok() => answer,
        Ok(answer) if lacks_permission(&answer) => {
            return Outcome::new(
                Verdict::Limited,
                "Deepgram accepted the key, but it may not list its projects",
            );
        }
        Ok(answer) => return refused(&answer),
    };
    let Some(projects) = answer.body.get("projects").and_then(Value::as_array) else {
        return Outcome::new(
            Verdict::Unknown,
            "Deepgram answered the project list in a shape this check does not know",
        );
    };
    let names: Vec<String> = projects
        .iter()
        .map(|p| {
            p.get("name")
                .or_else(|| p.get("project_id"))
                .and_then(Value::as_str)
                .map_or_else(|| "(unnamed)".to_owned(), |n| plain_text(n, 80))
        })
        .collect();
    let mut found = Found::default();
    let Some(first) = projects
        .first()
        .and_then(|p| p.get("project_id"))
        .and_then(Value::as_str)
        .filter(|id| id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    else {
        return Outcome::new(
            Verdict::Limited,
            "Deepgram accepted the key, but it belongs to no project, so it cannot transcribe",
        );
    };
    found
        .facts
        .push(format!("projects: {}", listed_briefly(&names)));
    match probe
        .get(&format!("/v1/projects/{first}/balances"), &auth)
        .await
    {
        Ok(answer) if answer.ok() => found.facts.push(balance(&answer.body)),
        Ok(answer) if lacks_permission(&answer) => found
            .facts
            .push("balance: not readable with this key's scopes".to_owned()),
        Ok(answer) => found
            .facts
            .push(format!("balance: not known (HTTP {})", answer.status)),
        Err(why) => found.facts.push(format!("balance: not known ({})", why.0)),
    }
    let count = names.len();
    let projects = if count == 1 { "project" } else { "projects" };
    Outcome::new(
        Verdict::Valid,
        format!("Deepgram accepted the key; it belongs to {count} {projects}"),
    )
    .with(found)
}

fn code(answer: &Answer) -> String {
    answer
        .text("/err_code")
        .or_else(|| answer.text("/category"))
        .unwrap_or_default()
}

fn lacks_permission(answer: &Answer) -> bool {
    matches!(answer.status, 401 | 403)
        && code(answer).eq_ignore_ascii_case("INSUFFICIENT_PERMISSIONS")
}

fn refused(answer: &Answer) -> Outcome {
    if answer.status == 401 {
        return Outcome::new(
            Verdict::Invalid,
            "Deepgram refused the key: invalid credentials",
        );
    }
    not_understood(NAME, answer)
}

/// "balance: 12.34 USD", the balances summed per unit.
fn balance(body: &Value) -> String {
    let mut sums: Vec<(String, f64)> = Vec::new();
    for b in body
        .get("balances")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let amount = b.get("amount").and_then(Value::as_f64).unwrap_or(0.0);
        let units = b
            .get("units")
            .and_then(Value::as_str)
            .map_or_else(String::new, |u| plain_text(u, 12));
        match sums.iter_mut().find(|(u, _)| *u == units) {
            Some((_, sum)) => *sum += amount,
            None => sums.push((units, amount)),
        }
    }
    if sums.is_empty() {
        return "balance: none".to_owned();
    }
    let parts: Vec<String> = sums
        .iter()
        .map(|(units, sum)| format!("{sum:.2} {units}").trim_end().to_owned())
        .collect();
    format!("balance: {}", parts.join(", "))
}

//! `calls ls|get` and `numbers ls`. Every field of a call is the server's
//! text: it goes through `output::untrusted_value` before it is laid out.

use reqwest::Method;
use serde_json::json;

use super::output::untrusted_value;
use super::table::{or_dash, render, utc_header, utc_time};
use super::{CallsCommand, Failure, Outcome, print, print_json, say};
use crate::client::{ApiClient, CALLS_WALK_MAX, CallQuery, CallWalk};
use crate::domain::{Call, CallStatus};

/// The widest a table cell may be.
const CELL_MAX: usize = 80;
/// The longest a transcript turn, summary or error is shown.
const TEXT_MAX: usize = 4_000;

pub(super) async fn run(client: &ApiClient, json: bool, command: CallsCommand) -> Outcome {
    match command {
        CallsCommand::Ls {
            failed,
            live,
            since,
            assistant,
        } => {
            let wanted: Option<fn(&CallStatus) -> bool> = match (failed, live) {
                (true, _) => Some(CallStatus::failed),
                (_, true) => Some(CallStatus::live),
                _ => None,
            };
            list(client, json, wanted, since, assistant.as_deref()).await
        }
        CallsCommand::Get { id } => get(client, json, &id).await,
    }
}

async fn list(
    client: &ApiClient,
    json: bool,
    wanted: Option<fn(&CallStatus) -> bool>,
    since: Option<String>,
    assistant: Option<&str>,
) -> Outcome {
    // The API has no assistant filter: the calls are sifted here by the
    // id of the assistant the name finds.
    let assistant_id = match assistant {
        Some(given) => Some(assistant_id(client, given).await?),
        None => None,
    };
    let query = CallQuery {
        start_date: since,
        ..CallQuery::default()
    };
    let CallWalk { calls, truncated } = client.list_calls(&query).await?;
    if truncated {
        say(&format!(
            "only the newest {CALLS_WALK_MAX} calls were read; narrow them with --since"
        ));
    }
    let shown: Vec<Call> = calls
        .into_iter()
        .filter(|c| wanted.is_none_or(|w| w(&c.status)))
        .filter(|c| {
            assistant_id
                .as_deref()
                .is_none_or(|id| c.agent_id.as_deref() == Some(id))
        })
        .collect();
    if json {
        return print_json(&json!({ "calls": shown }));
    }
    if shown.is_empty() {
        return print("no calls\n");
    }
    let rows: Vec<Vec<String>> = shown.iter().map(row).collect();
    let created = utc_header("CREATED");
    print(&render(
        &[
            "ID",
            &created,
            "STATUS",
            "DIRECTION",
            "ASSISTANT",
            "SECONDS",
            "ERROR",
        ],
        &rows,
    ))
}

fn row(call: &Call) -> Vec<String> {
    let cell = |v: Option<&str>| or_dash(v.map(|v| untrusted_value(v, CELL_MAX)).as_deref());
    vec![
        untrusted_value(&call.id, CELL_MAX),
        utc_time(Some(&untrusted_value(&call.created_at, CELL_MAX))),
        untrusted_value(call.status.as_str(), CELL_MAX),
        cell(call.direction.as_deref()),
        cell(call.agent_name.as_deref().or(call.agent_id.as_deref())),
        call.duration_seconds
            .map_or("-".to_owned(), |s| format!("{s:.0}")),
        cell(call.error.as_deref()),
    ]
}

async fn assistant_id(client: &ApiClient, given: &str) -> Result<String, Failure> {
    let all = client.list_assistants().await?;
    Ok(super::assistants::one_named(&all, given, "")?.id.clone())
}

async fn get(client: &ApiClient, json: bool, id: &str) -> Outcome {
    if json && !id.is_empty() && id != "." && id != ".." {
        let path = format!("/calls/{}", segment(id));
        let body = client.raw(Method::GET, &path, None).await?;
        return print_json(&body);
    }
    let call = client.get_call(id).await?;
    if json {
        return print_json(&json!(call));
    }
    print(&details(&call))
}

/// `id` as one path segment, whatever it holds.
fn segment(id: &str) -> String {
    let Ok(mut url) = reqwest::Url::parse("http://x/") else {
        return String::new();
    };
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push(id);
    }
    url.path().trim_start_matches('/').to_owned()
}

fn details(call: &Call) -> String {
    let text = |v: Option<&str>, max| or_dash(v.map(|v| untrusted_value(v, max)).as_deref());
    let mut out = String::new();
    let mut line = |name: &str, value: String| out.push_str(&format!("{name:<14}{value}\n"));
    line("id", untrusted_value(&call.id, CELL_MAX));
    line("status", untrusted_value(call.status.as_str(), CELL_MAX));
    line("direction", text(call.direction.as_deref(), CELL_MAX));
    line(
        "assistant",
        text(
            call.agent_name.as_deref().or(call.agent_id.as_deref()),
            CELL_MAX,
        ),
    );
    line("from", text(call.caller_phone.as_deref(), CELL_MAX));
    line("to", text(call.assistant_phone.as_deref(), CELL_MAX));
    line(
        "created (UTC)",
        utc_time(Some(&untrusted_value(&call.created_at, CELL_MAX))),
    );
    line(
        "seconds",
        call.duration_seconds
            .map_or("-".to_owned(), |s| format!("{s:.0}")),
    );
    line("end reason", text(call.end_reason.as_deref(), CELL_MAX));
    line("error", text(call.error.as_deref(), TEXT_MAX));
    line("summary", text(call.summary.as_deref(), TEXT_MAX));
    line("recording", text(call.recording_url.as_deref(), TEXT_MAX));
    match call.messages.as_deref() {
        Some(turns) if !turns.is_empty() => {
            out.push_str("transcript\n");
            for turn in turns {
                out.push_str(&format!(
                    "  {}: {}\n",
                    text(turn.role.as_deref(), CELL_MAX),
                    text(turn.content.as_deref(), TEXT_MAX)
                ));
            }
        }
        _ => out.push_str("transcript    -\n"),
    }
    out
}

pub(super) async fn numbers(client: &ApiClient, json: bool) -> Outcome {
    if json {
        let body = client.raw(Method::GET, "/numbers", None).await?;
        return print_json(&body);
    }
    let numbers = client.numbers().await?;
    if numbers.is_empty() {
        return print("no phone numbers\n");
    }
    let cell = |v: Option<&str>| or_dash(v.map(|v| untrusted_value(v, CELL_MAX)).as_deref());
    let rows: Vec<Vec<String>> = numbers
        .iter()
        .map(|n| {
            vec![
                untrusted_value(&n.id, CELL_MAX),
                untrusted_value(&n.phone_number, CELL_MAX),
                cell(n.agent_name.as_deref().or(n.agent_id.as_deref())),
                cell(n.source.as_deref()),
                n.is_active
                    .map_or("-".to_owned(), |a| if a { "yes" } else { "no" }.to_owned()),
            ]
        })
        .collect();
    print(&render(
        &["ID", "NUMBER", "ASSISTANT", "SOURCE", "ACTIVE"],
        &rows,
    ))
}

//! `assistants apply -f FILE`: create, or update only what changed, without
//! overwriting what changed on the server since the file was read, and
//! without ever sending a redacted secret as a new value; then read back, to
//! say where the server did not keep what was sent.

mod file;
mod kept;
mod preview;
mod pull;

use std::path::Path;

use anyhow::Context;
use reqwest::Method;
use serde_json::Value;

use super::assistants::{path_of, printed};
use super::{Failure, Outcome, print, print_json, say};
use crate::client::{ApiClient, ApiError};
use crate::domain::json_diff as diff;
use crate::domain::secrets::has_redacted;
use crate::domain::{Assistant, AssistantDraft};
use file::{ENVELOPE, Given, draft_of, is_field, read_given};
use kept::{redacted_paths, restore_secrets, secrets_in};
pub(super) use preview::preview;
pub(super) use pull::pull;

pub(super) struct Options {
    pub json: bool,
    pub force: bool,
    pub reveal: bool,
}

/// No `id`: create. With `id`: send only what differs from the server's copy.
pub(super) async fn apply(client: &ApiClient, file: &Path, opts: Options) -> Outcome {
    let given = read_given(file)?;
    match given.id.clone() {
        None => create(client, given, &opts).await,
        Some(id) => update(client, &id, given, &opts).await,
    }
}

async fn create(client: &ApiClient, mut given: Given, opts: &Options) -> Outcome {
    let still = redacted_paths(&mut given.fields);
    if !still.is_empty() {
        return Err(Failure::failed(format!(
            "{}: {} {} redacted (as `get` prints secrets), and a new assistant has no secret \
             to keep; put the secret itself there, or leave the field out",
            given.shown,
            still.join(", "),
            if still.len() == 1 { "is" } else { "are" }
        )));
    }
    let secrets = secrets_in(&mut given.fields);
    let draft = draft_of(&given.shown, given.fields)?;
    let body = serde_json::to_value(ApiClient::create_body(&draft))
        .context("cannot encode the assistant")?;
    if opts.json {
        let answer = client.raw(Method::POST, "/assistants", Some(&body)).await;
        let answer = scrubbed(answer, &secrets)?;
        let id = answer
            .get(ENVELOPE)
            .unwrap_or(&answer)
            .get("id")
            .and_then(Value::as_str);
        if let Some(id) = id {
            check_kept(client, id, &body, &secrets).await;
        }
        return print_json(&printed(answer, opts.reveal));
    }
    let created = scrubbed(client.create_assistant(&draft).await, &secrets)?;
    check_kept(client, &created.id, &body, &secrets).await;
    print(&format!(
        "assistant {} created: {}\n",
        created.id, created.name
    ))
}

/// Reads the assistant back and warns, on stderr, wherever it does not
/// hold what was sent: a server may normalise a value or drop a field it
/// does not know, and a file kept as code would then say something the
/// service does not do. The save itself stands.
async fn check_kept(client: &ApiClient, id: &str, sent: &Value, secrets: &[String]) {
    match client.get_assistant_body(id).await {
        Ok((_, body, _)) => {
            let lines = diff::not_kept(sent, body.get(ENVELOPE).unwrap_or(&body));
            if !lines.is_empty() {
                say(&format!(
                    "warning: assistant {id} was saved, but the server does not keep \
                     everything as sent:\n{}",
                    lines.join("\n")
                ));
            }
        }
        Err(e) => {
            let e = secrets.iter().fold(e, |e, s| e.redacted(s));
            say(&format!(
                "warning: assistant {id} was saved, but reading it back to check it failed: {e}"
            ));
        }
    }
}

async fn update(client: &ApiClient, id: &str, given: Given, opts: &Options) -> Outcome {
    let (current, body, etag) = client.get_assistant_body(id).await?;
    let server = serde_json::to_value(&current).context("cannot read the server's copy")?;
    // Ours judges the file's revision itself (If-Match); for a server
    // without revisions (the hosted one) the time of the last change is
    // compared here.
    let judged_by_server = given.revision.is_some() && current.revision.is_some();
    if !opts.force
        && !judged_by_server
        && let (Some(read), Some(now)) = (&given.updated_at, &current.updated_at)
        && !same_time(read, now)
    {
        let why = format!("it was updated at {now}; your file is from {read}");
        return Err(stale(id, &why, &given.fields, &server));
    }
    let mut fields = given.fields.clone();
    if let Err(problem) = restore_secrets(&mut fields, &server, opts.force) {
        // A secret that no longer matches is news of a change on the
        // server; when the revision says so, that is the better report.
        if !opts.force && judged_by_server && given.revision != current.revision {
            return Err(stale_revision(id, &given, &current, &server));
        }
        return Err(Failure::failed(format!("{}: {problem}", given.shown)));
    }
    let draft = draft_of(&given.shown, fields)?;
    let changes = AssistantDraft::changes(&current, &draft);
    if changes.is_empty() {
        if opts.json {
            return print_json(&printed(body, opts.reveal));
        }
        return print(&format!("assistant {id} unchanged\n"));
    }
    let mut sent = serde_json::to_value(&changes).context("cannot encode the changes")?;
    // Restoring has replaced every redaction; this is the last line before
    // the wire, should a path to a secret ever be missed.
    if has_redacted(&mut sent) {
        return Err(Failure::failed(
            "refusing to send a redacted secret as a new value",
        ));
    }
    let secrets = secrets_in(&mut sent);
    client.check_update(&changes).await?;
    let if_match = match given.revision {
        Some(revision) if judged_by_server && !opts.force => Some(format!("\"{revision}\"")),
        // Still guards the moment between reading the server's copy and
        // sending the changes against it.
        _ => etag,
    };
    let answer = client
        .raw_request(
            Method::PATCH,
            &path_of(id)?,
            Some(&sent),
            if_match.as_deref(),
        )
        .await;
    let answer = match answer {
        Err(ApiError::PreconditionFailed(_)) => return Err(conflict(client, id, &given).await),
        other => scrubbed(other, &secrets)?,
    };
    check_kept(client, id, &sent, &secrets).await;
    if opts.json {
        return print_json(&printed(answer, opts.reveal));
    }
    let revision = answer
        .get(ENVELOPE)
        .unwrap_or(&answer)
        .get("revision")
        .and_then(Value::as_u64)
        .map_or_else(String::new, |r| format!(", revision {r}"));
    let names: Vec<&str> = sent
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    print(&format!(
        "assistant {id} updated: {}{revision}\n",
        names.join(", ")
    ))
}

/// The server refused the file's revision: say so with what differs now.
async fn conflict(client: &ApiClient, id: &str, given: &Given) -> Failure {
    match client.get_assistant(id).await {
        Ok((now, _)) => {
            let server = serde_json::to_value(&now).unwrap_or_default();
            stale_revision(id, given, &now, &server)
        }
        Err(e) => Failure::failed(format!(
            "assistant {id} changed on the server since you read it (and reading it again \
             failed: {e}); read it again with `voicedock assistants get {id} --json`, or apply \
             with --force to overwrite it"
        )),
    }
}

fn stale_revision(id: &str, given: &Given, now: &Assistant, server: &Value) -> Failure {
    let at = |r: Option<u64>| r.map_or_else(|| "?".to_owned(), |r| r.to_string());
    let why = format!(
        "your file is revision {}, the server's copy revision {}",
        at(given.revision),
        at(now.revision)
    );
    stale(id, &why, &given.fields, server)
}

fn stale(id: &str, why: &str, file: &Value, server: &Value) -> Failure {
    let lines = if server.is_object() {
        // Only what the file holds: a field it leaves out is not sent, so
        // not at stake.
        diff::lines(file, server, |k| is_field(k) && file.get(k).is_some())
    } else {
        Vec::new()
    };
    let what = if lines.is_empty() {
        String::new()
    } else {
        format!(
            "\nfields where the server's copy now differs from your file \
             (changed there, or edited by you):\n{}",
            lines.join("\n")
        )
    };
    Failure::failed(format!(
        "assistant {id} changed on the server since you read it ({why}); nothing was changed{what}\n\
         Read it again (`voicedock assistants get {id} --json`) and redo your edit there, or \
         apply with --force to make the server's copy match your file"
    ))
}

/// Two RFC 3339 times naming the same instant, however each is written.
pub(super) fn same_time(a: &str, b: &str) -> bool {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    match (
        OffsetDateTime::parse(a, &Rfc3339),
        OffsetDateTime::parse(b, &Rfc3339),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn scrubbed<T>(result: Result<T, ApiError>, secrets: &[String]) -> Result<T, Failure> {
    result.map_err(|e| secrets.iter().fold(e, |e, s| e.redacted(s)).into())
}

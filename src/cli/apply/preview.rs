//! `assistants diff -f FILE`: what `apply -f FILE` would change, read from
//! the server's copy and the file as `apply` reads them, nothing sent.
//! Exit codes as diff(1)'s: 0 no change, 1 changes, 2 trouble.

use std::path::Path;

use serde_json::{Value, json};

use super::super::{Failure, Outcome, exit_codes, print, print_json};
use super::file::{draft_of, read_given};
use super::kept::{redacted_paths, restore_secrets};
use super::same_time;
use crate::client::ApiClient;
use crate::domain::json_diff::{change_entries, change_lines};
use crate::domain::{Assistant, AssistantDraft};

fn trouble(message: impl std::fmt::Display) -> Failure {
    Failure {
        message: Some(message.to_string()),
        code: exit_codes::USAGE,
    }
}

/// What `apply` would send (`new`) over the server's copy (`old`), said as
/// text or, for scripts, as `{"id", "action", "changes", "unchanged",
/// "notes"}`; exit 1 as diff(1) when something would change.
fn report(
    json: bool,
    id: Option<&str>,
    head: &str,
    new: &Value,
    old: &Value,
    notes: &[String],
) -> Outcome {
    let changes = change_entries(new, old);
    if json {
        print_json(&json!({
            "id": id,
            "action": if id.is_some() { "update" } else { "create" },
            "changes": changes,
            "unchanged": changes.is_empty(),
            "notes": notes,
        }))?;
    } else {
        let mut text = format!("{head}\n");
        for line in change_lines(new, old).iter().chain(notes) {
            text.push_str(line);
            text.push('\n');
        }
        print(&text)?;
    }
    if changes.is_empty() {
        return Ok(());
    }
    Err(Failure {
        message: None,
        code: exit_codes::FAILED,
    })
}

pub(in super::super) async fn preview(client: &ApiClient, file: &Path, json: bool) -> Outcome {
    let given = read_given(file).map_err(|e| trouble(format!("{e:#}")))?;
    let Some(id) = given.id.clone() else {
        let mut fields = given.fields.clone();
        let still = redacted_paths(&mut fields);
        let draft = draft_of(&given.shown, fields).map_err(|e| trouble(format!("{e:#}")))?;
        let body = serde_json::to_value(ApiClient::create_body(&draft)).map_err(trouble)?;
        let mut notes = Vec::new();
        if !still.is_empty() {
            notes.push(format!(
                "note: apply refuses this file: {} redacted, and a new assistant has no \
                 secret to keep",
                still.join(", ")
            ));
        }
        let head = format!(
            "{} has no \"id\": apply would create an assistant with:",
            given.shown
        );
        return report(json, None, &head, &body, &json!({}), &notes);
    };
    let (current, _, _) = client.get_assistant_body(&id).await.map_err(trouble)?;
    let server = serde_json::to_value(&current).map_err(trouble)?;
    let mut fields = given.fields.clone();
    restore_secrets(&mut fields, &server, false)
        .map_err(|problem| trouble(format!("{}: {problem}", given.shown)))?;
    let draft = draft_of(&given.shown, fields).map_err(|e| trouble(format!("{e:#}")))?;
    let changes = AssistantDraft::changes(&current, &draft);
    if changes.is_empty() {
        let none = Value::Object(serde_json::Map::new());
        let head = format!("assistant {id}: apply would change nothing");
        return report(json, Some(&id), &head, &none, &none, &[]);
    }
    let sent = serde_json::to_value(&changes).map_err(trouble)?;
    let notes: Vec<String> = stale(&given.revision, &given.updated_at, &current)
        .map(|why| {
            format!(
                "note: the server's copy changed since the file was read ({why}): apply \
                 refuses it unless --force"
            )
        })
        .into_iter()
        .collect();
    let head = format!("assistant {id}: apply would change (server → file):");
    report(json, Some(&id), &head, &sent, &server, &notes)
}

/// Why `apply` would take the file as older than the server's copy.
fn stale(revision: &Option<u64>, updated_at: &Option<String>, now: &Assistant) -> Option<String> {
    if let (Some(read), Some(now)) = (revision, now.revision) {
        return (*read != now).then(|| format!("revision {read} in the file, {now} on the server"));
    }
    match (updated_at, &now.updated_at) {
        (Some(read), Some(now)) if !same_time(read, now) => {
            Some(format!("updated at {now}; the file is from {read}"))
        }
        _ => None,
    }
}

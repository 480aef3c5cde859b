//! `assistants ls|get|rm|apply`.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use reqwest::Method;
use serde_json::Value;

use super::table::{or_dash, render};
use super::{AssistantsCommand, Outcome, print, print_json};
use crate::client::ApiClient;
use crate::domain::{Assistant, AssistantDraft};

/// Fields the server owns: ignored when they appear in an applied file.
const READ_ONLY: [&str; 4] = ["id", "created_at", "updated_at", "revision"];
/// What `assistants get --json` wraps the assistant in.
const ENVELOPE: &str = "assistant";
/// Far above the server's 64 KiB body limit; the server has the last word.
const MAX_FILE: u64 = 1024 * 1024;

pub(super) async fn run(client: &ApiClient, json: bool, command: AssistantsCommand) -> Outcome {
    match command {
        AssistantsCommand::Ls if json => {
            print_json(&client.raw(Method::GET, "/assistants", None).await?)
        }
        AssistantsCommand::Ls => print(&list_table(&client.list_assistants().await?)),
        AssistantsCommand::Get { id } if json => {
            print_json(&client.raw(Method::GET, &path_of(&id), None).await?)
        }
        AssistantsCommand::Get { id } => print(&describe(&client.get_assistant(&id).await?.0)),
        AssistantsCommand::Rm { id } if json => {
            print_json(&client.raw(Method::DELETE, &path_of(&id), None).await?)
        }
        AssistantsCommand::Rm { id } => {
            client.delete_assistant(&id).await?;
            print(&format!("assistant {id} deleted\n"))
        }
        AssistantsCommand::Apply { file } => apply(client, json, &file).await,
    }
}

/// The id as one path segment, whatever it contains.
fn path_of(id: &str) -> String {
    let mut url = reqwest::Url::parse("http://x/assistants/").expect("a constant valid URL");
    url.path_segments_mut()
        .expect("an http URL has path segments")
        .pop_if_empty()
        .push(id);
    url.path().to_owned()
}

/// No `id`: create. With `id`: send only what differs from the server's copy,
/// guarded by its ETag so a concurrent edit is not overwritten.
async fn apply(client: &ApiClient, json: bool, file: &Path) -> Outcome {
    let (id, draft) = read_draft(file)?;
    let Some(id) = id else {
        if json {
            let body = serde_json::to_value(&draft).context("cannot encode the assistant")?;
            return print_json(&client.raw(Method::POST, "/assistants", Some(&body)).await?);
        }
        let created = client.create_assistant(&draft).await?;
        return print(&format!(
            "assistant {} created: {}\n",
            created.id, created.name
        ));
    };
    let (current, etag) = client.get_assistant(&id).await?;
    let changes = AssistantDraft::changes(&current, &draft);
    if changes.is_empty() {
        if json {
            return print_json(&client.raw(Method::GET, &path_of(&id), None).await?);
        }
        return print(&format!("assistant {id} unchanged\n"));
    }
    if json {
        let body = serde_json::to_value(&changes).context("cannot encode the changes")?;
        let answer = client
            .raw_request(Method::PATCH, &path_of(&id), Some(&body), etag.as_deref())
            .await?;
        return print_json(&answer);
    }
    let updated = client
        .update_assistant(&id, &changes, etag.as_deref())
        .await?;
    let fields: Vec<String> = match serde_json::to_value(&changes) {
        Ok(Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let revision = updated
        .revision
        .map_or_else(String::new, |r| format!(", revision {r}"));
    print(&format!(
        "assistant {id} updated: {}{revision}\n",
        fields.join(", ")
    ))
}

/// The file's `id` (if any) and the rest as a draft. The file may be an
/// assistant or `get --json`'s `{"assistant": {...}}`. A top-level field
/// this client does not know is refused here, naming it: that is where
/// typos happen, and sending only known fields is the rule for updates.
/// Fields inside a config are passed on as they are, since they may be a
/// newer or the hosted server's (`llm_config.tools`); a server that does
/// not know one refuses it by name.
fn read_draft(file: &Path) -> anyhow::Result<(Option<String>, AssistantDraft)> {
    let shown = if file == Path::new("-") {
        "stdin".to_owned()
    } else {
        format!("'{}'", file.display())
    };
    let text = read_text(file).with_context(|| format!("cannot read {shown}"))?;
    let mut value: Value =
        serde_json::from_str(&text).with_context(|| format!("{shown} is not valid JSON"))?;
    let wrapped = value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.get(ENVELOPE).is_some_and(Value::is_object));
    if wrapped {
        value = value[ENVELOPE].take();
    }
    let Some(object) = value.as_object_mut() else {
        bail!("{shown} must hold a JSON object (an assistant)");
    };
    let id = match object.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(_) => bail!("{shown}: \"id\" must be a non-empty string"),
    };
    for field in READ_ONLY {
        object.remove(field);
    }
    let unknown: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !AssistantDraft::FIELDS.contains(k) && !crate::domain::is_writable(k))
        .collect();
    if !unknown.is_empty() {
        bail!(
            "{shown}: unknown field {}; an assistant has {}",
            unknown.join(", "),
            [&READ_ONLY[..], AssistantDraft::FIELDS].concat().join(", ")
        );
    }
    let draft: AssistantDraft = serde_path_to_error::deserialize(value)
        .map_err(|e| anyhow::anyhow!("{shown}: {} at {}", e.inner(), e.path()))?;
    Ok((id, draft))
}

fn read_text(file: &Path) -> anyhow::Result<String> {
    let mut text = String::new();
    let read = if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(MAX_FILE + 1)
            .read_to_string(&mut text)?
    } else {
        std::fs::File::open(file)?
            .take(MAX_FILE + 1)
            .read_to_string(&mut text)?
    };
    if read as u64 > MAX_FILE {
        bail!("larger than {} KiB", MAX_FILE / 1024);
    }
    Ok(text)
}

fn list_table(assistants: &[Assistant]) -> String {
    let rows: Vec<Vec<String>> = assistants
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.name.clone(),
                stt_summary(a),
                llm_summary(a),
                tts_summary(a),
                or_dash(a.updated_at.as_deref()),
            ]
        })
        .collect();
    render(&["ID", "NAME", "STT", "LLM", "TTS", "UPDATED"], &rows)
}

fn pair(provider: &str, detail: Option<&str>) -> String {
    match detail {
        Some(detail) => format!("{provider}/{detail}"),
        None => provider.to_owned(),
    }
}

fn stt_summary(a: &Assistant) -> String {
    a.stt_config.as_ref().map_or("default".into(), |c| {
        let base = pair(&c.provider, c.model.as_deref());
        match &c.language {
            Some(lang) => format!("{base} ({lang})"),
            None => base,
        }
    })
}

fn llm_summary(a: &Assistant) -> String {
    a.llm_config
        .as_ref()
        .map_or("default".into(), |c| pair(&c.provider, c.model.as_deref()))
}

fn tts_summary(a: &Assistant) -> String {
    a.tts_config.as_ref().map_or("default".into(), |c| {
        pair(&c.provider, c.voice_id.as_deref())
    })
}

fn describe(a: &Assistant) -> String {
    let mut rows = vec![
        vec!["id".to_owned(), a.id.clone()],
        vec!["name".to_owned(), a.name.clone()],
        vec![
            "first_message".to_owned(),
            or_dash(a.first_message.as_deref()),
        ],
        vec!["stt".to_owned(), stt_summary(a)],
        vec!["llm".to_owned(), llm_summary(a)],
    ];
    if let Some(llm) = &a.llm_config {
        if let Some(t) = llm.temperature {
            rows.push(vec!["temperature".to_owned(), t.to_string()]);
        }
        for (i, m) in llm.messages.iter().flatten().enumerate() {
            rows.push(vec![
                format!("messages[{i}]"),
                format!("{}: {}", m.role, one_line(&m.content)),
            ]);
        }
    }
    rows.push(vec!["tts".to_owned(), tts_summary(a)]);
    if let Some(model) = a.tts_config.as_ref().and_then(|c| c.model.as_deref()) {
        rows.push(vec!["tts model".to_owned(), model.to_owned()]);
    }
    rows.push(vec!["created".to_owned(), or_dash(a.created_at.as_deref())]);
    rows.push(vec!["updated".to_owned(), or_dash(a.updated_at.as_deref())]);
    if let Some(r) = a.revision {
        rows.push(vec!["revision".to_owned(), r.to_string()]);
    }
    render(&[], &rows)
}

/// Long prompts shortened to one line of at most 80 characters.
fn one_line(text: &str) -> String {
    const SHOWN: usize = 80;
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SHOWN {
        flat
    } else {
        format!("{}…", flat.chars().take(SHOWN - 1).collect::<String>())
    }
}

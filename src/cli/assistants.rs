//! `assistants ls|get|rm` (`apply`, `pull` and `diff` are in `apply/`).
//! Secrets inside an assistant are redacted in whatever is printed, unless
//! `--reveal` asks for them in `--json` output; a human table never shows one.

use reqwest::Method;
use serde_json::Value;

use super::apply::{self, Options};
use super::table::{or_dash, render, utc_header, utc_time};
use super::{AssistantsCommand, Failure, Outcome, print, print_json};
use crate::client::{ApiClient, ApiError};
use crate::domain::secrets::{redact_secrets, redacted};
use crate::domain::{Assistant, HOSTED_FIELDS, NameLookup, find_assistant};

pub(super) async fn run(client: &ApiClient, json: bool, command: AssistantsCommand) -> Outcome {
    match command {
        AssistantsCommand::Ls { reveal } if json => {
            let body = client.list_assistants_json().await?;
            print_json(&printed(body, reveal.reveal))
        }
        AssistantsCommand::Ls { .. } => print(&list_table(&client.list_assistants().await?)),
        AssistantsCommand::Get { assistant, reveal } if json => {
            let get = async |id: &str| client.raw(Method::GET, &path_of(id)?, None).await;
            let body = by_id_or_name(client, &assistant, get).await?;
            print_json(&printed(body, reveal.reveal))
        }
        AssistantsCommand::Get { assistant, .. } => {
            let get = async |id: &str| Ok(client.get_assistant(id).await?.0);
            print(&describe(&by_id_or_name(client, &assistant, get).await?))
        }
        AssistantsCommand::Rm { id } if json => {
            print_json(&client.raw(Method::DELETE, &path_of(&id)?, None).await?)
        }
        AssistantsCommand::Rm { id } => {
            client.delete_assistant(&id).await?;
            print(&format!("assistant {id} deleted\n"))
        }
        AssistantsCommand::Apply {
            file,
            force,
            reveal,
        } => {
            let opts = Options {
                json,
                force,
                reveal: reveal.reveal,
            };
            apply::apply(client, &file, opts).await
        }
        AssistantsCommand::Pull { id, out, reveal } => apply::pull(client, &id, &out, reveal).await,
        AssistantsCommand::Diff { file } => apply::preview(client, &file, json).await,
    }
}

/// What `get` answers for `given` as an id; an id no assistant has is
/// looked up among the names as the console's `:edit` does
/// (`domain::find_assistant`), and a name several fit lists them.
async fn by_id_or_name<T>(
    client: &ApiClient,
    given: &str,
    get: impl AsyncFn(&str) -> Result<T, ApiError>,
) -> Result<T, Failure> {
    // A server that cannot read `given` as an id (400) has no such id
    // either: it may still be a name.
    let not_an_id = match get(given).await {
        Err(e @ (ApiError::NotFound(_) | ApiError::Validation { .. })) => e,
        other => return Ok(other?),
    };
    let all = client.list_assistants().await?;
    let one = one_named(&all, given, &format!(" ({not_an_id})"))?;
    Ok(get(&one.id).await?)
}

/// The assistant among `all` that `given` names (`domain::find_assistant`);
/// none is an error ending in `why_none`, several list their ids.
pub(super) fn one_named<'a>(
    all: &'a [Assistant],
    given: &str,
    why_none: &str,
) -> Result<&'a Assistant, Failure> {
    match find_assistant(all.iter(), given, |a, id| a.id == id, |a| &a.name) {
        NameLookup::Found(one) => Ok(one),
        NameLookup::Missing => Err(Failure::failed(format!(
            "no assistant has the id or name {given:?}{why_none}"
        ))),
        NameLookup::Ambiguous(many) => {
            let rows: Vec<Vec<String>> = many
                .iter()
                .map(|a| vec![format!("  {}", a.id), a.name.clone()])
                .collect();
            Err(Failure::failed(format!(
                "{} assistants fit the name {given:?}; give one of their ids:\n{}",
                many.len(),
                render(&[], &rows).trim_end()
            )))
        }
    }
}

/// A body about assistants as it will be printed: every secret in each
/// assistant redacted, unless `reveal`. Bodies of any other shape (a
/// delete's `{"success": true}`) are left as they are.
pub(super) fn printed(mut body: Value, reveal: bool) -> Value {
    if reveal {
        return body;
    }
    if let Some(one) = body.get_mut("assistant") {
        redact_secrets(one);
    } else if let Some(all) = body.get_mut("assistants").and_then(Value::as_array_mut) {
        all.iter_mut().for_each(redact_secrets);
    } else if body.get("id").is_some() {
        // Some servers answer the assistant bare.
        redact_secrets(&mut body);
    }
    body
}

/// The id as one path segment, whatever it contains; one that cannot be a
/// segment addresses no assistant, as the client's typed methods say.
pub(super) fn path_of(id: &str) -> Result<String, ApiError> {
    let none = || ApiError::NotFound(format!("no assistant with id {id:?}").into());
    let mut url = reqwest::Url::parse("http://x/assistants/").map_err(|_| none())?;
    url.path_segments_mut()
        .map_err(|()| none())?
        .pop_if_empty()
        .push(id);
    Ok(url.path().to_owned())
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
                utc_time(a.updated_at.as_deref()),
            ]
        })
        .collect();
    let updated = utc_header("UPDATED");
    render(&["ID", "NAME", "STT", "LLM", "TTS", &updated], &rows)
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
    for (i, tool) in tools(a).iter().enumerate() {
        rows.push(vec![format!("tools[{i}]"), tool_summary(tool)]);
    }
    for field in HOSTED_FIELDS {
        let Some(value) = a.extra.get(field.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let text = match value {
            // Never shown in a table, whatever was asked: only its redaction.
            Value::String(s) if field.secret => redacted(s),
            Value::String(s) => one_line(s),
            other => one_line(&other.to_string()),
        };
        rows.push(vec![field.name.to_owned(), text]);
    }
    rows.push(vec![
        utc_header("created"),
        utc_time(a.created_at.as_deref()),
    ]);
    rows.push(vec![
        utc_header("updated"),
        utc_time(a.updated_at.as_deref()),
    ]);
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

fn tools(a: &Assistant) -> &[Value] {
    a.llm_config
        .as_ref()
        .and_then(|c| c.extra.get("tools"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A tool's name and where it is served; its secret only as a redaction.
fn tool_summary(tool: &Value) -> String {
    let name = tool
        .pointer("/function/name")
        .or_else(|| tool.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("tool");
    let mut text = name.to_owned();
    if let Some(url) = tool.pointer("/server/url").and_then(Value::as_str) {
        text.push_str(&format!(" → {url}"));
    }
    if let Some(secret) = tool.pointer("/server/secret").and_then(Value::as_str) {
        text.push_str(&format!(" (secret {})", redacted(secret)));
    }
    one_line(&text)
}

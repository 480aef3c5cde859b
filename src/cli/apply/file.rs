//! Reading the file `apply` is given: the assistant's fields, and which
//! assistant (and which version of it) they came from.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use serde_json::Value;

use crate::domain::{AssistantDraft, HOSTED_FIELDS, is_writable};

/// Fields the server owns: never sent. `revision` and `updated_at` still
/// tell which version of the assistant the file was read from.
const READ_ONLY: [&str; 4] = ["id", "created_at", "updated_at", "revision"];
/// What `assistants get --json` wraps the assistant in.
pub(super) const ENVELOPE: &str = "assistant";
/// Far above the server's 64 KiB body limit; the server has the last word.
const MAX_FILE: u64 = 1024 * 1024;

/// An assistant as a file gives it.
pub(super) struct Given {
    /// How to name the file in a message: `'a.json'` or `stdin`.
    pub shown: String,
    pub id: Option<String>,
    /// The version the file was read from: ours counts revisions, the
    /// hosted service has only the time of the last change.
    pub revision: Option<u64>,
    pub updated_at: Option<String>,
    /// The writable fields, as given: secrets may still be redacted.
    pub fields: Value,
}

/// A top-level field a file may hold and a client may send.
pub(super) fn is_field(name: &str) -> bool {
    AssistantDraft::FIELDS.contains(&name) || is_writable(name)
}

pub(super) fn draft_of(shown: &str, fields: Value) -> anyhow::Result<AssistantDraft> {
    // serde's message would quote a string value, which may be a secret.
    serde_path_to_error::deserialize(fields).map_err(|e| {
        let message = crate::domain::without_string_value(&e.inner().to_string());
        anyhow::anyhow!("{shown}: {message} at {}", e.path())
    })
}

/// The file's assistant: bare, or `get --json`'s `{"assistant": {...}}`.
/// A top-level field this client does not know is refused here, naming
/// it: that is where typos happen. Fields inside a config are passed on as
/// they are, since they may be a newer or the hosted server's; a server
/// that does not know one refuses it by name.
pub(super) fn read_given(file: &Path) -> anyhow::Result<Given> {
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
    let revision = match object.get("revision") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_u64()
                .with_context(|| format!("{shown}: \"revision\" must be a whole number"))?,
        ),
    };
    let updated_at = match object.get("updated_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => bail!("{shown}: \"updated_at\" must be a time (a string)"),
    };
    for field in READ_ONLY {
        object.remove(field);
    }
    let unknown: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| !is_field(k))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = READ_ONLY
            .iter()
            .chain(AssistantDraft::FIELDS)
            .copied()
            .chain(HOSTED_FIELDS.iter().map(|f| f.name))
            .collect();
        bail!(
            "{shown}: unknown field {}; an assistant has {}",
            unknown.join(", "),
            known.join(", ")
        );
    }
    // Checked now, so a wrong type is reported before any request.
    draft_of(&shown, value.clone())?;
    Ok(Given {
        shown,
        id,
        revision,
        updated_at,
        fields: value,
    })
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::draft_of;

    #[test]
    fn a_wrong_type_is_named_without_its_value() {
        let fields = json!({"name": "a", "llm_config": {"provider": "openai",
            "temperature": "whsec_0123456789abcdef"}});
        let err = draft_of("'a.json'", fields).unwrap_err().to_string();
        assert!(err.contains("llm_config.temperature"), "{err}");
        assert!(!err.contains("whsec_"), "{err}");
    }
}

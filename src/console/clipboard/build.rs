//! What a copy holds, built from what has the focus. Nothing here can hold
//! a secret: a `Subject` is made of ids, names and JSON that went through
//! the CLI's redaction, and nothing of the key form or the key checks
//! reaches it.

use serde_json::{Value, json};

use crate::config::API_KEY_VAR;
use crate::domain::safe_json;
use crate::domain::secrets::redact_secrets;
use crate::domain::text::{one_line, terminal_safe};

/// The forms a copy takes; each has its own key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The main id: the secret id (the provider's id while it has no
    /// key), the model id, the assistant id.
    Id,
    /// The whole thing as JSON, secrets redacted.
    Json,
    /// The `curl` command that fetches it, the account key left to the shell.
    Curl,
}

/// An assistant's JSON with every secret in it redacted, as the CLI prints
/// it without `--reveal`: the only way an assistant reaches a copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Redacted(Value);

impl Redacted {
    pub fn assistant(mut value: Value) -> Redacted {
        redact_secrets(&mut value);
        Redacted(value)
    }

    pub fn value(&self) -> &Value {
        &self.0
    }
}

/// What has the focus, as far as copying is concerned.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// A row of the Providers screen. The key itself is never here: the
    /// server does not give it back, and the typed one stays in its form.
    Provider {
        id: String,
        name: String,
        secret_id: Option<String>,
        configured: Option<bool>,
        updated_at: Option<String>,
    },
    Model {
        provider: String,
        id: String,
        /// The model as `/byok/config` describes it.
        json: Value,
    },
    /// `id` is `None` for an assistant not saved yet.
    Assistant { id: Option<String>, json: Redacted },
}

/// Where a curl copy goes: the server's origin, and whether it is this
/// console's embedded server, whose account key no environment variable
/// holds: it is in the credentials file, under `local`.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub base_url: &'a str,
    pub embedded: bool,
}

/// Leads a curl copy for the embedded server: where its key is, never the
/// key. A comment, so the pasted lines still run as they are.
pub const EMBEDDED_KEY_HINT: &str = "# This console's embedded server, up while the console runs. \
Set VOICEDOCK_API_KEY (no need to export it) to\n\
# the api_key under [local] in the credentials file that `voicedock paths` lists.";

/// A copy ready for the clipboard: `what` is said on screen ("assistant id
/// a-1"), `text` goes to the clipboard and is never shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub what: String,
    pub text: String,
}

/// The copy of `subject` in `form`, or why there is none. `origin` is
/// the server's, for the curl form.
pub fn copy(subject: &Subject, form: Form, origin: Origin) -> Result<Copy, String> {
    // An id or a name from a server goes to a terminal twice: the toast
    // draws `what`, and `text` is pasted into a shell. JSON escapes its own.
    let Copy { what, text } = copy_as_sent(subject, form, origin)?;
    Ok(Copy {
        what: one_line(&what).into_owned(),
        text: terminal_safe(&text).into_owned(),
    })
}

fn copy_as_sent(subject: &Subject, form: Form, origin: Origin) -> Result<Copy, String> {
    let made = |what: String, text: String| Ok(Copy { what, text });
    match (subject, form) {
        (
            Subject::Provider {
                secret_id: Some(secret),
                ..
            },
            Form::Id,
        ) => made(format!("secret id {secret}"), secret.clone()),
        // No key, so no secret id: the provider's id is what `byok set` takes.
        (Subject::Provider { id, .. }, Form::Id) => made(
            format!("provider id {id} (no key stored, so no secret id)"),
            id.clone(),
        ),
        (
            Subject::Provider {
                id,
                name,
                secret_id,
                configured,
                updated_at,
            },
            Form::Json,
        ) => {
            let value = json!({
                "provider": id,
                "name": name,
                "configured": configured,
                "secret_id": secret_id,
                "updated_at": updated_at,
            });
            made(format!("{name} as JSON"), pretty(&value))
        }
        (Subject::Model { id, .. }, Form::Id) => made(format!("model id {id}"), id.clone()),
        (Subject::Model { id, json, .. }, Form::Json) => {
            made(format!("model {id} as JSON"), pretty(json))
        }
        (Subject::Assistant { id: Some(id), .. }, Form::Id) => {
            made(format!("assistant id {id}"), id.clone())
        }
        (Subject::Assistant { id: None, .. }, Form::Id | Form::Curl) => {
            Err("this assistant is not saved yet: it has no id".to_owned())
        }
        (Subject::Assistant { id, json }, Form::Json) => {
            let what = match id {
                Some(id) => format!("assistant {id} as JSON (secrets redacted)"),
                None => "the new assistant as JSON (secrets redacted)".to_owned(),
            };
            made(what, pretty(json.value()))
        }
        (Subject::Provider { .. }, Form::Curl) => curl(origin, &["byok"]),
        (Subject::Model { .. }, Form::Curl) => curl(origin, &["byok", "config"]),
        (Subject::Assistant { id: Some(id), .. }, Form::Curl) => curl(origin, &["assistants", id]),
    }
}

/// Pasted into a terminal, a raw control character would act there; as an
/// escape it is the same JSON.
fn pretty(value: &Value) -> String {
    safe_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// `curl` fetching `segments` under `/api/v1`, each one percent-encoded
/// as a single path segment. The account key is `$VOICEDOCK_API_KEY`,
/// for the shell to fill in: its value is never part of a copy. For the
/// embedded server, a comment first says where that key is.
fn curl(origin: Origin, segments: &[&str]) -> Result<Copy, String> {
    let base_url = origin.base_url;
    let mut url = reqwest::Url::parse(&format!("{}/api/v1/", base_url.trim_end_matches('/')))
        .map_err(|e| format!("cannot build the request's URL from {base_url}: {e}"))?;
    url.path_segments_mut()
        .map_err(|()| format!("{base_url} cannot hold a path"))?
        .pop_if_empty()
        .extend(segments);
    let command = format!(
        "curl -sS -H \"Authorization: Bearer ${API_KEY_VAR}\" {}",
        shell_quoted(url.as_str())
    );
    let what = format!("curl for GET {}", route(segments));
    if !origin.embedded {
        return Ok(Copy {
            what,
            text: command,
        });
    }
    Ok(Copy {
        what: format!("{what} (key: [local] in credentials.toml)"),
        text: format!("{EMBEDDED_KEY_HINT}\n{command}"),
    })
}

/// The route as the API documentation writes it: ids stay placeholders,
/// so a long id does not fill the toast.
fn route(segments: &[&str]) -> String {
    match segments {
        ["assistants", _] => "/api/v1/assistants/{id}".to_owned(),
        _ => format!("/api/v1/{}", segments.join("/")),
    }
}

/// One word for any POSIX shell: single quotes, each `'` closed, escaped
/// and reopened.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_names_the_key_variable_and_quotes_the_url() {
        let subject = Subject::Assistant {
            id: Some("a b'c/..".into()),
            json: Redacted::assistant(json!({"id": "a b'c/.."})),
        };
        let origin = Origin {
            base_url: "http://127.0.0.1:8787",
            embedded: false,
        };
        let copy = copy(&subject, Form::Curl, origin).unwrap();
        assert_eq!(
            copy.text,
            "curl -sS -H \"Authorization: Bearer $VOICEDOCK_API_KEY\" \
             'http://127.0.0.1:8787/api/v1/assistants/a%20b'\\''c%2F..'"
        );
        assert_eq!(copy.what, "curl for GET /api/v1/assistants/{id}");
    }

    #[test]
    fn an_assistant_reaches_a_copy_only_redacted() {
        let json = Redacted::assistant(json!({"id": "a-1",
            "webhook_secret": "whsec_0123456789abcdef",
            "llm_config": {"tools": [{"server": {"secret": "tool-secret-1"}}]}}));
        let subject = Subject::Assistant {
            id: Some("a-1".into()),
            json,
        };
        let origin = Origin {
            base_url: "http://127.0.0.1:1",
            embedded: false,
        };
        let copy = copy(&subject, Form::Json, origin).unwrap();
        assert!(copy.text.contains("••••cdef"), "{}", copy.text);
        assert!(!copy.text.contains("whsec_0123") && !copy.text.contains("tool-secret"));
    }
}

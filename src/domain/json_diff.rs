//! Where two versions of an assistant differ, field by field: a file and
//! the server's copy, so that a refused apply can say what changed, or a
//! body sent and the assistant the server kept, so that a save by the CLI
//! or the console can say what the server did not keep. Values are shown
//! with every secret redacted; a redacted secret in the file equals the
//! server's when it is that secret's redaction.

use serde_json::{Value, json};

use crate::domain::secrets::{is_redacted, redact_secrets, redacted, secret_slots};

/// Differences beyond this many are counted, not listed.
const SHOWN: usize = 20;
/// A value wider than this is cut.
const WIDTH: usize = 60;

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn path_text(path: &[Step]) -> String {
    let mut text = String::new();
    for step in path {
        match step {
            Step::Key(k) if text.is_empty() => text.push_str(k),
            Step::Key(k) => {
                text.push('.');
                text.push_str(k);
            }
            Step::Index(i) => text.push_str(&format!("[{i}]")),
        }
    }
    text
}

fn at<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// The places where `file` and `server` differ. Objects are compared key by
/// key (an absent key reads as null, as on the hosted service), lists of
/// equal length item by item; anything else as a whole.
fn differences(file: &Value, server: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match (file, server) {
        (Value::Object(a), Value::Object(b)) => {
            let keys = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
            for key in keys {
                path.push(Step::Key(key.clone()));
                let x = a.get(key).unwrap_or(&Value::Null);
                let y = b.get(key).unwrap_or(&Value::Null);
                differences(x, y, path, out);
                path.pop();
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                path.push(Step::Index(i));
                differences(x, y, path, out);
                path.pop();
            }
        }
        (Value::String(f), Value::String(s)) if is_redacted(f) && redacted(s) == *f => {}
        _ if file != server => out.push(path.clone()),
        _ => {}
    }
}

fn shown(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => return "(none)".to_owned(),
        Some(v) => v.to_string(),
    };
    if text.chars().count() <= WIDTH {
        text
    } else {
        format!("{}…", text.chars().take(WIDTH - 1).collect::<String>())
    }
}

/// The differences between `file` and `server` over the top-level fields
/// `counts` admits, for showing: each place, and the two values there from
/// copies with every secret redacted.
struct Found {
    paths: Vec<Vec<Step>>,
    file_shown: Value,
    server_shown: Value,
    /// Where the secrets are, on either side.
    secrets: Vec<String>,
}

fn found(file: &Value, server: &Value, counts: impl Fn(&str) -> bool) -> Found {
    let only = |v: &Value| -> Value {
        let mut kept = v.clone();
        if let Some(object) = kept.as_object_mut() {
            object.retain(|k, _| counts(k));
        }
        kept
    };
    let (mut file, mut server) = (only(file), only(server));
    let mut paths = Vec::new();
    differences(&file, &server, &mut Vec::new(), &mut paths);
    let secrets = secret_slots(&mut file)
        .into_iter()
        .chain(secret_slots(&mut server))
        .map(|(path, _)| path)
        .collect();
    // Shown from redacted copies: neither side's secrets reach the message.
    redact_secrets(&mut file);
    redact_secrets(&mut server);
    Found {
        paths,
        file_shown: file,
        server_shown: server,
        secrets,
    }
}

impl Found {
    fn is_secret(&self, path: &[Step]) -> bool {
        self.secrets.contains(&path_text(path))
    }

    /// At most `SHOWN` lines made by `line`, then how many more there are.
    fn listed(&self, line: impl Fn(&[Step]) -> String) -> Vec<String> {
        let mut out: Vec<String> = self.paths.iter().take(SHOWN).map(|p| line(p)).collect();
        if self.paths.len() > SHOWN {
            out.push(format!("  … and {} more", self.paths.len() - SHOWN));
        }
        out
    }
}

/// One line per difference between the assistants `file` and `server`,
/// over the top-level fields `counts` admits: `  name: server "B", your
/// file "A"`.
pub fn lines(file: &Value, server: &Value, counts: impl Fn(&str) -> bool) -> Vec<String> {
    let found = found(file, server, counts);
    found.listed(|path| {
        format!(
            "  {}: server {}, your file {}",
            path_text(path),
            shown(at(&found.server_shown, path)),
            shown(at(&found.file_shown, path))
        )
    })
}

/// What sending `new` over `old` changes, one line per place: `  name:
/// "B" → "A"`. A secret is only said to change; one that `new` carries
/// unchanged (inside a config sent whole) is said to be unchanged.
pub fn change_lines(new: &Value, old: &Value) -> Vec<String> {
    let found = found(new, old, |k| new.get(k).is_some());
    let mut out = found.listed(|path| {
        let value = if found.is_secret(path) {
            "changed (secret)".to_owned()
        } else {
            format!(
                "{} → {}",
                shown(at(&found.server_shown, path)),
                shown(at(&found.file_shown, path))
            )
        };
        format!("  {}: {value}", path_text(path))
    });
    let mut sent = new.clone();
    for (path, _) in secret_slots(&mut sent) {
        if !found.paths.iter().any(|p| lies_in(&path, &path_text(p))) {
            out.push(format!("  {path}: unchanged (secret)"));
        }
    }
    out
}

/// `change_lines` for scripts, every change listed and no value cut:
/// `{"field", "from", "to"}` from copies with every secret redacted, and a
/// secret as `{"field", "secret": "changed" | "unchanged"}`, never a value.
pub fn change_entries(new: &Value, old: &Value) -> Vec<Value> {
    let found = found(new, old, |k| new.get(k).is_some());
    let value_at = |side: &Value, path: &[Step]| at(side, path).cloned().unwrap_or(Value::Null);
    let mut out: Vec<Value> = found
        .paths
        .iter()
        .map(|path| {
            let field = path_text(path);
            if found.is_secret(path) {
                json!({"field": field, "secret": "changed"})
            } else {
                json!({
                    "field": field,
                    "from": value_at(&found.server_shown, path),
                    "to": value_at(&found.file_shown, path),
                })
            }
        })
        .collect();
    let mut sent = new.clone();
    for (path, _) in secret_slots(&mut sent) {
        if !found.paths.iter().any(|p| lies_in(&path, &path_text(p))) {
            out.push(json!({"field": path, "secret": "unchanged"}));
        }
    }
    out
}

/// Whether the place `path` is `outer` or inside it.
fn lies_in(path: &str, outer: &str) -> bool {
    path.strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// One place where the server does not hold what was sent. Values are
/// shown from copies with every secret redacted; a secret has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotKept {
    pub field: String,
    /// `None` for a secret: only that the server keeps another is said.
    pub sent: Option<String>,
    pub kept: Option<String>,
}

/// Where the assistant the server `stored` does not hold what was `sent`:
/// a value the server changed or dropped. A field sent empty (null) that
/// the server filled in is no loss.
pub fn not_kept_fields(sent: &Value, stored: &Value) -> Vec<NotKept> {
    let found = found(sent, stored, |k| sent.get(k).is_some());
    found
        .paths
        .iter()
        .filter(|path| at(sent, path).is_some_and(|v| !v.is_null()))
        .map(|path| {
            let secret = found.is_secret(path);
            let value = |side| (!secret).then(|| shown(at(side, path)));
            NotKept {
                field: path_text(path),
                sent: value(&found.file_shown),
                kept: value(&found.server_shown),
            }
        })
        .collect()
}

/// `not_kept_fields` one line each, at most `SHOWN` of them.
pub fn not_kept(sent: &Value, stored: &Value) -> Vec<String> {
    let fields = not_kept_fields(sent, stored);
    let mut out: Vec<String> = fields
        .iter()
        .take(SHOWN)
        .map(|f| match (&f.sent, &f.kept) {
            (Some(sent), Some(kept)) => {
                format!("  {}: sent {sent}, the server keeps {kept}", f.field)
            }
            _ => format!("  {}: the server keeps another secret", f.field),
        })
        .collect();
    if fields.len() > SHOWN {
        out.push(format!("  … and {} more", fields.len() - SHOWN));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn differences_are_listed_by_path_and_secrets_stay_redacted() {
        let server = json!({"name": "B", "webhook_secret": "whsec_0123456789abcdef",
            "llm_config": {"provider": "openai", "temperature": 0.9,
                "tools": [{"server": {"url": "https://a", "secret": "tool-secret-0123456789"}}]},
            "voicemail_message": "Hi", "id": "x"});
        let file = json!({"name": "A", "webhook_secret": "••••cdef",
            "llm_config": {"provider": "openai", "temperature": 0.7,
                "tools": [{"server": {"url": "https://a", "secret": "another-secret-0123456789"}}]},
            "id": "y"});
        let out = lines(&file, &server, |k| k != "id");
        assert_eq!(
            out,
            [
                "  name: server \"B\", your file \"A\"",
                "  llm_config.temperature: server 0.9, your file 0.7",
                "  llm_config.tools[0].server.secret: server \"••••6789\", your file \"••••6789\"",
                "  voicemail_message: server \"Hi\", your file (none)",
            ]
        );
        assert!(!out.concat().contains("secret-0123"), "{out:?}");
    }

    #[test]
    fn a_long_list_is_cut() {
        let file: serde_json::Map<String, Value> =
            (0..30).map(|i| (format!("f{i}"), json!(i))).collect();
        let out = lines(&Value::Object(file), &json!({}), |_| true);
        assert_eq!(out.len(), SHOWN + 1);
        assert_eq!(out[SHOWN], "  … and 10 more");
    }

    /// An assistant as stored and as edited: a name and a model changed, a
    /// secret changed and one sent again as it was.
    fn stored_and_edited() -> (Value, Value) {
        let old = json!({"name": "A", "webhook_secret": "whsec_0123456789abcdefOLD1",
            "llm_config": {"provider": "openai",
                "tools": [{"server": {"url": "https://a", "secret": "tool-secret-0123456789"}}]}});
        let new = json!({"name": "B", "webhook_secret": "whsec_0123456789abcdefNEW1",
            "llm_config": {"provider": "openai", "model": "gpt-4o",
                "tools": [{"server": {"url": "https://a", "secret": "tool-secret-0123456789"}}]}});
        (old, new)
    }

    #[test]
    fn changes_hide_every_secret_and_name_the_ones_sent_again() {
        let (old, new) = stored_and_edited();
        let out = change_lines(&new, &old);
        assert_eq!(
            out,
            [
                "  name: \"A\" → \"B\"",
                "  webhook_secret: changed (secret)",
                "  llm_config.model: (none) → \"gpt-4o\"",
                "  llm_config.tools[0].server.secret: unchanged (secret)",
            ]
        );
        // A list that changed as a whole holds the secret: no claim about it.
        let grown = json!({"llm_config": {"provider": "openai", "tools": [
            {"server": {"url": "https://a", "secret": "tool-secret-0123456789"}}, {"type": "x"}]}});
        let out = change_lines(&grown, &old);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].starts_with("  llm_config.tools: "), "{out:?}");
        assert!(!out.concat().contains("secret-0123"), "{out:?}");
    }

    #[test]
    fn change_entries_carry_values_but_only_say_whether_a_secret_changed() {
        let (old, new) = stored_and_edited();
        let out = change_entries(&new, &old);
        assert_eq!(
            out,
            [
                json!({"field": "name", "from": "A", "to": "B"}),
                json!({"field": "webhook_secret", "secret": "changed"}),
                json!({"field": "llm_config.model", "from": null, "to": "gpt-4o"}),
                json!({"field": "llm_config.tools[0].server.secret", "secret": "unchanged"}),
            ]
        );
    }

    #[test]
    fn a_value_not_kept_is_named_and_one_filled_in_is_not() {
        let sent = json!({"name": " A ", "first_message": null, "webhook_secret": "whsec_0123456789abcdefSENT",
            "llm_config": {"provider": "openai", "temperature": 0.5}});
        let stored = json!({"name": "A", "first_message": "Hi", "webhook_secret": "whsec_0123456789abcdefELSE",
            "llm_config": {"provider": "openai", "model": "gpt-4o"}, "is_active": true});
        let out = not_kept(&sent, &stored);
        assert_eq!(
            out,
            [
                "  name: sent \" A \", the server keeps \"A\"",
                "  webhook_secret: the server keeps another secret",
                "  llm_config.temperature: sent 0.5, the server keeps (none)",
            ]
        );
        assert!(not_kept(&sent, &sent).is_empty());
    }
}

//! The hosted assistant's fields beyond name, first message and configs:
//! their types, which may be null, and which hold secrets.

use serde_json::{Map, Value};

use super::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostedKind {
    Bool,
    /// A whole number, at least 1.
    Count,
    Text {
        max: usize,
    },
    Email,
    Url,
    Texts {
        max_items: usize,
    },
    Object,
}

pub struct HostedField {
    pub name: &'static str,
    pub kind: HostedKind,
    pub nullable: bool,
    /// Stored encrypted, redacted when shown or printed.
    pub secret: bool,
}

const fn field(name: &'static str, kind: HostedKind, nullable: bool) -> HostedField {
    HostedField {
        name,
        kind,
        nullable,
        secret: false,
    }
}

/// In the order the hosted API reference lists them.
pub const HOSTED_FIELDS: &[HostedField] = &[
    field("business_name", HostedKind::Text { max: 100 }, true),
    field("notification_email", HostedKind::Email, true),
    field(
        "notification_emails",
        HostedKind::Texts { max_items: 5 },
        true,
    ),
    field("recording_consent", HostedKind::Object, true),
    field("is_active", HostedKind::Bool, false),
    field("max_duration_seconds", HostedKind::Count, true),
    field("autonomous_silence_handling", HostedKind::Bool, false),
    field("silence_timeout_seconds", HostedKind::Count, false),
    field("voicemail_detection", HostedKind::Bool, true),
    field("voicemail_message", HostedKind::Text { max: 1_000 }, true),
    field("gdpr_mode", HostedKind::Bool, false),
    field("webhook_url", HostedKind::Url, true),
    HostedField {
        name: "webhook_secret",
        kind: HostedKind::Text { max: 256 },
        nullable: true,
        secret: true,
    },
    field("webhook_events", HostedKind::Texts { max_items: 50 }, true),
    field("analysis_plan", HostedKind::Object, true),
    field("speech_config", HostedKind::Object, true),
];

pub fn hosted_field(name: &str) -> Option<&'static HostedField> {
    HOSTED_FIELDS.iter().find(|f| f.name == name)
}

/// Whether a client may send `name` back: the hosted fields, not what a
/// newer server reports beside them.
pub fn is_writable(name: &str) -> bool {
    hosted_field(name).is_some()
}

/// Checks each hosted field of `extra` against its type. The message never
/// repeats the value (a secret may sit in the wrong field).
pub fn validate_hosted(extra: &Map<String, Value>) -> Result<(), FieldError> {
    for (name, value) in extra {
        let Some(f) = hosted_field(name) else {
            continue;
        };
        let err = |m: &str| Err(FieldError::new(name.as_str(), format!("{name} {m}")));
        if value.is_null() {
            if f.nullable {
                continue;
            }
            return err("must not be null");
        }
        match f.kind {
            HostedKind::Bool if !value.is_boolean() => return err("must be true or false"),
            HostedKind::Count if !is_count(value) => {
                return err("must be a whole number of at least 1");
            }
            HostedKind::Text { max } => {
                let Some(text) = value.as_str() else {
                    return err("must be a string");
                };
                if text.chars().count() > max {
                    return err(&format!("is at most {max} characters"));
                }
            }
            HostedKind::Texts { max_items } => {
                let Some(items) = value.as_array().filter(|i| i.iter().all(Value::is_string))
                else {
                    return err("must be a list of strings");
                };
                if items.len() > max_items {
                    return err(&format!("holds at most {max_items} entries"));
                }
            }
            HostedKind::Email => {
                let ok = value.as_str().is_some_and(|e| {
                    e.chars().count() <= 254
                        && e.split_once('@')
                            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                });
                if !ok {
                    return err("must be an email address");
                }
            }
            HostedKind::Url => {
                let ok = value.as_str().is_some_and(|u| {
                    u.chars().count() <= 2_048
                        && (u.starts_with("https://") || u.starts_with("http://"))
                        && !u.chars().any(char::is_whitespace)
                });
                if !ok {
                    return err("must be an http(s) URL");
                }
            }
            HostedKind::Object if !value.is_object() => return err("must be an object"),
            _ => {}
        }
    }
    Ok(())
}

/// A whole number of at least 1, given as `5` or `5.0`.
fn is_count(value: &Value) -> bool {
    match value.as_u64() {
        Some(n) => n >= 1,
        None => value
            .as_f64()
            .is_some_and(|f| f.fract() == 0.0 && f >= 1.0 && f < u64::MAX as f64),
    }
}

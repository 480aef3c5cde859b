//! The hosted assistant fields the editor shows (active, call length,
//! voicemail, GDPR mode, webhook): typed as text or toggled, and written
//! over what the assistant already had, so a field the form does not show
//! is never dropped.

use ratatui_textarea::{CursorMove, TextArea};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::console::key_form::MASK;
use crate::domain::FieldError;
use crate::domain::secrets::redacted;

pub struct HostedInputs {
    pub max_duration: TextArea<'static>,
    pub voicemail_message: TextArea<'static>,
    pub webhook_url: TextArea<'static>,
    /// Comma-separated event names.
    pub webhook_events: TextArea<'static>,
    /// A new secret as typed; empty means "keep the one the assistant has".
    pub webhook_secret: TextArea<'static>,
    /// Each text field as it read when the form opened: a field left as it
    /// was is not written back, so `[]`, `""` or `"text "` stay exactly so.
    opened: Vec<(&'static str, String)>,
}

/// The hosted fields typed as text.
const TEXT_FIELDS: [&str; 4] = [
    "max_duration_seconds",
    "voicemail_message",
    "webhook_url",
    "webhook_events",
];

fn line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_owned()]);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.move_cursor(CursorMove::End);
    area
}

fn secret_line(current: Option<&str>) -> TextArea<'static> {
    let mut area = line("");
    area.set_placeholder_text(match current {
        Some(secret) => format!("{} · type a new one to replace it", redacted(secret)),
        None => "none · type one to set it".to_owned(),
    });
    area.set_mask_char(MASK);
    // Undo history would keep copies of the secret beyond our reach.
    area.set_max_histories(0);
    area
}

/// A field's text as it is written back: without surrounding blanks.
fn text_of(area: &TextArea) -> String {
    super::text_of(area).trim().to_owned()
}

fn as_text(extra: &Map<String, Value>, name: &str) -> String {
    match extra.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

impl HostedInputs {
    pub fn from_extra(extra: &Map<String, Value>) -> Self {
        HostedInputs {
            opened: TEXT_FIELDS.map(|n| (n, as_text(extra, n))).to_vec(),
            max_duration: line(&as_text(extra, "max_duration_seconds")),
            voicemail_message: line(&as_text(extra, "voicemail_message")),
            webhook_url: line(&as_text(extra, "webhook_url")),
            webhook_events: line(&as_text(extra, "webhook_events")),
            webhook_secret: secret_line(extra.get("webhook_secret").and_then(Value::as_str)),
        }
    }

    /// Writes the typed fields over `extra`. A field emptied that had a
    /// value becomes null (cleared); one that never had any stays absent.
    pub fn overlay(&self, extra: &mut Map<String, Value>) -> Result<(), FieldError> {
        let untouched = |name: &str| {
            let now = self.area(name).map(text_of).unwrap_or_default();
            self.opened
                .iter()
                .any(|(n, was)| *n == name && was.trim() == now)
        };
        let mut set = |name: &str, value: Option<Value>| match value {
            _ if untouched(name) => {}
            Some(v) => {
                extra.insert(name.to_owned(), v);
            }
            None if extra.get(name).is_some_and(|v| !v.is_null()) => {
                extra.insert(name.to_owned(), Value::Null);
            }
            None => {}
        };
        let duration = text_of(&self.max_duration);
        let seconds = match duration.as_str() {
            "" => None,
            _ if untouched("max_duration_seconds") => None,
            text => Some(
                text.parse::<u64>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| {
                        FieldError::new(
                            "max_duration_seconds",
                            "max_duration_seconds is a whole number of seconds, e.g. 600",
                        )
                    })?,
            ),
        };
        set("max_duration_seconds", seconds.map(Value::from));
        let text = |area: &TextArea| Some(text_of(area)).filter(|t| !t.is_empty());
        set(
            "voicemail_message",
            text(&self.voicemail_message).map(Value::String),
        );
        set("webhook_url", text(&self.webhook_url).map(Value::String));
        let events: Vec<Value> = text_of(&self.webhook_events)
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| Value::String(e.to_owned()))
            .collect();
        set(
            "webhook_events",
            (!events.is_empty()).then_some(Value::Array(events)),
        );
        let mut secret = text_of(&self.webhook_secret);
        if !secret.is_empty() {
            extra.insert("webhook_secret".to_owned(), Value::String(secret.clone()));
        }
        secret.zeroize();
        Ok(())
    }

    pub fn area_mut(&mut self, name: &str) -> Option<&mut TextArea<'static>> {
        match name {
            "max_duration_seconds" => Some(&mut self.max_duration),
            "voicemail_message" => Some(&mut self.voicemail_message),
            "webhook_url" => Some(&mut self.webhook_url),
            "webhook_events" => Some(&mut self.webhook_events),
            "webhook_secret" => Some(&mut self.webhook_secret),
            _ => None,
        }
    }

    pub fn area(&self, name: &str) -> Option<&TextArea<'static>> {
        match name {
            "max_duration_seconds" => Some(&self.max_duration),
            "voicemail_message" => Some(&self.voicemail_message),
            "webhook_url" => Some(&self.webhook_url),
            "webhook_events" => Some(&self.webhook_events),
            "webhook_secret" => Some(&self.webhook_secret),
            _ => None,
        }
    }

    /// Forgets a typed secret, wiping it; the field then reads "none".
    pub fn clear_secret(&mut self) {
        let old = std::mem::replace(&mut self.webhook_secret, secret_line(None));
        old.into_lines().iter_mut().for_each(|l| l.zeroize());
    }
}

impl Drop for HostedInputs {
    fn drop(&mut self) {
        self.clear_secret();
    }
}

/// Enter on a yes/no field: unset → on → off → on.
pub fn toggle(extra: &mut Map<String, Value>, name: &str) {
    let now = !extra.get(name).and_then(Value::as_bool).unwrap_or(false);
    extra.insert(name.to_owned(), Value::Bool(now));
}

/// How a yes/no field reads.
pub fn yes_no(extra: &Map<String, Value>, name: &str) -> String {
    match extra.get(name) {
        Some(Value::Bool(true)) => "yes".into(),
        Some(Value::Bool(false)) => "no".into(),
        _ => "platform default".into(),
    }
}

/// The webhook secret as it may be shown: never the secret itself.
pub fn secret_shown(extra: &Map<String, Value>, typed: &TextArea) -> String {
    let typed = typed.lines().join("").chars().count();
    if typed > 0 {
        return format!("new secret, {typed} characters (saved on Ctrl-S)");
    }
    match extra.get("webhook_secret").and_then(Value::as_str) {
        Some(secret) => format!("{} (type to replace)", redacted(secret)),
        None => "none".into(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typed_fields_are_written_over_the_assistant_and_cleared_as_null() {
        let Value::Object(had) = json!({"webhook_url": "https://a.example/h", "webhook_secret": "whsec_0123456789abcdef", "speech_config": {"x": 1}})
        else {
            unreachable!()
        };
        let mut inputs = HostedInputs::from_extra(&had);
        assert_eq!(text_of(&inputs.webhook_url), "https://a.example/h");
        inputs.webhook_url = line("");
        inputs.max_duration = line("600");
        inputs.webhook_events = line("call.ended, call.started");
        let mut extra = had.clone();
        inputs.overlay(&mut extra).unwrap();
        assert_eq!(extra["webhook_url"], Value::Null, "emptied means cleared");
        assert_eq!(extra["max_duration_seconds"], 600);
        assert_eq!(
            extra["webhook_events"],
            json!(["call.ended", "call.started"])
        );
        assert_eq!(
            extra["webhook_secret"], "whsec_0123456789abcdef",
            "untouched"
        );
        assert_eq!(extra["speech_config"], json!({"x": 1}), "not shown, kept");
        assert!(secret_shown(&extra, &inputs.webhook_secret).starts_with("••••cdef"));
        inputs.webhook_secret.insert_str("whsec_new_0123456789");
        inputs.overlay(&mut extra).unwrap();
        assert_eq!(extra["webhook_secret"], "whsec_new_0123456789");
        inputs.max_duration = line("ten minutes");
        assert_eq!(
            inputs.overlay(&mut extra).unwrap_err().param,
            "max_duration_seconds"
        );
    }

    #[test]
    fn fields_left_as_they_were_are_not_written_back() {
        let Value::Object(had) = json!({"webhook_events": [], "voicemail_message": "",
            "webhook_url": "https://a.example/h ", "max_duration_seconds": 600.0})
        else {
            unreachable!()
        };
        let inputs = HostedInputs::from_extra(&had);
        let mut extra = had.clone();
        inputs.overlay(&mut extra).unwrap();
        assert_eq!(extra, had, "nothing touched, nothing changed");
    }
}

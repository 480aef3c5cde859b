//! The speech settings the editor shows (`speech_config`: turn taking,
//! end-call phrases, the outbound first message) and the recording consent
//! (`recording_consent`), each typed as text and written into its object,
//! so the settings the form does not show ride along untouched. Ranges
//! come from the catalog.

use ratatui_textarea::{CursorMove, TextArea};
use serde_json::{Map, Value};

use crate::domain::{Catalog, FieldError};

/// How a speech setting is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechKind {
    Seconds,
    Count,
    /// Comma-separated phrases.
    List,
    Text,
    /// `yes` or `no`.
    YesNo,
}

pub struct SpeechSetting {
    /// The assistant field the setting lives in.
    pub root: &'static str,
    /// The path under `root`, dotted.
    pub path: &'static str,
    pub label: &'static str,
    pub kind: SpeechKind,
}

pub const SPEECH_SETTINGS: [SpeechSetting; 9] = [
    SpeechSetting {
        root: "speech_config",
        path: "turn_taking.endpointing_min_delay",
        label: "Endpt min (s)",
        kind: SpeechKind::Seconds,
    },
    SpeechSetting {
        root: "speech_config",
        path: "turn_taking.endpointing_max_delay",
        label: "Endpt max (s)",
        kind: SpeechKind::Seconds,
    },
    SpeechSetting {
        root: "speech_config",
        path: "turn_taking.interruption_min_duration",
        label: "Interrupt (s)",
        kind: SpeechKind::Seconds,
    },
    SpeechSetting {
        root: "speech_config",
        path: "turn_taking.interruption_min_words",
        label: "Intr. words",
        kind: SpeechKind::Count,
    },
    SpeechSetting {
        root: "speech_config",
        path: "turn_taking.false_interruption_timeout",
        label: "False intr (s)",
        kind: SpeechKind::Seconds,
    },
    SpeechSetting {
        root: "speech_config",
        path: "end_call_phrases",
        label: "End phrases",
        kind: SpeechKind::List,
    },
    SpeechSetting {
        root: "speech_config",
        path: "first_message_outbound",
        label: "Outbound msg",
        kind: SpeechKind::Text,
    },
    SpeechSetting {
        root: "recording_consent",
        path: "enabled",
        label: "Rec. consent",
        kind: SpeechKind::YesNo,
    },
    SpeechSetting {
        root: "recording_consent",
        path: "message",
        label: "Consent msg",
        kind: SpeechKind::Text,
    },
];

pub struct SpeechInputs {
    pub areas: Vec<TextArea<'static>>,
    /// Each field as it read when the form opened: one left so is not
    /// written back, so `0.40` or `[]` stay exactly as the server has them.
    opened: Vec<String>,
}

fn line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_owned()]);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.set_placeholder_text("platform default");
    area.move_cursor(CursorMove::End);
    area
}

fn at<'v>(speech: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(speech, |v, key| &v[key])
}

fn as_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Sets (or, for `None`, removes) the value at `path`, making the objects
/// on the way.
fn put(speech: &mut Map<String, Value>, path: &str, value: Option<Value>) {
    match path.split_once('.') {
        Some((step, rest)) => {
            let slot = speech
                .entry(step.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                put(inner, rest, value);
            }
        }
        None => match value {
            Some(v) => {
                speech.insert(path.to_owned(), v);
            }
            None => {
                speech.remove(path);
            }
        },
    }
}

impl SpeechInputs {
    pub fn from_extra(extra: &Map<String, Value>) -> Self {
        let opened: Vec<String> = SPEECH_SETTINGS
            .iter()
            .map(|s| as_text(at(extra.get(s.root).unwrap_or(&Value::Null), s.path)))
            .collect();
        SpeechInputs {
            areas: opened.iter().map(|t| line(t)).collect(),
            opened,
        }
    }

    pub fn typed(&self, index: usize) -> String {
        super::text_of(&self.areas[index]).trim().to_owned()
    }

    /// Writes the typed settings into `extra["speech_config"]`. An emptied
    /// setting is left out: the platform's default applies.
    pub fn overlay(&self, extra: &mut Map<String, Value>) -> Result<(), FieldError> {
        let touched: Vec<usize> = (0..SPEECH_SETTINGS.len())
            .filter(|i| self.opened[*i].trim() != self.typed(*i))
            .collect();
        for i in touched {
            let setting = &SPEECH_SETTINGS[i];
            let text = self.typed(i);
            let value = if text.is_empty() {
                None
            } else {
                Some(typed_value(setting, &text)?)
            };
            let mut object = match extra.get(setting.root) {
                Some(Value::Object(o)) => o.clone(),
                _ => Map::new(),
            };
            put(&mut object, setting.path, value);
            extra.insert(setting.root.to_owned(), Value::Object(object));
        }
        Ok(())
    }
}

fn typed_value(setting: &SpeechSetting, text: &str) -> Result<Value, FieldError> {
    let path = format!("{}.{}", setting.root, setting.path);
    let not_a = |what: &str| FieldError::new(path.as_str(), format!("{path} is {what}"));
    Ok(match setting.kind {
        SpeechKind::Seconds => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| not_a("a number of seconds, e.g. 0.5"))?,
        SpeechKind::Count => text
            .parse::<u64>()
            .map(Value::from)
            .map_err(|_| not_a("a whole number, e.g. 2"))?,
        SpeechKind::List => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Value::String(p.to_owned()))
                .collect(),
        ),
        SpeechKind::Text => Value::String(text.to_owned()),
        SpeechKind::YesNo => match text {
            "yes" => Value::Bool(true),
            "no" => Value::Bool(false),
            _ => return Err(not_a("yes or no")),
        },
    })
}

/// A setting's range and unit as the catalog states it, e.g. `0.1–5 s`.
pub fn range_of(cat: &Catalog, setting: &SpeechSetting) -> String {
    let mut leaf = cat.assistant_field(setting.root);
    for key in setting.path.split('.') {
        leaf = leaf.and_then(|spec| spec.properties.get(key));
    }
    let Some(leaf) = leaf else {
        return String::new();
    };
    let unit = match setting.kind {
        SpeechKind::Seconds => " s",
        SpeechKind::Count => "",
        SpeechKind::List => {
            return leaf
                .max_items
                .map_or_else(String::new, |n| format!("up to {n}, comma-separated"));
        }
        SpeechKind::YesNo => return "yes or no".to_owned(),
        SpeechKind::Text => {
            return leaf
                .max_length
                .map_or_else(String::new, |n| format!("up to {n} characters"));
        }
    };
    match (leaf.minimum, leaf.maximum) {
        (Some(min), Some(max)) => format!("{min}–{max}{unit}"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn typed_settings_go_under_speech_config_and_the_rest_rides_along() {
        let Value::Object(had) = json!({"speech_config": {"turn_taking": {"endpointing_min_delay": 0.4},
            "background_audio": {"clip": "office"}}})
        else {
            unreachable!()
        };
        let mut inputs = SpeechInputs::from_extra(&had);
        assert_eq!(inputs.typed(0), "0.4");
        let mut extra = had.clone();
        inputs.overlay(&mut extra).unwrap();
        assert_eq!(extra, had, "nothing touched, nothing changed");
        inputs.areas[1] = line("1.5");
        inputs.areas[0] = line("");
        inputs.areas[5] = line("goodbye, bye now");
        inputs.overlay(&mut extra).unwrap();
        assert_eq!(
            extra["speech_config"],
            json!({"turn_taking": {"endpointing_max_delay": 1.5},
                   "background_audio": {"clip": "office"},
                   "end_call_phrases": ["goodbye", "bye now"]})
        );
        inputs.areas[3] = line("two");
        assert_eq!(
            inputs.overlay(&mut extra).unwrap_err().param,
            "speech_config.turn_taking.interruption_min_words"
        );
    }

    #[test]
    fn ranges_are_read_from_the_catalog() {
        let cat = Catalog::builtin();
        assert_eq!(range_of(&cat, &SPEECH_SETTINGS[0]), "0.1–5 s");
        assert_eq!(range_of(&cat, &SPEECH_SETTINGS[3]), "0–10");
    }
}

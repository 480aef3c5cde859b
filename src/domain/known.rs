//! The fields each request type knows, to find the ones it does not. The
//! types keep unknown fields (so a client passes on what a newer server
//! sent); the reference server refuses them, by name. Which fields a config
//! takes depends on its provider, so the catalog judges those (`validate`).

use serde_json::Value;

use super::catalog::{Catalog, SectionId};
use super::{AssistantDraft, LlmConfig, Message, SttConfig, TtsConfig};

/// A field in a draft's JSON that this build does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// The path of the object holding it (`llm_config.messages[0]`); `None`
    /// at the top level. Made of known names only.
    pub parent: Option<String>,
    /// As the caller sent it: not necessarily safe to repeat.
    pub name: String,
}

impl UnknownField {
    pub fn path(&self) -> String {
        match &self.parent {
            Some(parent) => format!("{parent}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The keys of `value` (when it is an object) missing from `known`.
fn unknown_in(value: &Value, parent: &str, known: &[&str], found: &mut Vec<UnknownField>) {
    if let Some(object) = value.as_object() {
        let unknown = object.keys().filter(|k| !known.contains(&k.as_str()));
        found.extend(unknown.map(|k| UnknownField {
            parent: Some(parent.to_owned()),
            name: k.clone(),
        }));
    }
}

impl AssistantDraft {
    pub const FIELDS: &[&str] = &[
        "name",
        "first_message",
        "stt_config",
        "llm_config",
        "tts_config",
    ];

    /// The paths of the fields in a draft's JSON that this build does not
    /// know, in the order given: `nam`, `llm_config.messages[0].rol`. A
    /// client passes unknown fields on (they may be a newer server's); the
    /// reference server refuses them.
    /// Read from the JSON rather than the parsed draft so a misspelt
    /// required field is found as the typo it is, not as the field missing.
    pub fn unknown_fields_in(body: &Value) -> Vec<UnknownField> {
        let mut found = Vec::new();
        let Some(top) = body.as_object() else {
            return found;
        };
        for (key, value) in top {
            match key.as_str() {
                "llm_config" => {
                    let messages = value.get("messages").and_then(Value::as_array);
                    for (i, m) in messages.into_iter().flatten().enumerate() {
                        let parent = format!("{key}.messages[{i}]");
                        unknown_in(m, &parent, Message::FIELDS, &mut found);
                    }
                }
                known if Self::FIELDS.contains(&known) || super::hosted_field(known).is_some() => {}
                _ => found.push(UnknownField {
                    parent: None,
                    name: key.clone(),
                }),
            }
        }
        found
    }
}

impl AssistantDraft {
    /// The config fields in a draft's JSON that `cat` says their provider
    /// does not take, found before the typed parse so that a misspelt
    /// required field (`provder`) is reported as the typo it is. A provider
    /// the catalog does not know is left to the rules that follow.
    pub fn unknown_config_fields_in(body: &Value, cat: &Catalog) -> Vec<UnknownField> {
        let mut found = Vec::new();
        for section in SectionId::ALL {
            let key = section.config_field();
            let Some(config) = body.get(key).and_then(Value::as_object) else {
                continue;
            };
            let provider = config.get("provider").and_then(Value::as_str);
            let judged = provider.filter(|p| cat.knows_fields_of(section, p));
            let unknown = config.keys().filter(|name| match judged {
                Some(p) => {
                    !matches!(name.as_str(), "provider" | "model")
                        && cat.config_field(section, p, name).is_none()
                }
                // Without a provider the fields cannot be judged one by
                // one, but a name no provider takes (`provder`) is a typo.
                None => {
                    provider.is_none()
                        && !matches!(name.as_str(), "provider" | "model")
                        && !cat.any_provider_takes(section, name)
                }
            });
            found.extend(unknown.map(|name| UnknownField {
                parent: Some(key.to_owned()),
                name: name.clone(),
            }));
        }
        found
    }
}

impl SttConfig {
    pub const FIELDS: &[&str] = &["provider", "model", "language", "keyterms"];
}

impl LlmConfig {
    pub const FIELDS: &[&str] = &[
        "provider",
        "model",
        "temperature",
        "messages",
        "max_completion_tokens",
    ];
}

impl Message {
    pub const FIELDS: &[&str] = &["role", "content"];
}

impl TtsConfig {
    pub const FIELDS: &[&str] = &[
        "provider",
        "voice_id",
        "model",
        "stability",
        "similarity_boost",
        "style",
        "speed",
        "use_speaker_boost",
    ];
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::Map;

    use super::*;

    /// `FIELDS` must list exactly what the types serialise, or the server
    /// would refuse a field it knows or keep one aside it should check.
    #[test]
    fn the_field_lists_match_the_types() {
        fn keys<T: Serialize>(value: &T) -> Vec<String> {
            match serde_json::to_value(value).unwrap() {
                Value::Object(map) => map.keys().cloned().collect(),
                other => panic!("{other}"),
            }
        }
        let text = || Some("x".to_owned());
        let message = Message {
            role: "user".into(),
            content: "x".into(),
            extra: Map::new(),
        };
        let stt = SttConfig {
            provider: "p".into(),
            model: text(),
            language: text(),
            keyterms: Some(vec![]),
            extra: Map::new(),
        };
        let llm = LlmConfig {
            provider: "p".into(),
            model: text(),
            temperature: Some(1.0),
            messages: Some(vec![message.clone()]),
            max_completion_tokens: Some(1),
            extra: Map::new(),
        };
        let tts = TtsConfig {
            provider: "p".into(),
            voice_id: text(),
            model: text(),
            stability: Some(1.0),
            similarity_boost: Some(1.0),
            style: Some(1.0),
            speed: Some(1.0),
            use_speaker_boost: Some(true),
            extra: Map::new(),
        };
        let draft = AssistantDraft {
            name: text(),
            first_message: Some(text()),
            stt_config: Some(Some(stt.clone())),
            llm_config: Some(Some(llm.clone())),
            tts_config: Some(Some(tts.clone())),
            extra: Map::new(),
        };
        assert_eq!(keys(&message), Message::FIELDS);
        assert_eq!(keys(&stt), SttConfig::FIELDS);
        assert_eq!(keys(&llm), LlmConfig::FIELDS);
        assert_eq!(keys(&tts), TtsConfig::FIELDS);
        assert_eq!(keys(&draft), AssistantDraft::FIELDS);
        let body = serde_json::to_value(&draft).unwrap();
        assert!(AssistantDraft::unknown_fields_in(&body).is_empty());
    }
}

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// An assistant as the server answers it. Unknown fields from a newer or the
/// hosted server are ignored, never an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assistant {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub first_message: Option<String>,
    #[serde(default)]
    pub stt_config: Option<SttConfig>,
    #[serde(default)]
    pub llm_config: Option<LlmConfig>,
    #[serde(default)]
    pub tts_config: Option<TtsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// The hosted fields (`is_active`, `webhook_url`, …; see `hosted.rs`)
    /// and whatever a newer server adds, kept as they came.
    #[serde(flatten, default)]
    #[schema(ignore)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SttConfig {
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyterms: Option<Vec<String>>,
    /// Fields this build does not know (from the hosted service or a newer
    /// server), kept so that a config sent back whole does not drop them.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LlmConfig {
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<Message>>,
    #[serde(
        default,
        deserialize_with = "whole_u32",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<u32>)]
    pub max_completion_tokens: Option<u32>,
    /// Fields this build does not know (from the hosted service or a newer
    /// server), kept so that a config sent back whole does not drop them.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    pub role: String,
    pub content: String,
    /// Fields this build does not know (from the hosted service or a newer
    /// server), kept so that a config sent back whole does not drop them.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TtsConfig {
    pub provider: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity_boost: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_speaker_boost: Option<bool>,
    /// Fields this build does not know (from the hosted service or a newer
    /// server), kept so that a config sent back whole does not drop them.
    #[serde(flatten, default, skip_serializing_if = "Map::is_empty")]
    pub extra: Map<String, Value>,
}

/// The body of POST (create) and PATCH (update) on assistants. A field left
/// out is not sent and not changed; `Some(None)` is an explicit `null`, which
/// clears a config back to the platform's defaults. Unknown fields are not
/// refused by the type (a client passes a newer server's on); the reference
/// server refuses them by name (`known.rs`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssistantDraft {
    /// Optional on update, but never null: the server refuses `"name": null`.
    /// Stored without leading and trailing whitespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = String)]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub first_message: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<SttConfig>)]
    pub stt_config: Option<Option<SttConfig>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<LlmConfig>)]
    pub llm_config: Option<Option<LlmConfig>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<TtsConfig>)]
    pub tts_config: Option<Option<TtsConfig>>,
    /// The hosted fields given, `null` included (which clears a nullable one).
    #[serde(flatten, default)]
    #[schema(ignore)]
    pub extra: Map<String, Value>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

impl AssistantDraft {
    pub fn is_empty(&self) -> bool {
        *self == AssistantDraft::default()
    }

    /// The full body that recreates `assistant` (used by `apply` and "new
    /// from"): every field a client may write, none of the read-only ones
    /// (`id`, timestamps, what a newer server reports).
    pub fn from_assistant(a: &Assistant) -> Self {
        AssistantDraft {
            name: Some(a.name.clone()),
            first_message: Some(a.first_message.clone()),
            stt_config: Some(a.stt_config.clone()),
            llm_config: Some(a.llm_config.clone()),
            tts_config: Some(a.tts_config.clone()),
            extra: a
                .extra
                .iter()
                .filter(|(k, _)| super::hosted::is_writable(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Only the fields of `edited` that differ from `original`: what a PATCH sends,
    /// so fields this client does not know are never wiped.
    pub fn changes(original: &Assistant, edited: &AssistantDraft) -> AssistantDraft {
        fn changed<T: PartialEq + Clone>(was: &T, now: &Option<T>) -> Option<T> {
            now.as_ref().filter(|now| *now != was).cloned()
        }
        AssistantDraft {
            name: changed(&original.name, &edited.name),
            first_message: changed(&original.first_message, &edited.first_message),
            stt_config: changed(&original.stt_config, &edited.stt_config),
            llm_config: changed(&original.llm_config, &edited.llm_config),
            tts_config: changed(&original.tts_config, &edited.tts_config),
            extra: edited
                .extra
                .iter()
                .filter(|(k, now)| match original.extra.get(*k) {
                    Some(was) => was != *now,
                    // Absent reads as null on the hosted service.
                    None => !now.is_null(),
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }
}

impl LlmConfig {
    /// A realtime LLM's voice (`voice`, kept among the provider's fields).
    pub fn voice(&self) -> Option<&str> {
        self.extra.get("voice").and_then(Value::as_str)
    }
}

impl Assistant {
    /// The entity tag of this revision, as the server sends it in `ETag`.
    pub fn etag(&self) -> Option<String> {
        self.revision.map(|r| format!("\"{r}\""))
    }
}

/// `{"assistant": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssistantEnvelope {
    pub assistant: Assistant,
}

/// `{"assistants": [...], "pagination": {...}}`; pagination only when asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AssistantList {
    pub assistants: Vec<Assistant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Pagination {
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
}

/// A count given as `5` or `5.0`: JSON has one kind of number, and JSON
/// Schema calls both an integer.
pub(crate) fn whole_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let Some(n) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    let whole = n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
            // Checked whole and within u32 just above.
            .map(|f| f as u64)
    });
    match whole.and_then(|w| u32::try_from(w).ok()) {
        Some(w) => Ok(Some(w)),
        None => Err(serde::de::Error::custom(format!(
            "invalid value: {n}, expected a whole number from 0 to {}",
            u32::MAX
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UnknownField;

    #[test]
    fn draft_tells_null_from_absent() {
        let d: AssistantDraft = serde_json::from_str(r#"{"stt_config": null}"#).unwrap();
        assert_eq!(d.stt_config, Some(None));
        assert_eq!(d.llm_config, None);
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"stt_config":null}"#);
    }

    #[test]
    fn changes_hold_only_what_differs() {
        let a: Assistant = serde_json::from_str(
            r#"{"id":"1","name":"A","first_message":"hi","llm_config":{"provider":"openai","model":"gpt-4o"}}"#,
        )
        .unwrap();
        let mut edited = AssistantDraft::from_assistant(&a);
        edited.name = Some("B".into());
        let diff = AssistantDraft::changes(&a, &edited);
        assert_eq!(serde_json::to_string(&diff).unwrap(), r#"{"name":"B"}"#);
    }

    #[test]
    fn unknown_config_fields_ride_along_with_an_edit() {
        let a: Assistant = serde_json::from_str(
            r#"{"id":"1","name":"A",
                "stt_config":{"provider":"deepgram","model":"nova-3-general","endpointing":300},
                "llm_config":{"provider":"openai","model":"gpt-4o","temperature":0.7,"tools":[{"type":"transfer"}],
                              "messages":[{"role":"system","content":"Hi","name":"greeter"}]},
                "tts_config":{"provider":"elevenlabs","voice_id":"v1","optimize_latency":3}}"#,
        )
        .unwrap();
        // What an editor does: clone the config it was given and change a field.
        let mut edited = AssistantDraft::from_assistant(&a);
        let llm = a.llm_config.clone().map(|llm| LlmConfig {
            temperature: Some(0.2),
            ..llm
        });
        edited.llm_config = Some(llm);
        let diff = serde_json::to_value(AssistantDraft::changes(&a, &edited)).unwrap();
        assert_eq!(
            diff,
            serde_json::json!({"llm_config": {"provider": "openai", "model": "gpt-4o",
                "temperature": 0.2, "messages": [{"role": "system", "content": "Hi", "name": "greeter"}],
                "tools": [{"type": "transfer"}]}})
        );
        let sent = serde_json::to_value(AssistantDraft::from_assistant(&a)).unwrap();
        let unknown: Vec<String> = AssistantDraft::unknown_fields_in(&sent)
            .iter()
            .map(UnknownField::path)
            .collect();
        assert_eq!(unknown, ["llm_config.messages[0].name"]);
        let back: Assistant = serde_json::from_value(serde_json::to_value(&a).unwrap()).unwrap();
        assert_eq!(back, a, "nothing is lost on the way through");
    }
}

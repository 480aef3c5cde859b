//! The platform's catalog (version 1): which providers, models, voices,
//! languages and settings exist, per section. It decides what an assistant
//! may hold, so every rule takes a `&Catalog`; the copy in `assets/` is only
//! the default that start-up hands around. What the platform's document
//! lacks and we need (key metadata, per-provider config fields) rides under
//! its own top-level key, `voicedock`.

mod languages;
mod lookup;
mod ours;
mod served;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use languages::{language_name, with_language_name};
pub(crate) use ours::range_text;
pub use ours::{FieldSpec, KeyFormat, Ours, SecretInfo};
pub use served::CatalogSource;

/// The whole document, as `GET /api/v1/catalog` serves it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Catalog {
    pub version: u32,
    /// The units a price may be given in, per pricing type (`llm`, `realtime`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pricing_units: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub llm: Section,
    #[serde(default)]
    pub stt: Section,
    #[serde(default)]
    pub tts: Section,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcall_stt: Option<Section>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcall_llm: Option<Section>,
    /// Ranges, enums and defaults, by section and name (`params.llm.temperature`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub params: Map<String, Value>,
    /// Per section, a JSON Schema `oneOf` of its configs with `provider` as
    /// the discriminator: for clients that validate with a schema library.
    /// The rules here read the fields themselves, not this.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Object)]
    pub schemas: Map<String, Value>,
    #[serde(default)]
    pub voicedock: Ours,
    /// What a newer document holds that this build does not read: kept, so
    /// a catalog passed on loses nothing.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

/// The sections an assistant's configs are checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionId {
    Llm,
    Stt,
    Tts,
}

impl SectionId {
    pub const ALL: [SectionId; 3] = [SectionId::Stt, SectionId::Llm, SectionId::Tts];

    pub fn key(self) -> &'static str {
        match self {
            SectionId::Llm => "llm",
            SectionId::Stt => "stt",
            SectionId::Tts => "tts",
        }
    }

    /// The assistant field a config of this section lives in.
    pub fn config_field(self) -> &'static str {
        match self {
            SectionId::Llm => "llm_config",
            SectionId::Stt => "stt_config",
            SectionId::Tts => "tts_config",
        }
    }

    pub fn category(self) -> super::Category {
        match self {
            SectionId::Llm => super::Category::Llm,
            SectionId::Stt => super::Category::Stt,
            SectionId::Tts => super::Category::Tts,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Section {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
    /// Other names the platform takes for a provider (`11labs`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub providers: Vec<CatalogProvider>,
    /// STT only: bare language codes every provider of the section takes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Object)]
    pub bcp47: Map<String, Value>,
}

/// `text` LLMs hand speech to STT and TTS; `realtime` ones hear and speak
/// themselves, so an assistant on one has no `tts_config`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LlmKind {
    Text,
    Realtime,
    #[serde(other)]
    Other,
}

/// Whether a TTS provider takes any voice id (`free`) or one from `voices`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VoiceIds {
    Free,
    Enum,
    #[serde(other)]
    Other,
}

/// `byok_secret`: one secret name, or a list when either of them works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SecretNames {
    One(String),
    Either(Vec<String>),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogProvider {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<LlmKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byok_secret: Option<SecretNames>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_model: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legacy_models: Vec<String>,
    /// Model → the one secret it needs, where the provider's `byok_secret`
    /// names two.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub model_requires: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<VoiceIds>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_voice: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<String>,
    /// The TTS settings this provider takes…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<String>,
    /// …narrowed per model where a model takes fewer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub model_settings: BTreeMap<String, Vec<String>>,
    /// The model that writes the call's summary and analysis afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcall_model: Option<PostcallModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    /// The models whose reasoning effort the platform pins, and to what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Model → the Vertex AI region it runs in (`eu`, `europe-west4`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub vertex_location: BTreeMap<String, String>,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

/// `postcall_model`: one model, or one per secret where the provider takes
/// either of two (each key reaches different models).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum PostcallModel {
    One(String),
    PerSecret(BTreeMap<String, String>),
}

/// How a provider is billed: the pricing type (a key of `pricing_units`) and
/// its units, narrowed per model where a model is billed otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Pricing {
    #[serde(rename = "type")]
    pub kind: String,
    pub units: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_model: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReasoningEffort {
    pub pin: String,
    pub models: Vec<String>,
}

const BUILTIN: &str = include_str!("../../../assets/catalog.json");

impl Catalog {
    /// The copy compiled into this build. Parsed on each call: start-up
    /// parses it once and hands it to whoever needs it.
    pub fn builtin() -> Catalog {
        // The file is compiled in and parsed by a unit test, so a failure
        // here is a build defect, not a runtime condition.
        #[allow(clippy::expect_used)]
        serde_json::from_str(BUILTIN).expect("assets/catalog.json is a valid catalog")
    }
}

//! A provider key check: what one or two documented read-only calls to the
//! provider said of a key. The CLI prints it, the console shows it, and the
//! reference server answers it from `POST /byok/{provider}/check`. It never
//! holds the key, nor any text of the provider's that could quote it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Assistant;
use super::catalog::{Catalog, SectionId};
use crate::cli::exit_codes;

/// The outcome of a check, in the words the operator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The provider accepted the key and it can do what the assistants need.
    Valid,
    /// The provider refused the key.
    Invalid,
    /// The key works, but lacks something an assistant needs.
    Limited,
    /// No verdict: the provider did not answer, timed out or answered in a
    /// way this build does not understand.
    Unknown,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Limited => "limited",
            Verdict::Unknown => "unknown",
        }
    }

    /// `voicedock byok test`: 0 valid, 1 invalid or limited, 3 unknown.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Valid => exit_codes::SUCCESS,
            Verdict::Invalid | Verdict::Limited => exit_codes::FAILED,
            Verdict::Unknown => exit_codes::NO_VERDICT,
        }
    }
}

/// One call a check made, for the record: no query string, no header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CheckCall {
    pub method: String,
    /// The URL without its query.
    pub url: String,
    /// `None` when no answer came.
    pub status: Option<u16>,
    pub millis: u64,
}

/// A voice of the user's ElevenLabs Voice Library (or another provider's
/// voice list): what a picker shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LibraryVoice {
    pub voice_id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `accent`, `gender`, `age`, … where the provider gives them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A usage quota: ElevenLabs characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Quota {
    pub used: u64,
    pub limit: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

impl Quota {
    pub fn left(&self) -> u64 {
        self.limit.saturating_sub(self.used)
    }
}

/// What the calls found out beyond the verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Found {
    /// The models the key may use, where the provider lists them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<String>>,
    /// Models the account's assistants use that the key does not list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_models: Vec<String>,
    /// The voices the key can speak with, where the provider lists them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voices: Option<Vec<LibraryVoice>>,
    /// Voices the account's assistants use that the key's list lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_voices: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Quota>,
    /// Further facts, one short sentence each ("project: Main", "balance: 12.5 usd").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<String>,
}

/// The result of checking one provider key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeyCheck {
    pub provider: String,
    pub result: Verdict,
    /// One sentence why.
    pub reason: String,
    /// RFC 3339, UTC.
    pub checked_at: String,
    /// What the key was checked against: `"local"` from this machine,
    /// `"server"` by the server with the stored key.
    #[serde(default = "local")]
    pub checked_by: String,
    #[serde(default)]
    pub found: Found,
    #[serde(default)]
    pub calls: Vec<CheckCall>,
}

fn local() -> String {
    "local".to_owned()
}

/// The provider, model and voice one section (STT, LLM, TTS) of an
/// assistant uses, if it has the section.
pub type SectionUse<'a> = Option<(&'a str, Option<&'a str>, Option<&'a str>)>;

/// What the account's assistants ask of one provider's key: the check is
/// `limited` when the key cannot give them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckNeeds {
    /// LLM model ids, as the assistants name them (or the catalog's default).
    pub models: Vec<String>,
    /// Voice ids of TTS configs on this provider.
    pub voices: Vec<String>,
}

impl CheckNeeds {
    /// The models and voices `assistants` use through `provider`'s key.
    pub fn of(cat: &Catalog, assistants: &[Assistant], provider: &str) -> CheckNeeds {
        let mut needs = CheckNeeds::default();
        for a in assistants {
            needs.add(cat, a, provider);
        }
        needs
    }

    /// Adds what `a` uses through `provider`'s key, so a long list can be
    /// read one assistant at a time.
    pub fn add(&mut self, cat: &Catalog, a: &Assistant, provider: &str) {
        self.add_uses(
            cat,
            [
                a.stt_config
                    .as_ref()
                    .map(|c| (c.provider.as_str(), c.model.as_deref(), None)),
                a.llm_config
                    .as_ref()
                    .map(|c| (c.provider.as_str(), c.model.as_deref(), None)),
                a.tts_config.as_ref().map(|c| {
                    (
                        c.provider.as_str(),
                        c.model.as_deref(),
                        c.voice_id.as_deref(),
                    )
                }),
            ],
            provider,
        );
    }

    /// `add` for the provider, model and voice of each section (STT, LLM,
    /// TTS), as a list keeps them without the whole configs.
    pub fn add_uses(&mut self, cat: &Catalog, uses: [SectionUse; 3], provider: &str) {
        let sections = [SectionId::Stt, SectionId::Llm, SectionId::Tts];
        for (section, config) in sections.into_iter().zip(uses) {
            let Some((on, model, voice)) = config else {
                continue;
            };
            let uses_key = cat
                .secrets_for(section, on, model)
                .into_iter()
                .any(|secret| cat.provider_of_secret(secret) == provider);
            if !uses_key {
                continue;
            }
            let default = cat
                .section(section)
                .provider(on)
                .and_then(|p| p.default_model.as_deref());
            // Model lists name LLMs; an STT or TTS model missing from
            // one says nothing about the key.
            if let Some(model) = model.or(default).filter(|_| section == SectionId::Llm)
                && !self.models.iter().any(|m| m == model)
            {
                self.models.push(model.to_owned());
            }
            if let Some(voice) = voice.filter(|v| !v.is_empty())
                && !self.voices.iter().any(|v| v == voice)
            {
                self.voices.push(voice.to_owned());
            }
        }
    }
}

/// `POST /api/v1/byok/{provider}/check` (ours): the body may be empty or
/// `{}`; nothing is asked of it yet, and a field it does not know is refused
/// so a client never believes an option was honoured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckKeyRequest {}

//! Questions the rest of the program asks the catalog.

use super::{
    Catalog, CatalogProvider, FieldSpec, LlmKind, SecretInfo, SecretNames, Section, SectionId,
    VoiceIds,
};
use crate::domain::{Assistant, Category, LlmConfig, SttConfig, TtsConfig};

use crate::domain::byok::SECRET_ID_SUFFIX;

impl Catalog {
    pub fn section(&self, id: SectionId) -> &Section {
        match id {
            SectionId::Llm => &self.llm,
            SectionId::Stt => &self.stt,
            SectionId::Tts => &self.tts,
        }
    }

    /// The BYOK secrets, in the order `GET /byok` lists them.
    pub fn secrets(&self) -> &[SecretInfo] {
        &self.voicedock.byok_secrets
    }

    /// The secret set with `{"provider": id}`.
    pub fn secret(&self, provider: &str) -> Option<&SecretInfo> {
        self.secrets().iter().find(|s| s.provider == provider)
    }

    pub fn byok_provider_ids(&self) -> impl Iterator<Item = &str> {
        self.secrets().iter().map(|s| s.provider.as_str())
    }

    /// The BYOK provider id a secret name (`google_vertex_secret_id`) stands for.
    pub fn provider_of_secret<'a>(&'a self, secret: &'a str) -> &'a str {
        self.secrets()
            .iter()
            .find(|s| s.secret == secret)
            .map(|s| s.provider.as_str())
            .or_else(|| secret.strip_suffix(SECRET_ID_SUFFIX))
            .unwrap_or(secret)
    }

    /// A number's documented bounds (`params.llm.temperature`).
    pub fn range(&self, section: SectionId, name: &str) -> (Option<f64>, Option<f64>) {
        let param = self.params.get(section.key()).and_then(|s| s.get(name));
        let bound = |k: &str| param.and_then(|p| p.get(k)).and_then(|v| v.as_f64());
        (bound("min"), bound("max"))
    }

    /// The type of a provider-specific config field, `None` when the
    /// platform does not take it for that provider.
    pub fn config_field(
        &self,
        section: SectionId,
        provider: &str,
        field: &str,
    ) -> Option<&FieldSpec> {
        let fields = self.voicedock.config_fields.get(section.key())?;
        fields
            .get(provider)
            .and_then(|f| f.get(field))
            .or_else(|| fields.get("*").and_then(|f| f.get(field)))
    }

    /// Whether `model` is one this server keeps that the hosted platform no
    /// longer offers.
    pub fn is_ours_only(&self, section: SectionId, provider: &str, model: &str) -> bool {
        let provider = self
            .section(section)
            .provider(provider)
            .map_or(provider, |p| p.id.as_str());
        self.voicedock
            .ours_only_models
            .get(section.key())
            .and_then(|providers| providers.get(provider))
            .is_some_and(|models| models.iter().any(|m| m == model))
    }

    /// The type of an assistant's structured field (`speech_config`).
    pub fn assistant_field(&self, name: &str) -> Option<&FieldSpec> {
        self.voicedock.assistant_fields.get(name)
    }

    /// Whether some provider of `section` takes a config field called `field`.
    pub fn any_provider_takes(&self, section: SectionId, field: &str) -> bool {
        self.voicedock
            .config_fields
            .get(section.key())
            .is_some_and(|all| all.values().any(|fields| fields.contains_key(field)))
    }

    /// Whether the catalog says which config fields `provider` takes.
    pub fn knows_fields_of(&self, section: SectionId, provider: &str) -> bool {
        self.voicedock
            .config_fields
            .get(section.key())
            .is_some_and(|f| f.contains_key(provider))
    }

    /// The BYOK providers whose keys an assistant's models use, in catalog
    /// order; a provider that takes either of two secrets counts for both.
    pub fn secrets_used_by(&self, a: &Assistant) -> Vec<&str> {
        self.secrets_used_by_configs((
            a.stt_config.as_ref(),
            a.llm_config.as_ref(),
            a.tts_config.as_ref(),
        ))
    }

    /// `secrets_used_by` for configs that are not (yet) an assistant's.
    pub fn secrets_used_by_configs(
        &self,
        (stt, llm, tts): (Option<&SttConfig>, Option<&LlmConfig>, Option<&TtsConfig>),
    ) -> Vec<&str> {
        self.secrets_used_by_models([
            stt.map(|c| (c.provider.as_str(), c.model.as_deref())),
            llm.map(|c| (c.provider.as_str(), c.model.as_deref())),
            tts.map(|c| (c.provider.as_str(), c.model.as_deref())),
        ])
    }

    /// `secrets_used_by` for the provider and model of each section (STT,
    /// LLM, TTS), as a list keeps them without the whole configs.
    pub fn secrets_used_by_models(&self, models: [Option<(&str, Option<&str>)>; 3]) -> Vec<&str> {
        let sections = [SectionId::Stt, SectionId::Llm, SectionId::Tts];
        let mut used: Vec<&str> = Vec::new();
        for (section, config) in sections.into_iter().zip(models) {
            let Some((provider, model)) = config else {
                continue;
            };
            for secret in self.secrets_for(section, provider, model) {
                used.push(self.provider_of_secret(secret));
            }
        }
        let order = |p: &&str| {
            self.byok_provider_ids()
                .position(|id| id == *p)
                .unwrap_or(usize::MAX)
        };
        used.sort_by_key(order);
        used.dedup();
        used
    }

    /// The secret names a config's model needs: the one `model_requires`
    /// names, else every secret of the provider's `byok_secret`.
    pub fn secrets_for<'a>(
        &'a self,
        section: SectionId,
        provider: &str,
        model: Option<&str>,
    ) -> Vec<&'a str> {
        let Some(p) = self.section(section).provider(provider) else {
            return Vec::new();
        };
        let model = model.or(p.default_model.as_deref());
        if let Some(required) = model.and_then(|m| p.model_requires.get(m)) {
            return vec![required.as_str()];
        }
        p.secret_names()
    }

    /// The sections a BYOK provider's key serves.
    pub fn categories_of(&self, provider: &str) -> Vec<Category> {
        self.secret(provider)
            .map(|s| s.categories.clone())
            .unwrap_or_default()
    }
}

impl Section {
    /// A provider by id or by one of the section's aliases.
    pub fn provider(&self, id: &str) -> Option<&CatalogProvider> {
        let id = self.aliases.get(id).map_or(id, String::as_str);
        self.providers.iter().find(|p| p.id == id)
    }

    pub fn provider_ids(&self) -> impl Iterator<Item = &str> {
        self.providers.iter().map(|p| p.id.as_str())
    }
}

impl CatalogProvider {
    pub fn secret_names(&self) -> Vec<&str> {
        match &self.byok_secret {
            None => Vec::new(),
            Some(SecretNames::One(s)) => vec![s.as_str()],
            Some(SecretNames::Either(list)) => list.iter().map(String::as_str).collect(),
        }
    }

    pub fn has_model(&self, model: &str) -> bool {
        self.models.iter().any(|m| m == model)
    }

    pub fn is_legacy(&self, model: &str) -> bool {
        self.legacy_models.iter().any(|m| m == model)
    }

    pub fn is_default(&self, model: &str) -> bool {
        self.default_model.as_deref() == Some(model)
    }

    pub fn is_realtime(&self) -> bool {
        self.kind == Some(LlmKind::Realtime)
    }

    /// Voices are picked from `voices`: realtime LLMs, and TTS providers
    /// whose `voice_id` is `enum`.
    pub fn voices_are_enum(&self) -> bool {
        self.voice_id == Some(VoiceIds::Enum) || (self.is_realtime() && !self.voices.is_empty())
    }

    /// The TTS settings `model` takes; `None` when the provider lists none
    /// (then its config fields decide).
    pub fn settings_for(&self, model: Option<&str>) -> Option<&[String]> {
        let narrowed = model.and_then(|m| self.model_settings.get(m));
        match narrowed {
            Some(list) => Some(list),
            None if self.settings.is_empty() => None,
            None => Some(&self.settings),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::PostcallModel;

    #[test]
    fn the_builtin_catalog_parses_and_holds_the_platform() {
        let c = Catalog::builtin();
        assert_eq!(c.version, 1);
        let ids: Vec<&str> = c.byok_provider_ids().collect();
        assert_eq!(
            ids,
            [
                "deepgram",
                "openai",
                "elevenlabs",
                "resend",
                "xai",
                "gladia",
                "mistral",
                "inworld",
                "google",
                "google_vertex"
            ]
        );
        let openai = c.llm.provider("openai").unwrap();
        assert!(openai.is_default("gpt-5.4"));
        assert!(
            openai.has_model("gpt-4o") && openai.is_legacy("gpt-4o"),
            "the seed's model stays, marked legacy"
        );
        assert!(
            c.stt
                .provider("deepgram")
                .unwrap()
                .has_model("nova-3-general")
        );
        assert!(c.stt.languages.iter().any(|l| l == "nl"));
        assert!(c.tts.provider("11labs").is_some(), "aliases resolve");
        assert!(c.tts.provider("google").unwrap().voices_are_enum());
        assert!(!c.tts.provider("elevenlabs").unwrap().voices_are_enum());
        assert!(c.llm.provider("google_realtime").unwrap().is_realtime());
        let v3 = c
            .tts
            .provider("elevenlabs")
            .unwrap()
            .settings_for(Some("eleven_v3"))
            .unwrap();
        assert_eq!(v3, ["stability", "apply_text_normalization"]);
        assert_eq!(
            c.range(SectionId::Llm, "temperature"),
            (Some(0.0), Some(2.0))
        );
    }

    #[test]
    fn the_builtin_catalog_holds_the_platforms_2_2_additions() {
        let c = Catalog::builtin();
        assert!(c.pricing_units.contains_key("realtime"));
        for section in SectionId::ALL {
            for p in &c.section(section).providers {
                let pricing = p.pricing.as_ref().unwrap_or_else(|| panic!("{}", p.id));
                let units = &c.pricing_units[&pricing.kind];
                assert!(pricing.units.iter().all(|u| units.contains(u)), "{}", p.id);
            }
            let schemas = c.schemas[section.key()]["oneOf"].as_array().unwrap();
            assert_eq!(schemas.len(), c.section(section).providers.len());
        }
        let live = c.llm.provider("google_realtime").unwrap();
        assert!(
            matches!(&live.postcall_model, Some(PostcallModel::PerSecret(by)) if by.len() == 2)
        );
        let openai = c.llm.provider("openai").unwrap();
        assert!(
            openai
                .reasoning_effort
                .as_ref()
                .is_some_and(|r| r.pin == "none")
        );
        assert_eq!(
            c.llm.provider("google").unwrap().vertex_location["gemini-2.5-flash"],
            "europe-west4"
        );
        assert!(c.is_ours_only(SectionId::Llm, "openai", "gpt-4o"));
        assert!(!c.is_ours_only(SectionId::Llm, "openai", "gpt-4o-mini"));
    }

    /// Our typed speech settings hold the ranges the platform's
    /// `params.speech` publishes, so the two cannot drift apart.
    #[test]
    fn the_speech_types_hold_the_platforms_speech_ranges() {
        let c = Catalog::builtin();
        let speech = c.assistant_field("speech_config").unwrap();
        let published = &c.params["speech"];
        let mut compared = 0;
        for (group, fields) in published.as_object().unwrap() {
            let Some(typed) = speech.properties.get(group) else {
                assert_eq!(group, "applies_to");
                continue;
            };
            for (name, range) in fields.as_object().unwrap() {
                let Some(spec) = typed.properties.get(name) else {
                    continue;
                };
                assert_eq!(spec.minimum, range["min"].as_f64(), "{group}.{name}");
                assert_eq!(spec.maximum, range["max"].as_f64(), "{group}.{name}");
                compared += 1;
            }
        }
        assert_eq!(
            compared, 13,
            "every setting of params.speech with a range or none"
        );
        let phrases = &speech.properties["end_call_phrases"];
        assert_eq!(
            phrases.max_items,
            published["end_call_phrases"]["max_items"]
                .as_u64()
                .map(|n| n as usize)
        );
    }

    #[test]
    fn every_secret_a_provider_names_is_a_byok_secret_serving_that_section() {
        let c = Catalog::builtin();
        for section in SectionId::ALL {
            for p in &c.section(section).providers {
                let mut named: Vec<&str> = p.secret_names();
                named.extend(p.model_requires.values().map(String::as_str));
                for secret in named {
                    let info = c.secrets().iter().find(|s| s.secret == secret);
                    let info = info.unwrap_or_else(|| panic!("{secret} of {}", p.id));
                    assert!(
                        info.categories.contains(&section.category()),
                        "{secret} serves {section:?}"
                    );
                }
                for m in p.legacy_models.iter().chain(p.model_requires.keys()) {
                    assert!(p.has_model(m), "{} {m}", p.id);
                }
                if let Some(d) = &p.default_model {
                    assert!(p.has_model(d), "{} default {d}", p.id);
                }
            }
        }
    }

    #[test]
    fn model_requires_picks_one_of_two_secrets() {
        let c = Catalog::builtin();
        assert_eq!(
            c.secrets_for(SectionId::Tts, "google", Some("chirp-3-hd")),
            ["google_vertex_secret_id"]
        );
        assert_eq!(
            c.secrets_for(SectionId::Tts, "google", None),
            ["google_secret_id"],
            "the default model decides when none is given"
        );
        assert_eq!(
            c.provider_of_secret("google_vertex_secret_id"),
            "google_vertex"
        );
    }
}

//! The catalog as servers hand it out: whole (`GET /api/v1/catalog`, ours),
//! or as the documented providers array of `GET /byok/config`.

use super::{Catalog, CatalogProvider, SecretNames, Section, SectionId};
use crate::domain::{ByokConfig, Category, ModelInfo, ProviderConfig};

/// Where a client's catalog came from; only `Served` is the server's own
/// word on what it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CatalogSource {
    /// `GET /api/v1/catalog`: the whole document.
    Served,
    /// `GET /byok/config`: providers and models, the rest from this build.
    ByokConfig,
    /// The server published none: this build's copy.
    #[default]
    BuiltIn,
}

impl CatalogSource {
    pub fn label(self) -> &'static str {
        match self {
            CatalogSource::Served => "catalog from the server",
            CatalogSource::ByokConfig => "models from /byok/config",
            CatalogSource::BuiltIn => "built-in catalog",
        }
    }

    /// Whether the server answers for this catalog: only then is a model it
    /// does not list an error rather than a warning.
    pub fn authority(self) -> crate::domain::validate::Authority {
        match self {
            CatalogSource::Served => crate::domain::validate::Authority::Binding,
            _ => crate::domain::validate::Authority::Advisory,
        }
    }
}

impl Catalog {
    /// `GET /byok/config` as the documented providers array: one entry per
    /// provider of each section (plus key-only providers such as Resend),
    /// `configured` when a secret it takes is set.
    pub fn byok_config(&self, configured: impl Fn(&str) -> bool) -> ByokConfig {
        let mut providers = Vec::new();
        for section in [SectionId::Stt, SectionId::Llm, SectionId::Tts] {
            for p in &self.section(section).providers {
                let secrets = p.secret_names();
                let docs = secrets
                    .first()
                    .map(|s| self.provider_of_secret(s))
                    .and_then(|id| self.secret(id))
                    .map(|s| s.docs_url.clone());
                let languages = (section == SectionId::Stt && !self.stt.languages.is_empty())
                    .then(|| self.stt.languages.clone());
                providers.push(ProviderConfig {
                    id: p.id.clone(),
                    name: Some(p.label.clone()),
                    category: section.category(),
                    docs_url: docs,
                    configured: Some(
                        secrets
                            .iter()
                            .any(|s| configured(self.provider_of_secret(s))),
                    ),
                    models: p
                        .models
                        .iter()
                        .map(|m| ModelInfo {
                            id: m.clone(),
                            name: Some(m.clone()),
                            default: p.is_default(m),
                            languages: languages.clone(),
                            legacy: p.is_legacy(m),
                        })
                        .collect(),
                });
            }
        }
        for s in self.secrets() {
            let in_sections = s
                .categories
                .iter()
                .any(|c| matches!(c, Category::Stt | Category::Llm | Category::Tts));
            if !in_sections {
                for &category in &s.categories {
                    providers.push(ProviderConfig {
                        id: s.provider.clone(),
                        name: Some(s.label.clone()),
                        category,
                        docs_url: Some(s.docs_url.clone()),
                        configured: Some(configured(&s.provider)),
                        models: Vec::new(),
                    });
                }
            }
        }
        ByokConfig { providers }
    }

    /// A catalog from a server's `/byok/config`: its providers and models,
    /// with what that shape lacks (voices, kinds, settings, key metadata)
    /// taken from `base` for the providers `base` knows.
    pub fn from_byok_config(config: &ByokConfig, base: &Catalog) -> Catalog {
        let mut cat = Catalog {
            llm: Section::default(),
            stt: Section {
                languages: base.stt.languages.clone(),
                bcp47: base.stt.bcp47.clone(),
                ..Section::default()
            },
            tts: Section::default(),
            postcall_stt: None,
            postcall_llm: None,
            ..base.clone()
        };
        let mut languages: Vec<String> = Vec::new();
        for served in &config.providers {
            let section = match served.category {
                Category::Stt => SectionId::Stt,
                Category::Llm => SectionId::Llm,
                Category::Tts => SectionId::Tts,
                _ => continue,
            };
            let known = base.section(section).provider(&served.id);
            let models: Vec<String> = served.models.iter().map(|m| m.id.clone()).collect();
            for m in &served.models {
                for l in m.languages.iter().flatten() {
                    if !languages.contains(l) {
                        languages.push(l.clone());
                    }
                }
            }
            let provider = CatalogProvider {
                id: served.id.clone(),
                label: served
                    .name
                    .clone()
                    .or_else(|| known.map(|k| k.label.clone()))
                    .unwrap_or_else(|| served.id.clone()),
                default_model: served
                    .models
                    .iter()
                    .find(|m| m.default)
                    .map(|m| m.id.clone()),
                legacy_models: served
                    .models
                    .iter()
                    .filter(|m| m.legacy)
                    .map(|m| m.id.clone())
                    .collect(),
                byok_secret: known.and_then(|k| k.byok_secret.clone()).or_else(|| {
                    let name = format!("{}{}", served.id, crate::domain::byok::SECRET_ID_SUFFIX);
                    Some(SecretNames::One(name))
                }),
                models,
                ..known.cloned().unwrap_or_default()
            };
            match section {
                SectionId::Stt => cat.stt.providers.push(provider),
                SectionId::Llm => cat.llm.providers.push(provider),
                SectionId::Tts => cat.tts.providers.push(provider),
            }
        }
        if !languages.is_empty() {
            cat.stt.languages = languages;
        }
        cat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byok_config_round_trips_providers_and_models() {
        let base = Catalog::builtin();
        let config = base.byok_config(|p| p == "openai");
        let openai = config.providers.iter().find(|p| p.id == "openai").unwrap();
        assert_eq!(openai.category, Category::Llm);
        assert_eq!(openai.configured, Some(true));
        assert!(openai.models.iter().any(|m| m.id == "gpt-5.4" && m.default));
        assert!(openai.models.iter().any(|m| m.id == "gpt-4o" && m.legacy));
        let elevenlabs: Vec<Category> = config
            .providers
            .iter()
            .filter(|p| p.id == "elevenlabs")
            .map(|p| p.category)
            .collect();
        assert_eq!(
            elevenlabs,
            [Category::Stt, Category::Tts],
            "once per category"
        );
        assert!(
            config
                .providers
                .iter()
                .any(|p| p.id == "resend" && p.category == Category::Email)
        );

        let back = Catalog::from_byok_config(&config, &base);
        assert_eq!(
            back.llm.provider_ids().collect::<Vec<_>>(),
            base.llm.provider_ids().collect::<Vec<_>>()
        );
        let live = back.llm.provider("google_realtime").unwrap();
        assert!(
            live.is_realtime() && !live.voices.is_empty(),
            "what the array lacks comes from the base"
        );
        assert_eq!(
            back.llm
                .provider("openai")
                .unwrap()
                .default_model
                .as_deref(),
            Some("gpt-5.4")
        );
    }

    #[test]
    fn an_unknown_served_provider_gets_a_generic_entry() {
        let config: ByokConfig = serde_json::from_value(serde_json::json!({"providers": [
            {"id": "acme", "name": "Acme", "category": "llm", "models": [{"id": "a-1", "default": true}]}
        ]}))
        .unwrap();
        let cat = Catalog::from_byok_config(&config, &Catalog::builtin());
        let acme = cat.llm.provider("acme").unwrap();
        assert_eq!(acme.label, "Acme");
        assert_eq!(acme.secret_names(), ["acme_secret_id"]);
        assert!(
            cat.llm.provider("openai").is_none(),
            "only what the server lists"
        );
    }
}

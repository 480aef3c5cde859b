//! Providers, models and languages, parsed once from `assets/catalog.toml`,
//! which is compiled into the binary so the server and console agree offline.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::{ByokConfig, Category};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub providers: Vec<CatalogProvider>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogProvider {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub use_for: String,
    pub docs_url: String,
    pub keys_url: String,
    #[serde(default)]
    pub key_prefix: Option<String>,
    pub setup: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub models: Vec<CatalogModel>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogModel {
    pub id: String,
    pub name: String,
    pub default: bool,
    #[serde(default)]
    pub languages: Vec<String>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The file is compiled in and covered by tests, so a parse failure is a
    // build defect, not a runtime condition.
    toml::from_str(include_str!("../assets/catalog.toml")).expect("assets/catalog.toml is valid")
});

pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    pub fn provider(&self, id: &str) -> Option<&CatalogProvider> {
        self.providers.iter().find(|p| p.id == id)
    }

    pub fn provider_ids(&self) -> impl Iterator<Item = &str> {
        self.providers.iter().map(|p| p.id.as_str())
    }
}

impl Catalog {
    /// The catalog a server publishes (`GET /api/v1/byok/config`), filled in
    /// from this build's where the server says less (the hosted service
    /// sends no languages).
    pub fn from_served(config: &ByokConfig) -> Catalog {
        let providers = config
            .providers
            .iter()
            .map(|served| {
                let known = catalog().provider(&served.id);
                let models = served
                    .models
                    .iter()
                    .map(|m| CatalogModel {
                        id: m.id.clone(),
                        name: m.name.clone().unwrap_or_else(|| m.id.clone()),
                        default: m.default,
                        languages: m.languages.clone().unwrap_or_else(|| {
                            known
                                .and_then(|k| k.model(&m.id))
                                .map(|k| k.languages.clone())
                                .unwrap_or_default()
                        }),
                    })
                    .collect();
                CatalogProvider {
                    id: served.id.clone(),
                    name: served
                        .name
                        .clone()
                        .or_else(|| known.map(|k| k.name.clone()))
                        .unwrap_or_else(|| served.id.clone()),
                    category: served.category,
                    use_for: known.map(|k| k.use_for.clone()).unwrap_or_default(),
                    docs_url: served.docs_url.clone().unwrap_or_default(),
                    keys_url: known.map(|k| k.keys_url.clone()).unwrap_or_default(),
                    key_prefix: known.and_then(|k| k.key_prefix.clone()),
                    setup: known.map(|k| k.setup.clone()).unwrap_or_default(),
                    notes: known.map(|k| k.notes.clone()).unwrap_or_default(),
                    models,
                }
            })
            .collect();
        Catalog { providers }
    }
}

impl CatalogProvider {
    pub fn model(&self, id: &str) -> Option<&CatalogModel> {
        self.models.iter().find(|m| m.id == id)
    }

    pub fn default_model(&self) -> Option<&CatalogModel> {
        self.models.iter().find(|m| m.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_with_models_has_exactly_one_default() {
        for p in &catalog().providers {
            if !p.models.is_empty() {
                assert_eq!(p.models.iter().filter(|m| m.default).count(), 1, "{}", p.id);
            }
        }
    }

    #[test]
    fn the_seed_assistant_models_are_present() {
        let c = catalog();
        let dg = c.provider("deepgram").unwrap();
        assert_eq!(dg.default_model().unwrap().id, "nova-3-general");
        for code in [
            "multi", "nl", "en", "de", "fr", "es", "it", "pt", "pl", "da", "sv", "no", "fi",
        ] {
            for m in ["nova-3-general", "nova-3", "nova-2-general"] {
                assert!(
                    dg.model(m).unwrap().languages.iter().any(|l| l == code),
                    "{m} {code}"
                );
            }
        }
        assert!(c.provider("openai").unwrap().model("gpt-4o").is_some());
        assert_eq!(
            c.provider("elevenlabs")
                .unwrap()
                .default_model()
                .unwrap()
                .id,
            "eleven_flash_v2_5"
        );
        assert!(c.provider("resend").unwrap().models.is_empty());
    }
}

//! Providers, models and languages, parsed once from `assets/catalog.toml`,
//! which is compiled into the binary so the server and console agree offline.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::Category;

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

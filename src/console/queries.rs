//! Read-only questions about the model that `update`, `view` and the
//! clipboard all ask: methods on the state, so none of them imports the
//! others for an answer. Each reads derived data the state keeps up to
//! date; none matches or ranks, so a frame stays cheap.

use crate::domain::{Category, ModelInfo, ProviderConfig};

use super::app::{ListState, Model, PickTarget};
use super::fuzzy;

impl Model {
    /// Indices into the served providers that have models, limited to the
    /// category being picked for when the editor asked.
    pub fn model_tabs(&self) -> Vec<usize> {
        let Some(config) = self.server.config.loaded() else {
            return Vec::new();
        };
        let category = self.server.models.target.map(|t| match t {
            PickTarget::SttModel => Category::Stt,
            PickTarget::LlmModel => Category::Llm,
            PickTarget::TtsModel => Category::Tts,
        });
        config
            .providers
            .iter()
            .enumerate()
            // A TTS provider with voices but no model (xAI) is still chosen here.
            .filter(|(_, p)| {
                (!p.models.is_empty() || category == Some(Category::Tts))
                    && category.is_none_or(|c| p.category == c)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The provider of the Models screen's tab, if it has one.
    pub fn current_tab(&self) -> Option<&ProviderConfig> {
        let tabs = self.model_tabs();
        let index = *tabs.get(self.server.models.tab)?;
        self.server.config.loaded()?.providers.get(index)
    }

    /// The models the Models screen lists, in its order.
    pub fn visible_models(&self) -> Vec<&ModelInfo> {
        let Some(provider) = self.current_tab() else {
            return Vec::new();
        };
        self.server
            .models
            .list
            .visible
            .iter()
            .filter_map(|&i| provider.models.get(i))
            .collect()
    }

    /// Whether the Providers screen gives a line to its filter.
    pub fn providers_filter_shown(&self) -> bool {
        self.server.provider_list.filtering || !self.server.provider_list.filter.is_empty()
    }

    /// The providers the filter keeps, as indices into `provider_rows`.
    pub fn shown_providers(&self) -> &[usize] {
        &self.server.provider_list.visible
    }
}

impl ListState {
    /// The text of an exact filter (`=text`), lowercased; `None` for a
    /// fuzzy one.
    pub fn exact_filter(&self) -> Option<String> {
        fuzzy::exact(&self.filter)
    }
}

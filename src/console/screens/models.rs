//! The Models screen: a tab per served provider with models, the current
//! tab's models as a list, and where a choice goes.

use crate::domain::{ByokConfig, Category, ModelInfo, ProviderConfig};

use super::super::app::{PickTarget, Remote};
use super::super::list::{FilterEdit, FilteredList, Listed, Order, SortColumn};

impl Listed for ModelInfo {
    fn haystack(&self) -> String {
        format!("{} {}", self.id, self.name.as_deref().unwrap_or(""))
    }

    fn sort_key(&self, _: SortColumn) -> String {
        self.id.to_lowercase()
    }
}

#[derive(Debug)]
pub struct ModelsScreen {
    /// The catalog as `/byok/config` shapes it.
    config: Remote<ByokConfig>,
    target: Option<PickTarget>,
    tab: usize,
    /// Indices into the config's providers that have a tab; `tab` is
    /// always within them (or 0 when there are none).
    tabs: Vec<usize>,
    /// The current tab's models.
    pub list: FilteredList<ModelInfo>,
}

impl Default for ModelsScreen {
    fn default() -> Self {
        ModelsScreen {
            config: Remote::Loading,
            target: None,
            tab: 0,
            tabs: Vec::new(),
            list: FilteredList::new(Order::BestFirst, usize::MAX),
        }
    }
}

impl ModelsScreen {
    pub fn config(&self) -> &Remote<ByokConfig> {
        &self.config
    }

    pub fn set_config(&mut self, config: Remote<ByokConfig>) {
        self.config = config;
        self.follow();
    }

    /// Where a choice made here goes: an editor's field, or nowhere.
    pub fn target(&self) -> Option<PickTarget> {
        self.target
    }

    pub fn set_target(&mut self, target: Option<PickTarget>) {
        self.target = target;
        self.follow();
    }

    pub fn tab(&self) -> usize {
        self.tab
    }

    /// Indices into the served providers that have models, limited to the
    /// category being picked for when the editor asked.
    pub fn tabs(&self) -> &[usize] {
        &self.tabs
    }

    /// Another tab, its first model selected.
    pub fn set_tab(&mut self, tab: usize) {
        self.tab = tab;
        self.follow();
        self.list.select(0);
    }

    /// The provider of the current tab, if there is one.
    pub fn current_tab(&self) -> Option<&ProviderConfig> {
        let index = *self.tabs.get(self.tab)?;
        self.config.loaded()?.providers.get(index)
    }

    /// The models listed, in their order.
    pub fn visible_models(&self) -> Vec<&ModelInfo> {
        self.list.shown().collect()
    }

    pub fn edit_filter(&mut self, edit: FilterEdit) {
        // Inline only: a tab's models are few.
        let _ = self.list.edit_filter(edit);
    }

    /// The tabs, the tab and its models follow the config and the target.
    fn follow(&mut self) {
        self.tabs = tabs_of(self.config.loaded(), self.target);
        self.tab = self.tab.min(self.tabs.len().saturating_sub(1));
        let models = self
            .current_tab()
            .map(|p| p.models.clone())
            .unwrap_or_default();
        if models != self.list.items() {
            let _ = self.list.set_items(models);
        }
    }
}

fn tabs_of(config: Option<&ByokConfig>, target: Option<PickTarget>) -> Vec<usize> {
    let Some(config) = config else {
        return Vec::new();
    };
    let category = target.map(|t| match t {
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

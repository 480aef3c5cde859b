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
    /// The tab chosen with the arrows; a search shows the tab of the
    /// selected match instead (see `tab`).
    tab: usize,
    /// Indices into the config's providers that have a tab; `tab` is
    /// always within them (or 0 when there are none).
    tabs: Vec<usize>,
    /// The current tab's models, or while a search is typed every tab's.
    pub list: FilteredList<ModelInfo>,
    /// The tab of each item of the list, one for one.
    owners: Vec<usize>,
}

impl Default for ModelsScreen {
    fn default() -> Self {
        ModelsScreen {
            config: Remote::Loading,
            target: None,
            tab: 0,
            tabs: Vec::new(),
            list: FilteredList::new(Order::BestFirst, usize::MAX),
            owners: Vec::new(),
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

    /// The tab shown: while searching, the one of the selected match.
    pub fn tab(&self) -> usize {
        self.list
            .selected_index()
            .and_then(|i| self.owners.get(i))
            .copied()
            .unwrap_or(self.tab)
    }

    /// Whether a search runs over every tab's models.
    pub fn searching(&self) -> bool {
        !self.list.filter().is_empty()
    }

    /// The tab of `items[index]`.
    pub fn owner(&self, index: usize) -> Option<usize> {
        self.owners.get(index).copied()
    }

    /// How many of each tab's models the search shows, by tab.
    pub fn matches(&self) -> Vec<usize> {
        let mut counts = vec![0; self.tabs.len()];
        for owner in self
            .list
            .visible()
            .iter()
            .filter_map(|&i| self.owners.get(i))
        {
            if let Some(count) = counts.get_mut(*owner) {
                *count += 1;
            }
        }
        counts
    }

    /// Indices into the served providers that have models, limited to the
    /// category being picked for when the editor asked.
    pub fn tabs(&self) -> &[usize] {
        &self.tabs
    }

    /// Another tab, its first model selected; while searching, its first match.
    pub fn set_tab(&mut self, tab: usize) {
        self.tab = tab;
        if self.searching() {
            self.select_first_of(tab);
        } else {
            self.follow();
            self.list.select(0);
        }
    }

    /// The next tab (or the one before) that shows a model: while
    /// searching, tabs without a match are passed over.
    pub fn step_tab(&mut self, forward: bool) {
        let count = self.tabs.len();
        let (now, matches) = (self.tab(), self.matches());
        let next = (1..=count)
            .map(|step| {
                if forward {
                    (now + step) % count
                } else {
                    (now + count - step % count) % count
                }
            })
            .find(|t| !self.searching() || matches.get(*t).is_some_and(|m| *m > 0));
        if let Some(tab) = next {
            self.set_tab(tab);
        }
    }

    /// The provider of the current tab, if there is one.
    pub fn current_tab(&self) -> Option<&ProviderConfig> {
        let index = *self.tabs.get(self.tab())?;
        self.config.loaded()?.providers.get(index)
    }

    /// The models listed, in their order.
    pub fn visible_models(&self) -> Vec<&ModelInfo> {
        self.list.shown().collect()
    }

    /// A search runs over every tab: the selection goes to the current
    /// tab's best match if it has one, else to the best of all; clearing
    /// it stays on the tab of the match selected last.
    pub fn edit_filter(&mut self, edit: FilterEdit) {
        let tab = self.tab();
        let selected = self.list.selected_item().map(|m| m.id.clone());
        // Inline only: the catalog's models are few.
        let _ = self.list.edit_filter(edit);
        self.tab = tab;
        self.follow();
        if self.searching() {
            self.select_first_of(tab);
        } else {
            let at = self
                .list
                .shown()
                .position(|m| Some(&m.id) == selected.as_ref());
            self.list.select(at.unwrap_or(0));
        }
    }

    /// Selects the best match of `tab`, or the best of all without one.
    fn select_first_of(&mut self, tab: usize) {
        let at = self
            .list
            .visible()
            .iter()
            .position(|&i| self.owners.get(i) == Some(&tab));
        self.list.select(at.unwrap_or(0));
    }

    /// The tabs, the tab and the listed models follow the config, the
    /// target and whether a search runs.
    fn follow(&mut self) {
        self.tabs = tabs_of(self.config.loaded(), self.target);
        self.tab = self.tab.min(self.tabs.len().saturating_sub(1));
        let shown: Vec<usize> = if self.searching() {
            (0..self.tabs.len()).collect()
        } else {
            vec![self.tab]
        };
        let providers = self.config.loaded().map(|c| c.providers.as_slice());
        let mut owners = Vec::new();
        let mut models = Vec::new();
        for tab in shown {
            let provider = self
                .tabs
                .get(tab)
                .and_then(|&i| providers.and_then(|p| p.get(i)));
            for model in provider.map_or(&[][..], |p| p.models.as_slice()) {
                owners.push(tab);
                models.push(model.clone());
            }
        }
        self.owners = owners;
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

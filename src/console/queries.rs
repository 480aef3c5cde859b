//! Read-only questions about the model that `update`, `view` and the
//! clipboard all ask: methods on the state, so none of them imports the
//! others for an answer. Each reads derived data the state keeps up to
//! date; none matches or ranks, so a frame stays cheap.

use crate::domain::{ModelInfo, ProviderConfig};

use super::app::{Model, Screen};
use super::focus::Focus;
use super::keymap::Action;

impl Model {
    /// Indices into the served providers that have models, limited to the
    /// category being picked for when the editor asked.
    pub fn model_tabs(&self) -> &[usize] {
        self.server.models.tabs()
    }

    /// The provider of the Models screen's tab, if it has one.
    pub fn current_tab(&self) -> Option<&ProviderConfig> {
        self.server.models.current_tab()
    }

    /// The models the Models screen lists, in its order.
    pub fn visible_models(&self) -> Vec<&ModelInfo> {
        self.server.models.visible_models()
    }

    /// Whether `action` would do something where the focus is now, so the
    /// footer offers it: no choosing on Models without a field to fill, no
    /// removing a key that is not set, nothing on a list without a row.
    pub fn acts_here(&self, action: Action) -> bool {
        if !self.offers(action) {
            return false;
        }
        let has_assistant = || self.server.assistants.list.selected_item().is_some();
        match (Focus::of(self), action) {
            (Focus::Screen(Screen::Models), Action::Select | Action::Back) => {
                self.server.models.target().is_some()
            }
            // Dropping a filter is said on the filter line; the footer offers
            // Esc only as the way back from a pick.
            (Focus::Screen(_), Action::Back) => false,
            (Focus::Screen(Screen::Providers), Action::RemoveKey) => self
                .server
                .providers
                .focused()
                .is_some_and(|row| row.configured == Some(true)),
            (Focus::Screen(Screen::Assistants), Action::Select | Action::Delete) => has_assistant(),
            _ => true,
        }
    }

    /// Whether the Providers screen gives a line to its filter.
    pub fn providers_filter_shown(&self) -> bool {
        self.server.providers.list.filter_shown()
    }

    /// The providers the filter keeps, as indices into the rows.
    pub fn shown_providers(&self) -> &[usize] {
        self.server.providers.shown()
    }

    /// The names of the first `at_most` assistants using `provider`, and
    /// how many there are in all.
    pub fn users_of(&self, provider: &str, at_most: usize) -> Option<(Vec<String>, usize)> {
        let list = self.server.assistants.loaded()?;
        let users = self.server.providers.usage()?.of(provider);
        let names = users
            .iter()
            .take(at_most)
            .filter_map(|&i| list.get(i as usize))
            .map(|a| a.name.to_string())
            .collect();
        Some((names, users.len()))
    }
}

//! A small filterable list shown over the editor: the STT language, or a
//! voice from a provider's list or the user's voice library.

use super::list::{FilterEdit, FilteredList, Listed, Order, SortColumn};

/// Which editor value the chosen item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choosing {
    SttLanguage,
    LlmVoice,
    TtsVoice,
    TtsProvider,
    /// The profile `:profile` switches to.
    Profile,
    /// The child organization `:orgs` opens, by its id.
    Organization,
}

/// A row: what it shows (and the filter matches), and what it sets when
/// chosen (a voice id under its name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    value: String,
}

impl Listed for Choice {
    fn haystack(&self) -> String {
        self.label.clone()
    }

    fn sort_key(&self, _: SortColumn) -> String {
        self.label.to_lowercase()
    }
}

#[derive(Debug)]
pub struct Picker {
    pub choosing: Choosing,
    pub title: String,
    pub list: FilteredList<Choice>,
}

impl Picker {
    pub fn new(
        choosing: Choosing,
        title: impl Into<String>,
        items: Vec<String>,
        current: Option<&str>,
    ) -> Self {
        let values = items.clone();
        Picker::labelled(choosing, title, items, values, current)
    }

    /// Rows that show `labels` and set `values`, one for one.
    pub fn labelled(
        choosing: Choosing,
        title: impl Into<String>,
        labels: Vec<String>,
        values: Vec<String>,
        current: Option<&str>,
    ) -> Self {
        let selected = current
            .and_then(|c| values.iter().position(|v| v == c))
            .unwrap_or(0);
        let choices = labels
            .into_iter()
            .zip(values)
            .map(|(label, value)| Choice { label, value })
            .collect();
        // A picker's rows are few: ranked inline.
        let mut list = FilteredList::new(Order::BestFirst, usize::MAX).fuzzy_only();
        let _ = list.set_items(choices);
        list.select(selected);
        Picker {
            choosing,
            title: title.into(),
            list,
        }
    }

    /// What the rows show, in the items' order.
    pub fn labels(&self) -> Vec<&str> {
        self.list.items().iter().map(|c| c.label.as_str()).collect()
    }

    /// A change to the filter; the best match is selected.
    pub fn edit_filter(&mut self, edit: FilterEdit) {
        let _ = self.list.edit_filter(edit);
        self.list.select(0);
    }

    pub fn move_by(&mut self, delta: isize) {
        self.list.move_by(delta, usize::MAX);
    }

    pub fn chosen(&self) -> Option<&str> {
        self.list.selected_item().map(|c| c.value.as_str())
    }
}

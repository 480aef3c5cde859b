//! A small filterable list shown over the editor: the STT language, or a
//! voice from a provider's list or the user's voice library.

use super::fuzzy::rank;

/// Which editor value the chosen item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choosing {
    SttLanguage,
    LlmVoice,
    TtsVoice,
    /// The profile `:profile` switches to.
    Profile,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub choosing: Choosing,
    pub title: String,
    /// What each row shows, and what the filter matches.
    pub items: Vec<String>,
    /// What each row sets when chosen (a voice id under its name).
    values: Vec<String>,
    pub filter: String,
    /// Indices into `items` that match `filter`, best first.
    pub visible: Vec<usize>,
    pub selected: usize,
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
        let visible = (0..labels.len().min(values.len())).collect();
        let selected = current
            .and_then(|c| values.iter().position(|v| v == c))
            .unwrap_or(0);
        Picker {
            choosing,
            title: title.into(),
            items: labels,
            values,
            filter: String::new(),
            visible,
            selected,
        }
    }

    pub fn set_filter(&mut self, filter: String) {
        self.visible = rank(&filter, self.items.iter().map(String::as_str));
        self.filter = filter;
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        self.selected = step(self.selected, delta, self.visible.len());
    }

    pub fn chosen(&self) -> Option<&str> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.values.get(i))
            .map(String::as_str)
    }
}

/// Moves a selection within `len` items, clamped at both ends.
pub fn step(selected: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    selected.saturating_add_signed(delta).min(len - 1)
}

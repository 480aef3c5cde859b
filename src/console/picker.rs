//! A small filterable list shown over the editor: the STT language, or a
//! voice from a provider's list.

use super::fuzzy::rank;

/// Which editor value the chosen item becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choosing {
    SttLanguage,
    LlmVoice,
    TtsVoice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub choosing: Choosing,
    pub title: String,
    pub items: Vec<String>,
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
        let visible = (0..items.len()).collect();
        let selected = current
            .and_then(|c| items.iter().position(|i| i == c))
            .unwrap_or(0);
        Picker {
            choosing,
            title: title.into(),
            items,
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
            .map(|&i| self.items[i].as_str())
    }
}

/// Moves a selection within `len` items, clamped at both ends.
pub fn step(selected: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    selected.saturating_add_signed(delta).min(len - 1)
}

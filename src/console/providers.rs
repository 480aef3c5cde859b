//! What the Providers screen shows, derived from the server's answers and the
//! catalog: one row per BYOK secret. Providers the catalog does not know are
//! shown too.

use std::collections::HashMap;

use crate::domain::{ByokState, Catalog, Category};

use super::app::Remote;
use super::list::{FilterEdit, FilteredList, Listed, Order, SortColumn};
use super::screens::AssistantRow;

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRow {
    pub id: String,
    pub name: String,
    /// What the key serves, first the main one (`elevenlabs`: STT and TTS).
    pub categories: Vec<Category>,
    /// `None` while the BYOK state is loading or failed.
    pub configured: Option<bool>,
    /// Whether the BYOK state failed to load (as opposed to still loading).
    pub failed: bool,
    pub secret_id: Option<String>,
    pub key_hint: Option<String>,
    pub updated_at: Option<String>,
    /// How many assistants' configs use this provider; `None` until the
    /// assistants have loaded.
    pub users: Option<usize>,
    /// The assistants failed to load, so `users` will not arrive by itself.
    pub users_failed: bool,
}

impl Listed for ProviderRow {
    fn haystack(&self) -> String {
        let serves: Vec<&str> = self.categories.iter().map(|c| c.label()).collect();
        format!("{} {} {}", self.name, self.id, serves.join(" "))
    }

    fn sort_key(&self, _: SortColumn) -> String {
        self.name.to_lowercase()
    }
}

/// What the rows are derived from, besides who uses which key.
pub struct RowInputs<'a> {
    pub catalog: &'a Catalog,
    pub byok: &'a Remote<ByokState>,
    pub assistants_failed: bool,
}

/// The Providers screen: its rows (kept with the keys, the catalog and who
/// uses which key), the filter over them and the focused row.
#[derive(Debug)]
pub struct ProvidersScreen {
    /// The rows the filter shows are in the screen's own order, grouped by
    /// what they serve: the list is short and its groups matter more than
    /// a ranking.
    pub list: FilteredList<ProviderRow>,
    /// An index into the rows, kept on its provider while it is shown.
    focus: usize,
    /// Which assistants use each provider's key.
    usage: Option<Usage>,
}

impl Default for ProvidersScreen {
    fn default() -> Self {
        ProvidersScreen {
            list: FilteredList::new(Order::Kept, usize::MAX),
            focus: 0,
            usage: None,
        }
    }
}

impl ProvidersScreen {
    pub fn rows(&self) -> &[ProviderRow] {
        self.list.items()
    }

    pub fn focus(&self) -> usize {
        self.focus
    }

    pub fn focused(&self) -> Option<&ProviderRow> {
        self.rows().get(self.focus)
    }

    pub fn set_focus(&mut self, row: usize) {
        self.focus = row.min(self.rows().len().saturating_sub(1));
    }

    /// The providers the filter keeps, as indices into the rows.
    pub fn shown(&self) -> &[usize] {
        self.list.visible()
    }

    pub fn usage(&self) -> Option<&Usage> {
        self.usage.as_ref()
    }

    /// The rows again, from their inputs; never per frame.
    pub fn set_inputs(&mut self, inputs: RowInputs) {
        let rows = provider_rows(&inputs, self.usage.as_ref());
        let _ = self.list.set_items(rows);
        self.focus = self.focus.min(self.rows().len().saturating_sub(1));
        self.keep_focus();
    }

    /// Who uses which key changed, and so the rows' counts.
    pub fn set_usage(&mut self, usage: Option<Usage>, inputs: RowInputs) {
        self.usage = usage;
        self.set_inputs(inputs);
    }

    pub fn edit_filter(&mut self, edit: FilterEdit) {
        let _ = self.list.edit_filter(edit);
        self.keep_focus();
    }

    /// The focus stays on its provider if that is still shown, else goes
    /// to the first that is.
    fn keep_focus(&mut self) {
        let shown = self.list.visible();
        if !shown.contains(&self.focus)
            && let Some(&first) = shown.first()
        {
            self.focus = first;
        }
    }
}

fn provider_rows(inputs: &RowInputs, usage: Option<&Usage>) -> Vec<ProviderRow> {
    let mut ids: Vec<String> = inputs
        .catalog
        .byok_provider_ids()
        .map(str::to_owned)
        .collect();
    let mut push = |id: &str| {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    };
    if let Remote::Loaded(byok) = inputs.byok {
        byok.byok_keys.providers().for_each(&mut push);
    }
    let mut rows: Vec<ProviderRow> = ids.iter().map(|id| row(inputs, usage, id)).collect();
    // Grouped by what the key serves first, in the order a call flows
    // (hearing, thinking, speaking), catalog order within a group.
    rows.sort_by_key(group_of);
    rows
}

/// The order of the groups on the Providers screen.
pub const GROUPS: [Category; 5] = [
    Category::Stt,
    Category::Llm,
    Category::Tts,
    Category::Email,
    Category::Other,
];

/// The group a row is shown in: the first thing its key serves.
pub fn group_of(row: &ProviderRow) -> usize {
    let first = row.categories.first().copied().unwrap_or(Category::Other);
    GROUPS
        .iter()
        .position(|g| *g == first)
        .unwrap_or(GROUPS.len())
}

/// A group's heading on the Providers screen.
pub fn group_title(category: Category) -> &'static str {
    match category {
        Category::Stt => "Speech to text",
        Category::Llm => "Language models",
        Category::Tts => "Text to speech",
        Category::Email => "Email",
        Category::Other => "Other providers this server offers",
    }
}

fn row(inputs: &RowInputs, usage: Option<&Usage>, id: &str) -> ProviderRow {
    let known = inputs.catalog.secret(id);
    let name = known.map_or_else(|| id.to_owned(), |p| p.label.clone());
    let categories = known.map_or_else(|| vec![Category::Other], |p| p.categories.clone());
    let byok = inputs.byok.loaded();
    let info = byok.and_then(|b| b.key_info(id));
    ProviderRow {
        id: id.to_owned(),
        name,
        categories,
        configured: byok.map(|b| b.byok_keys.is_configured(id)),
        failed: matches!(inputs.byok, Remote::Failed(_)),
        secret_id: byok
            .and_then(|b| b.byok_keys.secret_id(id))
            .map(str::to_owned),
        key_hint: info.and_then(|k| k.key_hint.clone()),
        updated_at: info.and_then(|k| k.updated_at.clone()),
        users_failed: inputs.assistants_failed,
        users: usage.map(|u| u.of(id).len()),
    }
}

/// Which assistants use each provider's key: worked out once when the
/// assistants or the catalog change, not per frame (thousands of
/// assistants times ten providers is too much for a redraw).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    /// Indices as `u32`: half the memory for a list of a hundred thousand.
    by_provider: HashMap<String, Vec<u32>>,
}

impl Usage {
    pub fn of_list(cat: &Catalog, list: &[AssistantRow]) -> Usage {
        let mut by_provider: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, a) in (0u32..).zip(list) {
            for provider in cat.secrets_used_by_models(a.models()) {
                by_provider.entry(provider.to_owned()).or_default().push(i);
            }
        }
        by_provider.values_mut().for_each(Vec::shrink_to_fit);
        Usage { by_provider }
    }

    /// Indices into the assistant list, in its order.
    pub fn of(&self, provider: &str) -> &[u32] {
        self.by_provider.get(provider).map_or(&[], Vec::as_slice)
    }
}

/// The names shown, then how many more of `total` there are.
pub fn in_brief(names: &[String], total: usize) -> String {
    match total.saturating_sub(names.len()) {
        0 => names.join(", "),
        more => format!("{} and {more} more", names.join(", ")),
    }
}

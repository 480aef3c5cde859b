//! What the Providers screen shows, derived from the server's answers and the
//! catalog: one row per BYOK secret. Providers the catalog does not know are
//! shown too.

use std::collections::HashMap;

use crate::domain::{Assistant, Catalog, Category};

use super::app::{Model, Remote};

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

/// Brings `model.server.provider_rows` up to date with the keys, the catalog and
/// who uses what; called whenever one of those changes, never per frame.
pub fn refresh_rows(model: &mut Model) {
    model.server.provider_rows = provider_rows(model);
    let last = model.server.provider_rows.len().saturating_sub(1);
    model.server.provider_focus = model.server.provider_focus.min(last);
    refresh_shown(model);
}

/// Brings the rows the filter shows (`provider_list.visible`, indices into
/// `provider_rows` in the screen's own order, grouped by what they serve:
/// the list is short and its groups matter more than a ranking) up to date
/// with the rows and the filter; the focus stays on its provider if that
/// is still shown, else goes to the first that is. A frame only reads them.
pub fn refresh_shown(model: &mut Model) {
    let filter = &model.server.provider_list.filter;
    let shown = if filter.trim().is_empty() {
        (0..model.server.provider_rows.len()).collect()
    } else {
        let haystacks: Vec<String> = model
            .server
            .provider_rows
            .iter()
            .map(|r| {
                let serves: Vec<&str> = r.categories.iter().map(|c| c.label()).collect();
                format!("{} {} {}", r.name, r.id, serves.join(" "))
            })
            .collect();
        let mut shown = super::fuzzy::matching(filter, &haystacks);
        shown.sort_unstable();
        shown
    };
    if !shown.contains(&model.server.provider_focus)
        && let Some(&first) = shown.first()
    {
        model.server.provider_focus = first;
    }
    model.server.provider_list.visible = shown;
}

fn provider_rows(model: &Model) -> Vec<ProviderRow> {
    let mut ids: Vec<String> = model
        .server
        .catalog
        .byok_provider_ids()
        .map(str::to_owned)
        .collect();
    let mut push = |id: &str| {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    };
    if let Remote::Loaded(byok) = &model.server.byok {
        byok.byok_keys.providers().for_each(&mut push);
    }
    let mut rows: Vec<ProviderRow> = ids.iter().map(|id| row(model, id)).collect();
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

fn row(model: &Model, id: &str) -> ProviderRow {
    let known = model.server.catalog.secret(id);
    let name = known.map_or_else(|| id.to_owned(), |p| p.label.clone());
    let categories = known.map_or_else(|| vec![Category::Other], |p| p.categories.clone());
    let byok = model.server.byok.loaded();
    let info = byok.and_then(|b| b.key_info(id));
    ProviderRow {
        id: id.to_owned(),
        name,
        categories,
        configured: byok.map(|b| b.byok_keys.is_configured(id)),
        failed: matches!(model.server.byok, Remote::Failed(_)),
        secret_id: byok
            .and_then(|b| b.byok_keys.secret_id(id))
            .map(str::to_owned),
        key_hint: info.and_then(|k| k.key_hint.clone()),
        updated_at: info.and_then(|k| k.updated_at.clone()),
        users_failed: matches!(model.server.assistants, Remote::Failed(_)),
        users: model.server.usage.as_ref().map(|u| u.of(id).len()),
    }
}

/// The names of the first `at_most` assistants using `provider`, and how
/// many there are in all.
pub fn users_of(model: &Model, provider: &str, at_most: usize) -> Option<(Vec<String>, usize)> {
    let list = model.server.assistants.loaded()?;
    let users = model.server.usage.as_ref()?.of(provider);
    let names = users
        .iter()
        .take(at_most)
        .filter_map(|&i| list.get(i))
        .map(|a| a.name.clone())
        .collect();
    Some((names, users.len()))
}

/// Which assistants use each provider's key: worked out once when the
/// assistants or the catalog change, not per frame (thousands of
/// assistants times ten providers is too much for a redraw).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Usage {
    by_provider: HashMap<String, Vec<usize>>,
}

impl Usage {
    pub fn of_list(cat: &Catalog, list: &[Assistant]) -> Usage {
        let mut by_provider: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in list.iter().enumerate() {
            for provider in cat.secrets_used_by(a) {
                by_provider.entry(provider.to_owned()).or_default().push(i);
            }
        }
        Usage { by_provider }
    }

    /// Indices into the assistant list, in its order.
    pub fn of(&self, provider: &str) -> &[usize] {
        self.by_provider.get(provider).map_or(&[], Vec::as_slice)
    }
}

/// Brings `model.server.usage`, and so the rows, up to date with the assistants
/// and the catalog.
pub fn refresh_usage(model: &mut Model) {
    model.server.usage = model
        .server
        .assistants
        .loaded()
        .map(|list| Usage::of_list(&model.server.catalog, list));
    refresh_rows(model);
}

/// The names shown, then how many more of `total` there are.
pub fn in_brief(names: &[String], total: usize) -> String {
    match total.saturating_sub(names.len()) {
        0 => names.join(", "),
        more => format!("{} and {more} more", names.join(", ")),
    }
}

//! The Providers screen as a list: which providers the filter shows and
//! how the focus moves among them.

use super::super::app::Model;
use super::super::keymap::Action;
use super::super::layout::provider_columns;

/// Moves the focus among the providers shown, by the panels across in a
/// grid (Up/Down) or one (Left/Right).
pub fn step(model: &mut Model, action: Action) {
    let shown = shown_providers(model);
    let count = shown.len();
    let columns = provider_columns(model.size, count, filter_shown(model)) as isize;
    let last = count.saturating_sub(1) as isize;
    let at = shown
        .iter()
        .position(|&i| i == model.provider_focus)
        .unwrap_or(0) as isize;
    let target = match action {
        Action::Left => at - 1,
        Action::Right => at + 1,
        Action::Up => at - columns,
        Action::Down => at + columns,
        Action::Top => 0,
        Action::Bottom => last,
        // A page of the list is a screenful of rows; of the grid, a column.
        Action::PageUp | Action::PageDown => {
            let page = if columns == 1 {
                model.list_page() as isize
            } else {
                columns * 2
            };
            let step = if action == Action::PageUp {
                -page
            } else {
                page
            };
            (at + step).clamp(0, last)
        }
        _ => at,
    };
    if let Some(&row) = usize::try_from(target).ok().and_then(|t| shown.get(t)) {
        model.provider_focus = row;
    }
}

/// Whether the Providers screen gives a line to its filter.
pub fn filter_shown(model: &Model) -> bool {
    model.provider_list.filtering || !model.provider_list.filter.is_empty()
}

/// The providers the filter keeps, as indices into `provider_rows`, in
/// the screen's own order (grouped by what they serve): the list is short
/// and its groups matter more than a ranking.
pub fn shown_providers(model: &Model) -> Vec<usize> {
    let filter = &model.provider_list.filter;
    if filter.trim().is_empty() {
        return (0..model.provider_rows.len()).collect();
    }
    let haystacks: Vec<String> = model
        .provider_rows
        .iter()
        .map(|r| {
            let serves: Vec<&str> = r.categories.iter().map(|c| c.label()).collect();
            format!("{} {} {}", r.name, r.id, serves.join(" "))
        })
        .collect();
    let mut shown = super::filter::matching(filter, &haystacks);
    shown.sort_unstable();
    shown
}

/// The filter changed: the focus stays where it is if that provider is
/// still shown, else goes to the first one that is.
pub fn filter_changed(model: &mut Model) {
    let shown = shown_providers(model);
    if !shown.contains(&model.provider_focus)
        && let Some(&first) = shown.first()
    {
        model.provider_focus = first;
    }
}

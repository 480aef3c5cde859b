//! How the focus moves among the providers the filter shows.

use super::super::app::Model;
use super::super::keymap::Action;
use super::super::layout::provider_columns;

/// Moves the focus among the providers shown, by the panels across in a
/// grid (Up/Down) or one (Left/Right).
pub fn step(model: &mut Model, action: Action) {
    let shown = model.shown_providers().to_vec();
    let count = shown.len();
    let columns =
        provider_columns(model.session.size, count, model.providers_filter_shown()) as isize;
    let last = count.saturating_sub(1) as isize;
    let at = shown
        .iter()
        .position(|&i| i == model.server.providers.focus())
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
        model.server.providers.set_focus(row);
    }
}

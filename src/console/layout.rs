//! Layout facts both `update` and `view` rely on: how big things are and
//! how many rows or columns fit. A leaf module, so neither side asks the
//! other, and a page moved by PgDn is the page the screen shows.

use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

pub mod editor;
pub mod screens;
pub mod wrap;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Below this nothing can be drawn usefully; only quitting is offered.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// A toast gets a line of its own so the key hints stay visible; two when
/// its text (after a leading space) is wider than the screen.
pub fn toast_height(toast: Option<&str>, width: u16) -> u16 {
    match toast {
        None => 0,
        Some(text) if text.width() + 1 > usize::from(width) => 2,
        Some(_) => 1,
    }
}

/// Rows a full-height list shows: the screen less the header, a toast,
/// footer, status bar, filter line, borders and column titles.
pub fn list_page(size: (u16, u16), toast: Option<&str>) -> usize {
    let chrome = 7 + toast_height(toast, size.0);
    usize::from(size.1.saturating_sub(chrome)).max(1)
}

pub const PANEL_HEIGHT: u16 = 9;

/// Rows around the Providers body at most: header, footer, status bar, a
/// two-line toast and a two-line notice. The grid is used only where it fits
/// with all of them, so the layout does not flip when a toast comes and goes.
pub const PROVIDERS_CHROME: u16 = 7;

/// Panels across for a terminal of `size` showing `count` providers: four
/// on wide terminals, two on medium ones, and 1 — the list — where that is
/// all the width allows or the panels would not fit the height. Arrow keys
/// move the focus by the same number. A filter shows the list, where each
/// group that still has a match keeps its heading.
pub fn provider_columns(size: (u16, u16), count: usize, filter_line: bool) -> usize {
    if filter_line {
        return 1;
    }
    let across = match size.0 {
        // A panel needs about 35 columns for a secret id and a full time.
        w if w >= 140 => 4,
        w if w >= 60 => 2,
        _ => 1,
    };
    let rows = u16::try_from(count.div_ceil(across)).unwrap_or(u16::MAX);
    if rows.saturating_mul(PANEL_HEIGHT) > size.1.saturating_sub(PROVIDERS_CHROME) {
        1
    } else {
        across
    }
}

/// The Providers screen's parts: a notice when the keys did not load, the
/// filter line while there is a filter, and the panels or the list.
pub struct ProvidersAreas {
    pub notice: Option<Rect>,
    pub filter: Option<Rect>,
    pub body: Rect,
}

pub fn providers(area: Rect, notice: bool, filter: bool) -> ProvidersAreas {
    let [notice_area, filter_area, body] = Layout::vertical([
        Constraint::Length(if notice { 2 } else { 0 }),
        Constraint::Length(u16::from(filter)),
        Constraint::Min(0),
    ])
    .areas(area);
    ProvidersAreas {
        notice: notice.then_some(notice_area),
        filter: filter.then_some(filter_area),
        body,
    }
}

/// Where each of `count` panels goes in a grid of `columns` across, and
/// the room left below them.
pub fn provider_panels(body: Rect, count: usize, columns: usize) -> (Vec<Rect>, Rect) {
    let columns = columns.max(1);
    let grid_rows = u16::try_from(count.div_ceil(columns)).unwrap_or(u16::MAX);
    let [grid, rest] = Layout::vertical([
        Constraint::Length(grid_rows.saturating_mul(PANEL_HEIGHT)),
        Constraint::Min(0),
    ])
    .areas(body);
    let row_areas = Layout::vertical(vec![
        Constraint::Length(PANEL_HEIGHT);
        usize::from(grid_rows)
    ])
    .split(grid);
    let columns_u32 = u32::try_from(columns).unwrap_or(1);
    let panels = (0..count)
        .map(|i| {
            let cells = Layout::horizontal(vec![Constraint::Ratio(1, columns_u32); columns])
                .split(row_areas[i / columns]);
            cells[i % columns]
        })
        .collect();
    (panels, rest)
}

/// The lines of the Providers list: a heading (`None`) before each group,
/// then its rows by position. `groups` is each shown row's group, in order.
pub fn provider_lines(groups: impl IntoIterator<Item = usize>) -> Vec<Option<usize>> {
    let mut lines = Vec::new();
    let mut last = None;
    for (position, group) in groups.into_iter().enumerate() {
        if last != Some(group) {
            last = Some(group);
            lines.push(None);
        }
        lines.push(Some(position));
    }
    lines
}

/// The first line of the Providers list on screen: the focused row stays
/// in view when the groups do not all fit `height` lines.
pub fn provider_lines_skip(lines: &[Option<usize>], focus: usize, height: usize) -> usize {
    let at = lines
        .iter()
        .position(|l| *l == Some(focus))
        .unwrap_or(lines.len());
    at.saturating_sub(height.saturating_sub(1))
}

/// The list box of the Providers list and the detail under it.
pub fn provider_list(body: Rect, lines: usize) -> (Rect, Rect) {
    let height = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2);
    let [list, detail] =
        Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(body);
    (list, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toast_shortens_the_page_by_its_height() {
        assert_eq!(list_page((80, 24), None), 17);
        assert_eq!(list_page((80, 24), Some("saved")), 16);
        assert_eq!(list_page((20 + MIN_WIDTH, 24), Some(&"x".repeat(80))), 15);
    }

    #[test]
    fn wide_characters_count_double() {
        // 30 CJK characters are 60 columns: they do not fit on one line of 40.
        assert_eq!(toast_height(Some(&"名".repeat(30)), 40), 2);
        assert_eq!(toast_height(Some(&"n".repeat(30)), 40), 1);
    }
}

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};

use crate::console::app::ListState;
use crate::console::keymap::{Action, Keymap, Scope};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(frame: usize) -> &'static str {
    SPINNER[frame % SPINNER.len()]
}

/// A box of at most `width`×`height` centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// The first row to draw so that `selected` stays within `height` rows.
pub fn scroll_offset(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

/// `text` cut to `width` columns, with an ellipsis when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let kept: String = text.chars().take(width.saturating_sub(1)).collect();
    format!("{kept}…")
}

/// An RFC 3339 time to the second, as people read it: `2026-11-26 15:23:46 UTC`.
/// Anything else is shown as the server sent it.
pub fn short_time(rfc3339: &str) -> String {
    let zone = if rfc3339.ends_with('Z') { " UTC" } else { "" };
    match rfc3339.get(..19) {
        Some(head) if rfc3339.as_bytes().get(10) == Some(&b'T') && !zone.is_empty() => {
            format!("{}{zone}", head.replace('T', " "))
        }
        // An offset other than Z stays as sent rather than being misread as UTC.
        _ => rfc3339.to_owned(),
    }
}

/// The line above a filterable list: the filter while there is one, else `idle`.
pub fn filter_line(keymap: &Keymap, list: &ListState, prefix: &str, idle: String) -> Line<'static> {
    if !list.filtering && list.filter.is_empty() {
        return Line::from(format!("{prefix}{idle}")).dim();
    }
    let keep = keymap.key_of(Scope::Filter, Action::Select);
    let clear = keymap.key_of(Scope::Filter, Action::Back);
    let state = if list.filtering {
        format!("▏ ({keep} keeps, {clear} clears)")
    } else {
        format!("  ({} clears)", keymap.key_of(Scope::Global, Action::Back))
    };
    Line::from(vec![
        Span::raw(format!("{prefix}filter: ")),
        Span::styled(list.filter.clone(), Style::new().bold()),
        Span::raw(state),
    ])
}

/// A count as terminal rows: a server can report more things than a screen
/// has rows, and the arithmetic must saturate rather than overflow.
pub fn rows(count: usize) -> u16 {
    u16::try_from(count).unwrap_or(u16::MAX)
}

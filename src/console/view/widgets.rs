use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::console::app::{Model, Sort, SortColumn};
use crate::console::keymap::{Action, Scope};
use crate::console::list::FilteredList;

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

/// `text` cut to `width` terminal columns (wide characters count two),
/// with an ellipsis when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    cut(text, width)
}

/// The part of `text` that fits `width` columns with an ellipsis after it.
fn cut(text: &str, width: usize) -> String {
    let room = width.saturating_sub(1);
    let mut used = 0;
    let mut kept = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(c);
    }
    if width > 0 {
        kept.push('…');
    }
    kept
}

/// A line of spans cut to `width` columns, with an ellipsis where it was
/// cut, each span keeping its style.
pub fn fit_line(spans: Vec<Span<'static>>, width: u16) -> Line<'static> {
    let width = usize::from(width);
    let total: usize = spans.iter().map(|s| s.content.width()).sum();
    if total <= width {
        return Line::from(spans);
    }
    let mut left = width;
    let mut kept = Vec::new();
    for span in spans {
        let w = span.content.width();
        if w < left {
            left -= w;
            kept.push(span);
            continue;
        }
        // This span holds the cut: its part that fits, then the ellipsis.
        kept.push(Span::styled(cut(&span.content, left), span.style));
        break;
    }
    Line::from(kept)
}

/// `text` on at most two lines of `width` columns, broken at a space where
/// one is near, the rest cut with an ellipsis.
pub fn wrap_two(text: &str, width: usize) -> Vec<String> {
    if text.width() <= width || width < 8 {
        return vec![fit(text, width)];
    }
    let mut used = 0;
    let mut split = 0;
    let mut last_space = None;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        split = i + c.len_utf8();
        if c == ' ' {
            last_space = Some(i);
        }
    }
    let split = match last_space {
        Some(at) if at > width / 2 => at,
        _ => split,
    };
    let (first, rest) = text.split_at(split);
    vec![first.to_owned(), fit(rest.trim_start(), width)]
}

/// `text` padded with spaces to `width` columns, or cut with an ellipsis.
pub fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let room = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(room))
}

/// The line above a filterable list: the filter while there is one, else `idle`.
pub fn filter_line<T>(
    model: &Model,
    list: &FilteredList<T>,
    prefix: &str,
    idle: String,
) -> Line<'static> {
    let keymap = &model.session.keymap;
    if !list.filter_shown() {
        return Line::from(format!("{prefix}{idle}")).style(model.session.theme.muted);
    }
    let keep = keymap.key_of(Scope::Filter, Action::Select);
    let clear = keymap.key_of(Scope::Filter, Action::Back);
    let busy = if list.ranking().is_some() { " ⋯" } else { "" };
    let state = if list.filtering {
        format!("▏{busy} ({keep} keeps, {clear} clears)")
    } else {
        format!("  ({} clears)", keymap.key_of(Scope::Global, Action::Back))
    };
    // An exact filter says so: the same text means something else fuzzy.
    let mode = if list.exact_filter().is_some() {
        "filter (exact, any case): "
    } else {
        "filter: "
    };
    Line::from(vec![
        Span::raw(format!("{prefix}{mode}")),
        Span::styled(list.filter().to_owned(), Style::new().bold()),
        Span::raw(state),
    ])
}

/// `▲` or `▼` after the title of the column `sort` orders by.
pub fn sorted_title(title: &str, column: SortColumn, sort: Option<Sort>) -> String {
    match sort {
        Some(s) if s.column == column && s.descending => format!("{title} ▼"),
        Some(s) if s.column == column => format!("{title} ▲"),
        _ => title.to_owned(),
    }
}

/// A count as terminal rows: a server can report more things than a screen
/// has rows, and the arithmetic must saturate rather than overflow.
pub fn rows(count: usize) -> u16 {
    u16::try_from(count).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_columns_and_marks_the_cut() {
        assert_eq!(fit("Reception", 20), "Reception");
        assert_eq!(fit("Reception NL", 6), "Recep…");
        // Each of these takes two columns: three of them and the ellipsis fill 7.
        assert_eq!(fit("受付受付受付", 7), "受付受…");
        assert_eq!(pad("受付", 6), "受付  ");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn a_line_of_spans_is_cut_where_it_overflows() {
        let line = fit_line(vec![Span::raw("ab"), Span::raw("cdef")], 4);
        assert_eq!(line.to_string(), "abc…");
        assert_eq!(fit_line(vec![Span::raw("ab")], 4).to_string(), "ab");
    }

    #[test]
    fn two_lines_break_at_a_space_and_end_in_an_ellipsis() {
        let lines = wrap_two(
            "Could not save the key: the server is not answering at all",
            24,
        );
        assert_eq!(lines[0], "Could not save the key:");
        assert!(
            lines[1].ends_with('…') && lines[1].starts_with("the server"),
            "{lines:?}"
        );
    }
}

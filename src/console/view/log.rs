//! The activity log view: the session's calls, newest last, one row each
//! (a mark, time, method, status, latency, route), routine reads counted
//! on one row per kind (`activity/rows.rs`); a failure's message in full
//! beneath its row, wrapped; the selected call's request id and profile;
//! the filter above them while it is shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use super::widgets::{filter_line, fit};
use crate::console::activity::{ActivityLog, LogRow, is_write};
use crate::console::app::Model;
use crate::console::keymap::{Action, Scope};

pub fn draw(log: &ActivityLog, model: &Model, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let close = model.session.keymap.key_of(Scope::Log, Action::Back);
    let filter = model.session.keymap.key_of(Scope::Log, Action::Filter);
    let block = Block::bordered()
        .title(format!(
            " Activity log · {} calls · times UTC · {filter} filters · {close} closes ",
            log.entries.len()
        ))
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(why) = &log.file_error {
        for part in wrap(&format!("The log file is not written: {why}"), width) {
            lines.push(Line::from(part).fg(Color::Red));
        }
    }
    if log.dropped > 0 {
        lines.push(
            Line::from(format!(
                "{} older calls are only in the log file",
                log.dropped
            ))
            .dim(),
        );
    }
    let rows = &log.rows;
    if rows.filter_shown() {
        lines.push(filter_line(model, rows, "", String::new()));
    }
    if log.entries.is_empty() {
        lines.push(Line::from("No calls yet.").dim());
    } else if rows.visible().is_empty() {
        lines.push(Line::from(format!("No call matches {:?}.", rows.filter())).dim());
    }
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let shown: Vec<&LogRow> = rows.shown().collect();
    let drawn = |i: usize| row_lines(shown[i], i == rows.selected(), width);
    let start = first_shown(log, room, |i| drawn(i).len());
    for i in start..shown.len() {
        if lines.len() >= usize::from(inner.height) {
            break;
        }
        lines.extend(drawn(i));
    }
    lines.truncate(usize::from(inner.height));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The first entry to draw: the model's offset, moved on as far as needed
/// for the selected entry to fit whole (or start on screen, if it is
/// taller than the room), and back while older entries fit below it.
fn first_shown(log: &ActivityLog, room: usize, height: impl Fn(usize) -> usize) -> usize {
    let count = log.rows.visible().len();
    if count == 0 {
        return 0;
    }
    let selected = log.rows.selected().min(count - 1);
    let mut start = log.rows.offset().min(selected);
    while start < selected && (start..=selected).map(&height).sum::<usize>() > room {
        start += 1;
    }
    // Room left below the newest row is given to older ones instead, so
    // a short log is shown whole.
    let mut used: usize = (start..count).map(&height).sum();
    while start > 0 && used + height(start - 1) <= room {
        start -= 1;
        used += height(start);
    }
    start
}

/// A failure is marked `!` and red, a write `+` and bold, so neither is
/// missed among the reads; a row of many reads says how many.
fn row_lines(row: &LogRow, selected: bool, width: usize) -> Vec<Line<'static>> {
    let entry = &row.entry;
    let (mark, mark_style) = if entry.failed() {
        ("! ", Style::new().fg(Color::Red).bold())
    } else if is_write(entry) {
        ("+ ", Style::new().fg(Color::Yellow).bold())
    } else {
        ("  ", Style::new())
    };
    let status_style = if entry.failed() {
        Style::new().fg(Color::Red).bold()
    } else {
        Style::new().fg(Color::Green)
    };
    let mut row_style = if selected {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    };
    if is_write(entry) {
        row_style = row_style.add_modifier(Modifier::BOLD);
    }
    let time = clock(entry.at);
    let ms = format!("{} ms", entry.latency.as_millis());
    let head = format!("{time}  {:<6} ", entry.method);
    let outcome = format!("{:<9}", entry.outcome());
    let tail = format!(" {ms:>8}  ");
    let count = match row.count {
        1 => String::new(),
        // The row's time is the latest call's; the first's, to the second, follows the count.
        n => format!(" ×{n} since {}", &clock(row.first_at)[..8]),
    };
    let used = mark.len() + head.len() + outcome.len() + tail.len() + count.chars().count();
    let target = fit(&entry.target(), width.saturating_sub(used));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(mark, mark_style),
            Span::raw(head),
            Span::styled(outcome, status_style),
            Span::raw(tail),
            Span::raw(target),
            Span::raw(count),
        ])
        .style(row_style),
    ];
    if selected {
        let id = entry.request_id.as_deref().unwrap_or("none");
        let detail = format!("    request id {id} · profile {}", entry.profile);
        lines.push(Line::from(fit(&detail, width)).dim());
    }
    if let Some(error) = &entry.error {
        let indent = "    ";
        for part in wrap(error, width.saturating_sub(indent.len()).max(1)) {
            lines.push(Line::from(format!("{indent}{part}")).fg(Color::Red));
        }
    }
    lines
}

/// `18:04:05.123`, UTC.
fn clock(at: std::time::SystemTime) -> String {
    let at = time::OffsetDateTime::from(at);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    )
}

/// `text` in lines of at most `width` columns, broken at spaces where it
/// can be and inside a word where it must. Control characters become `?`
/// so nothing in a message can move the cursor.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word: String = word
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let word_width: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used > 0 && used + 1 + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_words_are_broken_and_spaces_preferred() {
        assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("a\u{1b}[2J", 10), ["a?[2J"]);
        assert_eq!(wrap("", 4), [""]);
    }
}

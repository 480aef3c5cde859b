//! What the editor says of a JSON edit it could not take: each problem by
//! place (JSON path and the form's label, or line and column), and that
//! the user's text is kept. The view draws these lines; the mouse's hit
//! test needs their height, so they live with the editor, not the view.

use ratatui::style::{Color, Style};
use ratatui::text::Line;

use super::Editor;
use crate::console::keymap::{Action, Keymap, Scope};

/// At most this many problems are listed; the rest are counted.
const LISTED: usize = 4;

/// The lines it takes at `width`, wrapped: none without a JSON edit to speak of.
pub fn height(editor: &Editor, keymap: &Keymap, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    lines(editor, keymap)
        .iter()
        .map(|l| l.width().div_ceil(width).max(1) as u16)
        .sum()
}

pub fn lines(editor: &Editor, keymap: &Keymap) -> Vec<Line<'static>> {
    let edit = &editor.json_edit;
    let red = Style::new().fg(Color::Red);
    let mut lines: Vec<Line> = edit
        .problems
        .iter()
        .take(LISTED)
        .map(|p| {
            let place = p.place();
            let text = if place.is_empty() {
                format!("✗ JSON: {}", p.message)
            } else {
                format!("✗ JSON {place}: {}", p.message)
            };
            Line::styled(text, red)
        })
        .collect();
    if edit.problems.len() > LISTED {
        let more = edit.problems.len() - LISTED;
        lines.push(Line::styled(format!("✗ JSON: {more} more"), red));
    }
    if edit.kept.is_some() {
        lines.push(Line::styled(
            format!(
                "ℹ Your JSON edit is kept: {} reopens it, {} discards it",
                keymap.key_of(Scope::Editor, Action::EditJson),
                keymap.key_of(Scope::Editor, Action::DiscardJsonEdit)
            ),
            Style::new().fg(Color::Yellow),
        ));
    }
    lines
}

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::widgets::{centered, rows, scroll_offset};
use crate::console::app::{Confirm, Model};
use crate::console::keymap::{Action, Scope};
use crate::console::picker::Picker;

pub fn confirm(confirm: &Confirm, model: &Model, frame: &mut Frame, area: Rect) {
    let keymap = &model.session.keymap;
    let width = 64.min(area.width);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    // Sized for the wrapped text; the answer keys sit in the border so a
    // long question can never push them out of sight.
    let wrapped: usize = confirm
        .lines
        .iter()
        .map(|l| l.width().div_ceil(inner_width).max(1))
        .sum();
    let lines: Vec<Line> = confirm
        .lines
        .iter()
        .map(|l| Line::from(l.as_str()))
        .collect();
    let popup = centered(area, width, rows(wrapped).saturating_add(2));
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(format!(" {} ", confirm.title))
        .title_bottom(
            Line::from(format!(
                " {} yes · {} no ",
                keymap.key_of(Scope::Confirm, Action::Yes),
                keymap.key_of(Scope::Confirm, Action::Back)
            ))
            .bold()
            .right_aligned(),
        )
        .border_style(model.session.theme.warn);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        popup,
    );
}

pub fn picker(picker: &Picker, model: &Model, frame: &mut Frame, area: Rect) {
    let keymap = &model.session.keymap;
    let popup = centered(area, 40, 16);
    frame.render_widget(Clear, popup);
    let height = popup.height.saturating_sub(3) as usize;
    let list = &picker.list;
    let mut lines = vec![Line::from(format!("filter: {}▏", list.filter())).bold()];
    let offset = scroll_offset(list.selected(), height);
    lines.extend(
        list.shown()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, choice)| {
                let line = Line::from(choice.label.as_str());
                if i == list.selected() {
                    line.style(model.session.theme.selection)
                } else {
                    line
                }
            }),
    );
    let block = Block::bordered()
        .title(format!(" {} ", picker.title))
        .title_bottom(
            Line::from(format!(
                " {} choose · {} cancel ",
                keymap.key_of(Scope::Picker, Action::Select),
                keymap.key_of(Scope::Picker, Action::Back)
            ))
            .right_aligned(),
        );
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

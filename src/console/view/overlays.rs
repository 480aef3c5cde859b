use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::widgets::{centered, fit, rows, scroll_offset};
use crate::console::app::{Confirm, Model};
use crate::console::focus::{EditorPart, Focus};
use crate::console::keymap::{Action, Scope};
use crate::console::picker::Picker;

/// Every key of what has the focus under the help overlay; a read-only
/// session is not told about writes it cannot make. More than fits scrolls.
pub fn help(model: &Model, under: Focus, frame: &mut Frame, area: Rect) {
    let (width, lines) = help_lines(model, under, area);
    let popup = centered(area, width, rows(lines.len()).saturating_add(2));
    let shown = usize::from(popup.height.saturating_sub(2));
    let offset = model
        .server
        .help_scroll
        .min(lines.len().saturating_sub(shown));
    let title = if lines.len() > shown {
        format!(
            " Keys {}–{} of {} — ↑/↓ PgUp/PgDn scroll · any other key closes ",
            offset + 1,
            offset + shown,
            lines.len()
        )
    } else {
        " Keys — any key closes ".to_owned()
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(title)
        .border_style(model.session.theme.accent);
    frame.render_widget(
        Paragraph::new(lines).scroll((rows(offset), 0)).block(block),
        popup,
    );
}

/// How many of help's rows do not fit in `area`: how far it can scroll.
pub fn help_hidden_rows(model: &Model, under: Focus, area: Rect) -> usize {
    let (_, lines) = help_lines(model, under, area);
    lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(2)))
}

/// Help's width and rows in `area`, before any scrolling.
fn help_lines(model: &Model, under: Focus, area: Rect) -> (u16, Vec<Line<'static>>) {
    let mut entries: Vec<(String, &str)> = model
        .session
        .keymap
        .entries(under.scopes(), |a| !model.offers(a))
        .into_iter()
        .map(|e| (e.label, e.help))
        .collect();
    // `:help` closed the command line: its keys are listed after the
    // screen's, then what it runs.
    if model.server.help_commands && under != Focus::Command {
        entries.extend(
            model
                .session
                .keymap
                .entries(&[Scope::Command], |a| !model.offers(a))
                .into_iter()
                .map(|e| (e.label, e.help)),
        );
    }
    if under == Focus::Command || model.server.help_commands {
        entries.extend(super::command::help_entries(model.read_only()));
    }
    // The text areas' own editing keys (ratatui-textarea), which no binding names.
    let text_keys = !model.read_only()
        && matches!(
            under,
            Focus::Editor(EditorPart::Fields | EditorPart::Messages)
        );
    let legend = super::assistants::legend_for(under);
    let one_column = usize::from(72.min(area.width).saturating_sub(2));
    let legend_rows = super::assistants::legend_lines(&legend, one_column).len();
    let extra = if text_keys { 2 } else { 0 } + legend_rows;
    // One column while it fits; two, with shorter texts, on small screens.
    let columns = if entries.len() + extra + 2 > usize::from(area.height) {
        2
    } else {
        1
    };
    let row_count = entries.len().div_ceil(columns);
    let width = if columns == 1 {
        72.min(area.width)
    } else {
        area.width
    };
    let column_width = usize::from(width.saturating_sub(2)) / columns;
    // Commands (`:models [provider]`) are longer than keys: the column grows for them.
    let label_width = entries
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 20);
    let cell = |(label, help): &(String, &str)| {
        fit(
            &format!("{label:>label_width$}  {help}"),
            column_width.saturating_sub(1),
        )
    };
    let mut lines: Vec<Line> = (0..row_count)
        .map(|row| {
            let left = entries.get(row).map(cell).unwrap_or_default();
            let right = if columns == 2 {
                entries.get(row + row_count).map(cell).unwrap_or_default()
            } else {
                String::new()
            };
            Line::from(format!("{left:<column_width$}{right}"))
        })
        .collect();
    if text_keys {
        lines.push(
            Line::from(fit(
                "In text: ←/→ Home/End · C-w delete word · C-k delete to end · C-u undo",
                usize::from(width) - 2,
            ))
            .style(model.session.theme.muted),
        );
        lines.push(
            Line::from(fit(
                "Paste with your terminal; messages keep pasted line breaks.",
                usize::from(width) - 2,
            ))
            .style(model.session.theme.muted),
        );
    }
    let legend_width = usize::from(width.saturating_sub(2));
    lines.extend(
        super::assistants::legend_lines(&legend, legend_width)
            .into_iter()
            .map(|l| Line::from(l).style(model.session.theme.muted)),
    );
    (width, lines)
}

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

//! The speech settings' rows: what each holds, or the platform default,
//! and always its range as the catalog states it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

use super::editor::EditorView;
use crate::console::editor::{Editor, Field, SPEECH_SETTINGS, range_of};

/// A speech setting as typed, or the platform's default, with its range.
pub(super) fn value(editor: &Editor, ctx: &EditorView, index: usize) -> String {
    let typed = editor.speech.typed(index);
    let shown = if typed.is_empty() {
        "platform default".to_owned()
    } else {
        typed
    };
    match range_of(ctx.cat, &SPEECH_SETTINGS[index]) {
        range if range.is_empty() => shown,
        range => format!("{shown} · {range}"),
    }
}

/// For a focused speech setting, draws its range at the right of `line`
/// and returns what is left for the text; other fields keep the whole line.
pub(super) fn range_beside(ctx: &EditorView, field: Field, frame: &mut Frame, line: Rect) -> Rect {
    let Field::Speech(index) = field else {
        return line;
    };
    let range = range_of(ctx.cat, &SPEECH_SETTINGS[usize::from(index)]);
    if range.is_empty() {
        return line;
    }
    let width = u16::try_from(range.width() + 3).unwrap_or(u16::MAX);
    let [text, beside] =
        Layout::horizontal([Constraint::Min(8), Constraint::Length(width)]).areas(line);
    frame.render_widget(Span::styled(format!(" · {range}"), ctx.theme.muted), beside);
    text
}

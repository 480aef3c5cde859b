//! Where the editor's form and each of its fields go, for the view and
//! for a click on a field.

use ratatui::layout::{Constraint, Layout, Margin, Rect};

use super::wrap;
use crate::console::checks::{KeyChecks, voice_missing};
use crate::console::editor::{Editor, Field, text_of};

/// The field names' column; the values take the rest.
pub const LABEL_WIDTH: u16 = 16;

/// What starts the line of a TTS model's settings; its wrap goes on under them.
pub const TAKES: &str = "takes ";

/// Inner widths from this on show the form and the JSON side by side.
pub const WIDE: u16 = 100;

/// The form inside the editor's border, where it shows (not in the preview).
pub fn form(editor: &Editor, body: Rect) -> Option<Rect> {
    let inner = body.inner(Margin::new(1, 1));
    if editor.preview {
        None
    } else if inner.width >= WIDE {
        let [form, _] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(inner);
        Some(form)
    } else {
        Some(inner)
    }
}

/// The form's parts: the fields, the note under them, the message being
/// edited, the notice of a JSON edit kept, the status lines.
pub struct FormAreas {
    pub fields: Rect,
    pub note: Rect,
    pub editing: Rect,
    pub json_edit: Rect,
    pub status: Rect,
}

/// `json_edit` is the height of the kept JSON edit's notice (0 without one).
pub fn form_areas(
    editor: &Editor,
    checks: &KeyChecks,
    area: Rect,
    has_status: bool,
    json_edit: u16,
) -> FormAreas {
    let editing = if editor.in_messages {
        6.min(area.height / 2)
    } else {
        0
    };
    // The note wraps to a second line where there is room for one.
    let note = match area.height {
        h if h >= 16 => 2,
        h if h >= 14 => 1,
        _ => 0,
    };
    let status = if has_status { 2 } else { 0 };
    let all_fields: u16 = Field::ALL
        .iter()
        .map(|f| field_height(editor, checks, *f, area.width))
        .sum();
    let [fields, note, editing, json_edit, status, _] = Layout::vertical([
        Constraint::Max(all_fields),
        Constraint::Length(note),
        Constraint::Length(editing),
        Constraint::Length(json_edit),
        Constraint::Length(status),
        Constraint::Min(0),
    ])
    .areas(area);
    FormAreas {
        fields,
        note,
        editing,
        json_edit,
        status,
    }
}

/// Whether the form has a status line: a problem, a notice or a warning.
pub fn has_status(editor: &Editor) -> bool {
    let checked = &editor.derived.checked;
    editor.server_error.is_some()
        || checked.error.is_some()
        || editor.notice.is_some()
        || !checked.warnings.is_empty()
}

/// A field's rows in a form `width` columns wide.
pub fn field_height(editor: &Editor, checks: &KeyChecks, field: Field, width: u16) -> u16 {
    match field {
        Field::Messages => editor.messages.len().clamp(1, 4) as u16,
        // A chosen model gets a second line: the key it runs on, what it takes.
        Field::SttModel if editor.stt.is_some() => 2,
        Field::LlmModel if editor.llm.is_some() => 2,
        Field::TtsModel if editor.tts.is_some() => {
            let settings = &editor.derived.tts_settings;
            let takes = if settings.is_empty() {
                0
            } else {
                detail_lines(&format!("{TAKES}{settings}"), value_width(width)).len()
            };
            2 + u16::try_from(takes).unwrap_or(u16::MAX)
        }
        Field::VoiceId if voice_warned(editor, checks) => 2,
        _ => 1,
    }
}

/// The value column of a form `width` columns wide.
pub fn value_width(width: u16) -> u16 {
    width.saturating_sub(LABEL_WIDTH)
}

/// A line under a value, wrapped to `width`: a TTS model's settings go on
/// under the first of them; other details are one line.
pub fn detail_lines(detail: &str, width: u16) -> Vec<String> {
    if detail.starts_with(TAKES) {
        wrap::indented(detail, usize::from(width), TAKES.len())
    } else {
        vec![detail.to_owned()]
    }
}

/// Whether the voice typed is missing from its provider's library.
pub fn voice_warned(editor: &Editor, checks: &KeyChecks) -> bool {
    voice_missing(editor.tts_provider(), &text_of(&editor.voice_id), checks).is_some()
}

/// The fields on screen and their rows, scrolled so the focused one is
/// always shown.
pub fn field_rows(editor: &Editor, checks: &KeyChecks, area: Rect) -> Vec<(Field, Rect)> {
    let focus = Field::ALL
        .iter()
        .position(|f| *f == editor.focus)
        .unwrap_or(0);
    let mut first = 0;
    while first < focus
        && Field::ALL[first..=focus]
            .iter()
            .map(|f| field_height(editor, checks, *f, area.width))
            .sum::<u16>()
            > area.height
    {
        first += 1;
    }
    let mut rows = Vec::new();
    let mut y = area.y;
    for field in &Field::ALL[first..] {
        let height =
            field_height(editor, checks, *field, area.width).min(area.bottom().saturating_sub(y));
        if height == 0 {
            break;
        }
        rows.push((*field, Rect { y, height, ..area }));
        y += height;
    }
    rows
}

/// Every field's row as the editor in `body` draws it; `json_edit` as for
/// `form_areas`, of the form's width.
pub fn fields_in(
    editor: &Editor,
    checks: &KeyChecks,
    body: Rect,
    json_edit: impl Fn(u16) -> u16,
) -> Vec<(Field, Rect)> {
    let Some(form) = form(editor, body) else {
        return Vec::new();
    };
    let areas = form_areas(
        editor,
        checks,
        form,
        has_status(editor),
        json_edit(form.width),
    );
    field_rows(editor, checks, areas.fields)
}

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::widgets::spinner;
use crate::console::editor::{Editor, Field, text_of};
use crate::console::keymap::{Action, Keymap, Scope};
use crate::domain::Catalog;
use crate::domain::validate::Authority;

const LABEL_WIDTH: u16 = 15;
const WIDE: u16 = 100;

pub fn draw(
    editor: &Editor,
    keymap: &Keymap,
    cat: &Catalog,
    authority: Authority,
    spinner_frame: usize,
    frame: &mut Frame,
    area: Rect,
) {
    // Reading the form as a draft is the costly part of a frame: once here.
    let dirty = editor.is_dirty();
    let modified = if dirty { " •modified" } else { "" };
    let title = match &editor.original {
        Some(a) => format!(" Edit {}{modified} ", a.name),
        None => format!(" New assistant{modified} "),
    };
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(save_hint(editor, keymap, spinner_frame)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if editor.preview {
        draw_preview(editor, frame, inner);
    } else if inner.width >= WIDE {
        let [form, preview] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(inner);
        draw_form(editor, keymap, dirty, cat, authority, frame, form);
        draw_preview(editor, frame, preview);
    } else {
        draw_form(editor, keymap, dirty, cat, authority, frame, inner);
    }
}

fn save_hint(editor: &Editor, keymap: &Keymap, spinner_frame: usize) -> String {
    match editor.saving {
        Some(_) => format!(" {} saving… ", spinner(spinner_frame)),
        None => {
            let k = |action| keymap.key_of(Scope::Editor, action);
            format!(
                " {} save · {} leave · {} JSON ",
                k(Action::Save),
                k(Action::Back),
                k(Action::TogglePreview)
            )
        }
    }
}

fn draw_form(
    editor: &Editor,
    keymap: &Keymap,
    dirty: bool,
    cat: &Catalog,
    authority: Authority,
    frame: &mut Frame,
    area: Rect,
) {
    // A blank new form is not an error yet; it becomes one once touched or saved.
    let problem = editor
        .server_error
        .clone()
        .or_else(|| dirty.then(|| editor.validation(cat, authority)).flatten());
    let editing = if editor.in_messages {
        6.min(area.height / 2)
    } else {
        0
    };
    let note = u16::from(area.height >= 14);
    let status = if problem.is_some() || editor.notice.is_some() {
        2
    } else {
        0
    };
    let all_fields: u16 = Field::ALL.iter().map(|f| field_height(editor, *f)).sum();
    let [fields, note_area, editing_area, status_area, _] = Layout::vertical([
        Constraint::Max(all_fields),
        Constraint::Length(note),
        Constraint::Length(editing),
        Constraint::Length(status),
        Constraint::Min(0),
    ])
    .areas(area);
    let problem_field = problem.as_ref().and_then(|p| Field::for_param(&p.param));
    let choice_hint = format!(
        "  {} choose · {} default",
        keymap.key_of(Scope::Editor, Action::Select),
        keymap.key_of(Scope::Editor, Action::ClearChoice)
    );
    draw_fields(editor, &choice_hint, problem_field, frame, fields);
    let note_text = "  ElevenLabs: only voices in your Voice Library work";
    frame.render_widget(Line::from(note_text).dim(), note_area);
    if editor.in_messages {
        draw_message_editor(editor, keymap, frame, editing_area);
    }
    if let Some(problem) = problem {
        let color = if editor.conflict {
            Color::Magenta
        } else {
            Color::Red
        };
        // The field as the form names it, not the JSON path.
        let label = Field::for_param(&problem.param)
            .map(|f| format!("{}: ", f.label()))
            .unwrap_or_default();
        let line = Line::styled(
            format!("✗ {label}{}", problem.message),
            Style::new().fg(color),
        );
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status_area);
    } else if let Some(notice) = &editor.notice {
        let line = Line::styled(format!("ℹ {notice}"), Style::new().fg(Color::Yellow));
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status_area);
    }
}

fn field_height(editor: &Editor, field: Field) -> u16 {
    if field == Field::Messages {
        editor.messages.len().clamp(1, 4) as u16
    } else {
        1
    }
}

/// The fields, scrolled so the focused one is always on screen.
fn draw_fields(
    editor: &Editor,
    choice_hint: &str,
    problem_field: Option<Field>,
    frame: &mut Frame,
    area: Rect,
) {
    let focus = Field::ALL
        .iter()
        .position(|f| *f == editor.focus)
        .unwrap_or(0);
    let mut first = 0;
    while first < focus
        && Field::ALL[first..=focus]
            .iter()
            .map(|f| field_height(editor, *f))
            .sum::<u16>()
            > area.height
    {
        first += 1;
    }
    let mut y = area.y;
    for field in &Field::ALL[first..] {
        let height = field_height(editor, *field).min(area.bottom().saturating_sub(y));
        if height == 0 {
            break;
        }
        let row = Rect { y, height, ..area };
        draw_field(
            editor,
            *field,
            choice_hint,
            problem_field == Some(*field),
            frame,
            row,
        );
        y += height;
    }
}

fn value_of(editor: &Editor, field: Field) -> String {
    let or_default =
        |v: Option<&str>| v.map_or_else(|| "platform default".to_owned(), str::to_owned);
    match field {
        Field::Name => text_of(&editor.name),
        Field::FirstMessage => text_of(&editor.first_message),
        Field::Temperature => text_of(&editor.temperature),
        Field::VoiceId => text_of(&editor.voice_id),
        Field::SttModel => or_default(editor.stt.as_ref().and_then(|s| s.model.as_deref())),
        Field::SttLanguage => match &editor.stt {
            None => "platform default".into(),
            Some(s) => s.language.clone().unwrap_or_else(|| "model default".into()),
        },
        Field::LlmModel => or_default(editor.llm.as_ref().and_then(|l| l.model.as_deref())),
        Field::TtsModel => match &editor.tts {
            None => "platform default".into(),
            Some(t) => t.model.clone().unwrap_or_else(|| "provider default".into()),
        },
        Field::Messages => String::new(),
    }
}

fn draw_field(
    editor: &Editor,
    field: Field,
    choice_hint: &str,
    has_problem: bool,
    frame: &mut Frame,
    area: Rect,
) {
    let focused = editor.focus == field && !editor.in_messages;
    let [label, value] =
        Layout::horizontal([Constraint::Length(LABEL_WIDTH), Constraint::Min(0)]).areas(area);
    let mark = if has_problem {
        "✗"
    } else if focused {
        "▶"
    } else {
        " "
    };
    let mut label_style = if focused {
        Style::new().bold().fg(Color::Cyan)
    } else {
        Style::new()
    };
    if has_problem {
        label_style = label_style.fg(Color::Red);
    }
    frame.render_widget(
        Span::styled(format!("{mark}{}", field.label()), label_style),
        label,
    );
    if field == Field::Messages {
        return draw_messages_summary(editor, frame, value);
    }
    let text_area = match field {
        Field::Name => Some(&editor.name),
        Field::FirstMessage => Some(&editor.first_message),
        Field::Temperature => Some(&editor.temperature),
        Field::VoiceId => Some(&editor.voice_id),
        _ => None,
    };
    match text_area {
        Some(area_widget) if focused => frame.render_widget(area_widget, value),
        _ => {
            let hint = if !field.is_text() && focused {
                choice_hint
            } else {
                ""
            };
            let line = Line::from(vec![
                Span::raw(value_of(editor, field)),
                Span::styled(hint, Style::new().dim()),
            ]);
            frame.render_widget(line, value);
        }
    }
}

fn draw_messages_summary(editor: &Editor, frame: &mut Frame, area: Rect) {
    if editor.messages.is_empty() {
        let hint = if editor.focus == Field::Messages {
            "none · Enter adds a system prompt"
        } else {
            "none"
        };
        return frame.render_widget(Line::from(hint).dim(), area);
    }
    let lines: Vec<Line> = editor
        .messages
        .iter()
        .enumerate()
        .take(area.height as usize)
        .map(|(i, m)| {
            let first = text_of(&m.content).lines().next().unwrap_or("").to_owned();
            let line = Line::from(format!("{}: {first}", m.role));
            if editor.in_messages && i == editor.message_index {
                line.reversed()
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_message_editor(editor: &Editor, keymap: &Keymap, frame: &mut Frame, area: Rect) {
    let Some(message) = editor.messages.get(editor.message_index) else {
        return;
    };
    let k = |action| keymap.key_of(Scope::Messages, action);
    let title = format!(
        " Message {}/{} · {} · {} role · {} new · {} del · {} ",
        editor.message_index + 1,
        editor.messages.len(),
        message.role,
        k(Action::CycleRole),
        k(Action::AddMessage),
        k(Action::RemoveMessage),
        k(Action::Back),
    );
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&message.content, inner);
}

fn draw_preview(editor: &Editor, frame: &mut Frame, area: Rect) {
    let (method, text) = match (&editor.original, editor.request_body()) {
        (_, Err(e)) => (String::new(), format!("not valid yet: {e}")),
        (None, Ok(body)) => ("POST /api/v1/assistants".into(), pretty(&body)),
        (Some(a), Ok(body)) => {
            let if_match = editor
                .etag
                .as_deref()
                .map(|e| format!("\nIf-Match: {e}"))
                .unwrap_or_default();
            (
                format!("PATCH /api/v1/assistants/{}{if_match}", a.id),
                pretty(&body),
            )
        }
    };
    let title = if editor.preview {
        " Request body (read-only) — ↑/↓ PgUp/PgDn scroll · Esc close "
    } else {
        " Request body (read-only) · C-p to scroll "
    };
    let block = Block::bordered()
        .title(title)
        .border_style(Style::new().dim());
    let text = if method.is_empty() {
        text
    } else {
        format!("{method}\n\n{text}")
    };
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .scroll((
                if editor.preview {
                    editor.preview_scroll
                } else {
                    0
                },
                0,
            ))
            .block(block),
        area,
    );
}

fn pretty(body: &crate::domain::AssistantDraft) -> String {
    serde_json::to_string_pretty(body).unwrap_or_else(|e| format!("cannot show the body: {e}"))
}

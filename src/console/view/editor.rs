use crate::domain::text::one_line;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::editor_speech;
use super::editor_values::{value_of, voice_note};
use super::widgets::spinner;
use crate::console::checks::KeyChecks;
use crate::console::editor::{Editor, Field, json_notice, text_of};
use crate::console::format::short_time;
use crate::console::keymap::{Action, Keymap, Scope};
use crate::console::layout::editor as layout;
use crate::console::theme::Theme;
use crate::domain::{Assistant, ByokState, Catalog, FieldError};

/// What the editor's frame reads besides the editor itself.
pub struct EditorView<'a> {
    pub keymap: &'a Keymap,
    /// A read-only session: the form is shown, nothing in it is offered.
    pub read_only: bool,
    pub cat: &'a Catalog,
    /// Which keys are set, to say whether each chosen model's key is.
    pub byok: Option<&'a ByokState>,
    /// This session's key checks and the voice libraries they listed.
    pub checks: &'a KeyChecks,
    pub spinner: usize,
    pub theme: &'a Theme,
}

use layout::LABEL_WIDTH;
/// The voice note's lines start under its first word.
const NOTE_INDENT: usize = 2;

/// ` · updated 2026-11-26 09:30:00 UTC`: the full time the list gives as an age.
fn updated(a: &Assistant) -> String {
    a.updated_at
        .as_deref()
        .map_or_else(String::new, |at| format!(" · updated {}", short_time(at)))
}

pub fn draw(editor: &Editor, ctx: &EditorView, frame: &mut Frame, area: Rect) {
    let _keymap = ctx.keymap;
    let dirty = editor.derived.dirty;
    let modified = if dirty { " •modified" } else { "" };
    let title = match (&editor.original, ctx.read_only) {
        (Some(a), true) => format!(" {} (read-only){} ", one_line(&a.name), updated(a)),
        (Some(a), false) => format!(" Edit {}{modified}{} ", one_line(&a.name), updated(a)),
        (None, _) => format!(" New assistant{modified} "),
    };
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(save_hint(editor, ctx)).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    match layout::form(editor, area) {
        None => draw_preview(editor, ctx, frame, inner),
        Some(form) if form.width < inner.width => {
            let preview = Rect {
                x: form.right(),
                width: inner.right().saturating_sub(form.right()),
                ..inner
            };
            draw_form(editor, ctx, frame, form);
            draw_preview(editor, ctx, frame, preview);
        }
        Some(form) => draw_form(editor, ctx, frame, form),
    }
}

fn save_hint(editor: &Editor, ctx: &EditorView) -> String {
    let k = |action| ctx.keymap.key_of(Scope::Editor, action);
    match editor.saving {
        Some(_) => format!(" {} saving… ", spinner(ctx.spinner)),
        None if ctx.read_only => format!(
            " {} leave · {} JSON ",
            k(Action::Back),
            k(Action::TogglePreview)
        ),
        None => {
            format!(
                " {} save · {} leave · {} JSON ",
                k(Action::Save),
                k(Action::Back),
                k(Action::TogglePreview)
            )
        }
    }
}

fn draw_form(editor: &Editor, ctx: &EditorView, frame: &mut Frame, area: Rect) {
    let keymap = ctx.keymap;
    let checked = &editor.derived.checked;
    let problem = editor
        .server_error
        .clone()
        .or_else(|| checked.error.clone());
    // What only the server can refuse (its catalog is not ours): said, not blocked.
    let warning: Option<FieldError> = checked.warnings.first().cloned();
    let json_edit = json_notice::height(editor, keymap, area.width);
    let parts = layout::form_areas(
        editor,
        ctx.checks,
        area,
        problem.is_some() || editor.notice.is_some() || warning.is_some(),
        json_edit,
    );
    let (fields, note_area, editing_area, status_area) =
        (parts.fields, parts.note, parts.editing, parts.status);
    let notice = Paragraph::new(json_notice::lines(editor, keymap)).wrap(Wrap { trim: true });
    frame.render_widget(notice, parts.json_edit);
    let problem_field = problem.as_ref().and_then(|p| Field::for_param(&p.param));
    let choice_hint = if ctx.read_only {
        String::new()
    } else {
        format!(
            "  {} choose · {} default",
            keymap.key_of(Scope::Editor, Action::Select),
            keymap.key_of(Scope::Editor, Action::ClearChoice)
        )
    };
    let warned_field = warning.as_ref().and_then(|w| Field::for_param(&w.param));
    let marks = Marks {
        choice_hint: &choice_hint,
        problem: problem_field,
        warned: warned_field,
    };
    draw_fields(editor, ctx, &marks, frame, fields);
    let note: Vec<Line> = crate::console::layout::wrap::indented(
        &voice_note(editor, ctx),
        usize::from(note_area.width),
        NOTE_INDENT,
    )
    .into_iter()
    .map(|l| Line::from(l).style(ctx.theme.muted))
    .collect();
    frame.render_widget(Paragraph::new(note), note_area);
    if editor.in_messages {
        draw_message_editor(editor, ctx, frame, editing_area);
    }
    if let Some(problem) = problem {
        let style = if editor.conflict {
            ctx.theme.special
        } else {
            ctx.theme.error
        };
        // The field as the form names it, not the JSON path.
        let label = Field::for_param(&problem.param)
            .map(|f| format!("{}: ", f.label()))
            .unwrap_or_default();
        let line = Line::styled(format!("✗ {label}{}", problem.message), style);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status_area);
    } else if let Some(notice) = &editor.notice {
        let line = Line::styled(format!("ℹ {notice}"), ctx.theme.warn);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status_area);
    } else if let Some(warning) = warning {
        let label = Field::for_param(&warning.param)
            .map(|f| format!("{}: ", f.label()))
            .unwrap_or_default();
        let label = label.trim_end_matches(": ");
        let line = Line::styled(
            format!(
                "⚠ {label} (the server decides; saving is allowed): {}",
                warning.message
            ),
            ctx.theme.warn,
        );
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status_area);
    }
}

/// Which fields the status line is about.
struct Marks<'a> {
    choice_hint: &'a str,
    problem: Option<Field>,
    warned: Option<Field>,
}

/// The fields, scrolled so the focused one is always on screen.
fn draw_fields(editor: &Editor, ctx: &EditorView, marks: &Marks, frame: &mut Frame, area: Rect) {
    for (field, row) in layout::field_rows(editor, ctx.checks, area) {
        draw_field(editor, ctx, field, marks, frame, row);
    }
}

fn draw_field(
    editor: &Editor,
    ctx: &EditorView,
    field: Field,
    marks: &Marks,
    frame: &mut Frame,
    area: Rect,
) {
    let has_problem = marks.problem == Some(field);
    let warned = marks.warned == Some(field)
        || (field == Field::VoiceId && layout::voice_warned(editor, ctx.checks));
    let focused = editor.focus == field && !editor.in_messages;
    let [label, value] =
        Layout::horizontal([Constraint::Length(LABEL_WIDTH), Constraint::Min(0)]).areas(area);
    let mark = if has_problem {
        "✗"
    } else if warned {
        "⚠"
    } else if focused {
        "▶"
    } else {
        " "
    };
    let mut label_style = if focused {
        ctx.theme.accent.bold()
    } else {
        Style::new()
    };
    if has_problem {
        label_style = label_style.patch(ctx.theme.error);
    } else if warned {
        label_style = label_style.patch(ctx.theme.warn);
    }
    frame.render_widget(
        Span::styled(format!("{mark}{}", field.label()), label_style),
        label,
    );
    if field == Field::Messages {
        return draw_messages_summary(editor, ctx, frame, value);
    }
    let text_area = match field {
        Field::Name => Some(&editor.name),
        Field::FirstMessage => Some(&editor.first_message),
        Field::Temperature => Some(&editor.temperature),
        Field::VoiceId => Some(&editor.voice_id),
        Field::Speech(i) => editor.speech.areas.get(usize::from(i)),
        // Unfocused, the secret reads as its redaction; focused, the mask.
        other => other.hosted_name().and_then(|n| editor.hosted.area(n)),
    };
    match text_area {
        Some(area_widget) if focused => {
            let [line, below] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(value);
            let line = editor_speech::range_beside(ctx, field, frame, line);
            frame.render_widget(area_widget, line);
            // The text area fills one line; what is known of its value goes below.
            if let Some(detail) = value_of(editor, ctx, field)
                .split_once('\n')
                .map(|(_, d)| d.to_owned())
            {
                frame.render_widget(
                    Paragraph::new(Line::from(detail).style(ctx.theme.warn)),
                    below,
                );
            }
        }
        _ => {
            let hint = if !field.is_text() && focused {
                marks.choice_hint
            } else {
                ""
            };
            let text = value_of(editor, ctx, field);
            let mut parts = text.split('\n');
            let first = Span::raw(parts.next().unwrap_or("").to_owned());
            // A hint cut at the edge names a key that does something else ("Del de…"):
            // it shows whole or not at all.
            let hint = if first.width() + Span::raw(hint).width() <= usize::from(value.width) {
                hint
            } else {
                ""
            };
            let mut lines = vec![Line::from(vec![first, Span::styled(hint, ctx.theme.muted)])];
            // Details below a value (the key a model runs on) are quieter.
            lines.extend(
                parts
                    .flat_map(|p| layout::detail_lines(p, value.width))
                    .map(|p| Line::from(p).style(ctx.theme.muted)),
            );
            frame.render_widget(Paragraph::new(lines), value);
        }
    }
}

fn draw_messages_summary(editor: &Editor, ctx: &EditorView, frame: &mut Frame, area: Rect) {
    if editor.messages.is_empty() {
        let hint = if editor.focus == Field::Messages {
            "none · Enter adds a system prompt"
        } else {
            "none"
        };
        return frame.render_widget(Line::from(hint).style(ctx.theme.muted), area);
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
                line.style(ctx.theme.selection)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_message_editor(editor: &Editor, ctx: &EditorView, frame: &mut Frame, area: Rect) {
    let Some(message) = editor.messages.get(editor.message_index) else {
        return;
    };
    let k = |action| ctx.keymap.key_of(Scope::Messages, action);
    let title = if ctx.read_only {
        format!(
            " Message {}/{} · {} · {}/{} next · {} back ",
            editor.message_index + 1,
            editor.messages.len(),
            message.role,
            k(Action::PrevMessage),
            k(Action::NextMessage),
            k(Action::Back),
        )
    } else {
        format!(
            " Message {}/{} · {} · {} role · {} new · {} del · {} ",
            editor.message_index + 1,
            editor.messages.len(),
            message.role,
            k(Action::CycleRole),
            k(Action::AddMessage),
            k(Action::RemoveMessage),
            k(Action::Back),
        )
    };
    let block = Block::bordered()
        .title(title)
        .border_style(ctx.theme.accent);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(&message.content, inner);
}

fn draw_preview(editor: &Editor, ctx: &EditorView, frame: &mut Frame, area: Rect) {
    let (method, text) = match (&editor.original, &editor.derived.preview) {
        (_, Err(e)) => (String::new(), format!("not valid yet: {e}")),
        (None, Ok(body)) => ("POST /api/v1/assistants".into(), body.clone()),
        (Some(a), Ok(body)) => {
            let if_match = editor
                .etag
                .as_deref()
                .map(|e| format!("\nIf-Match: {e}"))
                .unwrap_or_default();
            (
                format!("PATCH /api/v1/assistants/{}{if_match}", a.id),
                body.clone(),
            )
        }
    };
    let k = |scope, action| ctx.keymap.key_of(scope, action);
    let title = if editor.preview {
        let keys = format!(
            "{}/{} {}/{} scroll · {} close",
            k(Scope::Preview, Action::Up),
            k(Scope::Preview, Action::Down),
            k(Scope::Preview, Action::PageUp),
            k(Scope::Preview, Action::PageDown),
            k(Scope::Preview, Action::Back)
        );
        // The keys matter more than the words around them on a narrow terminal.
        let room = usize::from(area.width.saturating_sub(2));
        [
            format!(" Request body (read-only) — {keys} "),
            format!(" Request body — {keys} "),
            format!(" {keys} "),
        ]
        .into_iter()
        .find(|t| t.width() <= room)
        .unwrap_or_else(|| format!(" {keys} "))
    } else {
        format!(
            " Request body (read-only) · {} to scroll ",
            k(Scope::Editor, Action::TogglePreview)
        )
    };
    let block = Block::bordered()
        .title(title)
        .border_style(ctx.theme.border);
    let text = if method.is_empty() {
        text
    } else {
        format!("{method}\n\n{text}")
    };
    // Wrapped here, between words and under each value, not by ratatui at column 0.
    let width = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = text
        .lines()
        .flat_map(|line| crate::console::layout::wrap::json_line(line, width))
        .map(Line::from)
        .collect();
    frame.render_widget(
        Paragraph::new(lines)
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

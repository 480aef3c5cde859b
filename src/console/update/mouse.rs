//! Clicks and the wheel, when the mouse is on (config.toml `mouse = true`
//! or `:mouse`). Every hit is found with the layout the view draws with
//! (`layout::screens`, `layout::editor`). A click selects; a click on what
//! is already selected acts on it as Enter does (opens an assistant,
//! chooses a model). The wheel moves the selection three rows.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::super::app::{Model, Remote, Screen, follow};
use super::super::context::Context;
use super::super::focus::{EditorPart, Focus};
use super::super::keymap::Action;
use super::super::layout::{self, editor as editor_layout, screens};
use super::super::msg::Cmd;

/// Rows the wheel moves a list by.
const WHEEL_ROWS: isize = 3;

pub fn on_mouse(model: &mut Model, cx: &Context, mouse: MouseEvent) -> Vec<Cmd> {
    let focus = Focus::of(model);
    let takes_mouse = matches!(
        focus,
        Focus::Screen(_) | Focus::Filter(_) | Focus::Editor(EditorPart::Fields)
    );
    if !cx.mouse || !takes_mouse {
        model.unchanged = true;
        return Vec::new();
    }
    let at = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => click(model, cx, focus, at),
        MouseEventKind::ScrollUp => wheel(model, focus, -WHEEL_ROWS),
        MouseEventKind::ScrollDown => wheel(model, focus, WHEEL_ROWS),
        _ => {
            model.unchanged = true;
            Vec::new()
        }
    }
}

fn whole(model: &Model) -> Rect {
    Rect::new(0, 0, model.size.0, model.size.1)
}

fn click(model: &mut Model, cx: &Context, focus: Focus, (x, y): (u16, u16)) -> Vec<Cmd> {
    let frame = screens::frame(model, whole(model));
    if let Focus::Editor(_) = focus {
        return click_field(model, cx, frame.body, (x, y));
    }
    // A click ends typing into the filter, as Enter does; the filter stays.
    if let Focus::Filter(_) = focus {
        stop_filtering(model);
    }
    if y == frame.header.y {
        let tab = screens::header(model, cx, frame.header.width).tab_at(x);
        return match tab {
            Some(screen) => super::keys::on_action(model, cx, screens::screen_action(screen)),
            None => Vec::new(),
        };
    }
    match model.screen {
        Screen::Assistants => click_assistant(model, cx, frame.body, (x, y)),
        Screen::Models => click_model(model, cx, frame.body, (x, y)),
        Screen::Providers => {
            click_provider(model, frame.body, (x, y));
            Vec::new()
        }
    }
}

fn stop_filtering(model: &mut Model) {
    model.assistants.list.filtering = false;
    model.models.list.filtering = false;
    model.providers.list.filtering = false;
}

fn click_assistant(model: &mut Model, cx: &Context, body: Rect, at: (u16, u16)) -> Vec<Cmd> {
    if !model.assistants.is_loaded() {
        return Vec::new();
    }
    let rows = screens::assistants(body).rows;
    let list = &mut model.assistants.list;
    let offset = follow(list.offset(), list.selected(), usize::from(rows.height));
    let Some(row) = screens::row_at(rows, offset, at).filter(|r| *r < list.visible().len()) else {
        return Vec::new();
    };
    if row == list.selected() {
        return super::lists::on_action(model, cx, Action::Select);
    }
    list.select_on_screen(row, offset);
    Vec::new()
}

fn click_model(model: &mut Model, cx: &Context, body: Rect, at: (u16, u16)) -> Vec<Cmd> {
    let rows = screens::models(body).rows;
    let count = model.visible_models().len();
    let list = &mut model.models.list;
    let offset = follow(list.offset(), list.selected(), usize::from(rows.height));
    let Some(row) = screens::row_at(rows, offset, at).filter(|r| *r < count) else {
        return Vec::new();
    };
    // Choosing is only for a pick the editor asked for; else a click selects.
    if row == list.selected() && model.models.target().is_some() {
        return super::lists::on_action(model, cx, Action::Select);
    }
    model.models.list.select_on_screen(row, offset);
    Vec::new()
}

/// A click on a panel (or a row of the list) moves the focus there; the
/// keys act on it from then on. Nothing is opened by a click: the form
/// asks for a key, and that is the keyboard's work.
fn click_provider(model: &mut Model, body: Rect, (x, y): (u16, u16)) {
    let shown = model.shown_providers();
    let filtering = model.providers_filter_shown();
    let areas = layout::providers(body, matches!(model.byok, Remote::Failed(_)), filtering);
    let columns = layout::provider_columns(model.size, shown.len(), filtering);
    let inside = |r: Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
    let position = if columns > 1 {
        let (panels, _) = layout::provider_panels(areas.body, shown.len(), columns);
        panels.into_iter().position(inside)
    } else {
        let groups = shown.iter().filter_map(|&i| {
            model
                .providers
                .rows()
                .get(i)
                .map(super::super::providers::group_of)
        });
        let plan = layout::provider_lines(groups);
        let (list, _) = layout::provider_list(areas.body, plan.len());
        let focus = shown
            .iter()
            .position(|&i| i == model.providers.focus())
            .unwrap_or(0);
        let height = usize::from(list.height.saturating_sub(2));
        let skip = layout::provider_lines_skip(&plan, focus, height);
        let rows = list.inner(ratatui::layout::Margin::new(1, 1));
        screens::row_at(rows, skip, (x, y)).and_then(|line| plan.get(line).copied().flatten())
    };
    match position.and_then(|p| shown.get(p)) {
        Some(&row) => model.providers.set_focus(row),
        None => model.unchanged = true,
    }
}

fn click_field(model: &mut Model, cx: &Context, body: Rect, (x, y): (u16, u16)) -> Vec<Cmd> {
    let Some(editor) = &model.editor else {
        return Vec::new();
    };
    let json_edit = |width| crate::console::editor::json_notice::height(editor, &cx.keymap, width);
    let hit = editor_layout::fields_in(editor, &model.checks, body, json_edit)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right() && y >= r.y && y < r.bottom())
        .map(|(field, _)| field);
    match (hit, &mut model.editor) {
        (Some(field), Some(editor)) => editor.focus = field,
        _ => model.unchanged = true,
    }
    Vec::new()
}

/// The wheel moves a list's selection, the Providers focus by a row, and
/// the editor's focus by a field.
fn wheel(model: &mut Model, focus: Focus, rows: isize) -> Vec<Cmd> {
    if let Focus::Editor(_) = focus {
        if let Some(editor) = &mut model.editor {
            editor.focus = if rows < 0 {
                editor.focus.prev()
            } else {
                editor.focus.next()
            };
        }
        return Vec::new();
    }
    let page = model.list_page();
    match model.screen {
        Screen::Assistants => model.assistants.list.move_by(rows, page),
        Screen::Models => model.models.list.move_by(rows, page),
        Screen::Providers => {
            let step = if rows < 0 { Action::Up } else { Action::Down };
            super::provider_list::step(model, step);
        }
    }
    Vec::new()
}

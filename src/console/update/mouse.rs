//! Clicks and the wheel, when the mouse is on (config.toml `mouse = true`
//! or `:mouse`). Every hit is found with the layout the view draws with
//! (`layout::screens`, `layout::editor`). A click selects; a click on what
//! is already selected acts on it as Enter does (opens an assistant,
//! chooses a model). The wheel moves the selection three rows.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::super::app::{Model, Remote, Screen, follow};
use super::super::focus::{EditorPart, Focus};
use super::super::keymap::Action;
use super::super::layout::{self, editor as editor_layout, screens};
use super::super::msg::Cmd;

/// Rows the wheel moves a list by.
const WHEEL_ROWS: isize = 3;

pub fn on_mouse(model: &mut Model, mouse: MouseEvent) -> Vec<Cmd> {
    let focus = Focus::of(model);
    let takes_mouse = matches!(
        focus,
        Focus::Screen(_) | Focus::Filter(_) | Focus::Editor(EditorPart::Fields)
    );
    if !model.session.mouse || !takes_mouse {
        return Vec::new();
    }
    let at = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => click(model, focus, at),
        MouseEventKind::ScrollUp => wheel(model, focus, -WHEEL_ROWS),
        MouseEventKind::ScrollDown => wheel(model, focus, WHEEL_ROWS),
        _ => Vec::new(),
    }
}

fn whole(model: &Model) -> Rect {
    Rect::new(0, 0, model.session.size.0, model.session.size.1)
}

fn click(model: &mut Model, focus: Focus, (x, y): (u16, u16)) -> Vec<Cmd> {
    let frame = screens::frame(model, whole(model));
    if let Focus::Editor(_) = focus {
        return click_field(model, frame.body, (x, y));
    }
    // A click ends typing into the filter, as Enter does; the filter stays.
    if let Focus::Filter(_) = focus {
        stop_filtering(model);
    }
    if y == frame.header.y {
        let tab = screens::header(model, frame.header.width).tab_at(x);
        return match tab {
            Some(screen) => super::keys::on_action(model, screens::screen_action(screen)),
            None => Vec::new(),
        };
    }
    match model.session.screen {
        Screen::Assistants => click_assistant(model, frame.body, (x, y)),
        Screen::Models => click_model(model, frame.body, (x, y)),
        Screen::Providers => {
            click_provider(model, frame.body, (x, y));
            Vec::new()
        }
    }
}

fn stop_filtering(model: &mut Model) {
    model.server.assistants.list.filtering = false;
    model.server.models.list.filtering = false;
    model.server.providers.list.filtering = false;
}

fn click_assistant(model: &mut Model, body: Rect, at: (u16, u16)) -> Vec<Cmd> {
    if !model.server.assistants.is_loaded() {
        return Vec::new();
    }
    let rows = screens::assistants(body).rows;
    let list = &mut model.server.assistants.list;
    let offset = follow(list.offset(), list.selected(), usize::from(rows.height));
    let Some(row) = screens::row_at(rows, offset, at).filter(|r| *r < list.visible().len()) else {
        return Vec::new();
    };
    if row == list.selected() {
        return super::lists::on_action(model, Action::Select);
    }
    list.select_on_screen(row, offset);
    Vec::new()
}

fn click_model(model: &mut Model, body: Rect, at: (u16, u16)) -> Vec<Cmd> {
    let rows = screens::models(body).rows;
    let count = model.visible_models().len();
    let list = &mut model.server.models.list;
    let offset = follow(list.offset(), list.selected(), usize::from(rows.height));
    let Some(row) = screens::row_at(rows, offset, at).filter(|r| *r < count) else {
        return Vec::new();
    };
    // Choosing is only for a pick the editor asked for; else a click selects.
    if row == list.selected() && model.server.models.target().is_some() {
        return super::lists::on_action(model, Action::Select);
    }
    model.server.models.list.select_on_screen(row, offset);
    Vec::new()
}

/// A click on a panel (or a row of the list) moves the focus there; the
/// keys act on it from then on. Nothing is opened by a click: the form
/// asks for a key, and that is the keyboard's work.
fn click_provider(model: &mut Model, body: Rect, (x, y): (u16, u16)) {
    let shown = model.shown_providers();
    let filtering = model.providers_filter_shown();
    let areas = layout::providers(
        body,
        matches!(model.server.byok, Remote::Failed(_)),
        filtering,
    );
    let columns = layout::provider_columns(model.session.size, shown.len(), filtering);
    let inside = |r: Rect| x >= r.x && x < r.right() && y >= r.y && y < r.bottom();
    let position = if columns > 1 {
        let (panels, _) = layout::provider_panels(areas.body, shown.len(), columns);
        panels.into_iter().position(inside)
    } else {
        let groups = shown.iter().filter_map(|&i| {
            model
                .server
                .providers
                .rows()
                .get(i)
                .map(super::super::providers::group_of)
        });
        let plan = layout::provider_lines(groups);
        let (list, _) = layout::provider_list(areas.body, plan.len());
        let focus = shown
            .iter()
            .position(|&i| i == model.server.providers.focus())
            .unwrap_or(0);
        let height = usize::from(list.height.saturating_sub(2));
        let skip = layout::provider_lines_skip(&plan, focus, height);
        let rows = list.inner(ratatui::layout::Margin::new(1, 1));
        screens::row_at(rows, skip, (x, y)).and_then(|line| plan.get(line).copied().flatten())
    };
    if let Some(&row) = position.and_then(|p| shown.get(p)) {
        model.server.providers.set_focus(row);
    }
}

fn click_field(model: &mut Model, body: Rect, (x, y): (u16, u16)) -> Vec<Cmd> {
    let Some(editor) = &model.server.editor else {
        return Vec::new();
    };
    let json_edit =
        |width| crate::console::editor::json_notice::height(editor, &model.session.keymap, width);
    let hit = editor_layout::fields_in(editor, &model.server.checks, body, json_edit)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right() && y >= r.y && y < r.bottom())
        .map(|(field, _)| field);
    if let (Some(field), Some(editor)) = (hit, &mut model.server.editor) {
        editor.focus = field;
    }
    Vec::new()
}

/// The wheel moves a list's selection, the Providers focus by a row, and
/// the editor's focus by a field.
fn wheel(model: &mut Model, focus: Focus, rows: isize) -> Vec<Cmd> {
    if let Focus::Editor(_) = focus {
        if let Some(editor) = &mut model.server.editor {
            editor.focus = if rows < 0 {
                editor.focus.prev()
            } else {
                editor.focus.next()
            };
        }
        return Vec::new();
    }
    let page = model.list_page();
    match model.session.screen {
        Screen::Assistants => model.server.assistants.list.move_by(rows, page),
        Screen::Models => model.server.models.list.move_by(rows, page),
        Screen::Providers => {
            let step = if rows < 0 { Action::Up } else { Action::Down };
            super::provider_list::step(model, step);
        }
    }
    Vec::new()
}

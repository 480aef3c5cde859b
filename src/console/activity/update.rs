//! The log's part of `update`: opening and closing the view, moving in it,
//! its filter, and taking in what the worker reports. Pure, like the rest
//! of `update`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{Model, Toast};
use super::super::keymap::Action;
use super::super::list::FilterEdit;
use super::super::update::TOAST_TICKS;
use super::Report;

/// Opens the log view on the newest row. The `show_log` key and the
/// `:log` command both come here.
pub fn open_log(model: &mut Model) {
    let log = &mut model.session.activity;
    log.open = true;
    let newest = log.rows.visible().len().saturating_sub(1);
    log.rows.select_on_screen(newest, newest);
}

pub fn close_log(model: &mut Model) {
    model.session.activity.open = false;
}

/// A key while the log view has the focus. Esc drops a kept filter
/// before it closes the view, as it does on the lists.
pub fn on_key(model: &mut Model, action: Option<Action>) {
    let log = &mut model.session.activity;
    match action {
        Some(Action::Back) if !log.rows.filter().is_empty() => {
            return edit_filter(model, FilterEdit::Clear);
        }
        Some(Action::Back | Action::ShowLog) => return close_log(model),
        Some(Action::Filter) => {
            log.rows.filtering = true;
            return;
        }
        _ => {}
    }
    let page = model.list_page();
    let log = &mut model.session.activity;
    let delta = match action {
        Some(Action::Up) => -1,
        Some(Action::Down) => 1,
        Some(Action::PageUp) => -(page as isize),
        Some(Action::PageDown) => page as isize,
        Some(Action::Top) => isize::MIN,
        Some(Action::Bottom) => isize::MAX,
        _ => return,
    };
    // The view shows the selected entry whatever its height; this keeps
    // the first entry still while the selection moves within the page.
    log.rows.move_by(delta, page);
}

/// A key while the log's filter takes text: the keys of every list's
/// filter (`update/lists.rs`).
pub fn on_filter_key(model: &mut Model, action: Option<Action>, key: KeyEvent) {
    let page = model.list_page();
    let rows = &mut model.session.activity.rows;
    match (action, key.code) {
        (Some(Action::Back), _) => {
            rows.filtering = false;
            edit_filter(model, FilterEdit::Clear);
        }
        (Some(Action::Select), _) => rows.filtering = false,
        (Some(Action::Up), _) => rows.move_by(-1, page),
        (Some(Action::Down), _) => rows.move_by(1, page),
        (None, KeyCode::Backspace) => edit_filter(model, FilterEdit::Pop),
        (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            edit_filter(model, FilterEdit::Push(c));
        }
        _ => {}
    }
}

pub fn paste_into_filter(model: &mut Model, text: &str) {
    if model.session.activity.rows.filtering {
        edit_filter(model, FilterEdit::Paste(text.trim().to_owned()));
    }
}

/// The rows that match, on the newest of them: a log is read from its end.
fn edit_filter(model: &mut Model, edit: FilterEdit) {
    let log = &mut model.session.activity;
    // Never handed out: the log ranks everything inline.
    let _ = log.rows.edit_filter(edit);
    log.select_newest();
}

/// Entries or a file failure from the worker. Entries redraw nothing while
/// the view is closed; a failure is said once, in a toast and in the view.
pub fn on_report(model: &mut Model, report: Report) {
    match report {
        Report::Entries(entries) => {
            model.session.activity.push(entries);
        }
        Report::FileFailed(why) => {
            model.server.toast = Some(Toast {
                text: format!("The activity log file is not written: {why}"),
                is_error: true,
                ticks_left: TOAST_TICKS,
            });
            model.session.activity.file_error = Some(why);
        }
    }
}

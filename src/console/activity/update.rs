//! The log's part of `update`: opening and closing the view, moving in it,
//! and taking in what the worker reports. Pure, like the rest of `update`.

use super::super::app::{Model, Toast};
use super::super::keymap::Action;
use super::super::update::TOAST_TICKS;
use super::Report;

/// Opens the log view on the newest entry. The `show_log` key and the
/// `:log` command both come here.
pub fn open_log(model: &mut Model) {
    let log = &mut model.session.activity;
    log.open = true;
    let len = log.entries.len();
    let newest = len.saturating_sub(1);
    log.cursor.select_on_screen(newest, newest, len);
}

pub fn close_log(model: &mut Model) {
    model.session.activity.open = false;
}

/// A key while the log view has the focus.
pub fn on_key(model: &mut Model, action: Option<Action>) {
    if matches!(action, Some(Action::Back | Action::ShowLog)) {
        return close_log(model);
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
    log.cursor.move_by(delta, log.entries.len(), page);
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

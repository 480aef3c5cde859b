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
    log.selected = log.entries.len().saturating_sub(1);
    log.offset = log.selected;
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
    let last = log.entries.len().saturating_sub(1);
    let before = log.selected;
    log.selected = match action {
        Some(Action::Up) => before.saturating_sub(1),
        Some(Action::Down) => before + 1,
        Some(Action::PageUp) => before.saturating_sub(page),
        Some(Action::PageDown) => before + page,
        Some(Action::Top) => 0,
        Some(Action::Bottom) => last,
        _ => return,
    }
    .min(last);
    // The view shows the selected entry whatever its height; this keeps
    // the first entry still while the selection moves within the page.
    log.offset = super::super::app::follow(log.offset, log.selected, page);
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

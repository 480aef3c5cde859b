//! Where the parts of each screen go, computed once for the view that
//! draws them and the mouse that clicks them, so the two cannot disagree.

use ratatui::layout::{Constraint, Layout, Rect};
use unicode_width::UnicodeWidthStr;

use super::toast_height;
use crate::console::app::{Model, Remote, Screen};
use crate::console::keymap::{Action, Scope};

/// The header, the screen's body, a toast, the footer and the status bar.
pub struct Frame {
    pub header: Rect,
    pub body: Rect,
    pub toast: Rect,
    pub footer: Rect,
    pub status: Rect,
}

pub fn frame(model: &Model, area: Rect) -> Frame {
    let toast = toast_height(
        model.server.toast.as_ref().map(|t| t.text.as_str()),
        area.width,
    );
    let [header, body, toast, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(toast),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Frame {
        header,
        body,
        toast,
        footer,
        status,
    }
}

/// The header's texts in the order drawn, and where each tab lands.
pub struct Header {
    /// The brand leads only where there is room for it.
    pub brand: bool,
    /// Below 60 columns only the active tab is shown, and it leads.
    pub tiny: bool,
    pub company: String,
    pub tabs: Vec<HeaderTab>,
}

pub struct HeaderTab {
    pub screen: Screen,
    pub label: String,
    /// Its first column, from the header's left edge.
    pub x: u16,
}

pub const BRAND: &str = " VoiceDock ";
pub const READ_ONLY: &str = " read-only";

pub fn header(model: &Model, width: u16) -> Header {
    let company = match &model.server.account {
        Remote::Loaded(a) => {
            let name = a.company_name.as_deref().unwrap_or(&a.id);
            let mut company = crate::domain::text::one_line(name).into_owned();
            company.push_str(&balances(a, width));
            company
        }
        Remote::Loading => "loading…".into(),
        Remote::Failed(_) => "account unavailable".into(),
    };
    let brand = width >= 100;
    let tiny = width < 60;
    let badge = if model.read_only() { READ_ONLY } else { "" };
    // company · profile badge, then two spaces.
    let who = company.width() + 3 + model.server.profile.name.width() + badge.width() + 2;
    let mut x = if tiny {
        0
    } else {
        usize::from(brand) * (BRAND.width() + 1) + who
    };
    let mut tabs = Vec::new();
    for screen in Screen::ALL
        .iter()
        .filter(|s| !tiny || **s == model.session.screen)
    {
        let key = model
            .session
            .keymap
            .key_of(Scope::Global, screen_action(*screen));
        let label = format!(" {key} {} ", screen.title());
        let width = label.width();
        tabs.push(HeaderTab {
            screen: *screen,
            label,
            x: u16::try_from(x).unwrap_or(u16::MAX),
        });
        x += width;
    }
    Header {
        brand,
        tiny,
        company,
        tabs,
    }
}

/// What the hosted service tells of the organization beside its name: the
/// minutes left and the calls in progress, shorter where the tabs need the
/// room. Our server tells neither, and nothing is shown for it.
fn balances(account: &crate::domain::Account, width: u16) -> String {
    let wide = width >= 100;
    let mut text = String::new();
    if let Some(minutes) = account.minutes_balance.filter(|m| m.is_finite()) {
        // Whole minutes read best; a fraction is kept to one place.
        let minutes = (minutes * 10.0).round() / 10.0;
        text.push_str(&if wide {
            format!(" · {minutes} min left")
        } else {
            format!(" · {minutes}m")
        });
    }
    if let Some(calls) = account.active_calls {
        let noun = if calls == 1 { "call" } else { "calls" };
        text.push_str(&if wide {
            format!(" · {calls} active {noun}")
        } else {
            format!(" · {calls} {noun}")
        });
    }
    text
}

impl Header {
    /// The tab under column `x` of the header.
    pub fn tab_at(&self, x: u16) -> Option<Screen> {
        self.tabs
            .iter()
            .find(|t| x >= t.x && usize::from(x - t.x) < t.label.width())
            .map(|t| t.screen)
    }
}

pub fn screen_action(screen: Screen) -> Action {
    match screen {
        Screen::Providers => Action::Providers,
        Screen::Models => Action::Models,
        Screen::Assistants => Action::Assistants,
    }
}

/// The Assistants list: its filter line, the table, and the table's rows
/// (inside the border, under the column titles).
pub struct ListAreas {
    pub filter: Rect,
    pub table: Rect,
    pub rows: Rect,
}

pub fn assistants(body: Rect) -> ListAreas {
    let [filter, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
    let inner = table.inner(ratatui::layout::Margin::new(1, 1));
    let rows = Rect {
        y: inner.y.saturating_add(1),
        height: inner.height.saturating_sub(1),
        ..inner
    };
    ListAreas {
        filter,
        table,
        rows,
    }
}

/// The Models screen: the provider tabs, the filter line, the list (and
/// its rows inside the border), the details.
pub struct ModelsAreas {
    pub tabs: Rect,
    pub filter: Rect,
    pub list: Rect,
    pub rows: Rect,
    pub details: Rect,
}

pub fn models(body: Rect) -> ModelsAreas {
    let [tabs, filter, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(body);
    let [list, details] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(rest);
    ModelsAreas {
        tabs,
        filter,
        list,
        rows: list.inner(ratatui::layout::Margin::new(1, 1)),
        details,
    }
}

/// The row of a list shown in `rows` from `offset` at screen line `y`.
pub fn row_at(rows: Rect, offset: usize, (x, y): (u16, u16)) -> Option<usize> {
    let inside = x >= rows.x && x < rows.right() && y >= rows.y && y < rows.bottom();
    inside.then(|| offset + usize::from(y - rows.y))
}

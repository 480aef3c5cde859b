//! `view`: draws the model. A pure function of `&Model`; it never changes
//! state or reaches for the network.

mod assistants;
mod checks;
mod command;
mod editor;
mod editor_speech;
mod editor_values;
mod help;
mod key_form;
mod log;
mod models;
mod overlays;
mod providers;
mod settings_step;
mod widgets;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Connection, Model, Screen};
use super::focus::Focus;
use super::keymap::{Action, Scope};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::profiles::ProfileKind;

pub fn view(model: &Model, frame: &mut Frame) {
    draw(model, frame);
    without_hidden_characters(frame.buffer_mut());
}

fn draw(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) {
        return draw_too_small(model, frame, area);
    }
    let layout::screens::Frame {
        header,
        body,
        toast,
        footer,
        status,
    } = layout::screens::frame(model, area);
    draw_header(model, frame, header);
    match model.session.screen {
        Screen::Providers => providers::draw(model, frame, body),
        Screen::Models => models::draw(model, frame, body),
        Screen::Assistants => match &model.server.editor {
            Some(editor) => {
                let ctx = editor::EditorView {
                    keymap: &model.session.keymap,
                    read_only: model.read_only(),
                    cat: &model.server.catalog,
                    byok: model.server.byok.loaded(),
                    checks: &model.server.checks,
                    spinner: model.server.spinner,
                    theme: &model.session.theme,
                };
                editor::draw(editor, &ctx, frame, body)
            }
            None => assistants::draw(model, frame, body),
        },
    }
    if let Some(form) = &model.server.key_form {
        key_form::draw(model, form, frame, body);
    }
    if model.session.activity.open {
        log::draw(&model.session.activity, model, frame, body);
    }
    draw_toast(model, frame, toast);
    match &model.server.command {
        Some(line) => command::draw(line, frame, footer, body),
        None => draw_footer(model, frame, footer),
    }
    draw_status(model, frame, status);
    if let Some(picker) = &model.server.picker {
        overlays::picker(picker, model, frame, body);
    }
    if model.server.help {
        help::draw(model, Focus::beneath_help(model), frame, body);
    }
    if let Some(confirm) = &model.server.confirm {
        overlays::confirm(confirm, model, frame, body);
    }
}

/// How far help can scroll on the terminal as it is now.
pub fn help_overflow(model: &Model) -> usize {
    let (width, height) = model.session.size;
    let area = Rect::new(0, 0, width, height);
    if layout::too_small((width, height)) {
        return 0;
    }
    let body = layout::screens::frame(model, area).body;
    help::hidden_rows(model, Focus::beneath_help(model), body)
}

/// The last word on what reaches the terminal, whatever a screen forgot to
/// make safe: ratatui drops control characters itself, but keeps
/// zero-width ones (the bidirectional overrides and isolates among them),
/// which reorder or hide what the terminal shows.
fn without_hidden_characters(buffer: &mut ratatui::buffer::Buffer) {
    use crate::domain::safe_json::needs_escape;
    for cell in &mut buffer.content {
        if cell.symbol().chars().any(needs_escape) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|&c| !needs_escape(c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// Nothing fits, so the screen says how to get out: the quit key, and the
/// question it asks when work would be lost.
fn draw_too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let quit = model.session.keymap.key_of(Scope::Global, Action::Quit);
    let text = match &model.server.confirm {
        // The answer keys first: the question may not fit whole.
        Some(confirm) => format!(
            "{} {} yes · {} no. {}",
            confirm.title,
            model.session.keymap.key_of(Scope::Confirm, Action::Yes),
            model.session.keymap.key_of(Scope::Confirm, Action::Back),
            confirm.lines.join(" ")
        ),
        None if model.has_unsaved_edits() => format!(
            "Terminal too small: {}×{}; VoiceDock needs {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it to save your work, or press {quit} to quit (asks first).",
            area.width, area.height
        ),
        None => format!(
            "Terminal too small: {}×{}; VoiceDock needs {MIN_WIDTH}×{MIN_HEIGHT}. Enlarge it, or press {quit} to quit.",
            area.width, area.height
        ),
    };
    frame.render_widget(
        Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
    );
}

fn draw_header(model: &Model, frame: &mut Frame, area: Rect) {
    let header = layout::screens::header(model, area.width);
    let who = vec![
        Span::styled(header.company, Style::new().bold()),
        Span::raw(" · "),
        Span::styled(model.server.profile.name.clone(), profile_style(model)),
        Span::styled(
            if model.read_only() {
                layout::screens::READ_ONLY
            } else {
                ""
            },
            model.session.theme.special.bold(),
        ),
        Span::raw("  "),
    ];
    let tabs = header.tabs.into_iter().map(|tab| {
        let style = if tab.screen == model.session.screen {
            model.session.theme.header
        } else {
            model.session.theme.muted
        };
        Span::styled(tab.label, style)
    });
    // Below 100 columns the brand gives its room to the tabs; below 60
    // only the active tab fits, and it goes first.
    let spans: Vec<Span> = if header.tiny {
        tabs.chain([Span::raw(" ")]).chain(who).collect()
    } else {
        let brand = [
            Span::styled(layout::screens::BRAND, model.session.theme.header),
            Span::raw(" "),
        ];
        brand
            .into_iter()
            .filter(|_| header.brand)
            .chain(who)
            .chain(tabs)
            .collect()
    };
    frame.render_widget(widgets::fit_line(spans, area.width), area);
}

pub use layout::screens::screen_action;

/// The profile's own colour from config.toml (bold, so it reads as a
/// label); else production-looking profiles stand out, as contexts do in k9s.
fn profile_style(model: &Model) -> Style {
    if let Some(color) = model.server.profile.color {
        return Style::new().fg(color).bold();
    }
    match &model.server.profile.kind {
        ProfileKind::Local => model.session.theme.profile_local,
        _ if model.server.profile.name.contains("prod") => model.session.theme.profile_prod,
        _ => model.session.theme.profile_remote,
    }
}

fn draw_toast(model: &Model, frame: &mut Frame, area: Rect) {
    if let Some(toast) = &model.server.toast {
        let style = if toast.is_error {
            model.session.theme.error.bold()
        } else {
            model.session.theme.ok
        };
        // Two lines at most, the second indented under the first's text,
        // and an ellipsis where even that is not enough.
        let width = usize::from(area.width).saturating_sub(1);
        // A toast often quotes a server's message or an assistant's name.
        let text = crate::domain::text::terminal_safe(&toast.text);
        let lines: Vec<Line> = widgets::wrap_two(&text, width)
            .into_iter()
            .map(|l| Line::from(format!(" {l}")))
            .collect();
        frame.render_widget(Paragraph::new(lines).style(style), area);
    }
}

fn draw_footer(model: &Model, frame: &mut Frame, area: Rect) {
    let hints: Vec<(String, &str)> = model
        .session
        .keymap
        .entries(Focus::of(model).scopes(), |a| !model.acts_here(a))
        .into_iter()
        .filter_map(|e| e.footer.map(|text| (e.label, text)))
        .collect();
    let line = footer_line(&hints, usize::from(area.width));
    frame.render_widget(line.style(model.session.theme.muted), area);
}

/// The footer's hints in `width` columns, each whole: the gaps narrow
/// first, then hints go from the end, help last of all (it names the rest).
fn footer_line(hints: &[(String, &str)], width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthStr;
    let spans = |hints: &[&(String, &str)], gap: &str| -> Vec<Span<'static>> {
        hints
            .iter()
            .enumerate()
            .flat_map(|(i, (label, text))| {
                let gap = if i == 0 { " " } else { gap };
                [
                    Span::styled(format!("{gap}{label}"), Style::new().bold()),
                    Span::raw(format!(" {text}")),
                ]
            })
            .collect()
    };
    let fits = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>() <= width;
    let mut kept: Vec<&(String, &str)> = hints.iter().collect();
    loop {
        for gap in ["  ", " "] {
            let line = spans(&kept, gap);
            if fits(&line) {
                return Line::from(line);
            }
        }
        let droppable = kept.iter().rposition(|(_, text)| *text != "help");
        match droppable {
            Some(at) if kept.len() > 1 => {
                kept.remove(at);
            }
            _ => {
                return widgets::fit_line(
                    spans(&kept, " "),
                    u16::try_from(width).unwrap_or(u16::MAX),
                );
            }
        }
    }
}

fn draw_status(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.session.theme;
    let (text, style) = match &model.server.connection {
        Connection::Unknown => ("connecting".to_owned(), theme.warn),
        Connection::Ok => ("ok".to_owned(), theme.ok),
        Connection::Unreachable { reason, retry_at } => {
            let left = model.server.now.map_or(0.0, |now| {
                retry_at.saturating_duration_since(now).as_secs_f64().ceil()
            });
            (
                format!(
                    "unreachable, retrying in {left}s ({} now): {reason}",
                    model.session.keymap.key_of(Scope::Global, Action::Refresh)
                ),
                theme.error,
            )
        }
        Connection::Unauthorized => (unauthorized_hint(model), theme.error),
        Connection::RateLimited { until } => {
            let left = model.server.now.map_or(0.0, |now| {
                until.saturating_duration_since(now).as_secs_f64().ceil()
            });
            (format!("rate limited: retry in {left}s"), theme.special)
        }
    };
    let flight = match model.in_flight() {
        0 => String::new(),
        n => format!(
            " · {} {n} in flight",
            widgets::spinner(model.server.spinner)
        ),
    };
    let line = vec![
        Span::raw(format!(
            " {} · {} · ",
            model.server.profile.name, model.server.base_url
        )),
        Span::styled(text, style),
        Span::raw(freshness(model)),
        Span::raw(flight),
        Span::raw(progress(model)),
    ];
    frame.render_widget(
        Paragraph::new(widgets::fit_line(line, area.width)).style(Style::new().reversed()),
        area,
    );
}

/// How old what is on screen is, said only when it matters (see
/// `Model::stale_for`).
fn freshness(model: &Model) -> String {
    model
        .stale_for(model.session.refresh_every)
        .map_or_else(String::new, |age| format!(" · updated {age}s ago"))
}

/// A paged first load: how much of the list is in.
fn progress(model: &Model) -> String {
    let Some(incoming) = model
        .server
        .assistants
        .incoming
        .as_ref()
        .filter(|i| i.showing)
    else {
        return String::new();
    };
    let loaded = model.server.assistants.loaded().map_or(0, <[_]>::len);
    match incoming.total {
        Some(total) => format!(" · loading assistants {loaded} of {total}"),
        None => format!(" · loading assistants {loaded}"),
    }
}

/// Where the refused key came from, and so what fixes it.
fn unauthorized_hint(model: &Model) -> String {
    match &model.server.profile.kind {
        ProfileKind::Env => "unauthorized: the server refused VOICEDOCK_API_KEY".to_owned(),
        ProfileKind::Local => {
            "unauthorized: the local account's key was refused; restart voicedock".to_owned()
        }
        ProfileKind::Named(p) => {
            format!(
                "unauthorized: the key of profile {p} was refused; voicedock profile add {p} --base-url …"
            )
        }
    }
}

//! `view`: draws the model. A pure function of `&Model`; it never changes
//! state or reaches for the network.

mod assistants;
mod editor;
mod editor_values;
mod key_form;
mod models;
mod overlays;
mod providers;
mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{Connection, Model, Remote, Screen};
use super::keymap::{Action, Scope};

pub use providers::provider_columns;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    if too_small((area.width, area.height)) {
        let way_out = if model.has_unsaved_edits() {
            "Enlarge it to save or discard your unsaved work."
        } else {
            "Enlarge it, or press q to quit."
        };
        let text = format!(
            "Terminal too small: {}×{}. VoiceDock needs at least {MIN_WIDTH}×{MIN_HEIGHT}. {way_out}",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    // A toast gets a line of its own so the key hints stay visible.
    let toast_height = model.toast.as_ref().map_or(0, |t| {
        if t.text.chars().count() + 1 > usize::from(area.width) {
            2
        } else {
            1
        }
    });
    let [header, body, toast, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(toast_height),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(model, frame, header);
    match model.screen {
        Screen::Providers | Screen::KeyEntry => providers::draw(model, frame, body),
        Screen::Models => models::draw(model, frame, body),
        Screen::Assistants => match &model.editor {
            Some(editor) => {
                let ctx = editor::EditorView {
                    keymap: &model.keymap,
                    cat: &model.catalog,
                    authority: model.catalog_source.authority(),
                    byok: model.byok.loaded(),
                    spinner: model.spinner,
                };
                editor::draw(editor, &ctx, frame, body)
            }
            None => assistants::draw(model, frame, body),
        },
    }
    if let Some(form) = &model.key_form {
        key_form::draw(model, form, frame, body);
    }
    draw_toast(model, frame, toast);
    draw_footer(model, frame, footer);
    draw_status(model, frame, status);
    if let Some(picker) = &model.picker {
        overlays::picker(picker, &model.keymap, frame, body);
    }
    if model.help {
        overlays::help(&model.keymap, &scopes(model), frame, body);
    }
    if let Some(confirm) = &model.confirm {
        overlays::confirm(confirm, &model.keymap, frame, body);
    }
}

/// Below this nothing can be drawn usefully, so keys are not acted on either.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// The key scopes active right now, most specific first.
pub fn scopes(model: &Model) -> Vec<Scope> {
    if model.confirm.is_some() {
        return vec![Scope::Confirm];
    }
    if model.picker.is_some() {
        return vec![Scope::Picker];
    }
    if model.key_form.is_some() {
        return vec![Scope::KeyForm];
    }
    if model.screen == Screen::Assistants
        && let Some(editor) = &model.editor
    {
        return match (editor.preview, editor.in_messages) {
            (true, _) => vec![Scope::Preview],
            (false, true) => vec![Scope::Messages],
            (false, false) => vec![Scope::Editor],
        };
    }
    let filtering = match model.screen {
        Screen::Models => model.models.list.filtering,
        Screen::Assistants => model.assistant_list.filtering,
        _ => false,
    };
    if filtering {
        return vec![Scope::Filter];
    }
    let screen = if model.screen == Screen::KeyEntry {
        Screen::Providers
    } else {
        model.screen
    };
    vec![Scope::On(screen), Scope::Global]
}

fn draw_header(model: &Model, frame: &mut Frame, area: Rect) {
    let company = match &model.account {
        Remote::Loaded(a) => a.company_name.clone().unwrap_or_else(|| a.id.clone()),
        Remote::Loading => "loading…".into(),
        Remote::Failed(_) => "account unavailable".into(),
    };
    let who = vec![
        Span::styled(company, Style::new().bold()),
        Span::raw(" · "),
        Span::styled(
            model.profile.clone(),
            Style::new().fg(profile_color(&model.profile)),
        ),
        Span::styled(
            if model.read_only { " read-only" } else { "" },
            Style::new().fg(Color::Magenta).bold(),
        ),
        Span::raw("  "),
    ];
    // At 80 columns the long titles would push the last tab off screen;
    // below 60 only the active tab fits, and it goes first.
    let narrow = area.width < 100;
    let tiny = area.width < 60;
    let tabs = Screen::ALL
        .iter()
        .enumerate()
        .filter(|(_, s)| !tiny || **s == model.screen)
        .map(|(i, screen)| {
            let title = match screen {
                Screen::KeyEntry if narrow => "Keys",
                s => s.title(),
            };
            let label = format!(" {} {title} ", i + 1);
            if *screen == model.screen {
                Span::styled(
                    label,
                    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                )
            } else {
                Span::styled(label, Style::new().dim())
            }
        });
    let spans: Vec<Span> = if tiny {
        tabs.chain([Span::raw(" ")]).chain(who).collect()
    } else {
        // Below 100 columns the brand gives its room to the last tab.
        let brand = [
            Span::styled(" VoiceDock ", Style::new().bold().reversed()),
            Span::raw(" "),
        ];
        brand
            .into_iter()
            .filter(|_| !narrow)
            .chain(who)
            .chain(tabs)
            .collect()
    };
    frame.render_widget(Line::from(spans), area);
}

/// Production-looking profiles stand out, as contexts do in k9s.
fn profile_color(profile: &str) -> Color {
    match profile {
        "local" => Color::Green,
        p if p.contains("prod") => Color::Red,
        _ => Color::Yellow,
    }
}

fn draw_toast(model: &Model, frame: &mut Frame, area: Rect) {
    if let Some(toast) = &model.toast {
        let style = if toast.is_error {
            Style::new().fg(Color::Red).bold()
        } else {
            Style::new().fg(Color::Green)
        };
        let text = widgets::fit(
            &format!(" {}", toast.text),
            usize::from(area.width) * usize::from(area.height),
        );
        frame.render_widget(
            Paragraph::new(text)
                .style(style)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            area,
        );
    }
}

fn draw_footer(model: &Model, frame: &mut Frame, area: Rect) {
    let scopes = scopes(model);
    let hints: Vec<Span> = {
        model
            .keymap
            .bindings_for(&scopes)
            .filter_map(|b| b.binding.footer.map(|text| (b.label.as_str(), text)))
            .flat_map(|(label, text)| {
                [
                    Span::styled(format!(" {label}"), Style::new().bold()),
                    Span::raw(format!(" {text} ")),
                ]
            })
            .collect()
    };
    frame.render_widget(Line::from(hints).dim(), area);
}

fn draw_status(model: &Model, frame: &mut Frame, area: Rect) {
    let (text, color) = match &model.connection {
        Connection::Unknown => ("connecting".to_owned(), Color::Yellow),
        Connection::Ok => ("ok".to_owned(), Color::Green),
        Connection::Unreachable { reason, retry_at } => {
            let left = model.now.map_or(0.0, |now| {
                retry_at.saturating_duration_since(now).as_secs_f64().ceil()
            });
            (
                format!(
                    "unreachable, retrying in {left}s ({} now): {reason}",
                    model.keymap.key_of(Scope::Global, Action::Refresh)
                ),
                Color::Red,
            )
        }
        Connection::Unauthorized => (unauthorized_hint(&model.profile), Color::Red),
        Connection::RateLimited { until } => {
            let left = model.now.map_or(0.0, |now| {
                until.saturating_duration_since(now).as_secs_f64().ceil()
            });
            (format!("rate limited: retry in {left}s"), Color::Magenta)
        }
    };
    let flight = match model.in_flight() {
        0 => String::new(),
        n => format!(" · {} {n} in flight", widgets::spinner(model.spinner)),
    };
    let line = Line::from(vec![
        Span::raw(format!(" {} · {} · ", model.profile, model.base_url)),
        Span::styled(text, Style::new().fg(color)),
        Span::raw(flight),
    ]);
    frame.render_widget(Paragraph::new(line).style(Style::new().reversed()), area);
}

/// Where the refused key came from, and so what fixes it.
fn unauthorized_hint(profile: &str) -> String {
    match profile {
        "env" => "unauthorized: the server refused VOICEDOCK_API_KEY".to_owned(),
        "local" => {
            "unauthorized: the local account's key was refused; restart voicedock".to_owned()
        }
        p => format!(
            "unauthorized: the key of profile {p} was refused; voicedock profile add {p} --base-url …"
        ),
    }
}

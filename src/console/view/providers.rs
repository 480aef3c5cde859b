use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::checks;
use super::widgets::{self, fit, spinner};
use crate::console::app::{Model, Remote};
use crate::console::format::short_time;
use crate::console::key_state::KeyState;
use crate::console::keymap::{Action, Scope};
use crate::console::layout::{self, provider_columns};
use crate::console::providers::{GROUPS, ProviderRow, group_of, group_title, in_brief};
use crate::domain::Category;

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let shown: Vec<&ProviderRow> = model
        .shown_providers()
        .iter()
        .filter_map(|&i| model.server.providers.rows().get(i))
        .collect();
    let filtering = model.providers_filter_shown();
    let columns = provider_columns(model.session.size, shown.len(), filtering);
    let problem = match &model.server.byok {
        // The way out first: a long reason must not push it off screen.
        Remote::Failed(e) => Some(format!(
            "Could not load keys ({} retries): {e}",
            model.session.keymap.key_of(Scope::Global, Action::Refresh)
        )),
        _ => None,
    };
    let areas = layout::providers(area, problem.is_some(), filtering);
    if let (Some(notice), Some(text)) = (areas.notice, problem) {
        let text = Paragraph::new(text)
            .style(model.session.theme.error)
            .wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(text, notice);
    }
    if let Some(line) = areas.filter {
        let idle = String::new();
        let filter = widgets::filter_line(model, &model.server.providers.list, "", idle);
        frame.render_widget(filter, line);
    }
    let area = areas.body;
    if shown.is_empty() && !model.server.providers.rows().is_empty() {
        let text = format!(
            "No provider matches {:?}. {} clears the filter.",
            model.server.providers.list.filter(),
            model.session.keymap.key_of(Scope::Global, Action::Back)
        );
        frame.render_widget(Paragraph::new(text).style(model.session.theme.muted), area);
        return;
    }
    let focus = model.server.providers.focused();
    if columns == 1 {
        draw_list(model, &shown, frame, area);
        return;
    }
    let (panels, guide_area) = layout::provider_panels(area, shown.len(), columns);
    for (row, cell) in shown.iter().zip(panels) {
        let focused = focus.is_some_and(|f| f.id == row.id);
        panel(model, row, focused, frame, cell);
    }
    frame.render_widget(
        Paragraph::new(guide(model)).wrap(ratatui::widgets::Wrap { trim: true }),
        guide_area,
    );
}

/// What a first-time operator needs to know, where there is room for it.
fn guide(model: &Model) -> Vec<Line<'static>> {
    let keymap = &model.session.keymap;
    let key =
        |scope, action| Span::styled(keymap.key_of(scope, action).to_owned(), Style::new().bold());
    let providers = Scope::Providers;
    let keys = if model.read_only() {
        Line::from(vec![
            key(Scope::Global, Action::Left),
            Span::raw("/"),
            key(Scope::Global, Action::Right),
            Span::raw(" provider   "),
            key(Scope::Global, Action::Assistants),
            Span::raw(" assistants   "),
            key(Scope::Global, Action::Help),
            Span::raw(" all keys   (read-only: nothing can be changed)"),
        ])
    } else {
        Line::from(vec![
            key(Scope::Global, Action::Left),
            Span::raw("/"),
            key(Scope::Global, Action::Right),
            Span::raw(" provider   "),
            key(providers, Action::AddKey),
            Span::raw(" add a key   "),
            key(Scope::Global, Action::Assistants),
            Span::raw(" then "),
            key(Scope::Assistants, Action::New),
            Span::raw(" new assistant   "),
            key(Scope::Global, Action::Help),
            Span::raw(" all keys"),
        ])
    };
    vec![
        Line::from(""),
        Line::from(
            "With your key the provider bills you; without, the platform's default keys are used.",
        )
        .style(model.session.theme.muted),
        Line::from("Keys are encrypted at rest; only a hint (prefix…last 4) is ever shown.")
            .style(model.session.theme.muted),
        keys,
    ]
}

/// The key's state in the vocabulary of `KeyState`: a stored key shows its
/// last check's mark, so ✓ means checked valid here as everywhere.
fn status(model: &Model, row: &ProviderRow) -> Span<'static> {
    let theme = &model.session.theme;
    let check = model.server.checks.last(&row.id).map(|c| c.result);
    let state = KeyState::of(row.configured, check);
    match row.configured {
        None if row.failed => Span::styled("? status unknown", theme.error),
        None => Span::styled("loading…", theme.muted),
        Some(true) => Span::styled(
            format!("{} configured (BYOK)", state.mark()),
            state.style(theme).bold(),
        ),
        Some(false) => Span::styled(
            format!("{} platform default keys", state.mark()),
            state.style(theme),
        ),
    }
}

fn usage(row: &ProviderRow) -> String {
    let Some(users) = row.users else {
        return if row.users_failed {
            "usage unknown (assistants not loaded)"
        } else {
            "usage loading…"
        }
        .into();
    };
    match users {
        0 => "used by no assistant".into(),
        1 => "used by 1 assistant".into(),
        n => format!("used by {n} assistants"),
    }
}

/// The last check of the stored key this session, in one line.
fn check_line(model: &Model, row: &ProviderRow, width: usize) -> Line<'static> {
    if model.server.checks.running.contains_key(&row.id) {
        return Line::styled(
            fit(
                &format!("{:<10}{} checking…", "check", spinner(model.server.spinner)),
                width,
            ),
            model.session.theme.warn,
        );
    }
    let Some(check) = model
        .server
        .checks
        .last(&row.id)
        .filter(|_| row.configured == Some(true))
    else {
        return Line::from(fit(
            &format!("{:<10}not checked this session", "check"),
            width,
        ))
        .style(model.session.theme.muted);
    };
    let found = checks::found(check);
    let detail = found
        .first()
        .map_or_else(String::new, |f| format!(" · {f}"));
    let head = format!("{:<10}", "check");
    let verdict = checks::verdict(check, &model.session.theme);
    let rest = format!(" {}{detail}", checks::when(check));
    widgets::fit_line(
        vec![Span::raw(head), verdict, Span::raw(rest)],
        u16::try_from(width).unwrap_or(u16::MAX),
    )
}

fn panel(model: &Model, row: &ProviderRow, focused: bool, frame: &mut Frame, area: Rect) {
    let keymap = &model.session.keymap;
    let border = if focused {
        model.session.theme.accent.bold()
    } else {
        model.session.theme.border
    };
    let block = Block::bordered()
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(border)
        .title(format!(" {} ", row.name))
        .title_bottom(Line::from(format!(" {} ", categories(row))).right_aligned());
    let dash = || "—".to_owned();
    let k = |action| keymap.key_of(Scope::Providers, action);
    let actions = match (focused && !model.read_only(), row.configured) {
        (false, _) => String::new(),
        (true, Some(true)) => format!(
            "{} rotate · {} check · {} remove",
            k(Action::AddKey),
            k(Action::CheckKey),
            k(Action::RemoveKey)
        ),
        (true, _) => format!("{} add key", k(Action::AddKey)),
    };
    let width = usize::from(area.width.saturating_sub(2));
    let field = |label: &str, value: String| Line::from(fit(&format!("{label:<10}{value}"), width));
    let lines = vec![
        Line::from(status(model, row)),
        field("key", row.key_hint.clone().unwrap_or_else(dash)),
        field("secret id", row.secret_id.clone().unwrap_or_else(dash)),
        field(
            "updated",
            row.updated_at.as_deref().map_or_else(dash, short_time),
        ),
        check_line(model, row, width),
        Line::from(usage(row)).style(model.session.theme.muted),
        Line::from(actions).style(model.session.theme.muted),
    ];
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn draw_list(model: &Model, rows: &[&ProviderRow], frame: &mut Frame, area: Rect) {
    let name_width = rows.iter().map(|r| r.name.width()).max().unwrap_or(0);
    let serves_width = rows.iter().map(|r| categories(r).len()).max().unwrap_or(0);
    let plan = layout::provider_lines(rows.iter().map(|r| group_of(r)));
    let focus_id = model.server.providers.focused().map(|r| &r.id);
    let focus = rows.iter().position(|r| Some(&r.id) == focus_id);
    let lines: Vec<Line> = plan
        .iter()
        .enumerate()
        .map(
            |(n, line)| match line.and_then(|at| rows.get(at).map(|r| (at, r))) {
                None => {
                    // A heading comes right before its group's first row.
                    let group = plan
                        .get(n + 1)
                        .copied()
                        .flatten()
                        .and_then(|at| rows.get(at))
                        .map_or(GROUPS.len(), |r| group_of(r));
                    let category = GROUPS.get(group).copied().unwrap_or(Category::Other);
                    Line::from(group_title(category))
                        .style(model.session.theme.muted)
                        .bold()
                }
                Some((at, row)) => {
                    let focused = focus == Some(at);
                    let marker = if focused { "▶ " } else { "  " };
                    let users = row
                        .users
                        .map_or_else(String::new, |n| format!("  {n} using"));
                    let line = widgets::fit_line(
                        vec![
                            Span::raw(format!(
                                "{marker}{}  {:<serves_width$}  ",
                                widgets::pad(&row.name, name_width),
                                categories(row)
                            )),
                            padded(status(model, row), 24),
                            Span::styled(users, model.session.theme.muted),
                        ],
                        area.width.saturating_sub(2),
                    );
                    if focused {
                        line.style(model.session.theme.selection)
                    } else {
                        line
                    }
                }
            },
        )
        .collect();
    let (list, detail) = layout::provider_list(area, lines.len());
    // Keep the focused row in view when the groups do not all fit.
    let height = usize::from(list.height.saturating_sub(2));
    let skip = layout::provider_lines_skip(&plan, focus.unwrap_or(0), height);
    let shown: Vec<Line> = lines.into_iter().skip(skip).collect();
    frame.render_widget(
        Paragraph::new(shown).block(Block::bordered().title(" Providers ")),
        list,
    );
    if let Some(row) = focus.and_then(|at| rows.get(at)) {
        let lines = vec![
            Line::from(fit(
                &format!(
                    "key {}  secret id {}",
                    row.key_hint.as_deref().unwrap_or("—"),
                    row.secret_id.as_deref().unwrap_or("—")
                ),
                usize::from(detail.width),
            )),
            Line::from(format!(
                "updated {}",
                row.updated_at
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), short_time)
            )),
            check_line(model, row, usize::from(detail.width)),
            Line::from(match model.users_of(&row.id, 3) {
                Some((names, total)) if total > 0 => {
                    format!("{}: {}", usage(row), in_brief(&names, total))
                }
                _ => usage(row),
            })
            .style(model.session.theme.muted),
        ];
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            detail,
        );
    }
}

/// `STT+TTS` for a key that serves both.
fn categories(row: &ProviderRow) -> String {
    let labels: Vec<&str> = row.categories.iter().map(|c| c.label()).collect();
    labels.join("+")
}

/// The span widened to `width` characters, so the columns after it line up.
fn padded(span: Span<'static>, width: usize) -> Span<'static> {
    let text = format!("{:<width$}", span.content);
    Span::styled(text, span.style)
}

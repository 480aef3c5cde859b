use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::checks;
use super::widgets::{centered, spinner};
use crate::console::app::Model;
use crate::console::key_form::{KeyForm, MASK};
use crate::console::keymap::{Action, Scope};

pub fn draw(model: &Model, form: &KeyForm, frame: &mut Frame, area: Rect) {
    let info = model.server.catalog.secret(&form.provider);
    let name = info.map_or(form.provider.as_str(), |p| p.label.as_str());
    if let Some(step) = &form.settings {
        return super::settings_step::draw(model, name, step, frame, area);
    }
    let steps = info.map_or(2, |p| {
        p.setup.len()
            + if p.notes.is_empty() {
                0
            } else {
                p.notes.len() + 2
            }
    });
    // Borders, the field, the status and check lines, the steps' title and
    // the steps.
    let popup = centered(area, 76, (2 + 3 + 2 + CHECK_LINES + 1 + steps) as u16 + 1);
    frame.render_widget(Clear, popup);
    let serves = info.map_or_else(String::new, |p| {
        let labels: Vec<&str> = p.categories.iter().map(|c| c.label()).collect();
        format!(" ({})", labels.join(", "))
    });
    let block = Block::bordered()
        .title(format!(" {name}{serves} — add or rotate your key "))
        .border_style(model.session.theme.accent);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [field, rest] = Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(inner);

    let field_block = Block::bordered().title(if form.format.is_multi_line() {
        " Service-account JSON (paste the key file) "
    } else {
        " API key "
    });
    if form.is_sending() {
        // Only the mask, never the key itself: it has left the text area.
        let masked: String = std::iter::repeat_n(MASK, form.typed_len()).collect();
        frame.render_widget(
            Paragraph::new(masked)
                .block(field_block)
                .style(model.session.theme.muted),
            field,
        );
    } else if form.line_count() > 1 {
        // One line shows one line of a document: say what is there instead.
        let clear = model
            .session
            .keymap
            .key_of(Scope::KeyForm, Action::ClearField);
        let summary = format!(
            "{} a JSON document on {} lines ({clear} clears)",
            std::iter::repeat_n(MASK, 8).collect::<String>(),
            form.line_count()
        );
        frame.render_widget(Paragraph::new(summary).block(field_block), field);
    } else {
        // Drawn in place, not cloned: a copy of the key would outlive the zeroizing.
        let inner = field_block.inner(field);
        frame.render_widget(field_block, field);
        frame.render_widget(&form.input, inner);
    }

    let save = model.session.keymap.key_of(Scope::KeyForm, Action::Save);
    let status = if form.is_sending() {
        Line::styled(
            format!("{} saving…", spinner(model.server.spinner)),
            model.session.theme.warn,
        )
    } else if let Some(error) = &form.error {
        Line::styled(format!("✗ {error}"), model.session.theme.error)
    } else if let Some(problem) = form.validation(&model.server.catalog) {
        let clear = model
            .session
            .keymap
            .key_of(Scope::KeyForm, Action::ClearField);
        Line::styled(
            format!("✗ {} ({}; {clear} clears)", problem.message, length(form)),
            model.session.theme.error,
        )
    } else if form.typed_len() > 0 {
        // What is about to be stored, in the form the server will show it;
        // unmarked, as ✓ says a check passed and a length is no check.
        let hint = form.hint(&model.server.catalog).unwrap_or_default();
        Line::from(format!("{}, saves as {hint}: {save} saves", length(form)))
    } else {
        let cancel = model.session.keymap.key_of(Scope::KeyForm, Action::Back);
        let clear = model
            .session
            .keymap
            .key_of(Scope::KeyForm, Action::ClearField);
        Line::from(format!("{save} saves · {cancel} cancels · {clear} clears"))
            .style(model.session.theme.muted)
    };
    let check_text = check_lines(model, form, name);
    // Two lines for the status (an error there must be readable whole) and
    // room for a check's findings; where the height runs short, only the
    // lines they fill, so the last step and note still show.
    let width = usize::from(inner.width).max(1);
    let rows_of =
        |lines: &[&Line]| -> usize { lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum() };
    let steps_rows = 1 + steps;
    let (mut message_rows, mut check_rows) = (2, CHECK_LINES);
    if message_rows + check_rows + steps_rows > usize::from(rest.height) {
        message_rows = rows_of(&[&status]).min(2);
        check_rows = rows_of(&check_text.iter().collect::<Vec<_>>()).min(CHECK_LINES);
    }
    let [message, check, steps] = Layout::vertical([
        Constraint::Length(message_rows as u16),
        Constraint::Length(check_rows as u16),
        Constraint::Min(0),
    ])
    .areas(rest);
    // Errors can be long (a network reason): they wrap rather than vanish.
    frame.render_widget(Paragraph::new(status).wrap(Wrap { trim: true }), message);

    frame.render_widget(Paragraph::new(check_text).wrap(Wrap { trim: true }), check);

    let mut lines = vec![Line::from("Step 1: get your API key").bold()];
    if let Some(info) = info {
        lines.extend(
            info.setup
                .iter()
                .enumerate()
                .map(|(i, s)| Line::from(format!("  {}. {s}", i + 1))),
        );
        if !info.notes.is_empty() {
            lines.push(Line::from(""));
            lines.push(
                Line::from(format!("Important for {}:", info.label))
                    .style(model.session.theme.warn)
                    .bold(),
            );
            lines.extend(info.notes.iter().map(|n| Line::from(format!("  • {n}"))));
        }
    } else {
        lines.push(Line::from(format!(
            "  {name} is offered by this server but not documented in this console;"
        )));
        lines.push(Line::from(
            "  create the key in the provider's dashboard. The server checks it on save.",
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), steps);
}

/// The check's verdict, its reason and what it found; a blank line below.
const CHECK_LINES: usize = 4;

/// What the last check of the typed key found, or how to run one.
fn check_lines(model: &Model, form: &KeyForm, name: &str) -> Vec<Line<'static>> {
    let key = model
        .session
        .keymap
        .key_of(Scope::KeyForm, Action::CheckKey);
    if form.is_checking() {
        return vec![Line::styled(
            format!(
                "{} checking the key with {name}…",
                spinner(model.server.spinner)
            ),
            model.session.theme.warn,
        )];
    }
    if let Some(check) = form.current_check() {
        let mut head = vec![
            checks::verdict(check, &model.session.theme),
            Span::raw(format!(" ({}) ", checks::when(check))),
        ];
        head.push(Span::raw(check.reason.clone()));
        let mut lines = vec![Line::from(head)];
        let found = checks::found(check);
        if !found.is_empty() {
            lines.push(Line::from(found.join(" · ")).style(model.session.theme.muted));
        }
        return lines;
    }
    let text = match &form.check {
        Some(_) if form.has_typed() => {
            format!("the key changed since its check: {key} checks it again")
        }
        _ => format!("{key} checks the key with {name} first (read-only calls, nothing is saved)"),
    };
    vec![Line::from(text).style(model.session.theme.muted)]
}

/// How long the field is: characters, and lines for a JSON credential.
fn length(form: &KeyForm) -> String {
    let chars = form.typed_len();
    match form.line_count() {
        n if n > 1 => format!("{chars} characters on {n} lines"),
        _ => format!("{chars} characters"),
    }
}

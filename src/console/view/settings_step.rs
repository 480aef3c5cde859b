//! The key form's settings step: the masked JSON field, what the server
//! keeps (names only) and why nothing is ever shown back.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::widgets::{centered, spinner};
use crate::console::app::Model;
use crate::console::keymap::{Action, Scope};
use crate::console::settings_step::SettingsStep;

pub fn draw(model: &Model, name: &str, step: &SettingsStep, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 76, 14);
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(format!(" {name} — settings (write-only) "))
        .border_style(model.session.theme.accent);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [about, field, status, keys] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(4),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(inner);

    let about_text = "A JSON object of the provider's settings. The server merges it into the \
                      settings it stores beside this key (null removes one). Settings are \
                      never read back, not even here: the field starts empty.";
    frame.render_widget(
        Paragraph::new(about_text)
            .style(model.session.theme.muted)
            .wrap(Wrap { trim: true }),
        about,
    );
    let field_block = Block::bordered().title(" Settings (JSON object) ");
    let field_inner = field_block.inner(field);
    frame.render_widget(field_block, field);
    // Drawn in place, not cloned: a copy would outlive the zeroizing.
    frame.render_widget(&step.input, field_inner);

    let line = if step.sent.is_some() {
        Line::styled(
            format!("{} saving…", spinner(model.server.spinner)),
            model.session.theme.warn,
        )
    } else if step.editing {
        Line::styled("in your editor…", model.session.theme.warn)
    } else if let Some(error) = &step.error {
        Line::styled(format!("✗ {error}"), model.session.theme.error)
    } else if let Some(stored) = &step.stored {
        let listed = if stored.is_empty() {
            "none".to_owned()
        } else {
            stored.join(", ")
        };
        Line::styled(
            format!("✓ saved; stored now: {listed}"),
            model.session.theme.ok,
        )
    } else {
        Line::from("")
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), status);

    let key = |action| model.session.keymap.key_of(Scope::KeyForm, action);
    let hints = format!(
        "{} sends · {} opens $EDITOR · {} back to the key",
        key(Action::Save),
        key(Action::EditJson),
        key(Action::Back)
    );
    frame.render_widget(
        Paragraph::new(hints)
            .style(model.session.theme.muted)
            .wrap(Wrap { trim: true }),
        keys,
    );
}

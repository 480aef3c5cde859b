//! The help overlay: every key the console has, what has the focus first,
//! then every other scope under its own heading, the commands with the
//! command line's. Descriptions wrap to the width there is; more than
//! fits scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::widgets::{centered, rows};
use crate::console::app::Model;
use crate::console::focus::{EditorPart, Focus};
use crate::console::keymap::Scope;
use crate::console::layout::wrap;

/// The scopes after the focused one, in the order a session meets them.
const EVERY_SCOPE: &[Scope] = &[
    Scope::Global,
    Scope::Providers,
    Scope::Models,
    Scope::Assistants,
    Scope::Filter,
    Scope::Editor,
    Scope::Messages,
    Scope::Preview,
    Scope::KeyForm,
    Scope::Picker,
    Scope::Confirm,
    Scope::Log,
    Scope::Command,
    Scope::Always,
];

fn title(scope: Scope) -> &'static str {
    match scope {
        Scope::Always => "Everywhere, text fields included",
        Scope::Global => "On the screens",
        Scope::Providers => "Providers",
        Scope::Models => "Models",
        Scope::Assistants => "Assistants",
        Scope::KeyForm => "Key form",
        Scope::Editor => "Assistant editor",
        Scope::Messages => "Editor messages",
        Scope::Preview => "Request body preview",
        Scope::Filter => "Typing a filter",
        Scope::Picker => "Choice lists (languages, voices, profiles)",
        Scope::Confirm => "A yes/no question",
        Scope::Command => "Command line",
        Scope::Log => "Activity log",
    }
}

pub fn draw(model: &Model, under: Focus, frame: &mut Frame, area: Rect) {
    let (width, lines) = help_lines(model, under, area);
    let popup = centered(area, width, rows(lines.len()).saturating_add(2));
    let shown = usize::from(popup.height.saturating_sub(2));
    let offset = model
        .server
        .help_scroll
        .min(lines.len().saturating_sub(shown));
    let title = if lines.len() > shown {
        format!(
            " Keys {}–{} of {} — ↑/↓ PgUp/PgDn scroll · any other key closes ",
            offset + 1,
            offset + shown,
            lines.len()
        )
    } else {
        " Keys — any key closes ".to_owned()
    };
    frame.render_widget(Clear, popup);
    let block = Block::bordered()
        .title(title)
        .border_style(model.session.theme.accent);
    frame.render_widget(
        Paragraph::new(lines).scroll((rows(offset), 0)).block(block),
        popup,
    );
}

/// How many of help's rows do not fit in `area`: how far it can scroll.
pub fn hidden_rows(model: &Model, under: Focus, area: Rect) -> usize {
    let (_, lines) = help_lines(model, under, area);
    lines
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(2)))
}

/// A heading and its keys (or commands) with what they do.
struct Section {
    title: String,
    entries: Vec<(String, String)>,
}

/// The sections, the focus's first. `:help` typed on the command line
/// puts the command line's keys and commands first.
fn sections(model: &Model, under: Focus) -> Vec<Section> {
    let keymap = &model.session.keymap;
    let entries = |scopes: &[Scope]| -> Vec<(String, String)> {
        keymap
            .entries(scopes, |a| !model.offers(a))
            .into_iter()
            .map(|e| (e.label, e.help.to_owned()))
            .collect()
    };
    let commands = || {
        super::command::help_entries(model.read_only())
            .into_iter()
            .map(|(usage, help)| (usage, help.to_owned()))
    };
    let first: &[Scope] = if model.server.help_commands {
        Focus::Command.scopes()
    } else {
        under.scopes()
    };
    let mut here = entries(first);
    if first.contains(&Scope::Command) {
        here.extend(commands());
    }
    let mut sections = vec![Section {
        title: format!("Here: {}", title(first[0])),
        entries: here,
    }];
    if text_keys(model, under) {
        sections.push(text_section());
    }
    for &scope in EVERY_SCOPE.iter().filter(|s| !first.contains(s)) {
        let mut listed = entries(&[scope]);
        if scope == Scope::Command {
            listed.extend(commands());
        }
        if !listed.is_empty() {
            sections.push(Section {
                title: title(scope).to_owned(),
                entries: listed,
            });
        }
    }
    sections
}

/// Whether the text areas' own editing keys apply where the focus is.
fn text_keys(model: &Model, under: Focus) -> bool {
    !model.read_only()
        && matches!(
            under,
            Focus::Editor(EditorPart::Fields | EditorPart::Messages)
        )
}

/// The text areas' own editing keys (ratatui-textarea), which no binding names.
fn text_section() -> Section {
    let entry = |keys: &str, help: &str| (keys.to_owned(), help.to_owned());
    Section {
        title: "In a text field".to_owned(),
        entries: vec![
            entry("←/→ Home/End", "move in the text"),
            entry("C-w", "delete a word"),
            entry("C-k", "delete to the end"),
            entry("C-u", "undo"),
            entry(
                "paste",
                "with your terminal; messages keep pasted line breaks",
            ),
        ],
    }
}

/// Help's width and rows in `area`, before any scrolling.
fn help_lines(model: &Model, under: Focus, area: Rect) -> (u16, Vec<Line<'static>>) {
    let sections = sections(model, under);
    let width = area.width;
    let inner = usize::from(width.saturating_sub(2));
    // Commands (`:models [provider]`) are longer than keys: the column grows for them.
    let label_width = sections
        .iter()
        .flat_map(|s| &s.entries)
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 20)
        .min(inner / 3);
    let mut lines = Vec::new();
    for (n, section) in sections.iter().enumerate() {
        if n > 0 {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(section.title.clone()).bold());
        // The marks the focused screen shows, read before its keys so a
        // short terminal shows them without scrolling.
        if n == 0 {
            let legend = super::assistants::legend_for(under);
            lines.extend(
                super::assistants::legend_lines(&legend, inner)
                    .into_iter()
                    .map(|l| Line::from(l).style(model.session.theme.muted)),
            );
        }
        for (label, help) in &section.entries {
            let text = format!("{label:>label_width$}  {help}");
            lines.extend(
                wrap::indented(&text, inner, label_width + 2)
                    .into_iter()
                    .map(Line::from),
            );
        }
    }
    (width, lines)
}

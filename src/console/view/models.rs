use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Tabs, Wrap};

use super::widgets::filter_line;
use crate::console::app::follow;
use crate::console::app::{Model, PickTarget, Remote, Screen};
use crate::console::keymap::{Action, Scope};
use crate::console::update::{model_tabs, visible_models};

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let config = match &model.config {
        Remote::Loading => {
            return frame.render_widget(Paragraph::new("Loading the model catalog…").dim(), area);
        }
        Remote::Failed(e) => {
            let refresh = model.keymap.key_of(Scope::Global, Action::Refresh);
            let text = format!("The model catalog is unavailable ({refresh} retries): {e}");
            return frame.render_widget(
                Paragraph::new(text)
                    .fg(Color::Red)
                    .wrap(Wrap { trim: true }),
                area,
            );
        }
        Remote::Loaded(config) => config,
    };
    let tabs = model_tabs(model);
    if tabs.is_empty() {
        return frame.render_widget(Paragraph::new("This server lists no models.").dim(), area);
    }
    let [tab_bar, filter, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let titles: Vec<String> = tabs
        .iter()
        .map(|&i| {
            let p = &config.providers[i];
            format!(
                "{} ({})",
                p.name.as_deref().unwrap_or(&p.id),
                p.category.label()
            )
        })
        .collect();
    frame.render_widget(
        Tabs::new(titles)
            .select(model.models.tab)
            .highlight_style(Style::new().reversed().bold()),
        tab_bar,
    );
    let list = &model.models.list;
    let purpose = match model.models.target {
        Some(PickTarget::SttModel) => "choose the STT model · ",
        Some(PickTarget::LlmModel) => "choose the LLM model · ",
        Some(PickTarget::TtsModel) => "choose the TTS model · ",
        None => "",
    };
    let k = |scope, action| model.keymap.key_of(scope, action);
    let tabs_hint = if tabs.len() > 1 {
        format!(
            " · {}/{} provider",
            k(Scope::Global, Action::Left),
            k(Scope::Global, Action::Right)
        )
    } else {
        String::new()
    };
    let pick_hint = if model.models.target.is_some() {
        format!(
            " · {} choose · {} back to the editor",
            k(Scope::On(Screen::Models), Action::Select),
            k(Scope::Global, Action::Back)
        )
    } else {
        let assistants = k(Scope::Global, Action::GoTo(Screen::Assistants));
        format!(" · to use a model, pick it from an assistant's field ({assistants})")
    };
    let filter_key = k(Scope::On(Screen::Models), Action::Filter);
    let filter_line = filter_line(
        &model.keymap,
        list,
        purpose,
        format!("{filter_key} filter{tabs_hint}{pick_hint}"),
    );
    frame.render_widget(filter_line, filter);

    let models = visible_models(model);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
    let height = left.height.saturating_sub(2) as usize;
    let offset = follow(list.offset, list.selected, height);
    let lines: Vec<Line> = models
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, m)| {
            let default = if m.default { " (default)" } else { "" };
            let legacy = if m.legacy { " (legacy)" } else { "" };
            let line = Line::from(format!("{}{default}{legacy}", m.id));
            if i == list.selected {
                line.reversed()
            } else {
                line
            }
        })
        .collect();
    let title = format!(
        " {} of {} ",
        models.len(),
        config.providers[tabs[model.models.tab]].models.len()
    );
    let empty = lines.is_empty();
    let title_again = title.clone();
    let mut list_widget = Paragraph::new(lines).block(Block::bordered().title(title));
    if empty {
        list_widget = Paragraph::new("no model matches the filter")
            .dim()
            .block(Block::bordered().title(title_again));
    }
    frame.render_widget(list_widget, left);

    let details = match models.get(list.selected) {
        Some(m) => {
            let mut lines = vec![
                Line::from(m.name.clone().unwrap_or_else(|| m.id.clone())).bold(),
                Line::from(format!("id       {}", m.id)),
                Line::from(format!("default  {}", if m.default { "yes" } else { "no" })),
            ];
            if m.legacy {
                lines.push(
                    Line::from("legacy   yes: still accepted, on its way out").fg(Color::Yellow),
                );
            }
            if let Some(languages) = &m.languages {
                lines.push(Line::from(format!("languages ({})", languages.len())));
                lines.push(Line::from(languages.join(" ")));
            }
            Paragraph::new(lines)
        }
        None => Paragraph::new(""),
    };
    frame.render_widget(
        details.wrap(Wrap { trim: true }).block(
            Block::bordered().title(format!(" Details · {} ", model.catalog_source.label())),
        ),
        right,
    );
}

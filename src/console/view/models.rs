use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Tabs, Wrap};

use super::assistants::legend_lines;
use super::widgets::{filter_line, fit, sorted_title};
use crate::console::app::follow;
use crate::console::app::{Model, PickTarget, Remote, SortColumn};
use crate::console::keymap::{Action, Scope};
use crate::console::layout::screens as layout;
use crate::domain::catalog::with_language_name;
use unicode_width::UnicodeWidthStr;

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let config = match model.server.models.config() {
        Remote::Loading => {
            return frame.render_widget(
                Paragraph::new("Loading the model catalog…").style(model.session.theme.muted),
                area,
            );
        }
        Remote::Failed(e) => {
            let refresh = model.session.keymap.key_of(Scope::Global, Action::Refresh);
            let text = format!("The model catalog is unavailable ({refresh} retries): {e}");
            return frame.render_widget(
                Paragraph::new(text)
                    .style(model.session.theme.error)
                    .wrap(Wrap { trim: true }),
                area,
            );
        }
        Remote::Loaded(config) => config,
    };
    let tabs = model.model_tabs();
    if tabs.is_empty() {
        return frame.render_widget(
            Paragraph::new("This server lists no models.").style(model.session.theme.muted),
            area,
        );
    }
    let areas = layout::models(area);
    let (tab_bar, filter) = (areas.tabs, areas.filter);
    let searching = model.server.models.searching();
    let matches = model.server.models.matches();
    let name_of = |tab: usize| {
        let p = &config.providers[tabs[tab]];
        p.name.as_deref().unwrap_or(&p.id).to_owned()
    };
    // A search counts its matches on every tab.
    let titles: Vec<String> = (0..tabs.len())
        .map(|tab| {
            let p = &config.providers[tabs[tab]];
            let found = match matches.get(tab) {
                Some(n) if searching => format!(": {n}"),
                _ => String::new(),
            };
            format!("{} ({}){found}", name_of(tab), p.category.label())
        })
        .collect();
    // The catalog has more providers than one line holds: the bar shows a
    // window around the selected tab, with a mark where more are hidden.
    let (first, last) = tab_window(
        &titles,
        model.server.models.tab(),
        usize::from(tab_bar.width),
    );
    let mut shown: Vec<String> = titles[first..last].to_vec();
    if first > 0 {
        shown.insert(0, format!("‹ {first} more"));
    }
    if last < titles.len() {
        shown.push(format!("{} more ›", titles.len() - last));
    }
    let selected = model.server.models.tab() - first + usize::from(first > 0);
    frame.render_widget(
        Tabs::new(shown)
            .select(selected)
            .highlight_style(model.session.theme.header),
        tab_bar,
    );
    let list = &model.server.models.list;
    let purpose = match model.server.models.target() {
        Some(PickTarget::SttModel) => "choose the STT model · ",
        Some(PickTarget::LlmModel) => "choose the LLM model · ",
        Some(PickTarget::TtsModel) => "choose the TTS model · ",
        None => "",
    };
    let k = |scope, action| model.session.keymap.key_of(scope, action);
    let tabs_hint = if tabs.len() > 1 {
        format!(
            "{}/{} provider",
            k(Scope::Global, Action::Left),
            k(Scope::Global, Action::Right)
        )
    } else {
        String::new()
    };
    let pick_hint = if model.server.models.target().is_some() {
        format!(
            "{} choose · {} back to the editor",
            k(Scope::Models, Action::Select),
            k(Scope::Global, Action::Back)
        )
    } else {
        let assistants = k(Scope::Global, Action::Assistants);
        format!("to use a model, pick it from an assistant's field ({assistants})")
    };
    let filter_key = k(Scope::Models, Action::Filter);
    // Narrow terminals lose first what the footer says too (the filter
    // key), then the tab keys: where a choice goes always shows.
    let width = usize::from(filter.width).saturating_sub(purpose.width());
    let filter_hint = format!("{filter_key} filter");
    let idle = [
        vec![filter_hint.as_str(), &tabs_hint, &pick_hint],
        vec![&tabs_hint, &pick_hint],
        vec![&pick_hint],
    ]
    .into_iter()
    .map(|parts| {
        let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        parts.join(" · ")
    })
    .find(|text| text.width() <= width)
    .unwrap_or_else(|| pick_hint.clone());
    let filter_line = filter_line(model, list, purpose, idle);
    frame.render_widget(filter_line, filter);

    let models = model.visible_models();
    let (left, right) = (areas.list, areas.details);
    let height = usize::from(areas.rows.height);
    let offset = follow(list.offset(), list.selected(), height);
    let lines: Vec<Line> = models
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, m)| {
            let default = if m.default { " (default)" } else { "" };
            let legacy = if m.legacy { " (legacy)" } else { "" };
            // Matches from several providers say whose they are.
            let whose = list
                .visible()
                .get(i)
                .and_then(|&index| model.server.models.owner(index))
                .filter(|_| searching)
                .map_or_else(String::new, |tab| format!(" · {}", name_of(tab)));
            // Cut with a mark: the provider's name is in the details whole.
            let line = Line::from(fit(
                &format!("{}{default}{legacy}{whose}", m.id),
                usize::from(left.width.saturating_sub(2)),
            ));
            if i == list.selected() {
                line.style(model.session.theme.selection)
            } else {
                line
            }
        })
        .collect();
    let order = match list.sort() {
        Some(_) => format!("· {} ", sorted_title("id", SortColumn::Id, list.sort())),
        None => String::new(),
    };
    // The screen keeps its tab within its tabs: there is a current one.
    let Some(provider) = model.current_tab() else {
        return;
    };
    let total = if searching {
        list.items().len()
    } else {
        provider.models.len()
    };
    let title = format!(" {} of {total} {order}", models.len());
    let empty = lines.is_empty();
    let title_again = title.clone();
    let mut list_widget = Paragraph::new(lines).block(Block::bordered().title(title));
    if empty {
        let text = if provider.models.is_empty() {
            let select = model.session.keymap.key_of(Scope::Models, Action::Select);
            match model.server.models.target() {
                Some(_) => {
                    format!("no model to choose: {select} takes this provider and its voices")
                }
                None => "no model to choose: the provider has voices only".to_owned(),
            }
        } else {
            "no model matches the filter".to_owned()
        };
        list_widget = Paragraph::new(text)
            .style(model.session.theme.muted)
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(title_again));
    }
    frame.render_widget(list_widget, left);

    let details = match list.selected_item() {
        Some(m) => {
            let mut lines = vec![
                Line::from(m.name.clone().unwrap_or_else(|| m.id.clone())).bold(),
                Line::from(format!("id       {}", m.id)),
                Line::from(format!("default  {}", if m.default { "yes" } else { "no" })),
            ];
            let owner = list
                .visible()
                .get(list.selected())
                .and_then(|&index| model.server.models.owner(index))
                .filter(|_| searching);
            if let Some(tab) = owner {
                lines.insert(2, Line::from(format!("provider {}", name_of(tab))));
            }
            if m.legacy {
                lines.push(
                    Line::from("legacy   yes: still accepted, on its way out")
                        .style(model.session.theme.warn),
                );
            }
            if let Some(languages) = &m.languages {
                lines.push(Line::from(format!("languages ({})", languages.len())));
                let named: Vec<String> = languages.iter().map(|l| with_language_name(l)).collect();
                // Packed whole, so no line ends on a code whose name starts the next.
                let width = usize::from(right.width.saturating_sub(2));
                lines.extend(legend_lines(&[named], width).into_iter().map(Line::from));
            }
            Paragraph::new(lines)
        }
        None => Paragraph::new(""),
    };
    frame.render_widget(
        details
            .wrap(Wrap { trim: true })
            .block(Block::bordered().title(format!(
                " Details · {} ",
                model.server.catalog_source.label()
            ))),
        right,
    );
}

/// The tabs `first..last` that fit `width` with the selected one among
/// them, leaving room for the "more" marks on either side.
fn tab_window(titles: &[String], selected: usize, width: usize) -> (usize, usize) {
    // A tab's title, its padding and the divider after it.
    let cost = |i: usize| titles[i].chars().count() + 3;
    const MARK: usize = 12;
    let fits = |first: usize, last: usize| {
        let marks = MARK * (usize::from(first > 0) + usize::from(last < titles.len()));
        (first..last).map(cost).sum::<usize>() + marks <= width
    };
    let selected = selected.min(titles.len().saturating_sub(1));
    let (mut first, mut last) = (selected, (selected + 1).min(titles.len()));
    // Grow to the right first, then to the left, while it fits.
    while last < titles.len() && fits(first, last + 1) {
        last += 1;
    }
    while first > 0 && fits(first - 1, last) {
        first -= 1;
    }
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::tab_window;

    #[test]
    fn the_selected_tab_is_always_in_the_window() {
        let titles: Vec<String> = (0..18).map(|i| format!("Provider {i:02} (LLM)")).collect();
        for selected in 0..titles.len() {
            let (first, last) = tab_window(&titles, selected, 80);
            assert!(
                first <= selected && selected < last,
                "{selected}: {first}..{last}"
            );
            assert!(last - first >= 2, "more than one tab fits 80 columns");
        }
        assert_eq!(
            tab_window(&titles[..2], 1, 200),
            (0, 2),
            "all when they fit"
        );
    }
}

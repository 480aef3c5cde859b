use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::widgets::{Block, Paragraph, Row, Table};

use super::widgets::{filter_line, fit, sorted_title};
use crate::console::app::follow;
use crate::console::app::{Model, Remote, SortColumn};
use crate::console::checks::{KeyNeed, key_needs_of_models, voice_missing};
use crate::console::format::short_time;
use crate::console::keymap::{Action, Scope};
use crate::console::layout::screens as layout;
use crate::console::screens::AssistantRow;

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let all = match &model.server.assistants.status {
        Remote::Loading => {
            return frame.render_widget(
                Paragraph::new("Loading assistants…").style(model.session.theme.muted),
                area,
            );
        }
        Remote::Failed(e) => {
            let refresh = model.session.keymap.key_of(Scope::Global, Action::Refresh);
            let text = format!("Could not load assistants ({refresh} retries): {e}");
            return frame
                .render_widget(Paragraph::new(text).style(model.session.theme.error), area);
        }
        Remote::Loaded(()) => model.server.assistants.list.items(),
    };
    let areas = layout::assistants(area);
    let (filter, body) = (areas.filter, areas.table);
    let list = &model.server.assistants.list;
    let k = |action| model.session.keymap.key_of(Scope::Assistants, action);
    let idle = if model.read_only() {
        format!("{} filter · {} view", k(Action::Filter), k(Action::Select))
    } else {
        format!(
            "{} filter · {} edit · {} new · {} delete",
            k(Action::Filter),
            k(Action::Select),
            k(Action::New),
            k(Action::Delete)
        )
    };
    let filter_line = filter_line(model, list, "", idle);
    frame.render_widget(filter_line, filter);
    if all.is_empty() {
        let text = if model.read_only() {
            "No assistants yet.".to_owned()
        } else {
            format!("No assistants yet. Press {} to create one.", k(Action::New))
        };
        return frame.render_widget(
            Paragraph::new(text).block(Block::bordered().title(" Assistants ")),
            body,
        );
    }
    if list.visible().is_empty() {
        let text = format!(
            "No assistant matches {:?}. {} clears the filter.",
            list.filter(),
            model.session.keymap.key_of(Scope::Global, Action::Back)
        );
        let title = format!(" Assistants 0 of {} ", all.len());
        return frame.render_widget(
            Paragraph::new(text).block(Block::bordered().title(title)),
            body,
        );
    }
    // Only the rows on screen are built, so thousands of assistants cost
    // no more per frame than a screenful.
    // Wide: the update time and whole ElevenLabs voice ids (20 characters);
    // narrow: the time is the first thing to give up.
    let widths = if body.width >= 100 {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Length(21),
            Constraint::Fill(4),
            Constraint::Length(24),
        ]
    } else {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Fill(2),
        ]
    };
    // Cells are cut to their column with an ellipsis, by display width.
    let inner = Rect::new(0, 0, body.width.saturating_sub(2), 1);
    let columns: Vec<usize> = Layout::horizontal(widths.clone())
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| usize::from(r.width))
        .collect();
    let height = usize::from(areas.rows.height);
    let offset = follow(list.offset(), list.selected(), height);
    let rows = list
        .visible()
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(i, &index)| all.get(index).map(|a| (i, a)))
        .map(|(i, assistant)| {
            let row = row(model, assistant, &columns);
            if i == list.selected() {
                row.style(model.session.theme.selection)
            } else {
                row
            }
        });
    let filtered = if list.visible().len() < all.len() {
        format!(" (of {})", all.len())
    } else {
        String::new()
    };
    let title = format!(
        " Assistants {}/{}{filtered} ",
        list.selected() + 1,
        list.visible().len()
    );
    let table = Table::new(rows, widths)
        .header(
            Row::new([
                sorted_title("Name", SortColumn::Name, list.sort()),
                "STT".into(),
                "LLM".into(),
                "TTS".into(),
                "Keys".into(),
                sorted_title("Updated", SortColumn::Updated, list.sort()),
            ])
            .bold(),
        )
        .block(Block::bordered().title(title));
    frame.render_widget(table, body);
}

/// Built for the rows on screen only, like every cell here: which keys the
/// assistant's models use and what is known of each costs a screenful.
fn row<'a>(model: &Model, a: &'a AssistantRow, columns: &[usize]) -> Row<'a> {
    let stt = a.stt.as_ref().map(|u| {
        let model = u.model.as_deref().unwrap_or("?");
        u.detail
            .as_deref()
            .map_or_else(|| model.to_owned(), |l| format!("{model}/{l}"))
    });
    let llm = a
        .llm
        .as_ref()
        .and_then(|u| u.model.as_deref().map(str::to_owned));
    // A realtime LLM speaks with a voice of its own, and there is no TTS.
    let realtime_voice = a
        .llm
        .as_ref()
        .and_then(|u| u.detail.as_deref())
        .map(|v| format!("{v} (LLM voice)"));
    let tts = match &a.tts {
        // A voice its library lacks will not speak: said before the id.
        Some(u) => u.detail.as_deref().map(|v| {
            let missing = voice_missing(&u.provider, v, &model.server.checks).is_some();
            if missing {
                format!("⚠ {v}")
            } else {
                v.to_owned()
            }
        }),
        None => realtime_voice,
    };
    let keys = keys_cell(&key_needs_of_models(
        &model.server.catalog,
        a.models(),
        model.server.byok.loaded(),
        &model.server.checks,
    ));
    let default = || "default".to_owned();
    let updated = a.updated_at().map(short_time).unwrap_or_default();
    let cells = [
        a.name.to_string(),
        stt.unwrap_or_else(default),
        llm.unwrap_or_else(default),
        tts.unwrap_or_else(default),
        keys,
        updated,
    ];
    Row::new(
        cells
            .into_iter()
            .zip(columns)
            .map(|(text, width)| fit(&text, *width)),
    )
}

/// The assistant's own keys with their marks, then how many run on the
/// platform's default keys (○, as everywhere): `deepgram ✓ openai ✗ +1 ○`.
fn keys_cell(needs: &[KeyNeed]) -> String {
    let mut parts: Vec<String> = needs
        .iter()
        .filter(|k| k.configured != Some(false))
        .map(KeyNeed::brief)
        .collect();
    let platform = needs.iter().filter(|k| k.configured == Some(false)).count();
    if platform > 0 {
        parts.push(format!("+{platform} ○"));
    }
    if parts.is_empty() {
        "—".to_owned()
    } else {
        parts.join(" ")
    }
}

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::widgets::{Block, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::widgets::{filter_line, fit, sorted_title};
use crate::console::app::follow;
use crate::console::app::{Model, Remote, Screen, SortColumn};
use crate::console::checks::{KeyNeed, key_needs_of_models, voice_missing};
use crate::console::focus::{EditorPart, Focus};
use crate::console::format::{ago, short_time};
use crate::console::key_state::KeyState;
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
    // As the footer: with nothing listed, nothing to open or delete.
    let idle = if all.is_empty() && model.read_only() {
        format!("{} filter", k(Action::Filter))
    } else if all.is_empty() {
        format!("{} filter · {} new", k(Action::Filter), k(Action::New))
    } else if model.read_only() {
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
    let height = usize::from(areas.rows.height);
    let offset = follow(list.offset(), list.selected(), height);
    let shown: Vec<(usize, &AssistantRow, Keys)> = list
        .visible()
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .filter_map(|(i, &index)| all.get(index).map(|a| (i, a)))
        .map(|(i, a)| (i, a, Keys::of(model, a)))
        .collect();
    let widths = widths(body.width, &shown);
    // Cells are cut to their column with an ellipsis, by display width.
    let inner = Rect::new(0, 0, body.width.saturating_sub(2), 1);
    let columns: Vec<usize> = Layout::horizontal(widths.clone())
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| usize::from(r.width))
        .collect();
    let rows = shown.iter().map(|(i, assistant, keys)| {
        let row = row(model, assistant, keys, &columns);
        if *i == list.selected() {
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

/// Wide: names and models take what the short columns leave, whole
/// ElevenLabs voice ids (20 characters), the keys as wide as the widest on
/// screen, the update time as an age. Narrow: the time is the first thing
/// to give up.
fn widths(width: u16, shown: &[(usize, &AssistantRow, Keys)]) -> Vec<Constraint> {
    let wide = width >= 100;
    let most = if wide { KEYS_WIDE } else { KEYS_NARROW };
    let keys = shown
        .iter()
        .map(|(_, _, k)| k.width())
        .max()
        .unwrap_or(0)
        .clamp("Keys".len(), most);
    let keys = Constraint::Length(u16::try_from(keys).unwrap_or(u16::MAX));
    if wide {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
            Constraint::Length(21),
            keys,
            Constraint::Length(10),
        ]
    } else {
        vec![
            Constraint::Fill(3),
            Constraint::Fill(3),
            Constraint::Fill(2),
            Constraint::Fill(2),
            keys,
        ]
    }
}

/// The widest the Keys column grows, wide and narrow: past it the
/// assistant's own keys are cut, never the platform's count after them.
/// Wide, a key of yours for each of the STT, LLM and TTS most set up first
/// (`deepgram ● openai ● elevenlabs ●`) shows whole.
const KEYS_WIDE: usize = 32;
const KEYS_NARROW: usize = 18;

/// Built for the rows on screen only, like every cell here.
fn row<'a>(model: &Model, a: &'a AssistantRow, keys: &Keys, columns: &[usize]) -> Row<'a> {
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
    let default = || "default".to_owned();
    let updated = match (a.updated_at(), model.server.assistants.listed_at) {
        (Some(at), Some(now)) => ago(at, now),
        (Some(at), None) => short_time(at),
        (None, _) => String::new(),
    };
    let cells = [
        a.name.to_string(),
        stt.unwrap_or_else(default),
        llm.unwrap_or_else(default),
        tts.unwrap_or_else(default),
    ];
    let mut cells: Vec<String> = cells
        .into_iter()
        .zip(columns)
        .map(|(text, width)| fit(&text, *width))
        .collect();
    cells.push(keys.fitted(columns.get(4).copied().unwrap_or(0)));
    if columns.len() > 5 {
        cells.push(updated);
    }
    Row::new(cells)
}

/// The Keys cell of one assistant: its own keys with their marks, then how
/// many run on the platform's keys (○, as everywhere): `deepgram ✓ openai ✗ +1 ○`.
struct Keys {
    own: String,
    platform: String,
}

impl Keys {
    fn of(model: &Model, a: &AssistantRow) -> Keys {
        let needs = key_needs_of_models(
            &model.server.catalog,
            a.models(),
            model.server.byok.loaded(),
            &model.server.checks,
        );
        let own: Vec<String> = needs
            .iter()
            .filter(|k| k.state() != KeyState::Platform)
            .map(KeyNeed::brief)
            .collect();
        let platform = needs
            .iter()
            .filter(|k| k.state() == KeyState::Platform)
            .count();
        Keys {
            own: own.join(" "),
            platform: match platform {
                0 => String::new(),
                n => format!("+{n} {}", KeyState::Platform.mark()),
            },
        }
    }

    fn whole(&self) -> String {
        match (self.own.is_empty(), self.platform.is_empty()) {
            (true, true) => "—".to_owned(),
            (false, true) => self.own.clone(),
            (true, false) => self.platform.clone(),
            (false, false) => format!("{} {}", self.own, self.platform),
        }
    }

    fn width(&self) -> usize {
        self.whole().width()
    }

    /// Cut to `width` inside the own keys: the platform's count stays whole.
    fn fitted(&self, width: usize) -> String {
        let whole = self.whole();
        if whole.width() <= width || self.platform.is_empty() || self.own.is_empty() {
            return fit(&whole, width);
        }
        let room = width.saturating_sub(self.platform.width() + 1);
        if room == 0 {
            return fit(&self.platform, width);
        }
        format!("{} {}", fit(&self.own, room), self.platform)
    }
}

/// What help explains of the marks under it: the list's columns, or the
/// editor's keys. Each group starts a line.
pub fn legend_for(under: Focus) -> Vec<Vec<String>> {
    let keys = || {
        let mut group = vec!["Keys:".to_owned()];
        group.extend(
            KeyState::LEGEND
                .iter()
                .filter(|s| **s != KeyState::Platform)
                .map(|s| s.marked()),
        );
        group
    };
    match under {
        Focus::Screen(Screen::Assistants) | Focus::Filter(Screen::Assistants) => {
            let mut keys = keys();
            keys.push(format!(
                "+2 {} two keys are the platform's, none of yours",
                KeyState::Platform.mark()
            ));
            vec![
                keys,
                vec!["TTS:".into(), "⚠ a voice not in your voice library".into()],
                vec![
                    "Updated:".into(),
                    "how long ago; the editor's title has the full time".into(),
                ],
            ]
        }
        Focus::Editor(EditorPart::Fields) => {
            let mut keys = keys();
            keys.push(KeyState::Platform.marked());
            vec![keys]
        }
        _ => Vec::new(),
    }
}

/// The groups packed into lines of `width`, items apart by ` · `; a group
/// that does not fit goes on indented.
pub fn legend_lines(groups: &[Vec<String>], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for group in groups {
        let mut line = String::new();
        for item in group {
            let joined = if line.is_empty() {
                item.clone()
            } else if line.ends_with(':') {
                format!("{line} {item}")
            } else {
                format!("{line} · {item}")
            };
            if line.is_empty() || joined.width() <= width {
                line = joined;
            } else {
                lines.push(std::mem::replace(&mut line, format!("  {item}")));
            }
        }
        lines.push(line);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

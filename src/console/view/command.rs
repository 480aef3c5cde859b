//! The `:` command line in the footer's place, and its completions on the
//! line above, as vim's wildmenu shows them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Style, Stylize};
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph};

use super::widgets;
use crate::console::command::{Arg, COMMANDS, CommandLine};

pub fn draw(line: &CommandLine, frame: &mut Frame, footer: Rect, body: Rect) {
    let width = usize::from(footer.width);
    // The end of a long line stays in view: that is where the typing is.
    let shown: String = {
        let chars: Vec<char> = line.text.chars().collect();
        let room = width.saturating_sub(2);
        chars[chars.len().saturating_sub(room)..].iter().collect()
    };
    frame.render_widget(Paragraph::new(format!(":{shown}▏")).bold(), footer);
    let Some(completion) = &line.completion else {
        return;
    };
    if body.height == 0 {
        return;
    }
    let row = Rect {
        y: body.y + body.height - 1,
        height: 1,
        ..body
    };
    let spans: Vec<Span> = completion
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let text = format!(" {} ", c.trim_end());
            if i == completion.chosen {
                Span::styled(text, Style::new().reversed().bold())
            } else {
                Span::raw(text)
            }
        })
        .collect();
    frame.render_widget(Clear, row);
    frame.render_widget(widgets::fit_line(spans, row.width), row);
}

/// Every command as help lists it: `:models [provider]` and what it does.
/// A read-only session leaves out what would change something.
pub fn help_entries(read_only: bool) -> Vec<(String, &'static str)> {
    COMMANDS
        .iter()
        .filter(|s| !(read_only && s.writes))
        .map(|s| {
            let usage = match s.arg {
                Arg::None => format!(":{}", s.name),
                _ => format!(":{} {}", s.name, s.usage),
            };
            (usage, s.help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_names_every_command_with_its_argument() {
        let entries = help_entries(false);
        assert_eq!(entries.len(), COMMANDS.len());
        assert!(!help_entries(true).iter().any(|(u, _)| u == ":new"));
        assert!(entries.iter().any(|(u, _)| u == ":models [provider]"));
        assert!(entries.iter().any(|(u, _)| u == ":quit"));
    }
}

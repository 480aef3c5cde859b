//! Every screen as the terminal will get it: on a terminal without 256
//! colours only the 16 ANSI ones are left, and with NO_COLOR none at all,
//! while the selection stays visible.

use testkit::console_support;

use console_support::Harness;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier, Style};
use voicedock::console::colors::{self, Depth};
use voicedock::console::view;

/// Each screen of a loaded console, and the help over it.
fn screens() -> Vec<Harness> {
    let keys: [&[KeyCode]; 5] = [
        &[],
        &[KeyCode::Char('3')],
        &[KeyCode::Char('4')],
        &[KeyCode::Char('4'), KeyCode::Enter],
        &[KeyCode::Char('?')],
    ];
    keys.iter()
        .map(|keys| {
            let mut h = Harness::loaded();
            for key in *keys {
                h.key(*key);
            }
            h
        })
        .collect()
}

/// The frame `view` draws, with a strip of the colours a theme could use
/// painted over its first row, then fitted to `depth` as the console does.
fn frame(h: &Harness, depth: Depth) -> (Buffer, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut drawn = None;
    terminal
        .draw(|f| {
            view::view(&h.model, f);
            let theme = [
                Style::new().fg(Color::Rgb(255, 135, 0)),
                Style::new().fg(Color::Indexed(245)).bg(Color::Indexed(236)),
                Style::new().bg(Color::Rgb(0, 95, 175)),
                Style::new().underline_color(Color::Indexed(196)),
            ];
            for (x, style) in theme.into_iter().enumerate() {
                f.buffer_mut()[(x as u16, 0)].set_style(style);
            }
            drawn = Some(f.buffer_mut().clone());
            colors::fit(f.buffer_mut(), depth);
        })
        .unwrap();
    (drawn.unwrap(), terminal.backend().buffer().clone())
}

fn colours(buffer: &Buffer) -> impl Iterator<Item = Color> + '_ {
    buffer
        .content
        .iter()
        .flat_map(|c| [c.fg, c.bg, c.underline_color])
}

fn beyond_16(color: &Color) -> bool {
    matches!(color, Color::Rgb(..)) || matches!(color, Color::Indexed(i) if *i > 15)
}

#[test]
fn a_linux_console_gets_only_the_16_ansi_colours() {
    let depth = Depth::detect(Some("linux"), None, None);
    assert_eq!(depth, Depth::Ansi16);
    for h in screens() {
        let (drawn, shown) = frame(&h, depth);
        assert!(
            colours(&drawn).any(|c| beyond_16(&c)),
            "the test paints some"
        );
        let left: Vec<Color> = colours(&shown).filter(beyond_16).collect();
        assert!(left.is_empty(), "{left:?}");
        assert!(
            colours(&shown).any(|c| c != Color::Reset),
            "colours are mapped, not dropped"
        );
    }
}

#[test]
fn no_color_leaves_no_colour_and_keeps_the_selection_reversed() {
    let depth = Depth::detect(Some("xterm-256color"), Some("truecolor"), Some("1"));
    for h in screens() {
        let (drawn, shown) = frame(&h, depth);
        assert!(colours(&shown).all(|c| c == Color::Reset));
        let reversed = |b: &Buffer| {
            b.content
                .iter()
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .count()
        };
        assert!(reversed(&shown) >= reversed(&drawn));
        let bold = |b: &Buffer| {
            b.content
                .iter()
                .filter(|c| c.modifier.contains(Modifier::BOLD))
                .count()
        };
        assert_eq!(bold(&shown), bold(&drawn));
    }
    // The Providers screen marks its focused provider in reverse video.
    let (_, providers) = frame(&screens()[0], depth);
    assert!(
        providers
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED) && !c.symbol().trim().is_empty())
    );
}

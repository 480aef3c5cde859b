//! Themes: each draws the same screens in its own colours, NO_COLOR still
//! takes every colour away, and `:theme` switches the session's theme.

use testkit::console_support;

use console_support::Harness;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use voicedock::console::colors::{self, Depth};
use voicedock::console::theme::Theme;
use voicedock::console::view;

// Wide and tall enough for the Providers panels.
const SIZE: (u16, u16) = (140, 50);

fn drawn(h: &mut Harness, depth: Depth) -> Buffer {
    h.send(voicedock::console::msg::Msg::Resize(SIZE.0, SIZE.1));
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    terminal
        .draw(|f| {
            view::view(&h.model, f);
            colors::fit(f.buffer_mut(), depth);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

fn themed(name: &str, keys: &[KeyCode]) -> Harness {
    let mut h = Harness::loaded();
    h.model.session.theme = Theme::named(name).unwrap();
    for key in keys {
        h.key(*key);
    }
    h
}

/// The column and row where `needle` starts on screen.
fn find(buffer: &Buffer, needle: &str) -> (u16, u16) {
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        if let Some(at) = line.find(needle) {
            return (line[..at].chars().count() as u16, y);
        }
    }
    panic!("{needle:?} is not on screen");
}

#[test]
fn the_focused_panel_border_takes_each_themes_accent() {
    let mut corners = Vec::new();
    for name in Theme::NAMES {
        let mut h = themed(name, &[]);
        let buffer = drawn(&mut h, Depth::TrueColor);
        // The first panel has the focus; its top-left corner is under the header.
        let corner = &buffer[(0, 1)];
        assert_eq!(Some(corner.fg), h.model.session.theme.accent.fg, "{name}");
        corners.push((name, corner.fg, corner.modifier));
    }
    for (i, (a, fg, _)) in corners.iter().enumerate() {
        for (b, other, _) in &corners[i + 1..] {
            assert_ne!(fg, other, "{a} and {b} draw the focus alike");
        }
    }
    let (_, _, high_contrast) = corners
        .iter()
        .find(|(n, ..)| *n == "high-contrast")
        .unwrap();
    assert!(high_contrast.contains(Modifier::BOLD));
}

#[test]
fn the_selected_row_is_the_themes_selection() {
    let mut h = themed("light", &[KeyCode::Char('3')]);
    let buffer = drawn(&mut h, Depth::TrueColor);
    let (x, y) = find(&buffer, "Reception NL");
    assert_eq!(buffer[(x, y)].bg, Color::Rgb(0xaf, 0xd7, 0xff));
    assert!(!buffer[(x, y)].modifier.contains(Modifier::REVERSED));

    let mut h = themed("default", &[KeyCode::Char('3')]);
    let buffer = drawn(&mut h, Depth::TrueColor);
    let (x, y) = find(&buffer, "Reception NL");
    assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED));

    let mut h = themed("high-contrast", &[KeyCode::Char('3')]);
    let buffer = drawn(&mut h, Depth::TrueColor);
    let (x, y) = find(&buffer, "Reception NL");
    assert_eq!(buffer[(x, y)].bg, Color::LightYellow);
    assert_eq!(buffer[(x, y)].fg, Color::Black);
}

#[test]
fn the_sixteen_colour_theme_needs_no_fitting() {
    let mut h = themed("ansi16", &[KeyCode::Char('3')]);
    let buffer = drawn(&mut h, Depth::TrueColor);
    let beyond = buffer
        .content
        .iter()
        .flat_map(|c| [c.fg, c.bg])
        .find(|c| matches!(c, Color::Rgb(..) | Color::Indexed(_)));
    assert_eq!(beyond, None);
}

#[test]
fn no_color_takes_every_colour_away_with_every_theme() {
    let screens: [&[KeyCode]; 4] = [
        &[],
        &[KeyCode::Char('2')],
        &[KeyCode::Char('3')],
        &[KeyCode::Char('3'), KeyCode::Enter],
    ];
    let depth = Depth::detect(Some("xterm-256color"), Some("truecolor"), Some("1"));
    for name in Theme::NAMES {
        for keys in screens {
            let mut h = themed(name, keys);
            let coloured = drawn(&mut h, Depth::TrueColor);
            assert!(
                coloured.content.iter().any(|c| c.fg != Color::Reset),
                "{name} {keys:?} draws in colour"
            );
            let shown = drawn(&mut h, depth);
            let left: Vec<_> = shown
                .content
                .iter()
                .flat_map(|c| [c.fg, c.bg, c.underline_color])
                .filter(|c| *c != Color::Reset)
                .collect();
            assert!(left.is_empty(), "{name} {keys:?}: {left:?}");
        }
        // The selection stays marked without colour.
        let mut h = themed(name, &[KeyCode::Char('3')]);
        let shown = drawn(&mut h, depth);
        let (x, y) = find(&shown, "Reception NL");
        assert!(
            shown[(x, y)].modifier.contains(Modifier::REVERSED),
            "{name}"
        );
    }
}

#[test]
fn a_theme_command_changes_the_session_and_an_unknown_one_not_at_all() {
    let mut h = Harness::loaded();
    let run = |h: &mut Harness, line: &str| {
        h.type_text(line);
        h.key(KeyCode::Enter);
    };
    assert_eq!(h.model.session.theme.name, "default");
    run(&mut h, ":theme high-contrast");
    assert_eq!(h.model.session.theme.name, "high-contrast");
    run(&mut h, ":theme high-contrast");
    assert_eq!(h.model.session.theme.name, "high-contrast", "no change");
    run(&mut h, ":theme solarized");
    assert!(h.toast_text().contains("solarized"), "{}", h.toast_text());
    assert!(h.effects.is_empty(), "a theme is no effect for the loop");
    assert_eq!(
        h.model.session.theme.name, "high-contrast",
        "an unknown name keeps the theme"
    );
    let why = Theme::named("solarized").unwrap_err();
    for name in Theme::NAMES {
        assert!(why.contains(name), "{why}");
    }
}

//! The colours the terminal can show. `view` draws with any colour it likes;
//! `fit` then rewrites the finished frame for the terminal at hand, so no
//! widget needs to know what the terminal supports.

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

use palette::{contrasting, to_ansi16, to_palette256};

mod palette;

/// What the terminal is known to show, decided once at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// 24-bit colour: everything is drawn as given.
    TrueColor,
    /// The xterm 256-colour palette: RGB goes to its nearest entry.
    Palette256,
    /// Only the 16 ANSI colours are safe.
    Ansi16,
    /// `NO_COLOR`: no colour at all; bold, reverse and the like stay.
    Monochrome,
}

impl Depth {
    /// From `TERM`, `COLORTERM` and `NO_COLOR` as the process got them.
    pub fn from_env() -> Depth {
        let var = |name: &str| std::env::var(name).ok();
        Depth::detect(
            var("TERM").as_deref(),
            var("COLORTERM").as_deref(),
            var("NO_COLOR").as_deref(),
        )
    }

    /// `NO_COLOR` with any value but the empty one wins (no-color.org); then
    /// `COLORTERM=truecolor|24bit`; then what `TERM`'s name promises. A
    /// terminal that does not say it has 256 colours gets the 16 every
    /// colour terminal has.
    pub fn detect(term: Option<&str>, colorterm: Option<&str>, no_color: Option<&str>) -> Depth {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return Depth::Monochrome;
        }
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        if matches!(colorterm.as_str(), "truecolor" | "24bit") {
            return Depth::TrueColor;
        }
        let term = term.unwrap_or("").to_ascii_lowercase();
        if term.contains("direct") || term.contains("truecolor") {
            Depth::TrueColor
        } else if term.contains("256color") {
            Depth::Palette256
        } else {
            Depth::Ansi16
        }
    }
}

/// Rewrites every cell's colours to ones `depth` can show.
pub fn fit(buffer: &mut Buffer, depth: Depth) {
    if depth == Depth::TrueColor {
        return;
    }
    if depth == Depth::Monochrome {
        buffer.content.iter_mut().for_each(drop_colours);
        return;
    }
    // Cells come in runs of one style: a run's colours are looked up once.
    let mut last: Option<([Color; 3], [Color; 3])> = None;
    for cell in &mut buffer.content {
        let given = [cell.fg, cell.bg, cell.underline_color];
        let shown = match last {
            Some((was, shown)) if was == given => shown,
            _ => {
                let shown = mapped(given, depth);
                last = Some((given, shown));
                shown
            }
        };
        [cell.fg, cell.bg, cell.underline_color] = shown;
    }
}

/// Foreground, background and underline colours as `depth` shows them.
fn mapped([fg, bg, underline]: [Color; 3], depth: Depth) -> [Color; 3] {
    match depth {
        Depth::Palette256 => [
            to_palette256(fg),
            to_palette256(bg),
            to_palette256(underline),
        ],
        Depth::Ansi16 => {
            let (new_fg, new_bg) = (to_ansi16(fg), to_ansi16(bg));
            // Two close shades can land on one colour: the text would vanish.
            let new_fg = if new_fg == new_bg && new_fg != Color::Reset && fg != bg {
                contrasting(new_bg)
            } else {
                new_fg
            };
            [new_fg, new_bg, to_ansi16(underline)]
        }
        Depth::TrueColor | Depth::Monochrome => [fg, bg, underline],
    }
}

fn drop_colours(cell: &mut Cell) {
    // A background marked the cell out (a selection, a badge): reverse
    // video keeps it marked without a colour.
    if cell.bg != Color::Reset && !cell.modifier.contains(Modifier::REVERSED) {
        cell.modifier.insert(Modifier::REVERSED);
    }
    cell.fg = Color::Reset;
    cell.bg = Color::Reset;
    cell.underline_color = Color::Reset;
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn the_environment_decides_the_depth() {
        let d = Depth::detect;
        assert_eq!(d(Some("xterm-256color"), None, None), Depth::Palette256);
        assert_eq!(d(Some("screen-256color"), None, None), Depth::Palette256);
        assert_eq!(d(Some("xterm-direct"), None, None), Depth::TrueColor);
        for plain in ["linux", "vt100", "xterm", "screen", "rxvt"] {
            assert_eq!(d(Some(plain), None, None), Depth::Ansi16, "{plain}");
        }
        assert_eq!(d(None, None, None), Depth::Ansi16);
        assert_eq!(d(Some("xterm"), Some("truecolor"), None), Depth::TrueColor);
        assert_eq!(d(Some("linux"), Some("24bit"), None), Depth::TrueColor);
        assert_eq!(d(Some("xterm"), Some("yes"), None), Depth::Ansi16);
        assert_eq!(
            d(Some("xterm-256color"), Some("truecolor"), Some("1")),
            Depth::Monochrome
        );
        assert_eq!(
            d(Some("xterm-256color"), None, Some("")),
            Depth::Palette256,
            "an empty NO_COLOR is unset"
        );
    }

    fn painted() -> Buffer {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
        let styles = [
            Style::new().fg(Color::Rgb(255, 135, 0)),
            Style::new().fg(Color::Indexed(208)).bg(Color::Indexed(19)),
            Style::new().fg(Color::Indexed(9)),
            Style::new().fg(Color::Green).bold(),
            Style::new().bg(Color::Rgb(40, 40, 160)),
            // Two greys one step apart.
            Style::new()
                .fg(Color::Rgb(200, 200, 200))
                .bg(Color::Rgb(215, 215, 215)),
        ];
        for (x, style) in styles.into_iter().enumerate() {
            buffer[(x as u16, 0)].set_symbol("x").set_style(style);
        }
        buffer
    }

    fn colors(buffer: &Buffer) -> Vec<Color> {
        buffer
            .content
            .iter()
            .flat_map(|c| [c.fg, c.bg, c.underline_color])
            .collect()
    }

    #[test]
    fn sixteen_colours_leave_no_palette_or_rgb_colour() {
        let mut buffer = painted();
        fit(&mut buffer, Depth::Ansi16);
        for color in colors(&buffer) {
            assert!(
                !matches!(color, Color::Rgb(..) | Color::Indexed(_)),
                "{color:?}"
            );
        }
        let fg: Vec<Color> = buffer.content.iter().map(|c| c.fg).collect();
        assert_eq!(fg[0], Color::Yellow, "orange");
        assert_eq!(fg[1], Color::Yellow, "index 208 is orange too");
        assert_eq!(fg[2], Color::LightRed);
        assert_eq!(fg[3], Color::Green);
        assert_eq!(buffer[(1, 0)].bg, Color::Blue, "index 19 is a dark blue");
        assert_eq!(buffer[(4, 0)].bg, Color::Blue);
        assert!(buffer[(3, 0)].modifier.contains(Modifier::BOLD));
        let grey = &buffer[(5, 0)];
        assert_ne!(grey.fg, grey.bg, "text stays readable");
    }

    #[test]
    fn the_256_palette_keeps_indices_and_maps_rgb() {
        let mut buffer = painted();
        fit(&mut buffer, Depth::Palette256);
        assert_eq!(buffer[(0, 0)].fg, Color::Indexed(208), "255,135,0 is 208");
        assert_eq!(buffer[(1, 0)].fg, Color::Indexed(208));
        assert_eq!(buffer[(5, 0)].fg, Color::Indexed(251), "a grey to a grey");
        assert!(colors(&buffer).iter().all(|c| !matches!(c, Color::Rgb(..))));
    }

    #[test]
    fn no_color_keeps_modifiers_and_marks_backgrounds() {
        let mut buffer = painted();
        fit(&mut buffer, Depth::Monochrome);
        assert!(colors(&buffer).iter().all(|c| *c == Color::Reset));
        assert!(buffer[(3, 0)].modifier.contains(Modifier::BOLD));
        assert!(buffer[(4, 0)].modifier.contains(Modifier::REVERSED));
        assert!(!buffer[(0, 0)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn true_colour_changes_nothing() {
        let mut buffer = painted();
        fit(&mut buffer, Depth::TrueColor);
        assert_eq!(buffer, painted());
    }
}

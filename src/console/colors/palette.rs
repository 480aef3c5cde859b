//! The xterm palette and the nearest colour in it: what a colour becomes on
//! a terminal that has fewer.

use ratatui::style::Color;

/// xterm's defaults for the 16 ANSI colours, in their index order.
const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The levels of the 6×6×6 cube at indices 16–231.
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

pub(super) fn to_ansi16(color: Color) -> Color {
    match color {
        Color::Indexed(i) => indexed_to_ansi16()[usize::from(i)],
        Color::Rgb(r, g, b) => nearest_ansi16((r, g, b)),
        named => named,
    }
}

/// Each palette index's nearest ANSI colour, worked out once.
fn indexed_to_ansi16() -> &'static [Color; 256] {
    static TABLE: std::sync::OnceLock<[Color; 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| match u8::try_from(i) {
            Ok(i) if i < 16 => ANSI16[usize::from(i)].0,
            Ok(i) => nearest_ansi16(palette_rgb(i)),
            Err(_) => Color::Reset,
        })
    })
}

pub(super) fn to_palette256(color: Color) -> Color {
    match color {
        Color::Rgb(r, g, b) => Color::Indexed(nearest_palette256((r, g, b))),
        other => other,
    }
}

fn nearest_ansi16(rgb: (u8, u8, u8)) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, entry)| distance(rgb, *entry))
        .map_or(Color::Reset, |(color, _)| *color)
}

/// The nearer of the closest cube colour and the closest grey (232–255);
/// the first 16 are left out, since terminals set them as they please.
fn nearest_palette256(rgb: (u8, u8, u8)) -> u8 {
    let level = |c: u8| -> u8 {
        let nearest = CUBE
            .iter()
            .enumerate()
            .min_by_key(|(_, l)| u8::abs_diff(**l, c))
            .map_or(0, |(i, _)| i);
        // Six levels: the index always fits.
        nearest as u8
    };
    let (r, g, b) = (level(rgb.0), level(rgb.1), level(rgb.2));
    let cube = 16 + 36 * r + 6 * g + b;
    let mean = (u16::from(rgb.0) + u16::from(rgb.1) + u16::from(rgb.2)) / 3;
    // Greys run 8, 18, …, 238.
    let step = (mean.saturating_sub(3) / 10).min(23) as u8;
    let grey = 232 + step;
    if distance(rgb, palette_rgb(grey)) < distance(rgb, palette_rgb(cube)) {
        grey
    } else {
        cube
    }
}

/// The colour xterm shows for a 256-palette index.
fn palette_rgb(index: u8) -> (u8, u8, u8) {
    match index {
        0..16 => ANSI16[usize::from(index)].1,
        16..232 => {
            let i = index - 16;
            let level = |n: u8| CUBE[usize::from(n)];
            (level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        _ => {
            let v = 8 + 10 * (index - 232);
            (v, v, v)
        }
    }
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// Black or white, whichever stands out more on `background`.
pub(super) fn contrasting(background: Color) -> Color {
    let rgb = ANSI16
        .iter()
        .find(|(c, _)| *c == background)
        .map_or((0, 0, 0), |(_, rgb)| *rgb);
    if distance(rgb, (0, 0, 0)) > distance(rgb, (255, 255, 255)) {
        Color::Black
    } else {
        Color::White
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_palette_index_has_its_xterm_colour() {
        assert_eq!(palette_rgb(16), (0, 0, 0));
        assert_eq!(palette_rgb(231), (255, 255, 255));
        assert_eq!(palette_rgb(208), (255, 135, 0));
        assert_eq!(palette_rgb(232), (8, 8, 8));
        assert_eq!(palette_rgb(255), (238, 238, 238));
        for i in 16..=255 {
            assert_eq!(nearest_palette256(palette_rgb(i)), i, "{i} maps to itself");
        }
    }
}

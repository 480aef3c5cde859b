//! Layout facts both `update` and `view` rely on: how big things are and
//! how many rows or columns fit. A leaf module, so neither side asks the
//! other, and a page moved by PgDn is the page the screen shows.

use unicode_width::UnicodeWidthStr;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;

/// Below this nothing can be drawn usefully; only quitting is offered.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// A toast gets a line of its own so the key hints stay visible; two when
/// its text (after a leading space) is wider than the screen.
pub fn toast_height(toast: Option<&str>, width: u16) -> u16 {
    match toast {
        None => 0,
        Some(text) if text.width() + 1 > usize::from(width) => 2,
        Some(_) => 1,
    }
}

/// Rows a full-height list shows: the screen less the header, a toast,
/// footer, status bar, filter line, borders and column titles.
pub fn list_page(size: (u16, u16), toast: Option<&str>) -> usize {
    let chrome = 7 + toast_height(toast, size.0);
    usize::from(size.1.saturating_sub(chrome)).max(1)
}

pub const PANEL_HEIGHT: u16 = 9;

/// Rows around the Providers body at most: header, footer, status bar, a
/// two-line toast and a two-line notice. The grid is used only where it fits
/// with all of them, so the layout does not flip when a toast comes and goes.
pub const PROVIDERS_CHROME: u16 = 7;

/// Panels across for a terminal of `size` showing `count` providers: four
/// on wide terminals, two on medium ones, and 1 — the list — where that is
/// all the width allows or the panels would not fit the height. Arrow keys
/// move the focus by the same number.
pub fn provider_columns(size: (u16, u16), count: usize) -> usize {
    let across = match size.0 {
        // A panel needs about 35 columns for a secret id and a full time.
        w if w >= 140 => 4,
        w if w >= 60 => 2,
        _ => 1,
    };
    let rows = u16::try_from(count.div_ceil(across)).unwrap_or(u16::MAX);
    if rows.saturating_mul(PANEL_HEIGHT) > size.1.saturating_sub(PROVIDERS_CHROME) {
        1
    } else {
        across
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toast_shortens_the_page_by_its_height() {
        assert_eq!(list_page((80, 24), None), 17);
        assert_eq!(list_page((80, 24), Some("saved")), 16);
        assert_eq!(list_page((20 + MIN_WIDTH, 24), Some(&"x".repeat(80))), 15);
    }

    #[test]
    fn wide_characters_count_double() {
        // 30 CJK characters are 60 columns: they do not fit on one line of 40.
        assert_eq!(toast_height(Some(&"名".repeat(30)), 40), 2);
        assert_eq!(toast_height(Some(&"n".repeat(30)), 40), 1);
    }
}

//! The console's colours by what they mean (an error, the selection, the
//! focused border), so one choice in config.toml restyles every screen.
//! The themes are files in assets/themes/, compiled in. `colors::fit` still
//! rewrites the finished frame for the terminal: a theme's 24-bit colours
//! become the nearest the terminal has, and NO_COLOR drops them all.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// A theme: one style per role the views draw with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: &'static str,
    /// What has the focus: the focused panel's border, the focused field, overlays.
    pub accent: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    /// What is neither good nor bad but must be noticed: read-only, a rate
    /// limit, an edit conflict.
    pub special: Style,
    /// Hints and secondary text.
    pub muted: Style,
    /// The selected row of a list.
    pub selection: Style,
    /// The active tab and the brand in the header.
    pub header: Style,
    /// Borders of what does not have the focus.
    pub border: Style,
    pub profile_local: Style,
    pub profile_remote: Style,
    /// A profile whose name says production.
    pub profile_prod: Style,
}

/// A theme file as written: every role, nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    accent: String,
    ok: String,
    warn: String,
    error: String,
    special: String,
    muted: String,
    selection: String,
    header: String,
    border: String,
    profile_local: String,
    profile_remote: String,
    profile_prod: String,
}

const FILES: [(&str, &str); 4] = [
    ("default", include_str!("../../assets/themes/default.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
    ("ansi16", include_str!("../../assets/themes/ansi16.toml")),
];

impl Theme {
    /// Every theme's name, as config.toml and `:theme` take it.
    pub const NAMES: [&'static str; 4] = ["default", "light", "high-contrast", "ansi16"];

    /// The theme called `name`; an unknown name is refused with the choices.
    pub fn named(name: &str) -> Result<Theme, String> {
        let Some((name, text)) = FILES.iter().find(|(n, _)| *n == name) else {
            return Err(format!(
                "no theme {name:?}; the themes are {}",
                Theme::NAMES.join(", ")
            ));
        };
        parse(name, text)
    }
}

impl Default for Theme {
    fn default() -> Theme {
        // The compiled-in files are checked by the tests below.
        Theme::named("default").unwrap_or_else(|_| fallback())
    }
}

/// What the views drew before themes: never used while the files parse.
fn fallback() -> Theme {
    let fg = |c| Style::new().fg(c);
    Theme {
        name: "default",
        accent: fg(Color::Cyan),
        ok: fg(Color::Green),
        warn: fg(Color::Yellow),
        error: fg(Color::Red),
        special: fg(Color::Magenta),
        muted: Style::new().add_modifier(Modifier::DIM),
        selection: Style::new().add_modifier(Modifier::REVERSED),
        header: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        border: Style::new().add_modifier(Modifier::DIM),
        profile_local: fg(Color::Green),
        profile_remote: fg(Color::Yellow),
        profile_prod: fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

fn parse(name: &'static str, text: &str) -> Result<Theme, String> {
    let file: ThemeFile = toml::from_str(text).map_err(|e| format!("theme {name}: {e}"))?;
    let role =
        |role: &str, spec: &str| style(spec).map_err(|e| format!("theme {name}, {role}: {e}"));
    Ok(Theme {
        name,
        accent: role("accent", &file.accent)?,
        ok: role("ok", &file.ok)?,
        warn: role("warn", &file.warn)?,
        error: role("error", &file.error)?,
        special: role("special", &file.special)?,
        muted: role("muted", &file.muted)?,
        selection: role("selection", &file.selection)?,
        header: role("header", &file.header)?,
        border: role("border", &file.border)?,
        profile_local: role("profile_local", &file.profile_local)?,
        profile_remote: role("profile_remote", &file.profile_remote)?,
        profile_prod: role("profile_prod", &file.profile_prod)?,
    })
}

/// `bold #ffffff on #005f87`: modifiers, a text colour, `on` a background.
fn style(spec: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = spec.split_whitespace();
    while let Some(word) = words.next() {
        let modifier = match word {
            "plain" => Some(Modifier::empty()),
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underlined" => Some(Modifier::UNDERLINED),
            "reversed" => Some(Modifier::REVERSED),
            _ => None,
        };
        if let Some(modifier) = modifier {
            style = style.add_modifier(modifier);
        } else if word == "on" {
            let bg = words.next().ok_or("`on` needs a colour after it")?;
            style = style.bg(color(bg)?);
        } else {
            style = style.fg(color(word)?);
        }
    }
    Ok(style)
}

fn color(word: &str) -> Result<Color, String> {
    Color::from_str(word).map_err(|_| {
        format!("{word:?} is not a colour (a name such as lightcyan, #rrggbb, or 0–255)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_compiled_in_theme_parses() {
        for name in Theme::NAMES {
            let theme = Theme::named(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(theme.name, name);
        }
        assert_eq!(FILES.map(|(n, _)| n), Theme::NAMES);
    }

    #[test]
    fn an_unknown_name_lists_the_themes() {
        let e = Theme::named("solarized").unwrap_err();
        for name in Theme::NAMES {
            assert!(e.contains(name), "{e}");
        }
    }

    #[test]
    fn a_style_reads_modifiers_and_both_colours() {
        let s = style("bold #ffffff on 24").unwrap();
        assert_eq!(s.fg, Some(Color::Rgb(255, 255, 255)));
        assert_eq!(s.bg, Some(Color::Indexed(24)));
        assert!(s.add_modifier.contains(Modifier::BOLD));
        assert!(style("on").is_err());
        assert!(style("glitter").unwrap_err().contains("glitter"));
    }

    #[test]
    fn the_sixteen_colour_theme_names_only_those() {
        let t = Theme::named("ansi16").unwrap();
        let styles = [t.accent, t.ok, t.warn, t.error, t.special, t.selection];
        for s in styles {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
            }
        }
    }
}

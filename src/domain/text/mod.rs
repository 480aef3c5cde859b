//! Text from elsewhere (a server, a provider, a file) made safe to show on a
//! terminal. A terminal obeys what it is sent: an escape sequence in an
//! assistant's name could retitle the window, clear the screen, write the
//! clipboard (OSC 52) or draw lines that look like ours. Every string that
//! did not come from this program passes through here before it is shown.

mod pieces;
mod untrusted;

use std::borrow::Cow;

pub use pieces::KeyPieces;
pub use untrusted::{
    ECHOED, MAX_ANSWER_BYTES, MAX_LISTED, Scrubber, WITHHELD, Withheld, untrusted,
};

const ESC: char = '\u{1b}';
const BEL: char = '\u{7}';
/// The 8-bit String Terminator; `ESC \` is the 7-bit one.
const ST: char = '\u{9c}';

/// `text` without control characters and escape sequences: C0 controls
/// other than line feed and tab, DEL, the C1 controls (U+0080–U+009F), and
/// every sequence an ESC or a C1 introducer starts — CSI up to its final
/// byte, OSC up to BEL or ST, DCS, SOS, PM and APC up to ST, and the
/// two-character escapes. A carriage return goes too: it lets text write
/// over a line already shown.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_care) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ESC => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                Some(' '..='/') => {
                    // nF escapes: intermediates, then one final character.
                    while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
                    chars.next_if(|c| matches!(c, '0'..='~'));
                }
                Some('0'..='~') => {
                    chars.next();
                }
                // A lone ESC: dropped, and what follows is plain text.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_invisible(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `terminal_safe` for a table cell or a one-line message: line breaks and
/// tabs become spaces too, so a value cannot start a line of its own.
pub fn one_line(text: &str) -> Cow<'_, str> {
    let safe = terminal_safe(text);
    if !safe.contains(['\n', '\t']) {
        return safe;
    }
    Cow::Owned(safe.replace(['\n', '\t'], " "))
}

/// Text from a provider, made safe to keep and show: no control character
/// or escape sequence, not even a line break, and at most `max` characters.
pub fn plain_text(text: &str, max: usize) -> String {
    terminal_safe(text)
        .chars()
        .filter(|c| !c.is_control())
        .take(max)
        .collect()
}

/// Unicode's Cc, what `char::is_control` is true of, as ranges: the
/// OpenAPI document states the rules below from these.
pub const CONTROL_RANGES: [(char, char); 2] = [('\u{0}', '\u{1f}'), ('\u{7f}', '\u{9f}')];
/// The control characters that prose keeps: a line break and a tab.
pub const PROSE_CONTROLS: [char; 2] = ['\n', '\t'];

/// The first character `terminal_safe` would remove from `text` where a
/// line break and a tab are allowed (`multi_line`) or not, with its position
/// in characters from 0.
pub fn first_control(text: &str, multi_line: bool) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !(multi_line && PROSE_CONTROLS.contains(&c)))
}

fn needs_care(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || is_invisible(c)
}

/// Characters that draw nothing but change what is seen: the bidirectional
/// overrides and isolates reorder a line (so a name can make a table lie),
/// and the zero-width ones can split a key so that no piece of it matches
/// while all of it shows.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Parameters and intermediates, then the final character. Anything else
/// ends the sequence early and is left to be judged on its own.
fn skip_csi(chars: &mut Chars<'_>) {
    while chars.next_if(|c| matches!(c, ' '..='?')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// A control string: everything up to BEL, ST or `ESC \`, or the end.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            BEL | ST => return,
            ESC => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_unchanged() {
        let text = "Émile's bot — line one\n\tline two";
        assert!(matches!(terminal_safe(text), Cow::Borrowed(_)));
    }

    #[test]
    fn reordering_and_zero_width_characters_go() {
        assert_eq!(terminal_safe("admin\u{202e}txt.exe"), "admintxt.exe");
        assert_eq!(terminal_safe("a\u{2066}b\u{2069}c"), "abc");
        let split = "sk-proj\u{200b}-Abcd\u{feff}efgh\u{ad}1234";
        assert_eq!(terminal_safe(split), "sk-proj-Abcdefgh1234");
        let keys = KeyPieces::of("sk-proj-Abcdefgh1234");
        assert!(!keys.hide(&terminal_safe(split)).contains("Abcdefgh"));
    }

    #[test]
    fn whole_sequences_go_not_just_their_escape() {
        let cases = [
            ("a\x1b]0;owned\x07b", "ab"),
            ("a\x1b]52;c;ZXZpbA==\x1b\\b", "ab"),
            ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
            ("\x1b[2J\x1b[H\x1b[1;31mred\x1b[0m", "red"),
            ("\x1bc\x1b7\x1b8\x1b=x", "x"),
            ("\x1b(Bx", "x"),
            ("a\u{9b}2Jb", "ab"),
            ("a\u{9d}0;t\u{9c}b", "ab"),
            ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),
            ("a\x1b_apc\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d", "abcd"),
            ("ok\rfake\x08\x7f\x00\x07!", "okfake!"),
            ("a\x1b", "a"),
            ("a\x1b]0;never ended", "a"),
            ("a\u{85}b\u{8d}c", "abc"),
        ];
        for (raw, shown) in cases {
            assert_eq!(terminal_safe(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn one_line_keeps_a_value_on_its_row() {
        assert_eq!(one_line("name\nfake row\there"), "name fake row here");
        assert_eq!(plain_text("a\x1b[31mb\nc", 2), "ab");
    }

    #[test]
    fn the_control_ranges_are_what_is_control_means() {
        let in_ranges = |c: char| {
            CONTROL_RANGES
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&c))
        };
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            assert_eq!(in_ranges(c), c.is_control(), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn the_first_control_is_found_by_position() {
        assert_eq!(first_control("ab\x1bc", true), Some((2, '\x1b')));
        assert_eq!(first_control("a\nb\tc", true), None);
        assert_eq!(first_control("a\nb", false), Some((1, '\n')));
        assert_eq!(first_control("é\u{9b}", true), Some((1, '\u{9b}')));
        assert_eq!(first_control("x\x7f", true), Some((1, '\x7f')));
    }
}

//! JSON that may reach a terminal or a clipboard: the same value, with every
//! character a terminal could obey, or that changes what is seen without
//! being drawn, written as a `\uXXXX` escape. serde_json escapes only C0
//! controls; DEL, the C1 controls (U+009B acts as `ESC [` on many
//! terminals), the bidirectional overrides and isolates and the zero-width
//! characters it writes as they are. A script reading the text gets the
//! identical value; the terminal gets nothing it would act on.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};

use super::text::terminal_safe;

/// `value` as pretty JSON (serde_json's layout) with such characters escaped.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    // Only valid UTF-8 was written: serde_json's output and ASCII escapes.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// Whether `c` is written as an escape: whatever `terminal_safe` would take
/// out of text, and the line and paragraph separators that some programs
/// take for line breaks.
pub fn needs_escape(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    let mut buf = [0u8; 4];
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}')
        || terminal_safe(c.encode_utf8(&mut buf)).is_empty()
}

/// A formatter that lays JSON out as `F` does and escapes in strings (keys
/// included) every character `needs_escape` names.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if !needs_escape(c) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        self.0.write_char_escape(writer, escape)
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn every_unsafe_character_is_escaped_and_the_value_reads_back_the_same() {
        let hostile =
            "a\u{1b}]0;t\u{7}b\u{9b}31m\u{7f}c\u{202e}d\u{2066}e\u{200b}f\u{feff}\u{2028}";
        let value = json!({"name": hostile, hostile: [hostile, 1, null], "plain": "Émile 😀"});
        let text = to_string_pretty(&value).unwrap();
        let raw = |c: char| c != '\n' && needs_escape(c);
        assert!(
            !text.chars().any(raw),
            "only the layout's line breaks: {text:?}"
        );
        for escape in [
            "\\u009b", "\\u202e", "\\u2066", "\\u200b", "\\u007f", "\\u001b",
        ] {
            assert!(text.contains(escape), "{escape} in {text}");
        }
        assert!(text.contains("Émile 😀"), "printable text stays as it is");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }

    #[test]
    fn the_layout_is_serde_jsons() {
        let value = json!({"a": [1, {"b": "c"}], "d": {}});
        assert_eq!(
            to_string_pretty(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap()
        );
    }
}

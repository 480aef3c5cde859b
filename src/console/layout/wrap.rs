//! Wrapping for text read on screen: lines break between words (or, inside
//! one too long for a line, after a `-`, `_`, `/`, `.` or `,`), and what
//! follows a break lines up under where the text began, not at column 0.

use unicode_width::UnicodeWidthStr;

/// `text` in lines at most `width` columns wide, the lines after the first
/// starting with `indent` spaces.
pub fn indented(text: &str, width: usize, indent: usize) -> Vec<String> {
    let indent = if indent + 8 > width { 0 } else { indent };
    let pad = " ".repeat(indent);
    let words = text.trim_start_matches(' ');
    let mut lines = Vec::new();
    // The text's own leading spaces (a JSON line's nesting) stay.
    let mut line = text[..text.len() - words.len()].to_owned();
    let mut started = false;
    for word in words.split(' ') {
        let room = |line: &str| width.saturating_sub(line.width());
        let gap = usize::from(started);
        if word.width() + gap <= room(&line) {
            if started {
                line.push(' ');
            }
            line.push_str(word);
            started = true;
            continue;
        }
        if started {
            lines.push(std::mem::replace(&mut line, pad.clone()));
        }
        let mut rest = word;
        while rest.width() > room(&line) {
            let (head, tail) = split_token(rest, room(&line));
            line.push_str(head);
            lines.push(std::mem::replace(&mut line, pad.clone()));
            rest = tail;
        }
        line.push_str(rest);
        started = true;
    }
    lines.push(line);
    lines
}

/// A word too long for `room` columns: cut after the last separator that
/// fits, else where the room ends (at least one character, so it moves on).
fn split_token(word: &str, room: usize) -> (&str, &str) {
    let mut fits = 0;
    let mut after_separator = None;
    for (at, c) in word.char_indices() {
        let end = at + c.len_utf8();
        if word[..end].width() > room {
            break;
        }
        fits = end;
        if matches!(c, '-' | '_' | '/' | '.' | ',' | ':' | ';') {
            after_separator = Some(end);
        }
    }
    let cut = after_separator.unwrap_or(fits.max(word.chars().next().map_or(0, char::len_utf8)));
    word.split_at(cut)
}

/// A pretty-printed JSON line wrapped so its continuation sits under its
/// value: `"first_message": "Welcome …` goes on under `Welcome`.
pub fn json_line(line: &str, width: usize) -> Vec<String> {
    let lead = line.len() - line.trim_start().len();
    let body = &line[lead..];
    let value_at = key_end(body).map_or(lead, |end| lead + end);
    let quoted = line[value_at..].starts_with('"');
    indented(line, width, line[..value_at].width() + usize::from(quoted))
}

/// Where the value starts after a `"key": ` at the start of `text`.
fn key_end(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return text[at + 1..].starts_with(": ").then_some(at + 3),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stay_whole_and_continuations_indent() {
        let lines = indented("aaa bbb ccc ddd", 10, 2);
        assert_eq!(lines, ["aaa bbb", "  ccc ddd"]);
    }

    #[test]
    fn a_long_id_breaks_after_a_separator() {
        let lines = indented("id: voice-abc-def-ghi", 12, 4);
        assert_eq!(lines, ["id:", "    voice-", "    abc-def-", "    ghi"]);
    }

    #[test]
    fn a_json_value_goes_on_under_itself() {
        let lines = json_line(r#"  "first_message": "Hello there you""#, 30);
        assert_eq!(
            lines,
            [
                r#"  "first_message": "Hello"#,
                "                    there you\""
            ]
        );
    }
}

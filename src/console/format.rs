//! How values read on screen, wherever the text is made: `update` writes
//! some of it into messages and `view` draws the rest, and neither imports
//! the other.

/// An RFC 3339 time to the second, as people read it: `2026-11-26 15:23:46 UTC`.
/// Anything else is shown as the server sent it.
pub fn short_time(rfc3339: &str) -> String {
    let zone = if rfc3339.ends_with('Z') { " UTC" } else { "" };
    match rfc3339.get(..19) {
        Some(head) if rfc3339.as_bytes().get(10) == Some(&b'T') && !zone.is_empty() => {
            format!("{}{zone}", head.replace('T', " "))
        }
        // An offset other than Z stays as sent rather than being misread as UTC.
        _ => rfc3339.to_owned(),
    }
}

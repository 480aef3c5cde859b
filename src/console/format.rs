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

/// How long before `now` an RFC 3339 time was, in a few characters: `just
/// now`, `3m ago`, `5h ago`, `2d ago`; the date past two months, and the
/// time as sent when it does not parse. A time after `now` (clocks apart)
/// is `just now`.
pub fn ago(rfc3339: &str, now: std::time::SystemTime) -> String {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    let Ok(at) = OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return short_time(rfc3339);
    };
    let seconds = (OffsetDateTime::from(now) - at).whole_seconds();
    match seconds {
        ..60 => "just now".to_owned(),
        60..3_600 => format!("{}m ago", seconds / 60),
        3_600..86_400 => format!("{}h ago", seconds / 3_600),
        86_400..5_184_000 => format!("{}d ago", seconds / 86_400),
        _ => at.date().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::ago;

    #[test]
    fn an_age_reads_in_the_largest_whole_unit() {
        let at = "2026-11-26T09:30:00Z";
        let now = |s: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_685_400 + s);
        assert_eq!(ago(at, now(59)), "just now");
        assert_eq!(ago(at, now(180)), "3m ago");
        assert_eq!(ago(at, now(5 * 3_600 + 10)), "5h ago");
        assert_eq!(ago(at, now(2 * 86_400)), "2d ago");
        assert_eq!(ago(at, now(90 * 86_400)), "2026-11-26");
        assert_eq!(ago("2026-11-26T10:30:00+01:00", now(60)), "1m ago");
        assert_eq!(ago("yesterday", now(0)), "yesterday");
    }
}

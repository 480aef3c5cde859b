//! Aligned plain-text tables for humans; scripts use `--json`.

use crate::domain::text::one_line;

/// Columns padded to their widest cell; the last column is not padded so
/// lines carry no trailing spaces. No header line when `headers` is empty.
/// A cell is one line of plain text: a value with a line break or an escape
/// sequence in it could otherwise draw a row of its own.
pub(crate) fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let width = |s: &str| s.chars().count();
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| one_line(cell).into_owned()).collect())
        .collect();
    let all: Vec<&Vec<String>> = std::iter::once(&header)
        .filter(|h| !h.is_empty())
        .chain(&rows)
        .collect();
    let columns = all.iter().map(|r| r.len()).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in &all {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    for row in all {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(width(cell));
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `-` for an absent value, so columns never look shifted.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or("-").to_owned()
}

/// A table's time column: the header says the zone once, so each cell
/// is short (`UPDATED (UTC)`).
pub(crate) fn utc_header(name: &str) -> String {
    format!("{name} (UTC)")
}

/// An RFC 3339 time as a table cell: in UTC, to the second
/// (`2026-12-07 10:31:05`), whatever offset and fraction the server wrote;
/// `-` for none, and anything that is no such time as it was sent.
pub(crate) fn utc_time(rfc3339: Option<&str>) -> String {
    use time::format_description::well_known::Rfc3339;
    let Some(text) = rfc3339.filter(|t| !t.is_empty()) else {
        return "-".to_owned();
    };
    match time::OffsetDateTime::parse(text, &Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            )
        }
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_to_the_second() {
        for (sent, shown) in [
            ("2026-12-07T10:31:05.123456789Z", "2026-12-07 10:31:05"),
            ("2026-12-07T11:31:05+01:00", "2026-12-07 10:31:05"),
            ("yesterday", "yesterday"),
        ] {
            assert_eq!(utc_time(Some(sent)), shown, "{sent}");
        }
        assert_eq!(utc_time(None), "-");
    }

    #[test]
    fn columns_align_on_the_widest_cell() {
        let rows = vec![
            vec![
                "openai".to_string(),
                "yes".to_string(),
                "sk-…WXYZ".to_string(),
            ],
            vec!["elevenlabs".to_string(), "no".to_string(), "-".to_string()],
        ];
        assert_eq!(
            render(&["PROVIDER", "SET", "HINT"], &rows),
            "PROVIDER    SET  HINT\nopenai      yes  sk-…WXYZ\nelevenlabs  no   -\n"
        );
        assert_eq!(render(&[], &rows[1..]), "elevenlabs  no  -\n");
    }

    #[test]
    fn a_cell_cannot_start_a_row_or_move_the_cursor() {
        let rows = vec![vec!["a\nfake  row".to_string(), "\x1b[2Jb".to_string()]];
        assert_eq!(render(&[], &rows), "a fake  row  b\n");
    }
}

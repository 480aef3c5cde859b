//! `?limit=L&offset=O` on the assistant list (ours).

use crate::server::error::ServerError;

pub const PAGE_MAX: u32 = 500;
/// SQLite counts rows in signed 64 bits.
pub const OFFSET_MAX: u64 = i64::MAX as u64;
/// When only `offset` is given, or on a list that always pages.
pub const PAGE_DEFAULT: u32 = 100;

/// `limit` and `offset` from the query; `None` when neither is given.
pub fn page(query: Option<&str>) -> Result<Option<(u32, u64)>, ServerError> {
    let (mut limit, mut offset) = (None, None);
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "limit" => limit = Some(value),
            "offset" => offset = Some(value),
            _ => {}
        }
    }
    if limit.is_none() && offset.is_none() {
        return Ok(None);
    }
    let limit = match limit {
        None => PAGE_DEFAULT,
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=PAGE_MAX).contains(l))
            .ok_or_else(|| {
                ServerError::invalid(
                    "limit",
                    format!("limit must be an integer from 1 to {PAGE_MAX}"),
                )
            })?,
    };
    let offset = match offset {
        None => 0,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|o| *o <= OFFSET_MAX)
            .ok_or_else(|| {
                ServerError::invalid(
                    "offset",
                    format!("offset must be an integer from 0 to {OFFSET_MAX}"),
                )
            })?,
    };
    Ok(Some((limit, offset)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_parameters_are_checked() {
        assert_eq!(page(None).unwrap(), None);
        assert_eq!(page(Some("foo=1")).unwrap(), None);
        assert_eq!(page(Some("limit=10&offset=20")).unwrap(), Some((10, 20)));
        assert_eq!(page(Some("offset=5")).unwrap(), Some((PAGE_DEFAULT, 5)));
        for bad in ["limit=0", "limit=501", "limit=x", "limit=", "limit=-1"] {
            assert_eq!(
                page(Some(bad)).unwrap_err().param.as_deref(),
                Some("limit"),
                "{bad}"
            );
        }
        assert_eq!(
            page(Some("limit=5&offset=9223372036854775808"))
                .unwrap_err()
                .param
                .as_deref(),
            Some("offset")
        );
        assert_eq!(
            page(Some("limit=5&offset=-1"))
                .unwrap_err()
                .param
                .as_deref(),
            Some("offset")
        );
    }
}

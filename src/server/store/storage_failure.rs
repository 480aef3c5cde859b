//! Which store errors mean the disk, not the request: answered 507 and
//! counted against the store's health rather than as a bug.

/// A full disk (`SQLITE_FULL`) or a failed read or write of the files
/// (`SQLITE_IOERR` with any of its extended codes): the store could not
/// write, which is no bug of the request's.
pub fn is_storage_failure(err: &anyhow::Error) -> bool {
    sqlite_codes(err).any(|code| {
        matches!(
            code,
            rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure
        )
    })
}

/// The SQLite result codes behind `err`, under whatever context it was given.
pub fn sqlite_codes(err: &anyhow::Error) -> impl Iterator<Item = rusqlite::ErrorCode> + '_ {
    err.chain().filter_map(|cause| {
        cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(rusqlite::Error::sqlite_error_code)
    })
}

#[cfg(test)]
mod tests {
    use anyhow::Context;
    use rusqlite::ffi;

    use super::*;

    fn failure(extended_code: i32) -> anyhow::Error {
        let err = rusqlite::Error::SqliteFailure(ffi::Error::new(extended_code), None);
        Err::<(), _>(err).context("cannot save").unwrap_err()
    }

    #[test]
    fn a_full_or_failing_disk_is_told_from_other_errors_under_any_context() {
        for code in [
            ffi::SQLITE_FULL,
            ffi::SQLITE_IOERR_WRITE,
            ffi::SQLITE_IOERR_FSYNC,
        ] {
            assert!(is_storage_failure(&failure(code)), "{code}");
        }
        for code in [
            ffi::SQLITE_CONSTRAINT_UNIQUE,
            ffi::SQLITE_BUSY,
            ffi::SQLITE_CORRUPT,
        ] {
            assert!(!is_storage_failure(&failure(code)), "{code}");
        }
    }
}

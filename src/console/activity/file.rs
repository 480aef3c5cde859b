//! The activity log file: JSON lines, readable by its owner only, rotated
//! by size so it never grows without bound. Written by the worker's
//! recording task on a blocking thread, never by the UI.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::Entry;

/// The file is rotated once it would grow past this.
pub const ROTATE_AT: u64 = 1024 * 1024;
/// Rotated files kept beside the live one: `.1` (newest) to `.3`.
pub const KEEP: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    pub path: PathBuf,
    pub rotate_at: u64,
    pub keep: usize,
}

impl LogFile {
    pub fn new(path: PathBuf) -> LogFile {
        LogFile {
            path,
            rotate_at: ROTATE_AT,
            keep: KEEP,
        }
    }

    /// Appends one line per entry, rotating first when they would not fit.
    pub fn append(&self, entries: &[Entry]) -> anyhow::Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for entry in entries {
            text.push_str(&entry.to_line());
            text.push('\n');
        }
        if let Some(dir) = self.path.parent() {
            crate::config::create_private_dir(dir)?;
        }
        let size = fs::symlink_metadata(&self.path).map_or(0, |m| m.len());
        if size > 0 && size + text.len() as u64 > self.rotate_at {
            self.rotate()?;
        }
        let mut file = open_private(&self.path)?;
        file.write_all(text.as_bytes())
            .with_context(|| format!("cannot write '{}'", self.path.display()))
    }

    /// `log` → `log.1` → … → `log.{keep}`; the oldest falls off.
    fn rotate(&self) -> anyhow::Result<()> {
        let numbered = |n: usize| rotated(&self.path, n);
        let _ = fs::remove_file(numbered(self.keep));
        for n in (1..self.keep).rev() {
            let from = numbered(n);
            if from.exists() {
                fs::rename(&from, numbered(n + 1))
                    .with_context(|| format!("cannot rotate '{}'", from.display()))?;
            }
        }
        if self.keep == 0 {
            return fs::remove_file(&self.path)
                .with_context(|| format!("cannot remove '{}'", self.path.display()));
        }
        fs::rename(&self.path, numbered(1))
            .with_context(|| format!("cannot rotate '{}'", self.path.display()))
    }
}

/// `activity.log.2` for `activity.log`.
pub fn rotated(path: &Path, n: usize) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// Opened for appending, created 0600; one that exists with a wider mode
/// is narrowed first. A symlink is refused: whoever placed it would choose
/// where the lines go.
fn open_private(path: &Path) -> anyhow::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options
        .open(path)
        .with_context(|| format!("cannot open '{}'", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file
            .metadata()
            .with_context(|| format!("cannot read '{}'", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            file.set_permissions(fs::Permissions::from_mode(0o600))
                .with_context(|| format!("cannot make '{}' private", path.display()))?;
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn entry(n: usize) -> Entry {
        Entry {
            at: SystemTime::UNIX_EPOCH,
            profile: "local".into(),
            method: "GET".into(),
            upstream: None,
            route: format!("/api/v1/health/{n}"),
            status: Some(200),
            latency: Duration::from_millis(1),
            request_id: None,
            error: None,
        }
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_created_private_and_a_wider_one_is_narrowed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let log = LogFile::new(dir.path().join("state").join("activity.log"));
        log.append(&[entry(1)]).unwrap();
        assert_eq!(mode(&log.path), 0o600);
        assert_eq!(mode(log.path.parent().unwrap()), 0o700);
        fs::set_permissions(&log.path, fs::Permissions::from_mode(0o644)).unwrap();
        log.append(&[entry(2)]).unwrap();
        assert_eq!(mode(&log.path), 0o600);
        let text = fs::read_to_string(&log.path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_in_its_place_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::write(&elsewhere, "").unwrap();
        let path = dir.path().join("activity.log");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        assert!(LogFile::new(path).append(&[entry(1)]).is_err());
        assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "");
    }

    #[test]
    fn it_rotates_by_size_and_keeps_three() {
        let dir = tempfile::tempdir().unwrap();
        let line = entry(0).to_line().len() as u64 + 1;
        let log = LogFile {
            path: dir.path().join("activity.log"),
            rotate_at: 2 * line,
            keep: 3,
        };
        for n in 0..10 {
            log.append(&[entry(n)]).unwrap();
        }
        let lines = |p: PathBuf| fs::read_to_string(p).unwrap_or_default();
        // Two lines a file: 8–9 live, 6–7 in .1, 4–5 in .2, 2–3 in .3.
        assert!(lines(log.path.clone()).contains("/health/9"));
        assert!(lines(rotated(&log.path, 1)).contains("/health/7"));
        assert!(lines(rotated(&log.path, 3)).contains("/health/2"));
        assert!(!rotated(&log.path, 4).exists());
        for n in 1..=3 {
            assert_eq!(lines(rotated(&log.path, n)).lines().count(), 2);
        }
    }
}

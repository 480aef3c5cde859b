//! An exclusive lock between processes on one file: advisory (`flock`), so
//! it binds only the runs of this tool, and released by the kernel when the
//! holder exits, however it exits.

use std::fs::{File, OpenOptions};
use std::path::Path;

use anyhow::Context;

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Waits for the lock on `path`, creating the file (0600, in a private
    /// directory) when missing. Blocks the thread: call it where that is fine.
    pub fn exclusive(path: &Path) -> anyhow::Result<FileLock> {
        if let Some(dir) = path.parent() {
            super::files::create_private_dir(dir)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(path)
            .with_context(|| format!("cannot open the lock file '{}'", path.display()))?;
        lock(&file).with_context(|| format!("cannot lock '{}'", path.display()))?;
        Ok(FileLock { _file: file })
    }
}

#[cfg(unix)]
fn lock(file: &File) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    loop {
        // SAFETY: the descriptor is open for as long as `file` lives, and
        // flock reads nothing else.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Elsewhere the runs are not serialised: two first runs at once may each
/// create an account, and the last one to save its key wins.
#[cfg(not(unix))]
fn lock(_: &File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    fn try_lock(path: &Path) -> bool {
        let file = File::open(path).unwrap();
        // SAFETY: as in `lock`.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }

    #[test]
    fn the_lock_is_held_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/x.lock");
        let held = FileLock::exclusive(&path).unwrap();
        assert!(!try_lock(&path), "another open file cannot take it");
        drop(held);
        assert!(try_lock(&path));
    }
}

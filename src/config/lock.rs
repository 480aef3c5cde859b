//! An exclusive lock between processes on one file: advisory on Unix
//! (`flock`), so it binds only the runs of this tool, and released by the
//! kernel when the holder exits, however it exits.

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

fn lock(file: &File) -> std::io::Result<()> {
    loop {
        // std's `flock` (`LockFileEx` on Windows) is not retried when a
        // signal interrupts the wait.
        match file.lock() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // A platform without file locks: the runs are not serialised,
            // and two first runs at once may each create an account, the
            // last one to save its key winning.
            Err(e) if e.kind() == std::io::ErrorKind::Unsupported => return Ok(()),
            done => return done,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::TryLockError;

    fn try_lock(path: &Path) -> bool {
        match File::open(path).unwrap().try_lock() {
            Ok(()) => true,
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Error(e)) => panic!("{e}"),
        }
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

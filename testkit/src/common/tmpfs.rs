//! A small tmpfs of the test's own, to run the server on a disk that really
//! fills up. Mounting needs root; elsewhere the test runs itself again in a
//! user and mount namespace of its own (`unshare -rm`), where it is root.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// Set in the copy of a test run inside `unshare`, so it does not try again.
const IN_NAMESPACE: &str = "VOICEDOCK_TEST_IN_MOUNT_NAMESPACE";

pub struct SmallTmpfs {
    mount_point: TempDir,
    filler: PathBuf,
}

/// What a test that needs a tmpfs does here.
pub enum Tmpfs {
    Mounted(SmallTmpfs),
    /// Ran again as `test` in a namespace where mounting is allowed, and passed.
    RanInNamespace,
}

impl Tmpfs {
    /// A tmpfs of `size` (mount's syntax, e.g. `8m`) for the test `test`.
    pub fn mount(size: &str, test: &str) -> Tmpfs {
        let mount_point = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(mount_point.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            let filler = mount_point.path().join("filler");
            return Tmpfs::Mounted(SmallTmpfs {
                mount_point,
                filler,
            });
        }
        assert!(
            std::env::var_os(IN_NAMESPACE).is_none(),
            "cannot mount a tmpfs even in a mount namespace of its own"
        );
        let status = Command::new("unshare")
            .args(["--user", "--map-root-user", "--mount", "--"])
            .arg(std::env::current_exe().unwrap())
            .args([test, "--exact", "--nocapture", "--test-threads=1"])
            .env(IN_NAMESPACE, "1")
            .status()
            .expect("this test mounts a tmpfs: run it as root, or where `unshare -rm` works");
        assert!(status.success(), "{test} failed in its mount namespace");
        Tmpfs::RanInNamespace
    }
}

impl SmallTmpfs {
    pub fn path(&self) -> &Path {
        self.mount_point.path()
    }

    /// A private directory on the tmpfs, for a data dir.
    pub fn data_dir(&self) -> TempDir {
        let dir = tempfile::tempdir_in(self.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        dir
    }

    /// Writes a file until the tmpfs has no byte left.
    pub fn fill(&self) {
        let mut file = std::fs::File::create(&self.filler).unwrap();
        for chunk in [64 * 1024, 4096, 512, 1] {
            let bytes = vec![0x5a; chunk];
            while file.write_all(&bytes).is_ok() {}
        }
        let left = Command::new("df")
            .args(["--output=avail", "-B1"])
            .arg(self.path())
            .output()
            .unwrap();
        let avail = String::from_utf8_lossy(&left.stdout);
        assert!(
            avail.lines().nth(1).is_some_and(|n| n.trim() == "0"),
            "the tmpfs is not full: {avail}"
        );
    }

    pub fn free(&self) {
        std::fs::remove_file(&self.filler).unwrap();
    }
}

impl Drop for SmallTmpfs {
    fn drop(&mut self) {
        // Lazy: a server still closing its files must not keep it mounted.
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.mount_point.path())
            .status();
    }
}

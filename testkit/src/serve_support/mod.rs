//! `voicedock serve` as its own process on 127.0.0.1:0 with a throwaway data
//! dir, for tests that need what only a whole process has: its own
//! descriptor limit, its own memory.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use tempfile::TempDir;

/// What `serve` prints on stderr once it listens, before the URL.
const LISTENING: &str = "listening on ";

pub struct Serve {
    child: Child,
    pub base_url: String,
    pub api_key: String,
    /// Everything the server wrote on stderr so far.
    pub stderr: Arc<Mutex<String>>,
    _dir: Option<TempDir>,
}

impl Serve {
    /// `voicedock serve` with `args` added on a data dir of its own with one
    /// account, its descriptor limit set to `max_files` when given.
    pub fn start(args: &[&str], max_files: Option<u64>) -> Serve {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut serve = Serve::on(&data, args, &[], max_files);
        serve.api_key = create_account(&data);
        serve._dir = Some(dir);
        serve
    }

    /// `voicedock serve` on `data`, which the caller keeps (and may serve
    /// again after this one is gone), with `env` set; no account is made.
    pub fn on(
        data: &Path,
        args: &[&str],
        env: &[(String, String)],
        max_files: Option<u64>,
    ) -> Serve {
        let mut command = Command::new(crate::exe());
        command
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--rate-limit",
                "1000000",
            ])
            .args(args)
            .arg("--data-dir")
            .arg(data)
            .env_remove("VOICEDOCK_MASTER_KEY")
            .env("RUST_LOG", "info")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(limit) = max_files {
            limit_files(&mut command, limit);
        }
        let mut child = command.spawn().unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        let base_url = loop {
            let mut line = String::new();
            assert!(
                lines.read_line(&mut line).unwrap() > 0,
                "serve exited before it listened:\n{seen}"
            );
            seen.push_str(&line);
            if let Some((_, rest)) = line.split_once(LISTENING) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
        let stderr = Arc::new(Mutex::new(seen));
        let collected = Arc::clone(&stderr);
        // Drained, so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = lines.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&chunk[..n]);
                collected.lock().unwrap().push_str(&text);
            }
        });
        Serve {
            child,
            base_url,
            api_key: String::new(),
            stderr,
            _dir: None,
        }
    }

    /// `kill -9`: no shutdown, no last checkpoint.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, and waits for the graceful stop.
    pub fn terminate(&mut self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        assert!(self.child.wait().unwrap().success());
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        self.base_url.trim_start_matches("http://").to_owned()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
fn limit_files(command: &mut Command, limit: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec only setrlimit runs, which is
    // async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &rlimit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
}

/// `voicedock accounts create`, whose only stdout line is the new key.
pub fn create_account(data: &Path) -> String {
    let out = Command::new(crate::exe())
        .args(["accounts", "create", "--name", "Test Company", "--data-dir"])
        .arg(data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(!key.is_empty());
    key
}

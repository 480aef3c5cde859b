//! A real server started in the test process and the real binary pointed at
//! it, with its own config and data dirs.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tempfile::TempDir;
use voicedock::server::{self, RunningServer, ServerConfig};

pub const OPENAI_KEY: &str = "sk-proj-0123456789abcdefWXYZ";

pub struct Harness {
    // Dropped first: the server stops before its runtime and data dir go.
    _server: RunningServer,
    runtime: tokio::runtime::Runtime,
    pub base_url: String,
    pub account_key: SecretString,
    pub config: TempDir,
    pub data: TempDir,
}

pub fn harness() -> Harness {
    harness_with(|_| {})
}

/// A harness whose server is started with `adjust`'s changes to its config.
pub fn harness_with(adjust: impl FnOnce(&mut ServerConfig)) -> Harness {
    let data = TempDir::new().unwrap();
    // The server refuses a data dir others can read; tempfile uses the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let account_key = server::create_account(data.path(), "Acme").unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), data.path());
    adjust(&mut config);
    let server = runtime.block_on(server::start(config)).unwrap();
    Harness {
        base_url: server.base_url(),
        _server: server,
        runtime,
        account_key,
        config: TempDir::new().unwrap(),
        data,
    }
}

impl Harness {
    /// The binary with this harness's directories and nothing inherited that
    /// could point it elsewhere.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(crate::exe());
        cmd.args(args)
            .env("VOICEDOCK_CONFIG_DIR", self.config.path())
            .env("VOICEDOCK_DATA_DIR", self.data.path())
            .env("VOICEDOCK_CACHE_DIR", self.cache_dir())
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY")
            .env_remove("VOICEDOCK_MASTER_KEY");
        cmd
    }

    /// Talks to the server through VOICEDOCK_BASE_URL / VOICEDOCK_API_KEY.
    pub fn api(&self, args: &[&str], stdin: &str) -> Output {
        self.api_with(args, stdin, Vec::new())
    }

    /// `api` with more of the environment (a provider's stand-in address).
    pub fn api_with(&self, args: &[&str], stdin: &str, env: Vec<(String, String)>) -> Output {
        let mut cmd = self.command(args);
        cmd.env("VOICEDOCK_BASE_URL", &self.base_url)
            .env("VOICEDOCK_API_KEY", self.account_key.expose_secret())
            .envs(env);
        run(cmd, stdin)
    }

    /// Uses the profiles in the config dir.
    pub fn local(&self, args: &[&str], stdin: &str) -> Output {
        run(self.command(args), stdin)
    }

    pub fn credentials(&self) -> std::path::PathBuf {
        self.config.path().join("credentials.toml")
    }

    pub fn cache_dir(&self) -> std::path::PathBuf {
        self.config.path().join("cache")
    }

    /// Runs `work` on the runtime the server runs on.
    pub fn block_on<F: Future>(&self, work: F) -> F::Output {
        self.runtime.block_on(work)
    }

    /// A client of the server as this harness's account.
    pub fn client(&self) -> voicedock::client::ApiClient {
        voicedock::client::ApiClient::new(&self.base_url, self.account_key.clone()).unwrap()
    }
}

pub fn run(mut cmd: Command, stdin: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    // A command that fails before reading stdin closes it early; its output
    // tells what happened.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

pub fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", text(&output));
    String::from_utf8(output.stdout).unwrap()
}

pub fn json_of(output: Output) -> Value {
    serde_json::from_str(&ok(output)).unwrap()
}

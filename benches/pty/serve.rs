//! `voicedock serve` as its own process on 127.0.0.1:0 with a throwaway data
//! dir, an account made by `voicedock accounts create`, and assistants seeded
//! over its HTTP API.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use futures_util::{StreamExt, TryStreamExt};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use tempfile::TempDir;
use voicedock::client::ApiClient;
use voicedock::domain::AssistantDraft;

/// What `serve` prints on stderr once it listens, before the URL.
const LISTENING: &str = "listening on ";
/// Requests in flight while seeding: the server writes one at a time, so
/// more only queue behind its database.
const SEED_CONCURRENCY: usize = 8;
/// Every seeded assistant's name starts with this, so the list is easy to
/// recognise on screen.
pub const SEED_NAME: &str = "Bench assistant";

pub struct Serve {
    child: Child,
    pub base_url: String,
    pub api_key: SecretString,
    _dir: TempDir,
}

impl Serve {
    pub fn start(exe: &str, company: &str) -> anyhow::Result<Serve> {
        let dir = tempfile::tempdir()?;
        // The server makes it, private; it refuses a data dir others can read.
        let data = dir.path().join("data");
        let mut child = Command::new(exe)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--rate-limit", "1000000"])
            .arg("--data-dir")
            .arg(&data)
            .env_remove(voicedock::server::MASTER_KEY_ENV)
            // Request logs would only fill the pipe.
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start voicedock serve")?;
        let stderr = child.stderr.take().context("serve has no stderr")?;
        let mut lines = BufReader::new(stderr);
        let base_url = match listening_url(&mut lines) {
            Ok(url) => url,
            Err(e) => {
                let _ = child.kill();
                return Err(e);
            }
        };
        // Drained, so the server never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        let mut serve = Serve {
            child,
            base_url,
            api_key: SecretString::from(String::new()),
            _dir: dir,
        };
        serve.api_key = create_account(exe, &data, company)?;
        Ok(serve)
    }

    /// Creates `count` assistants; returns how long that took.
    pub fn seed(&self, count: usize) -> anyhow::Result<Duration> {
        let runtime = tokio::runtime::Runtime::new()?;
        let client = ApiClient::new(&self.base_url, self.api_key.clone())?;
        let started = Instant::now();
        runtime.block_on(
            futures_util::stream::iter((0..count).map(draft))
                .map(|draft| {
                    let client = &client;
                    async move {
                        client
                            .create_assistant(&draft?)
                            .await
                            .map_err(anyhow::Error::from)
                    }
                })
                .buffer_unordered(SEED_CONCURRENCY)
                .try_for_each(|_| async { Ok(()) }),
        )?;
        Ok(started.elapsed())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // SIGTERM lets it shut down gracefully; the data dir goes with `_dir`.
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        if !stopped.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn listening_url(lines: &mut impl BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line)? == 0 {
            bail!("voicedock serve exited before it listened");
        }
        if let Some((_, rest)) = line.split_once(LISTENING) {
            let url = rest.split_whitespace().next().unwrap_or_default();
            anyhow::ensure!(
                url.starts_with("http://127.0.0.1:"),
                "serve listens on {url:?}"
            );
            return Ok(url.to_owned());
        }
    }
}

/// `voicedock accounts create`, whose only stdout line is the new key.
fn create_account(exe: &str, data: &Path, company: &str) -> anyhow::Result<SecretString> {
    let mut child = Command::new(exe)
        .args(["accounts", "create", "--name", company, "--data-dir"])
        .arg(PathBuf::from(data))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run voicedock accounts create")?;
    let mut printed = String::new();
    child
        .stdout
        .take()
        .context("accounts create has no stdout")?
        .read_to_string(&mut printed)?;
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "accounts create failed: {status}");
    let key = SecretString::from(printed.trim().to_owned());
    anyhow::ensure!(
        !key.expose_secret().is_empty(),
        "accounts create printed no key"
    );
    Ok(key)
}

/// Varied the way a real account's assistants are, within the catalog.
/// Every assistant differs in its name, prompt and voice, as an account's
/// do: a console that shares what repeats gets no credit for a seed that
/// repeats more than a real one.
fn draft(i: usize) -> anyhow::Result<AssistantDraft> {
    let role = ["Reception", "Support", "Sales"][i % 3];
    let model = ["gpt-4.1", "gpt-4.1-mini", "gpt-5.4", "gpt-5.4-mini"][i % 4];
    Ok(serde_json::from_value(json!({
        "name": format!("{SEED_NAME} {i:05} {role}"),
        "stt_config": {"provider": "deepgram", "model": "nova-3-general", "language": "nl"},
        "llm_config": {"provider": "openai", "model": model, "temperature": 0.7,
                       "messages": [{"role": "system", "content": format!("You answer the {role} line of desk {i:05}; be brief.")}]},
        "tts_config": {"provider": "elevenlabs", "voice_id": format!("voice-{i}")}
    }))?)
}

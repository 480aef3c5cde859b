//! A populated vault for the vault tests: two accounts with provider keys
//! and an assistant with secrets, stored through the real server; the
//! binary pointed at a data dir; the key file read and written as the
//! server does.

use std::path::Path;
use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use voicedock::server::vault::MasterKey;
use voicedock::server::{MASTER_KEY_FILE, ServerConfig};

use crate::common::{TestServer, provider_key};

pub const WEBHOOK_SECRET: &str = "whsec_Vault0Webhook0Plaintext0001";
pub const TOOL_SECRET: &str = "tool-Vault0Secret0Plaintext0002";

/// What `populate` stored, by id.
pub struct Stored {
    pub account_a: String,
    pub account_b: String,
    pub assistant_id: String,
}

/// Account A: openai and deepgram keys and an assistant with two secrets;
/// account B: an openai key. Stops the server afterwards, so the test owns
/// the database.
pub async fn populate(adjust: impl FnOnce(&mut ServerConfig)) -> (TestServer, Stored) {
    let mut server = TestServer::start_with(adjust).await;
    let key_b = server.new_account("Other Company");
    for provider in ["openai", "deepgram"] {
        let r = server
            .post(
                "/api/v1/byok",
                json!({"provider": provider, "api_key": provider_key(provider)}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let r = server
        .call_as(
            &key_b,
            reqwest::Method::POST,
            "/api/v1/byok",
            Some(json!({"provider": "openai", "api_key": provider_key("openai")})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = server
        .post(
            "/api/v1/assistants",
            json!({
                "name": "Front desk",
                "webhook_url": "https://example.com/hooks/voicedock",
                "webhook_secret": WEBHOOK_SECRET,
                "llm_config": {"provider": "openai", "model": "gpt-5.4", "tools": [
                    {"type": "function", "name": "book",
                     "server": {"url": "https://example.com/tools/book", "secret": TOOL_SECRET}}
                ]}
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let assistant_id = r.body["assistant"]["id"].as_str().unwrap().to_owned();
    let account_a = server.get("/api/v1/account").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let account_b = server
        .call_as(&key_b, reqwest::Method::GET, "/api/v1/account", None)
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    server.shutdown().await;
    (
        server,
        Stored {
            account_a,
            account_b,
            assistant_id,
        },
    )
}

/// Every plaintext `populate` stored: none may ever be printed.
pub fn plaintexts() -> Vec<String> {
    vec![
        provider_key("openai"),
        provider_key("deepgram"),
        WEBHOOK_SECRET.to_owned(),
        TOOL_SECRET.to_owned(),
    ]
}

pub fn encode_bytes(bytes: [u8; 32]) -> String {
    STANDARD.encode(bytes)
}

/// The key in a key file, as the server reads it.
pub fn read_key(path: &Path) -> MasterKey {
    let text = std::fs::read_to_string(path).unwrap();
    let bytes = STANDARD.decode(text.trim()).unwrap();
    MasterKey::from_bytes(bytes.try_into().unwrap())
}

/// A key file (0600) holding `bytes`.
pub fn write_key(path: &Path, bytes: [u8; 32]) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    use std::io::Write;
    options
        .open(path)
        .unwrap()
        .write_all(format!("{}\n", encode_bytes(bytes)).as_bytes())
        .unwrap();
}

pub fn key_file(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(MASTER_KEY_FILE)
}

/// The binary on `data_dir`, with nothing inherited that could point it
/// at another key or service.
pub fn voicedock(data_dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(crate::exe());
    cmd.args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("VOICEDOCK_CONFIG_DIR", data_dir.join("no-config"))
        .env_remove("VOICEDOCK_BASE_URL")
        .env_remove("VOICEDOCK_API_KEY")
        .env_remove("VOICEDOCK_MASTER_KEY")
        .env_remove("VOICEDOCK_MASTER_KEY_FILE");
    cmd
}

pub fn output(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

//! A real server on 127.0.0.1:0 with a throwaway data dir, and a small JSON
//! client over reqwest for the server tests.

pub mod calls;
pub mod disk;
pub mod logs;
pub mod openapi;
pub mod tmpfs;

use std::path::Path;

use reqwest::Method;
use reqwest::header::HeaderMap;
use rusqlite::Connection;
use secrecy::ExposeSecret;
use serde_json::Value;
use tempfile::TempDir;
use voicedock::server::DB_FILE;
use voicedock::server::vault::{self, MasterKey, Sealed, SecretRef};
use voicedock::server::{self, RunningServer, ServerConfig};

pub const TEST_MASTER_KEY: [u8; 32] = [7; 32];
/// High enough that no test but the rate-limit one ever meets it.
pub const GENEROUS_LIMIT: u32 = 100_000;

pub struct TestServer {
    server: Option<RunningServer>,
    pub dir: TempDir,
    pub base_url: String,
    pub api_key: String,
    http: reqwest::Client,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// `Null` when the body is empty.
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `(status, error.code, error.param)` of a documented error body.
    pub fn error(&self) -> (u16, String, Option<String>) {
        let e = &self.body["error"];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "no message in {}",
            self.text
        );
        assert!(e["type"].is_string(), "no type in {}", self.text);
        (
            self.status,
            e["code"].as_str().unwrap_or_default().to_owned(),
            e["param"].as_str().map(str::to_owned),
        )
    }
}

/// A temporary directory only its owner can read: the server refuses a data
/// dir others can read, and tempfile makes them with the umask's mode.
pub fn private_tempdir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    dir
}

pub fn test_config(dir: &Path) -> ServerConfig {
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap(), dir);
    config.master_key = Some(MasterKey::from_bytes(TEST_MASTER_KEY));
    config.rate_limit_per_minute = GENEROUS_LIMIT;
    config
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        Self::start_in(private_tempdir(), adjust).await
    }

    /// On a data dir of the test's choosing (it must be private).
    pub async fn start_in(dir: TempDir, adjust: impl FnOnce(&mut ServerConfig)) -> Self {
        let mut config = test_config(dir.path());
        adjust(&mut config);
        let server = server::start(config).await.unwrap();
        let base_url = server.base_url();
        let mut test = TestServer {
            server: Some(server),
            dir,
            base_url,
            api_key: String::new(),
            http: voicedock::client::http_builder().build().unwrap(),
        };
        test.api_key = test.new_account("Test Company");
        test
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Another account on the same data dir; returns its key.
    pub fn new_account(&self, name: &str) -> String {
        let key = server::create_account(self.dir.path(), name).unwrap();
        key.expose_secret().to_owned()
    }

    pub async fn shutdown(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }

    /// Stops the server and starts a new one on the same data dir (as an
    /// upgrade would); the account and its key stay.
    pub async fn restart(&mut self) {
        self.shutdown().await;
        let server = server::start(test_config(self.dir.path())).await.unwrap();
        self.base_url = server.base_url();
        self.server = Some(server);
    }

    /// A request with `key` (none when `None`) and a raw body.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base_url));
        if let Some(key) = key {
            req = req.header("Authorization", format!("Bearer {key}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let response = req.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        Resp {
            status,
            headers,
            text,
            body,
        }
    }

    /// As this server's account, with a JSON body if given.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        self.call_as(&self.api_key, method, path, body).await
    }

    pub async fn call_as(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Resp {
        let bytes = body.map(|b| serde_json::to_vec(&b).unwrap());
        let headers: &[(&str, &str)] = if bytes.is_some() {
            &[("Content-Type", "application/json")]
        } else {
            &[]
        };
        self.raw(method, path, Some(key), bytes, headers).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str, body: Option<Value>) -> Resp {
        self.call(Method::DELETE, path, body).await
    }
}

/// The seed's Step 4 body, with a real list for its `"messages": [...]`.
pub fn seed_assistant() -> Value {
    serde_json::json!({
        "name": "My Assistant",
        "stt_config": {
            "provider": "deepgram",
            "model": "nova-3-general",
            "language": "nl"
        },
        "llm_config": {
            "provider": "openai",
            "model": "gpt-4o",
            "temperature": 0.7,
            "messages": [{"role": "system", "content": "You are a helpful assistant."}]
        },
        "tts_config": {
            "provider": "elevenlabs",
            "voice_id": "your-voice-id"
        }
    })
}

/// Realistic keys that pass the save-time checks, one per provider.
pub fn provider_key(provider: &str) -> String {
    match provider {
        "openai" => "sk-proj-Op3nAiTestKey0000000000000001".into(),
        "resend" => "re_ResendTestKey000000000000000002".into(),
        "deepgram" => "dg0DeepgramTestKey000000000000000003".into(),
        "elevenlabs" => "el0ElevenLabsTestKey0000000000000004".into(),
        "xai" => "xai-XaiTestKey00000000000000000000005".into(),
        "gladia" => "gl0GladiaTestKey000000000000000006".into(),
        "mistral" => "mi0MistralTestKey00000000000000007".into(),
        "inworld" => "aW53b3JsZFRlc3RLZXkwMDAwMDAwMDA4".into(),
        "google" => "AIzaGoogleTestKey00000000000000009".into(),
        "google_vertex" => concat!(
            "{\n  \"type\": \"service_account\",\n  \"project_id\": \"vd-test\",\n",
            "  \"private_key_id\": \"0010\",\n",
            "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nTESTKEY0010\\n-----END PRIVATE KEY-----\\n\",\n",
            "  \"client_email\": \"vd@vd-test.iam.gserviceaccount.com\"\n}\n"
        )
        .into(),
        other => panic!("no test key for {other}"),
    }
}

pub struct SecretRow {
    pub id: String,
    pub account_id: String,
    pub provider: String,
    pub sealed: Sealed,
}

/// The `secrets` table as stored, straight from the database file.
pub fn secret_rows(data_dir: &Path) -> Vec<SecretRow> {
    let conn = Connection::open(data_dir.join(DB_FILE)).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, account_id, provider, wrapped_key, ciphertext FROM secrets ORDER BY provider")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(SecretRow {
            id: r.get(0)?,
            account_id: r.get(1)?,
            provider: r.get(2)?,
            sealed: Sealed {
                wrapped_key: r.get(3)?,
                ciphertext: r.get(4)?,
            },
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The provider key of `row`, decrypted the only way the vault allows.
pub fn open_secret(master: &MasterKey, row: &SecretRow) -> Result<String, vault::VaultError> {
    let at = SecretRef {
        account_id: &row.account_id,
        provider: &row.provider,
        secret_id: &row.id,
    };
    vault::open(master, at, &row.sealed).map(|k| k.expose_secret().to_owned())
}

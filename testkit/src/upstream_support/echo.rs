//! A provider that turns on its caller: every field of its answers holds
//! the key it was sent, in every form a key comes back in (as sent, in
//! other case, reversed, base64, base64url, inside a `Basic` credential,
//! hex, percent-encoded, cut in 7-character chunks by spaces, dots, line
//! breaks and zero-width spaces). Or one whose voice library never ends:
//! every page is 4 MiB and says there is more.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use voicedock::checks::Upstreams;

use super::TIMEOUT;
use super::http::{self, Reply, Request};
use super::listening::Listening;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostility {
    /// Echoes the key in every field, in every form.
    Echo,
    /// A voice library of endless 4 MiB pages.
    Endless,
}

/// The providers the hostile stand-in answers for.
pub const HOSTILE: [&str; 2] = ["elevenlabs", "openai"];
/// The size of each page of the endless library.
pub const PAGE_BYTES: usize = 4 << 20;

/// Every form of `key` that the stand-in echoes.
pub fn echoed_forms(key: &str) -> Vec<String> {
    let chunks: Vec<&str> = key
        .as_bytes()
        .chunks(7)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    vec![
        key.to_owned(),
        key.to_uppercase(),
        key.chars().rev().collect(),
        STANDARD.encode(key),
        URL_SAFE_NO_PAD.encode(key),
        STANDARD.encode(format!("operator:{key}")),
        key.bytes().map(|b| format!("{b:02x}")).collect(),
        key.bytes().map(|b| format!("{b:02X}")).collect(),
        key.bytes().map(|b| format!("%{b:02X}")).collect(),
        chunks.join(" "),
        chunks.join("."),
        chunks.join("\n"),
        chunks.join("\u{200b}"),
    ]
}

/// Whether `text` holds any form of `key`, searched as an attacker's
/// reader would: case-insensitively, with everything but letters and
/// digits removed, and after undoing base64, hex and percent-encoding.
pub fn holds_a_form_of(text: &str, key: &str) -> bool {
    let folded = |t: &str| -> Vec<u8> {
        t.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase())
            .collect()
    };
    let hay = folded(text);
    let holds = |form: &str, width: usize| {
        let form = folded(form);
        let width = width.min(form.len());
        form.windows(width)
            .any(|w| hay.windows(width).any(|h| h == w))
    };
    let reversed: String = key.chars().rev().collect();
    let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
    holds(key, 8)
        || holds(&reversed, 8)
        || holds(&hex, 16)
        || [
            STANDARD.encode(key),
            STANDARD.encode(format!("operator:{key}")),
        ]
        .iter()
        .any(|b| holds(&b[4..b.len() - 4], 12))
}

pub struct HostileStandIn {
    listening: Listening,
    /// Long for the endless library: what stops its check must be the
    /// byte budget, not the clock.
    timeout: std::time::Duration,
}

impl HostileStandIn {
    pub fn start(hostility: Hostility) -> HostileStandIn {
        let listening = Listening::start(
            HOSTILE,
            move |provider| -> Arc<http::Handler> {
                Arc::new(move |req: &Request| answer(provider, hostility, req))
            },
            Arc::new(Mutex::new(Vec::new())),
        );
        HostileStandIn {
            listening,
            timeout: match hostility {
                Hostility::Echo => TIMEOUT,
                Hostility::Endless => TIMEOUT * 20,
            },
        }
    }

    pub fn base(&self, provider: &str) -> String {
        self.listening.base(provider)
    }

    pub fn upstreams(&self) -> Upstreams {
        HOSTILE
            .iter()
            .fold(Upstreams::default(), |up, p| up.with_base(p, &self.base(p)))
            .with_timeout(self.timeout)
    }

    /// The environment that points a process's checks here.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut vars: Vec<(String, String)> = HOSTILE
            .iter()
            .map(|p| {
                (
                    format!("VOICEDOCK_UPSTREAM_{}", p.to_ascii_uppercase()),
                    self.base(p),
                )
            })
            .collect();
        vars.push((
            "VOICEDOCK_CHECK_TIMEOUT_MS".to_owned(),
            self.timeout.as_millis().to_string(),
        ));
        vars
    }
}

fn sent_key(req: &Request) -> String {
    req.header("xi-api-key")
        .map(str::to_owned)
        .or_else(|| {
            req.header("authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

fn answer(provider: &str, hostility: Hostility, req: &Request) -> Reply {
    let forms = echoed_forms(&sent_key(req));
    match (provider, req.path(), hostility) {
        ("elevenlabs", "/v1/user/subscription", _) => Reply::json(
            200,
            json!({"character_count": 10, "character_limit": 1000, "tier": forms[0]}),
        ),
        ("elevenlabs", "/v2/voices", Hostility::Echo) => {
            let mut voices: Vec<Value> = forms
                .iter()
                .enumerate()
                .map(|(i, form)| {
                    json!({"voice_id": format!("echo{i}"), "name": format!("Echo {form}"),
                        "category": form, "labels": {"accent": form, form.as_str(): "x"}})
                })
                .collect();
            voices.extend(
                forms
                    .iter()
                    .map(|form| json!({"voice_id": form, "name": "Plain"})),
            );
            voices.push(json!({"voice_id": "clean-voice-1", "name": "Rachel",
                "labels": {"accent": "american"}}));
            Reply::json(200, json!({"voices": voices, "has_more": false}))
        }
        ("elevenlabs", "/v2/voices", Hostility::Endless) => {
            let page = req.query("next_page_token").unwrap_or_default();
            Reply::json(200, endless_page(&page))
        }
        ("openai", "/v1/models", _) => {
            let mut data: Vec<Value> = forms
                .iter()
                .map(|form| json!({"id": form, "object": "model", "owned_by": form}))
                .collect();
            data.push(json!({"id": "gpt-5.4", "object": "model", "owned_by": "openai"}));
            Reply::json(200, json!({"object": "list", "data": data}))
        }
        _ => Reply::json(
            401,
            json!({"detail": {"status": "invalid_api_key", "message": format!("bad key {}", forms[3])}}),
        ),
    }
}

/// 100 voices padded to `PAGE_BYTES` with descriptions, and always more.
fn endless_page(token: &str) -> Value {
    let n: usize = token.trim_start_matches('p').parse().unwrap_or(0);
    let filler = "d".repeat(PAGE_BYTES / 100 - 200);
    let voices: Vec<Value> = (0..100)
        .map(|i| {
            json!({"voice_id": format!("v{n}x{i}"), "name": format!("Voice {n}/{i}"),
                "description": filler})
        })
        .collect();
    json!({"voices": voices, "has_more": true, "next_page_token": format!("p{}", n + 1)})
}
